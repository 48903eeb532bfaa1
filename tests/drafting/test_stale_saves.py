"""A save from a page opened before someone else's change merges with it or is refused: never a silent overwrite."""

import pytest
from django.urls import reverse
from django.utils import timezone

from drafting import services
from drafting.models import AgendaItem, Comment, Proposal, RevisionKind, Section
from members.models import Expert
from tests.factories import ExpertFactory, client_for, make_section

BASE = "Первое предложение о языке. Второе предложение о культуре. Третье предложение о диалоге."


def admin_post(client, section, *, body, base_version, **extra):
    return client.post(
        f"/admin/drafting/section/{section.pk}/change/",
        {
            "concept": section.concept_id,
            "parent": "",
            "order": section.order,
            "heading": section.heading,
            "body": body,
            "base_version": base_version,
            **extra,
        },
        follow=True,
    )


@pytest.fixture
def second_coordinator(db):
    return ExpertFactory(full_name="Second Coordinator", role=Expert.Role.COORDINATOR).user


# --- the section's admin form ---


@pytest.mark.django_db
def test_admin_form_opened_before_an_experts_edit_merges_both_changes(client, staff, expert, concept):
    section = make_section(concept, "Principles", BASE)
    client.force_login(staff)
    opened = client.get(f"/admin/drafting/section/{section.pk}/change/")
    assert opened.context["adminform"].form["base_version"].value() == 1
    services.section_edit(
        section=section, base_version=1, body=BASE.replace("Первое", "Начальное"), user=expert, summary="e"
    )

    response = admin_post(client, section, body=BASE.replace("Третье", "Последнее"), base_version=1)

    assert response.redirect_chain, response.context["adminform"].form.errors
    section.refresh_from_db()
    assert "Начальное" in section.body and "Последнее" in section.body  # both words survive
    assert section.version == 3
    latest = section.history.latest()
    assert (latest.history_user, latest.change_kind, latest.version) == (staff, RevisionKind.ADMIN, 3)
    assert "merged with the other one" in response.text


@pytest.mark.django_db
def test_admin_form_changing_the_same_words_is_refused_and_the_text_kept(client, staff, expert, concept):
    section = make_section(concept, "Principles", BASE)
    services.section_edit(
        section=section, base_version=1, body=BASE.replace("Второе", "Иное"), user=expert, summary="e"
    )
    client.force_login(staff)

    response = admin_post(client, section, body=BASE.replace("Второе", "Staff's own"), base_version=1)

    assert not response.redirect_chain
    form = response.context["adminform"].form
    assert "someone else changed the same words" in " ".join(form.non_field_errors())
    assert "Staff&#x27;s own" in response.text or "Staff's own" in form["body"].value()
    assert "Staff's own" in form["body"].value()
    section.refresh_from_db()
    assert (section.version, section.body) == (2, BASE.replace("Второе", "Иное"))  # the expert's words stay


@pytest.mark.django_db
def test_admin_double_save_is_not_a_second_revision(client, staff, concept):
    section = make_section(concept, "Principles", BASE)
    client.force_login(staff)
    admin_post(client, section, body=BASE + " Ещё.", base_version=1)
    admin_post(client, section, body=BASE + " Ещё.", base_version=1)
    section.refresh_from_db()
    assert (section.version, section.body) == (2, BASE + " Ещё.")


@pytest.mark.django_db
def test_admin_form_without_its_revision_is_refused(client, staff, concept):
    section = make_section(concept, "Principles", BASE)
    client.force_login(staff)
    response = admin_post(client, section, body="Overwrite.", base_version="")
    assert "lost the revision you started from" in response.text
    section.refresh_from_db()
    assert section.body == BASE


# --- proposal status in the admin ---


@pytest.mark.django_db
def test_proposal_status_cannot_be_set_to_merged_in_the_admin(client, staff, concept, expert):
    section = make_section(concept, "Principles", BASE)
    proposal = services.proposal_create_amendment(
        section=section, author=expert, title="T", text=BASE + " Ещё.", rationale="R", base_version=1
    )
    client.force_login(staff)
    page = client.get(f"/admin/drafting/proposal/{proposal.pk}/change/")
    assert "status" not in page.context["adminform"].form.fields
    client.post(
        f"/admin/drafting/proposal/{proposal.pk}/change/",
        {
            "concept": concept.pk,
            "kind": "amendment",
            "section": section.pk,
            "base_version": 1,
            "title": "T, tidied by staff",
            "text": BASE + " Ещё.",
            "rationale": "R",
            "author": expert.pk,
            "status": "merged",
            "merged_version": 2,
            "base_history_id": services.latest_history_id(proposal),
        },
    )
    proposal.refresh_from_db()
    section.refresh_from_db()
    assert proposal.title == "T, tidied by staff"  # the save went through; the status did not
    assert (proposal.status, proposal.merged_version, section.version) == ("open", None, 1)


