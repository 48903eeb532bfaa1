"""The pages of parallel texts: translation list, translator's page, history, side by side, status, notices."""

import re

import pytest
from django.urls import reverse

from drafting import services
from drafting.models import Notice, ParallelText
from drafting.selectors.documents import document_stamp
from drafting.services.parallel import parallel_text_confirm
from notifications.categories import Category
from notifications.models import TranslationWatch
from tests.factories import ExpertFactory, client_for, make_discussion, make_parallel_text, make_section

RU = "Первый абзац о языке.\n\nВторой абзац о культуре."
KK = "Тіл туралы бірінші абзац.\n\nМәдениет туралы екінші абзац."

pytestmark = pytest.mark.django_db


@pytest.fixture
def section(concept, coordinator):
    return make_section(concept, "Язык", RU, user=coordinator)


@pytest.fixture
def kazakh(section, expert):
    return make_parallel_text(section, KK, heading="Тіл", user=expert)


def edit_url(section, language="kk"):
    return reverse("drafting:parallel-edit", args=[section.pk, language])


def post_save(client, section, *, body=KK, base_version=1, source_version=None, heading="Тіл", follow=False):
    return client.post(
        edit_url(section),
        {
            "heading": heading,
            "body": body,
            "summary": "Аударма",
            "base_version": base_version,
            "source_version": source_version if source_version is not None else section.version,
            "save": "1",
        },
        follow=follow,
    )


def outdate(section, coordinator, body=RU + "\n\nТретий абзац о мире."):
    services.section_edit(section=section, base_version=section.version, body=body, user=coordinator, summary="x")
    section.refresh_from_db()


def test_the_translation_page_lists_out_of_date_and_missing_sections_with_their_diff_size(
    expert_client, concept, section, kazakh, coordinator
):
    make_section(concept, "Культура", "Текст.", user=coordinator)
    outdate(section, coordinator)
    response = expert_client.get(reverse("drafting:translation", args=[concept.pk, "kk"]))
    assert response.status_code == 200
    text = response.text
    assert "Kazakh: 0 of 2 sections current" in text
    assert "out of date since revision 2" in text and "missing" in text
    assert "4 words added, 0 removed." in text
    assert edit_url(section) in text


@pytest.mark.parametrize("language", ["en", "ru", "xx"])
def test_a_language_the_concept_does_not_have_is_404_on_every_page(expert_client, concept, section, language):
    urls = [
        reverse("drafting:translation", args=[concept.pk, language]),
        edit_url(section, language),
        reverse("drafting:parallel-history", args=[section.pk, language]),
        reverse("drafting:parallel-compare", args=[section.pk, language]),
        reverse("drafting:parallel-attribution", args=[section.pk, language]),
        reverse("drafting:section-detail", args=[section.pk]) + f"?parallel={language}",
        reverse("drafting:concept-document", args=[concept.pk]) + f"?parallel={language}",
    ]
    for url in urls:
        assert expert_client.get(url).status_code == 404, url
    assert expert_client.post(reverse("drafting:parallel-confirm", args=[section.pk, language])).status_code == 404


def test_the_translator_sees_the_drafting_diff_and_saving_makes_the_section_current(
    expert_client, section, kazakh, coordinator
):
    outdate(section, coordinator)
    page = expert_client.get(edit_url(section))
    assert page.status_code == 200
    assert "What the drafting text changed from revision 1 to revision 2" in page.text
    assert "<ins" in page.text and "Третий абзац о мире." in page.text
    assert 'name="base_version" value="1"' in page.text and 'name="source_version" value="2"' in page.text

    response = post_save(expert_client, section, body=KK + "\n\nБейбітшілік туралы үшінші абзац.")
    assert response.status_code == 302
    text = ParallelText.objects.get()
    assert (text.version, text.source_version) == (2, 2)
    assert "current" in expert_client.get(edit_url(section)).text


def test_a_double_submit_of_the_translation_saves_once(expert_client, section, kazakh):
    post_save(expert_client, section, body=KK + " Жаңа.")
    again = post_save(expert_client, section, body=KK + " Жаңа.", follow=True)
    assert "Nothing to save" in again.text
    assert ParallelText.objects.get().version == 2


