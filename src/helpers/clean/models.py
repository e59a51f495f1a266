"""Hand-written YAML inputs as pydantic models, and the one error format for them.

Every problem is one line naming the file, the entry and the field, worded as the public
record's (clean/record_models.py): ``data/raw/sources.yml: source 'x': missing field 'file'``,
``data/raw/figures.yml: figure orgs: field 'region'='PRC' not in national, Beijing, …``.
"""

from __future__ import annotations

import ast
import re
from typing import Annotated, Literal

from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Field,
    StrictBool,
    StrictFloat,
    StrictInt,
    StrictStr,
    StringConstraints,
    ValidationError,
)

from helpers.clean import vocab
from helpers.errors import JJJError

Text = Annotated[StrictStr, StringConstraints(strip_whitespace=True, min_length=1)]
# A source id names folders (data/processed/sources/<id>/) and task ids: a slug, so it can
# never be absolute, climb with `..` or carry a separator.
Slug = Annotated[StrictStr, StringConstraints(pattern=r"^[a-z0-9][a-z0-9-]*$")]
Sha256 = Annotated[StrictStr, StringConstraints(pattern=r"^[0-9a-f]{64}$")]
# What a failed pattern means, in words.
PATTERNS = {
    r"^[a-z0-9][a-z0-9-]*$": "must be a slug (lower-case letters, digits and '-')",
    r"^[0-9a-f]{64}$": "must be 64 lower-case hex digits (a sha256)",
}


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


def problem(err: dict, at: str) -> str:
    """One pydantic error as one line: `at` names the file and the entry."""
    field = ".".join(str(p) for p in err["loc"])
    kind, given = err["type"], err.get("input")
    if not field:
        return f"{at}: must be a mapping"
    if kind == "missing" or (kind == "string_too_short" and not str(given).strip()):
        return f"{at}: missing field {field!r}"
    if kind == "extra_forbidden":
        return f"{at}: unknown field {field!r}"
    if kind == "literal_error":
        # pydantic lists them as reprs: 'a', 'b' or "Xiong'an"
        allowed = ast.literal_eval("[" + err["ctx"]["expected"].replace("' or ", "', ")
                                   .replace('" or ', '", ') + "]")  # fmt: skip
        return f"{at}: field {field!r}={given!r} not in {', '.join(allowed)}"
    if kind == "string_pattern_mismatch":
        return f"{at}: field {field!r}={given!r} {PATTERNS.get(err['ctx']['pattern'], kind)}"
    return f"{at}: field {field!r}={given!r}: {err['msg'].removeprefix('Value error, ')}"


def validate(model: type[BaseModel], raw, at: str):
    """`raw` as `model`, or a JJJError naming `at` (file and entry) and the field."""
    try:
        return model.model_validate(raw)
    except ValidationError as e:
        raise JJJError(problem(e.errors()[0], at)) from None


def problems(model: type[BaseModel], raw, at: str) -> list[str]:
    """Every field problem of `raw` as `model`, one line each (the codebook lists them all)."""
    try:
        model.model_validate(raw)
    except ValidationError as e:
        return [problem(err, at) for err in e.errors()]
    return []


# ---------------------------------------------------------------- data/raw/sources.yml


class Translation(Strict):
    """A raw file of our Chinese renderings of a source's English glosses, sha256-pinned."""

    file: Text
    sha256: Sha256


class SourceEntry(BaseModel):
    """One source of the manifest. Descriptive keys (titles, publisher, notes) are free."""

    model_config = ConfigDict(extra="allow", frozen=True)

    id: Slug
    kind: Literal["full_text", "citation_only"] = "full_text"
    file: Text
    sha256: Sha256
    codebook: Text | None = None  # the hand-read statistics (data/raw/figures.yml)
    layout: Text | None = None  # the layout map (data/raw/layout/<id>.yml)
    translation: Translation | None = None  # zh texts of the record (data/raw/record-zh.yml)


# ---------------------------------------------------------------- data/raw/layout/<id>.yml

Role = Literal[vocab.ROLES]  # type: ignore[valid-type]


class LayoutBlock(Strict):
    starts: Text  # the start of the reflowed paragraph, matching exactly one
    role: Role
    section: Text | None = None  # a caption's section heading (placed at that section's end)


class LayoutMap(Strict):
    source_id: Slug
    blocks: list[LayoutBlock] = []


# ---------------------------------------------------------------- data/raw/figures.yml


def _filled(value: str) -> str:
    """Refuse the draft codebook's placeholders (`TODO`, `todo_…`): a reader must write them."""
    if re.search(r"\bTODO\b|^todo_", value):
        raise ValueError("still a placeholder of the draft codebook; write what it is")
    return value


# A codebook's words: a draft's `TODO` left in would reach the reports.
Filled = Annotated[Text, AfterValidator(_filled)]
Qualifier = Literal[vocab.QUALIFIERS]  # type: ignore[valid-type]
PeriodType = Literal[vocab.PERIOD_TYPES]  # type: ignore[valid-type]
Category = Literal[vocab.CATEGORIES]  # type: ignore[valid-type]
Region = Literal[vocab.REGIONS]  # type: ignore[valid-type]
Opt = StrictStr | None  # optional text: empty or absent means "not known"


class CodebookFigure(Strict):
    """One hand-read statistic: where it is printed, what it counts, when and where."""

    id: Filled
    quote: Text  # as printed, verbatim in the reflowed text
    context: Opt = None  # a unique longer passage holding the quote, when the quote repeats
    value: Annotated[StrictInt | StrictFloat, Field(ge=0)]
    qualifier: Qualifier
    unit: Filled
    unit_zh: Filled
    subject_zh: Filled
    subject_en: Filled
    measure: Filled
    region: Region
    period_start: Opt = None
    period_end: Opt = None
    period_text: Opt = None
    period_ambiguous: StrictBool = False
    period_type: PeriodType
    category: Category
    organization: Opt = None
    attribution: Opt = None
    note: Opt = None


class CodebookUndatedEvent(Strict):
    """An event the page does not date (日前, "recently"): listed, never placed in a year."""

    id: Filled
    date_text: Text
    quote: Opt = None
    text_zh: Opt = None
    text_en: Filled


class CodebookEvent(CodebookUndatedEvent):
    date_start: Text
    date_end: Text


class CodebookExcluded(Strict):
    quote: Text
    reason: Filled
    context: Opt = None


class Codebook(Strict):
    source_id: Slug | None = None
    figures: list[dict]
    excluded: list[dict] = []
    events: list[dict] = []
    events_undated: list[dict] = []
