"""Charts of the public record: the national context (analyze.national.AXIS's years) and the
campaign's timeline.

Same style, fonts and display as helpers.publish.charts. Nothing is computed here beyond
placing points: the values, the series and the changes come from helpers.analyze.national and
helpers.analyze.campaign_record.
"""

from __future__ import annotations

import pandas as pd

from helpers.publish import charts
from helpers.publish.charts import HIGHLIGHT, INK, MUTED, PALETTE
from helpers.publish.i18n import t

SERIES_STYLE = {  # colour, line style, marker: distinguishable in greyscale too
    "ministry": (PALETTE[0], "-", "o"),
    "platform": (PALETTE[1], "--", "s"),
}
GAP = 1.05  # years: two counts further apart are not joined by a line (no interpolation)


def _year_axis(ax, lo: int, hi: int, highlight: int | None, every: int = 1) -> None:
    """Years as intervals: a tick at each 1 January, the year's label in its middle (every
    `every` years, and always the highlighted one)."""
    from matplotlib.ticker import FixedLocator, NullFormatter

    ax.set_xlim(lo, hi + 1)
    ax.xaxis.set_major_locator(FixedLocator(range(lo, hi + 2)))
    ax.xaxis.set_major_formatter(NullFormatter())
    ax.set_xticks([y + 0.5 for y in range(lo, hi + 1)], minor=True)
    # The highlighted year off the `every` grid takes its neighbours' places: "2018 2019 2020"
    # in 8-point type on a two-year grid ran into each other.
    shown = [
        str(y)
        if y == highlight
        or ((y - lo) % every == 0 and (highlight is None or abs(y - highlight) >= every))
        else ""
        for y in range(lo, hi + 1)
    ]
    ax.set_xticklabels(shown, minor=True, fontsize=8)
    ax.tick_params(axis="x", which="minor", length=0)
    if highlight is not None and lo <= highlight <= hi:
        ax.axvspan(highlight, highlight + 1, color=HIGHLIGHT, alpha=0.12, lw=0, zorder=0)
        for tick in ax.get_xticklabels(minor=True):
            if tick.get_text() == str(highlight):
                tick.set_color(HIGHLIGHT)


def _runs(xs: list[float]) -> list[list[int]]:
    """Indices of points joined by a line: consecutive points at most GAP years apart."""
    runs: list[list[int]] = []
    for i, x in enumerate(xs):
        if runs and x - xs[runs[-1][-1]] <= GAP:
            runs[-1].append(i)
        else:
            runs.append([i])
    return runs


def _count_label(v: float, lang: str) -> str:
    return f"{v / 1e4:g}万" if lang == "zh" else f"{v / 1e3:,.0f}k"


def _draw_series(ax, pts: pd.DataFrame, series: str, lang: str) -> None:
    colour, style, marker = SERIES_STYLE[series]
    p = pts[pts["series"] == series]
    if p.empty:
        return
    xs = sorted(set(p["x"]))
    for run in _runs(xs):
        if len(run) < 2:
            continue
        # Where sources disagree at one date (2018), the line passes through both values.
        for a, b in zip(run, run[1:], strict=False):
            for va in p.loc[p["x"] == xs[a], "value"]:
                for vb in p.loc[p["x"] == xs[b], "value"]:
                    ax.plot([xs[a], xs[b]], [va, vb], style, color=colour, lw=1.4, zorder=2)
    for r in p.itertuples(index=False):
        m = "^" if r.lower_bound else marker
        ax.plot([r.x], [r.value], m, ms=5, color=colour, mfc="white" if r.lower_bound else colour,
                zorder=3, label=t(f"series_{series}", lang))  # fmt: skip
    for x in xs:
        vals = p.loc[p["x"] == x, "value"]
        if vals.nunique() > 1:  # a range, drawn as such: no value is picked
            ax.vlines(x, vals.min(), vals.max(), color=colour, lw=3, zorder=2)


def _sources(data, ids: list[str], lang: str, key: str = "camp_source") -> str:
    """A chart's source line: each page's publisher and date (sections' labels), never the
    data's ids; without `data`, only what kind of source it is."""
    if data is None:
        return t(key, lang, ids=t("record_pages", lang))
    from helpers.publish.sections import _source_label

    labels = dict.fromkeys(_source_label(s, data, lang) for s in ids)
    return t(key, lang, ids=("；" if lang == "zh" else "; ").join(labels))


