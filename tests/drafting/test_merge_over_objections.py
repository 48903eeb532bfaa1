"""Consensus where decisions are made: the merge page and the queue show positions and objections;
merging over an objection needs a confirmation and a reason, recorded with the merge."""

import re
from collections import Counter

import pytest
from django.urls import reverse
from django.utils import timezone

from drafting import services
from drafting.models import Activity, Proposal, Section
from tests.factories import ExpertFactory, make_discussion, make_section


@pytest.fixture
def discussion(concept):
    return make_discussion(concept)


def _merge_url(proposal):
    return reverse("drafting:proposal-merge", args=[proposal.pk])


def _merge_post(client, proposal, **extra):
    page = client.get(_merge_url(proposal))
    text = page.context["form"].initial["text"]
    version = page.context["form"].initial["planned_version"]
    return client.post(_merge_url(proposal), {"text": text, "planned_version": version, **extra})


def test_merge_page_shows_positions_by_bloc_and_objections_with_reasons(client, discussion):
    chair, proposal = discussion["people"]["coordinator"], discussion["objects"]["proposal"]
    client.force_login(chair)
    page = client.get(_merge_url(proposal)).text
    assert "1 expert objects to this proposal" in page
    assert "Марат Шибутов" in page and "Слишком широко." in page
    assert "Positions by bloc" in page and "Scientific-theoretical" in page and "Political practitioner" in page
    assert 'name="override_reason"' in page and 'name="confirm_objections"' in page


def test_merge_page_without_objections_asks_nothing_more(coordinator_client, concept, expert):
    section = make_section(concept, "Цели", "Текст.", user=expert)
    proposal = services.proposal_create_amendment(
        section=section, author=expert, title="T", text="Новый текст.", rationale="", base_version=1
    )
    page = coordinator_client.get(_merge_url(proposal)).text
    assert "object to this proposal" not in page
    assert 'name="override_reason"' not in page
    response = _merge_post(coordinator_client, proposal)
    assert response.status_code == 302
    assert Section.objects.get(pk=section.pk).body == "Новый текст."


def test_merge_over_an_objection_without_a_reason_is_refused_with_a_message(client, discussion):
    chair, proposal = discussion["people"]["coordinator"], discussion["objects"]["proposal"]
    client.force_login(chair)
    response = _merge_post(client, proposal, text="Укрепление единства народа Казахстана, исправлено.")
    assert response.status_code == 400
    assert "Марат Шибутов objects to this proposal. To merge it anyway, confirm" in response.text
    # What the coordinator typed is still there.
    assert "Укрепление единства народа Казахстана, исправлено." in response.text
    assert Proposal.objects.get(pk=proposal.pk).status == Proposal.Status.OPEN
    assert Section.objects.get(pk=proposal.section_id).version == 2


def test_reason_without_confirmation_and_confirmation_without_reason_are_refused(client, discussion):
    chair, proposal = discussion["people"]["coordinator"], discussion["objects"]["proposal"]
    client.force_login(chair)
    response = _merge_post(client, proposal, override_reason="Согласовано")
    assert response.status_code == 400
    assert "Confirm that you have read the objections." in response.text
    response = _merge_post(client, proposal, confirm_objections="on")
    assert response.status_code == 400
    assert "Give the reason for merging over the objections." in response.text
    assert Proposal.objects.get(pk=proposal.pk).status == Proposal.Status.OPEN


def test_merge_over_an_objection_with_a_reason_is_recorded_and_shown(client, discussion):
    chair, proposal = discussion["people"]["coordinator"], discussion["objects"]["proposal"]
    section = discussion["objects"]["section"]
    client.force_login(chair)
    reason = "Возражение снято на заседании рабочей группы <b>устно</b>"
    response = _merge_post(client, proposal, confirm_objections="on", override_reason=reason)
    assert response.status_code == 302
    row = section.history.get(version=3)
    assert row.change_data["over_objections"] == {"objectors": ["Марат Шибутов"], "reason": reason}
    assert row.history_user == chair
    merged = Proposal.objects.get(pk=proposal.pk)
    assert merged.status == Proposal.Status.MERGED and merged.decision_reason == reason
    activity = Activity.objects.get(verb=Activity.Verb.MERGED)
    assert activity.data["over_objections"]["reason"] == reason

    history = client.get(reverse("drafting:section-history", args=[section.pk])).text
    assert "Merged over 1 objection" in history and "Марат Шибутов" in history
    assert "Возражение снято на заседании рабочей группы &lt;b&gt;устно&lt;/b&gt;" in history
    attribution = client.get(reverse("drafting:section-attribution", args=[section.pk])).text
    assert "Merged over 1 objection" in attribution
    assert "Возражение снято на заседании рабочей группы &lt;b&gt;устно&lt;/b&gt;" in attribution


