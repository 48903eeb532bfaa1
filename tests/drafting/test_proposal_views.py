import pytest
from django.urls import reverse

from drafting import services
from drafting.forms import new_submission_token
from drafting.models import Comment, Position, Proposal
from members.models import Expert
from tests.factories import ExpertFactory, client_for, make_section

BASE = "Первое предложение. Второе предложение. Третье предложение."


@pytest.fixture
def section(concept, expert):
    return make_section(concept, "Principles", BASE, user=expert)


@pytest.fixture
def proposal(section, expert):
    return services.proposal_create_amendment(
        section=section,
        author=expert,
        title="Sharper",
        text=BASE.replace("Второе", "Иное"),
        rationale="Clearer.",
        base_version=1,
    )


# --- creating ---


@pytest.mark.django_db
def test_expert_proposes_from_the_current_revision(expert_client, section):
    url = reverse("drafting:proposal-create", args=[section.pk])
    form = expert_client.get(url)
    assert BASE in form.text
    response = expert_client.post(
        url,
        {
            "title": "T",
            "text": BASE + " Ещё.",
            "rationale": "R",
            "base_version": 1,
            "submission": new_submission_token(),
        },
    )
    proposal = Proposal.objects.get()
    assert response["Location"] == proposal.get_absolute_url()
    assert (proposal.base_version, proposal.section, proposal.status) == (1, section, "open")


@pytest.mark.django_db
@pytest.mark.parametrize(
    "data, message",
    [
        ({"title": ""}, "This field is required."),
        ({"text": "a\x00b"}, "Null characters are not allowed."),
        ({"rationale": "x" * 20_001}, "at most 20000 characters"),
        ({"base_version": 9}, "does not have"),
        ({"text": BASE}, "same as the section"),
    ],
)
def test_bad_proposal_input_is_a_message_and_the_text_is_kept(expert_client, section, data, message):
    typed = {"title": "Мой заголовок", "text": "Мой текст.", "rationale": "Обоснование", "base_version": 1, **data}
    typed["submission"] = new_submission_token()
    response = expert_client.post(reverse("drafting:proposal-create", args=[section.pk]), typed)
    assert response.status_code == 400
    assert message in response.text
    assert "Обоснование" in response.text or "x" * 100 in response.text
    assert not Proposal.objects.exists()


@pytest.mark.django_db
def test_proposal_page_shows_was_proposed_rationale_and_outdated_mark(expert_client, proposal, section, other_expert):
    page = expert_client.get(proposal.get_absolute_url()).text
    assert "Was" in page and "Proposed" in page and "Clearer." in page
    assert "Outdated" not in page
    services.section_edit(
        section=section, base_version=1, body=BASE.replace("Третье", "Последнее"), user=other_expert, summary="x"
    )
    page = expert_client.get(proposal.get_absolute_url()).text
    assert "Outdated: the section changed since this was proposed" in page


# --- who may do what ---


@pytest.mark.django_db
def test_anonymous_is_redirected_from_every_proposal_page(client, proposal, section, concept):
    urls = [
        reverse("drafting:proposal-detail", args=[proposal.pk]),
        reverse("drafting:proposal-edit", args=[proposal.pk]),
        reverse("drafting:proposal-merge", args=[proposal.pk]),
        reverse("drafting:proposal-create", args=[section.pk]),
        reverse("drafting:proposal-create-section", args=[concept.pk]),
        reverse("drafting:proposal-list", args=[concept.pk]),
        reverse("drafting:merge-queue", args=[concept.pk]),
        reverse("drafting:section-board", args=[section.pk]),
        reverse("drafting:activity"),
    ]
    for url in urls:
        response = client.get(url)
        assert response.status_code == 302 and response["Location"].startswith(reverse("login")), url


@pytest.mark.django_db
def test_experts_cannot_merge_or_reject(proposal, other_expert):
    client = client_for(other_expert)
    assert client.get(reverse("drafting:proposal-merge", args=[proposal.pk])).status_code == 403
    response = client.post(reverse("drafting:proposal-reject", args=[proposal.pk]), {"reason": "No"})
    assert response.status_code == 403
    assert "Only coordinators may merge or reject proposals." in response.text
    assert client.get(reverse("drafting:merge-queue", args=[proposal.concept_id])).status_code == 403
    proposal.refresh_from_db()
    assert proposal.status == "open"


