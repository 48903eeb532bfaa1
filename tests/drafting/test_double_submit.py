"""A creating form sent twice (a double click, a retry after a slow answer) creates one thing."""

import threading

import pytest
from django.db import close_old_connections
from django.urls import reverse
from django.utils import timezone

from drafting import services
from drafting.forms import new_submission_token
from drafting.models import Comment, Edition, Meeting, Proposal, SubmissionToken
from drafting.services import submissions
from members.models import Expert
from tests.factories import ExpertFactory, client_for, make_section

BASE = "Первое предложение. Второе предложение."


@pytest.fixture
def section(concept, expert):
    return make_section(concept, "Principles", BASE, user=expert)


@pytest.fixture
def proposal(section, expert):
    return services.proposal_create_amendment(
        section=section, author=expert, title="Clearer", text=BASE + " Ещё.", rationale="R", base_version=1
    )


# Each creating form: who sends it, where, what (without the token), and what it creates.
FORMS = {
    "section comment": ("expert", lambda s, p, c: reverse("drafting:section-comment-add", args=[s.pk]), Comment),
    "proposal comment": ("expert", lambda s, p, c: reverse("drafting:proposal-comment-add", args=[p.pk]), Comment),
    "amendment": ("expert", lambda s, p, c: reverse("drafting:proposal-create", args=[s.pk]), Proposal),
    "new section": ("expert", lambda s, p, c: reverse("drafting:proposal-create-section", args=[c.pk]), Proposal),
    "meeting": ("coordinator", lambda s, p, c: reverse("drafting:meeting-create", args=[c.pk]), Meeting),
    "edition": ("coordinator", lambda s, p, c: reverse("drafting:edition-list", args=[c.pk]), Edition),
}


def form_data(name, section, proposal):
    return {
        "section comment": {"body": "Уточнить.", "quote": "Второе предложение."},
        "proposal comment": {"body": "Почему?"},
        "amendment": {"title": "T", "text": BASE + " Новое.", "rationale": "R", "base_version": section.version},
        "new section": {"title": "T", "heading": "New", "text": "Текст.", "rationale": "R", "parent": ""},
        "meeting": {"title": "Meeting of 12 June", "starts_at": "2026-12-12T10:00"},
        "edition": {"name": "Draft 0.1", "note": ""},
    }[name]


def created(model, before):
    return model.objects.exclude(pk__in=before).order_by("pk")


@pytest.fixture
def people(expert, other_expert, coordinator):
    second = ExpertFactory(full_name="Second Coordinator", role=Expert.Role.COORDINATOR).user
    return {"expert": (expert, other_expert), "coordinator": (coordinator, second)}


@pytest.mark.django_db
@pytest.mark.parametrize("name", list(FORMS))
def test_the_same_form_sent_twice_creates_one_and_leads_to_it(name, section, proposal, concept, people):
    role, url_of, model = FORMS[name]
    user = people[role][0]
    url, data = url_of(section, proposal, concept), form_data(name, section, proposal)
    before = list(model.objects.values_list("pk", flat=True))
    token = new_submission_token()
    client = client_for(user)

    first = client.post(url, {**data, "submission": token})
    second = client.post(url, {**data, "submission": token}, follow=True)

    made = list(created(model, before))
    assert len(made) == 1, name
    assert first.status_code == 302
    assert second.redirect_chain[0][0] == first["Location"]
    assert "You had already sent this form" in second.text
    claim = SubmissionToken.objects.get(token=token)
    assert (claim.user, claim.target) == (user, made[0])


@pytest.mark.django_db
@pytest.mark.parametrize("name", list(FORMS))
def test_two_forms_with_their_own_tokens_create_two(name, section, proposal, concept, people):
    role, url_of, model = FORMS[name]
    url, data = url_of(section, proposal, concept), form_data(name, section, proposal)
    before = list(model.objects.values_list("pk", flat=True))
    client = client_for(people[role][0])
    if name == "edition":  # two editions need two names
        client.post(url, {**data, "submission": new_submission_token()})
        client.post(url, {**data, "name": "Draft 0.2", "submission": new_submission_token()})
    else:
        client.post(url, {**data, "submission": new_submission_token()})
        client.post(url, {**data, "submission": new_submission_token()})
    assert created(model, before).count() == 2


@pytest.mark.django_db
@pytest.mark.parametrize("name", list(FORMS))
def test_another_persons_token_never_leads_to_their_object(name, section, proposal, concept, people):
    role, url_of, model = FORMS[name]
    owner, other = people[role]
    url, data = url_of(section, proposal, concept), form_data(name, section, proposal)
    before = list(model.objects.values_list("pk", flat=True))
    token = new_submission_token()
    first = client_for(owner).post(url, {**data, "submission": token})
    theirs = created(model, before).get()
    if name == "edition":
        data = {**data, "name": "Draft 0.2"}

    response = client_for(other).post(url, {**data, "submission": token})

    assert response.status_code == 302 and response["Location"] != first["Location"]
    mine = created(model, before).exclude(pk=theirs.pk).get()
    assert response["Location"].endswith(f"#comment-{mine.pk}" if model is Comment else mine.get_absolute_url())
    assert SubmissionToken.objects.get(token=token, user=other).target == mine


