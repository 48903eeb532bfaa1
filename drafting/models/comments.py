"""Comments: threads on a section or a proposal, each optionally anchored to a quoted passage.

See DESIGN.md ("Comments anchored to a quote"); every write goes through drafting/services/comments.py.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from drafting.models.proposals import Proposal
from drafting.models.sections import Section


class Comment(models.Model):
    """A threaded comment on a section or on a proposal, optionally quoting a passage."""

    section = models.ForeignKey(
        Section, on_delete=models.PROTECT, null=True, blank=True, related_name="comments", verbose_name=_("section")
    )
    proposal = models.ForeignKey(
        Proposal, on_delete=models.PROTECT, null=True, blank=True, related_name="comments", verbose_name=_("proposal")
    )
    parent = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="replies", verbose_name=_("reply to")
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="comments", verbose_name=_("author")
    )
    body = models.TextField(_("comment (Markdown)"))
    body_html = models.TextField(editable=False, blank=True)
    # A W3C TextQuoteSelector: the quoted passage with a little context either side.
    quote = models.TextField(_("quoted passage"), blank=True)
    quote_prefix = models.CharField(max_length=64, blank=True)
    quote_suffix = models.CharField(max_length=64, blank=True)
    quote_version = models.PositiveIntegerField(_("quoted revision"), null=True, blank=True)
    is_resolved = models.BooleanField(_("resolved"), default=False)
    created_at = models.DateTimeField(_("written"), auto_now_add=True)
    updated_at = models.DateTimeField(_("last changed"), auto_now=True)

    history = HistoricalRecords(excluded_fields=["body_html"])

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("comment")
        verbose_name_plural = _("comments")
        permissions = [("resolve_any_comment", _("Can resolve and reopen any thread"))]
        constraints = [
            models.CheckConstraint(
                condition=Q(section__isnull=False, proposal__isnull=True)
                | Q(section__isnull=True, proposal__isnull=False),
                name="comment_on_section_or_proposal",
            )
        ]

    def __str__(self):
        return f"{self.author}: {self.body[:60]}"

    @property
    def html(self):
        # body_html is written only by drafting.markdown.render_markdown (sanitised).
        return mark_safe(self.body_html)
