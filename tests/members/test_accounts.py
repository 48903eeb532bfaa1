import pytest
from django.core import mail
from django.urls import reverse

from tests.factories import PASSWORD


@pytest.mark.django_db
def test_sign_in_and_out(client, expert):
    response = client.post(reverse("login"), {"username": expert.username, "password": PASSWORD})
    assert response.status_code == 302
    assert client.get(reverse("members:directory")).status_code == 200
    client.post(reverse("logout"))
    assert client.get(reverse("members:directory")).status_code == 302


@pytest.mark.django_db
def test_five_failed_sign_ins_pause_the_account_with_a_clear_message(client, expert, settings):
    settings.AXES_ENABLED = True
    statuses = [
        client.post(reverse("login"), {"username": expert.username, "password": "wrong-password"}).status_code
        for _ in range(5)
    ]
    assert statuses == [200, 200, 200, 200, 429]
    response = client.post(reverse("login"), {"username": expert.username, "password": PASSWORD})
    assert response.status_code == 429
    assert "Sign-in paused for 15 minutes" in response.text
    assert client.get(reverse("members:directory")).status_code == 302


@pytest.mark.django_db
def test_password_change_requires_12_characters(expert_client, expert):
    response = expert_client.post(
        reverse("password_change"),
        {"old_password": PASSWORD, "new_password1": "short-pass", "new_password2": "short-pass"},
        headers={"accept-language": "en"},  # Django's own message, in the language asked for
    )
    assert response.status_code == 200
    assert "at least 12 characters" in response.text
    response = expert_client.post(
        reverse("password_change"),
        {
            "old_password": PASSWORD,
            "new_password1": "a-much-longer-pass-2026",
            "new_password2": "a-much-longer-pass-2026",
        },
    )
    assert response.status_code == 302


@pytest.mark.django_db
def test_password_reset_sends_a_link_by_email(client, expert):
    response = client.post(reverse("password_reset"), {"email": expert.email})
    assert response.status_code == 302
    assert len(mail.outbox) == 1
    assert "/accounts/reset/" in mail.outbox[0].body


@pytest.mark.django_db
def test_login_page_is_public_and_says_what_it_is(client):
    response = client.get(reverse("login"), headers={"accept-language": "en"})
    assert response.status_code == 200
    assert "Sign in" in response.text


@pytest.mark.django_db
def test_password_reset_mail_is_written_in_the_language_the_person_chose(client, expert):
    from django.utils import translation

    from members.services import account_language_set

    account_language_set(user=expert, language="kk")
    client.post(reverse("password_reset"), {"email": expert.email}, HTTP_ACCEPT_LANGUAGE="ru")

    with translation.override("kk"):
        subject = translation.gettext("Setting a new password for the Concept portal")
        follow = translation.gettext("Follow this link to choose a new password:")
    (message,) = mail.outbox
    assert message.subject == subject != "Setting a new password for the Concept portal"
    assert follow in message.body