@pytest.mark.django_db
def test_a_reply_sent_twice_is_one_reply(proposal, expert, other_expert):
    root = services.comment_add(author=other_expert, body="Почему?", proposal=proposal)
    url = reverse("drafting:proposal-comment-add", args=[proposal.pk])
    page = client_for(expert).get(proposal.get_absolute_url()).text
    token = page.split('name="submission" value="', 1)[1].split('"', 1)[0]  # the reply form's own token
    client = client_for(expert)
    first = client.post(url, {"body": "Потому что.", "parent": root.pk, "submission": token})
    second = client.post(url, {"body": "Потому что.", "parent": root.pk, "submission": token})
    assert Comment.objects.filter(parent=root).count() == 1
    assert second["Location"] == first["Location"]
    assert first["Location"].endswith(f"#comment-{Comment.objects.get(parent=root).pk}")


@pytest.mark.django_db
def test_the_same_token_with_other_content_is_refused_and_the_text_kept(expert_client, proposal):
    url = reverse("drafting:proposal-comment-add", args=[proposal.pk])
    token = new_submission_token()
    expert_client.post(url, {"body": "Первый.", "submission": token})
    # The back button, then a new comment written in the old page: not a repeat of the first one.
    response = expert_client.post(url, {"body": "Второй, другой.", "submission": token})
    assert response.status_code == 400
    assert "already been sent once, with other content" in response.text
    assert "Второй, другой." in response.text
    assert list(Comment.objects.values_list("body", flat=True)) == ["Первый."]
    fresh = response.context["comment_form"]["submission"].value()
    assert fresh and fresh != token
    assert expert_client.post(url, {"body": "Второй, другой.", "submission": fresh}).status_code == 302
    assert Comment.objects.count() == 2


@pytest.mark.django_db
def test_a_form_without_its_token_is_refused_with_the_text_kept_and_a_fresh_token(expert_client, section):
    response = expert_client.post(
        reverse("drafting:proposal-create", args=[section.pk]),
        {"title": "T", "text": BASE + " Мой.", "rationale": "Моё обоснование", "base_version": 1},
    )
    assert response.status_code == 400
    assert "lost its one-time mark" in response.text and "Моё обоснование" in response.text
    assert response.context["form"]["submission"].value()
    assert not Proposal.objects.exists()


@pytest.mark.django_db
def test_a_failed_creation_leaves_the_token_free(coordinator_client, concept, coordinator):
    services.edition_freeze(concept=concept, name="Taken", user=coordinator)
    url = reverse("drafting:edition-list", args=[concept.pk])
    token = new_submission_token()
    assert coordinator_client.post(url, {"name": "Taken", "submission": token}).status_code == 400
    assert not SubmissionToken.objects.exists()


@pytest.mark.django_db
def test_a_claim_made_between_the_check_and_the_insert_returns_the_first_result(
    monkeypatch, proposal, expert, django_assert_max_num_queries
):
    """The race on one database: the other request claims the token after this one looked for it."""
    first = submissions.submission_once(
        user=expert,
        token="t",
        fingerprint="f",
        create=lambda: services.comment_add(author=expert, body="Once", proposal=proposal),
    )
    real_claim_of = submissions._claim_of
    calls = []

    def not_yet_then_real(user, token):
        calls.append(token)
        return None if len(calls) == 1 else real_claim_of(user, token)

    monkeypatch.setattr(submissions, "_claim_of", not_yet_then_real)
    again = submissions.submission_once(
        user=expert,
        token="t",
        fingerprint="f",
        create=lambda: services.comment_add(author=expert, body="Once", proposal=proposal),
    )
    assert (again.created, again.obj) == (False, first.obj)
    assert Comment.objects.count() == 1


@pytest.mark.postgresql
@pytest.mark.django_db(transaction=True)
def test_two_submissions_at_the_same_moment_create_one(proposal, expert):
    barrier = threading.Barrier(2)
    results, errors = [], []

    def send():
        try:
            barrier.wait(timeout=10)
            results.append(
                submissions.submission_once(
                    user=expert,
                    token="same",
                    fingerprint="f",
                    create=lambda: services.comment_add(author=expert, body="Once", proposal=proposal),
                )
            )
        except Exception as error:
            errors.append(error)
        finally:
            close_old_connections()

    threads = [threading.Thread(target=send) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not errors, errors
    assert sorted(r.created for r in results) == [False, True]
    assert Comment.objects.count() == 1
    assert results[0].obj == results[1].obj


@pytest.mark.django_db
def test_a_meeting_sent_twice_has_one_agenda(coordinator_client, concept, proposal, other_expert):
    services.comment_add(author=other_expert, body="Open question", proposal=proposal)  # a disagreement
    url = reverse("drafting:meeting-create", args=[concept.pk])
    data = {"title": "M", "starts_at": timezone.now().strftime("%Y-%m-%dT%H:%M"), "proposals": [proposal.pk]}
    token = new_submission_token()
    coordinator_client.post(url, {**data, "submission": token})
    coordinator_client.post(url, {**data, "submission": token})
    assert Meeting.objects.get().items.count() == 1
