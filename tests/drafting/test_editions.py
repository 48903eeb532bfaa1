import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from drafting import selectors, services
from drafting.forms import new_submission_token
from drafting.models import Edition
from tests.factories import make_section


@pytest.fixture
def outline(concept, expert):
    general = make_section(concept, "General provisions", "Общие положения.", user=expert)
    goals = make_section(concept, "Goals", "Цели политики.", user=expert)
    old = make_section(concept, "Old ideas", "Устаревшее.", user=expert)
    principles = make_section(concept, "Principles", "Принципы.", user=expert)
    return {"general": general, "goals": goals, "old": old, "principles": principles}


def freeze(concept, coordinator, name):
    return services.edition_freeze(concept=concept, name=name, user=coordinator)


@pytest.mark.django_db
def test_freezing_records_each_sections_revision_and_number(concept, outline, coordinator):
    edition = freeze(concept, coordinator, "Draft 0.1")
    entries = selectors.edition_entries(edition)
    assert [(e.number, e.heading, e.version, e.body) for e in entries] == [
        ("1", "General provisions", 1, "Общие положения."),
        ("2", "Goals", 1, "Цели политики."),
        ("3", "Old ideas", 1, "Устаревшее."),
        ("4", "Principles", 1, "Принципы."),
    ]
    assert edition.history.get().history_user == coordinator


@pytest.mark.django_db
def test_an_edition_keeps_its_text_after_the_draft_moves_on(concept, outline, coordinator, expert):
    edition = freeze(concept, coordinator, "Draft 0.1")
    services.section_edit(section=outline["goals"], base_version=1, body="Новые цели.", user=expert, summary="x")
    assert selectors.edition_entries(edition)[1].body == "Цели политики."


@pytest.mark.django_db
def test_comparing_editions_finds_added_retired_renamed_and_edited_sections(concept, outline, coordinator, expert):
    first = freeze(concept, coordinator, "Draft 0.1")
    make_section(concept, "Expected results", "Результаты.", user=expert)
    services.section_set_retired(section=outline["old"], retired=True, user=coordinator)
    services.section_rename(section=outline["principles"], heading="Principles of the policy", user=coordinator)
    services.section_edit(
        section=outline["goals"], base_version=1, body="Цели государственной политики.", user=expert, summary="x"
    )
    second = freeze(concept, coordinator, "Draft 0.2")

    changes = {
        c.entry.heading: c
        for c in selectors.compare_documents(selectors.edition_entries(first), selectors.edition_entries(second))
    }

    assert changes["Expected results"].kind == "added"
    assert changes["Old ideas"].kind == "removed"
    assert changes["Principles of the policy"].renamed and changes["Principles of the policy"].moved
    assert changes["Goals"].kind == "changed" and "<ins>" in changes["Goals"].diff_html
    assert changes["General provisions"].kind == "unchanged"


@pytest.mark.django_db
def test_duplicate_edition_name_is_a_form_error(coordinator_client, concept, outline, coordinator):
    freeze(concept, coordinator, "Draft 0.1")
    with pytest.raises(ValidationError, match="already exists"):
        freeze(concept, coordinator, "Draft 0.1")
    response = coordinator_client.post(
        reverse("drafting:edition-list", args=[concept.pk]), {"name": "Draft 0.1", "submission": new_submission_token()}
    )
    assert response.status_code == 400
    assert "already exists" in response.text
    assert Edition.objects.count() == 1


@pytest.mark.django_db
def test_only_coordinators_freeze_editions(expert_client, concept, outline):
    response = expert_client.post(reverse("drafting:edition-list", args=[concept.pk]), {"name": "Mine"})
    assert response.status_code == 403
    assert expert_client.get(reverse("drafting:edition-list", args=[concept.pk])).status_code == 200
    assert not Edition.objects.exists()


@pytest.mark.django_db
def test_edition_list_and_compare_pages(coordinator_client, concept, outline, coordinator, expert):
    first = freeze(concept, coordinator, "Draft 0.1")
    services.section_edit(section=outline["goals"], base_version=1, body="Иные цели.", user=expert, summary="x")
    page = coordinator_client.get(reverse("drafting:edition-list", args=[concept.pk]))
    assert "Draft 0.1" in page.text
    compare = coordinator_client.get(
        reverse("drafting:edition-compare", args=[concept.pk]) + f"?from={first.pk}&to=draft"
    )
    assert compare.status_code == 200
    assert "Иные" in compare.text and "<del>" in compare.text
    assert (
        coordinator_client.get(reverse("drafting:edition-compare", args=[concept.pk]) + "?from=9999").status_code == 404
    )


@pytest.mark.django_db
def test_edition_compare_uses_a_fixed_number_of_queries(
    expert_client, concept, coordinator, expert, django_assert_max_num_queries
):
    url = reverse("drafting:edition-compare", args=[concept.pk])
    for i in range(3):
        make_section(concept, f"S{i}", f"Текст {i}.", user=expert)
    freeze(concept, coordinator, "A")
    with django_assert_max_num_queries(10):
        assert expert_client.get(url).status_code == 200
    for i in range(30):
        make_section(concept, f"T{i}", f"Текст {i}.", user=expert)
    with django_assert_max_num_queries(10):
        assert expert_client.get(url).status_code == 200
