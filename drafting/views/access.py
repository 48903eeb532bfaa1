"""Who may see and change what. Views call these before anything else.

Everything in the portal is visible to every signed-in member; what a person may change
follows the permissions of their seat's role (members/roles.py). A member whose seat is
inactive changes nothing: the seat grants no permission, and what they wrote themselves (a
proposal, a comment) they may change only while they may propose or comment. A refusal says
why. This is the one place views fetch an object by its id: 404 when it does not exist, 403
when the person may not do what they asked.
"""

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from drafting import selectors
from drafting.models import Comment, Concept, Edition, Meeting, Proposal, Section

INACTIVE_SEAT = gettext_lazy("Your seat in the Working Group is inactive: you can read the Concept, but not change it.")


def get_concept(pk: int) -> Concept:
    return get_object_or_404(Concept, pk=pk)


def get_section(pk: int) -> Section:
    return get_object_or_404(Section.objects.select_related("concept", "parent"), pk=pk)


def _seat_is_inactive(user) -> bool:
    expert = getattr(user, "expert", None) if user.is_authenticated else None
    return expert is not None and not expert.is_active


def require_perm(user, perm: str, message: str) -> None:
    """403 with `message` unless the person holds `perm`; an inactive member is told why instead.

    An inactive member's seat grants no permission (members.backends), so every write a view
    guards with a permission is refused to them here, while every page stays readable.
    """
    if not user.has_perm(perm):
        if _seat_is_inactive(user):
            raise PermissionDenied(INACTIVE_SEAT)
        raise PermissionDenied(message)


def get_section_for_edit(user, pk: int) -> Section:
    section = get_section(pk)
    require_perm(user, "drafting.edit_section_text", _("Only members of the Working Group may edit sections."))
    if section.is_retired:
        raise PermissionDenied(_("This section has been retired; restore it before editing."))
    return section


def get_section_for_outline(user, pk: int) -> Section:
    section = get_section(pk)
    require_perm(user, "drafting.shape_outline", _("Only coordinators may change the outline."))
    return section


def get_proposal(pk: int) -> Proposal:
    return selectors.proposal_with_relations(pk)


def get_proposal_for_author(user, pk: int) -> Proposal:
    """The author's own proposal: 404 if it does not exist, 403 if it is someone else's.

    Changing or withdrawing it is proposing, so it also needs the right to propose, which an
    inactive member no longer holds.
    """
    proposal = get_proposal(pk)
    if proposal.author_id != user.pk:
        raise PermissionDenied(_("This is someone else's proposal: only its author can change or withdraw it."))
    require_perm(user, "drafting.add_proposal", _("Only members of the Working Group may propose."))
    return proposal


def get_proposal_for_decision(user, pk: int) -> Proposal:
    require_perm(user, "drafting.decide_proposal", _("Only coordinators may merge or reject proposals."))
    return get_proposal(pk)


def get_comment(pk: int) -> Comment:
    return get_object_or_404(Comment.objects.select_related("author", "section", "proposal"), pk=pk)


def get_comment_for_author(user, pk: int) -> Comment:
    """The author's own comment, to edit: 403 for someone else's, and for an inactive member's own."""
    comment = get_comment(pk)
    if comment.author_id != user.pk:
        raise PermissionDenied(_("Only the author can edit a comment."))
    require_perm(user, "drafting.add_comment", _("Only members of the Working Group may comment."))
    return comment


def get_comment_for_resolving(user, pk: int) -> Comment:
    """A thread to resolve or reopen: its author's (while they may comment) or any, for a coordinator."""
    comment = get_comment(pk)
    if user.has_perm("drafting.resolve_any_comment"):
        return comment
    if comment.author_id != user.pk:
        raise PermissionDenied(_("Only the author of the thread or a coordinator can resolve it."))
    require_perm(user, "drafting.add_comment", _("Only members of the Working Group may comment."))
    return comment


def get_edition(pk: int) -> Edition:
    return get_object_or_404(Edition.objects.select_related("concept", "created_by__expert"), pk=pk)


def get_concept_edition(concept: Concept, pk: str) -> Edition:
    """An edition of this Concept named by a query parameter; 404 for anything else, garbage included."""
    try:
        return get_object_or_404(Edition, pk=int(pk), concept=concept)
    except ValueError:
        raise Http404(_("This Concept has no such edition.")) from None


def get_meeting(pk: int) -> Meeting:
    return selectors.meeting_with_relations(pk)


def expert_of(user):
    """The signed-in person's seat in the group, or 403: positions are taken by active members only."""
    expert = getattr(user, "expert", None)
    if expert is None or not expert.is_active or not user.has_perm("drafting.add_position"):
        raise PermissionDenied(_("Only active members of the Working Group take positions."))
    return expert
