# ---
# jupyter:
#   jupytext:
#     cell_metadata_filter: tags,-all
#     notebook_metadata_filter: kernelspec,jupytext
#     text_representation:
#       extension: .py
#       format_name: percent
#       format_version: '1.3'
#       jupytext_version: 1.19.6
#   kernelspec:
#     display_name: Python 3 (ipykernel)
#     language: python
#     name: python3
# ---

# %% [markdown] tags=["remove-cell"]
# # 03 · One year's report
#
# Reads `data/processed/` only. One text for every year: where a sentence depends on the year's
# data, its cell carries one condition tag (`if-has_events`, `unless-has_events`, …) on a bool
# of the conditions cell below. Multi-year totals are whole-period totals, never split across
# years.
#
# **This notebook is not the report.** Run as is (`papermill … -p year 2019 -p lang en`, then
# `jupyter nbconvert`), it gives a template: prose with unfilled `{{ name }}` placeholders, both
# languages, every variant of a conditional sentence, and the code. The export fills and chooses
# those. The report comes from `.venv/bin/jjj-report build --years 2019 --lang en` (or
# `make reports`): `reports/2019/report.en.html` and `.pdf`. See README, "The command line".

# %% tags=["parameters"]
year = 2018
lang = "zh"

# %%
from helpers.analyze import campaign_record, national, years
from helpers.clean import processed
from helpers.publish import (
    charts,
    conditions,
    context_charts,
    context_tables,
    context_values,
    named,
    present,
    prose,
    sections,
)

charts.use_style()  # any chart: project font, inline SVG, alt text from its title
data = processed.load()
reference = named.reference_date(data)
view = years.view(data.figures, data.events, data.citations, int(year), reference)
nat = national.for_year(data.figures, int(year))
record = campaign_record.dated_record(data.figures, data.events, data.citations)
items = campaign_record.in_year(record, int(year))
# Every named value of the prose, glued before the title, the first sentence that uses them.
prose.glue(named.year_values(data, view))
prose.glue(context_values.national(nat, data, lang))
prose.glue(context_values.campaign(items, data, int(year), lang))

# %%
# The conditions: a cell tagged `if-<name>` is kept when <name> holds, `unless-<name>` when it
# does not; one tag a cell. All computed in helpers.publish.conditions.year_report.
# The title (exactly one holds):
#   lead_counties_exit       all of Hebei's poor counties exited poverty in the year
#   lead_campaign_end        the campaign ended in the year, with its results
#   lead_national_fall       China's count of social organizations fell for the first time
#   lead_event_counted       the year's most precisely dated event, organizations counted at it
#   lead_event_uncounted     that event, nothing counted at it
#   lead_none_covered        no event; the article's multi-year totals include the year
#   lead_none_after_article  no event, no article figure; the article was published before it
#   lead_none_uncovered      no event, no article figure includes the year (not after the article)
# The main points and the sections:
#   has_events               an event of the year is recorded
#   nat_single_not_lead      nat_single, and the national fall does not lead the title
#   one_key                  the public record's key figures of the year: one
#   two_keys                 … two
#   three_keys               … three
#   one_alone                the article's figures for the year alone: one
#   two_alone                … two
#   three_alone              … three
#   in_campaign              the year lies within the campaign (its dates: helpers.clean.periods)
#   in_campaign_not_lead     in_campaign, and the campaign's end does not lead the title
#   has_covering             an article figure's period includes the year
#   has_public_period        a public-record figure's period falls within the year
#   has_public_published     a public-record figure published in the year counts another period
#   nat_single               one ministry count of China's social organizations at the year's end
#   nat_range                two ministry counts at the year's end, which differ
#   nat_near                 no ministry count at the year's end; the one dated nearest to it
#   nat_missing              no ministry count at or near the year's end
#   nat_components           the ministry's counts of the three legal forms at the year's end
#   nat_changes              each legal form's change from the year before
#   plat_found               the query platform's count for the year
#   plat_range               the query platform's two pages disagree on the year's count
prose.glue(conditions.year_report(data, view))

# %% [markdown] tags=["remove-cell"]
# The title states the year's main finding. Exactly one `lead_…` condition holds (which finding
# leads is chosen by `helpers.analyze.years.lead`): the campaign's milestones, the national
# series' first fall, else the year's most precisely dated event, else an honest "nothing".

# %% [markdown] tags=["lang-zh", "if-lead_counties_exit"]
# # {{ year }}年：河北{{ counties_exited }}全部脱贫摘帽，时值京津冀社会组织助力河北脱贫攻坚行动的{{ camp_ordinal_zh }}年

