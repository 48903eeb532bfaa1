"""Search over the Concept: the index kept by the services, matching in Russian and Kazakh, the results page."""

import io
import re
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from drafting import services
from search.models import SearchEntry
from search.text import highlight, search_terms
from tests.factories import ExpertFactory, make_discussion, make_section

URL = reverse("search:search")


def _search(client, **params):
    return client.get(URL, params)


# The index follows the services


def test_saving_a_section_indexes_its_heading_and_text(concept, expert):
    section = make_section(concept, "Цели", "Укрепление единства.", user=expert)
    entry = SearchEntry.objects.get(kind="section", object_id=section.pk)
    assert entry.title == "Цели"
    assert entry.folded == "цели\nукрепление единства."
    services.section_edit(section=section, base_version=1, body="Новый текст.", user=expert, summary="")
    entry.refresh_from_db()
    assert entry.text == "Новый текст."
    assert entry.author == expert


def test_proposals_comments_and_meetings_are_indexed(concept):
    data = make_discussion(concept)
    objects = data["objects"]
    kinds = dict(SearchEntry.objects.values_list("kind", "object_id").filter(kind__in=["proposal", "meeting"]))
    assert kinds == {"proposal": objects["proposal"].pk, "meeting": objects["meeting"].pk}
    comment = SearchEntry.objects.get(kind="comment", object_id=objects["comment"].pk)
    assert comment.url == f"/sections/{objects['section'].pk}/#comment-{objects['comment'].pk}"
    assert comment.title == "единства"


def test_retired_section_leaves_the_results(concept, coordinator):
    section = make_section(concept, "Устаревший раздел", "Текст.", user=coordinator)
    services.section_set_retired(section=section, user=coordinator, retired=True)
    assert not SearchEntry.objects.filter(kind="section", object_id=section.pk).exists()


def test_reindex_command_rebuilds_the_index(concept):
    make_discussion(concept)
    before = sorted(SearchEntry.objects.values_list("kind", "object_id", "folded"))
    SearchEntry.objects.all().delete()
    call_command("reindex_search", stdout=io.StringIO())
    assert sorted(SearchEntry.objects.values_list("kind", "object_id", "folded")) == before


# Matching


def test_kazakh_words_match_regardless_of_case(concept, expert_client, expert):
    make_section(concept, "Мақсаттар", "ҚАЗАҚСТАН халқының бірлігі.", user=expert)
    response = _search(expert_client, q="қазақстан")
    assert response.status_code == 200
    assert "<mark>ҚАЗАҚСТАН</mark>" in response.text
    response = _search(expert_client, q="Қазақстан Халқының")
    assert "<mark>халқының</mark>" in response.text


def test_inflected_russian_word_finds_the_section(concept, expert_client, expert):
    make_section(concept, "Общие положения", "Гармония межэтнических отношений.", user=expert)
    response = _search(expert_client, q="отношения")
    assert "<mark>отношений</mark>" in response.text


@pytest.mark.postgresql
def test_postgresql_full_text_search_finds_russian_inflections_and_kazakh_near_misses(concept, expert_client, expert):
    make_section(concept, "Общие положения", "Гармония межэтнических отношений.", user=expert)
    make_section(concept, "Мақсаттар", "Қазақстан халқының бірлігі.", user=expert)
    entry = SearchEntry.objects.get(title="Общие положения")
    assert entry.vector is not None
    assert "<mark>отношений</mark>" in _search(expert_client, q="отношения").text
    # Kazakh has no stemmer: another ending is found by the word's prefix as written...
    assert "Мақсаттар" in _search(expert_client, q="қазақстанның").text
    # ...and a misspelt word by trigram similarity, when nothing matches as written.
    assert "Мақсаттар" in _search(expert_client, q="Қазахстан").text
    assert "Nothing found" in _search(expert_client, q="Жапония").text
    # The Russian stemmer, not a prefix: "положение" finds "положения".
    assert "Общие положения" in _search(expert_client, q="положение").text


