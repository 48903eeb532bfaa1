"""Who wrote each paragraph of a section ("blame")."""

from dataclasses import dataclass

from django.core.cache import cache

from drafting.models import Section
from drafting.text import attribute_paragraphs


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


@dataclass(frozen=True)
class AttributedParagraph:
    text: str
    origin: Origin


def section_attribution(section: Section) -> list[AttributedParagraph]:
    """Who last changed each paragraph of the current text ("blame"), from one query.

    A merged proposal's text is credited to the proposal's author; the coordinator who
    applied it is the revision's user. The result depends only on the history, so it is
    cached per (section, version).
    """

    def build():
        rows = (
            section.history.order_by("history_id")
            .values_list(
                "version", "body", "history_date", "change_kind", "history_change_reason", "proposal_id",
                "history_user__username", "history_user__expert__full_name",
                "proposal__author__username", "proposal__author__expert__full_name",
                "proposal__agreed_meeting__title", "proposal__agreed_meeting__starts_at",
            )
        )
        revisions = [
            (
                body,
                Origin(
                    version=version, user_name=full_name or username or "", date=date, kind=kind, reason=reason or "",
                    proposal_id=proposal_id, proposal_author=(author_name or author_username) if proposal_id else None,
                    meeting_title=meeting_title, meeting_date=meeting_date,
                ),
            )
            for (version, body, date, kind, reason, proposal_id, username, full_name, author_username, author_name,
                 meeting_title, meeting_date) in rows
        ]
        return [AttributedParagraph(text, origin) for text, origin in attribute_paragraphs(revisions)]

    return cache.get_or_set(f"section-attribution:{section.pk}:{section.version}", build, timeout=None)
