"""Pages whose cost does not grow with the history behind them.

The history page, "who wrote this" and the merge queue read what they show, never every past
body; the stored attribution equals the walk over the whole history, whatever the edits.
"""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from drafting import selectors, services
from drafting.models import Proposal, Section
from drafting.selectors.outline import _latest_change as latest_change
from drafting.text import attribute_paragraphs
from tests.factories import make_section

HISTORY_BODY = '"drafting_historicalsection"."body"'

PARAGRAPHS = ["Срок 14 дней.", "Заявитель подаёт заявление.", "Қазақстан халқы.", "Решение принимает аким."]


def edit(section: Section, body: str, user) -> Section:
    outcome = services.section_edit(section=section, base_version=section.version, body=body, user=user, summary="s")
    assert outcome.saved
    return outcome.section


def grow(section: Section, revisions: int, user) -> Section:
    for n in range(revisions):
        section = edit(section, f"{section.body}\n\nАбзац {n}.", user)
    return section


def stored_origins(section: Section) -> list[int]:
    return section.history.get(version=section.version).paragraph_origins


def walked_origins(section: Section) -> list[int]:
    walked = attribute_paragraphs(section.history.order_by("history_id").values_list("body", "version"))
    return [version for _paragraph, version in walked]


# --- the history page -----------------------------------------------------------------------


@pytest.mark.django_db
def test_history_rows_store_the_size_and_its_change(concept, expert):
    section = make_section(concept, "Goals", "Двенадцать.", user=expert)
    section = edit(section, "Двенадцать и ещё.", expert)
    section = edit(section, "Два.", expert)

    rows = section.history.order_by("history_id").values_list("size", "size_change")

    assert list(rows) == [(11, 11), (17, 6), (4, -13)]


@pytest.mark.django_db
def test_history_page_reads_only_its_page_of_rows_and_no_bodies(expert_client, concept, expert):
    section = grow(make_section(concept, "Goals", "Начало.", user=expert), 40, expert)
    url = reverse("drafting:section-history", args=[section.pk])

    with CaptureQueriesContext(connection) as queries:
        response = expert_client.get(url)

    history_reads = [q["sql"] for q in queries.captured_queries if 'FROM "drafting_historicalsection"' in q["sql"]]
    assert response.status_code == 200
    assert not any(HISTORY_BODY in sql for sql in history_reads)
    assert any("LIMIT 25" in sql for sql in history_reads)
    assert ">+11<" in response.text  # "\n\nАбзац 39.": the size change stored on the row


# --- "who wrote this" ---------------------------------------------------------------------------


@pytest.mark.django_db
def test_attribution_reads_the_stored_row_not_the_history(
    expert_client, concept, expert, other_expert, django_assert_max_num_queries
):
    section = grow(make_section(concept, "Goals", "Начало.", user=expert), 5, expert)
    url = reverse("drafting:section-attribution", args=[section.pk])
    with django_assert_max_num_queries(9):
        expert_client.get(url)

    section = grow(section, 45, expert)
    section = edit(section, section.body.replace("Абзац 44.", "Абзац сорок четыре."), other_expert)
    with django_assert_max_num_queries(9), CaptureQueriesContext(connection) as queries:
        response = expert_client.get(url)

    assert not any(HISTORY_BODY in q["sql"] for q in queries.captured_queries)
    paragraphs = response.context["paragraphs"]
    assert [p.origin.version for p in paragraphs][:2] == [1, 2]
    assert paragraphs[-1].text == "Абзац сорок четыре." and paragraphs[-1].origin.user_name == "Marat Other"


@pytest.mark.django_db
def test_a_revision_without_stored_attribution_is_walked_once_then_stored(concept, expert):
    section = grow(make_section(concept, "Goals", "Начало.", user=expert), 3, expert)
    Section.history.filter(id=section.pk).update(paragraph_origins=None)  # as rows written before it was stored

    assert [p.origin.version for p in selectors.section_attribution(section)] == walked_origins(section)
    section = edit(section, section.body + "\n\nКонец.", expert)
    assert stored_origins(section) == walked_origins(section) == [1, 2, 3, 4, 5]


