"""Bad input never makes a server error: every URL of the portal and of its admin, as a coordinator,
as staff and as a superuser, with bad ids, bad query parameters and bad form values.

The URL list is walked from the resolver (the drafting and members namespaces, and the admin's
object pages for every drafting and members model), and the form fields from the portal's forms
and the models, so a new page or field is fuzzed without editing this file.
"""

import inspect
import re
from datetime import timedelta
from urllib.parse import quote, urlencode

import pytest
from django import forms
from django.contrib import admin
from django.contrib.auth import get_user_model
from django.test import Client
from django.urls import URLResolver, get_resolver
from django.utils import timezone

import drafting.forms
import members.forms
from drafting import services
from drafting.models import Proposal
from tests.factories import make_section

PORTAL_NAMESPACES = ("drafting", "members")
ADMIN_APPS = ("drafting", "members")

# An id too large for the database matches <int:pk> and reaches the view; the others stop at the URL patterns.
REACHES_VIEWS = "9" * 25
BAD_IDS = [REACHES_VIEWS, "abc", "%00", "1.5", "-1", "%ED%A0%80"]
BAD_QUERIES = [
    "?from=abc&to=-1&page=x&edition=1.5&mode=<script>",
    "?from=99999999999999999999&to=1.5&page=-1&edition=-1&mode=%ED%A0%80&q=%ED%A0%80",
    "?page=%00&q=%00",
]
ADMIN_QUERIES = ["?q=%ED%A0%80&o=abc&p=x&e=1", "?p=-1&o=99&id__exact=abc&_to_field=password", "?q=%00"]
# Refused for its method or for the person's role before the body is read: the rest would be refused alike.
REFUSED_WHATEVER_IT_CARRIES = {403, 405}
HUGE = "x" * 1_000_000
FORM = "application/x-www-form-urlencoded"


def _form_field_names() -> set[str]:
    names = set()
    for module in (drafting.forms, members.forms):
        for _, form_class in inspect.getmembers(module, inspect.isclass):
            if issubclass(form_class, forms.BaseForm) and form_class.__module__ == module.__name__:
                names |= set(form_class.base_fields)
    return names


def _payloads(fields: set[str]) -> list[tuple[str, bytes, str]]:
    """(name, body, content type): the same bad value in every field, and bodies that do not decode."""
    fields = sorted(fields)

    def every(value: str) -> bytes:
        return urlencode(dict.fromkeys(fields, value)).encode()

    # Two 1 MB texts: more fields that long would pass Django's request size limit (a 400 before any view).
    huge = {name: "x" * 1000 for name in fields} | {"body": HUGE, "text": HUGE}
    return [
        ("empty", every(""), FORM),
        ("nul", every("a\x00b"), FORM),
        ("lone surrogate", "&".join(f"{name}=%ED%A0%80" for name in fields).encode(), FORM),
        ("1 MB", urlencode(huge).encode(), FORM),
        ("non-numeric id", every("abc"), FORM),
        ("negative", every("-1"), FORM),
        ("huge integer", every("9" * 30), FORM),
        (
            "latin-1 charset",
            urlencode(dict.fromkeys(fields, "café"), encoding="latin-1").encode(),
            FORM + "; charset=latin-1",
        ),
        ("raw latin-1 bytes", "&".join(f"{name}=caf\xe9" for name in fields).encode("latin-1"), FORM),
    ]


def _portal_routes() -> list[str]:
    routes = []
    for top in get_resolver().url_patterns:
        if isinstance(top, URLResolver) and top.namespace in PORTAL_NAMESPACES:
            routes += [str(top.pattern) + str(pattern.pattern) for pattern in top.url_patterns]
    return routes


def _fill(route: str, ids: dict[str, int], bad: str | None = None) -> str:
    """The route with real ids (by its first segment), or with `bad` in place of every parameter."""
    kind = route.split("/", 1)[0]

    def value(match: re.Match) -> str:
        converter, name = match.groups()
        if bad is not None:
            return bad
        if converter == "slug":
            return "md"
        return str(ids["version"] if name == "version" else ids[kind])

    return "/" + re.sub(r"<(\w+):(\w+)>", value, route)


