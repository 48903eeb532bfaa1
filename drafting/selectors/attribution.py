"""Who wrote each paragraph of a section ("blame")."""

from dataclasses import dataclass

from drafting.models import Section
from drafting.selectors.sentences import revision_reason
from drafting.text import attribute_paragraphs, split_paragraphs
from members.models import name_for_reader


@dataclass(frozen=True)
class Origin:
    version: int
    user_name: str
    date: object
    kind: str
    reason: str
    proposal_id: int | None
    proposal_author: str | None
    meeting_title: str | None = None
    meeting_date: object = None
    # A merge over objections: {"objectors": [...], "reason": "..."} (drafting.services.proposals).
    over_objections: dict | None = None


@dataclass(frozen=True)
class AttributedParagraph:
    text: str
    origin: Origin


def section_attribution(section: Section) -> list[AttributedParagraph]:
    """Who last changed each paragraph of the current text ("blame"), in two queries.

    Each revision's history row stores the revision that last changed each of its paragraphs
    (services/revisions.py works it out from the row before when it saves), so this reads the
    current row and then the rows of the revisions it names: never the whole history. A merged
    proposal's text is credited to the proposal's author; the coordinator who applied it is the
    revision's user.
    """
    paragraphs = split_paragraphs(section.body)
    origins = section.history.filter(version=section.version).values_list("paragraph_origins", flat=True).first()
    if origins is None or len(origins) != len(paragraphs):
        # A row without stored attribution: the same result, from the whole history.
        walked = attribute_paragraphs(section.history.order_by("history_id").values_list("body", "version"))
        origins = [version for _paragraph, version in walked]
    rows = section.history.filter(version__in=set(origins)).values_list(
        "version",
        "history_date",
        "change_kind",
        "change_data",
        "history_change_reason",
        "proposal_id",
        "history_user__username",
        "history_user__expert__full_name",
        "history_user__expert__full_name_latin",
        "proposal__author__username",
        "proposal__author__expert__full_name",
        "proposal__author__expert__full_name_latin",
        "proposal__agreed_meeting__title",
        "proposal__agreed_meeting__starts_at",
    )
    by_version = {
        version: Origin(
            version=version,
            user_name=name_for_reader(full_name or "", latin or "") or username or "",
            date=date,
            kind=kind,
            reason=revision_reason(kind, data, reason),
            proposal_id=proposal_id,
            proposal_author=(name_for_reader(author_name or "", author_latin or "") or author_username)
            if proposal_id
            else None,
            meeting_title=meeting_title,
            meeting_date=meeting_date,
            over_objections=(data or {}).get("over_objections"),
        )
        for (
            version,
            date,
            kind,
            data,
            reason,
            proposal_id,
            username,
            full_name,
            latin,
            author_username,
            author_name,
            author_latin,
            meeting_title,
            meeting_date,
        ) in rows
    }
    return [AttributedParagraph(text, by_version[version]) for text, version in zip(paragraphs, origins, strict=True)]