@pytest.mark.django_db
def test_authors_cannot_edit_or_withdraw_someone_elses_proposal(proposal, other_expert):
    client = client_for(other_expert)
    response = client.post(
        reverse("drafting:proposal-edit", args=[proposal.pk]),
        {"title": "Hijack", "text": "X", "rationale": "Y", "base_version": 1},
    )
    assert response.status_code == 403
    assert "This is someone else" in response.text
    assert client.post(reverse("drafting:proposal-withdraw", args=[proposal.pk])).status_code == 403
    proposal.refresh_from_db()
    assert (proposal.title, proposal.status) == ("Sharper", "open")


@pytest.mark.django_db
@pytest.mark.parametrize("name", ["proposal-detail", "proposal-edit", "proposal-merge", "proposal-withdraw"])
def test_forged_proposal_id_is_404(coordinator_client, name):
    method = coordinator_client.post if name == "proposal-withdraw" else coordinator_client.get
    assert method(reverse(f"drafting:{name}", args=[987654])).status_code == 404


@pytest.mark.django_db
def test_forged_comment_id_is_404(expert_client, proposal):
    assert expert_client.post(reverse("drafting:comment-resolve", args=[987654])).status_code == 404
    assert expert_client.get(reverse("drafting:comment-edit", args=[987654])).status_code == 404
    response = expert_client.post(
        reverse("drafting:proposal-comment-add", args=[proposal.pk]),
        {"body": "Reply", "parent": 987654, "submission": new_submission_token()},
    )
    assert response.status_code == 404


@pytest.mark.django_db
def test_wrong_methods_are_405(coordinator_client, proposal):
    assert coordinator_client.get(reverse("drafting:proposal-reject", args=[proposal.pk])).status_code == 405
    assert coordinator_client.get(reverse("drafting:position-record", args=[proposal.pk])).status_code == 405
    assert coordinator_client.delete(reverse("drafting:proposal-detail", args=[proposal.pk])).status_code == 405


# --- positions ---


@pytest.mark.django_db
def test_expert_records_their_own_position_only(proposal, other_expert, expert):
    client = client_for(other_expert)
    response = client.post(
        reverse("drafting:position-record", args=[proposal.pk]),
        {"stance": "support", "expert": Expert.objects.get(user=expert).pk},
    )
    assert response.status_code == 302
    position = Position.objects.get()
    assert position.expert.user == other_expert  # a forged "expert" field is ignored


@pytest.mark.django_db
def test_objection_without_reason_is_a_form_error(proposal, other_expert):
    response = client_for(other_expert).post(
        reverse("drafting:position-record", args=[proposal.pk]), {"stance": "object", "reason": ""}
    )
    assert response.status_code == 400
    assert "An objection needs a reason" in response.text
    assert not Position.objects.exists()


@pytest.mark.django_db
def test_staff_without_a_seat_cannot_take_a_position(proposal, staff):
    response = client_for(staff).post(reverse("drafting:position-record", args=[proposal.pk]), {"stance": "support"})
    assert response.status_code == 403


# --- merge and reject through the pages ---


@pytest.mark.django_db
def test_coordinator_merges_a_stale_proposal_through_the_preview(coordinator_client, proposal, section, other_expert):
    services.section_edit(
        section=section, base_version=1, body=BASE.replace("Третье", "Последнее"), user=other_expert, summary="x"
    )
    url = reverse("drafting:proposal-merge", args=[proposal.pk])
    page = coordinator_client.get(url)
    assert "do not overlap" in page.text
    merged_text = page.context["form"].initial["text"]
    assert merged_text == "Первое предложение. Иное предложение. Последнее предложение."

    response = coordinator_client.post(url, {"text": merged_text, "planned_version": 2})

    assert response.status_code == 302
    section.refresh_from_db()
    assert section.body == merged_text
    latest = section.history.latest()
    assert (latest.change_kind, latest.change_data) == ("merge", {"proposal": proposal.pk, "author": "Aigul Expert"})


