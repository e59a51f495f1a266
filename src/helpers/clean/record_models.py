"""The public record's YAML entries as pydantic models, and the one error format for them.

Every problem is reported on one line naming the file, the entry, the figure or event and the
field: ``data/raw/corroborating.yml: entry 'cpt-2019-07-16' figure 2 (2017年的76.2万个): field
'region'='PRC' not in China, Beijing, Tianjin, Hebei``.
"""

from __future__ import annotations

from typing import Annotated, Literal, get_args

from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    StrictFloat,
    StrictInt,
    StrictStr,
    StringConstraints,
    ValidationError,
)

from helpers.clean import schema
from helpers.clean.periods import DateText, parse_date
from helpers.errors import JJJError

# The two national series: the Ministry of Civil Affairs' bulletins, and the counts of the
# China Social Organization portal's query platform. They count differently: never mixed.
Series = Literal[schema.SERIES]  # type: ignore[valid-type]
SERIES: tuple[str, ...] = get_args(Series)
RecordRegion = Literal["China", "Beijing", "Tianjin", "Hebei"]
# The record's region names → the processed tables' one vocabulary (schema.REGIONS), where the
# article's codebook already calls the whole country "national".
REGION = {"China": "national", "Beijing": "Beijing", "Tianjin": "Tianjin", "Hebei": "Hebei"}
ExprLang = Literal[schema.EXPR_LANGS]  # type: ignore[valid-type]
Qualifier = Literal[schema.QUALIFIERS]  # type: ignore[valid-type]

Text = Annotated[StrictStr, StringConstraints(strip_whitespace=True, min_length=1)]
Url = Annotated[StrictStr, StringConstraints(pattern=r"^https?://\S+$")]


def _date(v) -> DateText:
    try:
        return parse_date(v)
    except ValueError as e:
        raise ValueError(str(e)) from None  # pydantic reports it under the field's name


DateField = Annotated[DateText, BeforeValidator(_date)]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, arbitrary_types_allowed=True)


class Figure(_Strict):
    expr: Text
    value: Annotated[StrictInt | StrictFloat, Field(ge=0)]
    unit: Text
    qualifier: Qualifier
    period: Annotated[str, BeforeValidator(lambda v: v if isinstance(v, str) else str(v))]
    gloss: Text
    region: RecordRegion | None = None


class Event(_Strict):
    date: DateField
    gloss: Text


class Entry(_Strict):
    id: Text
    publisher: Text
    date_published: DateField
    url: Url
    url_note: str = ""
    about: str = ""
    series: Series | None = None
    # The language the page prints its figures in: every expression is Chinese unless the
    # entry says otherwise; an English one is shown as printed, never as Chinese.
    expr_lang: ExprLang = "zh"
    figures: list[Figure] = []
    events: list[Event] = []


def where(file, entry: str, part: str = "") -> str:
    """The one prefix of every message: file, entry and, if any, its figure or event."""
    return f"{file}: entry {entry!r}" + (f" {part}" if part else "")


def figure_where(file, entry: str, i: int, expr) -> str:
    return where(file, entry, f"figure {i}" + (f" ({expr})" if expr else ""))


def parse_entry(raw, n: int, file) -> Entry:
    """One YAML mapping → Entry, or a one-line JJJError naming file, entry, item and field."""
    if not isinstance(raw, dict):
        raise JJJError(f"{file}: entry #{n} is not a mapping")
    eid = raw.get("id")
    name = eid if isinstance(eid, str) and eid.strip() else f"#{n}"
    try:
        return Entry.model_validate(raw)
    except ValidationError as e:
        raise JJJError(_message(e.errors()[0], raw, name, file)) from None


def _message(err: dict, raw: dict, name: str, file) -> str:
    loc = list(err["loc"])
    at = f"{file}: entry {name}" if name.startswith("#") else where(file, name)
    if len(loc) >= 2 and loc[0] in ("figures", "events") and isinstance(loc[1], int):
        i = loc[1] + 1
        items = raw.get(loc[0]) or []
        item = items[loc[1]] if loc[1] < len(items) else None
        if loc[0] == "figures":
            expr = item.get("expr") if isinstance(item, dict) else None
            at = figure_where(file, name, i, expr)
        else:
            at = where(file, name, f"event {i}")
        loc = loc[2:]
    field = ".".join(str(p) for p in loc)
    if not field:
        return f"{at}: not a mapping"
    kind, given = err["type"], err.get("input")
    if kind == "missing" or (kind == "string_too_short" and not str(given).strip()):
        return f"{at}: missing field {field!r}"
    if kind == "extra_forbidden":
        return f"{at}: unknown field {field!r}"
    if kind == "literal_error":
        allowed = err["ctx"]["expected"].replace("'", "").replace(" or ", ", ")
        return f"{at}: field {field!r}={given!r} not in {allowed}"
    if kind == "value_error":
        return f"{at}: field {field!r}: {err['msg'].removeprefix('Value error, ')}"
    if field == "url":
        return f"{at}: field 'url'={given!r} is not an http(s) URL"
    if field == "value":
        return f"{at}: field 'value'={given!r} is not a non-negative number"
    return f"{at}: field {field!r}={given!r}: {err['msg']}"
