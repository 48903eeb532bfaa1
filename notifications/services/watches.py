"""Following sections, proposals, meetings and (coordinators) the whole Concept."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils.translation import gettext as _

from notifications.models import Watch

TARGETS = ("concept", "section", "proposal", "meeting")


def _target_kwargs(*, concept=None, section=None, proposal=None, meeting=None) -> dict:
    given = {
        name: obj for name, obj in zip(TARGETS, (concept, section, proposal, meeting), strict=True) if obj is not None
    }
    if len(given) != 1:
        raise ValidationError(_("Choose one section, proposal or meeting to watch."))
    return given


@transaction.atomic
def watch_add(*, user, concept=None, section=None, proposal=None, meeting=None) -> Watch:
    """Follow one item; following it again changes nothing. Only coordinators follow the whole Concept."""
    target = _target_kwargs(concept=concept, section=section, proposal=proposal, meeting=meeting)
    if concept is not None and not user.has_perm("drafting.shape_outline"):
        raise PermissionDenied(_("Only coordinators can watch the whole Concept."))
    watch, _created = Watch.objects.get_or_create(user=user, **target)
    return watch


@transaction.atomic
def watch_remove(*, user, concept=None, section=None, proposal=None, meeting=None) -> None:
    target = _target_kwargs(concept=concept, section=section, proposal=proposal, meeting=meeting)
    Watch.objects.filter(user=user, **target).delete()


def auto_watch(*, user, section=None, proposal=None, meeting=None) -> None:
    """The person who proposed, commented, took a position or edited follows the item (one query)."""
    target = {"proposal": proposal} if proposal is not None else {"section": section} if section else {}
    if meeting is not None and not target:
        target = {"meeting": meeting}
    if user is None or not target:
        return
    Watch.objects.bulk_create([Watch(user=user, **target)], ignore_conflicts=True)


def watch_rows(*, concept_id=None, section_id=None, proposal_id=None, meeting_id=None) -> list[Watch]:
    """Everyone's watches on these items (one query)."""
    condition = Q(pk__in=[])
    for name, value in (
        ("concept_id", concept_id),
        ("section_id", section_id),
        ("proposal_id", proposal_id),
        ("meeting_id", meeting_id),
    ):
        if value is not None:
            condition |= Q(**{name: value})
    return list(Watch.objects.filter(condition))


def is_watching(user, *, concept=None, section=None, proposal=None, meeting=None) -> bool:
    target = _target_kwargs(concept=concept, section=section, proposal=proposal, meeting=meeting)
    return Watch.objects.filter(user=user, **target).exists()
