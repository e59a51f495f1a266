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
# Reads `data/processed/` only. For one year: the events dated in it, the article's figures
# whose period contains it (whole-period totals are marked as such and never split across
# years), cumulative figures as of it, the public record of the year, and what is not known.

# %% tags=["parameters"]
year = 2018
lang = "zh"

# %%
from helpers.publish import sections
from helpers.clean import tables
from helpers.analyze import years

data = tables.load()
view = years.view(data.figures, data.events, data.citations, int(year))
sections.year_intro(view, lang)

# %%
sections.timeline(data.events, view, lang)

# %%
sections.events(view.events, lang)

# %%
sections.covering(view.covering, lang)

# %%
sections.public_record(view.public_record, lang)
sections.campaign_note(data, view, lang)

# %%
sections.coverage(view, lang)

# %%
sections.sources(data, lang, source_ids=years.source_ids(view))
