"""Which quantity each figure of the public record counts: (entry id, expr) → (measure, region).

A measure id names WHAT is counted, shared across sources: a figure that is the same quantity as
a seed headline figure shares its measure id, so the two can be reconciled. A figure missing here
is refused, never guessed.
"""

from __future__ import annotations

# (entry id, expr) → (measure, region). Figures that are the same quantity as a seed headline
# figure share its measure id. Regions: where the campaign's projects landed (Hebei), where
# projects came from (Beijing/Tianjin/Hebei), or the three regions together
# (Beijing-Tianjin-Hebei) when the
# page gives no narrower scope. A figure missing here is refused, never guessed.
MEASURES: dict[tuple[str, str], tuple[str, str | None]] = {
    ("bjyouth-2024-04-19", "144家社会组织"): (
        "orgs_planning_projects_2024",
        "Beijing-Tianjin-Hebei",
    ),
    ("bjyouth-2024-04-19", "项目意向184个"): ("project_intentions_2024", "Beijing-Tianjin-Hebei"),
    ("bjyouth-2024-04-19", "9个项目"): ("projects_signed_on_site", "Beijing-Tianjin-Hebei"),
    ("cpt-2020-11-10", "6300多家"): ("orgs_participating", "Hebei"),
    ("cpt-2020-11-10", "扶贫项目5367个"): ("projects_landed", "Hebei"),
    ("cpt-2020-11-10", "约21.88亿元"): ("funds_yuan", "Hebei"),
    ("cpt-2020-11-10", "62个扶贫开发重点县"): ("counties_covered", "Hebei"),
    ("cpt-2020-11-10", "280多万人次"): ("beneficiaries_person_times", "Hebei"),
    ("hebei-2018-08-23", "扶贫项目403个"): ("projects_landed", "Hebei"),
    ("hebei-2018-08-23", "42个贫困县"): ("counties_covered", "Hebei"),
    ("hebei-2018-08-23", "8个设区市"): ("cities_covered", "Hebei"),
    ("hebei-2018-08-23", "4.46亿元以上"): ("funds_yuan", "Hebei"),
    ("hebei-2018-08-23", "北京市…75个"): ("projects_from_beijing", "Beijing"),
    ("hebei-2018-08-23", "约1.13亿元"): ("funds_from_beijing_yuan", "Beijing"),
    ("hebei-2018-08-23", "天津市35个项目"): ("projects_from_tianjin", "Tianjin"),
    ("hebei-2018-08-23", "900余万元"): ("funds_from_tianjin_yuan", "Tianjin"),
    ("hebei-2018-08-23", "我省…275个"): ("projects_from_hebei", "Hebei"),
    ("hebei-2018-08-23", "约2.75亿元"): ("funds_from_hebei_yuan", "Hebei"),
    ("hebei-2018-08-23", "100余家社会组织"): ("matchmaking_signing_orgs", "Hebei"),
    ("hebei-2019-annual", "3150家社会组织"): ("orgs_participating", "Hebei"),
    ("hebei-2019-annual", "扶贫项目2393个"): ("projects_landed", "Hebei"),
    ("hebei-2019-annual", "5.73亿元"): ("funds_yuan", "Hebei"),
    ("civil-affairs-2022-08-04", "近7000名"): ("elders_in_hebei_care", "Hebei"),
    ("civil-affairs-2022-08-04", "30余份专项合作协议"): (
        "cooperation_agreements",
        "Beijing-Tianjin-Hebei",
    ),
    ("civil-affairs-2022-08-04", "40余场次"): ("exchange_events", "Beijing-Tianjin-Hebei"),
    ("civil-affairs-2022-08-04", "扶贫项目5367个"): ("projects_landed", "Hebei"),
    ("civil-affairs-2022-08-04", "21.88亿元"): ("funds_yuan", "Hebei"),
    ("civil-affairs-2022-08-04", "280余万人次"): ("beneficiaries_person_times", "Hebei"),
    ("xinhua-2015-11-06", "10个方面"): ("cooperation_areas_framework", "Beijing-Tianjin-Hebei"),
    ("cpt-2016-09-20", "150家慈善组织"): ("charity_fair_orgs", "Beijing-Tianjin-Hebei"),
    ("cpt-2016-09-20", "超过3.2万家"): ("beijing_registered_orgs", "Beijing"),
    ("chinanpo-2025-12-30", "16条意见"): ("policy_articles", "Beijing-Tianjin-Hebei"),
    ("chinanpo-2025-12-30", "34家社会组织"): ("xiongan_visit_orgs", "Beijing-Tianjin-Hebei"),
    ("chinanpo-2025-12-30", "16家社会组织"): ("xiongan_project_orgs", "Beijing-Tianjin-Hebei"),
    # Added 2026-11-27. National totals (series on the page: ministry or platform); the
    # region is the file's own `region:`, so the map gives None.
    ("cpt-2019-07-16", "全国共有社会组织81.6万个"): ("social_orgs", None),
    ("cpt-2019-07-16", "2017年的76.2万个"): ("social_orgs", None),
    ("chinanpo-2020-11-02", "全国社会组织总量为86.63万个"): ("social_orgs", None),
    ("chinanpo-2020-11-02", "2018年的81.74万个"): ("social_orgs", None),
    ("pishu-2023-11", "我国共有89.13万个社会组织"): ("social_orgs", None),
    ("pishu-2023-11", "社会团体有37.01万个"): ("social_associations", None),
    ("pishu-2023-11", "2021年的37.11万个"): ("social_associations", None),
    ("pishu-2023-11", "民办非企业单位有51.19万个"): ("private_non_enterprise_units", None),
    ("pishu-2023-11", "2021年的52.19万个"): ("private_non_enterprise_units", None),
    ("pishu-2023-11", "基金会共9319个"): ("foundations", None),
    ("pishu-2023-11", "2021年的8877个"): ("foundations", None),
    ("pishu-2023-11", "北京市社会团体数量为4346个"): ("social_associations", None),
    ("cpt-2018-02-13", "平台收录的社会组织已达80.5190万个"): ("social_orgs", None),
    ("cpt-2018-02-13", "河北(3.2483万)"): ("social_orgs", None),
    ("cpt-2021-01-22", "全国社会组织累计登记数量达到900914家"): ("social_orgs", None),
    ("cpt-2021-01-22", "2019年超过84万家"): ("social_orgs", None),
    ("cpt-2021-01-22", "2020年超过89万家"): ("social_orgs", None),
    ("cpt-2021-01-22", "超过3万家的只有12个省份"): ("provinces_over_30000_orgs", None),
    # The campaign's dated record: the last projects, the county exits, Tianjin in Chengde.
    ("cri-2020-05-30", "需要帮扶的扶贫项目313个"): ("projects_needing_partner", None),
    ("cri-2020-05-30", "6554户9096人"): ("people_poor_unable_to_work", None),
    ("cri-2020-05-30", "62个贫困县已经全部脱贫摘帽"): ("poor_counties_exited", None),
    ("cri-2020-05-30", "7746个建档立卡贫困村全部出列"): ("poor_villages_exited", None),
    ("cswm-2019-08-14", "16家社会组织成为该平台的首批成员单位"): ("relief_platform_members", None),
    ("cswm-2019-08-14", "天津市52家社会组织认领了承德市35个帮扶项目"): ("orgs_claiming", None),
    ("cswm-2019-08-14", "承德市35个帮扶项目"): ("projects_claimed", None),
    ("cswm-2019-08-14", "资金总额900余万元"): ("funds_claimed_yuan", None),
    ("cswm-2019-08-14", "现已认领项目80个"): ("projects_claimed", None),
    ("cswm-2019-08-14", "帮扶资金约230万元"): ("funds_claimed_yuan", None),
    # Added 2026-12-04: the platform's own year counts (two pages that disagree), the ministry
    # series before 2017 and after 2022, with components.
    **{
        (sid, expr): ("social_orgs", None)
        for sid, exprs in (
            (
                "cpt-2018-02-13",
                (
                    "2012年突破41万个",
                    "2014年突破56万个",
                    "2015年突破63万个",
                    "2016年突破72万个",
                    "2017年突破80万个",
                ),
            ),
            (
                "cpt-2021-01-22",
                (
                    "2012年我国社会组织总量只有32万家",
                    "2013年达到39万家",
                    "2014年超过46万家",
                    "2015年超过53万家",
                    "2016年达到61万家",
                    "2017年达到69万家",
                    "2018年超过76万家",
                ),
            ),
        )
        for expr in exprs
    },  # fmt: skip
    ("people-2013-06-19", "全国共有社会组织49.9万个"): ("social_orgs", None),
    ("people-2013-06-19", "全国共有社会团体27.1万个"): ("social_associations", None),
    ("people-2013-06-19", "全国共有基金会3029个"): ("foundations", None),
    ("people-2013-06-19", "全国共有民办非企业单位22.5万个"): ("private_non_enterprise_units", None),
    ("govcn-2017-08-03", "about 702,000 social organizations as of the end of 2016"): (
        "social_orgs",
        None,
    ),
    ("govcn-2017-08-03", "336,000 social groups and associations"): ("social_associations", None),
    ("govcn-2017-08-03", "5,559 foundations"): ("foundations", None),
    ("govcn-2017-08-03", "361,000 private non-enterprise organizations"): (
        "private_non_enterprise_units",
        None,
    ),
    ("china-com-2017-08-04", "全国共有民办非企业单位36.1万个"): (
        "private_non_enterprise_units",
        None,
    ),
    ("ucass-2022-11", "全国社会团体总量为371110个"): ("social_associations", None),
    ("ucass-2022-11", "2020年的374771个"): ("social_associations", None),
    ("cctv-2025-10-10", "全国登记注册的社会组织数量达到86.5万个"): ("social_orgs", None),
}
