"""One chart style for the whole project, and deterministic, accessible display of figures.

Figures are shown as inline SVG with glyphs drawn as paths (measured against PNG: a typical
chart is ~29 kB of SVG vs ~39 kB PNG at 200 dpi before base64; vector in the PDF; byte-stable;
WeasyPrint draws it and tags it as a Figure whose /Alt is the SVG <title>). Paths mean neither
the browser nor WeasyPrint needs a font for chart text: the chart shows the project font.
"""

from __future__ import annotations

import hashlib
import html
import io
import re
import warnings
from collections.abc import Mapping, Sequence

from helpers import paths
from helpers.clean import periods
from helpers.errors import JJJError
from helpers.publish import fonts, notebook_figures
from helpers.publish.i18n import t

# Okabe-Ito: distinguishable with the common colour-vision deficiencies and in greyscale print.
PALETTE = ["#0072B2", "#E69F00", "#009E73", "#D55E00", "#CC79A7", "#56B4E9", "#F0E442", "#000000"]
INK = "#222222"
MUTED = "#8a8a8a"
HIGHLIGHT = "#D55E00"
YEARS = paths.YEARS  # the report's axis: the article's decade

_SALT = "jjj-report"  # fixed svg.hashsalt: clip-path and glyph ids stop being random


def use_style() -> None:
    """Set the project's matplotlib style: font, colours, sizes, deterministic SVG."""
    import matplotlib
    from cycler import cycler

    fonts.register_matplotlib()
    matplotlib.rcParams.update(
        {
            "figure.figsize": (6.4, 3.6),
            "figure.dpi": 100,
            "figure.facecolor": "white",
            "font.size": 10,
            "axes.titlesize": 11,
            "axes.titleweight": "normal",  # the one CJK face is Regular: no fake bold
            "axes.titlelocation": "left",
            "axes.labelsize": 10,
            "axes.edgecolor": INK,
            "axes.labelcolor": INK,
            "axes.prop_cycle": cycler(color=PALETTE),
            "axes.spines.top": False,
            "axes.spines.right": False,
            "axes.grid": False,
            "axes.axisbelow": True,
            "grid.color": "#dddddd",
            "grid.linewidth": 0.6,
            "xtick.color": INK,
            "ytick.color": INK,
            "legend.frameon": False,
            "legend.fontsize": 9,
            "hatch.color": INK,
            "hatch.linewidth": 0.6,
            # Text as <text>: selectable, searchable and read aloud, in HTML and PDF alike; the
            # page embeds the font (fonts.PDF_FAMILY), _inline_svg() names it first.
            "svg.fonttype": "none",
            "svg.hashsalt": _SALT,
            "svg.image_inline": True,
            "svg.id": None,  # ids get a per-figure prefix in show() instead
            "savefig.format": "svg",
            "savefig.bbox": "tight",
            "savefig.pad_inches": 0.05,
            "axes.formatter.use_locale": False,  # the machine's locale must not change digits
        }
    )
    # In a notebook: plt.show() and figure results publish like show().
    notebook_figures.configure(chart_html)


def figure_svg(fig) -> str:
    """The figure as an inline-ready <svg> string, byte-stable; raises on a missing glyph."""
    import matplotlib

    if matplotlib.rcParams["svg.hashsalt"] is None:
        use_style()  # without a salt matplotlib ids are random: never render that way
    buf = io.BytesIO()
    # The tight box, measured at the end of the one draw: same renderer (its text measurements
    # are cached) and the same dpi as the drawing (savefig restores the figure's after it).
    boxes = []
    hook = fig.canvas.mpl_connect(
        "draw_event", lambda event: boxes.append(fig.get_tightbbox(event.renderer))
    )
    with warnings.catch_warnings(record=True) as caught, matplotlib.rc_context(_ONE_DRAW):
        warnings.simplefilter("always")
        try:
            # Date None: no render time in the file (matplotlib would otherwise write one).
            fig.savefig(buf, format="svg", metadata={"Date": None})
        finally:
            fig.canvas.mpl_disconnect(hook)
    missing = [str(w.message) for w in caught if "missing from font" in str(w.message)]
    if missing:
        raise JJJError(f"chart text has glyphs missing from the project font: {missing[0]}")
    for w in caught:  # anything else goes back to the normal warning machinery
        warnings.warn_explicit(w.message, w.category, w.filename, w.lineno)
    svg = buf.getvalue().decode("utf-8")
    if matplotlib.rcParams["savefig.bbox"] == "tight":
        svg = _cropped(svg, fig, boxes[-1], matplotlib.rcParams["savefig.pad_inches"])
    return _inline_svg(svg)


