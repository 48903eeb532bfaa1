import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from drafting import selectors, services
from drafting.models import Activity, ChangeReason, Notice, Position, Proposal, RevisionKind, change_reason_display
from members.models import Expert
from tests.factories import ExpertFactory, make_section

BASE = "Срок рассмотрения составляет 14 дней. Органы shall inform the Assembly. Итоги публикуются."


@pytest.fixture
def section(concept, expert):
    return make_section(concept, "Mechanisms", BASE, user=expert)


def propose(section, author, text, title="Shorter term"):
    return services.proposal_create_amendment(
        section=section, author=author, title=title, text=text, rationale="Because.", base_version=section.version
    )


# --- merging ---


@pytest.mark.django_db
def test_merge_on_an_unchanged_base_applies_the_proposed_text(section, expert, coordinator):
    proposal = propose(section, expert, BASE.replace("14", "10"))

    outcome = services.proposal_merge(proposal=proposal, merged_by=coordinator)

    assert outcome.status == "merged"
    section.refresh_from_db()
    assert section.body == BASE.replace("14", "10")
    row = section.history.latest()
    assert row.history_user == coordinator
    assert (row.change_kind, row.proposal_id) == (RevisionKind.MERGE, proposal.pk)
    assert (row.change_data, row.history_change_reason) == ({"proposal": proposal.pk, "author": "Aigul Expert"}, "")
    with translation.override("en"):
        assert row.reason_display() == "Merged proposal #%s by Aigul Expert" % proposal.pk
    proposal.refresh_from_db()
    assert (proposal.status, proposal.merged_version, proposal.decided_by) == ("merged", 2, coordinator)


@pytest.mark.django_db
def test_stale_proposal_merges_cleanly_with_a_later_edit(section, expert, other_expert, coordinator):
    proposal = propose(section, expert, BASE.replace("14", "10"))
    services.section_edit(
        section=section, base_version=1, body=BASE.replace("shall", "must"), user=other_expert, summary="Verb"
    )
    section.refresh_from_db()

    plan = selectors.proposal_merge_plan(proposal)
    assert plan.stale and plan.clean
    services.proposal_merge(
        proposal=proposal, merged_by=coordinator, text=plan.merge.text, planned_version=plan.version
    )

    section.refresh_from_db()
    assert section.body == BASE.replace("14", "10").replace("shall", "must")


@pytest.mark.django_db
def test_overlapping_conflict_is_resolved_by_hand(section, expert, other_expert, coordinator):
    proposal = propose(section, expert, BASE.replace("14 дней", "10 дней"))
    services.section_edit(
        section=section, base_version=1, body=BASE.replace("14 дней", "один месяц"), user=other_expert, summary="Month"
    )
    section.refresh_from_db()

    outcome = services.proposal_merge(proposal=proposal, merged_by=coordinator)
    assert outcome.status == "conflict"
    assert outcome.plan.merge.conflicts[0].current.strip().startswith("один")
    section.refresh_from_db()
    assert section.version == 2

    resolved = BASE.replace("14 дней", "10 дней (не более одного месяца)")
    outcome = services.proposal_merge(
        proposal=proposal, merged_by=coordinator, text=resolved, planned_version=outcome.plan.version
    )
    assert outcome.status == "merged"
    section.refresh_from_db()
    assert section.body == resolved


@pytest.mark.django_db
def test_a_merge_planned_on_an_older_revision_is_merged_again_not_applied_blindly(
    section, expert, other_expert, coordinator
):
    proposal = propose(section, expert, BASE.replace("14", "10"))
    plan = selectors.proposal_merge_plan(proposal)
    services.section_edit(
        section=section, base_version=1, body=BASE.replace("Итоги", "Результаты"), user=other_expert, summary="Word"
    )

    services.proposal_merge(
        proposal=proposal, merged_by=coordinator, text=plan.merge.text, planned_version=plan.version
    )

    section.refresh_from_db()
    assert section.body == BASE.replace("14", "10").replace("Итоги", "Результаты")


@pytest.mark.django_db
@pytest.mark.parametrize("close", ["withdraw", "reject", "merge"])
def test_a_closed_proposal_cannot_be_merged(section, expert, coordinator, close):
    proposal = propose(section, expert, BASE.replace("14", "10"))
    if close == "withdraw":
        services.proposal_withdraw(proposal=proposal, user=expert)
    elif close == "reject":
        services.proposal_reject(proposal=proposal, decided_by=coordinator, reason="Out of scope")
    else:
        services.proposal_merge(proposal=proposal, merged_by=coordinator)
    with pytest.raises(ValidationError, match="can no longer be merged"):
        services.proposal_merge(proposal=proposal, merged_by=coordinator)


