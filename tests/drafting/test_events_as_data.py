"""Nothing translated is stored: events keep their kind and data, and read in the reader's language."""

import importlib

import pytest
from django.urls import reverse
from django.utils import translation
from django.utils.functional import Promise

from drafting import services
from drafting.forms import SectionEditForm
from drafting.models import Activity, ChangeReason, Notice, Proposal, RevisionKind, Section
from drafting.selectors import sentences
from tests.factories import make_section

events = importlib.import_module("drafting.migrations.0005_events_as_data")

SYSTEM_SENTENCES = (
    "Added section",
    "Merged proposal",
    "Reverted to revision",
    "Renamed from",
    "Moved up",
    "Moved down",
    "Moved under",
    "Retired",
    "Restored",
    "Renumbered",
    "Changed in the admin",
)


@pytest.fixture
def outline(concept, coordinator):
    first = make_section(concept, "General", "Old words.", user=coordinator)
    second = make_section(concept, "Goals", "Goal text.", user=coordinator)
    third = make_section(concept, "Principles", "Principle text.", user=coordinator)
    return first, second, third


def propose(section, author, text, title="Shorter"):
    return services.proposal_create_amendment(
        section=section, author=author, title=title, text=text, rationale="Because.", base_version=section.version
    )


# --- the mechanism: stored as data, made into a sentence when read ----------------------------


@pytest.mark.django_db
@pytest.mark.parametrize("language", ["ru", "kk"])
def test_an_activity_created_in_english_reads_in_the_readers_language(outline, expert, coordinator, language):
    section = outline[0]
    with translation.override("en"):
        proposal = propose(section, expert, "New words.")
        services.proposal_merge(proposal=proposal, merged_by=coordinator)
    activity = Activity.objects.get(verb=Activity.Verb.MERGED)

    # What is stored is the event's data, not a sentence in anyone's language.
    assert activity.data == {"title": "Shorter", "heading": "General", "version": 2}
    with translation.override(language):
        expected = translation.gettext(
            "%(actor)s merged #%(pk)s “%(title)s” into “%(heading)s” (revision %(version)s)"
        ) % {"actor": "Kanat Coordinator", "pk": proposal.pk, "title": "Shorter", "heading": "General", "version": 2}
        assert activity.sentence() == expected


@pytest.mark.django_db
def test_each_sentence_is_one_unit_translated_at_the_time_it_is_read(outline, coordinator, monkeypatch):
    with translation.override("en"):
        services.section_move(section=outline[1], direction="up", user=coordinator)
    activity = Activity.objects.get(verb=Activity.Verb.MOVED)
    row = outline[1].history.latest()

    # A stand-in catalogue that marks each message with the language active when it is looked up.
    monkeypatch.setattr(sentences, "gettext", lambda message: f"[{translation.get_language()}] {message}")
    with translation.override("kk"):
        assert activity.sentence() == "[kk] Kanat Coordinator moved “Goals” up"
        assert row.reason_display() == "[kk] Moved up"
    with translation.override("ru"):
        assert activity.sentence() == "[ru] Kanat Coordinator moved “Goals” up"


@pytest.mark.django_db
def test_no_system_sentence_is_stored_anywhere(outline, expert, other_expert, coordinator, staff):
    first, second, third = outline
    services.section_edit(section=first, base_version=1, body="Edited.", user=expert, summary="My own words")
    services.section_revert(section=first, to_version=1, user=coordinator)
    services.section_rename(section=second, heading="Aims", user=coordinator)
    services.section_move(section=third, direction="up", user=coordinator)
    services.section_reparent(section=third, parent=first, user=coordinator)
    services.section_set_retired(section=second, retired=True, user=coordinator)
    services.section_set_retired(section=second, retired=False, user=coordinator)
    proposal = propose(first, other_expert, "Proposed words.")
    services.position_record(proposal=proposal, expert=expert.expert, stance="object", reason="Too vague")
    services.comment_add(author=expert, body="Why?", proposal=proposal)
    services.proposal_merge(proposal=proposal, merged_by=coordinator, override_reason="Agreed by the group")
    rejected = propose(first, expert, "Other words.", title="Other")
    services.proposal_reject(proposal=rejected, decided_by=coordinator, reason="Out of scope")
    services.edition_freeze(concept=first.concept, name="Draft 0.1", user=coordinator)

    reasons = set(Section.history.model.objects.values_list("history_change_reason", flat=True))
    assert reasons == {"", "My own words"}
    stored = " ".join(str(data) for data in Activity.objects.values_list("data", flat=True))
    for sentence in SYSTEM_SENTENCES + ("needs review", "objects to", " on “", "Kanat Coordinator"):
        assert sentence not in stored
    codes = set(ChangeReason.values)
    for model in (Proposal, type(proposal.positions.get()), type(first.concept.editions.get())):
        assert set(model.history.values_list("history_change_reason", flat=True)) <= codes


