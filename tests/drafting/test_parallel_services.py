"""Parallel texts (Kazakh beside Russian): out of date after drafting changes, saves, "Still accurate", stale saves."""

import pytest
from django.core.exceptions import ValidationError

from drafting import services
from drafting.models import ParallelText, RevisionKind
from drafting.selectors.parallel import CURRENT, MISSING, OUTDATED, section_statuses, source_change
from drafting.services.parallel import parallel_text_confirm, parallel_text_save
from search.models import SearchEntry
from tests.factories import make_parallel_text, make_section

RU = "Первое предложение о языке. Второе предложение о культуре."
KK = "Тіл туралы бірінші сөйлем. Мәдениет туралы екінші сөйлем."


def state(section, language="kk"):
    section.refresh_from_db()
    return section_statuses([section], language)[section.pk].state


@pytest.fixture
def section(concept, coordinator):
    return make_section(concept, "Язык", RU, user=coordinator)


@pytest.fixture
def kazakh(section, expert):
    return make_parallel_text(section, KK, heading="Тіл", user=expert)


def test_a_section_without_a_parallel_text_is_missing_and_a_new_one_is_current(section, expert):
    assert state(section) == MISSING
    text = make_parallel_text(section, KK, user=expert)
    assert text.version == 1 and text.source_version == section.version
    assert state(section) == CURRENT
    row = text.history.get()
    assert row.change_kind == RevisionKind.CREATE and row.history_user == expert
    assert row.size == len(KK) and row.size_change == len(KK) and row.paragraph_origins == [1]


def test_an_edit_of_the_drafting_text_makes_the_parallel_text_out_of_date(section, kazakh, coordinator):
    services.section_edit(section=section, base_version=1, body=RU + " Третье.", user=coordinator, summary="Дополнение")
    assert state(section) == OUTDATED
    kazakh.refresh_from_db()
    assert kazakh.version == 1 and kazakh.body == KK  # left as it is


def test_a_merge_of_a_proposal_makes_the_parallel_text_out_of_date(section, kazakh, expert, coordinator):
    proposal = services.proposal_create_amendment(
        section=section, author=expert, title="Точнее", text=RU + " Новое.", rationale="Так лучше.", base_version=1
    )
    services.proposal_merge(proposal=proposal, merged_by=coordinator)
    assert state(section) == OUTDATED


def test_a_revert_of_the_drafting_text_makes_the_parallel_text_out_of_date(section, kazakh, coordinator):
    services.section_edit(section=section, base_version=1, body="Иначе.", user=coordinator, summary="x")
    section.refresh_from_db()
    parallel_text_confirm(section=section, language="kk", source_version=2, user=coordinator)
    assert state(section) == CURRENT
    services.section_revert(section=section, to_version=1, user=coordinator)
    assert state(section) == OUTDATED


def test_saving_the_parallel_text_from_the_right_base_makes_it_current(section, kazakh, coordinator, expert):
    services.section_edit(section=section, base_version=1, body=RU + " Третье.", user=coordinator, summary="x")
    section.refresh_from_db()
    outcome = parallel_text_save(
        section=section, language="kk", base_version=1, source_version=2, heading="Тіл",
        body=KK + " Үшінші.", user=expert, summary="Аударма",
    )  # fmt: skip
    assert outcome.status == "saved"
    assert outcome.text.version == 2 and outcome.text.source_version == 2
    assert state(section) == CURRENT
    row = outcome.text.history.order_by("-history_id").first()
    assert row.change_kind == RevisionKind.EDIT and row.history_change_reason == "Аударма"
    assert row.size_change == len(" Үшінші.")


def test_still_accurate_makes_it_current_without_a_text_revision_but_with_a_history_row(
    section, kazakh, coordinator, expert
):
    services.section_rename(section=section, heading="Язык и культура", user=coordinator)
    section.refresh_from_db()
    assert state(section) == OUTDATED
    text = parallel_text_confirm(section=section, language="kk", source_version=section.version, user=expert)
    assert text.version == 1 and text.body == KK
    assert state(section) == CURRENT
    row = text.history.order_by("-history_id").first()
    assert row.change_kind == RevisionKind.CHECKED and row.history_user == expert and row.version == 1
    assert row.change_data == {"from_version": 1, "to_version": 2}
    assert "still accurate" in row.reason_display()