@pytest.mark.django_db
def test_merge_page_shows_base_current_proposed_when_they_overlap(coordinator_client, proposal, section, other_expert):
    services.section_edit(
        section=section, base_version=1, body=BASE.replace("Второе", "Среднее"), user=other_expert, summary="x"
    )
    page = coordinator_client.get(reverse("drafting:proposal-merge", args=[proposal.pk])).text
    assert "Base (when proposed)" in page and "Current" in page and "Proposed" in page
    assert "Среднее" in page and "Иное" in page


@pytest.mark.django_db
def test_merging_a_closed_proposal_gives_a_message(coordinator_client, proposal, coordinator):
    services.proposal_reject(proposal=proposal, decided_by=coordinator, reason="No")
    response = coordinator_client.get(reverse("drafting:proposal-merge", args=[proposal.pk]), follow=True)
    assert "it cannot be merged" in response.text


@pytest.mark.django_db
def test_reject_without_reason_is_refused_with_a_message(coordinator_client, proposal):
    response = coordinator_client.post(reverse("drafting:proposal-reject", args=[proposal.pk]), {"reason": ""})
    assert response.status_code == 400
    assert "This field is required." in response.text
    proposal.refresh_from_db()
    assert proposal.status == "open"


@pytest.mark.django_db
def test_rejection_reason_too_long_is_kept_in_the_form(coordinator_client, proposal):
    reason = "Причина. " * 2500
    response = coordinator_client.post(reverse("drafting:proposal-reject", args=[proposal.pk]), {"reason": reason})
    assert response.status_code == 400
    assert "at most 20000 characters" in response.text
    assert reason.strip()[:200] in response.text
    proposal.refresh_from_db()
    assert proposal.status == "open"


# --- comments ---


@pytest.mark.django_db
def test_comment_and_reply_on_a_proposal(proposal, expert, other_expert):
    url = reverse("drafting:proposal-comment-add", args=[proposal.pk])
    client_for(other_expert).post(url, {"body": "Почему?", "submission": new_submission_token()})
    root = Comment.objects.get()
    response = client_for(expert).post(
        url, {"body": "Потому что.", "parent": root.pk, "submission": new_submission_token()}
    )
    assert response.status_code == 302
    page = client_for(expert).get(proposal.get_absolute_url()).text
    assert "Почему?" in page and "Потому что." in page


@pytest.mark.django_db
def test_comment_with_a_nul_byte_is_a_form_error_and_kept(expert_client, proposal):
    response = expert_client.post(
        reverse("drafting:proposal-comment-add", args=[proposal.pk]),
        {"body": "Мой\x00", "submission": new_submission_token()},
    )
    assert response.status_code == 400
    assert "Null characters are not allowed." in response.text
    assert not Comment.objects.exists()


@pytest.mark.django_db
def test_only_the_author_edits_a_comment(proposal, expert, other_expert):
    comment = services.comment_add(author=expert, body="Mine", proposal=proposal)
    version = services.latest_history_id(comment)
    assert (
        client_for(other_expert)
        .post(reverse("drafting:comment-edit", args=[comment.pk]), {"body": "Hijack", "base_history_id": version})
        .status_code
        == 403
    )
    assert (
        client_for(expert)
        .post(reverse("drafting:comment-edit", args=[comment.pk]), {"body": "Mine, edited", "base_history_id": version})
        .status_code
        == 302
    )
    comment.refresh_from_db()
    assert comment.body == "Mine, edited"


@pytest.mark.django_db
def test_section_comment_with_a_quote_shows_on_the_board(expert_client, section):
    response = expert_client.post(
        reverse("drafting:section-comment-add", args=[section.pk]),
        {"body": "Уточнить", "quote": "Второе предложение.", "submission": new_submission_token()},
    )
    assert response.status_code == 302
    board = expert_client.get(reverse("drafting:section-board", args=[section.pk])).text
    assert "Уточнить" in board and "Второе предложение." in board


@pytest.mark.django_db
def test_comment_whose_passage_was_removed_links_to_the_revision_it_quoted(expert_client, section, expert):
    expert_client.post(
        reverse("drafting:section-comment-add", args=[section.pk]),
        {"body": "Уточнить", "quote": "Второе предложение.", "submission": new_submission_token()},
    )
    services.section_edit(
        section=section, base_version=1, body="Совсем другой текст раздела.", user=expert, summary="Переписано"
    )

    board = expert_client.get(reverse("drafting:section-board", args=[section.pk])).text

    assert "The quoted passage has changed" in board
    assert reverse("drafting:section-revision", args=[section.pk, 1]) in board