@pytest.mark.django_db
def test_a_starter_section_reads_as_the_starter_outline(concept):
    section = services.section_create(concept=concept, heading="Goals", body="", user=None, reason="Starter outline")
    row = section.history.get()
    assert (row.change_kind, row.change_data, row.history_change_reason) == (
        RevisionKind.CREATE,
        {"starter": True, "heading": "Goals"},
        "",
    )
    with translation.override("en"):
        assert row.reason_display() == "Starter outline"
    assert (
        services.section_create(concept=concept, heading="Scope", user=None, starter=True)
        .history.get()
        .change_data["starter"]
    )


@pytest.mark.django_db
def test_a_persons_reason_is_kept_as_their_words(concept, coordinator):
    section = services.section_create(concept=concept, heading="Goals", user=coordinator, reason="Asked by the group")
    row = section.history.get()
    assert row.history_change_reason == "Asked by the group"
    with translation.override("en"):
        assert row.reason_display() == "Added section “Goals”: Asked by the group"


@pytest.mark.django_db
def test_change_reason_codes_read_as_labels():
    with translation.override("en"):
        from drafting.models import change_reason_display

        assert change_reason_display("position-taken") == "Took a position"
        assert change_reason_display("Something a person typed") == "Something a person typed"
        assert change_reason_display(None) == ""


def test_help_texts_are_made_when_shown():
    assert isinstance(SectionEditForm.base_fields["body"].help_text, Promise)
    with translation.override("en"):
        assert str(SectionEditForm.base_fields["body"].help_text).endswith("At most 200 000 characters.")


# --- the three faults ------------------------------------------------------------------------


@pytest.mark.django_db
def test_needs_review_has_its_own_verb_and_tells_the_author(outline, expert, other_expert, coordinator):
    section = outline[0]
    first = propose(section, expert, "Ten words.")
    second = propose(section, other_expert, "Thirty words.", title="Longer")

    services.proposal_merge(proposal=first, merged_by=coordinator)

    review = Activity.objects.filter(proposal=second).exclude(verb=Activity.Verb.PROPOSED).get()
    assert review.verb == Activity.Verb.NEEDS_REVIEW
    assert review.data == {"title": "Longer", "heading": "General", "merged": first.pk}
    assert Notice.objects.filter(recipient=other_expert, activity=review).exists()
    assert Activity.objects.get(verb=Activity.Verb.MERGED).proposal == first
    with translation.override("en"):
        assert review.sentence() == (
            f"Proposal #{second.pk} “Longer” needs review: Kanat Coordinator merged proposal #{first.pk} into “General”"
        )


@pytest.mark.django_db
def test_moving_a_section_writes_no_revision_on_its_neighbours(outline, coordinator):
    first, second, third = outline

    services.section_move(section=second, direction="up", user=coordinator)

    assert [s.heading for s in Section.objects.order_by("order", "pk")] == ["Goals", "General", "Principles"]
    assert first.history.count() == 1 and third.history.count() == 1
    second.refresh_from_db()
    assert second.version == 2 and second.history.latest().change_kind == RevisionKind.MOVE


