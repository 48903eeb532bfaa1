"""Attribution: which revision last changed each paragraph, so a reader can see who wrote what.

Paragraphs are compared whole between consecutive revisions; the portal stores each step's
result, so a save costs one paragraph diff however long the history behind it. See DESIGN.md
("Attribution").
"""

from __future__ import annotations

import difflib
from collections.abc import Sequence

from drafting.text.tokens import split_paragraphs


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
