"""The text algorithms of the portal: tokens, word diffs, three-way merge, attribution, quote anchors.

Drafting a policy is many people editing the same prose. Everything the portal does with that
prose beyond storing it lives here: showing what changed word by word, merging a stale edit or a
stale proposal into the current text when the changes do not overlap, telling who wrote each
paragraph, and finding the passage a comment quoted after the text has moved on.

These are pure functions on strings: no Django, no database. That keeps them fast to test, lets
hypothesis throw arbitrary Unicode at them, and lets ``bench/bench_text.py`` time them alone.
The approach is explained in DESIGN.md ("Tokens", "Three-way merge", "Diffs for people",
"Attribution", "Comments anchored to a quote").

Two ideas run through the module:

* Text is cut into tokens by one regular expression that keeps everything (words, runs of
  whitespace, single punctuation marks), so joining the tokens always gives the text back, and
  Python's Unicode ``\\w`` keeps Kazakh and Russian words whole.
* ``difflib.SequenceMatcher`` is quadratic in the occurrences of popular tokens (a space is every
  other token), and would take minutes on 100 KB of prose. So texts are matched line by line
  first and word by word only where lines differ; and within any stretch, what both sides share
  at either end and the elements that occur once on each side (as in patience diff) are matched
  before SequenceMatcher sees the short stretches left between them.
"""

from __future__ import annotations

import difflib
import html
import re
from bisect import bisect_left
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from itertools import groupby, pairwise
from typing import TypeVar

from diff_match_patch import diff_match_patch
from merge3 import Merge3

T = TypeVar("T")

TOKEN_RE = re.compile(r"\w+|\s+|[^\w\s]")
WORD_RE = re.compile(r"\w+")

MATCH_BUDGET = 100_000  # steps of SequenceMatcher's inner loop allowed on one stretch: about 50 ms
CONFLICT_CONTEXT_TOKENS = 12
ANCHOR_CONTEXT_CHARS = 32  # W3C TextQuoteSelector prefix and suffix, as Hypothesis stores them
MIN_QUOTE_SIMILARITY = 0.6
FUZZY_PATTERN_CHARS = 32  # diff-match-patch's Match_MaxBits: its bitap search is tuned for this


# --- Tokens and lines --------------------------------------------------------------------------


def tokenize(text: str) -> list[str]:
    """Split text into words, runs of whitespace and single other characters.

    Nothing is dropped: ``"".join(tokenize(text)) == text`` for every string.
    """
    return TOKEN_RE.findall(text)


def split_paragraphs(text: str) -> list[str]:
    """Return the paragraphs of text: runs of non-blank lines, separated by blank lines.

    Line breaks inside a paragraph become ``"\\n"``; blank lines around paragraphs are dropped,
    so empty or blank text gives ``[]``.
    """
    runs = groupby(text.splitlines(), key=lambda line: bool(line.strip()))
    return ["\n".join(lines) for filled, lines in runs if filled]


def _lines(text: str) -> list[str]:
    """Split text into lines, each with its line break; ``"".join(_lines(text)) == text``."""
    return text.splitlines(keepends=True)


# --- Matching ---------------------------------------------------------------------------------


