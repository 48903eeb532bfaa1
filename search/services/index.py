"""Keep the search index in step with the drafting records. Each call runs in the caller's transaction.

The drafting services call these after every save of a section revision, a proposal, a comment
or a meeting, and the admin after its saves and deletions (drafting/admin.py), so the index
never needs triggers; `manage.py reindex_search` rebuilds it whole.
"""

from django.contrib.postgres.search import SearchVector
from django.db import connection
from django.db.models import Value
from django.urls import reverse

from search.models import SearchEntry
from search.text import fold

# A title weighs more than the body; each is indexed with stems (Russian) and as written (Kazakh).
_CONFIGS = ("russian", "simple")


def _vector(title: str, text: str):
    parts = [
        SearchVector(Value(value), config=config, weight=weight)
        for config in _CONFIGS
        for value, weight in ((title, "A"), (text, "B"))
    ]
    vector = parts[0]
    for part in parts[1:]:
        vector = vector + part
    return vector


def _store(*, kind: str, object_id: int, concept_id: int, section_id, author_id, date, title: str, text: str, url: str):
    title = title[:500]
    values = {
        "concept_id": concept_id,
        "section_id": section_id,
        "author_id": author_id,
        "date": date,
        "title": title,
        "text": text,
        "folded": fold(f"{title}\n{text}"),
        "url": url,
    }
    if connection.vendor == "postgresql":
        values["vector"] = _vector(title, text)
    SearchEntry.objects.update_or_create(kind=kind, object_id=object_id, defaults=values)


def _remove(kind: str, object_id: int) -> None:
    SearchEntry.objects.filter(kind=kind, object_id=object_id).delete()


def index_section(section) -> None:
    """(Re)index a section's current heading and text, with its parallel texts (Kazakh, ...) after them.

    A parallel text is found through its section: the result opens the section page, which offers
    the side-by-side view. A retired section leaves the results, its parallel texts with it.
    """
    from drafting.models import ParallelText

    if section.is_retired:
        _remove(SearchEntry.Kind.SECTION, section.pk)
        return
    parallel = ParallelText.objects.filter(section_id=section.pk).order_by("language").values_list("heading", "body")
    text = "\n\n".join([section.body, *(f"{heading}\n\n{body}" for heading, body in parallel)])
    _store(
        kind=SearchEntry.Kind.SECTION,
        object_id=section.pk,
        concept_id=section.concept_id,
        section_id=section.pk,
        author_id=_last_editor_id(section),
        date=section.updated_at,
        title=section.heading,
        text=text,
        url=section.get_absolute_url(),
    )


def index_parallel_text(parallel_text) -> None:
    """(Re)index a parallel text: it is part of its section's entry."""
    index_section(parallel_text.section)


def _last_editor_id(section):
    """Who made the revision being indexed: stamped on the section by the service, else its latest history row."""
    user = getattr(section, "_history_user", None)
    if user is not None:
        return user.pk
    return section.history.values_list("history_user_id", flat=True).first()


def index_proposal(proposal) -> None:
    """(Re)index a proposal's title, text and rationale (and the heading of a new section)."""
    text = "\n\n".join(part for part in (proposal.heading, proposal.text, proposal.rationale) if part)
    _store(
        kind=SearchEntry.Kind.PROPOSAL,
        object_id=proposal.pk,
        concept_id=proposal.concept_id,
        section_id=proposal.section_id,
        author_id=proposal.author_id,
        date=proposal.created_at,
        title=proposal.title,
        text=text,
        url=proposal.get_absolute_url(),
    )


def index_comment(comment) -> None:
    """(Re)index a comment: the quoted passage is its title, and the result lands on its card."""
    if comment.section_id:
        page, concept_id = reverse("drafting:section-detail", args=[comment.section_id]), comment.section.concept_id
    else:
        page, concept_id = comment.proposal.get_absolute_url(), comment.proposal.concept_id
    _store(
        kind=SearchEntry.Kind.COMMENT,
        object_id=comment.pk,
        concept_id=concept_id,
        section_id=comment.section_id or comment.proposal.section_id,
        author_id=comment.author_id,
        date=comment.created_at,
        title=comment.quote,
        text=comment.body,
        url=f"{page}#comment-{comment.pk}",
    )


def index_meeting(meeting) -> None:
    """(Re)index a meeting's title, agenda notes, the titles on its agenda and its minutes."""
    agenda = [item.proposal.title for item in meeting.items.select_related("proposal")]
    text = "\n\n".join(part for part in (meeting.agenda_note, *agenda, meeting.minutes) if part)
    _store(
        kind=SearchEntry.Kind.MEETING,
        object_id=meeting.pk,
        concept_id=meeting.concept_id,
        section_id=None,
        author_id=meeting.created_by_id,
        date=meeting.starts_at,
        title=meeting.title,
        text=text,
        url=meeting.get_absolute_url(),
    )


def prune() -> int:
    """Take out the entries of proposals, comments and meetings that no longer exist; returns how many.

    Deleting happens only in the admin (the portal withdraws and resolves instead), and a deletion
    there takes what cascades with it: a proposal its comments, a comment its replies. One query
    per kind finds every entry left behind, however it was deleted.
    """
    from drafting.models import Comment, Meeting, Proposal

    removed = 0
    for kind, model in (
        (SearchEntry.Kind.PROPOSAL, Proposal),
        (SearchEntry.Kind.COMMENT, Comment),
        (SearchEntry.Kind.MEETING, Meeting),
    ):
        removed += SearchEntry.objects.filter(kind=kind).exclude(object_id__in=model.objects.values("pk")).delete()[0]
    return removed


def reindex_all() -> dict[str, int]:
    """Rebuild the whole index from the drafting records; returns how many of each kind were indexed."""
    from drafting.models import Comment, Meeting, Proposal, Section

    SearchEntry.objects.all().delete()
    counts = {}
    sections = Section.objects.current().select_related("concept")
    counts["section"] = _each(sections, index_section)
    counts["proposal"] = _each(Proposal.objects.all(), index_proposal)
    counts["comment"] = _each(Comment.objects.select_related("section", "proposal"), index_comment)
    counts["meeting"] = _each(Meeting.objects.all(), index_meeting)
    return counts


def _each(queryset, index) -> int:
    count = 0
    for obj in queryset.iterator(chunk_size=500):
        index(obj)
        count += 1
    return count
