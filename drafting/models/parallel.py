"""Parallel texts: a section's text in each parallel language of its Concept, kept in step with it.

See DESIGN.md ("Parallel texts"); every write goes through drafting/services/parallel.py.
"""

from django.db import models
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from drafting.models.concepts import Concept
from drafting.models.revisions import SectionRevisionFields
from drafting.models.sections import Section


class ParallelText(models.Model):
    """A section's text in one parallel language of its Concept (Kazakh by default), with its own history.

    `source_version` is the section's revision this text translates: the text is current when it
    equals `section.version`, out of date otherwise, and missing when there is no row. `version`
    is its own revision counter, as a section's; its history rows carry the same extra columns as
    a section's (kind of change, size, paragraph origins), so history, compare and "who wrote
    this" work on it the same way. Every write goes through drafting/services/parallel.py.
    """

    section = models.ForeignKey(
        Section, on_delete=models.PROTECT, related_name="parallel_texts", verbose_name=_("section")
    )
    language = models.CharField(_("language"), max_length=8, choices=Concept.Language.choices)
    heading = models.CharField(_("heading"), max_length=300, blank=True)
    body = models.TextField(_("text (Markdown)"), blank=True)
    body_html = models.TextField(editable=False, blank=True)
    version = models.PositiveIntegerField(_("revision"), default=1, editable=False)
    source_version = models.PositiveIntegerField(_("translates revision"), null=True, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("last changed"), auto_now=True)

    history = HistoricalRecords(excluded_fields=["body_html"], bases=[SectionRevisionFields])

    class Meta:
        ordering = ["section", "language"]
        verbose_name = _("parallel text")
        verbose_name_plural = _("parallel texts")
        constraints = [models.UniqueConstraint(fields=["section", "language"], name="one_text_per_language")]

    def __str__(self):
        return f"{self.section} [{self.language}]"

    @property
    def is_current(self) -> bool:
        return self.source_version == self.section.version

    @property
    def html(self):
        # body_html is written only by drafting.markdown.render_markdown (sanitised).
        return mark_safe(self.body_html)
