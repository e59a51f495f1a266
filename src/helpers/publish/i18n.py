"""The reports' short labels (table headers, units, chart labels) and glosses, zh and en.

Sentences are not here: they are written in the notebooks (helpers.publish.prose).

Chinese quotes from a source stay in Chinese in both languages; English reports add a gloss.
"""

from __future__ import annotations

from helpers import paths
from helpers.errors import JJJError

LANGS = paths.LANGS
HTML_LANG = {"zh": "zh-Hans", "en": "en"}

STRINGS: dict[str, dict[str, str]] = {
    "project_title": {
        "zh": "京津冀协同发展中的社会组织",
        "en": "Social organizations in the Beijing–Tianjin–Hebei coordinated development",
    },
    "nav_label": {"zh": "报告导航", "en": "Report navigation"},
    "index_footer": {
        "zh": "每份报告末尾列出来源、注释与版本说明。",
        "en": "Every report ends with its sources, notes and colophon.",
    },
    "ten_year_title": {
        "zh": "十年成果：社会组织助力京津冀协同发展",
        "en": "Ten years of social organizations in the Beijing–Tianjin–Hebei coordinated "
        "development",
    },
    "year_title": {
        "zh": "{year}年：京津冀协同发展中的社会组织",
        "en": "{year}: social organizations in the Beijing–Tianjin–Hebei coordinated development",
    },
    "running_header_year": {
        "zh": "京津冀社会组织 · {year}年报告",
        "en": "Social organizations in Beijing–Tianjin–Hebei · {year} report",
    },
    "running_header_ten": {
        "zh": "京津冀社会组织 · 十年报告",
        "en": "Social organizations in Beijing–Tianjin–Hebei · ten-year report",
    },
    "index_title": {"zh": "报告目录", "en": "Reports"},
    "other_language": {"zh": "English", "en": "中文"},
    "ten_year": {"zh": "十年报告", "en": "Ten-year report"},
    "year_word": {"zh": "{year}年", "en": "{year}"},
    "html": {"zh": "网页", "en": "HTML"},
    "pdf": {"zh": "PDF", "en": "PDF"},
    "years_heading": {"zh": "年度报告", "en": "Year reports"},
    "colophon": {"zh": "版本与来源", "en": "Colophon"},
    "notes": {"zh": "注释", "en": "Notes"},
    # column labels
    "col_figure": {"zh": "指标", "en": "Figure"},
    "col_quote": {"zh": "原文", "en": "As printed"},
    "col_public_quote": {"zh": "公开记录原文", "en": "Public record, as printed"},
    "col_value": {"zh": "数值", "en": "Value"},
    "col_bounds": {"zh": "区间", "en": "Bounds"},
    "col_qualifier": {"zh": "限定", "en": "Qualifier"},
    "col_period": {"zh": "时期", "en": "Period"},
    "col_period_type": {"zh": "性质", "en": "Kind"},
    "col_source": {"zh": "来源", "en": "Source"},
    "col_said_by": {"zh": "说明者", "en": "Who said it"},
    # An article's figure printed with no one named: the reporter's own account.
    "said_by_article": {
        "zh": "记者（文中未注明其他来源）",
        "en": "the reporter (no other source named)",
    },
    "col_id": {"zh": "数据编号", "en": "Data id"},
    "col_org": {"zh": "组织", "en": "Organization"},
    "col_date": {"zh": "日期", "en": "Date"},
    "col_event": {"zh": "事件", "en": "Event"},
    "col_ratio": {"zh": "比率", "en": "Ratio"},
    "col_basis": {"zh": "依据", "en": "Basis"},
    "col_relation": {"zh": "关系", "en": "Relation"},
    "col_printed": {"zh": "原文数值", "en": "Printed"},
    "col_reproduced": {"zh": "复现值", "en": "Reproduced"},
    "col_check": {"zh": "结果", "en": "Check"},
    "col_published": {"zh": "发布日期", "en": "Published"},
    "col_report": {"zh": "报告", "en": "Report"},
    "col_summary": {"zh": "摘要", "en": "Summary"},
    # period kinds
    "pt_total": {"zh": "全期合计（不按年拆分）", "en": "whole-period total (never split by year)"},
    "pt_as_of": {"zh": "截至该日的累计", "en": "cumulative as of the date"},
    "pt_annual": {"zh": "年度数", "en": "annual"},
    "pt_point": {"zh": "时点", "en": "at a date"},
    "pt_alone": {"zh": "仅属本年", "en": "this year alone"},
    "no_period": {"zh": "原文未给出时期", "en": "no period given in the text"},
    "as_of": {"zh": "截至", "en": "as of"},
    "two_readings": {
        "zh": "{first}；若计入{counted}年，则为{second}",
        "en": "{first}; or {second}, counting {counted}",
    },
    "rel_exact_match": {"zh": "数值相同", "en": "same value"},
    "rel_consistent_bound": {"zh": "区间相容", "en": "consistent bound"},
    "rel_different_period": {"zh": "时期不同", "en": "different period"},
    "rel_inconsistent": {"zh": "不一致", "en": "inconsistent"},
    "conf_value_differs": {"zh": "数值不同", "en": "values differ"},
    "conf_qualifier_differs": {"zh": "限定词不同", "en": "qualifiers differ"},
    "col_rule": {"zh": "规则", "en": "Rule"},
    "rule_regional_subtotals": {
        "zh": "各地分项之和超过总量",
        "en": "regional parts above their total",
    },
    "rule_annual_within_totals": {
        "zh": "年度数超过包含该年的总量",
        "en": "a year above the total of a period containing it",
    },
    "rule_cumulative_non_decreasing": {"zh": "累计数下降", "en": "a cumulative count falls"},
    "ok": {"zh": "一致", "en": "equal"},
    "mismatch": {"zh": "不一致", "en": "differs"},
    "none_known": {"zh": "无", "en": "none"},
    "other_orgs": {"zh": "其他", "en": "Other"},
    "article": {"zh": "文章", "en": "article"},
    "source_label": {"zh": "来源：", "en": "Source: "},
    # the campaign's years, counted from its launch (2017-12): 2019 is its second year
    "ordinal_1": {"zh": "第一", "en": "first"},
    "ordinal_2": {"zh": "第二", "en": "second"},
    "ordinal_3": {"zh": "第三", "en": "third"},
    # units of the report's own counts
    "unit_event": {"zh": "项", "en": "events"},
    "unit_figure": {"zh": "个", "en": "figures"},
    # notes of the report's own counts
    "note_counted_events": {
        "zh": "按本报告的事件表计数（同一天的同一活动计为一项）",
        "en": "counted in this report's table of events (one occasion on one day is one event)",
    },
    "note_counted_covering": {
        "zh": "按本报告“时期包含本年的文章数字”表计数",
        "en": "counted in this report's table “The article's figures whose period includes the "
        "year”",
    },
    "note_counted_public": {
        "zh": "按本报告的公开记录表（本年的，及本年发表、关于其他时期的）计数",
        "en": "counted in this report's public-record tables (of the year, and published in "
        "the year about other periods)",
    },
    "note_counted_undated": {
        "zh": "按附录中未给出时期的原文数字计数",
        "en": "counted among the article's figures that give no period (appendix)",
    },
    "note_counted_seed": {
        "zh": "按附录中的原文数字表计数",
        "en": "counted in the appendix table of the article's figures",
    },
    "most_likely": {"zh": "很可能是{who}", "en": "most likely {who}"},
    "copy_on": {
        "zh": "{what}，{host}上的副本（镜像）",
        "en": "copy of {what} on {host} (a mirror)",
    },
    "seed_citation_note": {
        "zh": "版面未印出发布者和日期：发布者据署名与版式推断，很可能是《公益时报》；"
        "发表于{meeting}会议之后",
        "en": "publisher and date not printed on the page: the publisher is most likely China "
        "Philanthropy Times (from the byline and house style); published after the "
        "{meeting} meeting",
    },
    # chart labels and alt texts (the alt text is the chart's accessible name in HTML and PDF)
    "alt_campaign": {
        "zh": "两幅图：2017年12月至2020年10月行动期间按报告日期累计的项目数（左）和资金（右），"
        "旁边是文章的十年总量区间",
        "en": "Two panels: the campaign's cumulative projects (left) and funds (right) by "
        "report date, 2017-12 to 2020-10, with the article's headline totals beside them",
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
    # what each qualifier of the data (helpers.clean.schema.QUALIFIERS) means, as a label
    "q_exact": {"zh": "确数", "en": "exact"},
    "q_more_than": {"zh": "多（超过）", "en": "more than"},
    "q_over": {"zh": "超过", "en": "over"},
    "q_about": {"zh": "约", "en": "about"},
    "q_nearly": {"zh": "近（不到）", "en": "nearly"},
    "q_at_least": {"zh": "至少", "en": "at least"},
    "q_range": {"zh": "区间", "en": "range"},
}

# What each measure counts, as a short label (table rows of the public record).
MEASURES: dict[str, dict[str, str]] = {
    "orgs_participating": {"zh": "参与的社会组织", "en": "organizations taking part"},
    "projects_landed": {"zh": "落地项目", "en": "projects landed"},
    "funds_yuan": {"zh": "资金", "en": "funds"},
    "counties_covered": {"zh": "覆盖的扶贫开发重点县", "en": "key poverty-relief counties"},
    "beneficiaries_person_times": {"zh": "受益人次", "en": "beneficiaries (person-times)"},
    "social_orgs": {"zh": "社会组织", "en": "social organizations"},
    "social_associations": {"zh": "社会团体", "en": "social associations"},
    "private_non_enterprise_units": {"zh": "民办非企业单位", "en": "private non-enterprise units"},
    "foundations": {"zh": "基金会", "en": "foundations"},
}


def measure_label(measure: str, lang: str, default: str | None = None) -> str:
    """A measure's short label; `default` (or the id) when it has none."""
    if measure in MEASURES:
        return MEASURES[measure][lang]
    return default if default is not None else measure


def region_label(region, lang: str) -> str:
    """Beijing / 北京 …; empty when the item has no region (an event)."""
    from helpers.clean.periods import blank  # here: periods loads pandas, i18n is loaded early

    if blank(region):
        return ""
    key = f"region_{region}"
    return t(key, lang) if key in STRINGS else str(region)


# English names of publishers the public record names in Chinese only.
PUBLISHERS_EN = {"新华社": "Xinhua News Agency"}


# English glosses of who said a figure (figures.attribution is verbatim Chinese).
ATTRIBUTIONS_EN = {
    "会上透露了上述数据": "disclosed at the 2024-04-19 exchange meeting",
    "据了解": "as is understood, no speaker named",
    "据介绍": "as was explained, no speaker named",
    "据记者了解": "as the reporter learned",
    "据北京慈弘慈善基金会理事长赵静介绍": "according to Zhao Jing, chair of the Beijing Cihong "
    "Charity Foundation",
    "河北省民政厅党组成员、副厅长张晓妍谈道": "said Zhang Xiaoyan, deputy director of the Hebei "
    "Department of Civil Affairs",
}


def attribution(text: str, lang: str) -> str:
    """Who said it: verbatim in zh; in en, the gloss with the Chinese kept."""
    if lang == "zh" or not text:
        return text
    en = ATTRIBUTIONS_EN.get(text)
    return f"{en} ({text})" if en else text


# ---- One vocabulary: the names a report uses, one per language, kept here and tested
# (tests/test_true_sentences.py: no other name for these appears in the notebooks' prose).
VOCAB: dict[str, dict[str, str]] = {
    "region": {"zh": "京津冀", "en": "Beijing–Tianjin–Hebei"},
    "campaign": {
        "zh": "京津冀社会组织助力河北脱贫攻坚行动",
        "en": "campaign of Beijing–Tianjin–Hebei social organizations in Hebei's poverty relief",
    },
    "key_counties": {"zh": "扶贫开发重点县", "en": "key poverty-relief counties"},
    "ministry": {"zh": "民政部", "en": "Ministry of Civil Affairs"},
}
# Names that must not appear for them (regexes; the variants a reader found in issue #23).
VOCAB_NOT = {
    "region": (r"Beijing-Tianjin-Hebei", r"Jing-Jin-Ji"),
    "campaign": (r"Hebei poverty-relief campaign", r"social-organization campaign",
                 r"(?<!京津冀)社会组织助力(?:河北)?脱贫攻坚行动"),
    "key_counties": (r"key development counties", r"key counties for poverty",
                     r"(?<!扶贫)开发重点县"),
    "ministry": (r"civil-affairs ministry", r"(?<!部)民政部门统计"),
}  # fmt: skip


def dashes(text: str) -> str:
    """The region's name as the reports print it in English (the record writes a hyphen)."""
    return str(text).replace("Beijing-Tianjin-Hebei", VOCAB["region"]["en"])


# The record's Chinese words inside its English lines, with the English a reader needs.
GLOSSES_EN = {
    "原标题 京津冀社会组织助力我省脱贫攻坚": "original title (原标题) "
    "“京津冀社会组织助力我省脱贫攻坚”, "
    "Beijing–Tianjin–Hebei social organizations help our province's poverty relief",
}


def gloss_en(text: str) -> str:
    for zh, en in GLOSSES_EN.items():
        text = text.replace(zh, en)
    return dashes(text)


# Each event's short timeline label (zh, en): what happened, in a few words; the axis gives
# the year. An event without one here falls back to its text's first clause, cut.
EVENT_LABELS: dict[str, tuple[str, str]] = {
    "strategy_raised_2014_02": ("上升为国家战略", "national strategy"),
    "xinhua-2015-11-06/e01": ("民政框架协议", "civil-affairs pact"),
    "cpt-2016-09-20/e01": ("首届慈善博览会", "first charity fair"),
    "xiongan_design_institute_started_2017": ("设计研究院落户雄安", "design institute, Xiong'an"),
    "hebei-2018-08-23/e01": ("助力脱贫行动启动", "campaign launched"),
    "zhonghui_xinglong_investment_started_2018": ("中辉投资兴隆", "Zhonghui in Xinglong"),
    "hebei-2018-08-23/e02": ("张北对接会", "Zhangbei matchmaking"),
    "cswm-2019-08-14/e01": ("津冀帮扶平台", "Tianjin–Hebei platform"),
    "taikang_daming_complex_2020": ("大名扶贫综合体", "Daming complex"),
    "cri-2020-05-30/e01": ("河北结对通知", "Hebei pairing notice"),
    "cpt-2020-11-10/e01": ("行动成果发布", "campaign results"),
    "taikang_bnu_survey_2021": ("养老机构调研", "elder-care survey"),
    "civil-affairs-2022-08-04/e01": ("第六次联席会议", "6th joint meeting"),
    "ten_year_meeting_2024_04_19": ("十年成果交流会", "ten-year meeting"),
    "chinanpo-2025-12-30/e01": ("联合政策、雄安考察", "joint policy; Xiong'an visit"),
}

# English glosses of the article's period words.
PERIODS_EN = {
    "十年来": "over the ten years",
    "近三年": "in the last three years",
    "近三年来": "in the last three years",
    "近两年来": "in the last two years",
    "截至目前": "as of now",
    "目前": "now",
    "截至2023年年底": "by the end of 2023",
    "自2021年以来": "since 2021",
    "自2018年至今": "from 2018 to now",
    "2024年": "in 2024",
    "现场": "on site",
    "3年来": "in the three years",
    "去年": "last year",
}


def period_gloss(words: str) -> str:
    return PERIODS_EN.get(words, "")


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


# The public record's national context and the campaign's dated record (labels only: the
# sentences are in the notebooks).
STRINGS.update(
    {
        "region_national": {"zh": "全国", "en": "China"},
        "region_Beijing": {"zh": "北京", "en": "Beijing"},
        "region_Tianjin": {"zh": "天津", "en": "Tianjin"},
        "region_Hebei": {"zh": "河北", "en": "Hebei"},
        "region_Beijing-Tianjin-Hebei": {"zh": "京津冀", "en": "Beijing–Tianjin–Hebei"},
        "region_Xiong'an": {"zh": "雄安", "en": "Xiong'an"},
        "region_Beijing+Xiong'an": {"zh": "北京、雄安", "en": "Beijing and Xiong'an"},
        "series_ministry": {"zh": "民政部统计", "en": "Ministry of Civil Affairs"},
        "series_platform": {"zh": "社会组织查询平台", "en": "query platform (another series)"},
        "nat_title": {
            "zh": "全国社会组织数量：两套口径，互不混用；2022年首次下降",
            "en": "China's social organizations: two series, never mixed; 2022 saw the first fall",
        },
        "nat_axis": {"zh": "登记的社会组织（个）", "en": "registered social organizations"},
        "nat_change_title": {
            "zh": "2021→2022年变化（民政部）",
            "en": "change 2021→2022 (ministry)",
        },
        "nat_first_fall": {"zh": "首次下降", "en": "first fall"},
        "nat_over": {"zh": "▲ 超过（下限）", "en": "▲ over (a lower bound)"},
        "nat_source": {
            "zh": "来源：{ids}。空缺年份无数据，未插值。",
            "en": "Sources: {ids}. Empty years have no figure; nothing is interpolated.",
        },
        "record_pages": {"zh": "公开记录中的页面", "en": "pages of the public record"},
        "nat_alt": {
            "zh": "{lo}至{hi}年全国社会组织数量，两套口径分列，{year}年突出显示",
            "en": "China's registered social organizations {lo}–{hi}, one line per series, "
            "{year} highlighted",
        },
        "measure_social_associations": {"zh": "社会团体", "en": "social associations"},
        "measure_private_non_enterprise_units": {
            "zh": "民办非企业单位",
            "en": "private non-enterprise units",
        },
        "measure_foundations": {"zh": "基金会", "en": "foundations"},
        "camp_title": {
            "zh": "脱贫攻坚行动的时间记录：2017年12月启动，2020年10月公布成果",
            "en": "The campaign's dated record: launched 2017-12, results presented 2020-10",
        },
        "camp_events": {"zh": "事件", "en": "events"},
        "camp_source": {"zh": "来源：{ids}", "en": "Sources: {ids}"},
        "camp_alt": {
            "zh": "2017年12月至2020年10月脱贫攻坚行动的时间线，按地区分行",
            "en": "Timeline of the campaign, 2017-12 to 2020-10, one row per region",
        },
        "camp_alt_year": {"zh": "，{year}年突出显示", "en": ", {year} highlighted"},
        "h_national": {"zh": "全国背景", "en": "National context"},
        "change_fell": {"zh": "减少", "en": "fell by"},
        "change_rose": {"zh": "增加", "en": "rose by"},
        "h_campaign_record": {"zh": "脱贫攻坚行动的时间记录", "en": "The campaign's dated record"},
        "col_region": {"zh": "地区", "en": "Region"},
        "col_item": {"zh": "内容", "en": "Item"},
        "ev_hebei-2018-08-23/e01": {"zh": "行动启动", "en": "campaign launched"},
        "ev_hebei-2018-08-23/e02": {"zh": "张北对接会", "en": "Zhangbei matchmaking"},
        "ev_cswm-2019-08-14/e01": {"zh": "津冀帮扶平台启动", "en": "Tianjin–Hebei platform"},
        "ev_cri-2020-05-30/e01": {"zh": "最后一批项目通知", "en": "notice: last projects"},
        "ev_cpt-2020-11-10/e01": {"zh": "保定发布成果", "en": "results, Baoding"},
    }
)


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
    """Title and running header of one report (its description is the notebook's summary)."""
    if kind == "ten-year":
        title = t("ten_year_title", lang)
        return {"title": title, "description": title, "header": t("running_header_ten", lang)}
    if kind == "year":
        title = t("year_title", lang, year=year)
        return {
            "title": title,
            "description": title,
            "header": t("running_header_year", lang, year=year),
        }
    raise JJJError(f"report kind {kind!r} is not 'year' or 'ten-year'")
