import re
import subprocess
import sys
from pathlib import Path

import pytest
from django.urls import reverse

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

    make_sections(5)
    with django_assert_max_num_queries(8):
        small = expert_client.get(url)
    make_sections(55)
    with django_assert_max_num_queries(8):
        large = expert_client.get(url)
    assert small.text.count('class="doc-section"') == 5
    assert large.text.count('class="doc-section"') == 60


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
        cwd=ROOT, env=env, capture_output=True, text=True,
    )


def test_deploy_check_is_clean_with_production_settings():
    result = _manage({
        "DEBUG": "false", "SECRET_KEY": "x" * 30 + "-a-long-and-random-production-secret-7f3c9a",
        "ALLOWED_HOSTS": "concept.kisi.kz", "CSRF_TRUSTED_ORIGINS": "https://concept.kisi.kz",
        "EMAIL_HOST": "smtp.kisi.kz",
    })
    assert result.returncode == 0, result.stderr
    assert "System check identified no issues" in result.stdout


def test_production_refuses_the_development_secret():
    result = _manage({"DEBUG": "false", "ALLOWED_HOSTS": "concept.kisi.kz"})
    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr
    assert "SECRET_KEY must be set" in result.stderr