# savefig's "tight" draws the figure twice, once to measure and once to write, measuring every
# text again on the second renderer. One draw, then the tight box from its renderer (cached
# measurements) becomes the <svg>'s viewBox: the same crop, without the second draw.
_ONE_DRAW = {"savefig.bbox": "standard"}
_SVG_BOX = re.compile(r'<svg ([^>]*?)width="[^"]*" height="[^"]*" viewBox="[^"]*"')


def _cropped(svg: str, fig, tight, pad: float) -> str:
    """`svg` cropped to the figure's tight bounding box `tight` plus `pad` inches, as
    savefig's bbox_inches="tight" would crop it."""
    box = tight.padded(pad)  # inches, y up from the figure's bottom
    top = fig.get_figheight() - box.y1
    x, y, w, h = (_pt(v * 72) for v in (box.x0, top, box.width, box.height))
    out, n = _SVG_BOX.subn(rf'<svg \1width="{w}pt" height="{h}pt" viewBox="{x} {y} {w} {h}"',
                           svg, count=1)  # fmt: skip
    if n != 1:
        raise JJJError("matplotlib's SVG has no width, height and viewBox to crop")
    return out


def _pt(value: float) -> str:
    return f"{round(value, 3) + 0.0:.3f}".rstrip("0").rstrip(".")  # + 0.0: never "-0"


def _inline_svg(svg: str) -> str:
    # Drop the XML prolog, DOCTYPE (it names a remote DTD) and the RDF metadata block.
    svg = svg[svg.index("<svg") :]
    svg = re.sub(r"\s*<metadata>.*?</metadata>", "", svg, count=1, flags=re.S)
    # Several charts share one HTML page: prefix ids so they cannot collide. The prefix is
    # a content hash, so it is stable across rebuilds.
    prefix = "c" + hashlib.sha256(svg.encode("utf-8")).hexdigest()[:8] + "-"
    svg = re.sub(r'\bid="([^"]+)"', lambda m: f'id="{prefix}{m[1]}"', svg)
    svg = re.sub(r'(xlink:href|href)="#([^"]+)"', lambda m: f'{m[1]}="#{prefix}{m[2]}"', svg)
    svg = re.sub(r"url\(#([^)]+)\)", lambda m: f"url(#{prefix}{m[1]})", svg)
    return _FONT_STACK.sub(_PAGE_FONT_STACK, svg).strip() + "\n"


# matplotlib names its font list in every <text>; the page's embedded subset comes first (it
# is all a reader without Chinese fonts has, and all the PDF may use), the installed family
# after it for the notebook in JupyterLab. Nothing falls back to a machine's other fonts.
_FONT_STACK = re.compile(r"font-family: [^;\"]*")
_PAGE_FONT_STACK = f"font-family: '{fonts.PDF_FAMILY}', '{fonts.FAMILY}'"


def chart_html(fig, alt: str, source: str = "", data=None) -> str:
    """<figure> holding the inline SVG, with `alt` as its accessible name and <title>, and
    its source line as the caption; `data` (a DataFrame of what it draws) becomes its
    download (helpers.publish.downloads)."""
    if not alt or not alt.strip():
        raise JJJError("a chart needs alt text describing what it shows")
    alt_attr = html.escape(alt.strip(), quote=True)
    svg = figure_svg(fig)
    head_end = svg.index(">") + 1
    svg = (
        svg[: head_end - 1]
        + f' role="img" aria-label="{alt_attr}">'
        + f"<title>{alt_attr}</title>"
        + svg[head_end:]
    )
    caption = (
        f'<figcaption class="chart-source">{html.escape(source)}</figcaption>\n' if source else ""
    )
    if data is not None:
        from helpers.publish import downloads

        caption += downloads.marker(data, "chart")
    return f'<figure class="chart">\n{svg}{caption}</figure>\n'


def show(fig, alt: str, source: str = "", data=None) -> None:
    """Display `fig` in the notebook as inline SVG with alt text, then close it."""
    import matplotlib.pyplot as plt
    from IPython.display import display

    try:
        bundle = {
            "text/html": chart_html(fig, alt, source, data),
            "text/plain": f"[chart] {alt.strip()}",
        }
    finally:
        plt.close(fig)  # closed even on error, so the inline backend never shows it as PNG
    display(bundle, raw=True)


