"""Editions: the whole Concept frozen under a name, pointing at revisions rather than copying text.

See DESIGN.md ("Editions"); written by drafting/services/editions.py.
"""

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from drafting.models.concepts import Concept
from drafting.models.sections import Section


class Edition(models.Model):
    """The whole Concept frozen under a name. Each entry points at a section's revision;
    the text itself stays in the history table, never copied."""

    concept = models.ForeignKey(Concept, on_delete=models.PROTECT, related_name="editions", verbose_name=_("concept"))
    name = models.CharField(
        _("name"), max_length=200, help_text=_("For example “Draft 0.3 for the meeting of 12 June”.")
    )
    note = models.TextField(_("note"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("frozen by")
    )
    created_at = models.DateTimeField(_("frozen"), auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("edition")
        verbose_name_plural = _("editions")
        permissions = [("freeze_edition", _("Can freeze editions"))]
        constraints = [models.UniqueConstraint(fields=["concept", "name"], name="unique_edition_name")]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("drafting:edition-detail", args=[self.pk])


class EditionSection(models.Model):
    """One section as it stood in an edition: its revision and its place in the outline."""

    edition = models.ForeignKey(Edition, on_delete=models.CASCADE, related_name="entries")
    section = models.ForeignKey(Section, on_delete=models.PROTECT, related_name="+")
    version = models.PositiveIntegerField()
    position = models.PositiveIntegerField()
    number = models.CharField(max_length=32)
    depth = models.PositiveSmallIntegerField()
    heading = models.CharField(max_length=300)
    parent = models.ForeignKey(Section, on_delete=models.PROTECT, null=True, blank=True, related_name="+")

    class Meta:
        ordering = ["edition", "position"]
        constraints = [models.UniqueConstraint(fields=["edition", "section"], name="one_entry_per_section")]


class EditionParallelText(models.Model):
    """A parallel text as an edition froze it: its revision (none if it was missing), the section
    revision it translated, and whether that was the section's revision in the edition."""

    edition = models.ForeignKey(Edition, on_delete=models.CASCADE, related_name="parallel_entries")
    section = models.ForeignKey(Section, on_delete=models.PROTECT, related_name="+")
    language = models.CharField(max_length=8, choices=Concept.Language.choices)
    version = models.PositiveIntegerField(null=True, blank=True)
    source_version = models.PositiveIntegerField(null=True, blank=True)
    is_current = models.BooleanField(default=False)

    class Meta:
        ordering = ["edition", "section", "language"]
        constraints = [
            models.UniqueConstraint(fields=["edition", "section", "language"], name="one_parallel_entry_per_language")
        ]
