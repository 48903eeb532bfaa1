"""An edited export back as proposals: round trips with and without tracked changes, merges, duplicates, refusals."""

import hashlib

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from drafting import services
from drafting.models import Proposal, Section
from drafting.services.word_proposals import proposals_from_word
from tests.drafting.word_files import (
    accept_all,
    drop_bookmarks,
    encrypted_ole,
    make_draft,
    replace_text,
    track_replace,
)
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


def confirm(client, concept, data, rationale="Правки из Word.", keep=()):
    form = client.get(review_url(concept, data)).context["form"]
    sent = {
        "submission": form["submission"].value(),
        "reviewed": form["reviewed"].value(),
        "rationale": rationale,
        "keep_accepted": [str(pk) for pk in keep],
    }
    return client.post(review_url(concept, data), sent)


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


def test_review_reads_a_fixed_number_of_queries(
    expert_client, concept, coordinator, other_expert, django_assert_max_num_queries
):
    made = [
        make_section(concept, f"Section {n}", f"Text number {n}. Second sentence {n}.", user=coordinator)
        for n in range(15)
    ]
    for n in range(0, 15, 3):  # open proposals on five sections, two of them started from an older revision
        section = made[n]
        if n % 2:
            services.section_edit(
                section=section, base_version=1, body=f"Text number {n}. Second sentence {n}, edited.",
                user=coordinator, summary="Edit",
            )  # fmt: skip
        for author, word in ((other_expert, "first"), (coordinator, "also")):
            services.proposal_create_amendment(
                section=section, author=author, title="T", text=f"Text number {n}, {word}. Second sentence {n}.",
                rationale="R", base_version=1,
            )  # fmt: skip
    data = accept_all(exported(expert_client, concept))
    for n in range(0, 15, 3):
        data = replace_text(data, f"Second sentence {n}", f"Second sentence {n}, changed")
    upload(expert_client, concept, data)
    with django_assert_max_num_queries(10):
        page = expert_client.get(review_url(concept, data))
    assert len(page.context["changed"]) == 5
    assert all(len(change.left_out) == 1 for change in page.context["changed"])


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


# --- Open proposals accepted in Word ("Accept all changes") ---------------------------------------

AGREEMENT = SECOND.replace("единство", "согласие")
OWN_EDIT = FIRST.replace("государственной политики", "политики государства")


def other_persons_proposal(section, author):
    return services.proposal_create_amendment(
        section=section, author=author, title="T", text=f"{FIRST}\n\n{AGREEMENT}", rationale="R", base_version=1
    )


def accepted_with_own_edit(client, concept) -> bytes:
    """An export with every tracked change accepted in Word, then one edit of the person's own."""
    return replace_text(accept_all(exported(client, concept)), "государственной политики", "политики государства")


def test_a_proposal_accepted_in_word_is_left_out_and_the_page_names_it(
    expert_client, expert, other_expert, concept, sections
):
    general, _purpose, _goals = sections
    theirs = other_persons_proposal(general, other_expert)
    data = accept_all(exported(expert_client, concept))
    data = replace_text(data, "государственной политики", "политики государства")

    upload(expert_client, concept, data)
    review = expert_client.get(review_url(concept, data))
    (change,) = review.context["changed"]
    assert change.left_out == [theirs]
    page = review.content.decode()
    assert (
        f"The file contained proposal #{theirs.pk} by Marat Other (probably accepted in Word); "
        "it was left out of this proposal."
    ) in page
    assert "согласие" not in change.comparison.new_html  # the proposal shown is the uploader's edit only

    confirm(expert_client, concept, data)

    mine = Proposal.objects.get(author=expert)
    assert mine.text == f"{OWN_EDIT}\n\n{SECOND}"
    assert mine.base_version == 1


def test_ticking_keep_keeps_the_accepted_proposal_in(expert_client, expert, other_expert, concept, sections):
    general, _purpose, _goals = sections
    other_persons_proposal(general, other_expert)
    data = accepted_with_own_edit(expert_client, concept)
    upload(expert_client, concept, data)
    page = expert_client.get(review_url(concept, data)).content.decode()
    assert f'name="keep_accepted" value="{general.pk}" id="keep-accepted-{general.pk}">' in page  # unticked

    confirm(expert_client, concept, data, keep=[general.pk])

    assert Proposal.objects.get(author=expert).text == f"{OWN_EDIT}\n\n{AGREEMENT}"
    upload(expert_client, concept, data)  # the same file again: recognised, nothing new
    again = expert_client.get(review_url(concept, data))
    assert again.context["changed"] == [] and "already proposed by you as #" in again.content.decode()


