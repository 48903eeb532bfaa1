"""section_edit: nobody's words are lost, whatever the timing."""

import pytest
from django.core.exceptions import ValidationError

from drafting import services
from tests.factories import make_section

BASE = "Срок рассмотрения составляет 14 дней. Органы shall inform the Assembly. Итоги публикуются."


def edit(section, base, body, user, summary="Change"):
    return services.section_edit(section=section, base_version=base, body=body, user=user, summary=summary)


@pytest.mark.django_db
def test_edit_on_the_latest_revision_is_saved(concept, expert):
    section = make_section(concept, body=BASE)
    outcome = edit(section, 1, BASE.replace("14", "30"), expert)
    assert outcome.status == "saved"
    assert outcome.section.version == 2


@pytest.mark.django_db
def test_stale_edit_that_does_not_overlap_is_merged_word_by_word(concept, expert, other_expert):
    section = make_section(concept, body=BASE)
    edit(section, 1, BASE.replace("14", "30"), expert)

    outcome = edit(section, 1, BASE.replace("shall", "must"), other_expert, "Stronger verb")

    assert outcome.status == "merged"
    section.refresh_from_db()
    assert section.body == "Срок рассмотрения составляет 30 дней. Органы must inform the Assembly. Итоги публикуются."
    assert section.version == 3
    latest = section.history.latest()
    assert (latest.history_user, latest.history_change_reason) == (other_expert, "Stronger verb")


@pytest.mark.django_db
def test_overlapping_edit_is_a_conflict_and_saves_nothing(concept, expert, other_expert):
    section = make_section(concept, body=BASE)
    edit(section, 1, BASE.replace("14 дней", "10 рабочих дней"), expert)

    outcome = edit(section, 1, BASE.replace("14 дней", "один месяц"), other_expert)

    assert outcome.status == "conflict"
    assert not outcome.saved
    region = outcome.merge.conflicts[0]
    assert "14" in region.base and "10" in region.current and "один" in region.mine
    assert "один месяц" in outcome.merge.text  # the loser's words are kept for the editor
    section.refresh_from_db()
    assert section.version == 2
    assert "10 рабочих дней" in section.body


@pytest.mark.django_db
def test_double_submit_is_not_a_conflict(concept, expert):
    section = make_section(concept, body=BASE)
    new = BASE + " Добавлено."
    assert edit(section, 1, new, expert).status == "saved"

    again = edit(section, 1, new, expert)

    assert again.status == "unchanged"
    section.refresh_from_db()
    assert section.version == 2


@pytest.mark.django_db
def test_kazakh_text_merges_inside_one_paragraph(concept, expert, other_expert):
    base = "Қазақстан халқы Ассамблеясы қоғамдық келісімді нығайтады. Ұлттық бірлік құндылығы өсуде."
    section = make_section(concept, body=base)
    edit(section, 1, base.replace("нығайтады", "күшейтеді"), expert)

    outcome = edit(section, 1, base.replace("өсуде", "артып келеді"), other_expert)

    assert outcome.status == "merged"
    section.refresh_from_db()
    assert (
        section.body
        == "Қазақстан халқы Ассамблеясы қоғамдық келісімді күшейтеді. Ұлттық бірлік құндылығы артып келеді."
    )


@pytest.mark.django_db
@pytest.mark.parametrize("forged", [0, 7, 999])
def test_a_base_revision_the_section_does_not_have_is_refused(concept, expert, forged):
    section = make_section(concept, body=BASE)
    with pytest.raises(ValidationError, match="does not have"):
        edit(section, forged, "Text", expert)


@pytest.mark.django_db
def test_a_retired_section_cannot_be_edited(concept, expert, coordinator):
    section = make_section(concept, body=BASE)
    services.section_set_retired(section=section, retired=True, user=coordinator)
    with pytest.raises(ValidationError, match="retired"):
        edit(section, 2, "New", expert)


@pytest.mark.django_db
def test_a_saved_text_is_rendered_before_the_row_lock_is_taken(concept, expert, monkeypatch):
    """A slow render must not hold the lock every other save of the section waits on."""
    from drafting.services import revisions, sections

    section = make_section(concept, "Goals", "Старый текст.", user=expert)
    events = []
    original_lock, real_render = sections.lock_section, revisions.render_markdown
    monkeypatch.setattr(sections, "lock_section", lambda s: events.append("lock") or original_lock(s))
    monkeypatch.setattr(
        sections, "prepare_text", lambda t: events.append("render") or revisions.PreparedText(t, real_render(t))
    )
    monkeypatch.setattr(revisions, "render_markdown", lambda text: pytest.fail("rendered under the lock"))

    outcome = services.section_edit(section=section, base_version=1, body="Новый **текст**.", user=expert, summary="s")

    assert events == ["render", "lock"]
    assert outcome.section.body_html == "<p>Новый <strong>текст</strong>.</p>"
