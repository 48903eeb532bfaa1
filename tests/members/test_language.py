"""The language switcher: every page offers Қазақша, Русский and English; a signed-in person's choice follows them."""

import pytest
from django.conf import settings
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from members.models import AccountSettings
from members.services import account_language_set, language_for
from tests.factories import PASSWORD

SWITCH = reverse("members:language-switch")
DIRECTORY = reverse("members:directory")


def html_lang(response) -> str:
    return response.text.split('<html lang="', 1)[1].split('"', 1)[0]


@pytest.mark.django_db
@pytest.mark.parametrize("language", ["kk", "ru", "en"])
def test_every_page_offers_the_three_languages_named_in_themselves(expert_client, language):
    response = expert_client.get(DIRECTORY, headers={"accept-language": language})
    assert html_lang(response) == language
    for code, name in [("kk", "Қазақша"), ("ru", "Русский"), ("en", "English")]:
        pressed = "true" if code == language else "false"
        button = (
            f'value="{code}" lang="{code}" class="language-switch__option" aria-pressed="{pressed}">{name}</button>'
        )
        assert button in response.text


@pytest.mark.django_db
def test_switching_changes_the_language_of_the_next_page(expert_client, expert):
    response = expert_client.post(SWITCH, {"language": "kk", "next": DIRECTORY}, headers={"accept-language": "en"})
    assert response.status_code == 302
    assert response.url == DIRECTORY
    page = expert_client.get(DIRECTORY, headers={"accept-language": "en"})
    assert html_lang(page) == "kk"
    assert page.headers["Content-Language"] == "kk"
    assert expert.account_settings.language == "kk"
    row = expert.account_settings.history.get()
    assert (row.history_user, row.history_change_reason) == (expert, "Language set to kk")


@pytest.mark.django_db
def test_the_choice_follows_the_person_to_another_browser(client, expert):
    first = Client()
    first.force_login(expert)
    first.post(SWITCH, {"language": "kk", "next": DIRECTORY})

    # Another computer: no cookie, a browser that asks for English; signing in through the form.
    response = client.post(
        reverse("login"), {"username": expert.username, "password": PASSWORD}, headers={"accept-language": "en"}
    )
    assert response.status_code == 302
    assert settings.LANGUAGE_COOKIE_NAME not in client.cookies
    page = client.get(DIRECTORY, headers={"accept-language": "en"})
    assert html_lang(page) == "kk"


@pytest.mark.django_db
def test_without_a_saved_choice_the_browser_decides_else_the_default(expert_client, settings):
    settings.LANGUAGE_CODE = "ru"  # the portal's default (the environment may name another)
    assert html_lang(expert_client.get(DIRECTORY, headers={"accept-language": "en-GB,en;q=0.8"})) == "en"
    assert html_lang(expert_client.get(DIRECTORY, headers={"accept-language": "kk"})) == "kk"
    assert html_lang(expert_client.get(DIRECTORY, headers={"accept-language": "fr"})) == "ru"


@pytest.mark.django_db
def test_visitor_on_the_sign_in_page_switches_with_a_cookie_only(client):
    login = reverse("login")
    page = client.get(login, headers={"accept-language": "en"})
    assert ">Қазақша</button>" in page.text  # the sign-in page offers the choice too

    response = client.post(SWITCH, {"language": "ru", "next": login}, headers={"accept-language": "en"})
    assert response.status_code == 302
    assert response.url == login
    cookie = client.cookies[settings.LANGUAGE_COOKIE_NAME]
    assert cookie.value == "ru"
    assert cookie["httponly"] and cookie["samesite"] == "Lax"
    assert html_lang(client.get(login, headers={"accept-language": "en"})) == "ru"
    assert not AccountSettings.objects.exists()


