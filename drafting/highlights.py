"""Highlighted passages and paragraph references, inserted into sanitised HTML.

Pure functions, no database. The input is HTML that ``drafting.markdown`` produced (Markdown,
then bleach), so it is well formed: tags with quoted attributes, text with its special
characters escaped. It is split into tags and text; the tags are copied as they are, the text
is unescaped only to count characters and escaped again on the way out, so nothing a person
typed is ever parsed as markup. Only our own elements are added, with attributes built here
from integers and escaped strings:

* ``<mark class="anchor-mark ...">`` around each piece of text inside a highlighted passage;
  a passage that crosses tags (``<strong>``, the end of a paragraph) becomes several marks, one
  per text node, so the element tree is never broken. Overlapping and adjacent passages are
  split into segments that list every passage they belong to (``data-threads``);
* after the last piece of each passage a small link to its thread card (outside any link
  the text already has, since links do not nest);
* around each top-level block (paragraph, list, table, quotation) a ``<div class="para">``
  with the id ``{prefix}-p{n}`` and a reference link ("3.2 ¶4").

Both kinds of link carry their visible text in ``data-ref`` (shown by CSS ``content: attr()``,
on screen, in print and in the PDF) and their name in ``aria-label``, so they add nothing to
the text of the page: a reader's selection, a copy, or the text a test reads stays the text.

Offsets are in the *text* of the HTML (``plain_text``), which is what a reader selects.
"""

from __future__ import annotations

import html
import re
from collections.abc import Sequence
from dataclasses import dataclass

TOKEN_RE = re.compile(r"""<(/?)([a-zA-Z][a-zA-Z0-9]*)(?:[^>"']|"[^"]*"|'[^']*')*>""")
VOID_TAGS = frozenset({"br", "hr", "img", "wbr"})
# Where a <mark> may not stand: whitespace between rows, cells and items.
NO_TEXT_PARENTS = frozenset({"table", "thead", "tbody", "tfoot", "tr", "ul", "ol"})
COLOURS = 6


@dataclass(frozen=True)
class Highlight:
    """One highlighted passage: text offsets [start, end), the thread it belongs to, and its link."""

    start: int
    end: int
    key: int  # the thread's first comment
    href: str  # where its card is ("#comment-7" or another page's URL)
    label: str  # the link's visible text, e.g. its number in the panel
    title: str = ""  # the link's accessible name, e.g. "Comment thread 3"
    colour: int = 0


@dataclass(frozen=True)
class _Token:
    raw: str
    is_tag: bool
    closing: bool = False
    name: str = ""

    @property
    def text(self) -> str:
        return html.unescape(self.raw)


def _tokens(source: str) -> list[_Token]:
    tokens, pos = [], 0
    for match in TOKEN_RE.finditer(source):
        if match.start() > pos:
            tokens.append(_Token(source[pos : match.start()], False))
        tokens.append(_Token(match.group(0), True, bool(match.group(1)), match.group(2).lower()))
        pos = match.end()
    if pos < len(source):
        tokens.append(_Token(source[pos:], False))
    return tokens


def plain_text(source: str) -> str:
    """The text a reader sees in ``source`` (tags dropped, entities decoded)."""
    return "".join(t.text for t in _tokens(source) if not t.is_tag)


def annotate(
    source: str,
    *,
    highlights: Sequence[Highlight] = (),
    paragraph_prefix: str | None = None,
    paragraph_label: str = "",
    paragraph_title: str = "",
) -> str:
    """``source`` with marks for ``highlights`` and, given a prefix, numbered paragraph blocks.

    ``paragraph_label`` is the section's number ("3.2"): the reference reads "3.2 ¶4".
    Highlights that are empty or fall outside the text are ignored.
    """
    tokens = _tokens(source)
    text = "".join(t.text for t in tokens if not t.is_tag)
    spans = [
        trimmed for h in highlights if 0 <= h.start < h.end <= len(text) and (trimmed := _trimmed(h, text)) is not None
    ]
    writer = _Writer(spans, paragraph_prefix, paragraph_label, paragraph_title)
    for token in tokens:
        if token.is_tag:
            writer.tag(token)
        else:
            writer.text(token.text)
    return writer.finish()