def test_section_result_lands_on_the_paragraph_with_the_word(concept, expert_client, expert):
    section = make_section(concept, "Цели", "Первый абзац.\n\n## Подзаголовок\nВторой абзац про единство.", user=expert)
    response = _search(expert_client, q="единство")
    # The heading and the paragraph under it are blocks 2 and 3 on the section page.
    assert f'href="/sections/{section.pk}/#s{section.pk}-p3"' in response.text
    page = expert_client.get(f"/sections/{section.pk}/").text
    assert f'id="s{section.pk}-p3"' in page


def test_people_in_the_directory_are_found(concept, expert_client):
    ExpertFactory(full_name="Ерлан Қарин", position="Директор")
    response = _search(expert_client, q="қарин")
    assert "Ерлан Қарин" in response.text
    assert "<mark>Қарин</mark>" in response.text


def test_search_finds_a_comment_and_links_to_its_card(concept, expert_client):
    data = make_discussion(concept)
    comment, section = data["objects"]["comment"], data["objects"]["section"]
    response = _search(expert_client, q="согласен в целом")
    assert f'href="/sections/{section.pk}/#comment-{comment.pk}"' in response.text


# Filters and grouping


def test_results_are_grouped_by_kind_and_filtered(concept, expert_client, expert, other_expert):
    section = make_section(concept, "Единство", "Единство народа.", user=expert)
    other = make_section(concept, "Язык", "Язык единства.", user=expert)
    services.comment_add(author=other_expert, body="Про единство.", section=other)
    response = _search(expert_client, q="единство")
    headings = re.findall(r'<h2 id="search-group-\d+" class="card__title">([^<]+)</h2>', response.text)
    assert headings == ["Sections", "Comments"]
    assert "Про" in _search(expert_client, q="единство", kind="comment").text
    only_comments = _search(expert_client, q="единство", kind="comment")
    assert f'id="result-section-{section.pk}"' not in only_comments.text
    by_section = _search(expert_client, q="единство", section=section.pk)
    assert f'id="result-section-{section.pk}"' in by_section.text
    assert f'id="result-section-{other.pk}"' not in by_section.text
    by_author = _search(expert_client, q="единство", author=other_expert.pk)
    assert "result-comment-" in by_author.text and "result-section-" not in by_author.text


def test_date_filter_uses_local_dates(concept, expert_client, expert):
    make_section(concept, "Единство", "Единство народа.", user=expert)
    today = timezone.localdate()
    assert "result-section-" in _search(expert_client, q="единство", date_from=today, date_to=today).text
    tomorrow = today + timedelta(days=1)
    assert "result-section-" not in _search(expert_client, q="единство", date_from=tomorrow).text


def test_end_date_before_start_date_is_explained(expert_client):
    today = timezone.localdate()
    response = _search(expert_client, q="единство", date_from=today, date_to=today - timedelta(days=2))
    assert response.status_code == 400
    assert "The end date is before the start date." in response.text


def test_results_are_paginated_keeping_the_query(concept, expert_client, expert):
    for n in range(25):
        make_section(concept, f"Раздел {n}", "Общий текст про единство.", user=expert)
    first = _search(expert_client, q="единство")
    assert first.text.count('class="search-result"') == 20
    assert "?q=%D0%B5%D0%B4%D0%B8%D0%BD%D1%81%D1%82%D0%B2%D0%BE&amp;page=2" in first.text
    second = _search(expert_client, q="единство", page=2)
    assert second.text.count('class="search-result"') == 5


# Bad input


@pytest.mark.parametrize(
    "query",
    ["%", "_", "' OR 1=1 --", ".*", "(?:", "\\", "[[", "a%_b", "единство' ; DROP TABLE search_searchentry; --"],
)
def test_sql_and_regex_metacharacters_never_fail(concept, expert_client, expert, query):
    make_section(concept, "Единство", "Единство 100% народа.", user=expert)
    response = _search(expert_client, q=query)
    assert response.status_code in (200, 400)
    assert SearchEntry.objects.exists()


def test_empty_query_shows_the_form(expert_client):
    response = _search(expert_client, q="")
    assert response.status_code == 200
    assert "Search sections, proposals, comments, meetings" in response.text


def test_one_character_query_is_explained(expert_client):
    response = _search(expert_client, q="я")
    assert response.status_code == 400
    assert "Type at least one word of two or more letters" in response.text
    assert 'value="я"' in response.text


