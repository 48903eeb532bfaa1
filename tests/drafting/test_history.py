"""Every change to a section leaves a history row with the right user, reason and revision."""

import pytest
from django.utils import translation

from drafting import services
from drafting.models import Activity, RevisionKind
from tests.factories import make_section


def reason(row) -> str:
    """The reason a reader of the English interface sees for a history row."""
    with translation.override("en"):
        return row.reason_display()


@pytest.mark.django_db
def test_creating_a_section_records_revision_1_with_user_and_reason(concept, coordinator):
    section = make_section(concept, "General provisions", "Text.", user=coordinator)

    row = section.history.get()
    assert (row.version, row.history_user, row.history_type) == (1, coordinator, "+")
    assert (row.change_kind, row.change_data) == (RevisionKind.CREATE, {"heading": "General provisions"})
    assert row.history_change_reason == ""  # no system sentence is stored
    assert reason(row) == "Added section “General provisions”"
    activity = Activity.objects.get(section=section)
    assert (activity.actor, activity.verb, activity.data) == (
        coordinator,
        Activity.Verb.ADDED_SECTION,
        {"heading": "General provisions"},
    )


@pytest.mark.django_db
def test_editing_records_a_new_revision_with_the_editor_and_summary(concept, expert):
    section = make_section(concept, body="Old text.")
    services.section_edit(section=section, base_version=1, body="New text.", user=expert, summary="Clearer wording")

    section.refresh_from_db()
    latest = section.history.latest()
    assert section.version == 2
    assert (latest.version, latest.history_user, latest.history_change_reason) == (2, expert, "Clearer wording")
    assert latest.body == "New text."
    assert section.body_html == "<p>New text.</p>"


@pytest.mark.django_db
def test_revert_is_a_new_revision_and_deletes_nothing(concept, expert, coordinator):
    section = make_section(concept, body="First.")
    services.section_edit(section=section, base_version=1, body="Second.", user=expert, summary="Edit")

    services.section_revert(section=section, to_version=1, user=coordinator)

    section.refresh_from_db()
    assert (section.version, section.body) == (3, "First.")
    rows = list(section.history.order_by("history_id"))
    assert [r.version for r in rows] == [1, 2, 3]
    assert rows[-1].history_user == coordinator
    assert (rows[-1].change_kind, rows[-1].change_data) == (RevisionKind.REVERT, {"to_version": 1})
    assert rows[-1].history_change_reason == ""
    assert reason(rows[-1]) == "Reverted to revision 1"
    activity = Activity.objects.filter(section=section).first()
    assert (activity.actor, activity.verb, activity.data) == (
        coordinator,
        Activity.Verb.REVERTED,
        {"heading": section.heading, "to_version": 1, "version": 3},
    )


@pytest.mark.django_db
def test_rendered_html_is_not_kept_in_history(concept):
    section = make_section(concept, body="**bold**")
    assert section.body_html == "<p><strong>bold</strong></p>"
    assert "body_html" not in {f.name for f in section.history.model._meta.fields}


@pytest.mark.django_db
def test_history_user_comes_from_the_request_through_the_middleware(client, staff, concept):
    """A change made in the admin is attributed to the staff member who made it."""
    section = make_section(concept, body="Before.")
    client.force_login(staff)
    response = client.post(
        f"/admin/drafting/section/{section.pk}/change/",
        {
            "concept": concept.pk,
            "parent": "",
            "order": section.order,
            "heading": section.heading,
            "body": "After.",
            "base_version": 1,
        },
    )
    assert response.status_code == 302
    latest = section.history.latest()
    assert (latest.version, latest.history_user, latest.body) == (2, staff, "After.")
    assert (latest.change_kind, latest.history_change_reason) == (RevisionKind.ADMIN, "")
    assert reason(latest) == "Changed in the admin"


@pytest.mark.django_db
def test_admin_revert_from_a_history_page_becomes_a_new_revision(client, staff, concept, expert):
    section = make_section(concept, body="Original.")
    services.section_edit(section=section, base_version=1, body="Changed.", user=expert, summary="Edit")
    first = section.history.get(version=1)
    client.force_login(staff)

    response = client.post(
        f"/admin/drafting/section/{section.pk}/history/{first.history_id}/",
        {
            "concept": concept.pk,
            "parent": "",
            "order": section.order,
            "heading": section.heading,
            "body": "Original.",
            "reason": "Back to the original",
        },
    )

    assert response.status_code == 302
    section.refresh_from_db()
    assert (section.version, section.body, section.body_html) == (3, "Original.", "<p>Original.</p>")
    latest = section.history.latest()
    assert (latest.history_user, latest.change_kind) == (staff, RevisionKind.REVERT)
    assert latest.change_data == {"to_version": 1}
    assert reason(latest) == "Reverted to revision 1: Back to the original"
    assert section.history.count() == 3