# --- notices ---


@pytest.mark.django_db
def test_author_sees_the_merge_in_what_changed(proposal, expert, coordinator):
    services.proposal_merge(proposal=proposal, merged_by=coordinator)
    page = client_for(expert).get(reverse("drafting:activity")).text
    assert "For you" in page
    assert f"#{proposal.pk} “Sharper”" in page


# --- query budgets ---


def _crowd(section, proposal, n):
    for i in range(n):
        member = ExpertFactory(bloc=Expert.Bloc.PRACTITIONER if i % 2 else Expert.Bloc.SCIENTIFIC)
        services.position_record(
            proposal=proposal,
            expert=member,
            stance="object" if i % 3 == 0 else "support",
            reason="Причина" if i % 3 == 0 else "",
        )
        services.comment_add(author=member.user, body=f"Комментарий {i}", proposal=proposal)
        services.comment_add(author=member.user, body=f"К разделу {i}", section=section)
        services.proposal_create_amendment(
            section=section,
            author=member.user,
            title=f"P{i}",
            text=BASE + f" Вариант {i}.",
            rationale="R",
            base_version=section.version,
        )


@pytest.mark.django_db
@pytest.mark.parametrize("page", ["proposal-detail", "section-board", "merge-queue", "proposal-list"])
def test_proposal_pages_use_a_fixed_number_of_queries(
    coordinator_client, section, proposal, page, django_assert_max_num_queries
):
    args = {"proposal-detail": proposal.pk, "section-board": section.pk}.get(page, section.concept_id)
    url = reverse(f"drafting:{page}", args=[args])
    _crowd(section, proposal, 2)
    with django_assert_max_num_queries(14):
        assert coordinator_client.get(url).status_code == 200
    _crowd(section, proposal, 12)
    with django_assert_max_num_queries(14):
        assert coordinator_client.get(url).status_code == 200


@pytest.mark.django_db
def test_author_revises_a_new_section_proposal_including_its_place(expert_client, concept, section, expert):
    proposal = services.proposal_create_section(
        concept=concept, author=expert, title="APK", heading="Assembly", text="Текст.", rationale="R", parent=None
    )
    response = expert_client.post(
        reverse("drafting:proposal-edit", args=[proposal.pk]),
        {
            "title": "APK",
            "heading": "Assembly of People",
            "parent": section.pk,
            "text": "Новый текст.",
            "rationale": "R2",
            "base_history_id": services.latest_history_id(proposal),
        },
    )
    assert response.status_code == 302
    proposal.refresh_from_db()
    assert (proposal.heading, proposal.new_parent, proposal.text) == ("Assembly of People", section, "Новый текст.")
    assert proposal.history.count() == 2


@pytest.mark.django_db
def test_needs_review_proposal_is_revised_against_the_current_text_and_reopens(
    client, section, expert, other_expert, coordinator
):
    mine = services.proposal_create_amendment(
        section=section, author=expert, title="Mine", rationale="R", text=BASE.replace("Второе", "Моё"), base_version=1
    )
    theirs = services.proposal_create_amendment(
        section=section,
        author=other_expert,
        title="Theirs",
        rationale="R",
        text=BASE.replace("Второе", "Их"),
        base_version=1,
    )
    services.proposal_merge(proposal=theirs, merged_by=coordinator)
    mine.refresh_from_db()
    assert mine.status == "needs_review"
    client.force_login(expert)
    form = client.get(reverse("drafting:proposal-edit", args=[mine.pk])).context["form"]
    assert form.initial["base_version"] == 2
    response = client.post(
        reverse("drafting:proposal-edit", args=[mine.pk]),
        {
            "title": "Mine",
            "text": BASE.replace("Второе", "Их и моё"),
            "rationale": "R",
            "base_version": 2,
            "base_history_id": form.initial["base_history_id"],
        },
    )
    assert response.status_code == 302
    mine.refresh_from_db()
    assert (mine.status, mine.base_version) == ("open", 2)