@pytest.mark.django_db
@pytest.mark.parametrize("code", ["de", "", "kk'><script>", "en-us" * 10])
def test_unknown_language_is_ignored_without_an_error(expert_client, expert, code):
    response = expert_client.post(SWITCH, {"language": code, "next": DIRECTORY}, headers={"accept-language": "en"})
    assert response.status_code == 302
    assert response.url == DIRECTORY
    assert settings.LANGUAGE_COOKIE_NAME not in response.cookies
    assert not AccountSettings.objects.filter(user=expert).exists()
    assert html_lang(expert_client.get(DIRECTORY, headers={"accept-language": "en"})) == "en"


@pytest.mark.django_db
def test_unknown_language_in_the_cookie_is_ignored(client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "xx"
    response = client.get(reverse("login"), headers={"accept-language": "kk"})
    assert response.status_code == 200
    assert html_lang(response) == "kk"


@pytest.mark.django_db
def test_a_saved_language_no_longer_offered_falls_back_to_the_browser(expert_client, expert):
    AccountSettings.objects.create(user=expert, language="de")
    assert html_lang(expert_client.get(DIRECTORY, headers={"accept-language": "en"})) == "en"
    assert language_for(expert) == settings.LANGUAGE_CODE


@pytest.mark.django_db
@pytest.mark.parametrize(
    "next_url",
    ["https://evil.example/", "//evil.example/", "javascript:alert(1)", "http://testserver.evil/", ""],
)
def test_unsafe_next_is_not_followed(expert_client, next_url):
    response = expert_client.post(SWITCH, {"language": "ru", "next": next_url})
    assert response.status_code == 302
    assert response.url == reverse(settings.LOGIN_REDIRECT_URL)


@pytest.mark.django_db
def test_unsafe_next_sends_a_visitor_back_to_sign_in(client):
    response = client.post(SWITCH, {"language": "ru", "next": "https://evil.example/"})
    assert response.url == reverse("login")


@pytest.mark.django_db
def test_get_is_not_allowed(expert_client, client):
    assert expert_client.get(SWITCH, {"language": "kk"}).status_code == 405
    assert Client().get(SWITCH, {"language": "kk"}).status_code == 405


@pytest.mark.django_db
def test_switch_without_the_csrf_token_is_refused(expert):
    strict = Client(enforce_csrf_checks=True)
    strict.force_login(expert)
    response = strict.post(SWITCH, {"language": "kk", "next": DIRECTORY})
    assert response.status_code == 403
    assert not AccountSettings.objects.filter(user=expert).exists()

    page = strict.get(DIRECTORY)
    token = page.text.split('name="csrfmiddlewaretoken" value="', 1)[1].split('"', 1)[0]
    response = strict.post(SWITCH, {"language": "kk", "next": DIRECTORY, "csrfmiddlewaretoken": token})
    assert response.status_code == 302
    assert AccountSettings.objects.get(user=expert).language == "kk"


@pytest.mark.django_db
def test_language_for_is_the_saved_choice_else_the_default(expert, other_expert, settings):
    settings.LANGUAGE_CODE = "ru"
    account_language_set(user=expert, language="kk")
    expert.refresh_from_db()
    assert language_for(expert) == "kk"
    assert language_for(other_expert) == "ru"


@pytest.mark.django_db
def test_saving_the_same_language_again_writes_no_history(expert):
    account_language_set(user=expert, language="en")
    account_language_set(user=expert, language="en")
    account_language_set(user=expert, language="kk")
    rows = AccountSettings.history.filter(user=expert).order_by("history_id")
    assert [(row.language, row.history_type) for row in rows] == [("en", "+"), ("kk", "~")]


@pytest.mark.django_db
def test_the_saved_language_costs_no_query(expert_client, expert):
    expert_client.get(DIRECTORY)  # each worker renders the navigation once per language
    with CaptureQueriesContext(connection) as never_chose:
        expert_client.get(DIRECTORY)
    account_language_set(user=expert, language="kk")
    expert_client.get(DIRECTORY)
    with CaptureQueriesContext(connection) as chose:
        response = expert_client.get(DIRECTORY)
    assert html_lang(response) == "kk"
    assert len(chose) == len(never_chose)  # the settings come with the user, in the same query