def national(fig, pts: pd.DataFrame, changes: pd.DataFrame, year: int, lang: str):
    """Left: China's total over AXIS's years, one line per series; right: the change by type
    in the year of the first fall (analyze.national.FALL_YEAR).

    `pts`: analyze.national.points; `changes`: analyze.national.changes of 2022 (growth per
    component, already refused across series). Gaps stay gaps; `year` is highlighted.
    """
    from helpers.analyze.national import AXIS

    grid = fig.add_gridspec(1, 2, width_ratios=(3.4, 1.2), wspace=0.7)
    ax, side = fig.add_subplot(grid[0]), fig.add_subplot(grid[1])
    lo, hi = min(AXIS[0], year), max(AXIS[1], year)
    _year_axis(ax, lo, hi, year, every=2)
    for series in SERIES_STYLE:
        _draw_series(ax, pts, series, lang)
    # No "first fall" mark on the total: the ministry's 2021 total is not in the record, so its
    # 2022 point stands above every earlier one; the fall is shown by type, on the right.
    ax.yaxis.set_major_formatter(lambda v, _pos: _count_label(v, lang))
    ax.set_ylabel(t("nat_axis", lang), fontsize=8)
    ax.grid(axis="y")
    handles, labels = ax.get_legend_handles_labels()
    seen = dict(zip(labels, handles, strict=True))  # one legend entry per series
    # Below the axis, one row: inside it, the entries sat on the points of 2019-2020.
    ax.legend(seen.values(), seen.keys(), loc="upper left", bbox_to_anchor=(0, -0.1), ncol=2,
              fontsize=7.5, borderaxespad=0, handlelength=1.5)  # fmt: skip
    _changes(side, changes, lang)
    fig.suptitle(t("nat_title", lang), x=0.02, y=1.04, ha="left", fontsize=10.5)
    return ax, side


def national_source(pts: pd.DataFrame, lang: str, data=None) -> str:
    """The national chart's source line, shown as its caption."""
    return _sources(data, sorted(set(pts["source_id"])), lang, "nat_source")


def _changes(ax, changes: pd.DataFrame, lang: str) -> None:
    """Horizontal bars of per-type change in per cent: a fall in the highlight colour."""
    ax.set_title(t("nat_change_title", lang), fontsize=8, loc="right")
    if changes.empty:
        ax.set_axis_off()
        return
    labels = [t(f"measure_{m}", lang) for m in changes["measure"]]
    pct = [100 * g for g in changes["growth"]]
    colours = [HIGHLIGHT if p < 0 else PALETTE[2] for p in pct]
    ax.barh(range(len(pct)), pct, color=colours, height=0.6)
    ax.set_yticks(range(len(pct)), labels, fontsize=7.5)
    ax.invert_yaxis()
    ax.axvline(0, color=INK, lw=0.8)
    from helpers.publish import context_values
    from helpers.publish.formatting import format_value

    # The label says what the prose says: only the digits the printed counts support.
    texts = [
        ("+" if c.growth >= 0 else "−") + format_value(context_values.change_value(c), lang)
        for c in changes.itertuples(index=False)
    ]
    # Every label right of its bar and of zero: left of a falling bar it ran into the type's
    # name beside the axis ("private non-enterprise units" under "−about 1.9 per cent").
    for i, p in enumerate(pct):
        ax.annotate(texts[i], (max(p, 0), i), xytext=(3, 0), fontsize=7,
                    textcoords="offset points", va="center", ha="left", color=INK)  # fmt: skip
    span = max(abs(p) for p in pct) * 1.9
    ax.set_xlim(-span, span)
    ax.tick_params(axis="x", labelsize=7)


def show_national(pts, changes, year: int, lang: str, data=None) -> None:
    """Draw and display the national-context chart with its alt text."""
    import matplotlib.pyplot as plt

    from helpers.analyze.national import AXIS

    charts.use_style()
    fig = plt.figure(figsize=(7.0, 3.0))
    national(fig, pts, changes, year, lang)
    lo, hi = min(AXIS[0], year), max(AXIS[1], year)
    charts.show(fig, t("nat_alt", lang, lo=lo, hi=hi, year=year),
                national_source(pts, lang, data), data=pts)  # fmt: skip