def _matching_blocks(a: Sequence[str], b: Sequence[str]) -> list[difflib.Match]:
    """The blocks a and b have in common, as ``SequenceMatcher.get_matching_blocks()`` returns them.

    ``SequenceMatcher(None, a, b, autojunk=False)`` is quadratic in the occurrences of popular
    elements: on two 100 KB texts it takes minutes. The problem is narrowed first, as patience
    diff does it, and SequenceMatcher only gets the short stretches left over:

    1. the head and tail the two sides share match as they are;
    2. elements that occur exactly once on each side, kept in the longest run that has the same
       order on both, are anchors, and the stretches between anchors are matched in turn;
    3. a stretch without anchors goes to SequenceMatcher, unless the work would exceed
       ``MATCH_BUDGET``: such long stretches sharing no unique element are different texts, and
       stay unmatched.
    """
    found: list[tuple[int, int, int]] = []
    todo = [(0, 0, a, b)]  # offsets of x in a and of y in b, then x and y
    while todo:
        i, j, x, y = todo.pop()
        head, tail = _shared_ends(x, y)
        found += [(i, j, head), (i + len(x) - tail, j + len(y) - tail, tail)]
        i, j, x, y = i + head, j + head, x[head : len(x) - tail], y[head : len(y) - tail]
        if not x or not y:
            continue
        if anchors := _anchors(x, y):
            found += [(i + p, j + q, 1) for p, q in anchors]
            bounds = [(-1, -1), *anchors, (len(x), len(y))]
            for (p, q), (p_next, q_next) in pairwise(bounds):
                todo.append((i + p + 1, j + q + 1, x[p + 1 : p_next], y[q + 1 : q_next]))
        elif _matching_work(x, y) <= MATCH_BUDGET:
            matcher = difflib.SequenceMatcher(None, x, y, autojunk=False)
            found += [(i + p, j + q, size) for p, q, size in matcher.get_matching_blocks()]

    blocks: list[difflib.Match] = []
    for p, q, size in sorted(block for block in found if block[2]):
        last = blocks[-1] if blocks else None
        if last and last.a + last.size == p and last.b + last.size == q:
            blocks[-1] = difflib.Match(last.a, last.b, last.size + size)
        else:
            blocks.append(difflib.Match(p, q, size))
    blocks.append(difflib.Match(len(a), len(b), 0))
    return blocks


def _shared_ends(x: Sequence[str], y: Sequence[str]) -> tuple[int, int]:
    """The lengths of the longest common head and, after it, the longest common tail of x and y."""
    shortest = min(len(x), len(y))
    head = 0
    while head < shortest and x[head] == y[head]:
        head += 1
    tail = 0
    while tail < shortest - head and x[-1 - tail] == y[-1 - tail]:
        tail += 1
    return head, tail


def _anchors(x: Sequence[str], y: Sequence[str]) -> list[tuple[int, int]]:
    """Positions (p, q) of elements found once in x and once in y: the longest run ordered alike on both."""
    once_in_y = _unique_positions(y)
    pairs = [(p, once_in_y[element]) for element, p in _unique_positions(x).items() if element in once_in_y]
    return _longest_increasing(pairs)


def _unique_positions(sequence: Sequence[str]) -> dict[str, int]:
    """Element -> position for the elements that occur once, in order of position."""
    counts = Counter(sequence)
    return {element: position for position, element in enumerate(sequence) if counts[element] == 1}


