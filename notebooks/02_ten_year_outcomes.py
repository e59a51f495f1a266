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
# # 02 · The ten-year outcome statistics
#
# Reads `data/processed/` only. Reproduces the article's headline totals and case figures,
# derives the ratios the text supports with their bounds, reconciles the headline totals with
# the public record of the 2017–2020 campaign, and back-tests every value against the print:
# the notebook (and so the build) fails if one differs.

# %% tags=["parameters"]
lang = "zh"

# %%
from helpers.analyze import outcomes
from helpers.publish import sections
from helpers.clean import tables

data = tables.load()
sections.ten_year_intro(data, lang)

# %% [markdown] tags=["remove-cell"]
# The headline totals as printed, with bounds from their qualifiers.

# %%
sections.headline(data.figures, lang)

# %%
sections.cases(data.figures, lang)

# %%
sections.ratios(outcomes.ratios(data.figures), lang)

# %% [markdown] tags=["remove-cell"]
# The headline totals against the campaign's public figures (5367 projects, 2020).

# %%
sections.reconciliation(data, lang)

# %% [markdown] tags=["remove-cell"]
# Back-test: every reproduced value equals the value printed in the article.

# %%
backtest = outcomes.backtest(data.figures, data.article_text)
outcomes.assert_backtest(backtest)
sections.backtest(backtest, lang)

# %%
sections.sources(data, lang)
