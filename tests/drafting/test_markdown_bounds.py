"""Rendering is bounded: a text that would take too long is refused with a message, never a hang or a 500."""

import time
from concurrent.futures import ThreadPoolExecutor
from types import SimpleNamespace

import markdown
import pytest
from django.conf import settings
from django.urls import reverse

import drafting.markdown as drafting_markdown
from bench.bench_markdown import ordinary_text, pathological_corpus
from drafting.forms import new_submission_token
from drafting.markdown import MarkdownTooComplex, render_markdown
from drafting.models import Comment
from tests.drafting.test_markdown import XSS_VECTORS, problems_in
from tests.factories import make_section

CORPUS = pathological_corpus(settings.SECTION_MAX_CHARS)
BOUND = 2.0
TOO_COMPLEX = "This text is too complex to display"
TYPED = "Мой текст остаётся в редакторе.\n\n"
# Refused by the checks before rendering, whatever the machine's speed.
DEEP_LIST = TYPED + CORPUS["list 250 levels"]
# Refused only because rendering it takes far longer than the bound (minutes without one).
SLOW = TYPED + CORPUS["emphasis a*"][len(TYPED) :]


@pytest.fixture(autouse=True)
def _bound(settings):
    settings.MARKDOWN_RENDER_SECONDS = BOUND


def outcome(text):
    try:
        return render_markdown(text)
    except MarkdownTooComplex as error:
        return error


# --- the pathological corpus at the maximum section size ---


@pytest.mark.parametrize("name", list(CORPUS))
def test_every_pathological_text_is_rendered_or_refused_with_a_message(name, settings):
    settings.MARKDOWN_RENDER_SECONDS = BOUND / 2  # the outcome is the point; half the CPU on a shared machine
    result = outcome(CORPUS[name])
    if isinstance(result, MarkdownTooComplex):
        assert result.code == "markdown_too_complex"
        assert result.messages[0].startswith(TOO_COMPLEX)
    else:
        assert problems_in(result) == []


@pytest.mark.parametrize(
    "name, reason",
    [
        ("list 250 levels", "lists or quotations are nested 21 levels deep at line 22. Use at most 20 levels."),
        ("deep list", "lists or quotations are nested 21 levels deep at line 22."),
        ("deep quote", "lists or quotations are nested 199998 levels deep at line 1."),
        ("open brackets", "33 square brackets “[” are open at once at line 1."),
        ("nested brackets", "33 square brackets “[” are open at once at line 1."),
    ],
)
def test_deep_nesting_and_open_brackets_are_refused_at_once_naming_what_to_simplify(name, reason):
    with pytest.raises(MarkdownTooComplex) as refused:
        render_markdown(CORPUS[name])
    assert reason in refused.value.messages[0]


def test_recursion_in_the_parser_is_a_refusal_not_an_error(monkeypatch):
    monkeypatch.setattr(drafting_markdown, "_check_nesting", lambda text: None)
    with pytest.raises(MarkdownTooComplex) as refused:
        render_markdown(CORPUS["list 250 levels"])
    assert "it is nested too deeply. Reduce the nesting of lists and quotations." in refused.value.messages[0]


def test_a_slow_text_is_refused_and_the_next_text_renders():
    with pytest.raises(MarkdownTooComplex) as refused:
        render_markdown(CORPUS["run of <"])
    assert "could not be prepared within 2 seconds" in refused.value.messages[0]
    assert render_markdown("**после**") == "<p><strong>после</strong></p>"


def test_four_slow_texts_at_once_hold_no_worker_past_the_bound():
    texts = [CORPUS[name] for name in ("emphasis *_", "run of <", "long table", "backticks")]
    render_markdown("a renderer process ready")
    started = time.monotonic()
    with ThreadPoolExecutor(max_workers=4) as pool:
        results = list(pool.map(outcome, texts))
    assert time.monotonic() - started < 3 * BOUND
    assert all(isinstance(result, MarkdownTooComplex) for result in results)