# ---------------------------------------------------------------------------------------------
# Chart helpers


def _kind(value, low, high) -> str:
    if low is not None and high is not None:
        return "range"
    if low is not None:
        return "lower"
    if high is not None:
        return "upper"
    if value is not None:
        return "exact"
    raise JJJError("bar_with_bounds: an item has no value, lower or upper bound")


def _bar_rows(labels, values, lows, highs, texts) -> list[tuple]:
    """(y, value, low, high, text) per bar, first label on top; lengths checked."""
    n = len(labels)
    lows = list(lows) if lows is not None else [None] * n
    highs = list(highs) if highs is not None else [None] * n
    values = list(values)
    texts = list(texts) if texts is not None else [None] * n
    if not (len(values) == len(lows) == len(highs) == len(texts) == n):
        raise JJJError("bar_with_bounds: labels, values, lows, highs, texts differ in length")
    ys = list(range(n))[::-1]  # first label on top, as it is read
    return list(zip(ys, values, lows, highs, texts, strict=True))


def _bounded_bar(ax, y, kind, value, low, high, *, color, fmt, arrow_end) -> tuple:
    """Draw one bar as its kind says; (where its label goes, the label, the label's pad)."""
    if kind == "exact":
        ax.barh(y, value, color=color, height=0.6)
        return value, fmt.format(value), 4
    if kind == "lower":
        ax.barh(y, low, color="white", edgecolor=color, hatch="///", height=0.6, lw=1)
        # Open-ended: the arrow says "at least this much, maybe far more".
        ax.annotate(
            "",
            xy=(low, y),
            xycoords=arrow_end,
            xytext=(low, y),
            textcoords="data",
            arrowprops={"arrowstyle": "->", "color": color, "lw": 1.2, "shrinkA": 0},
        )
        return low, ">" + fmt.format(low), 22
    if kind == "upper":
        ax.barh(y, high, color="none", edgecolor=color, ls="--", height=0.6, lw=1)
        ax.plot([high], [y], marker="|", ms=14, mew=2, color=color)
        return high, "<" + fmt.format(high), 4
    ax.barh(y, low, color=color, height=0.6)  # range
    ax.barh(y, high - low, left=low, color="none", edgecolor=color, ls="--", height=0.6)
    return high, fmt.format(low) + "–" + fmt.format(high), 4


def _bounds_legend(ax, kinds: list[str], color: str, lang: str) -> None:
    from matplotlib.patches import Patch

    styles = {
        "exact": {"facecolor": color},
        "lower": {"facecolor": "white", "edgecolor": color, "hatch": "///"},
        "upper": {"facecolor": "none", "edgecolor": color, "linestyle": "--"},
        "range": {"facecolor": color, "edgecolor": color, "linestyle": "--"},
    }
    handles = [Patch(label=t(f"bound_{k}", lang), **styles[k]) for k in kinds]
    ax.legend(handles=handles, loc="best")


def bar_with_bounds(
    ax,
    labels: Sequence[str],
    values: Sequence[float | None],
    lows: Sequence[float | None] | None = None,
    highs: Sequence[float | None] | None = None,
    *,
    lang: str = "zh",
    color: str = PALETTE[0],
    fmt: str = "{:,.0f}",
    texts: Sequence[str | None] | None = None,
    legend: bool = True,
):
    """Horizontal bars that never overstate what a source says.

    exact value → solid bar; lower bound only ("more than", "over") → hatched bar ending in an
    open arrow, labelled ">N"; upper bound only ("nearly") → dashed outline to N with a bar
    marker at N, labelled "<N"; both → solid to the low end, dashed outline on to the high end.
    `texts` overrides the end labels ("" for none). Works with a log x axis set afterwards:
    arrows and labels are offset in points, not in data units.
    """
    from matplotlib.transforms import offset_copy

    rows = _bar_rows(labels, values, lows, highs, texts)
    arrow_end = offset_copy(ax.transData, fig=ax.figure, x=18, y=0, units="points")
    kinds_seen: list[str] = []
    for y, value, low, high, text in rows:
        kind = _kind(value, low, high)
        if kind not in kinds_seen:
            kinds_seen.append(kind)
        end, auto, pad = _bounded_bar(ax, y, kind, value, low, high, color=color, fmt=fmt,
                                      arrow_end=arrow_end)  # fmt: skip
        label = auto if text is None else text
        if label:
            ax.annotate(label, xy=(end, y), xytext=(pad, 0), textcoords="offset points",
                        va="center", ha="left", fontsize=9, color=INK)  # fmt: skip
    ax.set_yticks([r[0] for r in rows], labels)
    ax.set_xmargin(0.18)  # room on the right for arrows and labels; bars stay stuck to 0
    ax.spines["left"].set_visible(False)
    ax.tick_params(axis="y", length=0)
    ax.xaxis.grid(True)
    if legend and len(kinds_seen) > 1:
        _bounds_legend(ax, kinds_seen, color, lang)
    return ax


