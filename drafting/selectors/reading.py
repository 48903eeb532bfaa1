"""Reading a section or a proposal with its discussion in the text: highlighted passages, threads, suggestions."""

from bisect import bisect_right
from collections.abc import Mapping
from dataclasses import dataclass, field

from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext

from drafting.highlights import COLOURS, Highlight, annotate, plain_text
from drafting.models import Comment, Proposal, Section
from drafting.selectors.comments import ThreadNode, comment_threads
from drafting.selectors.history import revisions
from drafting.selectors.proposals import ProposalComparison
from drafting.text import Anchor, DiffChunk, changed_spans, locate_anchor, render_inline_diff, word_diff
from members.models import Expert

STATUSES = ("open", "resolved", "all")
DIFF_CONTEXT_WORDS = 8


@dataclass(frozen=True)
class ReadingFilters:
    """Which threads the panel shows: open or resolved, mine, by bloc, with a proposal on their passage."""

    status: str = "open"
    mine: bool = False
    bloc: str = ""
    with_proposal: bool = False

    @classmethod
    def from_query(cls, params: Mapping[str, str]) -> "ReadingFilters":
        """Filters from GET parameters; anything unknown falls back to the default, never an error."""
        status = params.get("status", "open")
        bloc = params.get("bloc", "")
        return cls(
            status=status if status in STATUSES else "open",
            mine=params.get("mine") == "1",
            bloc=bloc if bloc in Expert.Bloc.values else "",
            with_proposal=params.get("proposal") == "1",
        )

    @property
    def active(self) -> bool:
        return self != ReadingFilters()


@dataclass
class ReadingThread:
    node: ThreadNode
    number: int = 0  # its place in the panel, shown next to its passage
    highlighted: bool = False
    with_proposal: bool = False

    @property
    def comment(self) -> Comment:
        return self.node.comment

    @property
    def colour(self) -> int:
        return (self.number - 1) % COLOURS

    @property
    def passage(self) -> str:
        """'here' (highlighted), 'changed', 'lost' or '' (no quote)."""
        anchor = self.node.anchor
        if anchor is None:
            return ""
        return anchor.status if anchor.outdated else "here"


@dataclass(frozen=True)
class Suggestion:
    """An open proposal on the section, its change shown inline (struck-through and inserted words)."""

    proposal: Proposal
    diff_html: SafeString
    stale: bool


@dataclass
class SectionReading:
    html: SafeString
    in_text: list[ReadingThread] = field(default_factory=list)  # highlighted, in text order
    apart: list[ReadingThread] = field(default_factory=list)  # passage changed or gone
    general: list[ReadingThread] = field(default_factory=list)  # on the whole section
    suggestions: list[Suggestion] = field(default_factory=list)
    filters: ReadingFilters = ReadingFilters()
    total: int = 0  # threads before filtering

    @property
    def shown(self) -> int:
        return len(self.in_text) + len(self.apart) + len(self.general)


def _anchor_of(comment: Comment) -> Anchor:
    return Anchor(comment.quote, comment.quote_prefix, comment.quote_suffix)


def _keep(thread: ReadingThread, filters: ReadingFilters, user) -> bool:
    c = thread.comment
    if filters.status == "open" and c.is_resolved or filters.status == "resolved" and not c.is_resolved:
        return False
    if filters.mine and c.author_id != user.pk:
        return False
    if filters.bloc and getattr(getattr(c.author, "expert", None), "bloc", "") != filters.bloc:
        return False
    return not (filters.with_proposal and not thread.with_proposal)


def section_reading(
    section: Section, *, user, filters: ReadingFilters, number: str | None = None, numbers: bool = True
) -> SectionReading:
    """The section's HTML with its discussed passages marked, and the thread panel (3 queries).

    Marks come from the stored anchors re-anchored on the current text a reader sees; a
    passage that changed or vanished is listed apart with the quote it was made on. A thread
    is "with a proposal" when an open proposal changes words of its passage.
    """
    comments = Comment.objects.filter(section=section).select_related("author__expert").order_by("created_at", "pk")
    roots = comment_threads(section=section, comments=comments)
    proposals = list(
        Proposal.objects.open().filter(section=section).select_related("author__expert").order_by("created_at", "pk")
    )
    spans = [
        span for p in proposals if p.base_version == section.version for span in changed_spans(section.body, p.text)
    ]
    reading_text = plain_text(section.body_html)
    threads = [ReadingThread(node) for node in roots]
    placed: dict[int, tuple[int, int]] = {}
    for thread in threads:
        c = thread.comment
        if not c.quote:
            continue
        anchor = thread.node.anchor
        body_match = anchor if not thread.node.in_reading_text else None
        if body_match is not None and body_match.found:
            thread.with_proposal = any(s < body_match.end and body_match.start < e for s, e in spans) or any(
                s == e == body_match.start for s, e in spans
            )
        if anchor is not None and not anchor.outdated:
            match = anchor if thread.node.in_reading_text else locate_anchor(reading_text, _anchor_of(c))
            if match.found and not match.outdated:
                placed[c.pk] = (match.start, match.end)
    reading = SectionReading(html=SafeString(""), filters=filters, total=len(threads))
    kept = [t for t in threads if _keep(t, filters, user)]
    kept_in_text = sorted(
        (t for t in kept if t.comment.pk in placed), key=lambda t: (placed[t.comment.pk], t.comment.pk)
    )
    for n, thread in enumerate(kept_in_text, start=1):
        thread.number, thread.highlighted = n, True
    reading.in_text = kept_in_text
    reading.apart = [t for t in kept if t.comment.quote and t.comment.pk not in placed]
    reading.general = [t for t in kept if not t.comment.quote]
    for n, thread in enumerate(reading.apart + reading.general, start=len(kept_in_text) + 1):
        thread.number = n
    highlights = [
        Highlight(
            *placed[t.comment.pk],
            key=t.comment.pk,
            href=f"#comment-{t.comment.pk}",
            label=str(t.number),
            title=gettext("Comment thread %(number)s") % {"number": t.number},
            colour=t.number - 1,
        )
        for t in kept_in_text
    ]
    html = annotate(
        section.body_html,
        highlights=highlights,
        paragraph_prefix=f"s{section.pk}" if numbers else None,
        paragraph_label=number or "",
        paragraph_title=gettext("Link to this paragraph"),
    )
    reading.html = mark_safe(html)  # highlights.annotate escapes every text and adds only its own elements
    reading.suggestions = _suggestions(section, proposals)
    return reading


