"""The document page's cached body is keyed by a stamp that every change it shows raises, read in one query."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from drafting import services
from drafting.selectors.documents import document_stamp
from tests.factories import make_parallel_text, make_section

pytestmark = pytest.mark.django_db


@pytest.fixture
def section(concept, expert):
    return make_section(concept, "Цели", "Единство народа Казахстана.", user=expert)


def test_every_change_the_document_shows_raises_the_stamp(concept, section, expert, coordinator):
    changes = [
        lambda: services.section_edit(
            section=section, base_version=section.version, body="Единство народа.", user=expert, summary=""
        ),
        lambda: services.section_rename(section=section, heading="Задачи", user=coordinator),
        lambda: services.comment_add(author=expert, body="Точнее?", section=section, quote="Единство"),
        lambda: services.comment_edit(comment=section.comments.get(), user=expert, body="Точнее, пожалуйста."),
        lambda: services.comment_set_resolved(comment=section.comments.get(), user=expert, resolved=True),
        lambda: make_parallel_text(section, "Халық бірлігі.", user=expert),
    ]
    stamps = [document_stamp(concept)]
    for change in changes:
        section.refresh_from_db()
        change()
        stamps.append(document_stamp(concept))
    assert len(set(stamps)) == len(stamps), stamps


def test_a_comment_on_a_proposal_or_a_position_leaves_the_stamp_alone(concept, section, expert, other_expert):
    proposal = services.proposal_create_amendment(
        section=section, author=expert, title="T", text="Новый текст.", rationale="R", base_version=section.version
    )
    before = document_stamp(concept)
    services.comment_add(author=other_expert, body="Нет.", proposal=proposal)
    services.position_record(proposal=proposal, expert=other_expert.expert, stance="object", reason="Нет.")
    assert document_stamp(concept) == before


def test_the_stamp_is_one_query_whatever_the_history(concept, section, expert):
    for n in range(30):
        section.refresh_from_db()
        services.section_edit(
            section=section, base_version=section.version, body=f"Текст {n}.", user=expert, summary=""
        )
        services.comment_add(author=expert, body=f"Комментарий {n}.", section=section)
    with CaptureQueriesContext(connection) as queries:
        document_stamp(concept)
    assert len(queries) == 1


def test_another_concepts_changes_leave_this_stamp_alone(concept, section, expert):
    from tests.factories import ConceptFactory

    before = document_stamp(concept)
    make_section(ConceptFactory(title="Другая"), "Раздел", "Текст.", user=expert)
    assert document_stamp(concept) == before
