"""Discussion in the text: highlighted passages, the thread panel, comments and suggestions on a selection."""

import re
from html.parser import HTMLParser

import pytest
from django.urls import reverse

from drafting import services
from drafting.forms import new_submission_token
from drafting.models import Comment, Proposal
from tests.factories import make_discussion, make_section

BODY = "Первое предложение о единстве. Второе предложение о языках.\n\nҚазақ тілі — мемлекеттік тіл."
XSS = [
    "<script>alert(1)</script>",
    '<img src=x onerror="alert(1)">',
    "[click](javascript:alert(1))",
    '"><svg onload=alert(1)>',
    "<a href='javascript:alert(1)'>x</a>",
]


@pytest.fixture
def section(concept, expert):
    return make_section(concept, "Principles", BODY, user=expert)


def _comment(client, section, body, quote="", **extra):
    return client.post(
        reverse("drafting:section-comment-add", args=[section.pk]),
        {"body": body, "quote": quote, "submission": new_submission_token(), "return": "section", **extra},
    )


def _suggest(client, section, quote, replacement, **extra):
    data = {
        "suggest-quote": quote,
        "suggest-replacement": replacement,
        "suggest-rationale": "Так яснее.",
        "suggest-base_version": section.version,
        "suggest-submission": new_submission_token(),
    }
    data.update({f"suggest-{k}": v for k, v in extra.items()})
    return client.post(reverse("drafting:section-suggest", args=[section.pk]), data)


class _UnsafeMarkup(HTMLParser):
    """Collects what could run script: inline scripts, event handler attributes, javascript: URLs."""

    def __init__(self):
        super().__init__()
        self.found = []

    def handle_starttag(self, tag, attrs):
        values = dict(attrs)
        if tag == "script" and not (values.get("src") or "").startswith("/static/"):
            self.found.append(tag)
        for name, value in attrs:
            if name.startswith("on") or (value or "").strip().lower().startswith("javascript:"):
                self.found.append(f"{tag} {name}={value}")


def _unsafe(html: str) -> list[str]:
    parser = _UnsafeMarkup()
    parser.feed(html)
    return parser.found


@pytest.mark.django_db
def test_quoted_passage_is_highlighted_and_linked_to_its_card(expert_client, section):
    response = _comment(expert_client, section, "Уточнить", quote="Второе предложение")
    comment = Comment.objects.get()
    assert response["Location"] == f"{section.get_absolute_url()}#comment-{comment.pk}"

    page = expert_client.get(section.get_absolute_url()).text

    assert f'id="mark-{comment.pk}"' in page
    assert re.search(
        rf'<mark class="anchor-mark[^"]*" id="mark-{comment.pk}" data-threads="{comment.pk}">Второе предложение</mark>',
        page,
    )
    assert f'href="#comment-{comment.pk}"' in page
    assert f'id="comment-{comment.pk}"' in page


@pytest.mark.django_db
def test_overlapping_and_adjacent_passages_each_keep_their_marks(expert_client, section, expert):
    first = services.comment_add(author=expert, body="a", section=section, quote="Первое предложение о единстве")
    inner = services.comment_add(author=expert, body="b", section=section, quote="предложение о")
    adjacent = services.comment_add(author=expert, body="c", section=section, quote=". Второе")

    page = expert_client.get(section.get_absolute_url()).text

    assert f'data-threads="{first.pk} {inner.pk}">предложение о</mark>' in page
    assert f'id="mark-{adjacent.pk}"' in page and f'id="mark-{first.pk}"' in page and f'id="mark-{inner.pk}"' in page
    assert "anchor-mark--overlap" in page


@pytest.mark.django_db
def test_kazakh_passage_is_highlighted(expert_client, section, expert):
    comment = services.comment_add(author=expert, body="Дұрыс", section=section, quote="мемлекеттік тіл")
    page = expert_client.get(section.get_absolute_url()).text
    assert f'data-threads="{comment.pk}">мемлекеттік тіл</mark>' in page


@pytest.mark.django_db
def test_passage_that_changed_or_vanished_is_listed_apart_with_its_quote(expert_client, section, expert):
    moved = services.comment_add(author=expert, body="m", section=section, quote="Второе предложение о языках.")
    changed = services.comment_add(author=expert, body="c", section=section, quote="Первое предложение о единстве.")
    gone = services.comment_add(author=expert, body="g", section=section, quote="Қазақ тілі — мемлекеттік тіл.")
    services.section_edit(
        section=section,
        base_version=1,
        body="Новое начало. Первое предложение о полном единстве. Второе предложение о языках.",
        user=expert,
        summary="s",
    )

    page = expert_client.get(section.get_absolute_url()).text

    assert f'id="mark-{moved.pk}"' in page
    assert f'id="mark-{changed.pk}"' not in page and f'id="mark-{gone.pk}"' not in page
    apart = page.split("Passage changed or no longer in the text")[1]
    assert "passage changed" in apart and "passage no longer in the text" in apart
    assert "Қазақ тілі — мемлекеттік тіл." in apart


