"""The Concept: the one document the Working Group writes, and the languages it is written in.

Every other record of the drafting belongs to a Concept, so this module imports no other.
"""

from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords


def default_parallel_languages() -> list[str]:
    """The state language beside the drafting language (Russian): a Concept is published in both."""
    return ["kk"]


class Concept(models.Model):
    """The document the Working Group writes: one Concept, many numbered sections."""

    class Status(models.TextChoices):
        DRAFTING = "drafting", _("Drafting")
        UNDER_REVIEW = "under_review", _("Under review")
        ADOPTED = "adopted", _("Adopted")

    class Language(models.TextChoices):
        """The languages a Concept's text is written in (not the interface's: settings.LANGUAGES)."""

        KAZAKH = "kk", _("Kazakh")
        RUSSIAN = "ru", _("Russian")
        ENGLISH = "en", _("English")

    title = models.CharField(_("title"), max_length=300)
    status = models.CharField(_("status"), max_length=16, choices=Status.choices, default=Status.DRAFTING)
    # Proposals, positions, comments and merges act on the drafting language's text (Section.body);
    # each parallel language has one ParallelText per section, kept in step with it.
    drafting_language = models.CharField(
        _("drafting language"), max_length=8, choices=Language.choices, default=Language.RUSSIAN
    )
    parallel_languages = models.JSONField(
        _("parallel languages"), default=default_parallel_languages, blank=True, help_text=_('For example ["kk"].')
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["pk"]
        verbose_name = _("concept")
        verbose_name_plural = _("concepts")

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("drafting:concept-document", args=[self.pk])
