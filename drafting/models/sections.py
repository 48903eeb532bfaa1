"""Sections: the numbered parts of the Concept, their text in the drafting language, and its history.

The outline (parent, order) and each section's revisions live here; every write goes through
drafting/services (sections.py, outline.py).
"""

from django.db import models
from django.urls import reverse
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _

from drafting.models.concepts import Concept
from drafting.models.revisions import SectionHistory, SectionRevisionFields


class SectionQuerySet(models.QuerySet):
    def current(self):
        return self.filter(is_retired=False)


class Section(models.Model):
    """A numbered part of the Concept. Its number is derived from the outline, never stored.

    `version` rises by one on every change, and the history row of that change carries the
    same number: "revision N" in the interface. Every write goes through drafting/services.py.
    """

    concept = models.ForeignKey(Concept, on_delete=models.PROTECT, related_name="sections", verbose_name=_("concept"))
    parent = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="children", verbose_name=_("parent")
    )
    order = models.PositiveIntegerField(_("order"), default=0)
    heading = models.CharField(_("heading"), max_length=300)
    body = models.TextField(_("text (Markdown)"), blank=True)
    # Derived from `body` by drafting.markdown, once per revision; excluded from history.
    body_html = models.TextField(editable=False, blank=True)
    version = models.PositiveIntegerField(_("revision"), default=1, editable=False)
    is_retired = models.BooleanField(_("retired"), default=False)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("last changed"), auto_now=True)

    history = SectionHistory(excluded_fields=["body_html"], bases=[SectionRevisionFields])
    objects = SectionQuerySet.as_manager()

    class Meta:
        ordering = ["order", "pk"]
        verbose_name = _("section")
        verbose_name_plural = _("sections")
        permissions = [
            ("edit_section_text", _("Can edit the text of sections")),
            ("shape_outline", _("Can add, move, rename and retire sections")),
            ("revert_section", _("Can revert a section to a past revision")),
        ]

    def __str__(self):
        return self.heading

    def get_absolute_url(self):
        return reverse("drafting:section-detail", args=[self.pk])

    @property
    def html(self):
        # body_html is written only by drafting.markdown.render_markdown (sanitised).
        return mark_safe(self.body_html)