@pytest.mark.django_db
def test_comment_changed_since_its_admin_form_was_opened_is_not_overwritten(client, staff, concept, expert):
    section = make_section(concept, "Principles", BASE)
    comment = services.comment_add(author=expert, body="Мой комментарий.", section=section)
    client.force_login(staff)
    opened = client.get(f"/admin/drafting/comment/{comment.pk}/change/").context["adminform"].form
    version = opened["base_history_id"].value()
    services.comment_edit(comment=comment, user=expert, body="Мой комментарий, уточнённый.")
    data = {"section": section.pk, "author": expert.pk, "body": "Staff wording.", "base_history_id": version}

    response = client.post(f"/admin/drafting/comment/{comment.pk}/change/", data)

    assert response.status_code == 200
    assert "Someone changed this record since you opened this form" in response.text
    assert "Staff wording." in response.text
    comment.refresh_from_db()
    assert comment.body == "Мой комментарий, уточнённый."


# --- minutes from two pages ---


@pytest.mark.django_db
def test_minutes_from_two_pages_are_merged(concept, coordinator, second_coordinator, expert):
    meeting = services.meeting_schedule(concept=concept, user=coordinator, title="M", starts_at=timezone.now())
    services.meeting_update(meeting=meeting, user=coordinator, minutes="Открыли встречу.\n\nЗакрыли встречу.")
    url = reverse("drafting:meeting-record", args=[meeting.pk])
    first, second = client_for(coordinator), client_for(second_coordinator)
    opened = [
        c.get(meeting.get_absolute_url()).context["record_form"]["base_history_id"].value() for c in (first, second)
    ]
    attendee = Expert.objects.get(user=expert)

    r1 = first.post(url, {"minutes": "Открыли встречу в 10:00.\n\nЗакрыли встречу.", "base_history_id": opened[0]})
    r2 = second.post(
        url,
        {
            "minutes": "Открыли встречу.\n\nЗакрыли встречу в 12:00.",
            "attendees": [attendee.pk],
            "base_history_id": opened[1],
        },
    )

    assert (r1.status_code, r2.status_code) == (302, 302)
    meeting.refresh_from_db()
    assert meeting.minutes == "Открыли встречу в 10:00.\n\nЗакрыли встречу в 12:00."
    assert list(meeting.attendees.all()) == [attendee]
    assert meeting.history.filter(history_user=second_coordinator).exists()


@pytest.mark.django_db
def test_overlapping_minutes_from_a_second_page_are_refused_with_the_text_kept(
    concept, coordinator, second_coordinator
):
    meeting = services.meeting_schedule(concept=concept, user=coordinator, title="M", starts_at=timezone.now())
    version = services.latest_history_id(meeting)
    url = reverse("drafting:meeting-record", args=[meeting.pk])
    client_for(coordinator).post(url, {"minutes": "Решили одно.", "base_history_id": version})

    response = client_for(second_coordinator).post(url, {"minutes": "Решили другое.", "base_history_id": version})

    assert response.status_code == 409
    assert "someone else changed the same words" in response.text
    form = response.context["record_form"]
    assert "Решили другое." in form["minutes"].value()
    assert int(form["base_history_id"].value()) == services.latest_history_id(meeting)  # now seen
    meeting.refresh_from_db()
    assert meeting.minutes == "Решили одно."


# --- comment and proposal edits ---


@pytest.mark.django_db
def test_comment_edited_in_two_tabs_keeps_both_changes_or_refuses(concept, expert):
    section = make_section(concept, "Principles", BASE)
    comment = services.comment_add(author=expert, body="Один. Два. Три.", section=section)
    client = client_for(expert)
    url = reverse("drafting:comment-edit", args=[comment.pk])
    opened = client.get(url).context["form"]["base_history_id"].value()

    assert client.post(url, {"body": "Один! Два. Три.", "base_history_id": opened}).status_code == 302
    assert client.post(url, {"body": "Один. Два. Три!", "base_history_id": opened}).status_code == 302
    comment.refresh_from_db()
    assert comment.body == "Один! Два. Три!"

    response = client.post(url, {"body": "Один? Два. Три.", "base_history_id": opened})
    assert response.status_code == 400
    assert "someone else changed the same words" in response.text
    assert "Один?" in response.context["form"]["body"].value()
    comment.refresh_from_db()
    assert comment.body == "Один! Два. Три!"
    assert Comment.history.filter(id=comment.pk).count() == 3