@pytest.mark.django_db
def test_quote_across_formatting_is_found_in_the_text_people_read(expert_client, concept, expert):
    section = make_section(concept, "Goals", "The **main** goal is unity.", user=expert)
    response = _comment(expert_client, section, "Yes", quote="main goal is")
    assert response.status_code == 302
    comment = Comment.objects.get()
    page = expert_client.get(section.get_absolute_url()).text
    assert f'<strong><mark class="anchor-mark anchor-mark--c0" id="mark-{comment.pk}"' in page


@pytest.mark.django_db
def test_quote_that_no_longer_matches_when_posted_is_kept_and_marked_changed(expert_client, section, expert):
    services.section_edit(section=section, base_version=1, body="Совсем другой текст.", user=expert, summary="s")

    response = _comment(expert_client, section, "Уточнить", quote="Второе предложение о языках.", quote_version=1)

    assert response.status_code == 302
    comment = Comment.objects.get()
    assert comment.quote == "Второе предложение о языках." and comment.quote_version == 1
    assert comment.quote_prefix.endswith("единстве. ")
    page = expert_client.get(section.get_absolute_url()).text
    assert "passage no longer in the text" in page or "passage changed" in page


@pytest.mark.django_db
def test_quote_from_another_section_gets_a_clear_message_and_keeps_the_text(expert_client, section, concept):
    make_section(concept, "Other", "Чужой текст другого раздела.")
    response = _comment(expert_client, section, "Мой комментарий", quote="Чужой текст другого раздела.")
    assert response.status_code == 400
    assert "Select words within this one section" in response.text
    assert "Мой комментарий" in response.text
    assert not Comment.objects.exists()


@pytest.mark.django_db
def test_a_selection_of_the_whole_text_is_refused_as_too_long(expert_client, section):
    response = _comment(expert_client, section, "Всё", quote="слово " * 500, quote_version=1)
    assert response.status_code == 400
    assert "too long to quote" in response.text
    assert not Comment.objects.exists()


@pytest.mark.django_db
@pytest.mark.parametrize("vector", XSS)
def test_script_through_comments_quotes_and_suggestions_never_reaches_the_page(expert_client, concept, expert, vector):
    section = make_section(concept, "XSS", f"Text {vector} end.", user=expert)
    services.comment_add(author=expert, body=vector, section=section, quote=f"{vector} end")
    assert _suggest(expert_client, section, vector, f"{vector}!").status_code == 302

    proposal = Proposal.objects.get()
    urls = [section.get_absolute_url(), reverse("drafting:concept-document", args=[concept.pk])]
    for url in [*urls, proposal.get_absolute_url(), reverse("drafting:section-board", args=[section.pk])]:
        html = expert_client.get(url).text
        assert _unsafe(html) == [], url


@pytest.mark.django_db
def test_suggestion_becomes_a_proposal_with_only_the_passage_replaced(expert_client, section, expert):
    response = _suggest(expert_client, section, "о языках", "о языках и культурах")

    proposal = Proposal.objects.get()
    assert response["Location"] == proposal.get_absolute_url()
    assert proposal.base_version == section.version
    assert proposal.text == BODY.replace("о языках", "о языках и культурах")
    assert proposal.author == expert
    page = expert_client.get(section.get_absolute_url()).text
    assert "<ins>" in page and "культурах" in page


@pytest.mark.django_db
def test_suggestion_on_an_older_revision_merges_by_the_three_way_path(expert_client, section, expert, coordinator):
    _suggest(expert_client, section, "о языках", "о языках и культурах")
    services.section_edit(
        section=section, base_version=1, body=BODY.replace("Первое", "Начальное"), user=expert, summary="s"
    )
    proposal = Proposal.objects.get()
    assert proposal.base_version == 1

    outcome = services.proposal_merge(proposal=proposal, merged_by=coordinator)

    assert outcome.status == "merged"
    assert outcome.section.body == BODY.replace("Первое", "Начальное").replace("о языках", "о языках и культурах")


@pytest.mark.django_db
def test_suggestion_picks_the_occurrence_by_its_context(expert_client, section):
    _suggest(expert_client, section, "предложение", "фраза", prefix="Второе ", suffix=" о языках")
    assert Proposal.objects.get().text == BODY.replace("Второе предложение", "Второе фраза")


@pytest.mark.django_db
def test_suggestion_with_a_passage_not_in_the_text_is_refused_with_the_words_kept(expert_client, section):
    response = _suggest(expert_client, section, "нет такого текста", "замена")
    assert response.status_code == 400
    assert "not written this way" in response.text
    assert "замена" in response.text
    assert not Proposal.objects.exists()