# %% [markdown] tags=["lang-en", "if-lead_counties_exit"]
# # {{ year }}: all {{ counties_exited }} of Hebei exit poverty, in the {{ camp_ordinal_en }} year of the campaign of Beijing–Tianjin–Hebei social organizations in Hebei's poverty relief

# %% [markdown] tags=["lang-zh", "if-lead_campaign_end"]
# # {{ year }}年：京津冀社会组织助力河北脱贫攻坚行动收官，落地河北的扶贫项目{{ rec.cpt_2020_11_10.projects_landed }}、资金{{ rec.cpt_2020_11_10.funds_yuan }}

# %% [markdown] tags=["lang-en", "if-lead_campaign_end"]
# # {{ year }}: the campaign of Beijing–Tianjin–Hebei social organizations in Hebei's poverty relief ends with {{ rec.cpt_2020_11_10.projects_landed }} and {{ rec.cpt_2020_11_10.funds_yuan }} landed in Hebei

# %% [markdown] tags=["lang-zh", "if-lead_national_fall"]
# # {{ year }}年：全国登记的社会组织首次减少，年底为{{ nat_total }}

# %% [markdown] tags=["lang-en", "if-lead_national_fall"]
# # {{ year }}: for the first time, China ends a year with fewer social organizations: {{ nat_total }}

# %% [markdown] tags=["lang-zh", "if-lead_event_uncounted"]
# # {{ year }}年：{{ lead_event_zh }}

# %% [markdown] tags=["lang-en", "if-lead_event_uncounted"]
# # {{ year }}: {{ lead_event_en }}

# %% [markdown] tags=["lang-zh", "if-lead_event_counted"]
# # {{ year }}年：{{ lead_event_zh }}，{{ lead_figure }}社会组织参与

# %% [markdown] tags=["lang-en", "if-lead_event_counted"]
# # {{ year }}: {{ lead_event_en }}, with {{ lead_figure }} taking part

# %% [markdown] tags=["lang-zh", "if-lead_none_covered"]
# # {{ year }}年：本报告所用来源中没有当年的事件记载；文章的多年合计包含这一年，但无法拆分

# %% [markdown] tags=["lang-en", "if-lead_none_covered"]
# # {{ year }}: no event recorded in the sources used; the article's multi-year totals include the year but cannot be split

# %% [markdown] tags=["lang-zh", "if-lead_none_after_article"]
# # {{ year }}年：本报告所用来源中没有当年的事件记载，文章发表于这一年之前

# %% [markdown] tags=["lang-en", "if-lead_none_after_article"]
# # {{ year }}: no event recorded in the sources used, and the article was published before the year

# %% [markdown] tags=["lang-zh", "if-lead_none_uncovered"]
# # {{ year }}年：本报告所用来源中没有当年的事件记载，文章也没有包含这一年的数字

# %% [markdown] tags=["lang-en", "if-lead_none_uncovered"]
# # {{ year }}: no event recorded in the sources used, and no figure of the article includes the year

# %% [markdown] tags=["lang-zh"]
# ## 主要发现

# %% [markdown] tags=["lang-en"]
# ## Main points

# %% [markdown] tags=["lang-zh", "if-has_events", "description"]
# - {{ year }}年有记载的事：{{ events_zh }}。

# %% [markdown] tags=["lang-en", "if-has_events", "description"]
# - Recorded in {{ year }}: {{ events_en }}.

# %% [markdown] tags=["lang-zh", "unless-has_events", "description"]
# - 本报告所用的文章和公开记录中，{{ year }}年没有记载的事件。

# %% [markdown] tags=["lang-en", "unless-has_events", "description"]
# - Neither the article nor the public record used here records an event in {{ year }}.

# %% [markdown] tags=["lang-zh", "if-lead_counties_exit"]
# - {{ year }}年，河北{{ counties_exited }}全部脱贫摘帽（{{ counties_via }}）。

# %% [markdown] tags=["lang-en", "if-lead_counties_exit"]
# - In {{ year }} all {{ counties_exited }} of Hebei exited poverty ({{ counties_via }}).

# %% [markdown] tags=["lang-zh", "if-lead_national_fall"]
# - {{ year }}年底，全国登记的社会组织为{{ nat_total }}，是首次同比减少（民政部统计）。

# %% [markdown] tags=["lang-en", "if-lead_national_fall"]
# - At the end of {{ year }} China had {{ nat_total }}, the first fall from one year to the next (Ministry of Civil Affairs).

# %% [markdown] tags=["lang-zh", "if-nat_single_not_lead"]
# - 全国背景：{{ year }}年底，全国登记的社会组织为{{ nat_total }}（民政部统计）。