def test_objection_arriving_while_the_merge_page_is_open_is_caught(coordinator_client, concept, expert, other_expert):
    section = make_section(concept, "Цели", "Текст.", user=expert)
    proposal = services.proposal_create_amendment(
        section=section, author=expert, title="T", text="Новый текст.", rationale="", base_version=1
    )
    page = coordinator_client.get(_merge_url(proposal))
    assert 'name="override_reason"' not in page.text
    services.position_record(proposal=proposal, expert=other_expert.expert, stance="object", reason="Нет.")
    response = coordinator_client.post(_merge_url(proposal), {"text": "Новый текст.", "planned_version": 1})
    assert response.status_code == 400
    assert "Marat Other objects to this proposal" in response.text
    assert 'name="override_reason"' in response.text


def test_service_refuses_a_merge_over_objections_without_a_reason(discussion):
    from django.core.exceptions import ValidationError

    chair, proposal = discussion["people"]["coordinator"], discussion["objects"]["proposal"]
    with pytest.raises(ValidationError, match="objects? to this proposal"):
        services.proposal_merge(proposal=proposal, merged_by=chair, override_reason="   ")
    outcome = services.proposal_merge(proposal=proposal, merged_by=chair, override_reason="Решение группы")
    assert outcome.status == "merged"


def test_proposal_agreed_at_a_meeting_says_so_and_the_meeting_is_the_reason(client, discussion):
    chair, proposal = discussion["people"]["coordinator"], discussion["objects"]["proposal"]
    meeting = discussion["objects"]["meeting"]
    services.meeting_record_outcome(meeting=meeting, proposal=proposal, outcome="agreed", user=chair)
    client.force_login(chair)
    page = client.get(_merge_url(proposal)).text
    assert "The meeting “Онлайн-заседание” of" in page and "agreed this proposal." in page
    response = _merge_post(client, Proposal.objects.get(pk=proposal.pk))
    assert response.status_code == 302
    row = proposal.section.history.get(version=3)
    assert row.change_data["over_objections"]["meeting"] == "Онлайн-заседание"
    history = client.get(reverse("drafting:section-history", args=[proposal.section_id])).text
    assert "Agreed at the meeting “Онлайн-заседание”." in history


def test_merge_queue_shows_positions_by_bloc_and_objections(client, discussion, django_assert_max_num_queries):
    chair, concept = discussion["people"]["coordinator"], discussion["objects"]["concept"]
    section = discussion["objects"]["section"]
    client.force_login(chair)
    critics = [ExpertFactory(full_name=f"Критик {n}").user for n in range(6)]
    for n in range(8):
        p = services.proposal_create_amendment(
            section=section, author=chair, title=f"Вариант {n}", text=f"Вариант {n}.", rationale="", base_version=2
        )
        for critic in critics:
            services.position_record(proposal=p, expert=critic.expert, stance="object", reason=f"Причина {n}")
    with django_assert_max_num_queries(12):
        page = client.get(reverse("drafting:merge-queue", args=[concept.pk])).text
    assert "Слишком широко." in page and "Причина 7" in page
    assert "0 support · 0 can live with it · 1 object" in page
    assert "6 objections" in page


# Small faults


def test_proposal_page_has_no_duplicate_ids(client, discussion):
    chair, proposal = discussion["people"]["coordinator"], discussion["objects"]["proposal"]
    client.force_login(chair)
    page = client.get(proposal.get_absolute_url()).text
    ids = Counter(re.findall(r'\sid="([^"]+)"', page))
    assert [i for i, n in ids.items() if n > 1] == []
    labels = re.findall(r'<label for="([^"]+)"', page)
    assert all(ids[target] == 1 for target in labels)


def test_rejection_errors_come_back_without_duplicate_ids(client, discussion):
    chair, proposal = discussion["people"]["coordinator"], discussion["objects"]["proposal"]
    client.force_login(chair)
    response = client.post(reverse("drafting:proposal-reject", args=[proposal.pk]), {"reason": ""})
    assert response.status_code == 400
    ids = Counter(re.findall(r'\sid="([^"]+)"', response.text))
    assert [i for i, n in ids.items() if n > 1] == []


def test_preview_lands_on_the_preview(expert_client, concept, expert):
    section = make_section(concept, "Цели", "Текст.", user=expert)
    url = reverse("drafting:section-edit", args=[section.pk])
    page = expert_client.get(url).text
    assert f'formaction="{url}#preview"' in page
    response = expert_client.post(url, {"body": "**Новый** текст", "base_version": 1, "preview": "1"})
    assert 'id="preview"' in response.text


