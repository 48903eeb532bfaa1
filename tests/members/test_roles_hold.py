"""A person's powers follow their seat (Expert.role, Expert.is_active) from the next request on.

Roles used to live twice, as `Expert.role` and as group membership, and the admin changed only
the first: a coordinator demoted there kept merging. These tests change the seat the way staff
do, in the admin, and look at what the person can do on their next request.
"""

import secrets
from datetime import timedelta

import pytest
from django.contrib.auth.models import Group
from django.core.exceptions import PermissionDenied
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from drafting import services
from drafting.models import Comment, Position, Proposal, Section
from drafting.views import access
from members.backends import MemberBackend
from members.models import Expert
from members.roles import COORDINATOR_GROUP, EXPERT_GROUP, SEAT_PERMISSIONS, STAFF_PERMISSIONS
from tests.factories import ExpertFactory, StaffFactory, client_for, make_section
from tests.test_permission_matrix import MATRIX, SIGNED_IN, url_for


def admin_save_seat(staff_client: Client, user, **changes) -> None:
    """Change an expert's seat on the admin's Expert page, as staff do."""
    seat = Expert.objects.get(user=user)
    data = {
        "user": seat.user_id,
        "full_name": seat.full_name,
        "full_name_latin": seat.full_name_latin,
        "position": seat.position,
        "position_en": seat.position_en,
        "organisation": seat.organisation_id or "",
        "bloc": seat.bloc,
        "role": seat.role,
        "joined_on": seat.joined_on or "",
        "is_active": seat.is_active,
        "on_national_council": seat.on_national_council,
    } | changes
    data = {key: value for key, value in data.items() if value is not False}  # an unticked box is not sent
    response = staff_client.post(reverse("admin:members_expert_change", args=[seat.pk]), data)
    assert response.status_code == 302, response.content.decode()[:2000]


@pytest.fixture
def staff_client(staff):
    return client_for(staff)


@pytest.fixture
def discussion(concept, expert, coordinator):
    """A section, the expert's open proposal and comment thread, a frozen edition and a meeting."""
    goals = make_section(concept, "Goals", "Strengthening unity.", user=expert)
    proposal = services.proposal_create_amendment(
        section=goals, author=expert, title="Unity", text="Strengthening the unity.", rationale="Clearer.",
        base_version=1,
    )  # fmt: skip
    comment = services.comment_add(author=expert, body="My first thought.", section=goals)
    edition = services.edition_freeze(concept=concept, name="Draft 0.1", user=coordinator)
    meeting = services.meeting_schedule(
        concept=concept, user=coordinator, title="Online meeting", starts_at=timezone.now() + timedelta(days=3),
        proposals=[proposal],
    )  # fmt: skip
    return {"concept": concept, "section": goals, "proposal": proposal, "comment": comment, "edition": edition,
            "meeting": meeting}  # fmt: skip


def test_each_role_of_a_seat_has_its_permissions():
    assert set(SEAT_PERMISSIONS) == set(Expert.Role.values)


def test_demoted_coordinator_loses_merge_and_outline_at_once(staff_client, coordinator, discussion):
    chair = client_for(coordinator)
    merge = reverse("drafting:proposal-merge", args=[discussion["proposal"].pk])
    outline = reverse("drafting:concept-outline", args=[discussion["concept"].pk])
    assert chair.get(merge).status_code == 200
    assert chair.get(outline).status_code == 200

    admin_save_seat(staff_client, coordinator, role=Expert.Role.EXPERT)

    assert chair.get(merge).status_code == 403
    assert chair.get(outline).status_code == 403
    response = chair.post(merge, {"text": "Strengthening the unity.", "planned_version": 1})
    assert response.status_code == 403
    assert Proposal.objects.get().status == Proposal.Status.OPEN
    # What an expert does, they still do.
    assert chair.get(reverse("drafting:section-edit", args=[discussion["section"].pk])).status_code == 200
    # The admin's user page now shows the group of the new role.
    assert list(coordinator.groups.values_list("name", flat=True)) == [EXPERT_GROUP]


def test_the_coordinator_group_alone_grants_nothing(expert, discussion):
    """The old second copy of the role: an expert put in the Coordinator group by hand still cannot merge."""
    expert.groups.add(Group.objects.get(name=COORDINATOR_GROUP))
    response = client_for(expert).get(reverse("drafting:proposal-merge", args=[discussion["proposal"].pk]))
    assert response.status_code == 403