# %% [markdown] tags=["lang-en", "if-nat_single_not_lead"]
# - Nationally, China had {{ nat_total }} at the end of {{ year }} (Ministry of Civil Affairs).

# %% [markdown] tags=["lang-zh", "if-nat_range"]
# - 全国背景：{{ year }}年底的民政部统计在公开记录中有两个数字，区间为{{ nat_span }}。

# %% [markdown] tags=["lang-en", "if-nat_range"]
# - Nationally, the record gives two Ministry of Civil Affairs counts for the end of {{ year }}: {{ nat_span }}.

# %% [markdown] tags=["lang-zh", "if-nat_near"]
# - 全国背景：公开记录没有{{ year }}年底的民政部统计，最近的是{{ nat_near_when }}的{{ nat_near_value }}。

# %% [markdown] tags=["lang-en", "if-nat_near"]
# - Nationally, the record has no Ministry of Civil Affairs count for the end of {{ year }}; the nearest is {{ nat_near_value }}, {{ nat_near_when }}.

# %% [markdown] tags=["lang-zh", "if-one_key"]
# - 公开记录显示：{{ key_1 }}（{{ key_1_what_zh }}，{{ key_1_when_zh }}）。

# %% [markdown] tags=["lang-en", "if-one_key"]
# - The public record gives {{ key_1 }} ({{ key_1_what_en }}, {{ key_1_when_en }}).

# %% [markdown] tags=["lang-zh", "if-two_keys"]
# - 公开记录显示：{{ key_1 }}（{{ key_1_what_zh }}，{{ key_1_when_zh }}），{{ key_2 }}（{{ key_2_what_zh }}，{{ key_2_when_zh }}）。

# %% [markdown] tags=["lang-en", "if-two_keys"]
# - The public record gives {{ key_1 }} ({{ key_1_what_en }}, {{ key_1_when_en }}) and {{ key_2 }} ({{ key_2_what_en }}, {{ key_2_when_en }}).

# %% [markdown] tags=["lang-zh", "if-three_keys"]
# - 公开记录显示：{{ key_1 }}（{{ key_1_what_zh }}，{{ key_1_when_zh }}），{{ key_2 }}（{{ key_2_what_zh }}，{{ key_2_when_zh }}），{{ key_3 }}（{{ key_3_what_zh }}，{{ key_3_when_zh }}）。

# %% [markdown] tags=["lang-en", "if-three_keys"]
# - The public record gives {{ key_1 }} ({{ key_1_what_en }}, {{ key_1_when_en }}), {{ key_2 }} ({{ key_2_what_en }}, {{ key_2_when_en }}) and {{ key_3 }} ({{ key_3_what_en }}, {{ key_3_when_en }}).

# %% [markdown] tags=["lang-zh", "if-one_alone"]
# - 文章中只属于{{ year }}年的数字：{{ alone_1 }}{{ alone_said_zh }}。

# %% [markdown] tags=["lang-en", "if-one_alone"]
# - The article's figure for {{ year }} alone: {{ alone_1 }}{{ alone_said_en }}.

# %% [markdown] tags=["lang-zh", "if-two_alone"]
# - 文章中只属于{{ year }}年的数字：{{ alone_1 }}、{{ alone_2 }}{{ alone_said_zh }}。

# %% [markdown] tags=["lang-en", "if-two_alone"]
# - The article's figures for {{ year }} alone: {{ alone_1 }} and {{ alone_2 }}{{ alone_said_en }}.

# %% [markdown] tags=["lang-zh", "if-three_alone"]
# - 文章中只属于{{ year }}年的数字：{{ alone_1 }}、{{ alone_2 }}、{{ alone_3 }}{{ alone_said_zh }}。

# %% [markdown] tags=["lang-en", "if-three_alone"]
# - The article's figures for {{ year }} alone: {{ alone_1 }}, {{ alone_2 }} and {{ alone_3 }}{{ alone_said_en }}.

# %% [markdown] tags=["lang-zh", "if-in_campaign_not_lead"]
# - {{ year }}年处于京津冀社会组织助力河北脱贫攻坚行动（2017年12月至2020年10月）期间。行动的最终结果是落地{{ rec.cpt_2020_11_10.projects_landed }}、资金{{ rec.cpt_2020_11_10.funds_yuan }}；本报告推断文章的十年总量就是这次行动的总量（见十年报告），不能拆分出{{ year }}年的份额。

# %% [markdown] tags=["lang-en", "if-in_campaign_not_lead"]
# - {{ year }} lies within the campaign of Beijing–Tianjin–Hebei social organizations in Hebei's poverty relief (December 2017 to October 2020), which ended with {{ rec.cpt_2020_11_10.projects_landed }} and {{ rec.cpt_2020_11_10.funds_yuan }}. The article's ten-year totals are, we infer, that campaign's (see the ten-year report), and cannot be split to give {{ year }}'s share.