def test_a_section_that_only_accepted_a_proposal_proposes_nothing(
    expert_client, expert, other_expert, concept, sections
):
    general, _purpose, goals = sections
    theirs = other_persons_proposal(general, other_expert)
    data = accept_all(exported(expert_client, concept))
    data = replace_text(data, "Развивать языки.", "Развивать языки народов.")

    upload(expert_client, concept, data)
    review = expert_client.get(review_url(concept, data))
    assert [c.section for c in review.context["changed"]] == [goals]
    page = review.content.decode()
    assert "Общие положения:" in page
    assert "it only contains an open proposal (probably accepted in Word), so with it left out nothing is left" in page
    assert f"proposal #{theirs.pk} by Marat Other" in page

    confirm(expert_client, concept, data)
    assert [(p.section, p.author) for p in Proposal.objects.exclude(pk=theirs.pk)] == [(goals, expert)]


def test_a_file_with_only_accepted_proposals_creates_nothing_and_says_why(
    expert_client, expert, other_expert, concept, sections
):
    general, _purpose, _goals = sections
    other_persons_proposal(general, other_expert)
    data = accept_all(exported(expert_client, concept))
    upload(expert_client, concept, data)
    page = expert_client.get(review_url(concept, data)).content.decode()
    assert "Nothing in this file creates a proposal." in page and "Create 1 proposal" not in page
    with pytest.raises(ValidationError, match="only contains open proposals accepted in Word"):
        proposals_from_word(concept=concept, author=expert, data=data, rationale="R")
    assert Proposal.objects.count() == 1


def test_an_accepted_proposal_that_cannot_be_taken_out_stays_in_with_a_warning(
    expert_client, expert, other_expert, coordinator, concept, sections
):
    # A text so repetitive that the merge cannot tell the uploader's edit from the proposal's.
    motto = make_section(concept, "Девиз", "мир мир мир труд", user=coordinator)
    theirs = services.proposal_create_amendment(
        section=motto, author=other_expert, title="T", text="да мир мир мир", rationale="R", base_version=1
    )
    data = replace_text(accept_all(exported(expert_client, concept)), "да мир мир мир", "да мир и мир мир")

    upload(expert_client, concept, data)
    review = expert_client.get(review_url(concept, data))
    (change,) = review.context["changed"]
    assert change.appears == [theirs] and change.left_out == []
    page = review.content.decode()
    assert f"The wording of proposal #{theirs.pk} by Marat Other appears in this text" in page
    assert 'name="keep_accepted"' not in page  # nothing to choose: the text stays as uploaded

    confirm(expert_client, concept, data)
    assert Proposal.objects.get(author=expert).text == "да мир и мир мир"


def test_the_uploaders_own_earlier_proposal_accepted_in_word_is_left_out_too(expert_client, expert, concept, sections):
    general, _purpose, _goals = sections
    earlier = other_persons_proposal(general, expert)
    data = accepted_with_own_edit(expert_client, concept)

    upload(expert_client, concept, data)
    review = expert_client.get(review_url(concept, data))
    assert review.context["changed"][0].left_out == [earlier]
    assert f"The file contained proposal #{earlier.pk} by Aigul Expert" in review.content.decode()
    confirm(expert_client, concept, data)
    new = Proposal.objects.exclude(pk=earlier.pk).get()
    assert new.text == f"{OWN_EDIT}\n\n{SECOND}"

    upload(expert_client, concept, data)  # the same file again
    again = expert_client.get(review_url(concept, data))
    assert again.context["changed"] == []
    assert f"already proposed by you as #{new.pk}" in again.content.decode()
    confirm(expert_client, concept, data)
    assert Proposal.objects.count() == 2


def test_sending_the_same_accepted_file_again_is_recognised_as_a_duplicate(
    expert_client, expert, other_expert, concept, sections
):
    general, _purpose, _goals = sections
    other_persons_proposal(general, other_expert)
    data = accepted_with_own_edit(expert_client, concept)
    upload(expert_client, concept, data)
    confirm(expert_client, concept, data)
    mine = Proposal.objects.get(author=expert)

    upload(expert_client, concept, data)
    again = expert_client.get(review_url(concept, data))
    assert again.context["changed"] == []
    assert f"already proposed by you as #{mine.pk}" in again.content.decode()


