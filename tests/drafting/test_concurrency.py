"""Two saves from the same base at the same moment, on PostgreSQL's real row locks."""

import threading

import pytest
from django.db import close_old_connections

from drafting import services
from drafting.models import Proposal, Section
from members.models import Expert
from tests.factories import ExpertFactory, make_section

ROUNDS = 15
BASE = "Первое предложение о языке. Второе предложение о культуре. Третье предложение о диалоге."


def run_at_once(calls):
    """Run each call in its own thread, released together by a barrier; return their results."""
    barrier = threading.Barrier(len(calls))
    results, errors = [None] * len(calls), []

    def worker(index, call):
        try:
            barrier.wait(timeout=10)
            results[index] = call()
        except Exception as error:  # reported below; a thread must not die silently
            errors.append(error)
        finally:
            close_old_connections()

    threads = [threading.Thread(target=worker, args=(i, call)) for i, call in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not errors, errors
    return results


def save_at_once(section_pk, edits):
    def edit(index, user, body):
        return lambda: services.section_edit(
            section=Section.objects.get(pk=section_pk), base_version=1, body=body, user=user, summary=f"edit {index}"
        )

    return run_at_once([edit(i, user, body) for i, (user, body) in enumerate(edits)])


def merge_at_once(proposals, coordinators):
    def merge(proposal, coordinator):
        return lambda: services.proposal_merge(proposal=Proposal.objects.get(pk=proposal.pk), merged_by=coordinator)

    return run_at_once([merge(p, c) for p, c in zip(proposals, coordinators, strict=True)])


@pytest.mark.postgresql
@pytest.mark.django_db(transaction=True)
def test_simultaneous_non_overlapping_saves_keep_both_changes(concept, expert, other_expert):
    for round_ in range(ROUNDS):
        section = make_section(concept, f"Round {round_}", BASE)
        first = BASE.replace("языке", "государственном языке")
        second = BASE.replace("диалоге", "общественном диалоге")

        outcomes = save_at_once(section.pk, [(expert, first), (other_expert, second)])

        assert sorted(o.status for o in outcomes) == ["merged", "saved"]
        section.refresh_from_db()
        assert "государственном языке" in section.body and "общественном диалоге" in section.body
        assert section.version == 3
        assert section.history.count() == 3


@pytest.mark.postgresql
@pytest.mark.django_db(transaction=True)
def test_simultaneous_overlapping_saves_keep_the_losers_text_in_the_conflict(concept, expert, other_expert):
    for round_ in range(ROUNDS):
        section = make_section(concept, f"Round {round_}", BASE)
        mine = BASE.replace("о культуре", "о культуре всех этносов")
        theirs = BASE.replace("о культуре", "о культурном наследии")

        outcomes = save_at_once(section.pk, [(expert, mine), (other_expert, theirs)])

        statuses = sorted(o.status for o in outcomes)
        assert statuses == ["conflict", "saved"]
        winner = next(o for o in outcomes if o.status == "saved")
        loser = next(o for o in outcomes if o.status == "conflict")
        loser_text = mine if winner is outcomes[1] else theirs
        section.refresh_from_db()
        assert section.body == (theirs if loser_text == mine else mine)
        assert loser_text in loser.merge.text
        assert section.version == 2


@pytest.mark.postgresql
@pytest.mark.django_db(transaction=True)
def test_two_coordinators_merging_two_proposals_at_once_keep_both_changes(concept, expert, other_expert):
    first_coordinator = ExpertFactory(role=Expert.Role.COORDINATOR).user
    second_coordinator = ExpertFactory(role=Expert.Role.COORDINATOR).user
    for round_ in range(ROUNDS):
        section = make_section(concept, f"Round {round_}", BASE)
        language = services.proposal_create_amendment(
            section=section,
            author=expert,
            title="Language",
            rationale="R",
            base_version=1,
            text=BASE.replace("языке", "государственном языке"),
        )
        dialogue = services.proposal_create_amendment(
            section=section,
            author=other_expert,
            title="Dialogue",
            rationale="R",
            base_version=1,
            text=BASE.replace("диалоге", "общественном диалоге"),
        )

        outcomes = merge_at_once([language, dialogue], [first_coordinator, second_coordinator])

        assert [o.status for o in outcomes] == ["merged", "merged"]
        section.refresh_from_db()
        assert "государственном языке" in section.body and "общественном диалоге" in section.body
        assert section.version == 3
        merges = sorted(section.history.filter(version__gt=1).values_list("change_data", flat=True), key=str)
        assert merges == sorted(
            [{"proposal": language.pk, "author": "Aigul Expert"}, {"proposal": dialogue.pk, "author": "Marat Other"}],
            key=str,
        )


@pytest.mark.postgresql
@pytest.mark.django_db(transaction=True)
def test_two_coordinators_merging_overlapping_proposals_at_once_show_the_second_a_conflict(
    concept, expert, other_expert
):
    first_coordinator = ExpertFactory(role=Expert.Role.COORDINATOR).user
    second_coordinator = ExpertFactory(role=Expert.Role.COORDINATOR).user
    for round_ in range(ROUNDS):
        section = make_section(concept, f"Round {round_}", BASE)
        one = services.proposal_create_amendment(
            section=section,
            author=expert,
            title="One",
            rationale="R",
            base_version=1,
            text=BASE.replace("о культуре", "о культуре всех этносов"),
        )
        two = services.proposal_create_amendment(
            section=section,
            author=other_expert,
            title="Two",
            rationale="R",
            base_version=1,
            text=BASE.replace("о культуре", "о культурном наследии"),
        )

        outcomes = merge_at_once([one, two], [first_coordinator, second_coordinator])

        assert sorted(o.status for o in outcomes) == ["conflict", "merged"]
        loser = next(o for o in outcomes if o.status == "conflict")
        assert loser.proposal.text in loser.plan.merge.text or loser.plan.merge.conflicts
        section.refresh_from_db()
        assert section.version == 2
        assert Proposal.objects.get(pk=loser.proposal.pk).is_open


@pytest.mark.postgresql
@pytest.mark.django_db(transaction=True)
def test_two_first_settings_changes_at_once_both_stay_and_neither_fails():
    from members.models import AccountSettings
    from members.services import account_language_set, account_paragraph_numbers_set

    for _ in range(ROUNDS):
        user = ExpertFactory().user
        outcomes = run_at_once(
            [
                lambda user=user: account_paragraph_numbers_set(user=user, shown=False),
                lambda user=user: account_language_set(user=user, language="kk"),
            ]
        )
        assert all(isinstance(o, AccountSettings) for o in outcomes), outcomes
        saved = AccountSettings.objects.get(user=user)
        assert (saved.paragraph_numbers, saved.language) == (False, "kk")