def _read_pages(objects) -> list[str]:
    # A notice's link is a redirect to what it is about, not a page of its own.
    return [
        url_for(name, objects)
        for name, (get, _post) in MATRIX.items()
        if get == SIGNED_IN and name != "notifications:notice-open"
    ]


def _mark() -> str:
    """A one-time mark, as each form that creates carries."""
    return secrets.token_urlsafe(24)


def _form_as_shown(client: Client, url: str, **typed) -> dict:
    """What the page's form would send: its hidden and initial values, with what the person typed."""
    form = client.get(url).context["form"]
    shown = {name: form[name].value() for name in form.fields}
    return {name: value for name, value in shown.items() if value is not None} | typed


def _writes(client: Client, objects) -> list[tuple[str, dict]]:
    """Every write an active expert may make, with a form that would succeed (read from the page as the
    active expert would see it, hidden marks included)."""
    section, proposal = objects["section"], objects["proposal"]
    edit = reverse("drafting:section-edit", args=[section.pk])
    propose = reverse("drafting:proposal-create", args=[section.pk])
    propose_section = reverse("drafting:proposal-create-section", args=[objects["concept"].pk])
    revise = reverse("drafting:proposal-edit", args=[proposal.pk])
    return [
        (edit, _form_as_shown(client, edit, body="Rewritten.", summary="Mine")),
        (propose, _form_as_shown(client, propose, title="New", text="Another text.", rationale="Because.")),
        (
            propose_section,
            _form_as_shown(
                client, propose_section, title="New section", heading="Means", text="Means.", rationale="So."
            ),
        ),
        (
            reverse("drafting:section-comment-add", args=[section.pk]),
            {"body": "Another comment.", "submission": _mark()},
        ),
        (
            reverse("drafting:proposal-comment-add", args=[proposal.pk]),
            {"body": "On the proposal.", "submission": _mark()},
        ),
        (reverse("drafting:position-record", args=[proposal.pk]), {"stance": "support"}),
        (revise, _form_as_shown(client, revise, title="Unity, again", text="Changed.", rationale="Clearer.")),
        (reverse("drafting:proposal-withdraw", args=[proposal.pk]), {}),
    ]


def _state():
    """What a refused write must leave as it was."""
    section = Section.objects.get(heading="Goals")
    proposal = Proposal.objects.get(title="Unity")
    comment = Comment.objects.get(body="My first thought.")
    return {
        "section": (section.version, section.body),
        "proposals": Proposal.objects.count(),
        "proposal": (proposal.status, proposal.text),
        "comments": Comment.objects.count(),
        "comment": (comment.body, comment.is_resolved),
        "positions": Position.objects.count(),
        "section history": Section.history.count(),
    }


def test_inactive_expert_reads_every_page_but_every_write_is_refused(staff_client, expert, discussion):
    former = client_for(expert)
    writes = _writes(former, discussion)  # the forms, as they were shown while the seat was active
    admin_save_seat(staff_client, expert, is_active=False)

    for url in _read_pages(discussion):
        assert former.get(url).status_code == 200, url

    before = _state()
    for url, data in writes:
        response = former.post(url, data)
        assert response.status_code == 403, url
    assert _state() == before
    refusal = former.get(reverse("drafting:section-edit", args=[discussion["section"].pk]))
    assert "Your seat in the Working Group is inactive" in refusal.text
    assert not expert.groups.filter(name__in=[EXPERT_GROUP, COORDINATOR_GROUP]).exists()


def test_inactive_expert_cannot_edit_or_resolve_their_own_comment(staff_client, expert, discussion):
    admin_save_seat(staff_client, expert, is_active=False)
    former = client_for(expert)
    comment = discussion["comment"]

    edit = former.post(reverse("drafting:comment-edit", args=[comment.pk]), {"body": "Changed after leaving."})
    resolve = former.post(reverse("drafting:comment-resolve", args=[comment.pk]), {"resolved": "1"})

    assert (edit.status_code, resolve.status_code) == (403, 403)
    comment.refresh_from_db()
    assert (comment.body, comment.is_resolved) == ("My first thought.", False)


