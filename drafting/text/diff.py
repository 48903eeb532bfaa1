"""Diffs for people: what changed between two versions of a text, word by word, and its HTML.

History pages, the reading view, proposals and the translator's page all show changes the same
way: a word diff tidied so a replaced phrase reads as one change, counted in words, and
rendered as escaped ``<del>``/``<ins>`` with labels for screen readers. See DESIGN.md
("Diffs for people").
"""

from __future__ import annotations

import html
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass

from drafting.text.matching import _matching_blocks
from drafting.text.tokens import WORD_RE, _lines, tokenize


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
