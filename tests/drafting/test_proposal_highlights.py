"""The proposal page highlights the passages its discussion quotes, in the proposed wording."""

import re
from dataclasses import replace

import pytest
from django.test import Client
from django.urls import reverse

from drafting import services
from drafting.forms import new_submission_token
from drafting.highlights import plain_text
from drafting.models import Comment
from drafting.selectors import comment_threads, proposal_comparison
from drafting.selectors.reading import proposal_reading
from members.models import Expert
from tests.factories import ExpertFactory, make_section

BASE = "Первое предложение. Второе предложение. Третье предложение."
PROPOSED = BASE.replace("Второе", "Иное, более точное")


@pytest.fixture
def section(concept, expert):
    return make_section(concept, "Principles", BASE, user=expert)


@pytest.fixture
def proposal(section, expert):
    return services.proposal_create_amendment(
        section=section, author=expert, title="Sharper", text=PROPOSED, rationale="Clearer.", base_version=1
    )


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _proposed_cell(page: str) -> str:
    match = re.search(r'<td class="diff" data-quotable>(.*?)</td>', page, re.S)
    assert match, "the proposed wording is on the page"
    return match.group(1)


@pytest.mark.django_db
def test_quoted_passage_is_highlighted_in_the_proposed_text_and_links_to_its_comment(expert_client, proposal):
    response = expert_client.post(
        reverse("drafting:proposal-comment-add", args=[proposal.pk]),
        {
            "body": "Почему «более точное»?",
            "quote": "Иное, более точное предложение",
            "submission": new_submission_token(),
        },
    )
    assert response.status_code == 302
    comment = Comment.objects.get()

    cell = _proposed_cell(expert_client.get(proposal.get_absolute_url()).text)

    marks = re.findall(rf'<mark class="anchor-mark[^"]*"[^>]*data-threads="{comment.pk}">([^<]*)</mark>', cell)
    assert "".join(marks) == "Иное, более точное предложение"
    assert f'id="mark-{comment.pk}"' in cell
    assert f'<a class="mark-ref" href="#comment-{comment.pk}"' in cell
    assert 'aria-label="Comment thread 1"' in cell
    # The inserted words stay marked as a change, with their label for screen readers outside the highlight.
    assert re.search(
        r'<ins><span class="visually-hidden">added: </span><mark[^>]*>Иное, более точное</mark></ins>', cell
    )
    # The text a reader sees (and selects) is still the proposal's, apart from those labels.
    assert plain_text(cell).replace("added: ", "") == PROPOSED


@pytest.mark.django_db
def test_xss_in_a_quoted_proposal_text_stays_inert_in_the_highlight(expert, expert_client, section):
    attack = '<img src=x onerror="alert(1)"><script>alert(2)</script>'
    proposal = services.proposal_create_amendment(
        section=section, author=expert, title="XSS", text=f"{BASE} {attack}", rationale="", base_version=1
    )
    comment = services.comment_add(author=expert, body="Опасно.", proposal=proposal, quote=attack)

    page = expert_client.get(proposal.get_absolute_url()).text
    cell = _proposed_cell(page)

    assert "<img" not in cell and "<script" not in cell
    escaped = '&lt;img src=x onerror="alert(1)"&gt;&lt;script&gt;alert(2)&lt;/script&gt;'
    assert re.search(rf'<mark [^>]*data-threads="{comment.pk}">{re.escape(escaped)}</mark>', cell)
    assert "<script>alert(2)</script>" not in page


@pytest.mark.django_db
def test_resolved_changed_and_unquoted_threads_are_not_highlighted(expert, expert_client, proposal):
    resolved = services.comment_add(author=expert, body="Решено.", proposal=proposal, quote="Первое предложение.")
    services.comment_set_resolved(comment=resolved, user=expert, resolved=True)
    services.comment_add(author=expert, body="В целом.", proposal=proposal)
    changed = services.comment_add(author=expert, body="Третье?", proposal=proposal, quote="Третье предложение.")
    services.proposal_update(
        proposal=proposal,
        user=expert,
        title=proposal.title,
        text=PROPOSED.replace("Третье предложение.", "Совсем другое окончание текста."),
        rationale=proposal.rationale,
        base_version=proposal.base_version,
    )

    cell = _proposed_cell(expert_client.get(proposal.get_absolute_url()).text)

    assert "<mark" not in cell
    assert f"#comment-{resolved.pk}" not in cell and f"#comment-{changed.pk}" not in cell


@pytest.mark.django_db
def test_passages_are_numbered_in_text_order_on_a_new_section_proposal(concept, expert, expert_client):
    proposal = services.proposal_create_section(
        concept=concept,
        author=expert,
        title="New",
        heading="Languages",
        text="Альфа бета. Гамма дельта.",
        rationale="",
        parent=None,
    )
    later = services.comment_add(author=expert, body="Второй.", proposal=proposal, quote="Гамма дельта.")
    earlier = services.comment_add(author=expert, body="Первый.", proposal=proposal, quote="Альфа")

    cell = _proposed_cell(expert_client.get(proposal.get_absolute_url()).text)

    assert re.search(rf'data-threads="{earlier.pk}">Альфа</mark><a class="mark-ref" [^>]*data-ref="1"', cell)
    assert re.search(rf'data-threads="{later.pk}">Гамма дельта\.</mark><a class="mark-ref" [^>]*data-ref="2"', cell)


