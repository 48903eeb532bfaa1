"""Forms that create something are carried out once per one-time token (see `SubmissionToken`)."""

from collections.abc import Callable
from dataclasses import dataclass

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import IntegrityError, models, transaction
from django.utils.translation import gettext as _

from drafting.models import SubmissionToken


class SubmissionReused(ValidationError):
    """The token was used before for different content: nothing is created, and nothing redirects."""


@dataclass(frozen=True)
class Submitted[T: models.Model]:
    obj: T
    created: bool  # False: the form had been sent before, and `obj` is what it created then


@transaction.atomic
def submission_once[T: models.Model](*, user, token: str, fingerprint: str, create: Callable[[], T]) -> Submitted[T]:
    """Run `create` once for this person's `token`; a repeat returns what the first run created.

    The token is claimed in the same transaction as the creation: if the creation fails, the claim
    goes with it and the form can be sent again. Two submissions at the same moment both try to
    insert the claim; the unique constraint lets one through, and the other (on PostgreSQL it waits
    for the first to commit) reads the first one's claim and returns its result.
    """
    earlier = _claim_of(user, token)
    if earlier is None:
        try:
            with transaction.atomic():
                claim = SubmissionToken.objects.create(user=user, token=token, fingerprint=fingerprint)
        except IntegrityError:
            earlier = _claim_of(user, token)
            if earlier is None:
                raise
    if earlier is not None:
        return _repeat(earlier, fingerprint)
    created = create()
    claim.target_type, claim.target_id = ContentType.objects.get_for_model(created), created.pk
    claim.save(update_fields=["target_type", "target_id"])
    return Submitted(created, created=True)


def _claim_of(user, token: str) -> SubmissionToken | None:
    return SubmissionToken.objects.filter(user=user, token=token).select_related("target_type").first()


def _repeat(claim: SubmissionToken, fingerprint: str) -> Submitted:
    if claim.fingerprint != fingerprint:
        raise SubmissionReused(
            _(
                "This form had already been sent once, with other content. Nothing was saved this time and your "
                "text is kept below: send it again to save it as well."
            )
        )
    target = claim.target
    if target is None:
        raise ValidationError(_("This form had already been sent, and what it created is no longer there."))
    return Submitted(target, created=False)
