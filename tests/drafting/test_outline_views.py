import pytest
from django.urls import reverse

from drafting import selectors
from drafting.models import Section
from tests.factories import make_section

OUTLINE_ROUTES = {
    "up": "drafting:section-move-up",
    "down": "drafting:section-move-down",
    "retire": "drafting:section-retire",
    "restore": "drafting:section-restore",
    "rename": "drafting:section-rename",
    "reparent": "drafting:section-reparent",
}


def change(client, section, action, **data):
    return client.post(reverse(OUTLINE_ROUTES[action], args=[section.pk]), data)


@pytest.mark.django_db
def test_coordinator_moves_a_section_up_and_the_numbers_follow(coordinator_client, concept, coordinator):
    make_section(concept, "General")
    goals = make_section(concept, "Goals")
    response = change(coordinator_client, goals, "up")
    assert response.status_code == 302
    assert [n.section.heading for n in selectors.concept_outline(concept)] == ["Goals", "General"]
    assert goals.history.latest().history_user == coordinator


@pytest.mark.django_db
@pytest.mark.parametrize("action", ["up", "down", "retire", "restore", "rename", "reparent"])
def test_expert_cannot_change_the_outline(expert_client, concept, action):
    section = make_section(concept, "Goals")
    response = change(expert_client, section, action, heading="Hijacked")
    assert response.status_code == 403
    assert "Only coordinators may change the outline." in response.text
    section.refresh_from_db()
    assert (section.heading, section.version) == ("Goals", 1)


@pytest.mark.django_db
def test_outline_page_and_add_page_are_for_coordinators(client, concept, expert, coordinator):
    urls = [reverse("drafting:concept-outline", args=[concept.pk]), reverse("drafting:section-add", args=[concept.pk])]
    client.force_login(expert)
    assert [client.get(url).status_code for url in urls] == [403, 403]
    client.force_login(coordinator)
    assert [client.get(url).status_code for url in urls] == [200, 200]


@pytest.mark.django_db
def test_coordinator_adds_a_sub_section(coordinator_client, concept, coordinator):
    general = make_section(concept, "General")
    response = coordinator_client.post(
        reverse("drafting:section-add", args=[concept.pk]), {"heading": "Scope", "parent": general.pk, "body": "Текст."}
    )
    assert response.status_code == 302
    added = Section.objects.get(heading="Scope")
    assert selectors.section_number(added) == "1.1"
    assert added.history.get().history_user == coordinator


@pytest.mark.django_db
@pytest.mark.parametrize(
    "data", [{"heading": ""}, {"heading": "x" * 301}, {"heading": "A\x00B"}, {"heading": "Ok", "parent": 999999}]
)
def test_adding_with_bad_input_shows_the_form_again(coordinator_client, concept, data):
    response = coordinator_client.post(
        reverse("drafting:section-add", args=[concept.pk]), {"body": "Мой текст.", **data}
    )
    assert response.status_code == 400
    assert "Мой текст." in response.text
    assert not Section.objects.exists()


@pytest.mark.django_db
def test_rename_with_bad_input_gives_a_message(coordinator_client, concept):
    section = make_section(concept, "Goals")
    response = coordinator_client.post(
        reverse("drafting:section-rename", args=[section.pk]), {"heading": "\x00"}, follow=True
    )
    assert "Null characters are not allowed." in response.text
    section.refresh_from_db()
    assert section.heading == "Goals"


@pytest.mark.django_db
def test_retire_and_restore_through_the_outline_page(coordinator_client, concept):
    section = make_section(concept, "Old")
    change(coordinator_client, section, "retire")
    section.refresh_from_db()
    assert section.is_retired
    page = coordinator_client.get(reverse("drafting:concept-outline", args=[concept.pk]))
    assert "Retired sections" in page.text
    change(coordinator_client, section, "restore")
    section.refresh_from_db()
    assert not section.is_retired


@pytest.mark.django_db
def test_unknown_outline_action_is_404(coordinator_client, concept):
    section = make_section(concept, "Goals")
    assert coordinator_client.post(f"{section.get_absolute_url()}explode/").status_code == 404


@pytest.mark.django_db
def test_reparent_to_a_forged_parent_gives_a_message(coordinator_client, concept):
    section = make_section(concept, "Goals")
    response = coordinator_client.post(
        reverse("drafting:section-reparent", args=[section.pk]), {"parent": "999999"}, follow=True
    )
    assert any(m.level_tag == "error" for m in response.context["messages"])


@pytest.mark.django_db
@pytest.mark.parametrize("action", ["up", "down", "restore", "rename", "reparent"])
def test_outline_change_needs_post(coordinator_client, concept, action):
    section = make_section(concept, "Goals")
    url = reverse(OUTLINE_ROUTES[action], args=[section.pk])
    assert coordinator_client.get(url).status_code == 405
