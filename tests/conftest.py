import os

import pytest

from members.models import Expert

# pytest-playwright runs an event loop in the test thread; Django's ORM refuses to run
# there unless told it is safe. Only the test process sets this.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")


@pytest.fixture(autouse=True, scope="session")
def _clock_near_midnight_in_almaty():
    """With KISI_TEST_CLOCK=almaty-midnight the whole suite runs across a midnight in Asia/Almaty.

    The clock starts a minute before the next local midnight (always in the future, so the
    browser, whose clock does not move, still accepts the session cookies) and keeps ticking.
    A test that builds a date people see from UTC instead of the local date fails then; CI
    runs one of its two suites this way, so the suite holds at any hour.
    """
    if os.environ.get("KISI_TEST_CLOCK") != "almaty-midnight":
        yield
        return
    from datetime import datetime, timedelta
    from zoneinfo import ZoneInfo

    import time_machine

    almaty = ZoneInfo("Asia/Almaty")
    now = datetime.now(almaty)
    start = datetime.combine(now.date() + timedelta(days=1), datetime.min.time(), almaty) - timedelta(minutes=1)
    with time_machine.travel(start, tick=True):
        yield


@pytest.fixture(autouse=True)
def _fresh_cache_and_no_lockouts(request, settings, django_db_blocker):
    settings.AXES_ENABLED = False
    # The portal defaults to Russian; tests read English unless they ask for a language
    # (Accept-Language, a saved choice, or translation.override), which the language tests do.
    settings.LANGUAGE_CODE = "en"
    # People sign in with force_login here; the second factor has its own tests
    # (tests/members/test_two_factor.py), which turn it back on.
    settings.TWO_FACTOR_REQUIRED = False
    # A deliberately slow hasher is the point in production and a waste in tests.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    yield
    from django.core.cache import caches

    from drafting.selectors.documents import _document_html

    _document_html.cache_clear()  # a worker's copies of the document, keyed by content
    caches["local"].clear()  # a worker's copies of fragments (the navigation)
    # The cache is a table of the test database: a test in a transaction leaves nothing in it,
    # but a transactional one (a live server, racing threads) commits, so it is emptied after.
    if {"transactional_db", "live_server"} & set(request.fixturenames):
        from django.core.cache import cache

        with django_db_blocker.unblock():
            cache.clear()


@pytest.fixture
def concept(db):
    from tests.factories import ConceptFactory

    return ConceptFactory()


@pytest.fixture
def expert(db):
    from tests.factories import ExpertFactory

    return ExpertFactory(full_name="Aigul Expert", bloc=Expert.Bloc.SCIENTIFIC).user


@pytest.fixture
def other_expert(db):
    from tests.factories import ExpertFactory

    return ExpertFactory(full_name="Marat Other", bloc=Expert.Bloc.PRACTITIONER).user


@pytest.fixture
def coordinator(db):
    from tests.factories import ExpertFactory

    return ExpertFactory(full_name="Kanat Coordinator", role=Expert.Role.COORDINATOR).user


@pytest.fixture
def staff(db):
    from tests.factories import StaffFactory

    return StaffFactory()


@pytest.fixture
def expert_client(client, expert):
    client.force_login(expert)
    return client


@pytest.fixture
def coordinator_client(client, coordinator):
    client.force_login(coordinator)
    return client


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    """Drive Debian's Chromium; Playwright must never download a browser here."""
    if not os.path.exists(CHROMIUM):
        pytest.fail(f"Browser tests need Chromium at {CHROMIUM} (apt-get install chromium).", pytrace=False)
    return {
        **browser_type_launch_args,
        "executable_path": CHROMIUM,
        "args": [
            "--no-sandbox",
            "--disable-gpu",
            "--disable-dev-shm-usage",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--no-first-run",
        ],
    }


def pytest_collection_modifyitems(config, items):
    """Concurrency tests need real row locks: PostgreSQL runs them, SQLite deselects them.

    In CI (REQUIRE_POSTGRES=1) a suite that is not on PostgreSQL is an error, never a skip.
    """
    from django.db import connection

    if connection.vendor == "postgresql":
        return
    if os.environ.get("REQUIRE_POSTGRES"):
        raise pytest.UsageError(f"REQUIRE_POSTGRES is set but the database is {connection.vendor}.")
    keep = [item for item in items if not item.get_closest_marker("postgresql")]
    dropped = [item for item in items if item.get_closest_marker("postgresql")]
    if dropped:
        config.hook.pytest_deselected(items=dropped)
        items[:] = keep
