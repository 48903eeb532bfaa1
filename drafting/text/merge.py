"""Three-way merge: folding a stale edit or a stale proposal into the current text when changes do not overlap.

Lines that at most one side touched settle line by line; lines both sides touched are merged
token by token, so two people editing different words of one paragraph both keep their change.
What truly clashes comes back as a conflict with some merged text around it, for a person to
resolve: the portal never silently overwrites. See DESIGN.md ("Three-way merge").
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from merge3 import Merge3

from drafting.text.matching import _Matcher
from drafting.text.tokens import _lines, tokenize

CONFLICT_CONTEXT_TOKENS = 12


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


def contains_change(base: str, text: str, change: str) -> bool:
    """Whether `text` already makes the change from `base` to `change`: merging it in changes nothing."""
    if change == base:
        return False
    merged = merge_three_way(base, text, change)
    return merged.clean and merged.text == text


def take_out(base: str, text: str, change: str) -> str | None:
    """`text` without the change from `base` to `change` it contains, or None if it cannot be told apart.

    Taking the change out is a three-way merge from `change` towards both `text` (what else
    `text` changed) and `base` (the change undone). The result counts only when it is clean,
    differs from `text` (so `text` did contain the change) and putting the change back into it
    gives `text` again exactly: then `text` is the result plus the change, and nothing of the
    person's own edits is lost by leaving the change out.
    """
    if change == base:
        return None
    rest = merge_three_way(change, text, base)
    if not rest.clean or rest.text == text:
        return None
    back = merge_three_way(base, rest.text, change)
    return rest.text if back.clean and back.text == text else None
