"""Positions: each expert's stance on a proposal."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from drafting.models import Activity, ChangeReason, Position, Proposal
from drafting.services.activity import record
from drafting.services.proposals import require_open
from drafting.services.revisions import lock_proposal, stamp


@transaction.atomic
def position_record(*, proposal: Proposal, expert, stance: str, reason: str = "") -> Position:
    """Record (or change) one expert's stance on a proposal. An objection needs a reason."""
    if stance not in Position.Stance.values:
        raise ValidationError(_("Choose support, can live with it, or object."))
    if stance == Position.Stance.OBJECT and not reason.strip():
        raise ValidationError(_("An objection needs a reason, so the author and the group can answer it."))
    if not expert.is_active:
        raise ValidationError(_("Only active members of the Working Group take positions."))
    locked = lock_proposal(proposal)
    require_open(locked, "answered")
    position = Position.objects.select_for_update(no_key=True).filter(proposal=locked, expert=expert).first()
    if position and (position.stance, position.reason) == (stance, reason):
        return position
    changed = position is not None
    position = position or Position(proposal=locked, expert=expert)
    position.stance, position.reason = stance, reason
    stamp(position, expert.user, ChangeReason.POSITION_CHANGED if changed else ChangeReason.POSITION_TAKEN)
    position.save()
    objecting = stance == Position.Stance.OBJECT
    record(
        expert.user,
        Activity.Verb.OBJECTED if objecting else Activity.Verb.TOOK_POSITION,
        data={"stance": stance, "title": locked.title},
        section=locked.section,
        proposal=locked,
        notify=[locked.author] if objecting else (),
    )
    return position
