"""Language journey: an expert chooses Қазақша with the keyboard, and the portal keeps speaking it to them.

The interface words become Kazakh only as the catalogues are filled, so the journey checks
what the switch itself decides: the page's `lang`, the switcher's own names, and the names
of people, which the portal writes in Cyrillic on Kazakh and Russian pages and in Latin
letters on English ones.
"""

import re

import pytest
from playwright.sync_api import Page, expect

from tests.browser.conftest import sign_in
from tests.factories import PASSWORD, ExpertFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

KAZAKH_LETTERS = "әғқңөұүһі"


@pytest.fixture
def aigul(transactional_db):
    return ExpertFactory(
        user__username="a.sadvokasova", full_name="Айгуль Садвокасова", full_name_latin="Aigul Sadvokasova"
    ).user


def tab_to(page: Page, button_name: str, *, limit: int = 60) -> None:
    """Press Tab until the named button has the focus, as a keyboard user would."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement && document.activeElement.textContent.trim()") == button_name:
            return
    pytest.fail(f"“{button_name}” cannot be reached with the Tab key")


def sign_in_without_reading(page: Page, live_server, username: str) -> None:
    """Sign in through the form by its fields' names: the page may already speak Kazakh."""
    page.goto(f"{live_server.url}/accounts/login/")
    page.locator("input[name=username]").fill(username)
    page.locator("input[name=password]").fill(PASSWORD)
    page.locator("form[action$='/accounts/login/'] button[type=submit]").click()
    expect(page).not_to_have_url(re.compile(r"/accounts/login/"))


def test_expert_switches_to_kazakh_with_the_keyboard_and_keeps_it(page, live_server, aigul, demo_concept, tmp_path):
    sign_in(page, live_server, "a.sadvokasova")
    html = page.locator("html")
    switcher = page.locator("form.language-switch")  # its buttons name their languages in themselves
    expect(html).to_have_attribute("lang", "en")
    expect(page.locator(".user-box")).to_contain_text("Aigul Sadvokasova")  # Latin letters on English pages
    for code, name in [("kk", "Қазақша"), ("ru", "Русский"), ("en", "English")]:
        expect(switcher.get_by_role("button", name=name, exact=True)).to_have_attribute("lang", code)
    expect(switcher.get_by_role("button", name="English")).to_have_attribute("aria-pressed", "true")

    page.goto(f"{live_server.url}/concept/{demo_concept.concept.pk}/document/")
    tab_to(page, "Қазақша")
    page.keyboard.press("Enter")

    # Back on the same page, now in Kazakh.
    expect(html).to_have_attribute("lang", "kk")
    expect(page).to_have_url(re.compile(rf"/concept/{demo_concept.concept.pk}/document/$"))
    expect(page.get_by_role("button", name="Қазақша")).to_have_attribute("aria-pressed", "true")
    for name in ("Қазақша", "Русский", "English"):  # still named in themselves, not in Kazakh
        expect(switcher.get_by_role("button", name=name, exact=True)).to_be_visible()
    expect(page.locator(".user-box")).to_contain_text("Айгуль Садвокасова")
    # Every letter of the Kazakh text comes from the bundled serif, which the CSP lets the page load.
    assert page.evaluate(
        """async (letters) => {
            await document.fonts.ready;
            return document.fonts.check('16px "Portal Serif"', letters)
                && [...document.fonts].some(f => f.family.includes('Portal Serif') && f.status === 'loaded');
        }""",
        KAZAKH_LETTERS,
    )
    page.screenshot(path=tmp_path / "document-in-kazakh.png", full_page=True)
    assert (tmp_path / "document-in-kazakh.png").stat().st_size > 0

    # Signing out: the browser remembers the choice for the sign-in page.
    page.locator("form[action$='/accounts/logout/'] button").click()
    expect(html).to_have_attribute("lang", "kk")

    # Another browser, or this one forgetting its cookies: the account remembers.
    page.context.clear_cookies()
    page.goto(f"{live_server.url}/accounts/login/")
    expect(html).to_have_attribute("lang", "en")  # before signing in, the browser's language decides
    sign_in_without_reading(page, live_server, "a.sadvokasova")
    expect(html).to_have_attribute("lang", "kk")
    expect(page.locator(".user-box")).to_contain_text("Айгуль Садвокасова")


def test_visitor_chooses_russian_on_the_sign_in_page(page, live_server):
    page.goto(f"{live_server.url}/accounts/login/")
    expect(page.locator("html")).to_have_attribute("lang", "en")
    page.get_by_role("button", name="Русский").click()
    expect(page).to_have_url(re.compile(r"/accounts/login/$"))
    expect(page.locator("html")).to_have_attribute("lang", "ru")
    expect(page.get_by_role("button", name="Русский")).to_have_attribute("aria-pressed", "true")
