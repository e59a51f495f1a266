"""A report's notes: each value in the prose links to a numbered note giving its quote, who
said it and its source as readers cite it (publisher, title, date, URL); a derived value lists
its terms. Notes are numbered in order of first use, one per name.
"""

from __future__ import annotations

import html
import re

from helpers.publish import i18n
from helpers.publish.formatting import Citation, Value, format_value

NOTES_HEADING = {"zh": "注释", "en": "Notes"}
NOTE_LABEL = {"zh": "注释{n}", "en": "note {n}"}
_TOKEN = re.compile(r"JJJVALUE\d{5}X")


class Notes:
    """Provenance notes numbered in order of first use."""

    def __init__(self, lang: str):
        self.lang = lang
        self.items: list[str] = []
        self._ids: dict[str, int] = {}
        # Placeholders become plain tokens before the markdown is rendered (a markdown
        # renderer may split inline HTML); the tokens are replaced in the rendered HTML.
        self.fills: dict[str, tuple[str, str]] = {}

    def token(self, html_text: str, plain: str) -> str:
        token = f"JJJVALUE{len(self.fills):05d}X"
        self.fills[token] = (html_text, plain)
        return token

    def substitute(self, rendered: str) -> str:
        """The rendered HTML with every token replaced by its value and note link."""
        return _TOKEN.sub(lambda m: self.fills[m.group(0)][0], rendered)

    def plain(self, text: str) -> str:
        """Text with every token replaced by the value alone (no note marker)."""
        return _TOKEN.sub(lambda m: self.fills[m.group(0)][1], text)

    def number(self, name: str, value: Value) -> int:
        if name not in self._ids:
            self.items.append(note_html(value, self.lang))
            self._ids[name] = len(self.items)
        return self._ids[name]

    def html(self) -> str:
        if not self.items:
            return ""
        lis = "".join(
            f'<li id="note-{i}">{text}</li>' for i, text in enumerate(self.items, start=1)
        )
        head = html.escape(NOTES_HEADING[self.lang])
        return (
            f'<section class="notes" aria-labelledby="notes-heading">'
            f'<h2 id="notes-heading">{head}</h2><ol>{lis}</ol></section>'
        )


def pick(text, lang: str) -> str:
    """A citation's text field (a str, or {"zh": …, "en": …}) as a reader of `lang` reads it."""
    if isinstance(text, dict):
        text = str(text.get(lang) or text.get("zh") or "")
    text = str(text or "")
    if lang == "en":
        text = i18n.dashes(text)  # the region's one English name, whatever a source writes
    return text


def citation_html(c: Citation, lang: str) -> str:
    """Publisher, 《title》/“title”, date, link; what is uncertain said so."""
    parts = []
    if pub := pick(c.publisher, lang):
        parts.append(html.escape(pub))
    if title := pick(c.title, lang):
        parts.append(html.escape(f"《{title}》" if lang == "zh" else f"“{title}”"))
    if date := pick(c.date, lang):
        parts.append(html.escape(date))
    if c.url:
        url = html.escape(c.url, quote=True)
        parts.append(f'<a href="{url}">{html.escape(c.url)}</a>')
    text = ("，" if lang == "zh" else ", ").join(parts)
    if note := pick(c.note, lang):
        text += f"（{html.escape(note)}）" if lang == "zh" else f" ({html.escape(note)})"
    return text


# A quote the source prints in English, shown as printed and said to be English in zh.
QUOTE_EN = {"zh": "英文原文：“{q}”", "en": "“{q}” (printed in English)"}


def quoted(value: Value, lang: str) -> str:
    """The value's quote in quotation marks, as printed; an English one said to be English."""
    if value.quote_lang == "en":
        return QUOTE_EN[lang].format(q=value.quote)
    return f"“{value.quote}”"


def note_html(value: Value, lang: str) -> str:
    """A note: “quote” — attribution — source; a derived value lists its terms."""
    parts = []
    if value.quote:
        q = quoted(value, lang)
        if lang == "en" and value.quote_lang != "en" and not value.basis:
            q += f" ({format_value(value, 'en')})"  # a Chinese quote glossed by its value
        parts.append(html.escape(q))
    if value.attribution:
        parts.append(html.escape(i18n.attribution(value.attribution, lang)))
    if value.citation:
        parts.append(citation_html(value.citation, lang))
    if note := pick(value.note, lang):
        parts.append(html.escape(note))
    sep = "；" if lang == "zh" else "; "
    if value.basis:
        op = f" {value.operation or '÷'} "
        terms = op.join(
            html.escape(quoted(b, lang) if b.quote else format_value(b, lang)) for b in value.basis
        )
        cites = dict.fromkeys(citation_html(b.citation, lang) for b in value.basis if b.citation)
        head = "由原文推得：" if lang == "zh" else "derived: "
        parts += [head + terms, *cites]
    return sep.join(p for p in parts if p)