@pytest.mark.django_db
@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    steps=st.lists(
        st.tuples(
            st.sampled_from(["edit", "merge", "revert", "outline"]),
            st.lists(st.sampled_from(PARAGRAPHS), min_size=0, max_size=4),
        ),
        min_size=1,
        max_size=8,
    )
)
def test_stored_attribution_equals_the_walk_over_the_whole_history(concept, expert, coordinator, steps):
    section = make_section(concept, "Goals", "\n\n".join(PARAGRAPHS), user=expert)
    for kind, paragraphs in steps:
        text = "\n\n".join(paragraphs)
        if kind == "edit":
            services.section_edit(section=section, base_version=section.version, body=text, user=expert, summary="s")
        elif kind == "merge" and text != section.body:
            proposal = services.proposal_create_amendment(
                section=section, author=expert, title="t", text=text, rationale="r", base_version=section.version
            )
            services.proposal_merge(proposal=proposal, merged_by=coordinator)
        elif kind == "revert" and section.version > 1:
            services.section_revert(section=section, to_version=max(1, section.version - 2), user=coordinator)
        elif kind == "outline":
            services.section_rename(section=section, heading=f"Goals {section.version}", user=coordinator)
        section.refresh_from_db()

    assert stored_origins(section) == walked_origins(section)
    assert [p.origin.version for p in selectors.section_attribution(section)] == walked_origins(section)


# --- the merge queue ------------------------------------------------------------------------------


def propose(section: Section, author, text: str) -> Proposal:
    return services.proposal_create_amendment(
        section=section, author=author, title="t", text=text, rationale="r", base_version=section.version
    )


@pytest.mark.django_db
def test_merge_queue_lists_overlapping_proposals_as_alternatives(coordinator_client, concept, expert, other_expert):
    body = "Срок 14 дней. Заявитель должен подать заявление."
    section = make_section(concept, "Goals", body, user=expert)
    first = propose(section, expert, body.replace("14", "30"))
    second = propose(section, other_expert, body.replace("14", "21"))
    third = propose(section, other_expert, body.replace("должен", "обязан"))

    response = coordinator_client.get(reverse("drafting:merge-queue", args=[concept.pk]))

    (group,) = response.context["groups"]
    assert group.alternatives == [(first.pk, second.pk)]
    assert third.pk not in {pk for pair in group.alternatives for pk in pair}


@pytest.mark.django_db
def test_merge_queue_rebases_a_stale_proposal_before_comparing(coordinator_client, concept, expert, other_expert):
    body = "Срок 14 дней. Заявитель должен подать заявление."
    section = make_section(concept, "Goals", body, user=expert)
    stale = propose(section, expert, body.replace("должен", "обязан"))
    section = edit(section, "Вступление. " + body, other_expert)  # the text moved on: offsets shift
    fresh = propose(section, other_expert, section.body.replace("должен", "может"))

    response = coordinator_client.get(reverse("drafting:merge-queue", args=[concept.pk]))

    assert response.context["groups"][0].alternatives == [(stale.pk, fresh.pk)]


# --- the document page on PostgreSQL with stale statistics -------------------------------------------


@pytest.mark.postgresql
@pytest.mark.django_db
def test_document_latest_change_lookup_uses_an_index_without_fresh_statistics(concept, expert):
    """400 sections, 10,000 history rows, statistics from when the tables were nearly empty.

    As with autovacuum off, or after a restore: the planner believes the history is tiny.
    """
    make_section(concept, "First", "Текст.", user=expert)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE drafting_section")
        cursor.execute("ANALYZE drafting_historicalsection")
    sections = Section.objects.bulk_create(
        Section(concept=concept, heading=f"S{i}", body="Текст.", body_html="<p>Текст.</p>", order=i, version=25)
        for i in range(400)
    )
    Section.history.model.objects.bulk_create(
        Section.history.model(
            id=s.pk,
            concept_id=concept.pk,
            heading=s.heading,
            body="Текст.",
            order=s.order,
            version=version,
            is_retired=False,
            created_at=s.created_at,
            updated_at=s.updated_at,
            history_type="~",
            history_date=s.updated_at,
            history_user=expert,
        )
        for s in sections
        for version in range(1, 26)
    )

    query = Section.objects.filter(concept=concept).annotate(last_changed_at=latest_change("history_date"))
    explained = query.explain()

    # Each section's row is found through an index on the section id, never by walking the
    # history table's primary key backwards.
    assert "Backward" not in explained
    assert re.search(r"Index Scan using \S+ on drafting_historicalsection", explained)
    assert re.search(r"Index Cond: \(+id = drafting_section\.id", explained)
    assert len(selectors.flatten(selectors.concept_outline(concept, with_changes=True))) == 401
