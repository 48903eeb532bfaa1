"""Reads for the notification pages, each a fixed number of queries."""

from dataclasses import dataclass
from datetime import datetime

from django.contrib.auth import get_user_model
from django.db.models import Q

from drafting.models import Concept, Notice
from drafting.selectors.parallel import concept_languages, language_name
from notifications.models import TranslationWatch, Watch


def notice_list(user, *, limit: int = 100) -> list[Notice]:
    """The person's notices, newest first, with what their sentences need (one query)."""
    return list(
        Notice.objects.filter(recipient=user)
        .select_related("activity__actor__expert", "activity__section", "activity__proposal", "activity__meeting")
        .order_by("-activity__created_at", "-pk")[:limit]
    )


def watch_list(user) -> list[Watch]:
    """Everything the person watches, newest first (one query)."""
    return list(
        Watch.objects.filter(user=user)
        .select_related("concept", "section", "proposal", "meeting")
        .order_by("-created_at", "-pk")
    )


@dataclass(frozen=True)
class WatchedTranslation:
    """A Concept's text in one parallel language that the person watches; `available` is False once the
    Concept no longer has that language (the watch can still be stopped, its page no longer opens)."""

    concept: Concept
    language: str
    language_name: str
    available: bool
    created_at: datetime


def translation_watch_list(user) -> list[WatchedTranslation]:
    """The translations the person watches, newest first (one query)."""
    rows = TranslationWatch.objects.filter(user=user).select_related("concept").order_by("-created_at", "-pk")
    return [
        WatchedTranslation(
            row.concept,
            row.language,
            language_name(row.language),
            row.language in concept_languages(row.concept),
            row.created_at,
        )
        for row in rows
    ]


def people_matching(query: str, *, limit: int = 8) -> list[dict]:
    """Active members whose username or name starts with `query`, for the @mention autocomplete."""
    query = query.strip().lstrip("@")
    if not query:
        return []
    users = (
        get_user_model()
        .objects.filter(is_active=True, expert__isnull=False, expert__is_active=True)
        .filter(
            Q(username__istartswith=query)
            | Q(expert__full_name__icontains=query)
            | Q(expert__full_name_latin__icontains=query)
        )
        .select_related("expert")
        .order_by("username")[:limit]
    )
    return [{"username": u.username, "name": u.expert.display_name} for u in users]


def person(user_id: int):
    """The account an unsubscribe link names, or None if it no longer exists (one query)."""
    return get_user_model().objects.filter(pk=user_id).first()
