"""Which events make which notices for whom, and which of them are mailed at once."""

from datetime import timedelta

from django.core import mail
from django.utils import timezone

from drafting import services
from drafting.models import Activity, Notice
from members.models import Expert
from notifications.categories import Category, Frequency
from notifications.models import Mail, Watch
from notifications.services import preferences, watches
from notifications.services.digests import digests_send
from notifications.services.visits import mark_visited
from tests.factories import ExpertFactory, make_section


def _notices(user):
    return {(n.activity.verb, n.category) for n in Notice.objects.filter(recipient=user).select_related("activity")}


def test_a_proposal_tells_the_section_watchers_and_asks_everyone_else_for_a_position(
    concept, expert, other_expert, coordinator
):
    section = make_section(concept, "Goals", "Unity.", user=coordinator)
    watches.watch_add(user=other_expert, section=section)
    services.proposal_create_amendment(
        section=section,
        author=expert,
        title="Sharper",
        text="Unity of the people.",
        rationale="Clearer.",
        base_version=1,
    )
    assert _notices(other_expert) == {("proposed", Category.PROPOSAL)}
    assert _notices(coordinator) == {("proposed", Category.AWAITING)}
    assert _notices(expert) == set()  # never the actor


def test_proposing_commenting_and_taking_a_position_watch_the_item(concept, expert, other_expert):
    section = make_section(concept, "Goals", "Unity.", user=expert)
    proposal = services.proposal_create_amendment(
        section=section, author=expert, title="Sharper", text="Unity of all.", rationale="Clearer.", base_version=1
    )
    services.position_record(proposal=proposal, expert=other_expert.expert, stance="support")
    services.comment_add(author=other_expert, body="Fine.", section=section)
    assert Watch.objects.filter(user=expert, proposal=proposal).exists()
    assert Watch.objects.filter(user=other_expert, proposal=proposal).exists()
    assert Watch.objects.filter(user=other_expert, section=section).exists()


def test_an_edit_tells_the_watchers_of_the_section_in_their_digest(concept, expert, other_expert, committed):
    section = make_section(concept, "Goals", "Unity.", user=expert)
    watches.watch_add(user=expert, section=section)
    with committed():
        services.section_edit(section=section, base_version=1, body="Unity of all.", user=other_expert, summary="All")
    assert _notices(expert) == {("edited", Category.SECTION)}
    assert not Mail.objects.filter(recipient=expert).exists()  # daily by default: no mail now
    assert len(mail.outbox) == 0


def test_a_decision_on_my_proposal_is_mailed_at_once_in_my_language(concept, expert, coordinator, deliver, committed):
    from members.services import account_language_set

    account_language_set(user=expert, language="ru")
    section = make_section(concept, "Goals", "Unity.", user=coordinator)
    proposal = services.proposal_create_amendment(
        section=section, author=expert, title="Sharper", text="Unity now.", rationale="Clearer.", base_version=1
    )
    with committed():
        services.proposal_reject(proposal=proposal, decided_by=coordinator, reason="Not now.")
    deliver()
    sent = [m for m in mail.outbox if m.to == [expert.email]]
    assert len(sent) == 1
    assert "отклонил(а) предложение" in sent[0].subject  # the recipient's language, not the actor's
    assert sent[0].extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert "Unity." not in sent[0].body  # never the draft's text
    assert Mail.objects.get(recipient=expert).state == Mail.State.SENT


def test_settings_are_respected_off_sends_nothing_but_the_notice_stays(
    concept, expert, coordinator, deliver, committed
):
    preferences.preferences_set(user=expert, choices={Category.DECISION: Frequency.OFF})
    section = make_section(concept, "Goals", "Unity.", user=coordinator)
    proposal = services.proposal_create_amendment(
        section=section, author=expert, title="Sharper", text="Unity now.", rationale="Clearer.", base_version=1
    )
    with committed():
        services.proposal_reject(proposal=proposal, decided_by=coordinator, reason="Not now.")
    deliver()
    assert mail.outbox == []
    assert ("rejected", Category.DECISION) in _notices(expert)


def test_a_watched_item_sends_one_immediate_mail_until_the_person_visits_it(
    concept, expert, other_expert, coordinator, deliver, committed
):
    preferences.preferences_set(user=expert, choices={Category.DISCUSSION: Frequency.IMMEDIATELY})
    section = make_section(concept, "Goals", "Unity.", user=coordinator)
    proposal = services.proposal_create_amendment(
        section=section, author=coordinator, title="Sharper", text="Unity!", rationale="Clearer.", base_version=1
    )
    watches.watch_add(user=expert, proposal=proposal)
    with committed():
        services.comment_add(author=other_expert, body="One.", proposal=proposal)
        services.comment_add(author=other_expert, body="Two.", proposal=proposal)
    deliver()
    assert len([m for m in mail.outbox if m.to == [expert.email]]) == 1
    assert Notice.objects.filter(recipient=expert, activity__verb="commented").count() == 2
    mark_visited(expert, proposal=proposal)
    assert not Notice.objects.filter(recipient=expert, read_at=None).exists()
    with committed():
        services.comment_add(author=other_expert, body="Three.", proposal=proposal)
    deliver()
    assert len([m for m in mail.outbox if m.to == [expert.email]]) == 2


