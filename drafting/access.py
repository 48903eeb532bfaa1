"""Who may see and change what. Views call these before anything else.

Everything in the portal is visible to every signed-in member; what a person may change
follows the permissions of their role (members/roles.py). A refusal says why.
"""

from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _

from drafting.models import Concept, Section


def get_concept(pk: int) -> Concept:
    return get_object_or_404(Concept, pk=pk)


def get_section(pk: int) -> Section:
    return get_object_or_404(Section.objects.select_related("concept", "parent"), pk=pk)


def require_perm(user, perm: str, message: str) -> None:
    if not user.has_perm(perm):
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