def test_a_stale_save_of_the_parallel_text_is_merged_word_by_word(section, kazakh, expert, other_expert):
    first = parallel_text_save(
        section=section, language="kk", base_version=1, source_version=1, heading="Тіл",
        body=KK.replace("бірінші", "алғашқы"), user=expert,
    )  # fmt: skip
    second = parallel_text_save(
        section=section, language="kk", base_version=1, source_version=1, heading="Тіл",
        body=KK.replace("екінші", "келесі"), user=other_expert,
    )  # fmt: skip
    assert first.status == "saved" and second.status == "merged"
    assert second.text.body == "Тіл туралы алғашқы сөйлем. Мәдениет туралы келесі сөйлем."
    assert second.text.version == 3


def test_a_stale_save_that_overlaps_is_a_conflict_and_saves_nothing(section, kazakh, expert, other_expert):
    parallel_text_save(
        section=section, language="kk", base_version=1, source_version=1, heading="Тіл",
        body=KK.replace("бірінші", "алғашқы"), user=expert,
    )  # fmt: skip
    outcome = parallel_text_save(
        section=section, language="kk", base_version=1, source_version=1, heading="Тіл",
        body=KK.replace("бірінші", "негізгі"), user=other_expert,
    )  # fmt: skip
    assert outcome.status == "conflict" and not outcome.merge.clean
    assert ParallelText.objects.get().version == 2


def test_a_double_submit_is_unchanged(section, kazakh, expert):
    kwargs = dict(section=section, language="kk", base_version=1, source_version=1, heading="Тіл", user=expert)
    assert parallel_text_save(body=KK + " Жаңа.", **kwargs).status == "saved"
    assert parallel_text_save(body=KK + " Жаңа.", **kwargs).status in ("unchanged",)
    assert ParallelText.objects.get().version == 2


@pytest.mark.parametrize("source_version", [0, 2, 99])
def test_a_source_version_the_section_does_not_have_is_refused_with_a_message(section, kazakh, expert, source_version):
    with pytest.raises(ValidationError, match="does not have"):
        parallel_text_save(
            section=section, language="kk", base_version=1, source_version=source_version, heading="Тіл",
            body="Жаңа мәтін.", user=expert,
        )  # fmt: skip
    with pytest.raises(ValidationError, match="does not have"):
        parallel_text_confirm(section=section, language="kk", source_version=source_version, user=expert)
    assert ParallelText.objects.get().body == KK


def test_a_language_the_concept_does_not_have_is_refused(section, expert):
    with pytest.raises(ValidationError, match="no parallel text in that language"):
        make_parallel_text(section, "Text.", language="en", user=expert)


def test_a_retired_section_keeps_its_parallel_text_out_of_reach_and_gives_it_back(section, kazakh, coordinator):
    services.section_set_retired(section=section, retired=True, user=coordinator)
    section.refresh_from_db()
    with pytest.raises(ValidationError, match="retired"):
        parallel_text_save(
            section=section, language="kk", base_version=1, source_version=section.version, heading="Тіл",
            body="Жаңа.", user=coordinator,
        )  # fmt: skip
    assert not SearchEntry.objects.filter(section=section).exists()
    services.section_set_retired(section=section, retired=False, user=coordinator)
    section.refresh_from_db()
    assert ParallelText.objects.get(section=section).body == KK
    assert SearchEntry.objects.filter(section=section, text__contains="Мәдениет").exists()


def test_the_translator_diff_covers_exactly_the_changes_since_the_translated_revision(section, kazakh, coordinator):
    services.section_edit(
        section=section, base_version=1, body=RU.replace("языке", "языках"), user=coordinator, summary="1"
    )
    services.section_edit(
        section=section, base_version=2, body=RU.replace("языке", "языках") + " Третье о мире.",
        user=coordinator, summary="2",
    )  # fmt: skip
    section.refresh_from_db()
    kazakh.refresh_from_db()
    change = source_change(section, kazakh)
    assert (change.from_version, change.to_version) == (1, 3)
    inserted = " ".join(c.text for c in change.comparison.chunks if c.op == "insert")
    deleted = " ".join(c.text for c in change.comparison.chunks if c.op == "delete")
    assert "языках" in inserted and "Третье о мире" in inserted
    assert "языке" in deleted
    assert change.words_added == 4 and change.words_removed == 1