@pytest.mark.django_db
def test_merging_one_alternative_marks_the_other_for_review(section, expert, other_expert, coordinator):
    first = propose(section, expert, BASE.replace("14 дней", "10 дней"))
    second = propose(section, other_expert, BASE.replace("14 дней", "30 дней"), "Longer")
    unrelated = propose(section, other_expert, BASE.replace("Итоги", "Результаты"), "Word")

    services.proposal_merge(proposal=first, merged_by=coordinator)

    second.refresh_from_db()
    unrelated.refresh_from_db()
    assert second.status == Proposal.Status.NEEDS_REVIEW
    assert unrelated.status == Proposal.Status.OPEN
    assert Notice.objects.filter(recipient=other_expert, activity__proposal=second).exists()


@pytest.mark.django_db
def test_accepted_new_section_is_created_at_the_proposed_place(concept, section, expert, coordinator):
    proposal = services.proposal_create_section(
        concept=concept,
        author=expert,
        title="Add APK",
        heading="Assembly of People of Kazakhstan",
        text="Модернизация институтов Ассамблеи.",
        rationale="Georgy Kan's point",
        parent=section,
    )
    outcome = services.proposal_merge(proposal=proposal, merged_by=coordinator)

    new = outcome.section
    assert (new.parent, new.heading, new.body) == (
        section,
        "Assembly of People of Kazakhstan",
        "Модернизация институтов Ассамблеи.",
    )
    assert selectors.section_number(new) == "1.1"
    row = new.history.get()
    assert row.change_kind == RevisionKind.MERGE
    assert row.change_data == {"proposal": proposal.pk, "author": "Aigul Expert"}
    # The merge is the proposal's event: no second "added a section" entry.
    assert list(Activity.objects.filter(section=new).values_list("verb", flat=True)) == [Activity.Verb.MERGED]


@pytest.mark.django_db
def test_reject_needs_a_reason_and_notifies_the_author(section, expert, coordinator):
    proposal = propose(section, expert, BASE.replace("14", "10"))
    with pytest.raises(ValidationError, match="reason"):
        services.proposal_reject(proposal=proposal, decided_by=coordinator, reason="  ")
    services.proposal_reject(proposal=proposal, decided_by=coordinator, reason="Contradicts section 2")
    proposal.refresh_from_db()
    assert (proposal.status, proposal.decision_reason) == ("rejected", "Contradicts section 2")
    assert Notice.objects.filter(recipient=expert, activity__verb=Activity.Verb.REJECTED).exists()


@pytest.mark.django_db
def test_merge_credits_the_author_in_attribution(section, expert, coordinator):
    proposal = propose(section, expert, BASE + "\n\nНовый абзац о диалоге.")
    services.proposal_merge(proposal=proposal, merged_by=coordinator)
    section.refresh_from_db()
    paragraphs = selectors.section_attribution(section)
    assert paragraphs[-1].origin.proposal_id == proposal.pk
    assert paragraphs[-1].origin.proposal_author == "Aigul Expert"
    assert paragraphs[-1].origin.user_name == "Kanat Coordinator"


@pytest.mark.django_db
def test_author_revision_keeps_history_and_reopens_after_review(section, expert, other_expert, coordinator):
    proposal = propose(section, expert, BASE.replace("14", "10"))
    services.proposal_update(
        proposal=proposal, user=expert, title="T2", text=BASE.replace("14", "12"), rationale="Better"
    )
    assert proposal.history.count() == 2
    with pytest.raises(ValidationError, match="Only the author"):
        services.proposal_update(proposal=proposal, user=other_expert, title="x", text="y", rationale="z")


@pytest.mark.django_db
def test_proposal_identical_to_the_section_is_refused(section, expert):
    with pytest.raises(ValidationError, match="same as the section"):
        propose(section, expert, BASE)


# --- positions ---


@pytest.mark.django_db
def test_one_position_per_expert_which_can_change_with_history(section, expert):
    proposal = propose(section, expert, BASE.replace("14", "10"))
    me = Expert.objects.get(user=expert)
    services.position_record(proposal=proposal, expert=me, stance="support")
    services.position_record(proposal=proposal, expert=me, stance="object", reason="Too short")
    position = Position.objects.get()
    assert (position.stance, position.reason) == ("object", "Too short")
    assert [h.history_change_reason for h in position.history.order_by("history_id")] == [
        ChangeReason.POSITION_TAKEN,
        ChangeReason.POSITION_CHANGED,
    ]
    with translation.override("en"):
        assert [change_reason_display(h.history_change_reason) for h in position.history.order_by("history_id")] == [
            "Took a position",
            "Changed position",
        ]


