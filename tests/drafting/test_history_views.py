import pytest
from django.urls import reverse

from drafting import services
from tests.factories import make_section


def make_revisions(section, user, count):
    for i in range(count):
        services.section_edit(
            section=section,
            base_version=section.version,
            body=f"Равенство всех граждан.\n\nПравка {i} о диалоге.",
            user=user,
            summary=f"Paragraph {i}",
        )
        section.refresh_from_db()


@pytest.fixture
def section(concept, expert):
    section = make_section(concept, "Principles", "Равенство всех граждан.", user=expert)
    return section


# --- history ---


@pytest.mark.django_db
def test_history_lists_every_revision_with_who_why_and_size_change(expert_client, section, expert):
    services.section_edit(
        section=section, base_version=1, body="Равенство всех граждан страны.", user=expert, summary="Precise"
    )
    response = expert_client.get(reverse("drafting:section-history", args=[section.pk]))
    rows = list(response.context["page"])
    assert [r.version for r in rows] == [2, 1]
    assert rows[0].history_change_reason == "Precise"
    assert rows[0].size_change == len(" страны")
    assert "+7" in response.text and "Aigul Expert" in response.text


@pytest.mark.django_db
def test_history_is_paginated(expert_client, section, expert):
    make_revisions(section, expert, 30)
    response = expert_client.get(reverse("drafting:section-history", args=[section.pk]) + "?page=2")
    assert [r.version for r in response.context["page"]] == list(range(6, 0, -1))


@pytest.mark.django_db
@pytest.mark.parametrize("page", ["history", "compare", "attribution"])
def test_history_pages_use_the_same_queries_for_3_and_300_revisions(
    expert_client, section, expert, page, django_assert_max_num_queries
):
    url = reverse(f"drafting:section-{page}", args=[section.pk])
    make_revisions(section, expert, 2)
    with django_assert_max_num_queries(10):
        assert expert_client.get(url).status_code == 200
    make_revisions(section, expert, 297)
    with django_assert_max_num_queries(10):
        assert expert_client.get(url).status_code == 200


# --- compare ---


@pytest.mark.django_db
def test_compare_marks_insertions_and_deletions_word_by_word(expert_client, section, expert):
    services.section_edit(section=section, base_version=1, body="Равенство всех людей.", user=expert, summary="x")
    url = reverse("drafting:section-compare", args=[section.pk]) + "?from=1&to=2"

    inline = expert_client.get(url).text
    side = expert_client.get(url + "&mode=side").text

    assert "<del>" in inline and "граждан" in inline.split("<del>")[1].split("</del>")[0]
    assert "<ins>" in inline and "людей" in inline.split("<ins>")[1].split("</ins>")[0]
    assert "removed: " in inline and "added: " in inline  # readable without colour
    assert 'class="diff-side"' in side


@pytest.mark.django_db
@pytest.mark.parametrize("query", ["?from=1&to=99", "?from=abc", "?from=-1&to=1"])
def test_compare_of_revisions_that_do_not_exist_is_404(expert_client, section, query):
    response = expert_client.get(reverse("drafting:section-compare", args=[section.pk]) + query)
    assert response.status_code == 404


@pytest.mark.django_db
def test_compare_escapes_the_text(expert_client, section, expert):
    services.section_edit(section=section, base_version=1, body="<script>alert(1)</script>", user=expert, summary="x")
    response = expert_client.get(reverse("drafting:section-compare", args=[section.pk]))
    assert "<script>alert" not in response.text
    assert "&lt;script&gt;" in response.text


# --- revert ---


@pytest.mark.django_db
def test_coordinator_reverts_to_a_past_revision(coordinator_client, section, expert, coordinator):
    services.section_edit(section=section, base_version=1, body="Другое.", user=expert, summary="x")
    response = coordinator_client.post(reverse("drafting:section-revert", args=[section.pk]), {"version": 1})
    assert response.status_code == 302
    section.refresh_from_db()
    assert (section.version, section.body) == (3, "Равенство всех граждан.")
    latest = section.history.latest()
    assert (latest.history_user, latest.change_kind, latest.change_data) == (coordinator, "revert", {"to_version": 1})
    assert latest.history_change_reason == ""


@pytest.mark.django_db
def test_expert_cannot_revert(expert_client, section, expert):
    services.section_edit(section=section, base_version=1, body="Другое.", user=expert, summary="x")
    response = expert_client.post(reverse("drafting:section-revert", args=[section.pk]), {"version": 1})
    assert response.status_code == 403
    assert "Only coordinators may revert" in response.text
    section.refresh_from_db()
    assert section.version == 2


@pytest.mark.django_db
def test_revert_is_asked_on_a_page_and_done_only_by_post(coordinator_client, section, expert):
    services.section_edit(section=section, base_version=1, body="Другое.", user=expert, summary="x")
    url = reverse("drafting:section-revert", args=[section.pk])
    assert coordinator_client.put(url).status_code == 405
    # GET with a revision shows the confirmation page and changes nothing.
    assert coordinator_client.get(url + "?version=1").status_code == 200
    section.refresh_from_db()
    assert section.version == 2


@pytest.mark.django_db
@pytest.mark.parametrize("version", ["99", "abc", ""])
def test_revert_to_a_revision_that_does_not_exist_gives_a_message(coordinator_client, section, version):
    response = coordinator_client.post(
        reverse("drafting:section-revert", args=[section.pk]), {"version": version}, follow=True
    )
    assert response.status_code == 200
    assert any(m.level_tag == "error" for m in response.context["messages"])
    section.refresh_from_db()
    assert section.version == 1


# --- attribution ---


@pytest.mark.django_db
def test_attribution_credits_each_paragraph_to_the_revision_that_last_changed_it(
    expert_client, concept, expert, other_expert
):
    section = make_section(concept, "Goals", "Первый абзац.\n\nВторой абзац.", user=expert)
    services.section_edit(
        section=section,
        base_version=1,
        body="Первый абзац.\n\nВторой абзац, исправленный.",
        user=other_expert,
        summary="Fix second",
    )

    response = expert_client.get(reverse("drafting:section-attribution", args=[section.pk]))

    paragraphs = response.context["paragraphs"]
    assert [(p.text, p.origin.version, p.origin.user_name) for p in paragraphs] == [
        ("Первый абзац.", 1, "Aigul Expert"),
        ("Второй абзац, исправленный.", 2, "Marat Other"),
    ]
    assert "compare/?from=1&amp;to=2" in response.text


# --- revision page ---


@pytest.mark.django_db
def test_past_revision_is_shown_rendered(expert_client, section, expert):
    services.section_edit(section=section, base_version=1, body="*Новое*", user=expert, summary="x")
    response = expert_client.get(reverse("drafting:section-revision", args=[section.pk, 1]))
    assert "Равенство всех граждан." in response.text
    response = expert_client.get(reverse("drafting:section-revision", args=[section.pk, 2]))
    assert "<em>Новое</em>" in response.text
    assert expert_client.get(reverse("drafting:section-revision", args=[section.pk, 5])).status_code == 404
