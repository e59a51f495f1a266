"""Charts made the usual way in a notebook — plt.show(), a figure left as a cell's result —
published like charts.show(): inline SVG in the project font, byte-stable, with alt text.

charts.use_style() calls configure(charts.chart_html) when it runs inside IPython (a notebook's
kernel): matplotlib figures then display as that chart HTML, whose alt text is the figure's
label, else its suptitle, else its axes' titles. Handed the function, this module does not
import charts (which imports it). The inline backend's own PNG/SVG
formatters for figures are removed, so a figure is drawn once and the executed notebook
holds one copy of it.
"""

from __future__ import annotations

import functools

from helpers.errors import JJJError

_IMAGE_MIMES = ("image/png", "image/jpeg", "image/svg+xml", "application/pdf")


def alt_text(fig) -> str:
    """What a chart shows, from its own words: label, suptitle, or axes titles."""
    label = fig.get_label() or ""
    if label.strip() and not label.startswith("_"):
        return label.strip()
    suptitle = getattr(fig, "_suptitle", None)
    if suptitle is not None and suptitle.get_text().strip():
        return suptitle.get_text().strip()
    titles = [
        ax.get_title(loc).strip()
        for ax in fig.get_axes()
        for loc in ("left", "center", "right")
        if ax.get_title(loc).strip()
    ]
    if titles:
        return "; ".join(titles)
    raise JJJError(
        "a chart needs words for its alt text: give it a title (ax.set_title) "
        "or a label (fig.set_label)"
    )


def figure_html(fig, chart_html) -> str:
    """IPython text/html formatter for a matplotlib Figure: chart_html(fig, alt text); the
    figure is closed after."""
    import matplotlib.pyplot as plt

    try:
        return chart_html(fig, alt_text(fig))
    finally:
        # Closed: the inline backend's end-of-cell flush must not show it a second time.
        plt.close(fig)


def configure(chart_html) -> bool:
    """Register figure_html, drawing with chart_html(fig, alt), in the running IPython shell;
    False outside IPython."""
    try:
        from IPython import get_ipython
    except ImportError:
        return False
    shell = get_ipython()
    if shell is None:
        return False
    import matplotlib
    import matplotlib.pyplot
    from matplotlib.figure import Figure

    backend = matplotlib.rcParams._get("backend")
    if backend in ("inline", "module://matplotlib_inline.backend_inline"):
        from matplotlib_inline.backend_inline import configure_inline_support

        # The backend defers this to the end of the cell that imported pyplot; there it would
        # reset every figure formatter, ours included. Done now, the deferred call is a no-op.
        configure_inline_support(shell, backend)
    formatters = shell.display_formatter.formatters
    for mime in _IMAGE_MIMES:
        formatters[mime].pop(Figure, None)
    formatters["text/html"].for_type(Figure, functools.partial(figure_html, chart_html=chart_html))
    return True