def test_ten_thousand_character_query_is_refused_with_a_message(expert_client):
    response = _search(expert_client, q="единство " * 1111)
    assert response.status_code == 400
    assert "Search for at most 200 characters" in response.text


def test_garbage_filters_are_refused_with_a_message(expert_client):
    response = _search(expert_client, q="единство", section="abc", kind="nope", date_from="31.02")
    assert response.status_code == 400
    assert "Select a valid choice" in response.text


def test_snippets_and_titles_are_escaped(concept, expert_client, expert, other_expert):
    section = make_section(
        concept, "<script>alert(1)</script> единство", "<img src=x onerror=alert(1)> единство", user=expert
    )
    services.comment_add(author=other_expert, body="единство <b onmouseover=alert(1)>", section=section)
    response = _search(expert_client, q="единство")
    assert "<script>alert" not in response.text
    assert "<img" not in response.text
    assert "<b onmouseover" not in response.text
    assert "&lt;script&gt;" in response.text


def test_highlight_marks_only_matching_words_and_escapes_the_rest():
    html = highlight("<b>Отношений</b> & отношения", search_terms("отношение"))
    assert html == "&lt;b&gt;<mark>Отношений</mark>&lt;/b&gt; &amp; <mark>отношения</mark>"


def test_long_text_snippet_is_cut_around_the_first_match():
    text = "слово " * 200 + "единство " + "слово " * 200
    html = highlight(text, ["единство"])
    assert "<mark>единство</mark>" in html
    assert html.startswith("…") and html.endswith("…")
    assert len(html) < 400


# Access and method


def test_anonymous_person_is_sent_to_sign_in(client):
    response = client.get(URL, {"q": "единство"})
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


def test_search_answers_get_only(expert_client):
    assert expert_client.post(URL, {"q": "единство"}).status_code == 405


# Query budget


def test_results_page_costs_a_fixed_number_of_queries(concept, expert_client, expert, other_expert,
                                                      django_assert_max_num_queries):  # fmt: skip
    for n in range(30):
        section = make_section(concept, f"Раздел {n}", "Единство народа.", user=expert)
        services.comment_add(author=other_expert, body="Про единство.", section=section)
    for n in range(20):
        ExpertFactory(full_name=f"Эксперт {n}")
    with django_assert_max_num_queries(12):
        response = _search(expert_client, q="единство")
    assert response.text.count('class="search-result"') == 20
    with django_assert_max_num_queries(12):
        _search(expert_client, q="единство", kind="comment", page=2)


def test_nul_byte_in_a_query_is_a_clear_400(expert_client):
    response = expert_client.get(URL, {"q": "един\x00ство"})
    assert response.status_code == 400
    assert "NUL" in response.text


def test_inactive_member_still_searches(concept, client, expert):
    make_section(concept, "Единство", "Единство народа.", user=expert)
    expert.expert.is_active = False
    expert.expert.save()
    client.force_login(expert)
    assert "result-section-" in _search(client, q="единство").text


def test_header_box_sends_the_words_to_the_search_page(rf, expert):
    from django.template.loader import render_to_string

    request = rf.get("/", {"q": "<единство>"})
    request.user = expert
    html = render_to_string("search/_header_box.html", request=request)
    assert f'action="{URL}"' in html and 'role="search"' in html
    assert 'value="&lt;единство&gt;"' in html
    assert '<label for="header-search-q"' in html and 'id="header-search-q"' in html


def test_migrate_indexes_a_database_that_had_records_before_search(concept, expert):
    from search.apps import index_existing_records

    section = make_section(concept, "Единство", "Единство народа.", user=expert)
    SearchEntry.objects.all().delete()
    index_existing_records(sender=None)
    assert SearchEntry.objects.filter(kind="section", object_id=section.pk).exists()
    # An index already in place is left alone.
    SearchEntry.objects.filter(kind="section").update(title="kept")
    index_existing_records(sender=None)
    assert SearchEntry.objects.get(kind="section").title == "kept"


# Edits and deletions in the admin reach the index at once


