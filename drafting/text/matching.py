"""Matching two sequences fast: the common blocks under every word diff and three-way merge.

``difflib.SequenceMatcher`` is quadratic in the occurrences of popular tokens (a space is every
other token), and would take minutes on 100 KB of prose. So texts are matched line by line
first and word by word only where lines differ (the callers do that); and within any stretch,
what both sides share at either end and the elements that occur once on each side (as in
patience diff) are matched before SequenceMatcher sees the short stretches left between them.
This module is that narrowing; ``bench/bench_text.py`` times it through its callers.
"""

from __future__ import annotations

import difflib
from bisect import bisect_left
from collections import Counter
from collections.abc import Sequence
from itertools import pairwise

MATCH_BUDGET = 100_000  # steps of SequenceMatcher's inner loop allowed on one stretch: about 50 ms


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


def changed_opcodes[T](old: Sequence[T], new: Sequence[T]) -> list[tuple[str, int, int, int, int]]:
    """What turns old into new, as ``SequenceMatcher.get_opcodes()`` without the "equal" runs.

    Built on ``_matching_blocks``, so a long section rewritten almost whole stays fast; the
    elements need only be hashable (the Word export matches styled words, not strings).
    """
    opcodes = []
    i = j = 0
    for a, b, size in _matching_blocks(old, new):  # type: ignore[arg-type]
        if i < a and j < b:
            opcodes.append(("replace", i, a, j, b))
        elif i < a:
            opcodes.append(("delete", i, a, j, b))
        elif j < b:
            opcodes.append(("insert", i, a, j, b))
        i, j = a + size, b + size
    return opcodes
