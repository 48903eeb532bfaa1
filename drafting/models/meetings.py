"""Meetings of the Working Group: agenda, invitations, attendance, minutes and outcomes.

Also the bounds of a meeting's length, which forms and services check against too.
Every write goes through drafting/services/meetings.py.
"""

from datetime import timedelta

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from drafting.models.concepts import Concept
from drafting.models.editions import Edition
from drafting.models.proposals import Proposal

DEFAULT_MEETING_LENGTH = timedelta(hours=2)
MAX_MEETING_LENGTH = timedelta(hours=12)


class Meeting(models.Model):
    """A videoconference of the Working Group: agenda, attendance, minutes and outcomes."""

    concept = models.ForeignKey(Concept, on_delete=models.PROTECT, related_name="meetings", verbose_name=_("concept"))
    title = models.CharField(_("title"), max_length=200)
    starts_at = models.DateTimeField(_("date and time"))
    duration = models.DurationField(_("length"), default=DEFAULT_MEETING_LENGTH)
    video_url = models.URLField(_("videoconference link"), blank=True)
    agenda_note = models.TextField(_("agenda notes"), blank=True)
    minutes = models.TextField(_("minutes (Markdown)"), blank=True)
    minutes_html = models.TextField(editable=False, blank=True)
    attendees = models.ManyToManyField(
        "members.Expert", blank=True, related_name="meetings", verbose_name=_("attendance")
    )
    # Who is invited; nobody named means the whole Working Group (every active member).
    invitees = models.ManyToManyField(
        "members.Expert", blank=True, related_name="invited_to", verbose_name=_("invited")
    )
    edition = models.ForeignKey(
        Edition,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="meetings",
        verbose_name=_("the draft discussed"),
    )
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    cancelled_at = models.DateTimeField(_("cancelled at"), null=True, blank=True)
    cancelled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("cancelled by"),
    )
    cancel_reason = models.TextField(_("reason for cancelling"), blank=True)

    history = HistoricalRecords(excluded_fields=["minutes_html"], m2m_fields=[attendees, invitees])

    class Meta:
        ordering = ["-starts_at", "-pk"]
        verbose_name = _("meeting")
        verbose_name_plural = _("meetings")
        permissions = [("run_meeting", _("Can schedule meetings and record outcomes"))]
        constraints = [
            models.CheckConstraint(
                condition=Q(duration__gt=timedelta(0)) & Q(duration__lte=MAX_MEETING_LENGTH),
                name="meeting_length_positive_and_bounded",
            ),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("drafting:meeting-detail", args=[self.pk])

    @property
    def ends_at(self):
        return self.starts_at + self.duration

    @property
    def is_cancelled(self) -> bool:
        return self.cancelled_at is not None

    @property
    def has_begun(self) -> bool:
        """Begun or over: such a meeting can no longer be cancelled."""
        return self.starts_at <= timezone.now()

    @property
    def html(self):
        # minutes_html is written only by drafting.markdown.render_markdown (sanitised).
        return mark_safe(self.minutes_html)


class AgendaItem(models.Model):
    class Outcome(models.TextChoices):
        PENDING = "pending", _("Not discussed yet")
        AGREED = "agreed", _("Agreed")
        POSTPONED = "postponed", _("Postponed")
        REJECTED = "rejected", _("Rejected")

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="items")
    proposal = models.ForeignKey(Proposal, on_delete=models.PROTECT, related_name="agenda_items")
    order = models.PositiveIntegerField(default=0)
    outcome = models.CharField(_("outcome"), max_length=16, choices=Outcome.choices, default=Outcome.PENDING)
    note = models.TextField(_("note"), blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["meeting", "order", "pk"]
        constraints = [models.UniqueConstraint(fields=["meeting", "proposal"], name="proposal_once_per_agenda")]
