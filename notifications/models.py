"""Watches, mail settings and the outbox: what a person follows, how they want to hear, what was sent."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from notifications.categories import Category, Frequency


class Watch(models.Model):
    """A person follows one section, proposal or meeting, or (coordinators) the whole Concept.

    `mailed_at` is when an immediate mail about this item last went out: until the person visits
    the item again (services.visits.mark_visited clears it), no further immediate mail is sent
    about it (as MediaWiki does); the notices stay in the portal.
    """

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="watches")
    concept = models.ForeignKey("drafting.Concept", on_delete=models.CASCADE, null=True, blank=True, related_name="+")
    section = models.ForeignKey("drafting.Section", on_delete=models.CASCADE, null=True, blank=True, related_name="+")
    proposal = models.ForeignKey("drafting.Proposal", on_delete=models.CASCADE, null=True, blank=True, related_name="+")
    meeting = models.ForeignKey("drafting.Meeting", on_delete=models.CASCADE, null=True, blank=True, related_name="+")
    mailed_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(concept__isnull=False, section=None, proposal=None, meeting=None)
                    | Q(concept=None, section__isnull=False, proposal=None, meeting=None)
                    | Q(concept=None, section=None, proposal__isnull=False, meeting=None)
                    | Q(concept=None, section=None, proposal=None, meeting__isnull=False)
                ),
                name="watch_one_target",
            ),
            models.UniqueConstraint(fields=["user", "concept"], name="watch_concept_once"),
            models.UniqueConstraint(fields=["user", "section"], name="watch_section_once"),
            models.UniqueConstraint(fields=["user", "proposal"], name="watch_proposal_once"),
            models.UniqueConstraint(fields=["user", "meeting"], name="watch_meeting_once"),
        ]

    @property
    def target(self):
        return self.concept or self.section or self.proposal or self.meeting


class TranslationWatch(models.Model):
    """A person keeps a Concept's text in one parallel language (Kazakh, ...) in step with the drafting text:
    they hear when a drafting-text change makes a section's translation out of date."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="translation_watches")
    concept = models.ForeignKey("drafting.Concept", on_delete=models.CASCADE, related_name="+")
    language = models.CharField(max_length=8)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["user", "concept", "language"], name="watch_translation_once"),
        ]


class MailPreference(models.Model):
    """A person's choice for one category; without a row the default (categories.DEFAULTS) applies."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="mail_preferences")
    category = models.CharField(max_length=24, choices=Category.choices)
    frequency = models.CharField(max_length=16, choices=Frequency.choices)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "category"], name="one_preference_per_category")]


class Mail(models.Model):
    """One mail to one person, written in the transaction of the event that causes it (the outbox).

    The worker claims it under a row lock, sends it, and marks it sent in the same transaction, so
    a mail is never lost (the row waits until it is sent) and never sent twice (a sent row is
    skipped). The text is made when it is sent, in the recipient's language.
    """

    class Kind(models.TextChoices):
        NOTICE = "notice", _("notice")
        DIGEST = "digest", _("digest")
        INVITATION = "invitation", _("meeting invitation")
        REMINDER = "reminder", _("meeting reminder")
        MINUTES = "minutes", _("meeting minutes")

    class State(models.TextChoices):
        QUEUED = "queued", _("queued")
        SENT = "sent", _("sent")
        FAILED = "failed", _("failed")

    recipient = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=16, choices=Kind.choices)
    category = models.CharField(max_length=24, choices=Category.choices)
    notice = models.ForeignKey("drafting.Notice", on_delete=models.CASCADE, null=True, blank=True, related_name="+")
    meeting = models.ForeignKey("drafting.Meeting", on_delete=models.CASCADE, null=True, blank=True, related_name="+")
    data = models.JSONField(default=dict, blank=True)
    # A digest's period or a reminder's meeting: the same key is never mailed twice to a person.
    key = models.CharField(max_length=64, blank=True, default="")
    state = models.CharField(max_length=8, choices=State.choices, default=State.QUEUED)
    attempts = models.PositiveSmallIntegerField(default=0)
    last_error = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["recipient", "key"], condition=~Q(key=""), name="one_mail_per_recipient_and_key"
            )
        ]
        indexes = [models.Index(fields=["state", "created_at"], name="mail_state")]