@pytest.mark.django_db
def test_suggestion_with_nul_bytes_or_forged_revision_is_refused(expert_client, section):
    assert _suggest(expert_client, section, "о\x00языках", "x").status_code == 400
    response = _suggest(expert_client, section, "о языках", "x", base_version=99)
    assert response.status_code == 400
    assert not Proposal.objects.exists()


@pytest.mark.django_db
def test_double_submitted_suggestion_creates_one_proposal(expert_client, section):
    data = {
        "suggest-quote": "о языках",
        "suggest-replacement": "о культурах",
        "suggest-rationale": "r",
        "suggest-base_version": 1,
        "suggest-submission": new_submission_token(),
    }
    url = reverse("drafting:section-suggest", args=[section.pk])
    first, second = expert_client.post(url, data), expert_client.post(url, data)
    assert first["Location"] == second["Location"]
    assert Proposal.objects.count() == 1


def test_anonymous_is_sent_to_sign_in_and_staff_may_not_suggest(client, section, staff):
    url = reverse("drafting:section-suggest", args=[section.pk])
    assert client.post(url, {})["Location"].startswith(reverse("login"))
    client.force_login(staff)
    assert client.post(url, {}).status_code == 403
    assert client.get(url).status_code == 405


@pytest.mark.django_db
def test_filters_show_resolved_mine_by_bloc_and_with_a_proposal(client, section, expert, other_expert):
    mine = services.comment_add(author=expert, body="mine", section=section, quote="Первое предложение")
    theirs = services.comment_add(author=other_expert, body="theirs", section=section, quote="о языках")
    done = services.comment_add(author=other_expert, body="done", section=section, quote="Қазақ тілі")
    services.comment_set_resolved(comment=done, user=other_expert, resolved=True)
    services.proposal_create_amendment(
        section=section, author=other_expert, title="t", text=BODY.replace("о языках", "о культуре"), rationale="r",
        base_version=1,
    )  # fmt: skip
    client.force_login(expert)
    url = section.get_absolute_url()

    def cards(**params):
        return set(
            map(int, re.findall(r'<li class="thread-card[^"]*" id="comment-(\d+)"', client.get(url, params).text))
        )

    assert cards() == {mine.pk, theirs.pk}
    assert cards(status="resolved") == {done.pk}
    assert cards(status="all") == {mine.pk, theirs.pk, done.pk}
    assert cards(mine="1") == {mine.pk}
    assert cards(bloc="practitioner", status="all") == {theirs.pk, done.pk}
    assert cards(proposal="1") == {theirs.pk}
    assert cards(status="<script>", bloc="x' or 1=1") == {mine.pk, theirs.pk}


@pytest.mark.django_db
def test_section_page_queries_do_not_grow_with_threads(
    expert_client, section, expert, other_expert, django_assert_max_num_queries
):
    url = section.get_absolute_url()
    services.comment_add(author=expert, body="x", section=section, quote="Первое")
    expert_client.get(url)
    with django_assert_max_num_queries(30) as few:
        expert_client.get(url)
    for i in range(15):
        c = services.comment_add(
            author=other_expert if i % 2 else expert, body=f"c{i}", section=section, quote="о языках"
        )
        services.comment_add(author=expert, body="reply", parent=c)
    with django_assert_max_num_queries(len(few.captured_queries)):
        page = expert_client.get(url).text
    assert page.count('<li class="thread-card') == 16


@pytest.mark.django_db
def test_document_shows_marks_comment_counts_and_paragraph_numbers(expert_client, concept, expert):
    data = make_discussion(concept)
    section, comment = data["objects"]["section"], data["objects"]["comment"]
    url = reverse("drafting:concept-document", args=[concept.pk])

    page = expert_client.get(url).text

    assert f'id="mark-{comment.pk}"' in page
    assert f'href="{section.get_absolute_url()}#comment-{comment.pk}"' in page
    assert f'<a class="doc-comments" href="{section.get_absolute_url()}#discussion">2 comments</a>' in page
    assert f'id="s{section.pk}-p1"' in page and 'data-ref="1.1 ¶1"' in page
    assert 'class="reading-document numbers-off"' in expert_client.get(url, {"numbers": "off"}).text