# %% [markdown] tags=["lang-zh", "if-lead_campaign_end"]
# - 本报告推断文章的十年总量就是这次{{ year }}年收官的行动的总量（见十年报告），不能拆分到各年。

# %% [markdown] tags=["lang-en", "if-lead_campaign_end"]
# - The article's ten-year totals are, we infer, those of this campaign, which ended in {{ year }} (see the ten-year report), and cannot be split by year.

# %% [markdown] tags=["lang-zh"]
# ## 时间线
#
# ### 2014—2025年有记载的事件，突出显示{{ year }}年

# %% [markdown] tags=["lang-en"]
# ## Timeline
#
# ### Recorded events 2014–2025, with {{ year }} highlighted

# %%
sections.timeline(data.events, view, data, lang)

# %% [markdown] tags=["lang-zh", "if-has_events"]
# ## 本年事件

# %% [markdown] tags=["lang-en", "if-has_events"]
# ## Events of the year

# %% tags=["if-has_events"]
sections.events(view, lang)

# %% [markdown] tags=["lang-zh", "if-has_covering"]
# ## 时期包含本年的文章数字
#
# 下表{{ n_covering }}数字的时期都包含{{ year }}年；其中“全期合计”是多年的总数，不是{{ year }}年的数。

# %% [markdown] tags=["lang-en", "if-has_covering"]
# ## The article's figures whose period includes the year
#
# This table lists {{ n_covering }} whose period includes {{ year }}; a "whole-period total" is a total over several years, not {{ year }}'s own.

# %% tags=["if-has_covering"]
sections.covering(view, lang)

# %% [markdown] tags=["lang-zh", "if-has_public_period"]
# ## 本年的公开记录
#
# 时期落在{{ year }}年之内的数字，不论何时发表。

# %% [markdown] tags=["lang-en", "if-has_public_period"]
# ## The public record of the year
#
# Figures whose period falls within {{ year }}, whenever they were published.

# %% tags=["if-has_public_period"]
sections.public_record(view, data, lang, basis="period")

# %% [markdown] tags=["lang-zh", "if-has_public_published"]
# ## {{ year }}年发表、关于其他时期的公开记录
#
# 这些数字发表于{{ year }}年，但说的是往年或跨越多年的时期，不是{{ year }}年本身的数字。

# %% [markdown] tags=["lang-en", "if-has_public_published"]
# ## Published in {{ year }} about other periods
#
# These figures were published in {{ year }} but count an earlier year or a period of several years, not {{ year }} itself.

# %% tags=["if-has_public_published"]
sections.public_record(view, data, lang, basis="published")

# %% [markdown] tags=["lang-zh"]
# ## 全国背景

# %% [markdown] tags=["lang-en"]
# ## National context

# %% [markdown] tags=["lang-zh", "if-nat_single"]
# {{ year }}年底，全国共有登记的社会组织{{ nat_total }}（民政部统计，见{{ nat_via }}）。

# %% [markdown] tags=["lang-en", "if-nat_single"]
# At the end of {{ year }} China had {{ nat_total }} (Ministry of Civil Affairs, via {{ nat_via }}).

# %% [markdown] tags=["lang-zh", "if-nat_range"]
# {{ year }}年底的民政部统计在公开记录中有两个不同的数字：{{ nat_low }}（{{ nat_low_via }}）与{{ nat_high }}（{{ nat_high_via }}）。本报告给出区间{{ nat_span }}，不取其一。

# %% [markdown] tags=["lang-en", "if-nat_range"]
# For the end of {{ year }} the record gives the Ministry of Civil Affairs' count twice, and the two differ: {{ nat_low }} ({{ nat_low_via }}) and {{ nat_high }} ({{ nat_high_via }}). This report shows the range, {{ nat_span }}, and does not pick one.

# %% [markdown] tags=["lang-zh", "if-nat_near"]
# 公开记录中没有{{ year }}年底全国社会组织数量的民政部统计；时间最近的一个是{{ nat_near_when }}的{{ nat_near_value }}（民政部统计，见{{ nat_near_via }}）。

# %% [markdown] tags=["lang-en", "if-nat_near"]
# The record has no Ministry of Civil Affairs count for the end of {{ year }}; the nearest is {{ nat_near_value }}, {{ nat_near_when }} (Ministry of Civil Affairs, via {{ nat_near_via }}).

