"""Overlapping proposals: the stretches of a section a proposal changes, and which proposals clash.

Two proposals that change the same words are alternatives: both cannot be merged cleanly. The
proposals pages show them as such, and the reading view marks the stretches open proposals
change. The stretches come from the word diff; the pairs from one sweep over all stretches, so
many proposals on one section stay cheap.
"""

from __future__ import annotations

from drafting.text.diff import word_diff


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