@pytest.mark.django_db
def test_every_outline_change_and_revert_records_an_activity(outline, expert, coordinator):
    first, second, third = outline
    services.section_edit(section=first, base_version=1, body="Changed.", user=expert, summary="x")
    services.section_revert(section=first, to_version=1, user=coordinator)
    services.section_rename(section=second, heading="Aims", user=coordinator)
    services.section_move(section=third, direction="up", user=coordinator)
    services.section_reparent(section=third, parent=first, user=coordinator)
    services.section_reparent(section=third, parent=None, user=coordinator)
    services.section_set_retired(section=third, retired=True, user=coordinator)
    services.section_set_retired(section=third, retired=False, user=coordinator)

    entries = list(Activity.objects.order_by("pk"))
    with translation.override("en"):
        sentences_read = [a.sentence() for a in entries]
    assert [a.verb for a in entries] == [
        "added_section",
        "added_section",
        "added_section",
        "edited",
        "reverted",
        "renamed",
        "moved",
        "reparented",
        "reparented",
        "retired",
        "restored",
    ]
    assert all(a.section is not None for a in entries)
    assert sentences_read == [
        "Kanat Coordinator added the section “General”",
        "Kanat Coordinator added the section “Goals”",
        "Kanat Coordinator added the section “Principles”",
        "Aigul Expert edited “General”, revision 2: x",
        "Kanat Coordinator restored revision 1 of “General” as revision 3",
        "Kanat Coordinator renamed “Goals” to “Aims”",
        "Kanat Coordinator moved “Principles” up",
        "Kanat Coordinator moved “Principles” under “General”",
        "Kanat Coordinator moved “Principles” to the top level",
        "Kanat Coordinator retired the section “Principles”",
        "Kanat Coordinator restored the section “Principles”",
    ]
    # Outline changes concern no one person; only the revert reaches the expert, who edited the
    # section and so watches it.
    assert list(Notice.objects.values_list("recipient_id", "activity__verb", "category")) == [
        (expert.pk, "reverted", "section")
    ]


@pytest.mark.django_db
def test_activity_page_and_dashboard_show_the_sentences(expert_client, outline, coordinator):
    services.section_rename(section=outline[1], heading="Aims", user=coordinator)
    english = {"headers": {"accept-language": "en"}}
    for url in (reverse("drafting:activity"), reverse("drafting:home")):
        page = expert_client.get(url, **english).text
        assert "Kanat Coordinator renamed “Goals” to “Aims”" in page, url


# --- plurals ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "added, expected",
    [
        (1, "1 word added, 1 removed."),
        (2, "2 words added, 1 removed."),
        (5, "5 words added, 1 removed."),
        (21, "21 words added, 1 removed."),
    ],
)
def test_words_added_agree_with_their_number(added, expected, monkeypatch):
    calls = []
    real = sentences.ngettext

    def spy(singular, plural, number):
        calls.append((singular, plural, number))
        return real(singular, plural, number)

    monkeypatch.setattr(sentences, "ngettext", spy)
    with translation.override("en"):
        assert sentences.words_changed(added, 1) == expected
    # One message with a plural form per count, chosen by the catalogue's plural rule.
    assert ("%(count)s word added", "%(count)s words added", added) in calls
    assert ("%(count)s removed", "%(count)s removed", 1) in calls


@pytest.mark.django_db
def test_compare_page_counts_words_with_plurals(expert_client, concept, expert):
    section = make_section(concept, "Goals", "One two three.", user=expert)
    services.section_edit(section=section, base_version=1, body="One two three four.", user=expert, summary="x")
    url = reverse("drafting:section-compare", args=[section.pk]) + "?from=1&to=2"
    page = expert_client.get(url, headers={"accept-language": "en"}).text
    assert "1 word added, 0 removed." in page


@pytest.mark.django_db
def test_board_counts_use_plural_messages(expert_client, concept, expert):
    section = make_section(concept, "Goals", "Text.", user=expert)
    propose(section, expert, "Other text.")
    page = expert_client.get(
        reverse("drafting:section-board", args=[section.pk]), headers={"accept-language": "en"}
    ).text
    assert "open proposal<" in page and "open objections<" in page


# --- reading back what was stored before 0005 --------------------------------------------------