# --- ordinary text is unchanged ---


def test_ordinary_markdown_renders_exactly_as_the_unbounded_pipeline():
    text = ordinary_text(20_000)
    html = render_markdown(text)
    assert html == drafting_markdown._new_cleaner().clean(drafting_markdown._new_markdown().convert(text))
    assert "<table>" in html and "<blockquote>" in html and 'rel="nofollow noopener"' in html


@pytest.mark.parametrize("vector", XSS_VECTORS)
def test_cleaner_alone_neutralises_vectors_in_the_renderer_pipeline(vector, monkeypatch):
    # The renderer process imports its own copy of the module, so the second line of defence is
    # tested on the pipeline it runs, with python-markdown's raw HTML handling left on.
    monkeypatch.setattr(
        drafting_markdown, "_new_markdown", lambda: markdown.Markdown(extensions=["tables", "sane_lists"])
    )
    assert problems_in(drafting_markdown._render(vector)) == []


# --- the edit page: preview and save ---


@pytest.fixture
def section(concept):
    return make_section(concept, "Goals", "Первое предложение.")


def edit(client, section, body, **extra):
    data = {"base_version": 1, "body": body, "summary": "Change", **extra}
    return client.post(reverse("drafting:section-edit", args=[section.pk]), data)


@pytest.mark.django_db
@pytest.mark.parametrize("body", [DEEP_LIST, SLOW], ids=["deep-list", "slow"])
def test_preview_of_a_pathological_text_is_a_message_with_the_text_kept(expert_client, section, body):
    response = edit(expert_client, section, body, preview="1")
    assert response.status_code == 400
    assert TOO_COMPLEX in response.text
    assert TYPED.strip() in response.text
    assert "Preview (not saved yet)" not in response.text


@pytest.mark.django_db
@pytest.mark.parametrize("body", [DEEP_LIST, SLOW], ids=["deep-list", "slow"])
def test_saving_a_pathological_text_is_refused_with_the_text_kept_and_no_revision(expert_client, section, body):
    response = edit(expert_client, section, body)
    assert response.status_code == 400
    assert TOO_COMPLEX in response.text
    assert TYPED.strip() in response.text
    section.refresh_from_db()
    assert (section.version, section.body) == (1, "Первое предложение.")
    assert section.history.count() == 1


@pytest.mark.django_db
def test_a_pathological_comment_is_refused_with_the_text_kept(expert_client, section):
    body = TYPED + CORPUS["deep list"][:15_000]
    response = expert_client.post(
        reverse("drafting:section-comment-add", args=[section.pk]), {"body": body, "submission": new_submission_token()}
    )
    assert response.status_code == 400
    assert TOO_COMPLEX in response.text
    assert TYPED.strip() in response.text
    assert not Comment.objects.exists()


@pytest.mark.django_db
def test_previews_are_limited_per_person_per_minute(client, section, expert, other_expert, settings, monkeypatch):
    settings.MARKDOWN_PREVIEWS_PER_MINUTE = 2
    monkeypatch.setattr("drafting.views.sections.time", SimpleNamespace(time=lambda: 1_800_000_000.0))
    client.force_login(expert)
    assert [edit(client, section, f"**{i}**", preview="1").status_code for i in range(2)] == [200, 200]

    response = edit(client, section, "**третий**", preview="1")
    assert response.status_code == 429
    assert "You have asked for 2 previews in the last minute." in response.text
    assert "**третий**" in response.text
    assert "<strong>третий</strong>" not in response.text

    client.force_login(other_expert)
    assert edit(client, section, "**чужой**", preview="1").status_code == 200
    monkeypatch.setattr("drafting.views.sections.time", SimpleNamespace(time=lambda: 1_800_000_060.0))
    client.force_login(expert)
    assert edit(client, section, "**через минуту**", preview="1").status_code == 200
