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
# # 02 · The ten-year report
#
# Reads `data/processed/` only. The story is in the markdown cells below, one per language
# (`lang-zh`, `lang-en`); numbers are named values (`{{ fig.… }}`) glued in the next cell and
# filled in at export with their qualifier and a note giving the quote and the source.
# Names: `fig.<figure_id>` (the article), `rec.<source>.<measure>` (the public record),
# `ratio.<id>`; see docs/editing-a-notebook.md. The back-test fails the build on any
# difference from the print.
#
# **This notebook is not the report.** Run as is (`papermill … -p lang en`, then
# `jupyter nbconvert`), it gives a template: prose with unfilled `{{ name }}` placeholders, both
# languages, every variant of a conditional sentence, and the code. The export fills and chooses
# those. The report comes from `.venv/bin/jjj-report build --lang en` (or
# `make reports`): `reports/ten-year/report.en.html` and `.pdf`. See README, "The command line".

# %% tags=["parameters"]
lang = "zh"

# %%
from helpers.analyze import outcomes
from helpers.clean import processed
from helpers.publish import charts, conditions, named, prose, sections

charts.use_style()  # any chart: project font, inline SVG, alt text from its title
data = processed.load()
reference = named.reference_date(data)
backtest = outcomes.backtest(data.figures, data.article_text)
outcomes.assert_backtest(backtest)
values = named.ten_year_values(data)
prose.glue(values)

# %%
# The conditions (helpers.publish.conditions.ten_year): a cell tagged `if-<name>` is kept when
# <name> holds, `unless-<name>` when it does not.
#   consistent       every consistency rule holds (helpers.analyze.consistency.check_all)
#   has_conflicts    two sources give one measure, region, series and period differently
prose.glue(conditions.ten_year(data))

# %% [markdown] tags=["lang-zh"]
# # 京津冀社会组织十年：文章的总量与2017—2020年京津冀社会组织助力河北脱贫攻坚行动的结果相符（本报告的推断）
#
# 一篇报道2024年4月19日十年成果交流会的报纸文章（署名皮磊）所列数字的复现与核对

# %% [markdown] tags=["lang-en"]
# # Ten years of social organizations in Beijing–Tianjin–Hebei: the headline totals match the 2017–2020 campaign of social organizations in Hebei's poverty relief (our inference)
#
# The figures of a newspaper article on the ten-year exchange meeting of 2024-04-19 (byline Pi Lei, “皮磊”), reproduced and checked

# %% [markdown] tags=["lang-zh"]
# ## 主要发现

# %% [markdown] tags=["lang-en"]
# ## Main points

# %% [markdown] tags=["lang-zh", "description"]
# - 据文章报道，2024年4月19日的交流会上透露：十年来{{ fig.jjj_orgs_in_hebei_poverty_relief }}全国性及京津冀社会组织在河北省落地帮扶项目{{ fig.jjj_projects_in_hebei_poverty_relief }}，涉及资金{{ fig.jjj_funds_in_hebei_poverty_relief }}，受益{{ fig.jjj_beneficiaries_in_hebei_poverty_relief }}。

# %% [markdown] tags=["lang-en", "description"]
# - At the exchange meeting of 2024-04-19, the article reports (“会上透露了上述数据”, the meeting disclosed these data), it was said that over ten years {{ fig.jjj_orgs_in_hebei_poverty_relief }} (national and Beijing–Tianjin–Hebei social organizations) landed {{ fig.jjj_projects_in_hebei_poverty_relief }} of aid in Hebei province, with {{ fig.jjj_funds_in_hebei_poverty_relief }}, reaching {{ fig.jjj_beneficiaries_in_hebei_poverty_relief }}.

# %% [markdown] tags=["lang-zh"]
# - 本报告推断，这些总量就是2017年12月至2020年10月京津冀社会组织助力河北脱贫攻坚行动的总量：该行动2020年公布的结果是{{ rec.cpt_2020_11_10.projects_landed }}、资金{{ rec.cpt_2020_11_10.funds_yuan }}，与文章的数字相同或落在其区间内。
# - 文章没有给出这些总量的时期，也没有按年拆分，因此无法知道任何一年的份额。
# - 其余数字是各组织自己的成果，例如据北京慈弘慈善基金会理事长赵静介绍，该基金会的项目捐助了{{ fig.cihong_schools }}中小学，建设了{{ fig.cihong_book_corners }}班级图书角。

