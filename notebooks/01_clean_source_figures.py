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
# # 01 · Clean a source's figures
#
# Raw → `data/processed/`. The source's sha256 is checked first; a full-text article is
# reflowed into reading order, every numeric mention is extracted, and the hand-written
# codebook (`data/raw/figures.yml`) is checked against the text: each quote verbatim, each
# value equal to the parsed quote, every candidate statistic either coded or excluded with a
# reason. A citation-only source is validated against the same figure schema.
# The combined tables (`figures.csv`, `events.csv`, `citations.csv`) are rebuilt by the
# build's own `combine` step, once every source is clean: a failing source leaves them as they were.

# %% tags=["parameters"]
source_id = "cpt-2024-04-jjj-ten-years"

# %%
from helpers.clean import processed
from helpers.publish import sections

result = processed.clean_source(source_id)

# %% [markdown] tags=["remove-cell"]
# What was cleaned: the reflowed article (for a full text), the figures, and the coverage
# of the codebook over the extracted candidates.

# %%
sections.cleaned(source_id, result)