@pytest.mark.parametrize(
    "verb, summary, on_proposal, expected",
    [
        (
            "edited",
            "“Goals”, revision 3: Clearer",
            False,
            ("edited", {"heading": "Goals", "version": 3, "summary": "Clearer"}),
        ),
        ("proposed", "#4 “Shorter” on “Goals”", True, ("proposed", {"title": "Shorter", "heading": "Goals"})),
        ("proposed", "#4 new section “Scope”", True, ("proposed", {"heading": "Scope", "new_section": True})),
        ("rejected", "#4 “Shorter”: Out of scope", True, ("rejected", {"title": "Shorter", "reason": "Out of scope"})),
        (
            "merged",
            "#4 “Shorter” into “Goals” (revision 5)",
            True,
            ("merged", {"title": "Shorter", "heading": "Goals", "version": 5}),
        ),
        ("merged", "#6 needs review against the new text of “Goals”", True, ("needs_review", {"heading": "Goals"})),
        ("commented", "on “#4 Shorter”", True, ("commented", {"title": "Shorter"})),
        ("commented", "on “Goals”", False, ("commented", {"heading": "Goals"})),
        ("objected", "Object on #4 “Shorter”", True, ("objected", {"stance": "object", "title": "Shorter"})),
        ("took_position", "Can live with it on #4 “S”", True, ("took_position", {"stance": "live_with", "title": "S"})),
        ("froze", "edition “Draft 0.3”", False, ("froze", {"name": "Draft 0.3"})),
        ("merged", "что-то по-русски", True, ("merged", {"legacy": "что-то по-русски"})),
        ("outline", "changed something", False, ("outline", {"legacy": "changed something"})),
    ],
)
def test_old_activity_summaries_are_read_back_as_data(verb, summary, on_proposal, expected):
    assert events.parse_activity_summary(verb, summary, on_proposal=on_proposal) == expected


@pytest.mark.parametrize(
    "kind, reason, expected",
    [
        ("create", "Added section “Goals”", ("create", {"heading": "Goals"}, "")),
        ("create", "Starter outline", ("create", {"starter": True}, "")),
        ("create", "Added in the admin", ("admin", {"created": True}, "")),
        ("edit", "Changed in the admin", ("admin", {}, "")),
        ("merge", "Merged proposal #7 by Aigul Expert", ("merge", {"proposal": 7, "author": "Aigul Expert"}, "")),
        ("revert", "Reverted to revision 2", ("revert", {"to_version": 2}, "")),
        ("outline", "Renamed from “Goals”", ("rename", {"old_heading": "Goals"}, "")),
        ("outline", "Moved down", ("move", {"direction": "down"}, "")),
        ("outline", "Renumbered: “Goals” moved", ("move", {"renumbered": "Goals"}, "")),
        ("outline", "Moved under “General”", ("reparent", {"parent_heading": "General"}, "")),
        ("outline", "Moved to the top level", ("reparent", {"parent": None}, "")),
        ("outline", "Retired", ("retire", {}, "")),
        ("outline", "Restored", ("restore", {}, "")),
        # A person's words stay theirs, even when they look like a system sentence.
        ("edit", "Retired", ("edit", {}, "Retired")),
        ("edit", "Уточнена формулировка", ("edit", {}, "Уточнена формулировка")),
        ("create", None, ("create", {}, "")),
    ],
)
def test_old_revision_reasons_are_read_back_as_kind_and_data(kind, reason, expected):
    assert events.parse_revision_reason(kind, reason) == expected


@pytest.mark.parametrize(
    "reason, code",
    [
        ("Proposed", "proposed"),
        ("Rejected: Out of scope", "rejected"),
        ("Merged as revision 4", "merged"),
        ("Needs review: proposal #3 changed the same passage", "needs-review"),
        ("Agreed at the meeting of 12 June 2026", "agreed"),
        ("Took a position", "position-taken"),
        ("Outcome: Agreed", "outcome"),
        ("Put on the agenda", "agenda"),
        ("Something else", "Something else"),
    ],
)
def test_old_change_reasons_become_codes(reason, code):
    assert events.reason_code(reason) == code


@pytest.mark.parametrize(
    ("added", "noun"),
    [(1, "1 слово"), (2, "2 слова"), (5, "5 слов"), (21, "21 слово"), (22, "22 слова"), (11, "11 слов")],
)
def test_words_added_take_russian_plural_forms(added, noun):
    with translation.override("ru"):
        summary = sentences.words_changed(added, 0)
    assert noun in summary
