import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from drafting import selectors, services
from tests.factories import make_section


def reason(row) -> str:
    with translation.override("en"):
        return row.reason_display()


def numbers(concept):
    return [(node.number, node.section.heading) for node in selectors.flatten(selectors.concept_outline(concept))]


@pytest.mark.django_db
def test_nested_sections_are_numbered_from_the_tree(concept):
    general = make_section(concept, "General")
    make_section(concept, "Purpose", parent=general)
    scope = make_section(concept, "Scope", parent=general)
    make_section(concept, "Detail", parent=scope)
    make_section(concept, "Goals")

    assert numbers(concept) == [
        ("1", "General"),
        ("1.1", "Purpose"),
        ("1.2", "Scope"),
        ("1.2.1", "Detail"),
        ("2", "Goals"),
    ]


@pytest.mark.django_db
def test_moving_a_section_up_renumbers_the_outline(concept, coordinator):
    make_section(concept, "General")
    goals = make_section(concept, "Goals")
    make_section(concept, "Principles")

    services.section_move(section=goals, direction="up", user=coordinator)

    assert numbers(concept) == [("1", "Goals"), ("2", "General"), ("3", "Principles")]
    latest = goals.history.latest()
    assert (latest.history_user, latest.change_kind, latest.change_data) == (coordinator, "move", {"direction": "up"})
    assert reason(latest) == "Moved up"


@pytest.mark.django_db
def test_moving_under_another_parent_nests_the_section(concept, coordinator):
    general = make_section(concept, "General")
    legal = make_section(concept, "Legal basis")

    services.section_reparent(section=legal, parent=general, user=coordinator)

    assert numbers(concept) == [("1", "General"), ("1.1", "Legal basis")]
    latest = legal.history.latest()
    assert (latest.change_kind, latest.change_data) == ("reparent", {"parent": general.pk, "parent_heading": "General"})
    assert reason(latest) == "Moved under “General”"


@pytest.mark.django_db
def test_a_section_cannot_be_moved_under_its_own_child(concept, coordinator):
    general = make_section(concept, "General")
    child = make_section(concept, "Child", parent=general)
    with pytest.raises(ValidationError, match="under itself"):
        services.section_reparent(section=general, parent=child, user=coordinator)


@pytest.mark.django_db
def test_retired_section_leaves_the_document_keeps_history_and_can_return(concept, coordinator):
    make_section(concept, "General")
    old = make_section(concept, "Old ideas")
    make_section(concept, "Goals")

    services.section_set_retired(section=old, retired=True, user=coordinator)
    assert numbers(concept) == [("1", "General"), ("2", "Goals")]
    assert old.history.count() == 2

    services.section_set_retired(section=old, retired=False, user=coordinator)
    assert numbers(concept) == [("1", "General"), ("2", "Old ideas"), ("3", "Goals")]
    rows = list(old.history.order_by("history_id"))[1:]
    assert [r.change_kind for r in rows] == ["retire", "restore"]
    assert [reason(r) for r in rows] == ["Retired", "Restored"]


@pytest.mark.django_db
def test_renaming_keeps_the_old_heading_in_the_reason(concept, coordinator):
    section = make_section(concept, "Goals")
    services.section_rename(section=section, heading="Goals and objectives", user=coordinator)
    section.refresh_from_db()
    assert section.heading == "Goals and objectives"
    latest = section.history.latest()
    assert (latest.change_kind, latest.change_data, latest.history_change_reason) == (
        "rename",
        {"old_heading": "Goals"},
        "",
    )
    assert reason(latest) == "Renamed from “Goals”"


@pytest.mark.django_db
def test_first_section_cannot_move_further_up(concept, coordinator):
    first = make_section(concept, "General")
    with pytest.raises(ValidationError, match="cannot move further"):
        services.section_move(section=first, direction="up", user=coordinator)


@pytest.mark.django_db
def test_a_parent_with_current_sub_sections_cannot_be_retired(concept, coordinator):
    general = make_section(concept, "General")
    make_section(concept, "Purpose", parent=general)
    with pytest.raises(ValidationError, match="sub-sections"):
        services.section_set_retired(section=general, retired=True, user=coordinator)
