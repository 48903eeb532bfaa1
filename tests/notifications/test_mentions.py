"""@mentions: a link to the directory, plain text for unknown names, a bounded number of people told."""

from django.core import mail

from drafting import services
from drafting.models import Notice
from notifications.services.mentions import MAX_MENTIONS, link_mentions
from tests.factories import ExpertFactory, make_section


def test_a_mention_links_to_the_directory_and_tells_the_person_at_once(
    concept, expert, coordinator, deliver, committed
):
    section = make_section(concept, "Goals", "Unity.", user=expert)
    with committed():
        comment = services.comment_add(
            author=expert, body=f"What do you think, @{coordinator.username}?", section=section
        )
    assert f'href="/members/#expert-{coordinator.expert.pk}"' in comment.body_html
    deliver()
    sent = [m for m in mail.outbox if m.to == [coordinator.email]]
    assert len(sent) == 1
    assert f"#comment-{comment.pk}" in sent[0].body
    assert Notice.objects.filter(recipient=coordinator, category="mention").count() == 1
    assert Notice.objects.filter(recipient=coordinator).count() == 1  # one notice, not also "a comment"


def test_an_unknown_name_and_names_in_code_or_links_stay_text(db, coordinator):
    html = (
        f"<p>Hi @nobody-here and @{coordinator.username}</p>"
        f"<p><code>@{coordinator.username}</code> <a href='/x'>@{coordinator.username}</a></p>"
        f"<pre>@{coordinator.username}</pre><p>mail@{coordinator.username}</p>"
    )
    linked = link_mentions(html)
    assert linked.count('class="mention"') == 1
    assert "@nobody-here" in linked
    assert f"<code>@{coordinator.username}</code>" in linked
    assert f"<pre>@{coordinator.username}</pre>" in linked
    assert f"mail@{coordinator.username}" in linked


def test_a_comment_with_200_mentions_tells_at_most_25_people(concept, expert, django_assert_max_num_queries):
    people = [ExpertFactory().user for _ in range(30)]
    names = " ".join(f"@{p.username}" for p in people)
    body = " ".join([names] * 7)[:19000]
    section = make_section(concept, "Goals", "Unity.", user=expert)
    with django_assert_max_num_queries(40):
        comment = services.comment_add(author=expert, body=body, section=section)
    assert body.count("@") >= 200
    assert comment.body_html.count('class="mention"') <= 7 * MAX_MENTIONS
    assert Notice.objects.filter(category="mention").count() == MAX_MENTIONS


def test_editing_a_comment_tells_only_the_newly_mentioned(concept, expert, other_expert, coordinator):
    section = make_section(concept, "Goals", "Unity.", user=expert)
    comment = services.comment_add(author=expert, body=f"@{coordinator.username} look", section=section)
    services.comment_edit(
        comment=comment, user=expert, body=f"@{coordinator.username} and @{other_expert.username} look"
    )
    assert Notice.objects.filter(recipient=coordinator, category="mention").count() == 1
    assert Notice.objects.filter(recipient=other_expert, category="mention").count() == 1


def test_the_autocomplete_lists_members_by_name_or_username(expert_client, coordinator):
    response = expert_client.get("/notifications/people.json", {"q": "Kanat"})
    assert response.status_code == 200
    assert response.json()["people"] == [{"username": coordinator.username, "name": "Kanat Coordinator"}]
    assert expert_client.get("/notifications/people.json", {"q": "x" * 500}).json() == {"people": []}


def test_a_mention_is_in_the_feed_of_the_person_mentioned_only(concept, expert, coordinator, client):
    section = make_section(concept, "Goals", "Unity.", user=expert)
    services.comment_add(author=expert, body=f"@{coordinator.username} look", section=section)
    client.force_login(expert)
    assert "mentioned you" not in client.get("/activity/").content.decode()
    client.force_login(coordinator)
    assert "mentioned you" in client.get("/activity/").content.decode()


def test_a_mention_matches_the_username_whatever_its_case_and_script(db):
    latin = ExpertFactory(user__username="aigul.n").user
    cyrillic = ExpertFactory(user__username="айгуль").user
    linked = link_mentions("<p>@Aigul.N and @АЙГУЛЬ, please.</p>")
    assert f'data-user="{latin.pk}"' in linked and f'data-user="{cyrillic.pk}"' in linked
    assert "please." in linked and linked.count('class="mention"') == 2
