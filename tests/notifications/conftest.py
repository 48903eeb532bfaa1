import contextlib

import pytest
from django.core.management import call_command


@pytest.fixture
def deliver(transactional_db):
    """Run the real django-tasks-db worker in this process until no task is ready.

    Tests that send mail commit for real (transactional_db): the mails' tasks are queued when
    the event's transaction commits, as in production, and the worker manages its own
    transactions and connections (on PostgreSQL it closes a connection left in a transaction).
    """

    def run() -> None:
        call_command("db_worker", batch=True, interval=0, startup_delay=False, verbosity=0)

    return run


@pytest.fixture
def committed():
    """Marks the block whose commit queues mail; with real commits there is nothing more to do."""
    return contextlib.nullcontext
