"""Issue #23: every sentence true for every year it is printed in. One test per defect, on the
real sources cleaned into a temporary folder (conftest's `processed`); docs/defect-tests.md
says how each was seen failing."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from conftest import year_view

from helpers.publish import conditions, formatting, i18n, named, notes, sections

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOKS = ROOT / "notebooks"
SEED = sections.SEED


@pytest.fixture(scope="module")
def data(processed):
    return processed


def prose_cells(name: str, lang: str) -> list[str]:
    """The prose cells of a py:percent notebook in one language, in reading order."""
    out = []
    for chunk in (NOTEBOOKS / name).read_text(encoding="utf-8").split("\n# %%")[1:]:
        head, _, body = chunk.partition("\n")
        if f'"lang-{lang}"' in head:
            out.append("\n".join(line[2:] if line.startswith("# ") else line.lstrip("#")
                                 for line in body.splitlines()))  # fmt: skip
    return out


# ------------------------------------------------------------------------ attribution 28/28

# What the article prints before each figure; who, when it names someone.
PULL_QUOTE = [
    "jjj_cooperation_fields",
    "jjj_orgs_in_hebei_poverty_relief",
    "jjj_projects_in_hebei_poverty_relief",
    "jjj_funds_in_hebei_poverty_relief",
    "jjj_counties_in_hebei_poverty_relief",
    "jjj_beneficiaries_in_hebei_poverty_relief",
]

ATTRIBUTED = {
    **dict.fromkeys(
        [*PULL_QUOTE, "jjj_foundations_active_3y"],
        "会上透露了上述数据",
    ),
    **dict.fromkeys(
        [
            "jjj_orgs_planning_projects_2024",
            "jjj_project_intentions_2024",
            "jjj_projects_signed_2024_04_19",
        ],
        "据了解",
    ),
    "zhonghui_investment_xinglong": "据介绍",
    **dict.fromkeys(
        ["jjj_tech_orgs", "jjj_foundations_research_3y", "jjj_foundation_research_projects_3y"],
        "据记者了解",
    ),
    **dict.fromkeys(
        [
            "cihong_schools",
            "cihong_book_corners",
            "cihong_teacher_trainings",
            "cihong_students",
            "cihong_funds",
        ],
        "据北京慈弘慈善基金会理事长赵静介绍",
    ),  # fmt: skip
    "xiongan_national_orgs_settled": "河北省民政厅党组成员、副厅长张晓妍谈道",
}
# How prose names each attribution: (zh, en) words it must hold where it uses the figure.
SAID_IN_PROSE = {
    "会上透露了上述数据": ("会上透露", "会上透露了上述数据"),
    "据了解": ("据了解", "据了解"),
    "据介绍": ("据介绍", "据介绍"),
    "据记者了解": ("据记者了解", "as the reporter learned"),
    "据北京慈弘慈善基金会理事长赵静介绍": ("赵静", "Zhao Jing"),
    "河北省民政厅党组成员、副厅长张晓妍谈道": ("张晓妍", "Zhang Xiaoyan"),
}


def test_every_article_figure_keeps_who_said_it(data):
    seed = data.figures[data.figures["source_id"] == SEED].set_index("figure_id")
    assert len(seed) == 28
    given = {fid: a for fid, a in seed["attribution"].items() if isinstance(a, str) and a}
    assert given == {f"{SEED}/{k}" if "/" in next(iter(given)) else k: v
                     for k, v in ATTRIBUTED.items()}  # fmt: skip
    for lang in ("zh", "en"):
        rows = sections.figure_rows(seed.reset_index(), lang)
        assert rows["said_by"].map(bool).all(), lang  # 28/28: the reporter where none is named
        for fid, who in ATTRIBUTED.items():
            said = rows.loc[rows["figure_id"].str.endswith(fid), "said_by"].iloc[0]
            assert said == i18n.attribution(who, lang)
            if lang == "en":
                assert i18n.ATTRIBUTIONS_EN[who] in said  # glossed, never bare Chinese


def test_every_note_of_an_attributed_figure_carries_it(data):
    values = named.figures(data)
    for fid, who in ATTRIBUTED.items():
        v = values[f"fig.{fid}"]
        assert who in notes.note_html(v, "zh")
        assert i18n.ATTRIBUTIONS_EN[who] in notes.note_html(v, "en")


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_prose_first_using_a_figure_says_who_gave_it(lang):
    cells_ = prose_cells("02_ten_year_outcomes.py", lang)
    for fid, who in ATTRIBUTED.items():
        first = next((c for c in cells_ if f"fig.{fid} " in c or f"fig.{fid}}}" in c), None)
        if first is None:
            continue  # the prose does not use it: its table row and note say who
        words = SAID_IN_PROSE[who][0 if lang == "zh" else 1]
        assert words.lower() in first.lower(), (fid, first[:120])


def test_the_2024_main_point_says_as_is_understood(data, ref):
    v = named.year_values(data, year_view(data, 2024, ref))
    assert v["alone_zh"] == "144家、184个、9个（据了解）"
    assert v["alone_en"].endswith("(as is understood, no speaker named (据了解))")


# -------------------------------------------------------------- the fourteen defects (#23)


def _heading(name: str, lang: str) -> str:
    return next(c for c in prose_cells(name, lang) if c.startswith("# ")).splitlines()[0]


def test_01_ten_year_title_says_inference_and_names_the_organizations_campaign():
    zh, en = _heading("02_ten_year_outcomes.py", "zh"), _heading("02_ten_year_outcomes.py", "en")
    assert "推断" in zh and "社会组织助力河北脱贫攻坚行动" in zh
    assert "inference" in en and "campaign of social organizations" in en
    assert "come from" not in en and "来自" not in zh


def test_02_the_2022_source_is_called_a_news_page(data):
    text = "\n".join(prose_cells("02_ten_year_outcomes.py", "en"))
    assert "civil-affairs report" not in text and "news page of 2022-08-04" in text
    zh = "\n".join(prose_cells("02_ten_year_outcomes.py", "zh"))
    assert "民政部门的报道" not in zh and "新闻网页" in zh


def test_03_the_pull_quotes_figures_share_one_period_none_printed(data):
    from helpers.publish import present

    f = data.figures.set_index("figure_id")
    rows = [f.loc[f"{SEED}/{k}"] if f"{SEED}/{k}" in f.index else f.loc[k] for k in PULL_QUOTE]
    for lang in ("zh", "en"):
        labels = {present.period_text(r, lang) for r in rows}
        assert len(labels) == 1, labels
    assert all(r["period_start"] in (None, "") or r["period_start"] != r["period_start"]
               for r in rows)  # fmt: skip


def _row(data, fid):
    f = data.figures
    return f[f["figure_id"].str.endswith(fid)].iloc[0]


def test_04_taikangs_369_and_80000_read_as_national(data):
    for fid in ("taikang_elder_care_institutions", "taikang_elders_benefiting"):
        r = _row(data, fid)
        assert "全国" in r["subject_zh"] and "非京津冀" in r["subject_zh"]
        assert "nationwide" in r["subject_en"]
    for lang, word in (("zh", "全国"), ("en", "across China")):
        cell = next(c for c in prose_cells("02_ten_year_outcomes.py", lang)
                    if "fig.taikang_elder_care_institutions " in c)  # fmt: skip
        assert word in cell and "fig.taikang_provinces_covered" in cell
        assert "fig.taikang_elder_care_institutions_jjj" in cell  # 39: the region's own count


@pytest.mark.parametrize("year", [2022, 2025])
def test_05_2022_and_2025_record_their_events(data, ref, year):
    view = year_view(data, year, ref)
    v = named.year_values(data, view)
    assert conditions.year_report(data, view)["has_events"] is True
    assert ("联席会议" if year == 2022 else "雄安") in v["events_zh"]


def test_06_first_fall_says_where_first_comes_from_and_the_chart_marks_no_point(data):
    import matplotlib.pyplot as plt

    from helpers.analyze import national
    from helpers.publish import charts, context_charts, context_values

    v = context_values.national(national.for_year(data.figures, 2022), data, "en")
    note = notes.note_html(v["nat_total"], "en")
    assert "not a quote" in note and "first year-on-year fall" in note
    assert "不是原文引语" in notes.note_html(
        context_values.national(national.for_year(data.figures, 2022), data, "zh")["nat_total"],
        "zh",
    )
    charts.use_style()
    fig = plt.figure()
    try:
        ax, _ = context_charts.national(
            fig, national.points(data.figures), national.changes(data.figures, 2022), 2022, "en"
        )
        assert "first fall" not in [t.get_text() for t in ax.texts]
    finally:
        plt.close(fig)


def test_07_a_change_prints_only_the_digits_its_counts_support(data):
    import matplotlib.pyplot as plt

    from helpers.analyze import national
    from helpers.publish import charts, context_charts, context_values

    v = context_values.national(national.for_year(data.figures, 2022), data, "zh")
    assert formatting.format_value(v["chg_assoc"], "zh") == "0.24至0.3%"  # not 约0.269%
    assert formatting.format_value(v["chg_assoc"], "en") == "between 0.24 and 0.3 per cent"
    charts.use_style()
    fig = plt.figure()
    try:
        _, side = context_charts.national(
            fig, national.points(data.figures), national.changes(data.figures, 2022), 2022, "zh"
        )
        labels = [t.get_text() for t in side.texts]
        assert "−0.24至0.3%" in labels and not any("0.27" in x for x in labels)
    finally:
        plt.close(fig)


@pytest.mark.parametrize(
    "year, start",
    [(2018, "2017-12"), (2020, "2017-12"), (2022, "2015")],
)
def test_08_multi_year_totals_in_main_points_carry_their_period(data, ref, year, start):
    v = named.year_values(data, year_view(data, year, ref))
    whens = [v[f"key_{i}_when_en"] for i in range(1, 4) if f"key_{i}" in v]
    assert whens and any(start in w for w in whens), whens
    for lang in ("zh", "en"):
        for c in prose_cells("03_year_report.py", lang):
            for i in range(1, 4):
                if f"{{{{ key_{i} }}}}" in c:
                    assert f"key_{i}_when_{lang}" in c


def test_09_a_years_table_holds_figures_of_its_year_and_others_go_under_their_heading(data, ref):
    for year in (2019, 2023):
        pub = year_view(data, year, ref).public_record
        own = pub[pub["basis"] == "period"]
        assert all(str(e)[:4] == str(year) for e in own["period_end"]), year
    pub19 = year_view(data, 2019, ref).public_record.set_index("figure_id")
    assert pub19.loc["cpt-2019-07-16/social_orgs-2", "basis"] == "published"  # 2017's count
    pub23 = year_view(data, 2023, ref).public_record
    assert set(pub23["basis"]) == {"published"}  # all eight are 2021 or 2022 figures
    zh = "\n".join(prose_cells("03_year_report.py", "zh"))
    assert "发表、关于其他时期的公开记录" in zh


def test_10_the_2019_round_ends_in_august(data):
    from helpers.publish import present

    for fid in ("cswm-2019-08-14/projects_claimed-2", "cswm-2019-08-14/funds_claimed_yuan-2"):
        r = data.figures.set_index("figure_id").loc[fid]
        assert (str(r["period_start"])[:10], str(r["period_end"])[:10]) == (
            "2019-01-01", "2019-08-31"
        )  # fmt: skip
        assert present.period_text(r, "en").startswith("2019-01 → 2019-08")


def test_11_notes_lead_to_what_exists(data, ref):
    # The covering count's note names the table under the heading the report prints.
    heading = next(c for c in prose_cells("03_year_report.py", "zh") if "时期包含本年" in c)
    assert "时期包含本年的文章数字" in heading
    assert "时期包含本年的文章数字" in i18n.t("note_counted_covering", "zh")
    en_heading = next(c for c in prose_cells("03_year_report.py", "en") if "period includes" in c)
    assert "The article's figures whose period includes the year" in en_heading
    assert "The article's figures whose period includes the year" in i18n.t(
        "note_counted_covering", "en"
    )
    # No prose counts the undated figures against an appendix that does not list them.
    for lang in ("zh", "en"):
        assert not any("n_undated" in c for c in prose_cells("03_year_report.py", lang))
    # 2024's own figures are values with their quote notes.
    v = named.year_values(data, year_view(data, 2024, ref))
    assert [v[f"alone_{i}"].quote for i in (1, 2, 3)] == ["144家", "184个", "9个"]
    assert all("“" in notes.note_html(v[f"alone_{i}"], "zh") for i in (1, 2, 3))


def test_12_publisher_most_likely_and_mirrors_named_as_mirrors(data):
    c = named.citation(data, SEED)
    assert notes.pick(c.publisher, "en").startswith("most likely")
    assert notes.pick(c.publisher, "zh").startswith("很可能是")
    for sid, host in (("cpt-2020-11-10", "newcairotravel.com"),
                      ("hebei-2018-08-23", "m.bm463.com"),
                      ("civil-affairs-2022-08-04", "wap.newstx.cn"),
                      ("hebei-2019-annual", "xsdnews.net")):  # fmt: skip
        rc = named.citation(data, sid)
        assert notes.pick(rc.publisher, "en").startswith("copy of ")
        assert f"on {host} (a mirror)" in notes.pick(rc.publisher, "en")
        assert f"{host}上的副本" in notes.pick(rc.publisher, "zh")


def test_13_the_printed_precision_is_kept_in_english(data, shown):
    from helpers.analyze import outcomes

    v = named.figures(data)["fig.jjj_funds_in_hebei_poverty_relief"]
    assert formatting.format_value(v, "en") == "about 2.188 billion yuan"
    sections.backtest(outcomes.backtest(data.figures, data.article_text), "en")
    text = "".join(shown)
    assert "2.188 billion" in text and "2.19 billion" not in text


def test_14_zh_and_en_say_the_same(data):
    ev = data.events.set_index("event_id")
    row = ev[ev.index.str.contains("xiongan_design_institute")].iloc[0]
    assert "最早一批" in row["text_zh"] and "among the first" in row["text_en"]
    assert "服务京津冀" in row["text_zh"] and "serving Beijing" in row["text_en"]
    en = "\n".join(prose_cells("03_year_report.py", "en"))
    assert "was written before" not in en  # zh says 发表 (published)
    ten = "\n".join(prose_cells("02_ten_year_outcomes.py", "en"))
    assert "}} in {{ fig.cihong_schools }}" not in ten  # the source links no corners to schools


# -------------------------------------------------------------------------- one vocabulary

ID = re.compile(r"\b[a-z]+(?:_[a-z0-9]+)+\b|\b[a-z]+(?:-[a-z0-9]+)*-(?:19|20)\d\d(?:-\d\d)*\b")


@pytest.mark.parametrize("name", ["02_ten_year_outcomes.py", "03_year_report.py"])
def test_one_name_per_language_in_the_prose(name):
    for lang in ("zh", "en"):
        text = "\n".join(prose_cells(name, lang))
        for key, patterns in i18n.VOCAB_NOT.items():
            for p in patterns:
                assert not re.search(p, text), (name, lang, key, p)
    en = "\n".join(prose_cells("02_ten_year_outcomes.py", "en"))
    zh = "\n".join(prose_cells("02_ten_year_outcomes.py", "zh"))
    assert i18n.VOCAB["campaign"]["en"] in en and i18n.VOCAB["campaign"]["zh"] in zh
    assert i18n.VOCAB["key_counties"]["zh"] in zh


def test_the_region_has_an_en_dash_in_every_english_cell(data, shown):
    sections.public_record(year_view(data, 2024, named.reference_date(data)), data, "en")
    sections.sources(data, "en")
    text = "".join(shown)
    assert "Beijing-Tianjin-Hebei" not in text and "Beijing–Tianjin–Hebei" in text


def test_no_internal_id_in_zh_tables_sources_or_chart_lines(data, ref, shown):
    import matplotlib.pyplot as plt

    from helpers.analyze import campaign_record, national
    from helpers.publish import charts, context_charts

    sections.full_figure_table(data.figures, "zh", ref)
    sections.sources(data, "zh")
    visible = re.sub(r"<[^>]+>", " ", "".join(shown))  # ids may name anchors, never text
    visible = re.sub(r"https?://\S+", " ", visible)
    assert ID.findall(visible) == []
    charts.use_style()
    fig = plt.figure()
    try:
        context_charts.national(fig, national.points(data.figures),
                                national.changes(data.figures, 2022), 2022, "zh")  # fmt: skip
        words = " ".join(t.get_text() for t in fig.texts)
    finally:
        plt.close(fig)
    line = context_charts.national_source(national.points(data.figures), "zh", data)
    assert ID.findall(words + line) == [] and "公益时报" in line
    rec = campaign_record.dated_record(data.figures, data.events, data.citations)
    shown.clear()
    from helpers.publish import present

    captured = []
    real_show = charts.show
    try:
        charts.show = lambda fig, alt, source="", **kw: captured.append(
            " ".join([*(t.get_text() for t in fig.texts), source])
        ) or plt.close(fig)  # fmt: skip
        context_charts.show_campaign(rec, 2019, "zh", data)
    finally:
        charts.show = real_show
    assert captured and ID.findall(captured[0]) == [] and "来源：" in captured[0]
    assert present  # imported for the fixture's display hook


def test_english_pages_gloss_the_records_chinese(data):
    from helpers.publish import present

    hebei = notes.pick(named.citation(data, "hebei-2018-08-23").publisher, "en")
    assert "original title (原标题)" in hebei and "help our province" in hebei
    cri = data.figures[data.figures["period_text"].astype(str).str.contains("去年")].iloc[0]
    assert "last year" in present.period_text(cri, "en")
    camp = data.figures[data.figures["period_text"].astype(str).str.contains("3年来")].iloc[0]
    assert "in the three years" in present.period_text(camp, "en")
    # A note that quotes Chinese gives the value in English beside it.
    v = named.figures(data)["fig.jjj_orgs_in_hebei_poverty_relief"]
    assert "“6300多家” (more than 6,300 organizations)" in notes.note_html(v, "en")


def test_timeline_labels_name_events_one_per_event(data, ref):
    from helpers.analyze import years
    from helpers.publish.named import short_label

    shown = years.one_row_per_event(data.events)
    labels = [
        (str(r.date_start)[:4], short_label(r.text_en, "en", r.event_id),
         short_label(r.text_zh, "zh", r.event_id))
        for r in shown.itertuples(index=False)
    ]  # fmt: skip
    in_2020 = [x for x in labels if x[0] == "2020"]
    assert len(in_2020) == 3 and len({x[1] for x in in_2020}) == 3  # three events, three labels
    for _, en, zh in labels:
        assert not re.search(r"\d{4}", en + zh)  # the axis gives the year: no dates in labels
        assert len(en) <= 30 and len(zh) <= 12 and "…" not in en + zh
