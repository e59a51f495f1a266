"""Every label, heading and gloss of the reports, in one zh/en table.

Chinese quotes from a source stay in Chinese in both languages; English reports add a gloss.
"""

from __future__ import annotations

from helpers.errors import JJJError

LANGS = ("zh", "en")
HTML_LANG = {"zh": "zh-Hans", "en": "en"}

STRINGS: dict[str, dict[str, str]] = {
    "project_title": {
        "zh": "京津冀协同发展中的社会组织（2014—2024）",
        "en": "Social organizations in the Beijing–Tianjin–Hebei coordinated development, "
        "2014–2024",
    },
    "ten_year_title": {
        "zh": "十年成果：社会组织助力京津冀协同发展",
        "en": "Ten years of results: social organizations in the Beijing–Tianjin–Hebei "
        "coordinated development",
    },
    "ten_year_description": {
        "zh": "复现《十年来社会组织助力京津冀协同发展成效显著》一文的十年成果统计，"
        "并与2017—2020年脱贫攻坚行动的公开数据核对。",
        "en": "The ten-year outcome statistics of the April 2024 article, reproduced from its "
        "text and reconciled with the 2017–2020 poverty-relief campaign's public figures.",
    },
    "year_title": {
        "zh": "{year}年：京津冀协同发展中的社会组织",
        "en": "{year}: social organizations in the Beijing–Tianjin–Hebei coordinated development",
    },
    "year_description": {
        "zh": "{year}年已知的事件、覆盖该年的统计数字与当年的公开记录，以及尚不知道的内容。",
        "en": "What is known for {year}: events, figures whose period covers the year, the "
        "public record of the year — and what is not known.",
    },
    "running_header_year": {
        "zh": "京津冀社会组织 · {year}年报告",
        "en": "JJJ social organizations · {year}",
    },
    "running_header_ten": {
        "zh": "京津冀社会组织 · 十年报告",
        "en": "JJJ social organizations · ten years",
    },
    "index_title": {"zh": "报告目录", "en": "Reports"},
    # section headings
    "h_headline": {"zh": "十年总量", "en": "The ten-year totals"},
    "h_cases": {"zh": "组织案例", "en": "Organization cases"},
    "h_ratios": {"zh": "由原文推得的比率", "en": "Ratios the text supports"},
    "h_reconciliation": {
        "zh": "与2017—2020年脱贫攻坚行动数据的核对",
        "en": "Reconciliation with the 2017–2020 campaign",
    },
    "h_campaign": {
        "zh": "脱贫攻坚行动：按发布日期的项目与资金",
        "en": "The campaign: projects and funds by report date",
    },
    "h_backtest": {
        "zh": "回测：复现值与原文印刷值",
        "en": "Back-test: reproduced values against the printed ones",
    },
    "h_conflicts": {"zh": "来源之间的差异", "en": "Where sources differ"},
    "h_timeline": {"zh": "时间线", "en": "Timeline"},
    "h_events": {"zh": "本年事件", "en": "Events of the year"},
    "h_covering": {"zh": "覆盖本年的统计数字", "en": "Figures whose period covers the year"},
    "h_public_record": {"zh": "本年的公开记录", "en": "The public record of the year"},
    "h_coverage": {"zh": "已知与未知", "en": "What is and is not known"},
    "h_sources": {"zh": "来源", "en": "Sources"},
    # column labels
    "col_figure": {"zh": "指标", "en": "Figure"},
    "col_quote": {"zh": "原文", "en": "As printed"},
    "col_value": {"zh": "数值", "en": "Value"},
    "col_bounds": {"zh": "区间", "en": "Bounds"},
    "col_qualifier": {"zh": "限定", "en": "Qualifier"},
    "col_period": {"zh": "时期", "en": "Period"},
    "col_period_type": {"zh": "性质", "en": "Kind"},
    "col_source": {"zh": "来源", "en": "Source"},
    "col_org": {"zh": "组织", "en": "Organization"},
    "col_date": {"zh": "日期", "en": "Date"},
    "col_event": {"zh": "事件", "en": "Event"},
    "col_ratio": {"zh": "比率", "en": "Ratio"},
    "col_basis": {"zh": "依据", "en": "Basis"},
    "col_relation": {"zh": "关系", "en": "Relation"},
    "col_printed": {"zh": "原文数值", "en": "Printed"},
    "col_reproduced": {"zh": "复现值", "en": "Reproduced"},
    "col_check": {"zh": "结果", "en": "Check"},
    "col_publisher": {"zh": "发布者", "en": "Publisher"},
    "col_published": {"zh": "发布日期", "en": "Published"},
    "col_region": {"zh": "地区", "en": "Region"},
    "col_report": {"zh": "报告", "en": "Report"},
    "col_summary": {"zh": "摘要", "en": "Summary"},
    "col_gloss": {"zh": "说明", "en": "Gloss"},
    # qualifiers, as words before a number
    "q_exact": {"zh": "", "en": ""},
    "q_more_than": {"zh": "多于", "en": "more than "},
    "q_about": {"zh": "约", "en": "about "},
    "q_nearly": {"zh": "近", "en": "nearly "},
    "q_over": {"zh": "超过", "en": "over "},
    "q_at_least": {"zh": "不少于", "en": "at least "},
    # period types
    "pt_total": {"zh": "全期合计（不按年拆分）", "en": "whole-period total (never split by year)"},
    "pt_as_of": {"zh": "截至该日的累计", "en": "cumulative as of the date"},
    "pt_annual": {"zh": "年度数", "en": "annual"},
    "pt_point": {"zh": "时点", "en": "at a date"},
    "ambiguous": {"zh": "时期有歧义", "en": "ambiguous period"},
    "no_period": {"zh": "原文未给出时期", "en": "no period given in the text"},
    "rel_exact_match": {"zh": "数值相同", "en": "same value"},
    "rel_consistent_bound": {"zh": "区间相容", "en": "consistent bound"},
    "rel_different_period": {"zh": "时期不同", "en": "different period"},
    "rel_inconsistent": {"zh": "不一致", "en": "inconsistent"},
    "conf_value_differs": {"zh": "数值不同", "en": "values differ"},
    "conf_qualifier_differs": {"zh": "限定词不同", "en": "qualifiers differ"},
    "ok": {"zh": "一致", "en": "equal"},
    "mismatch": {"zh": "不一致", "en": "differs"},
    "none_known": {"zh": "无", "en": "none"},
    "html": {"zh": "网页", "en": "HTML"},
    "pdf": {"zh": "PDF", "en": "PDF"},
    "ten_year": {"zh": "十年报告", "en": "Ten-year report"},
    "year_word": {"zh": "{year}年", "en": "{year}"},
    "other_orgs": {"zh": "其他", "en": "Other"},
    "article": {"zh": "文章", "en": "article"},
    # chart titles and alt texts (the alt text is the chart's accessible name in HTML and PDF)
    "alt_headline": {
        "zh": "十年总量（对数刻度），超过/近似的数字按下限或上限绘制",
        "en": "Headline counts (log scale); 'more than' and 'nearly' figures drawn as bounds",
    },
    "alt_campaign": {
        "zh": "2017年12月至2020年10月行动期间按发布日期的项目数与资金；下限以箭头表示",
        "en": "Campaign projects and funds by report date, 2017-12 to 2020-10; lower bounds "
        "drawn as arrows",
    },
    "alt_timeline": {
        "zh": "2014—2025年时间线，突出显示{year}年，标出有记载事件的年份",
        "en": "Timeline 2014–2025 with {year} highlighted and the years of recorded events",
    },
    "chart_projects": {"zh": "项目数（个）", "en": "projects"},
    "chart_funds": {"zh": "资金（亿元）", "en": "funds, 100 million yuan"},
    "bound_exact": {"zh": "确数", "en": "exact"},
    "bound_lower": {"zh": "下限（“超过”）", "en": "lower bound (“more than”)"},
    "bound_upper": {"zh": "上限（“近”）", "en": "upper bound (“nearly”)"},
    "bound_range": {"zh": "区间", "en": "range"},
    # the coverage panel
    "known": {"zh": "已知", "en": "Known"},
    "not_known": {"zh": "未知", "en": "Not known"},
    "k_events": {"zh": "本年事件：{n}项", "en": "events of the year: {n}"},
    "k_totals": {
        "zh": "覆盖本年的全期合计：{n}个（不按年拆分）",
        "en": "whole-period totals covering the year: {n} (never split by year)",
    },
    "k_as_of": {"zh": "截至本年的累计数：{n}个", "en": "cumulative figures as of the year: {n}"},
    "k_public": {
        "zh": "本年公开记录中的数字：{n}个",
        "en": "public-record figures of the year: {n}",
    },
    "k_ambiguous": {"zh": "其中时期有歧义：{n}个", "en": "of which with an ambiguous period: {n}"},
    "u_undated": {
        "zh": "原文中{n}个数字未给出时期，无法归入任何年份",
        "en": "{n} article figures give no period and cannot be placed in any year",
    },
    "u_split": {
        "zh": "没有任何数字只属于本年：原文的合计不能拆成年度值",
        "en": "no figure is for this year alone: the article's totals cannot be split into years",
    },
    "year_summary": {
        "zh": "{events}项事件，{covering}个原文数字覆盖本年，{public}条当年公开记录",
        "en": "{events} event(s), {covering} article figure(s) covering the year, "
        "{public} public-record figure(s)",
    },
    "consistency_ok": {
        "zh": "一致性规则（分项不超过总量、年度数不超过行动总量、累计数不减少、"
        "文章区间包含行动总量）全部成立。",
        "en": "All consistency rules hold (sub-totals within totals, annual figures within the "
        "campaign's, cumulative figures never decreasing, the article's bounds containing the "
        "campaign's totals).",
    },
    "consistency_bad": {"zh": "一致性规则未成立：", "en": "Consistency rules violated:"},
}


