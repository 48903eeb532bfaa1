"""The text algorithms of the portal: tokens, word diffs, three-way merge, attribution, quote anchors.

Drafting a policy is many people editing the same prose. Everything the portal does with that
prose beyond storing it lives here: showing what changed word by word, merging a stale edit or a
stale proposal into the current text when the changes do not overlap, telling who wrote each
paragraph, and finding the passage a comment quoted after the text has moved on.

These are pure functions on strings: no Django, no database. That keeps them fast to test, lets
hypothesis throw arbitrary Unicode at them, and lets ``bench/bench_text.py`` time them alone.
The approach is explained in DESIGN.md ("Tokens", "Three-way merge", "Diffs for people",
"Attribution", "Comments anchored to a quote").

One module per concern:

* ``tokens``: cutting text into tokens, lines and paragraphs (everything kept, so joining the
  tokens gives the text back);
* ``matching``: the common blocks of two sequences, narrowed patience-style so 100 KB texts
  take milliseconds rather than SequenceMatcher's minutes;
* ``diff``: word diffs for people, their word counts and their HTML;
* ``merge``: three-way merge of a stale edit or proposal, with conflicts; telling whether a text
  already contains a change, and taking it back out;
* ``attribution``: which revision last changed each paragraph;
* ``overlaps``: the stretches a proposal changes, and which proposals overlap;
* ``anchors``: quote anchors (TextQuoteSelector) and finding them again.

Callers import from the package: ``from drafting.text import word_diff``.
"""

from drafting.text.anchors import (
    ANCHOR_CONTEXT_CHARS,
    FUZZY_PATTERN_CHARS,
    MIN_QUOTE_SIMILARITY,
    Anchor,
    AnchorMatch,
    anchor_from_selection,
    find_passage,
    locate_anchor,
    make_anchor,
)
from drafting.text.attribution import attribute_paragraphs, attribute_step
from drafting.text.diff import DiffChunk, diff_stats, render_inline_diff, render_side_by_side, word_diff
from drafting.text.matching import MATCH_BUDGET, changed_opcodes
from drafting.text.merge import (
    CONFLICT_CONTEXT_TOKENS,
    MergeConflict,
    MergeResult,
    contains_change,
    merge_three_way,
    take_out,
)
from drafting.text.overlaps import changed_spans, overlapping_pairs
from drafting.text.tokens import TOKEN_RE, WORD_RE, split_paragraphs, tokenize

__all__ = [
    "changed_opcodes",
    "ANCHOR_CONTEXT_CHARS",
    "CONFLICT_CONTEXT_TOKENS",
    "FUZZY_PATTERN_CHARS",
    "MATCH_BUDGET",
    "MIN_QUOTE_SIMILARITY",
    "TOKEN_RE",
    "WORD_RE",
    "Anchor",
    "AnchorMatch",
    "DiffChunk",
    "MergeConflict",
    "MergeResult",
    "anchor_from_selection",
    "attribute_paragraphs",
    "attribute_step",
    "changed_spans",
    "diff_stats",
    "find_passage",
    "locate_anchor",
    "make_anchor",
    "merge_three_way",
    "contains_change",
    "take_out",
    "overlapping_pairs",
    "render_inline_diff",
    "render_side_by_side",
    "split_paragraphs",
    "tokenize",
    "word_diff",
]
