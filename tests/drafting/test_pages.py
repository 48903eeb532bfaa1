import re
import subprocess
import sys
from pathlib import Path

import pytest
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.formats import date_format

from drafting import services
from tests.factories import make_section

ROOT = Path(__file__).resolve().parents[2]


def page_urls(concept, section):
    return [
        reverse("drafting:home"),
        reverse("drafting:concept-toc", args=[concept.pk]),
        reverse("drafting:concept-document", args=[concept.pk]),
        reverse("drafting:concept-outline", args=[concept.pk]),
        reverse("drafting:section-add", args=[concept.pk]),
        reverse("drafting:section-detail", args=[section.pk]),
        reverse("drafting:section-edit", args=[section.pk]),
        reverse("drafting:section-history", args=[section.pk]),
        reverse("drafting:section-compare", args=[section.pk]),
        reverse("drafting:section-revision", args=[section.pk, 1]),
        reverse("drafting:section-attribution", args=[section.pk]),
        reverse("drafting:section-revert", args=[section.pk]),
        reverse("drafting:section-move-up", args=[section.pk]),
        reverse("members:directory"),
        reverse("password_change"),
    ]


@pytest.mark.django_db
def test_every_page_sends_an_anonymous_visitor_to_sign_in(client, concept):
    section = make_section(concept)
    for url in page_urls(concept, section):
        response = client.get(url)
        assert response.status_code == 302, url
        assert response["Location"].startswith(reverse("login") + "?next="), url


@pytest.mark.django_db
def test_document_is_numbered_and_shows_who_changed_each_section(expert_client, concept, expert):
    general = make_section(concept, "General provisions", "Purpose of the **Concept**.", user=expert)
    make_section(concept, "Scope", "Қазақстан Республикасы.", parent=general)

    response = expert_client.get(reverse("drafting:concept-document", args=[concept.pk]))

    text = response.text
    assert '<span class="section-number">1.</span>' in text
    assert '<span class="section-number">1.1.</span>' in text
    assert "<strong>Concept</strong>" in text
    assert "Қазақстан Республикасы." in text
    assert "Aigul Expert" in text


@pytest.mark.django_db
def test_document_page_makes_the_same_queries_for_5_and_60_sections(
    expert_client, concept, django_assert_max_num_queries
):
    url = reverse("drafting:concept-document", args=[concept.pk])
    make_sections = lambda n: [make_section(concept, f"Section {i}", f"Text {i}.") for i in range(n)]  # noqa: E731

    # The first read after a change builds the body and stores it in the shared cache.
    make_sections(5)
    with django_assert_max_num_queries(15):
        small = expert_client.get(url)
    make_sections(55)
    with django_assert_max_num_queries(15):
        large = expert_client.get(url)
    assert small.text.count('class="doc-section"') == 5
    assert large.text.count('class="doc-section"') == 60


@pytest.mark.django_db
def test_document_page_read_again_is_served_from_the_cache_without_reading_sections(
    expert_client, concept, django_assert_max_num_queries
):
    url = reverse("drafting:concept-document", args=[concept.pk])
    for i in range(30):
        make_section(concept, f"Section {i}", f"Text {i}.")
    first = expert_client.get(url)

    with django_assert_max_num_queries(9) as captured:
        again = expert_client.get(url)

    article = re.compile(r'<article class="document">.*</article>', re.S)
    assert article.search(again.text).group() == article.search(first.text).group()
    assert not any('FROM "drafting_section"' in q["sql"] and "SUM(" not in q["sql"] for q in captured.captured_queries)


@pytest.mark.django_db
def test_document_page_shows_a_change_of_text_heading_or_order_at_once(expert_client, concept, expert):
    url = reverse("drafting:concept-document", args=[concept.pk])
    first = make_section(concept, "Goals", "Old words.", user=expert)
    second = make_section(concept, "Principles", "Principle text.", user=expert)
    expert_client.get(url)

    services.section_edit(section=first, base_version=1, body="New words.", user=expert, summary="s")
    assert "New words." in expert_client.get(url).text

    services.section_rename(section=second, heading="Basic principles", user=expert)
    services.section_move(section=second, direction="up", user=expert)
    text = expert_client.get(url).text
    assert text.index("Basic principles") < text.index("Goals")
    assert '<span class="section-number">1.</span> <a href="/sections/%d/">Basic principles' % second.pk in text