@pytest.mark.django_db
def test_an_objection_without_a_reason_is_refused(section, expert):
    proposal = propose(section, expert, BASE.replace("14", "10"))
    with pytest.raises(ValidationError, match="needs a reason"):
        services.position_record(proposal=proposal, expert=Expert.objects.get(user=expert), stance="object", reason=" ")
    assert not Position.objects.exists()


@pytest.mark.django_db
def test_consensus_is_split_by_bloc_with_who_has_not_answered(section, expert, other_expert):
    proposal = propose(section, expert, BASE.replace("14", "10"))
    scientist = Expert.objects.get(user=expert)
    practitioner = Expert.objects.get(user=other_expert)
    silent = ExpertFactory(full_name="Silent Member", bloc=Expert.Bloc.PRACTITIONER)
    services.position_record(proposal=proposal, expert=scientist, stance="support")
    services.position_record(proposal=proposal, expert=practitioner, stance="object", reason="Unclear")

    consensus = selectors.proposal_consensus(proposal)

    scientific, practitioners = consensus.blocs
    assert scientific.counts == {"support": 1, "live_with": 0, "object": 0}
    assert practitioners.counts == {"support": 0, "live_with": 0, "object": 1}
    assert practitioners.positions[0].reason == "Unclear"
    assert [e.full_name for e in practitioners.not_answered] == [silent.full_name]
    assert not consensus.balanced_support


@pytest.mark.django_db
def test_objection_notifies_the_author(section, expert, other_expert):
    proposal = propose(section, expert, BASE.replace("14", "10"))
    services.position_record(
        proposal=proposal, expert=Expert.objects.get(user=other_expert), stance="object", reason="No"
    )
    assert Notice.objects.filter(recipient=expert, activity__verb=Activity.Verb.OBJECTED).count() == 1


# --- comments and anchors ---


@pytest.mark.django_db
def test_threaded_replies_two_levels_deep_and_no_deeper_than_three(section, expert, other_expert):
    root = services.comment_add(author=expert, body="Root", section=section)
    reply = services.comment_add(author=other_expert, body="Reply", parent=root)
    services.comment_add(author=expert, body="Reply to reply", parent=reply)
    deepest = root.replies.get().replies.get()
    with pytest.raises(ValidationError, match="levels deep"):
        services.comment_add(author=expert, body="Too deep", parent=deepest)
    assert Notice.objects.filter(recipient=expert, activity__verb=Activity.Verb.COMMENTED).count() == 1


@pytest.mark.django_db
@pytest.mark.parametrize(
    "new_body, status",
    [
        (BASE, "exact"),
        (
            "Новый первый абзац.\n\n"
            + BASE.replace("Итоги публикуются.", "")
            + "\n\nОрганы shall inform the Assembly.",
            "moved",
        ),
        (BASE.replace("shall inform the Assembly", "shall promptly inform the Assembly"), "changed"),
        ("Совсем другой текст раздела без этой фразы.", "lost"),
    ],
)
def test_comment_quote_is_re_anchored_as_the_text_changes(section, expert, other_expert, new_body, status):
    comment = services.comment_add(
        author=expert, body="Why shall?", section=section, quote="Органы shall inform the Assembly."
    )
    if new_body != BASE:
        services.section_edit(section=section, base_version=1, body=new_body, user=other_expert, summary="x")
    section.refresh_from_db()

    [thread] = selectors.comment_threads(section=section)

    assert thread.comment == comment
    assert thread.anchor.status == status
    assert comment.quote == "Органы shall inform the Assembly."  # the original quote is kept


@pytest.mark.django_db
def test_quote_not_in_the_section_is_refused(section, expert):
    with pytest.raises(ValidationError, match="not in the text of this section"):
        services.comment_add(author=expert, body="x", section=section, quote="words that are not there")


@pytest.mark.django_db
def test_thread_author_or_coordinator_resolves(section, expert, other_expert, coordinator):
    root = services.comment_add(author=expert, body="Root", section=section)
    with pytest.raises(ValidationError, match="Only the author"):
        services.comment_set_resolved(comment=root, user=other_expert, resolved=True)
    services.comment_set_resolved(comment=root, user=coordinator, resolved=True)
    root.refresh_from_db()
    assert root.is_resolved
    services.comment_set_resolved(comment=root, user=expert, resolved=False)
    root.refresh_from_db()
    assert not root.is_resolved
    assert [h.history_change_reason for h in root.history.order_by("history_id")] == ["written", "resolved", "reopened"]


@pytest.mark.django_db
def test_comment_body_is_sanitised_and_edit_keeps_history(section, expert):
    comment = services.comment_add(author=expert, body="<script>x</script> **ok**", section=section)
    assert "<script>" not in comment.body_html and "<strong>ok</strong>" in comment.body_html
    services.comment_edit(comment=comment, user=expert, body="Changed")
    assert comment.history.count() == 2