def admin_change(client, obj, **changes):
    url = f"/admin/drafting/{obj._meta.model_name}/{obj.pk}/change/"
    form = client.get(url).context["adminform"].form
    data = {name: form[name].value() for name in form.fields}
    data = {k: ("" if v is None else v) for k, v in (data | changes).items()}
    return client.post(url, data)


def test_a_comment_edited_in_the_admin_is_found_by_its_new_words(client, staff, concept, expert):
    section = make_section(concept, "Цели", "Укрепление единства.", user=expert)
    comment = services.comment_add(author=expert, body="Черновой отзыв.", section=section)
    client.force_login(staff)

    assert admin_change(client, comment, body="Исправленный отзыв о суверенитете.").status_code == 302

    assert SearchEntry.objects.get(kind="comment", object_id=comment.pk).text == "Исправленный отзыв о суверенитете."
    client.force_login(expert)
    assert f"#comment-{comment.pk}" in _search(client, q="суверенитете").text


def test_pruning_takes_out_every_entry_whose_record_was_deleted(concept):
    """Admin deletions end with a prune (drafting/admin.py), which finds the entries left behind at one query a kind."""
    from drafting.models import Activity, Comment
    from search.services.index import prune

    data = make_discussion(concept)
    thread = data["objects"]["comment"]
    replies = list(thread.replies.values_list("pk", flat=True))
    assert replies and SearchEntry.objects.filter(kind="comment", object_id__in=replies).exists()
    Activity.objects.all().delete()  # the records that protect a comment from deletion

    Comment.objects.filter(pk__in=replies).delete()
    Comment.objects.filter(pk=thread.pk).delete()

    assert prune() == 1 + len(replies)
    assert not SearchEntry.objects.filter(kind="comment").exists()
    assert SearchEntry.objects.filter(kind="proposal").exists() and prune() == 0


def test_a_meetings_notes_changed_in_the_admin_are_found(client, staff, concept):
    data = make_discussion(concept)
    meeting = data["objects"]["meeting"]
    item = meeting.items.get()
    client.force_login(staff)
    url = f"/admin/drafting/meeting/{meeting.pk}/change/"
    form = client.get(url).context["adminform"].form
    post = {name: form[name].value() for name in form.fields}
    post = {k: ("" if v is None else v) for k, v in post.items()} | {"agenda_note": "Итоги по разделу о языках."}
    local = timezone.localtime(meeting.starts_at)
    post |= {"starts_at_0": local.strftime("%Y-%m-%d"), "starts_at_1": local.strftime("%H:%M:%S")}
    post |= {"items-TOTAL_FORMS": "1", "items-INITIAL_FORMS": "1", "items-0-id": item.pk, "items-0-meeting": meeting.pk}
    post |= {"items-0-proposal": item.proposal_id, "items-0-outcome": item.outcome, "items-0-order": item.order}

    response = client.post(url, post)

    assert response.status_code == 302, response.context["adminform"].form.errors if response.context else ""
    entry = SearchEntry.objects.get(kind="meeting", object_id=meeting.pk)
    assert entry.text.startswith("Итоги по разделу о языках.") and "Точнее о единстве" in entry.text


def test_a_comment_reverted_from_its_admin_history_is_found_by_its_old_words_again(client, staff, concept, expert):
    section = make_section(concept, "Цели", "Укрепление единства.", user=expert)
    comment = services.comment_add(author=expert, body="Первый отзыв о суверенитете.", section=section)
    first = comment.history.order_by("history_id").first()
    services.comment_edit(comment=comment, user=expert, body="Второй отзыв.")
    assert SearchEntry.objects.get(kind="comment", object_id=comment.pk).text == "Второй отзыв."
    client.force_login(staff)
    url = f"/admin/drafting/comment/{comment.pk}/history/{first.history_id}/"
    form = client.get(url).context["adminform"].form
    data = {name: ("" if form[name].value() is None else form[name].value()) for name in form.fields}

    assert client.post(url, data).status_code == 302

    comment.refresh_from_db()
    assert comment.body == "Первый отзыв о суверенитете."
    assert SearchEntry.objects.get(kind="comment", object_id=comment.pk).text == "Первый отзыв о суверенитете."