def _longest_increasing(pairs: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """The longest subsequence of pairs (which come sorted by p) along which q increases too.

    Patience sorting: each pair goes on the leftmost pile whose top has a larger q, remembering
    the top of the pile to its left; following those links back from the last pile gives the run.
    """
    tops: list[int] = []  # q of the pair on top of each pile
    top_pairs: list[int] = []  # index in pairs of that pair
    below: list[int] = []  # for each pair, the index of the pair it extends, or -1
    for index, (_, q) in enumerate(pairs):
        pile = bisect_left(tops, q)
        below.append(top_pairs[pile - 1] if pile else -1)
        if pile == len(tops):
            tops.append(q)
            top_pairs.append(index)
        else:
            tops[pile] = q
            top_pairs[pile] = index

    run = []
    index = top_pairs[-1] if top_pairs else -1
    while index >= 0:
        run.append(pairs[index])
        index = below[index]
    return run[::-1]


def _matching_work(x: Sequence[str], y: Sequence[str]) -> int:
    """Roughly how many steps SequenceMatcher takes to find the longest match of x in y."""
    counts = Counter(y)
    return sum(counts[element] for element in x)


class _Matcher:
    """``_matching_blocks`` in the shape ``Merge3(sequence_matcher=...)`` asks for."""

    def __init__(self, isjunk: None, a: Sequence[str], b: Sequence[str]) -> None:
        self.a, self.b = a, b

    def get_matching_blocks(self) -> list[difflib.Match]:
        return _matching_blocks(self.a, self.b)


# --- Diffs for people -------------------------------------------------------------------------


@dataclass(frozen=True)
class DiffChunk:
    """A piece of a diff: text both versions share ("equal"), or only the old ("delete") or new ("insert")."""

    op: str
    text: str


def word_diff(old: str, new: str) -> list[DiffChunk]:
    """Diff two texts word by word.

    Joining the chunks that are not "insert" gives ``old``; joining those that are not "delete"
    gives ``new``. Neighbouring chunks never share an op, a replacement is a "delete" followed by
    an "insert", and two replacements separated only by spaces read as one (see ``_tidy``).
    Lines are matched first and words only inside lines that differ, so 100 KB texts differing in
    a few dozen places take milliseconds.
    """
    return _tidy(_diff(_lines(old), _lines(new), refine=_diff_words))


def _diff_words(old: str, new: str) -> Iterator[DiffChunk]:
    return _diff(tokenize(old), tokenize(new))


_Refine = Callable[[str, str], Iterable[DiffChunk]]


def _diff(old: Sequence[str], new: Sequence[str], refine: _Refine | None = None) -> Iterator[DiffChunk]:
    """Yield the chunks that turn the pieces ``old`` into ``new``; ``refine`` diffs replaced stretches."""
    i = j = 0
    for block in _matching_blocks(old, new):
        removed, added = "".join(old[i : block.a]), "".join(new[j : block.b])
        if removed and added and refine:
            yield from refine(removed, added)
        else:
            if removed:
                yield DiffChunk("delete", removed)
            if added:
                yield DiffChunk("insert", added)
        if block.size:
            yield DiffChunk("equal", "".join(old[block.a : block.a + block.size]))
        i, j = block.a + block.size, block.b + block.size


@dataclass(frozen=True)
class _Run:
    """A stretch of a diff: unchanged text (old == new), or a change from old to new."""

    changed: bool
    old: str
    new: str

    @classmethod
    def of(cls, chunk: DiffChunk) -> _Run:
        old = "" if chunk.op == "insert" else chunk.text
        new = "" if chunk.op == "delete" else chunk.text
        return cls(chunk.op != "equal", old, new)

    def __add__(self, other: _Run) -> _Run:
        return _Run(self.changed or other.changed, self.old + other.old, self.new + other.new)

    @property
    def replaces(self) -> bool:
        return self.changed and bool(self.old) and bool(self.new)

    @property
    def is_gap(self) -> bool:
        """Unchanged spaces within a line, the kind that separates two words."""
        return not self.changed and self.old.isspace() and "\n" not in self.old

    def chunks(self) -> list[DiffChunk]:
        if not self.changed:
            return [DiffChunk("equal", self.old)]
        return [DiffChunk(op, text) for op, text in (("delete", self.old), ("insert", self.new)) if text]


def _tidy(chunks: Iterable[DiffChunk]) -> list[DiffChunk]:
    """Coalesce neighbouring chunks of one op, and join two replacements separated by a space.

    "в течение 14 дней" -> "в срок 30 суток" then reads as one replaced phrase instead of three
    words struck out and re-added around unchanged spaces.
    """
    runs: list[_Run] = []
    for run in map(_Run.of, chunks):
        if runs and runs[-1].changed == run.changed:
            run = runs.pop() + run
        runs.append(run)

    joined: list[_Run] = []
    for run in runs:
        if run.replaces and len(joined) >= 2 and joined[-1].is_gap and joined[-2].replaces:
            gap = joined.pop()
            run = joined.pop() + gap + run
        joined.append(run)
    return [chunk for run in joined for chunk in run.chunks()]


def diff_stats(chunks: Iterable[DiffChunk]) -> tuple[int, int]:
    """Return (words added, words removed), counting the ``\\w+`` runs in inserted and deleted chunks."""
    added = removed = 0
    for chunk in chunks:
        words = len(WORD_RE.findall(chunk.text))
        if chunk.op == "insert":
            added += words
        elif chunk.op == "delete":
            removed += words
    return added, removed


def _mark(chunk: DiffChunk, removed_label: str, added_label: str) -> str:
    """Escaped HTML for one chunk; changes are ``<del>`` or ``<ins>``, labelled for screen readers."""
    text = html.escape(chunk.text)
    if chunk.op == "equal":
        return text
    tag, label = ("del", removed_label) if chunk.op == "delete" else ("ins", added_label)
    return f'<{tag}><span class="visually-hidden">{html.escape(label)}</span>{text}</{tag}>'


def render_inline_diff(
    chunks: Iterable[DiffChunk], *, removed_label: str = "removed: ", added_label: str = "added: "
) -> str:
    """Render a diff as one HTML string of text, ``<del>`` and ``<ins>``.

    Every piece of text is escaped. Line breaks stay "\\n": show the result in a
    ``white-space: pre-wrap`` block. Pass translated labels from the view.
    """
    return "".join(_mark(chunk, removed_label, added_label) for chunk in chunks)


def render_side_by_side(
    chunks: Iterable[DiffChunk], *, removed_label: str = "removed: ", added_label: str = "added: "
) -> tuple[str, str]:
    """Render a diff as (old HTML, new HTML): the old text marks deletions, the new one insertions."""
    chunks = list(chunks)
    old = "".join(_mark(chunk, removed_label, added_label) for chunk in chunks if chunk.op != "insert")
    new = "".join(_mark(chunk, removed_label, added_label) for chunk in chunks if chunk.op != "delete")
    return old, new


# --- Three-way merge --------------------------------------------------------------------------


@dataclass(frozen=True)
class MergeConflict:
    """A region both sides changed differently, with a little of the merged text around it."""

    base: str  # what the common ancestor said in this region
    current: str  # what the saved text says now
    mine: str  # what this person or proposal wants
    before: str  # up to CONFLICT_CONTEXT_TOKENS tokens of the merged text before the region
    after: str  # up to CONFLICT_CONTEXT_TOKENS tokens of the merged text after it


@dataclass(frozen=True)
class MergeResult:
    """The merged text and its conflicts; in conflict regions the text takes ``mine``, a draft to fix."""

    text: str
    conflicts: tuple[MergeConflict, ...]

    @property
    def clean(self) -> bool:
        return not self.conflicts


def merge_three_way(base: str, current: str, mine: str) -> MergeResult:
    """Merge the changes base -> current and base -> mine.

    Changes to different words merge cleanly, even within one paragraph; changes to the same
    words, and different insertions at the same point, are conflicts. When only one side
    changed anything, or both made the same change (a double submit), the result is that change.
    """
    if mine in (current, base):
        return MergeResult(current, ())
    if current == base:
        return MergeResult(mine, ())

    merged: list[str] = []  # the tokens of the result
    clashes: list[tuple[int, int, str, str, str]] = []  # span in merged, then base, current, mine
    for text, clash in _merge_regions(base, current, mine):
        tokens = tokenize(text)
        if clash:
            clashes.append((len(merged), len(merged) + len(tokens), *clash, text))
        merged += tokens

    conflicts = tuple(
        MergeConflict(
            base=base_text,
            current=current_text,
            mine=mine_text,
            before="".join(merged[max(0, start - CONFLICT_CONTEXT_TOKENS) : start]),
            after="".join(merged[end : end + CONFLICT_CONTEXT_TOKENS]),
        )
        for start, end, base_text, current_text, mine_text in clashes
    )
    return MergeResult("".join(merged), conflicts)


def _merge_regions(base: str, current: str, mine: str) -> Iterator[tuple[str, tuple[str, str] | None]]:
    """Yield the merge in order as (text, clash).

    ``clash`` is None where the merge is clean and ``text`` is what it takes. Where the sides
    clash, ``clash`` is (base, current) and ``text`` is mine. Lines that at most one side touched
    are settled line by line; where both touched the same lines, those lines are merged token by
    token, so edits to different words of one paragraph do not clash.
    """
    for group in _merge3(_lines(base), _lines(current), _lines(mine)):
        if group[0] != "conflict":
            yield "".join(group[1]), None
            continue
        for region in _merge3(*(tokenize("".join(lines)) for lines in group[1:])):
            if region[0] == "conflict":
                base_part, current_part, mine_part = ("".join(part) for part in region[1:])
                yield mine_part, (base_part, current_part)
            else:
                yield "".join(region[1]), None


def _merge3(base: list[str], current: list[str], mine: list[str]) -> Iterator[tuple]:
    """merge3's groups: ("unchanged" | "a" | "same" | "b", items) or ("conflict", base, current, mine)."""
    return Merge3(base, current, mine, sequence_matcher=_Matcher).merge_groups()


# --- Attribution ------------------------------------------------------------------------------


def attribute_paragraphs[T](revisions: Sequence[tuple[str, T]]) -> list[tuple[str, T]]:
    """Credit each paragraph of the last revision to the revision that last changed it.

    ``revisions`` are (text, origin), oldest first. Between consecutive revisions, paragraphs that
    stayed the same keep their origin; changed and new ones take the newer revision's origin.
    This is ``attribute_step`` folded over the history; the portal stores each step's result, so
    it runs this whole walk only for a section that has none stored.
    """
    attributed: list[tuple[str, T]] = []
    for text, origin in revisions:
        attributed = attribute_step(attributed, text, origin)
    return attributed


def attribute_step[T](previous: Sequence[tuple[str, T]], text: str, origin: T) -> list[tuple[str, T]]:
    """Attribute the paragraphs of ``text``, given the attributed paragraphs of the revision before.

    Paragraphs equal to one of the previous revision (matched in order) keep their origin; the
    others are credited to ``origin``. One diff of paragraphs: the cost of a save does not grow
    with the history behind it.
    """
    paragraphs = split_paragraphs(text)
    origins = [origin] * len(paragraphs)
    matcher = difflib.SequenceMatcher(None, [paragraph for paragraph, _ in previous], paragraphs, autojunk=False)
    for block in matcher.get_matching_blocks():
        for offset in range(block.size):
            origins[block.b + offset] = previous[block.a + offset][1]
    return list(zip(paragraphs, origins, strict=True))


# --- Overlapping proposals ----------------------------------------------------------------------


def changed_spans(current: str, proposed: str) -> list[tuple[int, int]]:
    """The stretches of ``current`` that ``proposed`` replaces, as (start, end) character offsets.

    A pure insertion is an empty stretch (start == end) at the point where it goes.
    """
    spans: list[tuple[int, int]] = []
    position = 0
    for chunk in word_diff(current, proposed):
        if chunk.op == "insert":
            spans.append((position, position))
        elif chunk.op == "delete":
            spans.append((position, position + len(chunk.text)))
            position += len(chunk.text)
        else:
            position += len(chunk.text)
    merged: list[tuple[int, int]] = []
    for start, end in spans:  # a replacement is a delete then an insert at its end: one stretch
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
        else:
            merged.append((start, end))
    return merged


def overlapping_pairs[T](spans_by_key: dict[T, list[tuple[int, int]]]) -> list[tuple[T, T]]:
    """The pairs of keys whose changed stretches overlap or touch, in one sweep over the stretches.

    Two changes touch when nothing unchanged separates them, as in a three-way merge, where two
    insertions at the same point or two edits of adjacent words cannot both apply. The sweep
    sorts the stretches once, so the cost grows with the number of stretches, not with the
    number of pairs of proposals.
    """
    events = sorted(
        (start, end, order, key) for order, (key, spans) in enumerate(spans_by_key.items()) for start, end in spans
    )
    order_of = {key: order for order, key in enumerate(spans_by_key)}
    active: list[tuple[int, int, T]] = []  # (end, order, key) of stretches still open
    pairs: set[tuple[T, T]] = set()
    for start, end, order, key in events:
        active = [item for item in active if item[0] >= start]
        for _end, other_order, other in active:
            if other != key:
                pairs.add((other, key) if other_order < order else (key, other))
        active.append((end, order, key))
    return sorted(pairs, key=lambda pair: (order_of[pair[0]], order_of[pair[1]]))


# --- Comments anchored to a quote -------------------------------------------------------------


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


def anchor_from_selection(text: str, quote: str, *, hint: int | None = None) -> Anchor | None:
    """A TextQuoteSelector for a selection made on ``text``: its quote is the text's own words."""
    found = find_passage(text, quote.strip())
    if found is None:
        return None
    start, end = found
    return make_anchor(text, text[start:end], hint=hint if hint is not None else start)