# English names of the organizations the article's cases name (our glosses).
ORGANIZATIONS_EN = {
    "北京慈弘慈善基金会": "Beijing Cihong Charity Foundation",
    "泰康溢彩公益基金会": "Taikang Yicai Public Welfare Foundation",
    "中辉（天津）能源科技集团有限公司": "Zhonghui (Tianjin) Energy Technology Group",
    "中关村社会组织联合会": "Zhongguancun Federation of Social Organizations",
}


def organization(name: str, lang: str) -> str:
    """An organization as a reader of `lang` should see it: the Chinese name stays, glossed."""
    if lang == "zh" or not name:
        return name
    en = ORGANIZATIONS_EN.get(name)
    return f"{en} ({name})" if en else name


def t(key: str, lang: str, **kw) -> str:
    """The string `key` in `lang`, formatted with `kw`; a missing key or language is a bug."""
    if lang not in LANGS:
        raise JJJError(f"language {lang!r} is not supported; allowed {', '.join(LANGS)}")
    try:
        text = STRINGS[key][lang]
    except KeyError:
        raise JJJError(f"i18n: no string {key!r} for {lang!r}") from None
    return text.format(**kw) if kw else text


def report_meta(kind: str, year: int | None, lang: str) -> dict[str, str]:
    """Title, description and running header of one report."""
    if kind == "ten-year":
        return {
            "title": t("ten_year_title", lang),
            "description": t("ten_year_description", lang),
            "header": t("running_header_ten", lang),
        }
    if kind == "year":
        return {
            "title": t("year_title", lang, year=year),
            "description": t("year_description", lang, year=year),
            "header": t("running_header_year", lang, year=year),
        }
    raise JJJError(f"report kind {kind!r} is not 'year' or 'ten-year'")