# %% [markdown] tags=["lang-zh", "if-nat_missing"]
# {{ year }}年底全国社会组织数量的民政部统计：公开记录中未找到。

# %% [markdown] tags=["lang-en", "if-nat_missing"]
# A Ministry of Civil Affairs count of China's registered social organizations for the end of {{ year }}: not found in the record.

# %% [markdown] tags=["lang-zh", "if-nat_components"]
# 按类型，{{ year }}年底全国有社会团体{{ nat_assoc }}、民办非企业单位{{ nat_pneu }}、基金会{{ nat_fdn }}（民政部统计）。

# %% [markdown] tags=["lang-en", "if-nat_components"]
# By legal form, China had at the end of {{ year }} {{ nat_assoc }}, {{ nat_pneu }} and {{ nat_fdn }} (Ministry of Civil Affairs).

# %% [markdown] tags=["lang-zh", "if-nat_changes"]
# 与{{ prev_year }}年底相比：民办非企业单位{{ chg_pneu_dir }}{{ chg_pneu }}，社会团体{{ chg_assoc_dir }}{{ chg_assoc }}，基金会{{ chg_fdn_dir }}{{ chg_fdn }}（均只在民政部统计内计算）。

# %% [markdown] tags=["lang-en", "if-nat_changes"]
# Against the end of {{ prev_year }}: private non-enterprise units {{ chg_pneu_dir }} {{ chg_pneu }}, social associations {{ chg_assoc_dir }} {{ chg_assoc }} and foundations {{ chg_fdn_dir }} {{ chg_fdn }}, each computed within the ministry's series only.

# %% [markdown] tags=["lang-zh", "if-plat_found"]
# 另一套口径——中国社会组织网查询平台（不与民政部统计混用）——记录了全国{{ plat_value }}（{{ plat_when }}；{{ plat_via }}）。

# %% [markdown] tags=["lang-en", "if-plat_found"]
# The China Social Organization portal's query platform — another series, never combined with the ministry's — recorded {{ plat_value }} in China ({{ plat_when }}; {{ plat_via }}).

# %% [markdown] tags=["lang-zh", "if-plat_range"]
# 另一套口径——中国社会组织网查询平台（不与民政部统计混用）——的{{ plat_year }}年全国数量，两个页面的记载不一致：{{ plat_low }}（{{ plat_low_via }}）与{{ plat_high }}（{{ plat_high_via }}）。本报告给出区间{{ plat_span }}，不取其一。

# %% [markdown] tags=["lang-en", "if-plat_range"]
# The China Social Organization portal's query platform — another series, never combined with the ministry's — has two pages that disagree on China's count for {{ plat_year }}: {{ plat_low }} ({{ plat_low_via }}) and {{ plat_high }} ({{ plat_high_via }}). This report shows the range, {{ plat_span }}, and does not pick one.

# %%
context_charts.show_national(
    national.points(data.figures),
    national.changes(data.figures, national.FALL_YEAR),
    int(year),
    lang,
    data,
)

# %% [markdown] tags=["lang-zh", "if-in_campaign"]
# ## 脱贫攻坚行动的时间记录
#
# 2017年12月至2020年10月行动期间有日期的记录，按地区分行；下表列出{{ year }}年的各项。

# %% [markdown] tags=["lang-en", "if-in_campaign"]
# ## The campaign's dated record
#
# What was reported, and when, from the campaign's launch in December 2017 to its results in October 2020, one row per region; the table lists {{ year }}'s items.

# %% tags=["if-in_campaign"]
context_charts.show_campaign(record, int(year), lang, data)
present.show(context_tables.facts(items, lang, data))

# %% [markdown] tags=["lang-zh"]
# ## 关于数据
#
# {{ year }}年的报告读取与十年报告相同的来源——一篇报道2024年4月19日交流会的报纸文章（发布者据推断很可能是《公益时报》，日期未印出）和只用于核对的公开记录，其中{{ n_public }}属于或发表于{{ year }}年；多年合计从不平均拆分到各年，因为原文没有说明它们如何分布。

# %% [markdown] tags=["lang-en"]
# ## About the data
#
# The {{ year }} report reads the same sources as the ten-year report — a newspaper article on the exchange meeting of 2024-04-19 (publisher most likely China Philanthropy Times, not printed; no date printed) and a public record used only to check figures, of which {{ n_public }} belong to or were published in {{ year }}; multi-year totals are never spread evenly over their years, because the text says nothing about how they were spread.

# %% [markdown] tags=["lang-zh"]
# ## 附录：来源

# %% [markdown] tags=["lang-en"]
# ## Appendix: sources

# %%
sections.sources(data, lang, source_ids=years.source_ids(view))