def timeline(
    ax,
    years: Sequence[int] = YEARS,
    highlight_year: int | None = None,
    events: Mapping[int, str] | Sequence[tuple[int, str]] = (),
    *,
    color: str = HIGHLIGHT,
):
    """The record's year axis with one year highlighted and labelled events staggered above it."""
    years = list(years)
    if not years:
        raise JJJError("timeline: no years")
    items = sorted(events.items() if isinstance(events, Mapping) else events)
    lo, hi = years[0], years[-1]
    for year, _label in items:
        if not lo <= year <= hi:
            raise JJJError(f"timeline: event year {year} outside {lo}–{hi}")
    if highlight_year is not None and not lo <= highlight_year <= hi:
        raise JJJError(f"timeline: highlighted year {highlight_year} outside {lo}–{hi}")
    ax.axhline(0, color=MUTED, lw=1.5, zorder=1)
    ax.scatter(years, [0] * len(years), s=18, color=MUTED, zorder=2)
    if highlight_year is not None:
        ax.axvspan(highlight_year - 0.4, highlight_year + 0.4, color=color, alpha=0.12, lw=0)
        ax.scatter([highlight_year], [0], s=80, color=color, zorder=3)
    ax.set_xlim(lo - 0.6, hi + 0.6)
    levels = _label_levels(ax, items)
    for (year, label), k in zip(items, levels, strict=True):
        level = 1 + k * LABEL_STEP
        ax.vlines(year, 0, level, color=MUTED, lw=0.8, zorder=1)
        # A white ground: a taller label's stem never runs through a lower label's words.
        ax.text(year, level + 0.1, label, ha="center", va="bottom", fontsize=8.5, color=INK,
                zorder=3, bbox={"facecolor": "white", "edgecolor": "none", "pad": 0.6})  # fmt: skip
    ax.set_ylim(-0.6, 1.8 + max(levels, default=0) * LABEL_STEP)
    ax.set_xticks(years, [str(y) for y in years])
    for tick in ax.get_xticklabels():
        if highlight_year is not None and tick.get_text() == str(highlight_year):
            tick.set_color(color)
    ax.yaxis.set_visible(False)
    for side in ("left", "right", "top"):
        ax.spines[side].set_visible(False)
    ax.spines["bottom"].set_visible(False)
    ax.tick_params(axis="x", length=0)
    return ax


LABEL_STEP = 0.6  # height between label rows, in the timeline's data units


def _label_levels(ax, items) -> list[int]:
    """The row of each label, lowest first: a label goes to the lowest row where its measured
    width overlaps no label already there (same-year events and long labels stack up)."""
    renderer = ax.figure.canvas.get_renderer()
    to_data = ax.transData.inverted()
    rows: list[list[tuple[float, float]]] = []
    out = []
    for year, label in items:
        probe = ax.text(year, 0, label, ha="center", fontsize=8.5)
        box = probe.get_window_extent(renderer)
        probe.remove()
        (x0, _), (x1, _) = to_data.transform([(box.x0, 0), (box.x1, 0)])
        x0, x1 = x0 - 0.08, x1 + 0.08  # a little air between neighbours
        k = next((i for i, row in enumerate(rows) if all(x1 <= a or x0 >= b for a, b in row)),
                 len(rows))  # fmt: skip
        if k == len(rows):
            rows.append([])
        rows[k].append((x0, x1))
        out.append(k)
    return out


CAMPAIGN_PANELS = ("projects_landed", "funds_yuan")
CAMPAIGN_START, CAMPAIGN_END = periods.CAMPAIGN_START, periods.CAMPAIGN_END  # one place


def _point_label(row, lang: str) -> str:
    """A campaign point's label: the print in zh; the value with its qualifier in en."""
    from helpers.publish.present import value_text

    return str(row.quote) if lang == "zh" else value_text(row._asdict(), lang)


