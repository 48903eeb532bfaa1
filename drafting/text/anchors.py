"""Comments anchored to a quote: finding the passage a comment or suggestion quoted after the text moved on.

A comment keeps the words it quoted with a little context either side, as a W3C Web Annotation
TextQuoteSelector (the way Hypothesis stores them), never a character offset, which the next
edit would break. Locating an anchor only reports where the passage is now and whether it
changed; nothing is ever patched. See DESIGN.md ("Comments anchored to a quote").
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass

from diff_match_patch import diff_match_patch

ANCHOR_CONTEXT_CHARS = 32  # W3C TextQuoteSelector prefix and suffix, as Hypothesis stores them
MIN_QUOTE_SIMILARITY = 0.6
FUZZY_PATTERN_CHARS = 32  # diff-match-patch's Match_MaxBits: its bitap search is tuned for this


@dataclass(frozen=True)
class Anchor:
    """A W3C Web Annotation TextQuoteSelector: the quote and up to 32 characters either side of it."""

    quote: str
    prefix: str
    suffix: str


@dataclass(frozen=True)
class AnchorMatch:
    """Where an anchor's quote is in a text now.

    ``status`` is "exact" (the quote with its context), "moved" (the quote, unchanged, in a
    different context), "changed" (only an approximate match: the passage was edited) or "lost"
    (nothing close enough; start = end = -1).
    """

    status: str
    start: int
    end: int

    @property
    def found(self) -> bool:
        return self.status != "lost"

    @property
    def outdated(self) -> bool:
        return self.status in ("changed", "lost")


def make_anchor(text: str, quote: str, *, hint: int | None = None) -> Anchor | None:
    """Anchor ``quote`` in ``text``: the occurrence nearest ``hint`` (an offset), else the first.

    Returns None if the quote is blank or not in the text.
    """
    if not quote.strip():
        return None
    starts = _occurrences(text, quote)
    if not starts:
        return None
    start = starts[0] if hint is None else min(starts, key=lambda s: abs(s - hint))
    end = start + len(quote)
    prefix = text[max(0, start - ANCHOR_CONTEXT_CHARS) : start]
    return Anchor(quote, prefix, text[end : end + ANCHOR_CONTEXT_CHARS])


def locate_anchor(text: str, anchor: Anchor) -> AnchorMatch:
    """Find the anchored passage in ``text``, which may have changed since the anchor was made.

    An exact occurrence of the quote wins; among several, the one whose surroundings best match
    the prefix and suffix. Failing that, the passage is looked for approximately. Locating only:
    nothing is ever patched.
    """
    if not anchor.quote.strip():
        return AnchorMatch("lost", -1, -1)
    if starts := _occurrences(text, anchor.quote):
        start = max(starts, key=lambda s: _context_similarity(text, s, anchor))
        in_context = _context(text, start, anchor) == (anchor.prefix, anchor.suffix)
        return AnchorMatch("exact" if in_context else "moved", start, start + len(anchor.quote))
    return _approximate_match(text, anchor) or AnchorMatch("lost", -1, -1)


def _occurrences(text: str, quote: str) -> list[int]:
    """The offsets of every occurrence of quote in text, overlapping ones included."""
    starts = []
    start = text.find(quote)
    while start >= 0:
        starts.append(start)
        start = text.find(quote, start + 1)
    return starts


def _context(text: str, start: int, anchor: Anchor) -> tuple[str, str]:
    """The text around the quote at ``start``, as long as the anchor's prefix and suffix."""
    end = start + len(anchor.quote)
    return text[max(0, start - len(anchor.prefix)) : start], text[end : end + len(anchor.suffix)]


def _context_similarity(text: str, start: int, anchor: Anchor) -> float:
    before, after = _context(text, start, anchor)
    return _similarity(before, anchor.prefix) + _similarity(after, anchor.suffix)


def _similarity(a: str, b: str) -> float:
    return difflib.SequenceMatcher(None, a, b, autojunk=False).ratio()


def _approximate_match(text: str, anchor: Anchor) -> AnchorMatch | None:
    """Find an edited version of the quote, or None.

    diff-match-patch's bitap search is built for patterns of up to 32 characters
    (``Match_MaxBits``). So it looks for the first 32 characters of the quote near where what is
    left of the passage puts it, then for the last 32 in the reversed text, which finds where the
    quote now ends. The span must resemble the whole quote.
    """
    quote = anchor.quote
    expected = _expected_start(text, anchor)
    if expected is None:
        return None
    start = _fuzzy_find(text, quote[:FUZZY_PATTERN_CHARS], expected)
    if start < 0:
        return None

    ends = [min(start + len(quote), len(text))]
    from_end = _fuzzy_find(text[::-1], quote[-FUZZY_PATTERN_CHARS:][::-1], len(text) - ends[0])
    if 0 <= from_end < len(text) - start:
        ends.append(len(text) - from_end)
    end = max(ends, key=lambda e: _similarity(text[start:e], quote))
    if _similarity(text[start:end], quote) < MIN_QUOTE_SIMILARITY:
        return None
    return AnchorMatch("changed", start, end)


def _expected_start(text: str, anchor: Anchor) -> int | None:
    """Where the quote should start, going by what is left: its prefix, its suffix or a piece of it.

    None if none of them is in the text: then the passage is too changed to look for.
    """
    if anchor.prefix and (found := text.find(anchor.prefix)) >= 0:
        return found + len(anchor.prefix)
    if anchor.suffix and (found := text.find(anchor.suffix)) >= 0:
        return max(0, found - len(anchor.quote))
    piece_length = FUZZY_PATTERN_CHARS // 2
    for offset in range(0, len(anchor.quote) - piece_length + 1, piece_length):
        if (found := text.find(anchor.quote[offset : offset + piece_length])) >= 0:
            return max(0, found - offset)
    return None


def _fuzzy_find(text: str, pattern: str, near: int) -> int:
    """The start of the best approximate match of pattern in text near offset ``near``, or -1.

    diff-match-patch weighs errors against the distance from ``near``: 500 characters away costs
    as much as getting half the pattern wrong, which is as far as it looks.
    """
    return diff_match_patch().match_main(text, pattern, near)


def find_passage(text: str, quote: str) -> tuple[int, int] | None:
    """Where ``quote`` is in ``text``, as typed or as a browser copies a selection.

    A selection's text joins paragraphs and lines with whatever whitespace the browser chose,
    so each run of whitespace in the quote matches any run of whitespace in the text. Returns
    the first match's (start, end), or None.
    """
    words = quote.split()
    if not words:
        return None
    if (start := text.find(quote)) >= 0:
        return start, start + len(quote)
    match = re.search(r"\s+".join(re.escape(word) for word in words), text)
    return (match.start(), match.end()) if match else None


def anchor_from_selection(
    text: str, quote: str, *, hint: int | None = None, prefix: str = "", suffix: str = ""
) -> Anchor | None:
    """A TextQuoteSelector for a selection made on ``text``: its quote is the text's own words.

    Where the words occur more than once, ``prefix`` and ``suffix`` (the words the browser saw
    around the selection) pick the occurrence the person selected; without them, the first.
    """
    found = find_passage(text, quote.strip())
    if found is None:
        return None
    start, end = found
    if hint is None and (prefix or suffix) and len(_occurrences(text, text[start:end])) > 1:
        around = Anchor(text[start:end], prefix[-ANCHOR_CONTEXT_CHARS:], suffix[:ANCHOR_CONTEXT_CHARS])
        match = locate_anchor(text, around)
        if match.found:
            hint = match.start
    return make_anchor(text, text[start:end], hint=hint if hint is not None else start)
