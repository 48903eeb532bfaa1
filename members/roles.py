"""Roles in the Working Group and the permissions each one grants.

Views check permissions (`user.has_perm(...)`), never group names, so a role's powers
are defined here and nowhere else. A member's powers follow their seat: `Expert.role`
and `Expert.is_active` (members.backends.MemberBackend reads them on every request).
The Expert and Coordinator groups mirror the role on the admin's user page and list what
it grants, but belonging to them grants nothing; the Staff group grants the admin's powers.
"""

from django.contrib.auth.models import Group, Permission

EXPERT_GROUP = "Expert"
COORDINATOR_GROUP = "Coordinator"
STAFF_GROUP = "Staff"

EXPERT_PERMISSIONS = [
    "drafting.edit_section_text",
    "drafting.add_proposal",
    "drafting.add_comment",
    "drafting.add_position",
]
COORDINATOR_PERMISSIONS = EXPERT_PERMISSIONS + [
    "drafting.shape_outline",
    "drafting.revert_section",
    "drafting.decide_proposal",
    "drafting.resolve_any_comment",
    "drafting.freeze_edition",
    "drafting.run_meeting",
]

# Staff review records and their history in the admin (and may correct or revert them there).
STAFF_MODELS = [
    "drafting.concept",
    "drafting.section",
    "drafting.proposal",
    "drafting.comment",
    "drafting.position",
    "drafting.edition",
    "drafting.meeting",
    "drafting.agendaitem",
    "drafting.paralleltext",
    "members.organisation",
    "members.expert",
]
STAFF_PERMISSIONS = [
    f"{model.split('.')[0]}.{action}_{model.split('.')[1]}" for model in STAFF_MODELS for action in ("view", "change")
] + ["drafting.add_section", "members.add_organisation", "members.add_expert"]

# What a seat's role grants, and the permissions only a seat can grant: a group, or a
# permission given to an account by hand, never adds one of these.
SEAT_PERMISSIONS = {
    "expert": frozenset(EXPERT_PERMISSIONS),
    "coordinator": frozenset(COORDINATOR_PERMISSIONS),
}
WORKING_GROUP_PERMISSIONS = frozenset().union(*SEAT_PERMISSIONS.values())
ROLE_GROUPS = (EXPERT_GROUP, COORDINATOR_GROUP)

ROLE_PERMISSIONS = {
    EXPERT_GROUP: EXPERT_PERMISSIONS,
    COORDINATOR_GROUP: COORDINATOR_PERMISSIONS,
    STAFF_GROUP: STAFF_PERMISSIONS,
}


def _permissions(codes):
    wanted = {tuple(code.split(".", 1)) for code in codes}
    found = Permission.objects.filter(content_type__app_label__in={app for app, _ in wanted}).select_related(
        "content_type"
    )
    return [perm for perm in found if (perm.content_type.app_label, perm.codename) in wanted]


def ensure_role_groups(**kwargs):
    """Create the role groups and give them exactly their permissions (idempotent)."""
    for name, codes in ROLE_PERMISSIONS.items():
        group, _ = Group.objects.get_or_create(name=name)
        group.permissions.set(_permissions(codes))


def seat_permissions(expert) -> frozenset[str]:
    """The permissions a Working Group seat grants: its role's, and none while the seat is inactive.

    An inactive member keeps reading everything members read, but changes nothing.
    """
    if expert is None or not expert.is_active:
        return frozenset()
    return SEAT_PERMISSIONS.get(expert.role, frozenset())


def group_for_role(role: str) -> Group:
    """The group that names an expert's role on the admin's user page (it grants nothing)."""
    from members.models import Expert

    name = COORDINATOR_GROUP if role == Expert.Role.COORDINATOR else EXPERT_GROUP
    return Group.objects.get(name=name)
