"""What the group sees happen: activity entries, the notices they give people, and each person's last visit.

Events are stored as data and told in the reader's language when shown; written by
drafting/services/activity.py and notifications.services.notices.
"""

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from drafting.models.proposals import Proposal
from drafting.models.sections import Section


class Activity(models.Model):
    """Something that happened in the drafting, for "what changed since my last visit".

    It stores the kind of event (`verb`), who and what it concerns, and the rest of its data
    (`data`: a title, a heading, a revision, a reason a person typed); the sentence is made in the
    reader's language when it is shown (`sentence()`), never stored.
    """

    class Verb(models.TextChoices):
        EDITED = "edited", _("edited")
        PROPOSED = "proposed", _("proposed")
        REVISED = "revised", _("revised a proposal")
        WITHDREW = "withdrew", _("withdrew")
        MERGED = "merged", _("merged")
        NEEDS_REVIEW = "needs_review", _("asked for review")
        REJECTED = "rejected", _("rejected")
        COMMENTED = "commented", _("commented")
        TOOK_POSITION = "took_position", _("took a position")
        OBJECTED = "objected", _("objected")
        ADDED_SECTION = "added_section", _("added a section")
        REVERTED = "reverted", _("reverted")
        RENAMED = "renamed", _("renamed")
        MOVED = "moved", _("moved")
        REPARENTED = "reparented", _("moved to another place")
        RETIRED = "retired", _("retired")
        RESTORED = "restored", _("restored")
        OUTLINE = "outline", _("changed the outline")
        FROZE = "froze", _("froze")
        SCHEDULED = "scheduled", _("scheduled a meeting")
        RESCHEDULED = "rescheduled", _("changed a meeting")
        MINUTED = "minuted", _("published the minutes")
        CANCELLED = "cancelled", _("cancelled a meeting")
        MENTIONED = "mentioned", _("mentioned")
        # Parallel texts (drafting/services/parallel.py): data has the language and the revisions.
        TRANSLATED = "translated", _("updated a translation")
        CONFIRMED = "confirmed", _("confirmed a translation")

    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+")
    verb = models.CharField(max_length=16, choices=Verb.choices)
    data = models.JSONField(default=dict, blank=True)
    section = models.ForeignKey(Section, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    proposal = models.ForeignKey(Proposal, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    meeting = models.ForeignKey("Meeting", on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("activity")
        verbose_name_plural = _("activity")

    def __str__(self):
        return self.sentence()

    def get_absolute_url(self):
        if self.proposal_id:
            return reverse("drafting:proposal-detail", args=[self.proposal_id])
        if self.section_id:
            return reverse("drafting:section-detail", args=[self.section_id])
        if self.meeting_id:
            return reverse("drafting:meeting-detail", args=[self.meeting_id])
        return reverse("drafting:home")

    def sentence(self) -> str:
        """The event as one sentence in the active language (drafting.selectors.sentences)."""
        from drafting.selectors.sentences import activity_sentence

        return activity_sentence(self)


class Notice(models.Model):
    """Tells one person about an activity that concerns them (their proposal merged, objected to, ...).

    `category` is why it concerns them (notifications.categories: a decision on my proposal, an
    edit on a watched section, ...), which decides how it is mailed; `mailed_at` is when it went
    out by mail (alone or in a digest), so no notice is mailed twice.
    """

    recipient = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notices")
    activity = models.ForeignKey(Activity, on_delete=models.CASCADE, related_name="notices")
    category = models.CharField(max_length=24, blank=True, default="")
    read_at = models.DateTimeField(null=True, blank=True)
    mailed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-activity__created_at", "-pk"]
        constraints = [models.UniqueConstraint(fields=["recipient", "activity"], name="one_notice_per_activity")]
        indexes = [models.Index(fields=["recipient", "read_at"], name="notice_unread")]


class LastVisit(models.Model):
    """When a person last opened "what changed", so the page can mark what is new to them."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    seen_at = models.DateTimeField()