# ------------------------------------------------------------------------ campaign timeline

LANES = ("events", "Beijing", "Tianjin", "Hebei")
# Which figure of a day names the day on the chart: the projects first, as the pages do.
LEAD = (
    "projects_landed",
    "projects_from_beijing",
    "projects_from_tianjin",
    "projects_from_hebei",
    "projects_claimed",
    "projects_needing_partner",
    "poor_counties_exited",
    "relief_platform_members",
    "orgs_participating",
)


def _lead(group: pd.DataFrame) -> pd.Series:
    rank = {m: i for i, m in enumerate(LEAD)}
    order = group["measure"].map(lambda m: rank.get(m, len(rank)))
    return group.assign(_r=order).sort_values(["_r", "item_id"], kind="stable").iloc[0]


def _item_label(r, lang: str) -> str:
    from helpers.publish import formatting
    from helpers.publish.i18n import STRINGS

    if r["kind"] == "event":
        key = f"ev_{r['item_id']}"
        if key in STRINGS:
            return t(key, lang)
        # An event without a short label: its own words (en) or its date (zh).
        return str(r["text_en"]) if lang == "en" else str(r["date_start"])[:7]
    if lang == "zh":
        return str(r["quote"])
    return formatting.format_value(formatting.from_figure(r), lang)


def _x(iso: str) -> float:
    from helpers.analyze.national import position

    return position(iso)


def campaign_timeline(ax, record: pd.DataFrame, highlight: int | None, lang: str):
    """The dated record on one row per region (events on top); annual figures span their year."""
    lanes = {lane: len(LANES) - i for i, lane in enumerate(LANES)}
    _year_axis(ax, 2017, 2020, highlight)
    ax.set_xlim(2017.85, 2021.0)
    for y in lanes.values():
        ax.axhline(y, color="#eeeeee", lw=0.8, zorder=0)
    ax.set_yticks(list(lanes.values()),
                  [t("camp_events", lang) if k == "events" else t(f"region_{k}", lang)
                   for k in lanes])  # fmt: skip
    ax.tick_params(axis="y", length=0, labelsize=8)
    ax.spines["left"].set_visible(False)
    record = record.assign(
        lane=["events" if r.kind == "event" else r.region for r in record.itertuples(index=False)]
    )
    record = record[record["lane"].isin(lanes)]
    flips = dict.fromkeys(lanes, 0)  # labels alternate above and below, lane by lane
    for (lane, start, end), group in record.groupby(["lane", "date_start", "date_end"], sort=True):
        y = lanes[lane]
        r = _lead(group)
        x0, x1 = _x(start), _x(end)
        colour = MUTED if lane == "events" else PALETTE[0]
        if bool(r["span"]):
            ax.plot([x0, x1], [y, y], color=colour, lw=5, alpha=0.45, solid_capstyle="butt")
        x = x0 if lane == "events" else x1  # an event on its first day, a count on its date
        ax.plot([x], [y], "D" if lane == "events" else "o", ms=5, color=colour, zorder=3)
        flips[lane] += 1
        dy = 9 if flips[lane] % 2 else -9
        ax.annotate(_item_label(r, lang), (x, y), xytext=(0, dy), textcoords="offset points",
                    ha="center", va="bottom" if dy > 0 else "top", fontsize=6.8,
                    color=INK)  # fmt: skip
    ax.set_ylim(0.4, len(LANES) + 0.7)
    ax.set_title(t("camp_title", lang), fontsize=10)
    return ax


def show_campaign(record: pd.DataFrame, highlight: int | None, lang: str, data=None) -> None:
    """Draw and display the campaign timeline with its alt text and source line (the pages'
    publishers and dates when `data` is given; never the data's ids)."""
    import matplotlib.pyplot as plt

    charts.use_style()
    fig, ax = plt.subplots(figsize=(7.0, 3.2))
    campaign_timeline(ax, record, highlight, lang)
    alt = t("camp_alt", lang) + (t("camp_alt_year", lang, year=highlight) if highlight else "")
    charts.show(fig, alt, campaign_source(record, lang, data), data=record)


def campaign_source(record: pd.DataFrame, lang: str, data=None) -> str:
    """The campaign timeline's source line, shown as its caption."""
    return _sources(data, list(dict.fromkeys(record["source_id"])), lang)