# %% [markdown] tags=["lang-en"]
# - We infer that these totals are those of the campaign of Beijing–Tianjin–Hebei social organizations in Hebei's poverty relief, December 2017 to October 2020: its results, published in 2020, were {{ rec.cpt_2020_11_10.projects_landed }} and {{ rec.cpt_2020_11_10.funds_yuan }}, equal to the article's figures or inside their bounds.
# - The article gives no period for these totals and does not split them by year, so no single year's share can be known.
# - Its other figures are organizations' own results: according to Zhao Jing, chair of the Beijing Cihong Charity Foundation, for instance, its project gave to {{ fig.cihong_schools }} and built {{ fig.cihong_book_corners }}.

# %% [markdown] tags=["lang-zh"]
# ## 十年总量：原文怎么说
#
# 文章开头的引语给出三地民政部门在{{ fig.jjj_cooperation_fields }}领域签署专项合作协议，以及上面的帮扶总量，覆盖河北省{{ fig.jjj_counties_in_hebei_poverty_relief }}扶贫开发重点县；导语说明这些数据是交流会上透露的（“会上透露了上述数据”）。引语本身没有写明时期。

# %% [markdown] tags=["lang-en"]
# ## The ten-year totals as printed
#
# The pull quote opening the article gives agreements signed by the three civil-affairs departments in {{ fig.jjj_cooperation_fields }} of cooperation, and the aid totals above, covering {{ fig.jjj_counties_in_hebei_poverty_relief }}; the lead says the meeting disclosed these data (“会上透露了上述数据”). The pull quote itself prints no period.

# %%
sections.headline_table(data.figures, "ten_year", lang, reference)

# %% [markdown] tags=["lang-zh"]
# ## 这些总量是2017—2020年行动的总量（本报告的推断）
#
# 2020年11月10日《公益时报》报道，京津冀社会组织助力河北脱贫攻坚行动自2017年12月启动，到2020年10月共有{{ rec.cpt_2020_11_10.orgs_participating }}社会组织参与，落地{{ rec.cpt_2020_11_10.projects_landed }}，资金{{ rec.cpt_2020_11_10.funds_yuan }}，覆盖{{ rec.cpt_2020_11_10.counties_covered }}扶贫开发重点县，受益{{ rec.cpt_2020_11_10.beneficiaries_person_times }}。文章的“{{ fig.jjj_projects_in_hebei_poverty_relief }}”包含行动的项目数，其余四个数字与行动的数字相同。2022年8月4日一个报道三地民政部门第六次联席会议的新闻网页再次给出同样的项目数与资金。由此推断，文章的“十年”总量就是这次行动的总量；文章本身没有这样说。

# %% [markdown] tags=["lang-en"]
# ## These totals are the 2017–2020 campaign's (our inference)
#
# On 2020-11-10 China Philanthropy Times reported that the campaign of Beijing–Tianjin–Hebei social organizations in Hebei's poverty relief, launched in December 2017, had by October 2020 drawn {{ rec.cpt_2020_11_10.orgs_participating }}, landed {{ rec.cpt_2020_11_10.projects_landed }} with {{ rec.cpt_2020_11_10.funds_yuan }}, covering {{ rec.cpt_2020_11_10.counties_covered }} and reaching {{ rec.cpt_2020_11_10.beneficiaries_person_times }}. The article's {{ fig.jjj_projects_in_hebei_poverty_relief }} contains the campaign's count of projects; its four other totals equal the campaign's. A news page of 2022-08-04 on the three civil-affairs departments' sixth joint meeting restates the same projects and funds. We infer that the article's "ten-year" totals are this campaign's; the article does not say so itself.

# %% [markdown] tags=["lang-zh"]
# ### 行动的项目数和资金逐次累积，终值与文章的总量一致

# %% [markdown] tags=["lang-en"]
# ### The campaign's projects and funds grew report by report to the article's totals

# %%
sections.campaign_chart(data, lang)

# %% [markdown] tags=["lang-zh"]
# ### 行动的时间记录：各地区逐次报告的内容

# %% [markdown] tags=["lang-en"]
# ### The campaign's dated record: what each region reported, and when

# %%
from helpers.analyze import campaign_record
from helpers.publish import context_charts

context_charts.show_campaign(
    campaign_record.dated_record(data.figures, data.events, data.citations), None, lang, data
)

