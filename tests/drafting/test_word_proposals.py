"""An edited export back as proposals: round trips with and without tracked changes, merges, duplicates, refusals."""

import hashlib

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from drafting import services
from drafting.models import Proposal, Section
from drafting.services.word_proposals import proposals_from_word
from tests.drafting.word_files import drop_bookmarks, encrypted_ole, make_draft, replace_text, track_replace
from tests.factories import make_section

DOCX_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
FIRST = "Настоящая Концепция определяет цели государственной политики."
SECOND = "Она опирается на единство народа Казахстана."
THIRD = "Қазақстан халқының бірлігі — ортақ құндылық."


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def sections(concept, coordinator):
    general = make_section(concept, "Общие положения", f"{FIRST}\n\n{SECOND}", user=coordinator)
    purpose = make_section(concept, "Цель", THIRD, parent=general, user=coordinator)
    goals = make_section(concept, "Задачи", "- Укреплять единство.\n- Развивать языки.", user=coordinator)
    return general, purpose, goals


def exported(client, concept) -> bytes:
    return client.get(reverse("drafting:document-export", args=[concept.pk, "docx"])).content


def upload(client, concept, data, name="правки.docx"):
    file = SimpleUploadedFile(name, data, content_type=DOCX_TYPE)
    return client.post(reverse("drafting:word-proposals", args=[concept.pk]), {"file": file})


def review_url(concept, data):
    return reverse("drafting:word-proposals-review", args=[concept.pk, hashlib.sha256(data).hexdigest()])


def confirm(client, concept, data, rationale="Правки из Word."):
    page = client.get(review_url(concept, data))
    token = page.context["form"]["submission"].value()
    return client.post(review_url(concept, data), {"submission": token, "rationale": rationale})


def test_two_sections_changed_in_word_become_two_proposals_on_the_exported_revisions(
    expert_client, expert, concept, sections
):
    general, purpose, goals = sections
    data = exported(expert_client, concept)
    data = replace_text(data, "государственной политики", "политики государства")
    data = replace_text(data, "Развивать языки.", "Развивать языки и культуры.")

    assert upload(expert_client, concept, data)["Location"] == review_url(concept, data)
    review = expert_client.get(review_url(concept, data))
    assert [c.section for c in review.context["changed"]] == [general, goals]
    assert "Compared with revision 1, the one you downloaded." in review.content.decode()
    assert Proposal.objects.count() == 0  # nothing before confirming

    response = confirm(expert_client, concept, data)

    assert response["Location"] == reverse("drafting:proposal-list", args=[concept.pk])
    proposals = {p.section: p for p in Proposal.objects.all()}
    assert set(proposals) == {general, goals}
    assert proposals[general].text == f"Настоящая Концепция определяет цели политики государства.\n\n{SECOND}"
    assert proposals[goals].text == "- Укреплять единство.\n- Развивать языки и культуры."
    assert all(p.author == expert and p.base_version == 1 for p in proposals.values())
    assert proposals[general].rationale == "Правки из Word."


def test_tracked_changes_made_in_word_are_read_as_accepted(expert, concept, sections):
    general, purpose, _goals = sections
    from django.test import Client

    client = Client()
    client.force_login(expert)
    data = track_replace(exported(client, concept), "бірлігі", "ынтымағы")

    created = proposals_from_word(concept=concept, author=expert, data=data, rationale="R")

    assert [(p.section, p.text) for p in created] == [(purpose, THIRD.replace("бірлігі", "ынтымағы"))]


def test_a_section_edited_in_the_portal_meanwhile_merges_with_both_changes(
    expert_client, expert, other_expert, coordinator, concept, sections
):
    general, _purpose, _goals = sections
    data = replace_text(exported(expert_client, concept), "единство народа", "единство всего народа")
    services.section_edit(
        section=general, base_version=1, body=f"{FIRST.replace('цели', 'главные цели')}\n\n{SECOND}",
        user=other_expert, summary="В портале",
    )  # fmt: skip

    (proposal,) = proposals_from_word(concept=concept, author=expert, data=data, rationale="R")
    assert proposal.base_version == 1
    services.proposal_merge(proposal=proposal, merged_by=coordinator)

    general.refresh_from_db()
    assert general.body == (
        "Настоящая Концепция определяет главные цели государственной политики.\n\n"
        "Она опирается на единство всего народа Казахстана."
    )


def test_other_peoples_proposals_shown_in_the_file_are_not_taken_as_this_persons_edits(
    client, expert, other_expert, concept, sections
):
    general, purpose, _goals = sections
    services.proposal_create_amendment(
        section=purpose, author=other_expert, title="T", text=THIRD + " Бірге!", rationale="R", base_version=1
    )
    client.force_login(expert)
    data = replace_text(exported(client, concept), "единство народа", "единство всего народа")

    created = proposals_from_word(concept=concept, author=expert, data=data, rationale="R")
    assert [p.section for p in created] == [general]


def test_uploading_the_same_file_again_creates_no_duplicates(expert_client, expert, concept, sections):
    data = replace_text(exported(expert_client, concept), "Развивать языки.", "Развивать языки народов.")
    upload(expert_client, concept, data)
    confirm(expert_client, concept, data)
    assert Proposal.objects.count() == 1

    upload(expert_client, concept, data)
    review = expert_client.get(review_url(concept, data))
    assert review.context["changed"] == []
    assert "already proposed by you as #" in review.content.decode()
    confirm(expert_client, concept, data)
    assert Proposal.objects.count() == 1