def _suggestions(section: Section, proposals: list[Proposal]) -> list[Suggestion]:
    """Each open amendment's change against the revision it was written on (one query for those texts)."""
    amendments = [p for p in proposals if p.kind == Proposal.Kind.AMENDMENT]
    stale_versions = sorted({p.base_version for p in amendments if p.base_version != section.version})
    rows = revisions(section, stale_versions) if stale_versions else {}
    labels = {"removed_label": gettext("removed: "), "added_label": gettext("added: ")}
    suggestions = []
    for p in amendments:
        stale = p.base_version != section.version
        base = rows[p.base_version].body if stale and p.base_version in rows else section.body
        chunks = compact_diff(word_diff(base, p.text))
        suggestions.append(Suggestion(p, mark_safe(render_inline_diff(chunks, **labels)), stale))  # escaped in text.py
    return suggestions


def compact_diff(chunks: list[DiffChunk], context_words: int = DIFF_CONTEXT_WORDS) -> list[DiffChunk]:
    """The changed words with a few unchanged words either side; long unchanged stretches become "…"."""
    out = []
    for i, chunk in enumerate(chunks):
        if chunk.op != "equal":
            out.append(chunk)
            continue
        words = chunk.text.split(" ")
        if len(words) <= 2 * context_words:
            out.append(chunk)
            continue
        head = " ".join(words[:context_words])
        tail = " ".join(words[-context_words:])
        if i == 0:
            text = "… " + tail
        elif i == len(chunks) - 1:
            text = head + " …"
        else:
            text = f"{head} … {tail}"
        out.append(DiffChunk("equal", text))
    return out


@dataclass(frozen=True)
class ProposalReading:
    """The proposed wording (its changes marked) with the passages its open threads quote highlighted."""

    html: SafeString
    numbers: dict[int, int] = field(default_factory=dict)  # thread (first comment) -> its mark's number


def proposal_reading(comparison: ProposalComparison, threads: list[ThreadNode], *, text: str) -> ProposalReading:
    """Highlight, in the "Proposed" column, the passages that open threads on the proposal quote.

    No queries: the threads are already anchored in the proposal's ``text`` (see comment_threads),
    and the column is that text with its inserted words wrapped in ``<ins>`` and a screen-reader
    label ("added: ") before each. Offsets in ``text`` are shifted past those labels; if the column
    is not exactly that (nothing to shift by), it is shown without marks rather than marked wrongly.
    A passage that changed or is gone is not marked: its thread shows the original quote.
    """
    html = comparison.proposed_html
    placed = sorted(
        (node.anchor.start, node.anchor.end, node.comment.pk)
        for node in threads
        if node.comment.quote
        and not node.comment.is_resolved
        and node.anchor is not None
        and node.anchor.found
        and not node.anchor.outdated
    )
    to_shown = _shown_offsets(comparison.chunks, text, plain_text(html)) if placed else None
    if to_shown is None:
        return ProposalReading(html)
    highlights, numbers = [], {}
    for number, (start, end, pk) in enumerate(placed, start=1):
        numbers[pk] = number
        highlights.append(
            Highlight(
                to_shown(start),
                to_shown(end - 1) + 1,
                key=pk,
                href=f"#comment-{pk}",
                label=str(number),
                title=gettext("Comment thread %(number)s") % {"number": number},
                colour=number - 1,
            )
        )
    # highlights.annotate escapes every text and adds only its own elements.
    return ProposalReading(mark_safe(annotate(html, highlights=highlights)), numbers)


def _shown_offsets(chunks, text: str, shown: str):
    """A function from offsets in ``text`` to offsets in ``shown``: the same text with a label before
    each inserted chunk. None when ``shown`` is not that (then nothing is highlighted)."""
    starts, pos = [], 0
    for chunk in chunks:
        if chunk.op == "delete":
            continue
        if chunk.op == "insert":
            starts.append(pos)
        pos += len(chunk.text)
    extra = len(shown) - len(text)
    if pos != len(text) or extra < 0 or (extra and not starts) or (starts and extra % len(starts)):
        return None
    label = extra // len(starts) if starts else 0

    pieces, previous = [], 0
    for k, start in enumerate(starts):
        at = start + label * k
        pieces.append(shown[previous:at])
        previous = at + label
    pieces.append(shown[previous:])
    if "".join(pieces) != text:
        return None

    def to_shown(offset: int) -> int:
        return offset + label * bisect_right(starts, offset)

    return to_shown
