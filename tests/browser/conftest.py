"""Shared pieces of the browser journeys: signing in through the real form, demo people, a small Concept.

Every journey runs against Django's live server (a real HTTP server in a thread, on a
transactional test database) and drives Debian's Chromium through Playwright. People sign
in through the sign-in form, never with a forced session, so the login page is part of
every journey.
"""

import re
import threading
from dataclasses import dataclass

import pytest
from django.core.servers.basehttp import ThreadedWSGIServer
from django.test.testcases import LiveServerThread
from playwright.sync_api import BrowserContext, Page, expect

from drafting.models import Concept, Section
from members.models import Expert
from tests.factories import PASSWORD, ConceptFactory, ExpertFactory, StaffFactory, make_section

DEFAULT_TIMEOUT_MS = 10_000


class OneRequestAtATimeOnSQLite(ThreadedWSGIServer):
    """The live server, answering one request at a time when the test database is SQLite's.

    On SQLite the test database lives in memory with a shared cache, and each request thread
    opens its own connection to it. Shared-cache connections lock whole tables and do not wait
    for each other: two requests at once (a page and a look-up it fires, or two people's pages)
    can fail with "database table is locked", which the portal answers as a database hiccup.
    PostgreSQL waits for its locks, so there the server stays concurrent. The response is read
    whole inside the lock, so a streamed export is serialised too.
    """

    def set_app(self, application):
        from django.db import connection

        if connection.vendor != "sqlite":
            return super().set_app(application)
        lock = threading.Lock()

        def one_at_a_time(environ, start_response):
            with lock:
                response = application(environ, start_response)
                try:
                    return [b"".join(response)]
                finally:
                    if hasattr(response, "close"):
                        response.close()

        return super().set_app(one_at_a_time)


LiveServerThread.server_class = OneRequestAtATimeOnSQLite

# The text of "1.1. Purpose": three sentences in one paragraph, so two people can change
# different sentences (a clean word-by-word merge) or the same one (a conflict).
PURPOSE_FIRST = "Настоящая Концепция определяет цели государственной политики в сфере межэтнических отношений."
PURPOSE_MIDDLE = "Она опирается на единство народа Казахстана."
PURPOSE_LAST = "Қазақстан халқының бірлігі — ортақ құндылық."
PURPOSE_BODY = f"{PURPOSE_FIRST} {PURPOSE_MIDDLE} {PURPOSE_LAST}"

GENERAL_BODY = (
    "The Concept sets out the **principles** of state policy in interethnic relations "
    "of the Republic of Kazakhstan for 2026–2030.\n\n"
    "Концепция разработана Рабочей группой при КИСИ."
)
GOALS_BODY = (
    "- Strengthen civic identity and the unity of the people of Kazakhstan.\n"
    "- Қазақ тілінің мемлекеттік тіл ретіндегі рөлін нығайту.\n"
    "- Поддерживать языки и культуры всех этносов страны."
)


@dataclass
class DemoConcept:
    concept: Concept
    general: Section  # 1.
    purpose: Section  # 1.1.
    goals: Section  # 2.


def sign_in(page: Page, live_server, username: str) -> Page:
    """Sign in through the real form at /accounts/login/ and wait for the portal to greet the person."""
    page.set_default_timeout(DEFAULT_TIMEOUT_MS)
    page.goto(f"{live_server.url}/accounts/login/")
    expect(page.get_by_role("heading", name="Sign in")).to_be_visible()
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    # Signed in: the header offers "Sign out" (the login page itself does not).
    expect(page.get_by_role("button", name="Sign out")).to_be_visible()
    expect(page).not_to_have_url(re.compile(r"/accounts/login/"))
    return page


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    """The sign-in form stays real; only the deliberately slow PBKDF2 work (~1 s a sign-in) is skipped."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def page(page: Page) -> Page:
    """pytest-playwright's page, with a timeout that fails a stuck step quickly."""
    page.set_default_timeout(DEFAULT_TIMEOUT_MS)
    page.set_default_navigation_timeout(DEFAULT_TIMEOUT_MS)
    return page


@pytest.fixture
def other_page(new_context) -> Page:
    """A page in a second, separate browser context: another person at another computer."""
    context: BrowserContext = new_context()
    context.set_default_timeout(DEFAULT_TIMEOUT_MS)
    context.set_default_navigation_timeout(DEFAULT_TIMEOUT_MS)
    return context.new_page()


@pytest.fixture
def demo_expert(transactional_db):
    return ExpertFactory(user__username="demo-expert", full_name="Demo Expert", position="Senior researcher").user


@pytest.fixture
def second_expert(transactional_db):
    return ExpertFactory(
        user__username="demo-expert-2", full_name="Айгерим Сейткали", bloc=Expert.Bloc.PRACTITIONER
    ).user


@pytest.fixture
def demo_coordinator(transactional_db):
    return ExpertFactory(
        user__username="demo-coordinator", full_name="Demo Coordinator", role=Expert.Role.COORDINATOR
    ).user


@pytest.fixture
def demo_staff(transactional_db):
    return StaffFactory(username="demo-staff")


@pytest.fixture
def demo_concept(transactional_db, demo_coordinator) -> DemoConcept:
    """1. General provisions / 1.1. Purpose / 2. Goals, created through the services (so with history)."""
    concept = ConceptFactory(title="Концепция государственной политики в сфере межэтнических отношений")
    general = make_section(concept, "General provisions", GENERAL_BODY, user=demo_coordinator)
    purpose = make_section(concept, "Purpose", PURPOSE_BODY, parent=general, user=demo_coordinator)
    goals = make_section(concept, "Goals", GOALS_BODY, user=demo_coordinator)
    return DemoConcept(concept=concept, general=general, purpose=purpose, goals=goals)