def test_a_stale_overlapping_save_shows_the_conflict_page_and_keeps_the_words(
    expert_client, other_expert, section, kazakh
):
    post_save(client_for(other_expert), section, body=KK.replace("бірінші", "алғашқы"))
    response = post_save(expert_client, section, body=KK.replace("бірінші", "негізгі"))
    assert response.status_code == 409
    assert "Someone else changed the same words" in response.text
    assert "негізгі" in response.text and 'name="base_version" value="2"' in response.text
    assert ParallelText.objects.get().body == KK.replace("бірінші", "алғашқы")


@pytest.mark.parametrize("source_version", ["0", "7", "abc"])
def test_a_source_version_that_does_not_exist_gets_a_message_and_keeps_the_text(
    expert_client, section, kazakh, source_version
):
    response = post_save(expert_client, section, body="Менің жаңа мәтінім.", source_version=source_version)
    assert response.status_code in (400, 409)
    assert "Менің жаңа мәтінім." in response.text
    assert "revision" in response.text
    assert ParallelText.objects.get().body == KK


def test_bad_input_is_a_message_never_a_500(expert_client, section, kazakh, settings):
    # A NUL byte is refused next to the field, the text kept; other control characters are dropped.
    nul = post_save(expert_client, section, body="Мәтін\x00")
    assert nul.status_code == 400 and "Null characters are not allowed." in nul.text
    assert ParallelText.objects.get().body == KK
    assert post_save(expert_client, section, body="Мәтін\x07").status_code == 302
    assert ParallelText.objects.get().body == "Мәтін"
    huge = post_save(expert_client, section, body="ә" * (settings.SECTION_MAX_CHARS + 1))
    assert huge.status_code == 400
    forged = post_save(expert_client, section, base_version="99", body=KK)
    assert forged.status_code == 409 and "Тіл туралы" in forged.text
    assert (
        expert_client.get(reverse("drafting:parallel-compare", args=[section.pk, "kk"]) + "?from=x").status_code == 404
    )


def test_still_accurate_makes_the_section_current_and_is_in_the_history(expert_client, section, kazakh, coordinator):
    services.section_rename(section=section, heading="Язык и культура", user=coordinator)
    section.refresh_from_db()
    response = expert_client.post(
        reverse("drafting:parallel-confirm", args=[section.pk, "kk"]), {"source_version": section.version}
    )
    assert response.status_code == 302
    text = ParallelText.objects.get()
    assert (text.version, text.source_version) == (1, 2)
    history = expert_client.get(reverse("drafting:parallel-history", args=[section.pk, "kk"]))
    assert "Checked as still accurate for revision 2 of the section" in history.text
    assert "Aigul Expert" in history.text


def test_only_those_who_may_edit_text_may_edit_a_translation(client, staff, section, kazakh):
    client.force_login(staff)
    assert client.get(edit_url(section)).status_code == 200  # everyone signed in reads
    assert 'name="body"' not in client.get(edit_url(section)).text
    assert post_save(client, section, body="Басқа.").status_code == 403
    confirm = reverse("drafting:parallel-confirm", args=[section.pk, "kk"])
    assert client.post(confirm, {"source_version": 1}).status_code == 403
    assert ParallelText.objects.get().body == KK


def test_a_retired_sections_translation_cannot_be_edited(expert_client, section, kazakh, coordinator):
    services.section_set_retired(section=section, retired=True, user=coordinator)
    section.refresh_from_db()
    assert post_save(expert_client, section, body="Басқа.").status_code == 403
    response = expert_client.get(reverse("drafting:translation", args=[section.concept_id, "kk"]))
    assert "Язык" not in response.text  # retired with its section


def test_history_compare_and_who_wrote_this_work_on_the_translation(expert_client, other_expert, section, kazakh):
    post_save(client_for(other_expert), section, body=KK.replace("екінші", "келесі"))
    history = expert_client.get(reverse("drafting:parallel-history", args=[section.pk, "kk"]))
    assert history.status_code == 200 and "Marat Other" in history.text
    compare = expert_client.get(reverse("drafting:parallel-compare", args=[section.pk, "kk"]) + "?from=1&to=2")
    assert compare.status_code == 200 and "келесі" in compare.text and "<del" in compare.text
    who = expert_client.get(reverse("drafting:parallel-attribution", args=[section.pk, "kk"]))
    assert who.status_code == 200
    rows = re.findall(r"<tr>.*?</tr>", who.text, re.S)
    assert "Aigul Expert" in rows[1] and "Marat Other" in rows[2]