def test_the_digest_groups_by_section_then_proposal_newest_first_with_names_once(
    concept, expert, other_expert, coordinator, deliver, committed
):
    goals = make_section(concept, "Goals", "Unity.", user=coordinator)
    means = make_section(concept, "Means", "Schools.", user=coordinator)
    for section in (goals, means):
        watches.watch_add(user=expert, section=section)
    services.section_edit(section=goals, base_version=1, body="Unity of all.", user=other_expert, summary="First")
    services.section_edit(
        section=goals, base_version=2, body="Unity of all people.", user=other_expert, summary="Second"
    )
    services.section_edit(section=means, base_version=1, body="Schools and media.", user=coordinator, summary="Media")
    with committed():
        assert digests_send(frequency=Frequency.DAILY, now=timezone.now() + timedelta(seconds=1)) >= 1
    deliver()
    digest = next(m for m in mail.outbox if m.to == [expert.email])
    body = digest.body
    assert body.index("Means") < body.index("Goals")  # the newest change first
    assert body.index("Second") < body.index("First")
    assert body.count("Marat Other") == 1  # the names of a group once
    assert f"/sections/{goals.pk}/compare/?from=2&to=3" in body  # straight to the diff
    assert "Unity of all people." not in body  # never the draft's text
    html = digest.alternatives[0].content
    assert "<h2" in html and "Second" in html
    # Nothing new: no second digest the same day, and none at all the next.
    with committed():
        assert digests_send(frequency=Frequency.DAILY, now=timezone.now() + timedelta(seconds=2)) == 0
        assert digests_send(frequency=Frequency.DAILY, now=timezone.now() + timedelta(days=1)) == 0


def test_creating_the_notices_for_25_watchers_takes_a_fixed_number_of_queries(
    concept, expert, django_assert_num_queries
):
    section = make_section(concept, "Goals", "Unity.", user=expert)
    for _ in range(25):
        watches.watch_add(user=ExpertFactory().user, section=section)
    preferences.preferences_set(user=Watch.objects.first().user, choices={Category.SECTION: Frequency.IMMEDIATELY})
    from drafting.services.activity import record

    with django_assert_num_queries(9):
        record(expert, Activity.Verb.EDITED, data={"heading": "Goals", "version": 2, "summary": ""}, section=section)
    assert Notice.objects.filter(activity__verb="edited").count() == 25
    assert Mail.objects.count() == 1


def test_a_new_edition_and_a_meeting_reach_every_active_member(concept, expert, coordinator):
    inactive = ExpertFactory(is_active=False).user
    services.edition_freeze(concept=concept, name="Draft 0.1", user=coordinator)
    meeting = services.meeting_schedule(
        concept=concept, user=coordinator, title="Online", starts_at=timezone.now() + timedelta(days=2)
    )
    assert _notices(expert) == {("froze", Category.EDITION), ("scheduled", Category.MEETING)}
    assert _notices(inactive) == set()
    assert Activity.objects.get(verb="scheduled").meeting == meeting
    assert Expert.objects.count() == 3


def test_publishing_the_minutes_mails_the_outcomes(concept, expert, coordinator, deliver):
    section = make_section(concept, "Goals", "Unity.", user=coordinator)
    proposal = services.proposal_create_amendment(
        section=section, author=expert, title="Sharper", text="Unity now.", rationale="Clearer.", base_version=1
    )
    meeting = services.meeting_schedule(
        concept=concept,
        user=coordinator,
        title="Online",
        starts_at=timezone.now() - timedelta(hours=1),
        proposals=[proposal],
    )
    services.meeting_record_outcome(
        meeting=meeting, proposal=proposal, outcome="postponed", note="Next time", user=coordinator
    )
    deliver()
    mail.outbox.clear()
    services.meeting_update(meeting=meeting, user=coordinator, minutes="We met and talked.")
    services.meeting_update(meeting=meeting, user=coordinator, minutes="We met and talked.")  # unchanged: nothing
    services.meeting_update(meeting=meeting, user=coordinator, minutes="We met and talked at length.")  # a fix
    deliver()
    minutes = [m for m in mail.outbox if m.to == [expert.email]]
    assert len(minutes) == 1
    assert "Minutes of the meeting “Online”" in minutes[0].subject
    assert "Proposal #%s “Sharper”: Postponed (Next time)" % proposal.pk in minutes[0].body
    assert "We met and talked." not in minutes[0].body  # a link, not the minutes themselves
    assert not minutes[0].attachments


def test_any_position_on_my_proposal_is_a_position_notice_for_me(concept, expert, other_expert):
    section = make_section(concept, "Goals", "Unity.", user=expert)
    proposal = services.proposal_create_amendment(
        section=section, author=expert, title="Sharper", text="Unity now.", rationale="Clearer.", base_version=1
    )
    services.position_record(proposal=proposal, expert=other_expert.expert, stance="support")
    services.position_record(proposal=proposal, expert=other_expert.expert, stance="object", reason="Too broad.")
    assert _notices(expert) == {("took_position", Category.POSITION), ("objected", Category.POSITION)}