def test_confirming_after_the_accepted_proposal_was_withdrawn_is_refused_and_keeps_the_rationale(
    expert_client, expert, other_expert, concept, sections
):
    general, _purpose, _goals = sections
    theirs = other_persons_proposal(general, other_expert)
    data = accepted_with_own_edit(expert_client, concept)
    upload(expert_client, concept, data)
    form = expert_client.get(review_url(concept, data)).context["form"]
    services.proposal_withdraw(proposal=theirs, user=other_expert)

    sent = {"submission": form["submission"].value(), "reviewed": form["reviewed"].value(), "rationale": "Моё."}
    response = expert_client.post(review_url(concept, data), sent)

    assert response.status_code == 400
    page = response.content.decode()
    assert "The open proposals of these sections changed while you were reviewing this page." in page
    assert "Моё." in page
    assert not Proposal.objects.filter(author=expert).exists()
    assert response.context["changed"][0].left_out == []
    confirm(expert_client, concept, data, rationale="Моё.")  # the page as it is now, confirmed
    assert Proposal.objects.get(author=expert).text == f"{OWN_EDIT}\n\n{AGREEMENT}"


def test_a_review_form_without_its_mark_is_refused(expert_client, expert, concept, sections):
    data = replace_text(exported(expert_client, concept), "Развивать языки.", "Развивать языки народов.")
    upload(expert_client, concept, data)
    token = expert_client.get(review_url(concept, data)).context["form"]["submission"].value()
    response = expert_client.post(review_url(concept, data), {"submission": token, "rationale": "R"})
    assert response.status_code == 400
    assert "The form lost the mark of the review you saw" in response.content.decode()
    assert Proposal.objects.count() == 0
    assert response.context["form"]["reviewed"].value()  # sending it again works
    confirm(expert_client, concept, data)
    assert Proposal.objects.count() == 1


def test_a_forged_keep_value_is_refused_without_an_error_page(expert_client, concept, sections):
    data = replace_text(exported(expert_client, concept), "Развивать языки.", "Развивать языки народов.")
    upload(expert_client, concept, data)
    form = expert_client.get(review_url(concept, data)).context["form"]
    sent = {
        "submission": form["submission"].value(),
        "reviewed": form["reviewed"].value(),
        "rationale": "R",
        "keep_accepted": ["x"],
    }
    assert expert_client.post(review_url(concept, data), sent).status_code == 400
    assert Proposal.objects.count() == 0


def test_the_review_page_needs_a_seat_and_sign_in(client, expert, staff, concept, sections):
    client.force_login(expert)
    data = replace_text(exported(client, concept), "Развивать языки.", "Развивать языки народов.")
    upload(client, concept, data)
    assert client.put(review_url(concept, data)).status_code == 405
    client.logout()
    assert client.get(review_url(concept, data))["Location"].startswith(reverse("login"))
    client.force_login(staff)
    assert client.get(review_url(concept, data)).status_code == 403
    assert client.post(review_url(concept, data), {"rationale": "R"}).status_code == 403
    assert Proposal.objects.count() == 0


def test_taking_a_change_out_leaves_the_rest_and_putting_it_back_gives_the_text():
    from drafting.text import contains_change, merge_three_way, take_out

    base = f"{FIRST}\n\n{SECOND}"
    theirs = f"{FIRST}\n\n{AGREEMENT}"
    uploaded = f"{OWN_EDIT}\n\n{AGREEMENT}"
    assert contains_change(base, uploaded, theirs)
    rest = take_out(base, uploaded, theirs)
    assert rest == f"{OWN_EDIT}\n\n{SECOND}"
    assert merge_three_way(base, rest, theirs).text == uploaded
    assert take_out(base, f"{OWN_EDIT}\n\n{SECOND}", theirs) is None  # not contained: nothing to take out
    assert not contains_change(base, f"{OWN_EDIT}\n\n{SECOND}", theirs)
    assert take_out(base, theirs, theirs) == base


def test_a_ticked_keep_box_survives_a_form_error(expert_client, expert, other_expert, concept, sections):
    general, _purpose, _goals = sections
    other_persons_proposal(general, other_expert)
    data = accepted_with_own_edit(expert_client, concept)
    upload(expert_client, concept, data)
    form = expert_client.get(review_url(concept, data)).context["form"]
    sent = {
        "submission": form["submission"].value(),
        "reviewed": form["reviewed"].value(),
        "rationale": "",
        "keep_accepted": [str(general.pk)],
    }
    response = expert_client.post(review_url(concept, data), sent)
    assert response.status_code == 400
    assert f'value="{general.pk}" id="keep-accepted-{general.pk}" checked>' in response.content.decode()
    assert not Proposal.objects.filter(author=expert).exists()