def test_history_compare_and_who_wrote_this_of_a_missing_translation_say_so(expert_client, section):
    for name in ("parallel-history", "parallel-compare", "parallel-attribution"):
        response = expert_client.get(reverse(f"drafting:{name}", args=[section.pk, "kk"]))
        assert response.status_code == 200 and "There is no translation of this section yet." in response.text


def test_the_section_page_shows_the_two_texts_paragraph_by_paragraph(expert_client, section, kazakh):
    response = expert_client.get(reverse("drafting:section-detail", args=[section.pk]) + "?parallel=kk")
    assert response.status_code == 200
    rows = response.text.split('<div class="parallel-row">')[1:]
    assert len(rows) == 2
    assert "Первый абзац" in rows[0] and "Тіл туралы бірінші" in rows[0]
    assert "Второй абзац" in rows[1] and "Мәдениет туралы" in rows[1]


def test_side_by_side_is_section_by_section_when_paragraph_counts_differ(expert_client, section, expert):
    make_parallel_text(section, "Бір ғана абзац.", user=expert)
    response = expert_client.get(reverse("drafting:section-detail", args=[section.pk]) + "?parallel=kk")
    assert response.text.count('<div class="parallel-row">') == 1


def test_the_document_shows_each_sections_status_and_the_summary(expert_client, concept, section, kazakh, coordinator):
    make_section(concept, "Культура", "Текст.", user=coordinator)
    url = reverse("drafting:concept-document", args=[concept.pk])
    text = expert_client.get(url).text
    assert "Kazakh: 1 of 2 sections current" in text
    assert 'data-translation-status="current"' in text and 'data-translation-status="missing"' in text
    outdate(section, coordinator)
    text = expert_client.get(url).text
    assert "Kazakh: 0 of 2 sections current" in text and "out of date since revision 2" in text
    side = expert_client.get(url + "?parallel=kk").text
    # The changed section has three paragraphs now, its translation two: the two texts side by side whole.
    assert side.count('<div class="parallel-row">') == 1 + 1
    assert "Мәдениет туралы" in side and "Мәдениет туралы" not in text


def test_the_document_stamp_changes_when_a_parallel_text_changes(concept, section, kazakh, expert):
    before = document_stamp(concept)
    services.section_rename(section=section, heading="Другое", user=expert)
    section.refresh_from_db()
    middle = document_stamp(concept)
    parallel_text_confirm(section=section, language="kk", source_version=section.version, user=expert)
    assert len({before, middle, document_stamp(concept)}) == 3


def test_the_document_side_by_side_makes_the_same_queries_for_5_and_60_sections(
    expert_client, concept, expert, django_assert_max_num_queries
):
    url = reverse("drafting:concept-document", args=[concept.pk])

    def add(n):
        for i in range(n):
            section = make_section(concept, f"Раздел {i}", f"Текст {i}.\n\nЕщё {i}.")
            if i % 2:
                make_parallel_text(section, f"Мәтін {i}.\n\nТағы {i}.", user=expert)

    add(5)
    with django_assert_max_num_queries(16):
        small = expert_client.get(url + "?parallel=kk")
    with django_assert_max_num_queries(16):
        expert_client.get(url)
    add(55)
    with django_assert_max_num_queries(16):
        large = expert_client.get(url + "?parallel=kk")
    with django_assert_max_num_queries(16):
        expert_client.get(url)
    assert small.text.count("doc-section--parallel") == 5
    assert large.text.count("doc-section--parallel") == 60


def test_translation_overview_makes_the_same_queries_for_5_and_60_sections(
    expert_client, concept, expert, coordinator, django_assert_max_num_queries
):
    url = reverse("drafting:translation", args=[concept.pk, "kk"])

    def add(n):
        for i in range(n):
            section = make_section(concept, f"Раздел {i}", f"Текст {i}.")
            make_parallel_text(section, f"Мәтін {i}.", user=expert)
            outdate(section, coordinator, body=f"Текст {i} изменён.")

    add(5)
    with django_assert_max_num_queries(12):
        small = expert_client.get(url)
    add(55)
    with django_assert_max_num_queries(12):
        large = expert_client.get(url)
    assert small.text.count('id="translation-') == 5 and large.text.count('id="translation-') == 60