@pytest.fixture
def portal(db, concept, coordinator, expert):
    section = make_section(concept, heading="Principles", body="Unity in diversity.")
    make_section(concept, heading="Goals", body="Harmony.", parent=section)
    proposal = services.proposal_create_amendment(
        section=section,
        author=expert,
        title="Sharper",
        text="Unity in diversity, always.",
        rationale="Why.",
        base_version=1,
    )
    comment = services.comment_add(author=expert, body="Agreed.", section=section)
    edition = services.edition_freeze(concept=concept, name="First reading", user=coordinator)
    meeting = services.meeting_schedule(
        concept=concept,
        user=coordinator,
        title="Session",
        starts_at=timezone.now() + timedelta(days=1),
        proposals=[proposal],
    )
    return {
        "concept": concept.pk,
        "sections": section.pk,
        "proposals": proposal.pk,
        "comments": comment.pk,
        "editions": edition.pk,
        "meetings": meeting.pk,
        "version": 1,
    }


def _clients(coordinator, staff) -> dict[str, Client]:
    superuser = get_user_model().objects.create_superuser("root", "root@example.kz", "a-long-root-password-2026")
    clients = {}
    for role, user in {"coordinator": coordinator, "staff": staff, "superuser": superuser}.items():
        clients[role] = Client(raise_request_exception=False)
        clients[role].force_login(user)
    return clients


class Fuzzer:
    def __init__(self):
        self.requests = 0
        self.server_errors = []

    def get(self, client: Client, role: str, url: str):
        self._record(role, "GET", url, client.get(url))

    def post(self, client: Client, role: str, url: str, payloads):
        for name, body, content_type in payloads:
            response = client.generic("POST", url, body, content_type=content_type)
            self._record(role, f"POST {name}", url, response)
            if response.status_code in REFUSED_WHATEVER_IT_CARRIES:
                return

    def _record(self, role, what, url, response):
        self.requests += 1
        if response.status_code >= 500:
            self.server_errors.append(f"{role} {what} {url} -> {response.status_code}")


def _admin_object_ids(model) -> list[str]:
    first = model._default_manager.order_by("pk").first()
    return [quote(str(first.pk))] if first is not None else []


def test_no_server_error_for_bad_input_anywhere(portal, coordinator, staff):
    fuzzer = Fuzzer()
    portal_payloads = _payloads(_form_field_names())
    routes = _portal_routes()
    admin_models = [
        (model, model_admin)
        for model, model_admin in admin.site._registry.items()
        if model._meta.app_label in ADMIN_APPS
    ]

    for role, client in _clients(coordinator, staff).items():
        # What the URL patterns or the query parsing refuse is refused alike for everyone: one person tries it all.
        bad_ids = BAD_IDS if role == "coordinator" else [REACHES_VIEWS]
        queries = BAD_QUERIES if role == "coordinator" else BAD_QUERIES[:1]
        for route in routes:
            url = _fill(route, portal)
            for query in queries:
                fuzzer.get(client, role, url + query)
            fuzzer.post(client, role, url, portal_payloads)
            if "<" in route:
                for bad in bad_ids:
                    fuzzer.get(client, role, _fill(route, portal, bad=bad))

        for model, _model_admin in admin_models:
            base = f"/admin/{model._meta.app_label}/{model._meta.model_name}/"
            if role == "coordinator":  # not staff: the admin sends them to its sign-in page
                fuzzer.get(client, role, f"{base}abc/history/")
                continue
            payloads = _payloads({f.name for f in model._meta.concrete_fields} | {"_save"})
            for query in ADMIN_QUERIES:
                fuzzer.get(client, role, base + query)
            fuzzer.get(client, role, base + "add/")
            fuzzer.post(client, role, base + "add/", payloads[:3] + payloads[-2:])
            for object_id in _admin_object_ids(model):
                for page in ("change/", "history/", "delete/"):
                    fuzzer.get(client, role, f"{base}{object_id}/{page}")
                fuzzer.post(client, role, f"{base}{object_id}/change/", payloads)
                fuzzer.get(client, role, f"{base}{object_id}/history/abc/")
            for bad in BAD_IDS:
                for page in ("change/", "history/"):
                    fuzzer.get(client, role, f"{base}{bad}/{page}")
            for url in (f"{base}abc/delete/", f"{base}1.5/history/1/", f"{base}%00/delete/"):
                fuzzer.get(client, role, url)
            fuzzer.post(client, role, f"{base}abc/change/", payloads[:1])

    print(f"\nfuzz: {fuzzer.requests} requests, {len(fuzzer.server_errors)} server errors")
    assert fuzzer.server_errors == [], "\n".join(fuzzer.server_errors)
    # The walk found the pages it is meant to cover.
    assert len(routes) > 40 and len(admin_models) >= 10
    assert Proposal.objects.exists()