@pytest.mark.django_db
def test_document_page_is_cached_per_language(client, concept, expert):
    section = make_section(concept, "Goals", "Text.", user=expert)
    client.force_login(expert)
    url = reverse("drafting:concept-document", args=[concept.pk])

    english = client.get(url, HTTP_ACCEPT_LANGUAGE="en").text
    russian = client.get(url, HTTP_ACCEPT_LANGUAGE="ru").text

    changed = timezone.localtime(section.history.get().history_date)
    with translation.override("ru"):
        russian_month = date_format(changed, "M")
    with translation.override("en"):
        english_month = date_format(changed, "M")
    assert f"{changed.day} {english_month} {changed.year}" in english
    assert f"{changed.day} {russian_month} {changed.year}" in russian


@pytest.mark.django_db
def test_document_page_offers_edit_links_only_to_those_who_may_edit(client, concept, expert, staff):
    section = make_section(concept, "Goals", "Text.", user=expert)
    edit_url = reverse("drafting:section-edit", args=[section.pk])
    url = reverse("drafting:concept-document", args=[concept.pk])

    client.force_login(expert)
    assert edit_url in client.get(url).text
    client.force_login(staff)
    assert edit_url not in client.get(url).text


@pytest.mark.django_db
def test_document_never_renders_markdown_on_read(expert_client, concept, monkeypatch):
    make_section(concept, "General", "Some *text*.")
    monkeypatch.setattr("drafting.markdown.render_markdown", lambda text: pytest.fail("rendered on read"))
    response = expert_client.get(reverse("drafting:concept-document", args=[concept.pk]))
    assert "<em>text</em>" in response.text


@pytest.mark.django_db
def test_section_page_shows_its_last_changes_and_history_link(expert_client, concept, expert):
    section = make_section(concept, "Goals", "Text.", user=expert)
    response = expert_client.get(section.get_absolute_url())
    assert "Added section “Goals”" in response.text
    assert reverse("drafting:section-history", args=[section.pk]) in response.text


@pytest.mark.django_db
def test_toc_lists_the_numbered_outline(expert_client, concept):
    general = make_section(concept, "General")
    make_section(concept, "Purpose", parent=general)
    response = expert_client.get(reverse("drafting:concept-toc", args=[concept.pk]))
    assert [(n.number, n.section.heading) for n in response.context["outline"][0].children] == [("1.1", "Purpose")]


@pytest.mark.django_db
def test_pages_carry_the_content_security_policy_with_a_script_nonce(expert_client, concept):
    section = make_section(concept)
    response = expert_client.get(reverse("drafting:section-edit", args=[section.pk]))
    policy = response["Content-Security-Policy"]
    assert "script-src 'self' 'nonce-" in policy
    assert "unsafe-inline" not in policy
    nonce = policy.split("'nonce-", 1)[1].split("'", 1)[0]
    assert f'nonce="{nonce}"' in response.text
    assert not re.search(r"<[^>]+\son[a-z]+=", response.text), "inline event handlers are refused by the CSP"


@pytest.mark.django_db
def test_signed_in_header_shows_name_role_and_sign_out(expert_client, concept):
    response = expert_client.get(reverse("drafting:concept-toc", args=[concept.pk]))
    assert "Aigul Expert" in response.text
    assert "Sign out" in response.text
    assert ">Expert<" in response.text


def _manage(env_extra):
    env = {"PATH": "/usr/bin:/bin", "DATABASE_URL": "sqlite:///:memory:", **env_extra}
    return subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
    )


def test_deploy_check_is_clean_with_production_settings():
    result = _manage(
        {
            "DEBUG": "false",
            "SECRET_KEY": "x" * 30 + "-a-long-and-random-production-secret-7f3c9a",
            "ALLOWED_HOSTS": "concept.kisi.kz",
            "CSRF_TRUSTED_ORIGINS": "https://concept.kisi.kz",
            "EMAIL_HOST": "smtp.kisi.kz",
        }
    )
    assert result.returncode == 0, result.stderr
    assert "System check identified no issues" in result.stdout


def test_production_refuses_the_development_secret():
    result = _manage({"DEBUG": "false", "ALLOWED_HOSTS": "concept.kisi.kz"})
    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr
    assert "SECRET_KEY must be set" in result.stderr


@pytest.mark.django_db
def test_navigation_kept_by_the_worker_still_follows_each_readers_role(client, concept, expert, coordinator):
    url = reverse("drafting:concept-toc", args=[concept.pk])
    queue = reverse("drafting:merge-queue", args=[concept.pk])

    client.force_login(expert)
    assert queue not in client.get(url).text
    client.force_login(coordinator)
    assert queue in client.get(url).text
    client.force_login(expert)
    assert queue not in client.get(url).text
    assert 'aria-current="page"' in client.get(url).text
