"""Positions: each expert's stance on a proposal, the raw material of consensus.

See DESIGN.md ("Consensus"); every write goes through drafting/services/positions.py.
"""

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from drafting.models.proposals import Proposal


class Position(models.Model):
    """One expert's stance on one proposal: the raw material of consensus."""

    class Stance(models.TextChoices):
        SUPPORT = "support", _("Support")
        LIVE_WITH = "live_with", _("Can live with it")
        OBJECT = "object", _("Object")

    proposal = models.ForeignKey(
        Proposal, on_delete=models.PROTECT, related_name="positions", verbose_name=_("proposal")
    )
    expert = models.ForeignKey(
        "members.Expert", on_delete=models.PROTECT, related_name="positions", verbose_name=_("expert")
    )
    stance = models.CharField(_("stance"), max_length=16, choices=Stance.choices)
    reason = models.TextField(_("reason"), blank=True)
    updated_at = models.DateTimeField(_("last changed"), auto_now=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["expert__full_name"]
        verbose_name = _("position")
        verbose_name_plural = _("positions")
        constraints = [
            models.UniqueConstraint(fields=["proposal", "expert"], name="one_position_per_expert"),
            models.CheckConstraint(condition=~Q(stance="object") | ~Q(reason=""), name="objection_has_reason"),
        ]

    def __str__(self):
        return f"{self.expert}: {self.get_stance_display()}"