def test_kazakh_text_is_found_by_search(section, kazakh):
    entry = SearchEntry.objects.get(section=section)
    assert "Мәдениет туралы" in entry.text and "мәдениет" in entry.folded


def test_saving_and_confirming_a_translation_are_recorded_as_activity(section, kazakh, expert, coordinator):
    from drafting.models import Activity

    services.section_rename(section=section, heading="Язык и культура", user=coordinator)
    section.refresh_from_db()
    parallel_text_confirm(section=section, language="kk", source_version=section.version, user=expert)
    sentences = [a.sentence() for a in Activity.objects.filter(verb__in=["translated", "confirmed"]).order_by("pk")]
    assert sentences == [
        "Aigul Expert updated the translation of “Язык” (Kazakh)",
        "Aigul Expert confirmed the translation of “Язык и культура” is still accurate (Kazakh)",
    ]


def test_a_translation_notice_reads_as_such_in_the_mail(section, kazakh, expert, coordinator):
    from drafting.models import Notice
    from notifications.categories import Category
    from notifications.services.rendering import digest_groups

    services.section_edit(section=section, base_version=1, body=RU + " Новое.", user=coordinator, summary="x")
    notice = Notice.objects.get(recipient=expert, category=Category.TRANSLATION)
    items = digest_groups([notice])[0]["subgroups"][0]["items"]
    assert items[0]["text"].startswith("A translation you keep is now out of date: edited, revision 2")


def test_seed_portal_shows_every_translation_status(db):
    from django.core.management import call_command

    from drafting.models import Concept, Section

    call_command("seed_portal", stdout=None)
    sections = list(Section.objects.filter(concept=Concept.objects.get()))
    states = [status.state for status in section_statuses(sections, "kk").values()]
    assert states.count(CURRENT) == 1 and states.count(OUTDATED) == 1 and states.count(MISSING) == len(sections) - 2


def test_two_first_translations_are_not_lost_the_second_is_a_conflict(section, expert, other_expert):
    first = make_parallel_text(section, KK, heading="Тіл", user=expert)
    outcome = parallel_text_save(
        section=section, language="kk", base_version=None, source_version=1, heading="Тіл",
        body="Басқа аударма.", user=other_expert,
    )  # fmt: skip
    assert outcome.status == "conflict" and outcome.base_version == 0
    first.refresh_from_db()
    assert first.body == KK and first.version == 1


def test_a_stale_save_that_changes_the_heading_keeps_the_other_change_to_the_text(
    section, kazakh, expert, other_expert
):
    parallel_text_save(
        section=section, language="kk", base_version=1, source_version=1, heading="Тіл",
        body=KK.replace("бірінші", "алғашқы"), user=expert,
    )  # fmt: skip
    outcome = parallel_text_save(
        section=section, language="kk", base_version=1, source_version=1, heading="Тіл және мәдениет",
        body=KK, user=other_expert,
    )  # fmt: skip
    assert outcome.status == "merged"
    assert outcome.text.heading == "Тіл және мәдениет" and "алғашқы" in outcome.text.body


@pytest.mark.postgresql
@pytest.mark.django_db(transaction=True)
def test_simultaneous_translation_saves_from_one_base_keep_both_changes(concept, expert, other_expert):
    from drafting.models import Section
    from tests.drafting.test_concurrency import run_at_once

    section = make_section(concept, "Язык", RU)
    make_parallel_text(section, KK, heading="Тіл", user=expert)

    def save(user, body):
        return lambda: parallel_text_save(
            section=Section.objects.get(pk=section.pk), language="kk", base_version=1, source_version=1,
            heading="Тіл", body=body, user=user,
        )  # fmt: skip

    results = run_at_once(
        [save(expert, KK.replace("бірінші", "алғашқы")), save(other_expert, KK.replace("екінші", "келесі"))]
    )
    assert sorted(r.status for r in results) == ["merged", "saved"]
    text = ParallelText.objects.get()
    assert text.body == "Тіл туралы алғашқы сөйлем. Мәдениет туралы келесі сөйлем." and text.version == 3