# %% [markdown] tags=["lang-zh"]
# ## 近几年和2024年的数字
#
# 文章另有几个只覆盖近几年的数字，例如引语中同样由交流会上透露的三地{{ fig.jjj_foundations_active_3y }}基金会“近三年”在京津冀开展慈善活动。“近三年”在2024年4月的文章里有两种读法：2021年至2023年三个完整年份，或计入2024年的2022年至2024年4月；下表两种都列出。2024年的数字来自交流会本身，据了解（文中未注明说明者），{{ fig.jjj_orgs_planning_projects_2024 }}社会组织谋划了{{ fig.jjj_project_intentions_2024 }}项目意向，会上现场签约{{ fig.jjj_projects_signed_2024_04_19 }}项目。

# %% [markdown] tags=["lang-en"]
# ## Recent years and 2024
#
# A few figures cover only recent years: the pull quote, also disclosed at the meeting (“会上透露了上述数据”), says {{ fig.jjj_foundations_active_3y }} of the three regions carried out charity in Beijing–Tianjin–Hebei "in the last three years" (“近三年”). In an article of April 2024 that phrase reads two ways: the three full years 2021–2023, or 2022 to April 2024 counting the current year; the table gives both. The 2024 figures come from the meeting itself; as is understood (“据了解”, no speaker named), {{ fig.jjj_orgs_planning_projects_2024 }} were planning {{ fig.jjj_project_intentions_2024 }}, and {{ fig.jjj_projects_signed_2024_04_19 }} were signed on site.

# %%
sections.headline_table(data.figures, "recent", lang, reference)
sections.headline_table(data.figures, "meeting", lang, reference)

# %% [markdown] tags=["lang-zh"]
# ## 组织案例
#
# 文章用几个组织的成果说明总量背后的工作。据北京慈弘慈善基金会理事长赵静介绍，该基金会截至目前捐助{{ fig.cihong_schools }}中小学，建设{{ fig.cihong_book_corners }}班级图书角，直接受益学生{{ fig.cihong_students }}，投入公益资金{{ fig.cihong_funds }}。泰康溢彩公益基金会截至2023年年底在全国{{ fig.taikang_provinces_covered }}省市自治区资助{{ fig.taikang_elder_care_institutions }}养老机构，惠及{{ fig.taikang_elders_benefiting }}老人，其中在京津冀累计支持{{ fig.taikang_elder_care_institutions_jjj }}养老机构。据介绍，天津市山东商会副会长单位中辉（天津）能源科技集团有限公司自2018年至今在河北省承德市兴隆县累计投资{{ fig.zhonghui_investment_xinglong }}。据记者了解，京津冀目前有{{ fig.jjj_tech_orgs }}科技类社会组织。河北省民政厅副厅长张晓妍谈道，{{ fig.xiongan_national_orgs_settled }}国字头社会组织落户雄安新区。

# %% [markdown] tags=["lang-en"]
# ## Organization cases
#
# The article illustrates the totals with a few organizations' own results. According to Zhao Jing, chair of the Beijing Cihong Charity Foundation, the foundation has so far given to {{ fig.cihong_schools }}, built {{ fig.cihong_book_corners }} and invested {{ fig.cihong_funds }}, with {{ fig.cihong_students }} benefiting directly. The Taikang Yicai Public Welfare Foundation had funded {{ fig.taikang_elder_care_institutions }} across China ({{ fig.taikang_provinces_covered }}) by the end of 2023, benefiting {{ fig.taikang_elders_benefiting }}; of these, {{ fig.taikang_elder_care_institutions_jjj }} are in Beijing–Tianjin–Hebei. As was explained (“据介绍”, no speaker named), a member company of the Shandong Chamber of Commerce in Tianjin, Zhonghui (Tianjin) Energy Technology Group, has invested {{ fig.zhonghui_investment_xinglong }} in Xinglong County, Chengde, Hebei since 2018. As the reporter learned, Beijing–Tianjin–Hebei now has {{ fig.jjj_tech_orgs }} working in science and technology. Zhang Xiaoyan, deputy director of Hebei's civil-affairs department, said that {{ fig.xiongan_national_orgs_settled }} of national standing had settled in Xiong'an.

# %%
sections.cases(data.figures, lang, reference)