def test_comments_are_fetched_for_their_author_only_while_the_seat_is_active(
    staff_client, expert, coordinator, discussion
):
    comment = discussion["comment"]
    assert access.get_comment_for_author(MemberBackend().get_user(expert.pk), comment.pk) == comment
    assert access.get_comment_for_resolving(MemberBackend().get_user(coordinator.pk), comment.pk) == comment
    with pytest.raises(PermissionDenied):
        access.get_comment_for_author(MemberBackend().get_user(coordinator.pk), comment.pk)

    admin_save_seat(staff_client, expert, is_active=False)
    former = MemberBackend().get_user(expert.pk)
    for fetch in (access.get_comment_for_author, access.get_comment_for_resolving, access.get_proposal_for_author):
        pk = discussion["proposal"].pk if fetch is access.get_proposal_for_author else comment.pk
        with pytest.raises(PermissionDenied, match="inactive"):
            fetch(former, pk)


def test_reactivating_an_expert_restores_their_writes(staff_client, expert, discussion):
    admin_save_seat(staff_client, expert, is_active=False)
    admin_save_seat(staff_client, expert, is_active=True)
    member = client_for(expert)

    for url, data in _writes(member, discussion):
        assert member.post(url, data).status_code == 302, url
    section, proposal = Section.objects.get(heading="Goals"), Proposal.objects.get(title="Unity, again")
    assert (section.version, section.body) == (2, "Rewritten.")
    assert proposal.status == Proposal.Status.WITHDRAWN
    assert list(expert.groups.values_list("name", flat=True)) == [EXPERT_GROUP]


def test_staff_keep_the_permissions_of_the_staff_group(staff, staff_client):
    assert staff.get_all_permissions() == set(STAFF_PERMISSIONS)
    assert staff_client.get(reverse("admin:drafting_section_changelist")).status_code == 200
    assert staff_client.get(reverse("admin:members_expert_changelist")).status_code == 200


def test_staff_without_a_seat_get_no_working_group_powers_from_a_role_group(staff):
    staff.groups.add(Group.objects.get(name=COORDINATOR_GROUP))
    staff = MemberBackend().get_user(staff.pk)
    assert staff.get_all_permissions() == set(STAFF_PERMISSIONS)
    assert not staff.has_perm("drafting.decide_proposal")


@pytest.mark.parametrize(
    "make_person",
    [
        lambda: ExpertFactory().user,
        lambda: ExpertFactory(role=Expert.Role.COORDINATOR).user,
        lambda: ExpertFactory(is_active=False).user,
        StaffFactory,
    ],
    ids=["expert", "coordinator", "inactive expert", "staff"],
)
def test_permissions_cost_one_query_per_request(db, make_person):
    user = make_person()
    loaded = MemberBackend().get_user(user.pk)  # as AuthenticationMiddleware loads the person
    with CaptureQueriesContext(connection) as queries:
        for perm in ("drafting.edit_section_text", "drafting.decide_proposal", "drafting.view_section"):
            loaded.has_perm(perm)
        loaded.get_all_permissions()
    assert len(queries) == 1, [query["sql"] for query in queries]


def test_a_page_asks_for_permissions_at_most_once(expert_client, discussion):
    with CaptureQueriesContext(connection) as queries:
        response = expert_client.get(reverse("drafting:section-detail", args=[discussion["section"].pk]))
    assert response.status_code == 200
    assert len([q for q in queries if "auth_permission" in q["sql"]]) <= 1


def test_working_group_permissions_are_answered_from_the_seat_without_a_query(db):
    expert = MemberBackend().get_user(ExpertFactory().user.pk)
    with CaptureQueriesContext(connection) as queries:
        assert expert.has_perm("drafting.edit_section_text")
        assert not expert.has_perm("drafting.decide_proposal")
    assert queries.captured_queries == []


def test_a_group_given_by_hand_still_cannot_grant_a_working_group_permission(db):
    from django.contrib.auth.models import Permission

    user = ExpertFactory().user
    group = Group.objects.create(name="Helpers")
    group.permissions.add(Permission.objects.get(codename="decide_proposal"))
    user.groups.add(group)
    loaded = MemberBackend().get_user(user.pk)
    assert not loaded.has_perm("drafting.decide_proposal")
    assert "drafting.decide_proposal" not in loaded.get_all_permissions()


def test_the_navigation_reads_the_concept_once_a_minute_not_on_every_page(expert_client, discussion):
    path = reverse("drafting:section-detail", args=[discussion["section"].pk])
    expert_client.get(path)
    with CaptureQueriesContext(connection) as queries:
        response = expert_client.get(path)
    assert reverse("drafting:concept-document", args=[discussion["concept"].pk]) in response.content.decode()
    assert not [q for q in queries if 'FROM "drafting_concept" ORDER BY' in q["sql"]]
