"""Why a notice concerns a person, and how often each kind is mailed unless they choose otherwise."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Category(models.TextChoices):
    PROPOSAL = "proposal", _("A proposal on a section I watch")
    REPLY = "reply", _("A reply to my comment or a comment on my proposal")
    POSITION = "position", _("A position or objection on my proposal")
    DECISION = "decision", _("A decision on my proposal (merged, rejected, needs review)")
    SECTION = "section", _("An edit or merge on a section I watch")
    DISCUSSION = "discussion", _("A comment or position on something I watch")
    MEETING = "meeting", _("A meeting scheduled, changed, cancelled or minuted")
    EDITION = "edition", _("A new edition")
    AWAITING = "awaiting", _("A proposal waiting for my position")
    MENTION = "mention", _("Someone mentions me")
    TRANSLATION = "translation", _("A translation I keep became out of date")


class Frequency(models.TextChoices):
    IMMEDIATELY = "immediately", _("Immediately")
    DAILY = "daily", _("Daily digest")
    WEEKLY = "weekly", _("Weekly digest")
    OFF = "off", _("Off")


# Decisions on my proposals, replies to me and @mentions come at once; a meeting invitation must
# reach the calendar before the meeting, so it does too; the rest wait for the daily digest.
DEFAULTS = {
    Category.PROPOSAL: Frequency.DAILY,
    Category.REPLY: Frequency.IMMEDIATELY,
    Category.POSITION: Frequency.DAILY,
    Category.DECISION: Frequency.IMMEDIATELY,
    Category.SECTION: Frequency.DAILY,
    Category.DISCUSSION: Frequency.DAILY,
    Category.MEETING: Frequency.IMMEDIATELY,
    Category.EDITION: Frequency.DAILY,
    Category.AWAITING: Frequency.DAILY,
    Category.MENTION: Frequency.IMMEDIATELY,
    Category.TRANSLATION: Frequency.DAILY,
}