# %% [markdown] tags=["lang-zh"]
# ## 关于数据
#
# **来源。** 唯一的全文来源是一版报纸文章《十年来社会组织助力京津冀协同发展成效显著》，署名“本报记者皮磊”。版面没有印出报纸名称和日期：发布者据署名和版式推断，很可能是《公益时报》；文章报道的是2024年4月19日的会议，因此发表于此后。公开记录（其他报道和政府网页）只用于核对，本报告只引用其数字和链接。
#
# **提取。** 文字从报纸PDF版面提取后重新排版；每个数字都按原文逐字记录在编码簿中，其数值、限定词和时期由程序从原文重新解析核对。
#
# **限定词。** “多”“余”表示不少于该数、且不到末位数字的下一档（如{{ fig.jjj_orgs_in_hebei_poverty_relief }}指不少于该数、不到下一个百），“约”表示近似值，“近”表示不超过该数，“超”表示多于该数。比率按两端区间计算，只保留输入数字支持的有效位数。
#
# **未知之处。** 文章没有给出十年总量的时期和逐年分布；“近三年”“近两年”有两种读法；发布者和日期未印出。

# %% [markdown] tags=["lang-en"]
# ## About the data
#
# **Source.** The only full text is one newspaper page, "十年来社会组织助力京津冀协同发展成效显著" (Ten years on: social organizations' marked results in the Beijing–Tianjin–Hebei coordinated development), byline "our reporter Pi Lei". The page prints neither the paper's name nor a date: the publisher is most likely China Philanthropy Times (from the byline and house style), and the article appeared after the meeting of 2024-04-19 that it reports. The public record (other reports and government pages) is used only to check figures; this report cites its figures and links, nothing more.
#
# **Extraction.** The text was extracted from the newspaper's PDF page and reflowed; every figure is recorded verbatim in a codebook, and its value, qualifier and period are parsed again from the text and checked.
#
# **Qualifiers.** “多” and “余” (“more than”) mean at least the number and less than the next step of its last digit (so {{ fig.jjj_orgs_in_hebei_poverty_relief }} means at least that many, short of the next hundred); “约” means about; “近” (“nearly”) means at most; “超” means over. Ratios are computed on both ends of these bounds and keep only the digits their terms support.
#
# **Not known.** The period and the year-by-year spread of the ten-year totals; which of two readings “近三年” and “近两年” (“the last three / two years”) mean; the publisher and the date, which are not printed.

# %% [markdown] tags=["lang-zh"]
# ## 附录
#
# ### A. 文章的全部数字

# %% [markdown] tags=["lang-en"]
# ## Appendix
#
# ### A. Every figure of the article

# %%
sections.full_figure_table(data.figures, lang, reference)

# %% [markdown] tags=["lang-zh"]
# ### B. 由原文推得的比率
#
# 每个比率按分子、分母的区间两端计算；输入为近似值时结果也是近似值。

# %% [markdown] tags=["lang-en"]
# ### B. Ratios the text supports
#
# Each ratio is computed on both ends of its terms' bounds; an approximate term makes an approximate ratio.

# %%
sections.ratios(outcomes.ratios(data.figures), values, lang)

# %% [markdown] tags=["lang-zh"]
# ### C. 与公开记录的核对明细

# %% [markdown] tags=["lang-en"]
# ### C. Reconciliation with the public record, in detail

# %%
sections.reconciliation(data, lang)

# %% [markdown] tags=["lang-zh", "if-consistent"]
# 一致性规则（分项不超过总量、年度数不超过行动总量、累计数不减少、文章区间包含行动总量）全部成立。

# %% [markdown] tags=["lang-en", "if-consistent"]
# All consistency rules hold: sub-totals within totals, annual figures within the campaign's, cumulative figures never decreasing, the article's bounds containing the campaign's totals.

# %% [markdown] tags=["lang-zh", "unless-consistent"]
# 以下一致性规则未成立：

# %% [markdown] tags=["lang-en", "unless-consistent"]
# These consistency rules do not hold:

# %%
sections.consistency(data, lang)

# %% [markdown] tags=["lang-zh", "if-has_conflicts"]
# 以下数字在不同来源之间不同：

# %% [markdown] tags=["lang-en", "if-has_conflicts"]
# Where sources give the same measure differently:

# %% tags=["if-has_conflicts"]
sections.conflicts(data, lang)

# %% [markdown] tags=["lang-zh"]
# ### D. 回测：复现值与原文印刷值

# %% [markdown] tags=["lang-en"]
# ### D. Back-test: reproduced values against the print

# %%
sections.backtest(backtest, lang)

# %% [markdown] tags=["lang-zh"]
# ### E. 来源

# %% [markdown] tags=["lang-en"]
# ### E. Sources

# %%
sections.sources(data, lang)
