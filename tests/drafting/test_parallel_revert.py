"""Restoring an earlier revision of a parallel text: the service, the confirmation page, and who may do it."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from drafting import services
from drafting.models import Activity, ParallelText, RevisionKind
from drafting.selectors.documents import document_stamp
from drafting.selectors.parallel import CURRENT, OUTDATED, section_statuses
from drafting.selectors.sentences import activity_sentence
from drafting.services.parallel import parallel_text_confirm, parallel_text_revert, parallel_text_save
from tests.factories import ExpertFactory, client_for, make_parallel_text, make_section

RU = "Первый абзац о языке.\n\nВторой абзац о культуре."
# Trailing spaces, a non-breaking space, a tab and an emoji: restored exactly as they were saved.
KK_FIRST = "Тіл туралы  бірінші абзац.  \n\nМәдениет\u00a0туралы\tекінші абзац 🌿\n"
KK_SECOND = "Тіл туралы абзац, жаңа нұсқа.\n\nМәдениет туралы."

pytestmark = pytest.mark.django_db


@pytest.fixture
def section(concept, coordinator):
    return make_section(concept, "Язык", RU, user=coordinator)


@pytest.fixture
def kazakh(section, expert, other_expert):
    """A translation with two revisions: the first by the expert, the second by another expert."""
    make_parallel_text(section, KK_FIRST, heading="Тіл", user=expert)
    return parallel_text_save(
        section=section, language="kk", base_version=1, source_version=section.version,
        heading="Тіл мен мәдениет", body=KK_SECOND, user=other_expert, summary="Жаңа нұсқа",
    ).text  # fmt: skip


def revert_url(section, language="kk"):
    return reverse("drafting:parallel-revert", args=[section.pk, language])


def outdate(section, coordinator):
    services.section_edit(
        section=section, base_version=section.version, body=RU + "\n\nТретий абзац.", user=coordinator, summary="x"
    )
    section.refresh_from_db()


def state(section):
    section.refresh_from_db()
    return section_statuses([section], "kk")[section.pk].state


# --- the service -------------------------------------------------------------------------


def test_restoring_brings_back_heading_and_text_byte_for_byte_as_a_new_revision(section, kazakh, coordinator):
    stamp_before = document_stamp(section.concept)
    text = parallel_text_revert(
        section=section, language="kk", version=1, base_version=2, reason="Вторая версия неточна", user=coordinator
    )
    text = ParallelText.objects.get(pk=text.pk)
    assert (text.version, text.heading, text.body) == (3, "Тіл", KK_FIRST)
    assert text.body.encode() == KK_FIRST.encode()
    assert "<p>" in text.body_html and "бірінші" in text.body_html
    row = text.history.order_by("-history_id").first()
    assert (row.version, row.history_user, row.history_change_reason) == (3, coordinator, "Вторая версия неточна")
    assert (row.change_kind, row.change_data) == (RevisionKind.REVERT, {"to_version": 1})
    assert row.body == KK_FIRST and row.size_change == len(KK_FIRST) - len(KK_SECOND)
    assert text.history.count() == 3  # nothing deleted
    assert document_stamp(section.concept) != stamp_before


def test_restoring_is_recorded_as_a_translation_update_that_names_the_revision_restored(section, kazakh, coordinator):
    parallel_text_revert(section=section, language="kk", version=1, base_version=2, reason="Так", user=coordinator)
    activity = Activity.objects.filter(actor=coordinator).order_by("-pk").first()
    assert activity.verb == Activity.Verb.TRANSLATED and activity.section_id == section.pk
    assert activity.data["to_version"] == 1 and activity.data["version"] == 3 and activity.data["language"] == "kk"
    sentence = activity_sentence(activity)
    assert "restored revision 1 of the translation of" in sentence and "(Kazakh)" in sentence


def test_a_stale_base_is_refused_and_nothing_is_restored(section, kazakh, coordinator):
    with pytest.raises(ValidationError) as refused:
        parallel_text_revert(section=section, language="kk", version=1, base_version=1, reason="Так", user=coordinator)
    assert "changed since you opened this page" in refused.value.messages[0]
    kazakh.refresh_from_db()
    assert (kazakh.version, kazakh.body) == (2, KK_SECOND)


@pytest.mark.parametrize("version", [0, 2, 3, 99])
def test_only_an_earlier_revision_can_be_restored(section, kazakh, coordinator, version):
    with pytest.raises(ValidationError, match="no earlier revision"):
        parallel_text_revert(
            section=section, language="kk", version=version, base_version=2, reason="Так", user=coordinator
        )
    assert ParallelText.objects.get().version == 2


def test_restoring_a_revision_with_the_same_words_is_refused(section, coordinator, expert):
    make_parallel_text(section, KK_FIRST, heading="Тіл", user=expert)
    for body in (KK_SECOND, KK_FIRST):
        version = ParallelText.objects.get().version
        parallel_text_save(
            section=section, language="kk", base_version=version, source_version=1, heading="Тіл", body=body,
            user=expert,
        )  # fmt: skip
    with pytest.raises(ValidationError, match="nothing to restore"):
        parallel_text_revert(section=section, language="kk", version=1, base_version=3, reason="Так", user=coordinator)


def test_the_restored_text_translates_the_drafting_revision_it_was_made_against(section, kazakh, coordinator):
    outdate(section, coordinator)
    parallel_text_confirm(section=section, language="kk", source_version=2, user=coordinator)
    assert state(section) == CURRENT
    text = parallel_text_revert(
        section=section, language="kk", version=1, base_version=2, reason="Так", user=coordinator
    )
    assert text.source_version == 1
    assert state(section) == OUTDATED


def test_a_revision_later_checked_as_still_accurate_restores_as_current(section, coordinator, expert):
    make_parallel_text(section, KK_FIRST, heading="Тіл", user=expert)
    outdate(section, coordinator)
    parallel_text_confirm(section=section, language="kk", source_version=2, user=expert)  # revision 1, checked
    parallel_text_save(
        section=section, language="kk", base_version=1, source_version=2, heading="Тіл", body=KK_SECOND, user=expert
    )
    text = parallel_text_revert(
        section=section, language="kk", version=1, base_version=2, reason="Так", user=coordinator
    )
    assert (text.body, text.source_version) == (KK_FIRST, 2)
    assert state(section) == CURRENT


def test_a_retired_sections_translation_cannot_be_restored(section, kazakh, coordinator):
    services.section_set_retired(section=section, retired=True, user=coordinator)
    with pytest.raises(ValidationError, match="retired"):
        parallel_text_revert(section=section, language="kk", version=1, base_version=2, reason="Так", user=coordinator)


def test_a_language_the_concept_lacks_cannot_be_restored(section, kazakh, coordinator):
    with pytest.raises(ValidationError, match="no parallel text in that language"):
        parallel_text_revert(section=section, language="en", version=1, base_version=2, reason="Так", user=coordinator)


# --- the views ---------------------------------------------------------------------------


def test_anonymous_people_are_sent_to_sign_in(client, section, kazakh):
    for response in (client.get(revert_url(section) + "?version=1"), client.post(revert_url(section), {"version": 1})):
        assert response.status_code == 302 and "/accounts/login/" in response["Location"]


@pytest.mark.parametrize("who", ["staff", "inactive_expert"])
def test_people_who_may_not_edit_translations_get_403(section, kazakh, staff, who):
    user = staff if who == "staff" else ExpertFactory(is_active=False).user
    client = client_for(user)
    assert client.get(revert_url(section) + "?version=1").status_code == 403
    post = client.post(revert_url(section), {"version": 1, "base_version": 2, "reason": "Так"})
    assert post.status_code == 403
    assert ParallelText.objects.get().version == 2


def test_the_history_offers_restore_only_to_those_who_may_edit(expert_client, client, staff, section, kazakh):
    link = revert_url(section) + "?version=1"
    history = reverse("drafting:parallel-history", args=[section.pk, "kk"])
    assert link in expert_client.get(history).text
    assert revert_url(section) + "?version=2" not in expert_client.get(history).text  # the current one
    client.force_login(staff)
    assert link not in client.get(history).text


def test_the_confirmation_shows_the_word_diff_and_what_the_restored_text_translates(
    expert_client, section, kazakh, coordinator, django_assert_max_num_queries
):
    outdate(section, coordinator)
    with django_assert_max_num_queries(12):
        response = expert_client.get(revert_url(section) + "?version=1")
    assert response.status_code == 200
    page = response.text
    assert "Restore revision 1 of the Kazakh text of “Язык”?" in page
    assert "<del" in page and "<ins" in page and "бірінші" in page and "жаңа" in page
    assert "Heading changed from “Тіл мен мәдениет” to “Тіл”." in page
    assert "translates revision 1 of the section, which is now at revision 2" in page
    assert 'name="base_version" value="2"' in page and 'name="reason"' in page
    assert ParallelText.objects.get().version == 2  # a GET changes nothing


def test_restoring_by_post_redirects_to_the_translation_with_the_text_back(expert_client, expert, section, kazakh):
    response = expert_client.post(
        revert_url(section), {"version": 1, "base_version": 2, "reason": "Вернуть первую"}, follow=True
    )
    assert response.redirect_chain[0] == (reverse("drafting:parallel-edit", args=[section.pk, "kk"]), 302)
    assert "Restored revision 1 of the translation as revision 3." in response.text
    text = ParallelText.objects.get()
    assert (text.version, text.heading, text.body) == (3, "Тіл", KK_FIRST)
    row = text.history.order_by("-history_id").first()
    assert (row.history_user, row.history_change_reason) == (expert, "Вернуть первую")
    history = expert_client.get(reverse("drafting:parallel-history", args=[section.pk, "kk"]))
    assert "Reverted to revision 1: Вернуть первую" in history.text


def test_restoring_an_out_of_date_revision_warns_that_it_is_out_of_date(expert_client, section, kazakh, coordinator):
    outdate(section, coordinator)
    response = expert_client.post(revert_url(section), {"version": 1, "base_version": 2, "reason": "Так"}, follow=True)
    assert "The restored translation is out of date" in response.text


def test_a_stale_restore_shows_the_current_diff_and_keeps_the_reason(expert_client, other_expert, section, kazakh):
    parallel_text_save(
        section=section, language="kk", base_version=2, source_version=1, heading="Тіл мен мәдениет",
        body=KK_SECOND + " Үшінші.", user=other_expert,
    )  # fmt: skip
    response = expert_client.post(revert_url(section), {"version": 1, "base_version": 2, "reason": "Моя причина"})
    assert response.status_code == 409
    assert "changed since you opened this page" in response.text
    assert "Моя причина" in response.text
    assert 'name="base_version" value="3"' in response.text and "Үшінші" in response.text
    assert ParallelText.objects.get().version == 3
    again = expert_client.post(revert_url(section), {"version": 1, "base_version": 3, "reason": "Моя причина"})
    assert again.status_code == 302 and ParallelText.objects.get().body == KK_FIRST


def test_a_missing_reason_or_lost_base_asks_again_with_the_typed_text_kept(expert_client, section, kazakh):
    no_reason = expert_client.post(revert_url(section), {"version": 1, "base_version": 2, "reason": "  "})
    assert no_reason.status_code == 400 and "Say why you restore this revision" in no_reason.text
    lost = expert_client.post(revert_url(section), {"version": 1, "base_version": "x", "reason": "Моя причина"})
    assert lost.status_code == 400 and "lost the revision of the translation you saw" in lost.text
    assert "Моя причина" in lost.text and 'name="base_version" value="2"' in lost.text
    too_long = expert_client.post(revert_url(section), {"version": 1, "base_version": 2, "reason": "я" * 301})
    assert too_long.status_code == 400
    assert ParallelText.objects.get().version == 2


@pytest.mark.parametrize("version", ["2", "99", "0", "-1", "abc", "", "1\x00"])
def test_a_forged_version_gives_a_message_never_an_error(expert_client, section, kazakh, version):
    form = {"version": version, "base_version": 2, "reason": "Так"}
    post = expert_client.post(revert_url(section), form, follow=True)
    get = expert_client.get(revert_url(section), {"version": version}, follow=True)
    responses = [post] if "\x00" in version else [post, get]  # a NUL in the address is a 400 before any view
    for response in responses:
        assert response.status_code == 200
        assert response.redirect_chain[-1][0] == reverse("drafting:parallel-history", args=[section.pk, "kk"])
        assert any(m.level_tag == "error" for m in response.context["messages"])
    assert get.status_code in (200, 400)
    assert ParallelText.objects.get().version == 2


def test_another_sections_revision_number_is_this_sections(expert_client, concept, coordinator, expert, kazakh):
    """Revisions are numbered per text: a number from another section's history names nothing here."""
    other = make_section(concept, "Культура", "Текст.", user=coordinator)
    make_parallel_text(other, "Мәтін.", user=expert)
    response = expert_client.get(revert_url(other), {"version": 1}, follow=True)
    assert any(m.level_tag == "error" for m in response.context["messages"])


@pytest.mark.parametrize("language", ["en", "ru", "xx"])
def test_a_language_the_concept_does_not_have_is_404(expert_client, section, kazakh, language):
    assert expert_client.get(revert_url(section, language) + "?version=1").status_code == 404
    assert expert_client.post(revert_url(section, language), {"version": 1}).status_code == 404


def test_a_section_that_does_not_exist_is_404(expert_client, kazakh):
    assert expert_client.get(reverse("drafting:parallel-revert", args=[999999, "kk"]) + "?version=1").status_code == 404


def test_a_missing_translation_says_so(expert_client, section):
    response = expert_client.get(revert_url(section) + "?version=1")
    assert response.status_code == 200 and "There is no translation of this section yet." in response.text


def test_a_retired_sections_translation_is_refused(expert_client, section, kazakh, coordinator):
    services.section_set_retired(section=section, retired=True, user=coordinator)
    response = expert_client.post(revert_url(section), {"version": 1, "base_version": 2, "reason": "Так"})
    assert response.status_code == 403
    assert ParallelText.objects.get().version == 2


def test_other_methods_are_refused(expert_client, section, kazakh):
    assert expert_client.put(revert_url(section)).status_code == 405
    assert expert_client.delete(revert_url(section)).status_code == 405