class _Writer:
    def __init__(self, spans: list[Highlight], prefix: str | None, label: str, title: str) -> None:
        self.spans = sorted(spans, key=lambda h: (h.start, -h.end, h.key))
        self.bounds = sorted({b for h in self.spans for b in (h.start, h.end)})
        self.prefix, self.label, self.title = prefix, label, title
        self.out: list[str] = []
        self.pos = 0
        self.stack: list[str] = []
        self.paragraphs = 0
        self.wrapped = False  # a top-level block is open
        self.seen: set[int] = set()  # threads whose first mark is written
        self.pending_refs: list[Highlight] = []  # refs waiting for a link to close
        self.done_refs: set[int] = set()

    # --- paragraphs -------------------------------------------------------------------------

    def _open_block(self) -> None:
        if self.prefix is None or self.wrapped:
            return
        self.paragraphs += 1
        anchor = f"{self.prefix}-p{self.paragraphs}"
        text = f"{self.label} ¶{self.paragraphs}" if self.label else f"¶{self.paragraphs}"
        title = f' title="{html.escape(self.title)}"' if self.title else ""
        self.out.append(
            f'<div class="para" id="{html.escape(anchor)}">'
            f'<a class="para-ref" href="#{html.escape(anchor)}" data-ref="{html.escape(text)}" '
            f'aria-label="{html.escape(text)}"{title}></a>'
        )
        self.wrapped = True

    def _close_block(self) -> None:
        if self.wrapped:
            self._flush_refs()
            self.out.append("</div>")
            self.wrapped = False

    # --- tokens -----------------------------------------------------------------------------

    def tag(self, token: _Token) -> None:
        if token.closing:
            if token.name in self.stack:
                while self.stack:
                    if self.stack.pop() == token.name:
                        break
            self.out.append(token.raw)
            if token.name == "a" and "a" not in self.stack:
                self._flush_refs()
            if not self.stack:
                self._close_block()
            return
        if not self.stack and token.name not in VOID_TAGS:
            self._open_block()
        self.out.append(token.raw)
        if token.name not in VOID_TAGS and not token.raw.endswith("/>"):
            self.stack.append(token.name)

    def text(self, text: str) -> None:
        start = self.pos
        self.pos += len(text)
        blank = not text.strip()
        if not self.stack and not blank:
            self._open_block()
        elif not self.stack and blank and self.wrapped:
            self._close_block()
        if blank and (not self.stack or self.stack[-1] in NO_TEXT_PARENTS):
            self.out.append(html.escape(text, quote=False))
            return
        cuts = [start] + [b for b in self.bounds if start < b < self.pos] + [self.pos]
        for a, b in zip(cuts, cuts[1:], strict=False):
            self._piece(text[a - start : b - start], a, b)
        if not self.stack:
            self._close_block()

    def _piece(self, piece: str, a: int, b: int) -> None:
        active = [h for h in self.spans if h.start <= a and b <= h.end]
        escaped = html.escape(piece, quote=False)
        if not active or not piece.strip():
            self.out.append(escaped)
            return
        new = [h for h in active if h.key not in self.seen]
        for extra in new[1:]:  # threads that start here too: each keeps an id of its own
            self.out.append(
                f'<mark class="anchor-mark" id="mark-{int(extra.key)}" data-threads="{int(extra.key)}"></mark>'
            )
        self.seen.update(h.key for h in new)
        keys = " ".join(str(int(h.key)) for h in active)
        classes = f"anchor-mark anchor-mark--c{int(active[0].colour) % COLOURS}"
        if len(active) > 1:
            classes += " anchor-mark--overlap"
        ident = f' id="mark-{int(new[0].key)}"' if new else ""
        self.out.append(f'<mark class="{classes}"{ident} data-threads="{keys}">{escaped}</mark>')
        for h in active:
            if h.end == b:
                self._ref(h)

    def _ref(self, h: Highlight) -> None:
        if h.key in self.done_refs:
            return
        self.done_refs.add(h.key)
        if "a" in self.stack:
            self.pending_refs.append(h)
        else:
            self.out.append(_ref_html(h))

    def _flush_refs(self) -> None:
        for h in self.pending_refs:
            self.out.append(_ref_html(h))
        self.pending_refs = []

    def finish(self) -> str:
        self._flush_refs()
        while self.stack:
            self.stack.pop()
        self._close_block()
        return "".join(self.out)


def _ref_html(h: Highlight) -> str:
    name = html.escape(h.title or h.label)
    return (
        f'<a class="mark-ref" href="{html.escape(h.href)}" data-thread="{int(h.key)}" '
        f'data-ref="{html.escape(h.label)}" aria-label="{name}"></a>'
    )


def _trimmed(h: Highlight, text: str) -> Highlight | None:
    """The passage without blank characters at its edges (its link then follows visible text)."""
    start, end = h.start, h.end
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    if start == end:
        return None
    return Highlight(start, end, h.key, h.href, h.label, h.title, h.colour)
