"""Watching a Concept's translation into one parallel language: hearing when a section of it falls out of date."""

from notifications.models import TranslationWatch


def watch(*, user, concept, language: str) -> TranslationWatch:
    found, _created = TranslationWatch.objects.get_or_create(user=user, concept=concept, language=language)
    return found


def unwatch(*, user, concept, language: str) -> None:
    TranslationWatch.objects.filter(user=user, concept=concept, language=language).delete()


def is_watching(*, user, concept, language: str) -> bool:
    return TranslationWatch.objects.filter(user=user, concept=concept, language=language).exists()