def test_retired_sections_are_listed_and_create_nothing(expert_client, coordinator, concept, sections):
    _general, _purpose, goals = sections
    data = replace_text(exported(expert_client, concept), "Развивать языки.", "Развивать языки народов.")
    services.section_set_retired(section=goals, retired=True, user=coordinator)

    upload(expert_client, concept, data)
    page = expert_client.get(review_url(concept, data)).content.decode()
    assert "Задачи:" in page and "section no longer in the Concept" in page
    assert Proposal.objects.count() == 0


def test_a_file_without_markers_is_refused_with_an_explanation(expert_client, concept, sections):
    for data in (make_draft(), drop_bookmarks(exported(expert_client, concept))):
        response = upload(expert_client, concept, data)
        assert response.status_code == 400
        assert "none of the portal&#x27;s invisible section markers" in response.content.decode()


def test_a_file_of_another_concept_is_refused(expert_client, expert, concept, sections):
    from tests.factories import ConceptFactory

    other = ConceptFactory(title="Other")
    make_section(other, "Other", "Text.", user=expert)
    response = upload(expert_client, other, exported(expert_client, concept))
    assert "exported from another Concept" in response.content.decode()


def test_unchanged_file_proposes_nothing(expert_client, concept, sections):
    data = exported(expert_client, concept)
    upload(expert_client, concept, data)
    page = expert_client.get(review_url(concept, data)).content.decode()
    assert "3 sections are unchanged." in page and "nothing to propose" in page


def test_nobody_creates_proposals_from_someone_elses_upload(client, expert, other_expert, concept, sections):
    client.force_login(expert)
    data = replace_text(exported(client, concept), "Развивать языки.", "Развивать языки народов.")
    upload(client, concept, data)
    client.force_login(other_expert)
    assert client.get(review_url(concept, data)).status_code == 404
    assert client.post(review_url(concept, data), {"submission": "x", "rationale": "R"}).status_code == 404
    assert Proposal.objects.count() == 0


def test_a_member_without_a_seat_cannot_propose_from_word(client, staff, concept, sections):
    client.force_login(staff)
    assert client.get(reverse("drafting:word-proposals", args=[concept.pk])).status_code == 403


def test_bad_input_is_refused_and_nothing_is_created(expert_client, concept, sections):
    response = upload(expert_client, concept, encrypted_ole())
    assert response.status_code == 400 and "password-protected" in response.content.decode()
    assert (
        expert_client.get(reverse("drafting:word-proposals-review", args=[concept.pk, "..%2Fsecret"])).status_code
        == 404
    )
    assert Proposal.objects.count() == 0 and Section.objects.count() == 3


def test_review_reads_a_fixed_number_of_queries(expert_client, concept, coordinator, django_assert_max_num_queries):
    for n in range(15):
        make_section(concept, f"Section {n}", f"Text number {n}.", user=coordinator)
    data = exported(expert_client, concept)
    for n in range(0, 15, 3):
        data = replace_text(data, f"Text number {n}.", f"Text number {n}, changed.")
    upload(expert_client, concept, data)
    with django_assert_max_num_queries(14):
        page = expert_client.get(review_url(concept, data))
    assert len(page.context["changed"]) == 5


def test_a_lost_marker_is_named_and_the_section_before_it_creates_nothing(expert, concept, sections):
    from django.test import Client

    general, purpose, goals = sections
    client = Client()
    client.force_login(expert)
    data = exported(client, concept)
    data = replace_text(data, "Развивать языки.", "Развивать языки народов.")
    data = replace_text(data, "единство народа", "единство всего народа")
    data = drop_bookmarks(data, f"_s{purpose.pk}_")

    from drafting.selectors.word import word_file_changes

    statuses = {c.section_id: c.status for c in word_file_changes(concept=concept, author=expert, data=data)}
    assert statuses == {general.pk: "unreadable", purpose.pk: "missing", goals.pk: "changed"}


def test_uploads_waiting_for_review_are_swept_after_two_days(settings):
    from datetime import timedelta

    from django.utils import timezone

    from drafting.word import storage

    old = storage.save_pending(1, b"an old upload")
    new = storage.save_pending(2, b"a new upload")
    assert storage.prune_pending(now=timezone.now() + timedelta(days=1)) == 0
    assert storage.prune_pending(now=timezone.now() + timedelta(days=3)) == 2
    assert storage.read_pending(1, old) is None and storage.read_pending(2, new) is None


def test_opening_the_review_of_another_concepts_export_explains_instead_of_failing(
    expert_client, expert, concept, sections
):
    from tests.factories import ConceptFactory

    other = ConceptFactory(title="Other")
    make_section(other, "Other", "Text.", user=expert)
    data = replace_text(exported(expert_client, other), "Text.", "New text.")
    assert upload(expert_client, other, data).status_code == 302
    response = expert_client.get(review_url(concept, data), follow=True)  # the same upload, under this Concept
    assert response.status_code == 200
    assert response.redirect_chain[-1][0] == reverse("drafting:word-proposals", args=[concept.pk])
    assert "exported from another Concept" in response.content.decode()