@pytest.mark.django_db
def test_proposal_edited_from_a_stale_page_merges_or_refuses(concept, expert, staff):
    section = make_section(concept, "Principles", BASE)
    proposal = services.proposal_create_amendment(
        section=section,
        author=expert,
        title="T",
        text=BASE.replace("Второе", "Моё"),
        rationale="Один. Два.",
        base_version=1,
    )
    client = client_for(expert)
    url = reverse("drafting:proposal-edit", args=[proposal.pk])
    opened = client.get(url).context["form"].initial["base_history_id"]
    # Meanwhile, another tab changes the rationale.
    services.proposal_update(
        proposal=proposal, user=expert, title="T", text=proposal.text, rationale="Один. Два. Три.", base_version=1
    )

    data = {"title": "T", "text": BASE.replace("Второе", "Наше"), "rationale": "Один. Два.", "base_version": 1}
    response = client.post(url, {**data, "base_history_id": opened})

    assert response.status_code == 302
    proposal.refresh_from_db()
    assert (proposal.text, proposal.rationale) == (BASE.replace("Второе", "Наше"), "Один. Два. Три.")

    response = client.post(url, {**data, "text": BASE.replace("Второе", "Чужое"), "base_history_id": opened})
    assert response.status_code == 400
    assert "someone else changed the same words" in response.text
    assert "Чужое" in response.context["form"]["text"].value()
    proposal.refresh_from_db()
    assert proposal.text == BASE.replace("Второе", "Наше")


# --- outcomes ---


@pytest.mark.django_db
def test_outcome_changed_since_the_page_was_opened_is_refused_with_the_note_kept(
    concept, expert, other_expert, coordinator, second_coordinator
):
    section = make_section(concept, "Principles", BASE)
    proposal = services.proposal_create_amendment(
        section=section, author=expert, title="T", text=BASE + " Ещё.", rationale="R", base_version=1
    )
    services.comment_add(author=other_expert, body="Open question", proposal=proposal)
    meeting = services.meeting_schedule(
        concept=concept, user=coordinator, title="M", starts_at=timezone.now(), proposals=[proposal]
    )
    first, second = client_for(coordinator), client_for(second_coordinator)
    opened = first.get(meeting.get_absolute_url()).context["items"][0].base_history_id
    assert second.get(meeting.get_absolute_url()).context["items"][0].base_history_id == opened
    url = reverse("drafting:meeting-outcome", args=[meeting.pk])

    first.post(url, {"proposal": proposal.pk, "outcome": "agreed", "note": "Все за", "base_history_id": opened})
    response = second.post(
        url, {"proposal": proposal.pk, "outcome": "rejected", "note": "Моя заметка", "base_history_id": opened}
    )

    assert response.status_code == 409
    assert "someone else recorded the outcome" in response.text
    assert 'value="Моя заметка"' in response.text and '<option value="rejected" selected>' in response.text
    item = AgendaItem.objects.get()
    assert (item.outcome, item.note) == ("agreed", "Все за")
    assert Proposal.objects.get(pk=proposal.pk).status == "open"
    # Having seen it, the second coordinator may still replace it: the page now carries the current version.
    seen = response.context["items"][0].base_history_id
    again = second.post(url, {"proposal": proposal.pk, "outcome": "postponed", "note": "", "base_history_id": seen})
    assert again.status_code == 302
    assert AgendaItem.objects.get().outcome == "postponed"


@pytest.mark.django_db
def test_section_admin_save_service_refuses_an_overlap(concept, staff, expert):
    section = make_section(concept, "Principles", BASE)
    services.section_edit(
        section=section, base_version=1, body=BASE.replace("Второе", "Иное"), user=expert, summary="e"
    )
    stale = Section.objects.get(pk=section.pk)
    stale.body = BASE.replace("Второе", "Моё")
    with pytest.raises(services.StaleConflict):
        services.section_admin_save(section=stale, user=staff, base_version=1)
    section.refresh_from_db()
    assert section.body == BASE.replace("Второе", "Иное")