def test_whoever_last_edited_the_translation_and_its_watchers_hear_it_became_out_of_date(
    section, kazakh, expert, coordinator, other_expert
):
    watcher = ExpertFactory(full_name="Translation Watcher").user
    TranslationWatch.objects.create(user=watcher, concept=section.concept, language="kk")
    outdate(section, coordinator)
    told = set(Notice.objects.filter(category=Category.TRANSLATION).values_list("recipient_id", flat=True))
    assert told == {expert.pk, watcher.pk}
    # Already out of date: the next change tells nobody again.
    outdate(section, coordinator, body=RU + "\n\nЕщё.")
    assert Notice.objects.filter(category=Category.TRANSLATION).count() == 2


def test_watching_a_translation_from_its_page(expert_client, expert, concept):
    url = reverse("drafting:translation-watch", args=[concept.pk, "kk"])
    assert expert_client.post(url).status_code == 302
    assert TranslationWatch.objects.filter(user=expert, language="kk").exists()
    assert (
        "Stop watching this translation"
        in expert_client.get(reverse("drafting:translation", args=[concept.pk, "kk"])).text
    )
    expert_client.post(url, {"watch": "off"})
    assert not TranslationWatch.objects.exists()


def test_every_parallel_page_opens_for_a_concept_in_mid_discussion(concept, client):
    world = make_discussion(concept)
    section = world["objects"]["section"]
    section.refresh_from_db()
    make_parallel_text(section, "Халықтың бірлігін нығайту.", heading="Мақсаттар", user=world["people"]["expert"])
    services.section_edit(
        section=section, base_version=section.version, body=section.body + " Новое.",
        user=world["people"]["coordinator"], summary="Дополнение",
    )  # fmt: skip
    assert Notice.objects.filter(recipient=world["people"]["expert"], category=Category.TRANSLATION).exists()
    for role in ("expert", "coordinator", "staff"):
        client.force_login(world["people"][role])
        for url in (
            reverse("drafting:translation", args=[concept.pk, "kk"]),
            edit_url(section),
            reverse("drafting:parallel-history", args=[section.pk, "kk"]),
            reverse("drafting:parallel-compare", args=[section.pk, "kk"]),
            reverse("drafting:parallel-attribution", args=[section.pk, "kk"]),
            reverse("drafting:section-detail", args=[section.pk]) + "?parallel=kk",
            reverse("drafting:concept-document", args=[concept.pk]) + "?parallel=kk",
            reverse("drafting:concept-toc", args=[concept.pk]),
            reverse("drafting:activity"),
            reverse("notifications:notices"),
        ):
            assert client.get(url).status_code == 200, (role, url)


def test_staff_review_a_translations_history_in_the_admin_and_cannot_change_it_there(
    admin_client, section, kazakh, coordinator
):
    services.section_rename(section=section, heading="Язык и культура", user=coordinator)
    section.refresh_from_db()
    parallel_text_confirm(section=section, language="kk", source_version=section.version, user=coordinator)
    history = admin_client.get(f"/admin/drafting/paralleltext/{kazakh.pk}/history/")
    assert history.status_code == 200
    assert "Checked as still accurate for revision 2 of the section" in history.text
    assert coordinator.get_username() in history.text
    row = kazakh.history.order_by("history_id").first()
    assert admin_client.get(f"/admin/drafting/paralleltext/{kazakh.pk}/history/{row.history_id}/").status_code == 403
    change = admin_client.post(f"/admin/drafting/paralleltext/{kazakh.pk}/change/", {"body": "Басқа."})
    assert change.status_code == 403
    assert ParallelText.objects.get().body == KK


@pytest.mark.parametrize("sent", [{}, {"source_version": "abc"}, {"source_version": "\x00"}, {"source_version": "9"}])
def test_still_accurate_with_a_lost_or_forged_revision_says_so_and_changes_nothing(
    expert_client, section, kazakh, coordinator, sent
):
    outdate(section, coordinator)
    url = reverse("drafting:parallel-confirm", args=[section.pk, "kk"])
    response = expert_client.post(url, sent, follow=True)
    assert response.status_code == 200
    assert "The form lost the revision you checked" in response.text or "does not have" in response.text
    assert ParallelText.objects.get().source_version == 1


def test_the_search_box_finds_the_kazakh_text(expert_client, section, kazakh):
    response = expert_client.get(reverse("search:search"), {"q": "Мәдениет"})
    assert response.status_code == 200
    assert section.get_absolute_url() in response.text