@pytest.mark.django_db
def test_document_cache_follows_new_and_resolved_threads_at_a_fixed_cost(
    expert_client, concept, expert, django_assert_max_num_queries
):
    data = make_discussion(concept)
    section, comment = data["objects"]["section"], data["objects"]["comment"]
    url = reverse("drafting:concept-document", args=[concept.pk])
    expert_client.get(url)
    with django_assert_max_num_queries(9):
        assert f'id="mark-{comment.pk}"' in expert_client.get(url).text

    services.comment_set_resolved(comment=comment, user=comment.author, resolved=True)
    assert f'id="mark-{comment.pk}"' not in expert_client.get(url).text
    section.refresh_from_db()
    other = services.comment_add(author=expert, body="новый", section=section, quote="народа")
    for _ in range(20):
        services.comment_add(author=expert, body="ещё", section=section)
    expert_client.get(url)
    with django_assert_max_num_queries(9):
        page = expert_client.get(url).text
    assert f'id="mark-{other.pk}"' in page and "23 comments" in page


@pytest.mark.django_db
def test_section_page_paragraphs_have_ids_and_numbers_that_can_be_hidden(expert_client, section):
    page = expert_client.get(section.get_absolute_url()).text
    assert f'<div class="para" id="s{section.pk}-p2"><a class="para-ref" href="#s{section.pk}-p2"' in page
    assert 'data-ref="1 ¶2"' in page
    assert "numbers-off" in expert_client.get(section.get_absolute_url(), {"numbers": "off"}).text


@pytest.mark.django_db
def test_hidden_paragraph_numbers_stay_hidden_on_every_page_until_shown_again(
    expert_client, concept, section, expert, django_assert_max_num_queries
):
    document = reverse("drafting:concept-document", args=[concept.pk])
    assert "numbers-off" in expert_client.get(section.get_absolute_url(), {"numbers": "off"}).text
    expert.refresh_from_db()
    assert expert.account_settings.paragraph_numbers is False
    assert expert.account_settings.history.latest().history_change_reason == "Paragraph numbers hidden"

    # Remembered on the account: the document and the section, with no parameter, at no extra query.
    expert_client.get(document)
    with django_assert_max_num_queries(9):
        assert 'class="reading-document numbers-off"' in expert_client.get(document).text
    assert "numbers-off" in expert_client.get(section.get_absolute_url()).text

    history_rows = expert.account_settings.history.count()
    expert_client.get(document, {"numbers": "off"})  # the same choice again writes nothing
    assert expert.account_settings.history.count() == history_rows

    assert "numbers-off" not in expert_client.get(document, {"numbers": "on"}).text
    assert "numbers-off" not in expert_client.get(section.get_absolute_url()).text


@pytest.mark.django_db
def test_an_unknown_paragraph_numbers_value_changes_nothing(expert_client, section, expert):
    page = expert_client.get(section.get_absolute_url(), {"numbers": "sideways"})
    assert page.status_code == 200 and "numbers-off" not in page.text
    assert not hasattr(expert, "account_settings") or expert.account_settings.paragraph_numbers


@pytest.mark.django_db
def test_proposal_discussion_can_quote_the_proposals_text(expert_client, section, expert):
    proposal = services.proposal_create_amendment(
        section=section, author=expert, title="t", text="Новый текст раздела.", rationale="r", base_version=1
    )
    response = expert_client.post(
        reverse("drafting:proposal-comment-add", args=[proposal.pk]),
        {"body": "Хорошо", "quote": "Новый текст", "submission": new_submission_token()},
    )
    assert response.status_code == 302
    assert Comment.objects.get().quote == "Новый текст"
    page = expert_client.get(proposal.get_absolute_url()).text
    assert "Quote from the proposed text (optional)" in page
    assert re.search(r'<blockquote class="comment__quote">\s*Новый текст', page)
    bad = expert_client.post(
        reverse("drafting:proposal-comment-add", args=[proposal.pk]),
        {"body": "Плохо", "quote": "Первое предложение", "submission": new_submission_token()},
    )
    assert bad.status_code == 400 and "not in the text of this proposal" in bad.text


@pytest.mark.django_db
def test_quote_in_the_address_fills_in_the_comment_form(expert_client, section):
    page = expert_client.get(section.get_absolute_url(), {"quote": "о языках"}).text
    assert re.search(r'<textarea name="quote"[^>]*>\s*о языках</textarea>', page)


@pytest.mark.django_db
def test_nul_bytes_in_a_quote_or_the_address_get_a_message_not_an_error(expert_client, section):
    response = _comment(expert_client, section, "Текст остаётся", quote="о\x00языках")
    assert response.status_code == 400
    assert "Текст остаётся" in response.text
    assert expert_client.get(section.get_absolute_url(), {"quote": "a\x00b", "status": "\x00"}).status_code in (
        200,
        400,
    )
    assert not Comment.objects.exists()


@pytest.mark.django_db
@pytest.mark.parametrize("version", ["0", "abc", "99999999", "-1", "²", "١٢"])
def test_a_forged_revision_with_the_quote_is_ignored(expert_client, section, version):
    assert _comment(expert_client, section, "ok", quote="о языках", quote_version=version).status_code == 302
    assert Comment.objects.get().quote_version == section.version