def test_conflict_page_says_who_made_the_other_change(expert_client, concept, expert, other_expert):
    section = make_section(concept, "Цели", "Один два три.", user=expert)
    services.section_edit(section=section, base_version=1, body="Один ДВА три.", user=other_expert, summary="")
    response = expert_client.post(
        reverse("drafting:section-edit", args=[section.pk]),
        {"body": "Один двое три.", "base_version": 1, "summary": "Моё"},
    )
    assert response.status_code == 409
    assert "The other change was saved by:" in response.text
    assert "<strong>Marat Other</strong>" in response.text


def test_merge_conflict_page_says_who_changed_the_section(coordinator_client, concept, expert, other_expert):
    section = make_section(concept, "Цели", "Один два три.", user=expert)
    proposal = services.proposal_create_amendment(
        section=section, author=expert, title="T", text="Один двое три.", rationale="", base_version=1
    )
    services.section_edit(section=section, base_version=1, body="Один ДВА три.", user=other_expert, summary="")
    page = coordinator_client.get(_merge_url(proposal)).text
    assert "Since the proposal was written, the section was changed by:" in page
    assert "<strong>Marat Other</strong>" in page


def test_revert_asks_for_confirmation_first(coordinator_client, concept, coordinator):
    section = make_section(concept, "Цели", "Первый текст.", user=coordinator)
    services.section_edit(section=section, base_version=1, body="Второй текст.", user=coordinator, summary="")
    url = reverse("drafting:section-revert", args=[section.pk])
    history = coordinator_client.get(reverse("drafting:section-history", args=[section.pk])).text
    assert f'<form method="get" action="{url}"' in history and 'name="version" value="1"' in history
    page = coordinator_client.get(url, {"version": 1})
    assert page.status_code == 200
    assert "Restore revision 1 of “Цели”?" in page.text
    assert "<del" in page.text and "<ins" in page.text
    assert Section.objects.get(pk=section.pk).version == 2
    response = coordinator_client.post(url, {"version": 1})
    assert response.status_code == 302
    assert Section.objects.get(pk=section.pk).body == "Первый текст."


@pytest.mark.parametrize("version", ["", "abc", "2", "99", "-1"])
def test_revert_confirmation_with_a_bad_revision_explains(coordinator_client, concept, coordinator, version):
    section = make_section(concept, "Цели", "Первый текст.", user=coordinator)
    services.section_edit(section=section, base_version=1, body="Второй текст.", user=coordinator, summary="")
    response = coordinator_client.get(reverse("drafting:section-revert", args=[section.pk]), {"version": version})
    assert response.status_code == 302
    assert Section.objects.get(pk=section.pk).version == 2


def test_expert_cannot_open_the_revert_or_retire_confirmation(expert_client, concept, expert):
    section = make_section(concept, "Цели", "Текст.", user=expert)
    assert expert_client.get(reverse("drafting:section-revert", args=[section.pk]), {"version": 1}).status_code == 403
    assert expert_client.get(reverse("drafting:section-retire", args=[section.pk])).status_code == 403


def test_retire_asks_for_confirmation_first(coordinator_client, concept, coordinator):
    section = make_section(concept, "Устаревшее", "Текст.", user=coordinator)
    outline = coordinator_client.get(reverse("drafting:concept-outline", args=[concept.pk])).text
    url = reverse("drafting:section-retire", args=[section.pk])
    assert f'href="{url}"' in outline
    page = coordinator_client.get(url)
    assert page.status_code == 200
    assert "Retire section 1 “Устаревшее”?" in page.text
    assert not Section.objects.get(pk=section.pk).is_retired
    assert coordinator_client.post(url).status_code == 302
    assert Section.objects.get(pk=section.pk).is_retired


def test_rename_message_names_the_new_heading(coordinator_client, concept, coordinator):
    section = make_section(concept, "Старое название", "Текст.", user=coordinator)
    response = coordinator_client.post(
        reverse("drafting:section-rename", args=[section.pk]), {"heading": "Новое название"}, follow=True
    )
    assert "Outline updated: “Новое название”." in response.text
    assert "Старое название" not in response.text.split('class="messages"')[1].split("</ul>")[0]


def test_agreed_date_is_shown_in_almaty_time(client, discussion):
    """The meeting's date on the merge page is the local date."""
    chair, proposal = discussion["people"]["coordinator"], discussion["objects"]["proposal"]
    meeting = discussion["objects"]["meeting"]
    services.meeting_record_outcome(meeting=meeting, proposal=proposal, outcome="agreed", user=chair)
    client.force_login(chair)
    page = client.get(_merge_url(proposal)).text
    local = timezone.localtime(meeting.starts_at).date()
    assert f"of {local.day} " in page