def _campaign_record(ax, pub, scale: float, lang: str) -> float:
    """The public record's cumulative figures of one measure, as points; the highest value
    drawn. An annual figure (2019's 2393 projects) is not drawn: a chart of running totals
    never mixes in one year's count (issue #23); the year reports' tables give it."""
    import pandas as pd

    top = 0.0
    drawn: set[tuple] = set()
    for r in pub.itertuples(index=False):
        y = r.value / scale
        if r.period_type == "annual":
            continue
        cumulative = r.period_type == "as_of" or str(r.period_start) == CAMPAIGN_START
        key = (r.period_end, y)
        if not cumulative or key in drawn:
            continue
        drawn.add(key)
        top = max(top, y)
        x = pd.Timestamp(r.period_end)
        bound = r.qualifier in ("at_least", "over", "more_than")
        hollow = bound or r.qualifier == "about"
        ax.plot([x], [y], marker="o", ms=6, color=PALETTE[0],
                mfc="white" if hollow else PALETTE[0], zorder=3)  # fmt: skip
        if bound:
            arrow = {"arrowstyle": "<-", "color": PALETTE[0], "lw": 1}
            ax.annotate("", xy=(x, y), xytext=(0, 14), textcoords="offset points",
                        arrowprops=arrow)  # fmt: skip
        ax.annotate(_point_label(r, lang), (x, y), textcoords="offset points", xytext=(-6, 4),
                    ha="right", va="bottom", fontsize=7, color=INK)  # fmt: skip
    return top


def _campaign_article(ax, seed, scale: float, lang: str) -> float:
    """The article's undated headline totals of one measure, as intervals after the
    campaign's end; the highest bound drawn."""
    import pandas as pd

    top = 0.0
    x_seed = pd.Timestamp(CAMPAIGN_END) + pd.Timedelta(days=120)
    for r in seed.itertuples(index=False):
        lo = r.value_low if pd.notna(r.value_low) else r.value
        hi = r.value_high if pd.notna(r.value_high) else r.value
        top = max(top, hi / scale)
        ax.plot([x_seed, x_seed], [lo / scale, hi / scale], color=HIGHLIGHT, lw=3,
                solid_capstyle="butt")  # fmt: skip
        ax.plot([x_seed], [r.value / scale], marker="D", ms=4, color=HIGHLIGHT, mfc="white")
        ax.annotate(f"{t('article', lang)}\n{_point_label(r, lang)}", (x_seed, lo / scale),
                    textcoords="offset points", xytext=(0, -5), ha="center", va="top",
                    fontsize=7, color=HIGHLIGHT)  # fmt: skip
    return top


def campaign(axes, public, seed, *, lang: str = "zh"):
    """Projects (left) and funds (right) of the 2017-12 → 2020-10 campaign by report date.

    Cumulative figures are points at the end of their period (a restatement of the same
    figure is drawn once: the first in `public`'s order, so pass it oldest page first); a lower
    bound ("以上") is a hollow marker with an arrow up, "about" a hollow marker; an annual
    figure is not drawn (never mixed with running totals); the article's undated headline
    total is drawn as its interval after the campaign's end, so its bounds stand next to the
    campaign's own total.
    """
    import matplotlib.dates as mdates
    import pandas as pd

    panels = tuple(zip(CAMPAIGN_PANELS, ("chart_projects", "chart_funds"), strict=True))
    for ax, (measure, title) in zip(axes, panels, strict=True):
        scale = 1e8 if measure == "funds_yuan" else 1.0
        # in the caller's order: the first drawn wins
        top = _campaign_record(ax, public[public["measure"] == measure], scale, lang)
        top = max(top, _campaign_article(ax, seed[seed["measure"] == measure], scale, lang))
        ax.axvspan(pd.Timestamp(CAMPAIGN_START), pd.Timestamp(CAMPAIGN_END), color="#f4f4f4",
                   zorder=0)  # fmt: skip
        ax.set_title(t(title, lang))
        ax.set_xlim(pd.Timestamp("2017-09-01"), pd.Timestamp("2021-06-30"))
        ax.set_ylim(0, top * 1.25 if top else 1)
        ax.xaxis.set_major_locator(mdates.YearLocator())
        ax.xaxis.set_major_formatter(mdates.DateFormatter("%Y"))
    return axes
