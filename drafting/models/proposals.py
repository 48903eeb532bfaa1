"""Proposals: amendments and new sections put forward by experts, and the rules for which ones count.

The positions taken on a proposal are in drafting.models.positions, its comments in
drafting.models.comments; every write goes through drafting/services/proposals.py.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from simple_history.models import HistoricalRecords

from drafting.models.concepts import Concept
from drafting.models.sections import Section


class ProposalQuerySet(models.QuerySet):
    """The rules for which proposals count, written once."""

    OPEN_STATUSES = ("open", "needs_review")

    def open(self):
        """Proposals still waiting for a decision: open, or needing review against a new text."""
        return self.filter(status__in=self.OPEN_STATUSES)

    def for_concept(self, concept):
        return self.filter(concept=concept)

    def with_stance_counts(self):
        """Each proposal's positions counted by stance, and acceptance counted per bloc (one query)."""
        # drafting.models.positions imports this module (a Position refers to its Proposal), so
        # Position is imported when the query is built rather than at the top.
        from drafting.models.positions import Position
        from members.models import Expert

        accepting = [Position.Stance.SUPPORT, Position.Stance.LIVE_WITH]
        return self.annotate(
            supports=models.Count("positions", filter=Q(positions__stance=Position.Stance.SUPPORT)),
            live_withs=models.Count("positions", filter=Q(positions__stance=Position.Stance.LIVE_WITH)),
            objections=models.Count("positions", filter=Q(positions__stance=Position.Stance.OBJECT)),
            supports_scientific=models.Count(
                "positions", filter=Q(positions__stance__in=accepting, positions__expert__bloc=Expert.Bloc.SCIENTIFIC)
            ),
            supports_practitioner=models.Count(
                "positions", filter=Q(positions__stance__in=accepting, positions__expert__bloc=Expert.Bloc.PRACTITIONER)
            ),
        )


class Proposal(models.Model):
    """An amendment to a section, or a new section, put forward by an expert.

    An amendment records the section revision it started from (`base_version`), so a
    stale proposal can be merged word by word instead of overwriting what changed since.
    """

    class Kind(models.TextChoices):
        AMENDMENT = "amendment", _("Amendment")
        NEW_SECTION = "new_section", _("New section")

    class Status(models.TextChoices):
        OPEN = "open", _("Open")
        NEEDS_REVIEW = "needs_review", _("Needs review against the new text")
        MERGED = "merged", _("Merged")
        REJECTED = "rejected", _("Rejected")
        WITHDRAWN = "withdrawn", _("Withdrawn")

    concept = models.ForeignKey(Concept, on_delete=models.PROTECT, related_name="proposals", verbose_name=_("concept"))
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices, default=Kind.AMENDMENT)
    section = models.ForeignKey(
        Section,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="proposals",
        verbose_name=_("section"),
        help_text=_("The section an amendment changes; for a new section, the section it produced."),
    )
    base_version = models.PositiveIntegerField(_("base revision"), null=True, blank=True)
    new_parent = models.ForeignKey(
        Section,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("parent of the new section"),
    )
    heading = models.CharField(_("heading of the new section"), max_length=300, blank=True)
    title = models.CharField(_("title"), max_length=200)
    text = models.TextField(_("proposed text"), blank=True)
    rationale = models.TextField(_("rationale"), blank=True)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="proposals", verbose_name=_("author")
    )
    status = models.CharField(_("status"), max_length=16, choices=Status.choices, default=Status.OPEN)
    created_at = models.DateTimeField(pgettext_lazy("date of a proposal", "proposed"), auto_now_add=True)
    updated_at = models.DateTimeField(_("last changed"), auto_now=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("decided by"),
    )
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)
    decision_reason = models.TextField(_("reason for the decision"), blank=True)
    merged_version = models.PositiveIntegerField(_("revision produced"), null=True, blank=True)
    agreed_meeting = models.ForeignKey(
        "drafting.Meeting",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("agreed at the meeting"),
    )

    history = HistoricalRecords()
    objects = ProposalQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("proposal")
        verbose_name_plural = _("proposals")
        permissions = [("decide_proposal", _("Can merge or reject proposals"))]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind="new_section") | Q(section__isnull=False, base_version__isnull=False),
                name="amendment_has_section_and_base",
            )
        ]

    def __str__(self):
        return f"#{self.pk} {self.title}"

    def get_absolute_url(self):
        return reverse("drafting:proposal-detail", args=[self.pk])

    @property
    def is_open(self) -> bool:
        return self.status in ProposalQuerySet.OPEN_STATUSES