@pytest.mark.django_db
def test_proposed_text_that_is_not_the_proposal_is_shown_without_marks(expert, proposal):
    services.comment_add(author=expert, body="Да.", proposal=proposal, quote="Первое")
    comparison = proposal_comparison(proposal)
    threads = comment_threads(proposal=proposal)

    assert "<mark" in proposal_reading(comparison, threads, text=proposal.text).html
    # Offsets that cannot be placed in the column are dropped, never put in the wrong place.
    assert proposal_reading(comparison, threads, text="Другой текст.").html == comparison.proposed_html
    without_diff = replace(comparison, chunks=())
    assert proposal_reading(without_diff, threads, text=proposal.text).html == comparison.proposed_html


# --- the form and the controls ---


@pytest.mark.django_db
def test_commenters_get_the_quote_control_and_the_selection_messages(expert_client, proposal):
    page = expert_client.get(proposal.get_absolute_url()).text
    assert "data-reading-quote hidden>Quote a passage</button>" in page
    assert 'data-reading-action="comment"' in page
    assert 'data-reading-action="suggest"' not in page  # a change to a proposal is a revision, not a suggestion
    assert "This selection goes beyond the proposed text. Select words of the proposed text only." in page
    assert "js/reading.js" in page
    assert "Select words of the proposed text, or copy them here." in page


@pytest.mark.django_db
def test_staff_see_the_highlights_but_no_quote_control(staff, expert, proposal):
    comment = services.comment_add(author=expert, body="Да.", proposal=proposal, quote="Первое")
    page = _client(staff).get(proposal.get_absolute_url()).text
    assert f'data-threads="{comment.pk}"' in page
    assert "Quote a passage" not in page and 'data-reading-action="comment"' not in page
    response = _client(staff).post(
        reverse("drafting:proposal-comment-add", args=[proposal.pk]),
        {"body": "Нет.", "quote": "Первое", "submission": new_submission_token()},
    )
    assert response.status_code == 403
    assert Comment.objects.count() == 1


@pytest.mark.django_db
def test_anonymous_is_sent_to_sign_in(client, proposal):
    response = client.get(proposal.get_absolute_url())
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


@pytest.mark.django_db
def test_quote_not_in_the_proposal_is_a_message_and_the_typed_text_is_kept(expert_client, proposal):
    response = expert_client.post(
        reverse("drafting:proposal-comment-add", args=[proposal.pk]),
        {"body": "Мой <b>текст</b>", "quote": "Этого нет в тексте", "submission": new_submission_token()},
    )
    assert response.status_code == 400
    assert "The quoted passage is not in the text of this proposal." in response.text
    assert "Этого нет в тексте</textarea>" in response.text
    assert "Мой &lt;b&gt;текст&lt;/b&gt;</textarea>" in response.text
    assert not Comment.objects.exists()


@pytest.mark.django_db
def test_proposal_page_with_many_highlighted_threads_uses_a_fixed_number_of_queries(
    coordinator_client, proposal, django_assert_max_num_queries
):
    def crowd(n):
        for i in range(n):
            member = ExpertFactory(bloc=Expert.Bloc.PRACTITIONER if i % 2 else Expert.Bloc.SCIENTIFIC)
            root = services.comment_add(
                author=member.user, body=f"Комментарий {i}", proposal=proposal, quote="более точное"
            )
            services.comment_add(author=member.user, body=f"Ответ {i}", parent=root)

    crowd(2)
    with django_assert_max_num_queries(14):
        page = coordinator_client.get(proposal.get_absolute_url()).text
    assert page.count('class="mark-ref"') == 2
    crowd(12)
    with django_assert_max_num_queries(14):
        page = coordinator_client.get(proposal.get_absolute_url()).text
    assert page.count('class="mark-ref"') == 14


def test_a_quote_of_a_repeated_word_in_a_proposal_is_anchored_at_the_selected_occurrence(
    expert_client, concept, expert
):

    section = make_section(concept, "Повтор", "Единство народа.", user=expert)
    proposal = services.proposal_create_amendment(
        section=section, author=expert, title="T", text="Единство народа. Культура народа.", rationale="R",
        base_version=1,
    )  # fmt: skip
    response = expert_client.post(
        reverse("drafting:proposal-comment-add", args=[proposal.pk]),
        {"body": "О культуре.", "quote": "народа", "quote_prefix": "Культура ", "quote_suffix": ".",
         "submission": new_submission_token()},
    )  # fmt: skip
    assert response.status_code == 302
    comment = Comment.objects.get()
    assert comment.quote_prefix.endswith("Культура ")
