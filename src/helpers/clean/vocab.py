"""The closed vocabularies of the processed tables (helpers.clean.schema) and of the YAML inputs
(helpers.clean.models, helpers.clean.reflow): one place, no heavy imports."""

QUALIFIERS = ("exact", "more_than", "about", "nearly", "over", "at_least", "range")
PERIOD_TYPES = ("total", "as_of", "annual", "point")
CATEGORIES = ("headline", "case_study", "public_record")
# One region vocabulary for every source, so figures of different sources can be compared.
REGIONS = (
    "Beijing-Tianjin-Hebei",
    "Beijing",
    "Tianjin",
    "Hebei",
    "Xiong'an",
    "Beijing+Xiong'an",
    "national",
)
# The two national series of registered social organizations (helpers.clean.record_models):
# the Ministry of Civil Affairs' bulletins and the query platform's counts, never mixed.
SERIES = ("ministry", "platform")
# The roles of a newspaper page's blocks (helpers.clean.reflow; a layout map names them).
ROLES = (
    "headline",
    "subheadline",
    "byline",
    "lead_quote",
    "lead",
    "section_heading",
    "paragraph",
    "caption",
)
# The language a public-record page prints its figures' expressions in.
EXPR_LANGS = ("zh", "en")
