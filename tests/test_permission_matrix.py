"""Who may open and who may post to every route, for each kind of person: one table, checked cell by cell.

The routes come from the URL list, so a new view cannot escape the matrix: a route in the
namespace of the portal (NAMESPACES) without a row in MATRIX fails the test, named, until someone
writes down who may GET it and who may POST to it.

Each cell is one request. Expected outcomes, by class:
  anonymous, on a page that needs a signed-in person -> 302 to the sign-in page;
  refused -> 403 or 404; allowed -> 200, 302 (not to sign-in), 400 or 409; wrong method -> 405.
Allowed POSTs carry an empty form, so most are 400: the point is that the view let the person
through. Every cell runs in a savepoint rolled back after it, so no cell sees another's writes.

Run with `-s` to see the figures: "N cells checked, 0 violations".
"""

from dataclasses import dataclass
from datetime import timedelta

import pytest
from django.conf import settings
from django.core.cache import caches
from django.db import transaction
from django.shortcuts import resolve_url
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone

from drafting import services
from drafting.models import Notice
from drafting.selectors.documents import _document_html
from members.models import Expert
from tests.factories import ExpertFactory, StaffFactory, UserFactory, make_parallel_text, make_section

# The kinds of person. The demoted coordinator was a coordinator whose role was then changed
# to expert on the seat alone (as the admin's Expert page does), leaving their account in the
# Coordinator group; the inactive ones had their seat marked inactive the same way.
PEOPLE = [
    "anonymous",
    "expert",
    "inactive_expert",
    "coordinator",
    "demoted_coordinator",
    "inactive_coordinator",
    "staff",
    "superuser",
]
SIGNED_IN = frozenset(PEOPLE) - {"anonymous"}
EVERYONE = frozenset(PEOPLE)
# Active seats, and the superuser, who holds every permission.
MEMBERS = frozenset({"expert", "coordinator", "demoted_coordinator", "superuser"})
COORDINATORS = frozenset({"coordinator", "superuser"})
# Positions are a seat's own: the superuser has none.
SEATS = frozenset({"expert", "coordinator", "demoted_coordinator"})
# The proposal and the comment below are the expert's.
AUTHOR = frozenset({"expert"})
NOBODY = frozenset()
WRONG_METHOD = "405"  # the route does not take this method

# fmt: off
MATRIX = {
    # route                               who may GET      who may POST
    "drafting:home":                      (SIGNED_IN,      WRONG_METHOD),
    "drafting:activity":                  (SIGNED_IN,      WRONG_METHOD),
    # Reading and editing sections
    "drafting:concept-toc":               (SIGNED_IN,      WRONG_METHOD),
    "drafting:concept-document":          (SIGNED_IN,      WRONG_METHOD),
    "drafting:section-detail":            (SIGNED_IN,      WRONG_METHOD),
    "drafting:section-edit":              (MEMBERS,        MEMBERS),
    "drafting:section-history":           (SIGNED_IN,      WRONG_METHOD),
    "drafting:section-compare":           (SIGNED_IN,      WRONG_METHOD),
    "drafting:section-revision":          (SIGNED_IN,      WRONG_METHOD),
    "drafting:section-attribution":       (SIGNED_IN,      WRONG_METHOD),
    "drafting:section-revert":            (COORDINATORS,   COORDINATORS),  # GET: the confirmation page
    # The outline (coordinators)
    "drafting:concept-outline":           (COORDINATORS,   WRONG_METHOD),
    "drafting:section-add":               (COORDINATORS,   COORDINATORS),
    "drafting:section-move-up":           (WRONG_METHOD,   COORDINATORS),
    "drafting:section-move-down":         (WRONG_METHOD,   COORDINATORS),
    "drafting:section-rename":            (WRONG_METHOD,   COORDINATORS),
    "drafting:section-reparent":          (WRONG_METHOD,   COORDINATORS),
    "drafting:section-retire":            (COORDINATORS,   COORDINATORS),  # GET: the confirmation page
    "drafting:section-restore":           (WRONG_METHOD,   COORDINATORS),
    # Proposals and positions
    "drafting:proposal-create":           (MEMBERS,        MEMBERS),
    "drafting:proposal-create-section":   (MEMBERS,        MEMBERS),
    "drafting:proposal-list":             (SIGNED_IN,      WRONG_METHOD),
    "drafting:proposal-detail":           (SIGNED_IN,      WRONG_METHOD),
    "drafting:proposal-edit":             (AUTHOR,         AUTHOR),
    "drafting:proposal-withdraw":         (WRONG_METHOD,   AUTHOR),
    "drafting:position-record":           (WRONG_METHOD,   SEATS),
    "drafting:proposal-merge":            (COORDINATORS,   COORDINATORS),
    "drafting:proposal-reject":           (WRONG_METHOD,   COORDINATORS),
    # Boards
    "drafting:section-board":             (SIGNED_IN,      WRONG_METHOD),
    "drafting:merge-queue":               (COORDINATORS,   WRONG_METHOD),
    # Comments
    "drafting:section-comment-add":       (WRONG_METHOD,   MEMBERS),
    "drafting:proposal-comment-add":      (WRONG_METHOD,   MEMBERS),
    "drafting:comment-edit":              (AUTHOR,         AUTHOR),
    "drafting:comment-resolve":           (WRONG_METHOD,   AUTHOR | COORDINATORS),
    # Editions and exports
    "drafting:edition-list":              (SIGNED_IN,      COORDINATORS),
    "drafting:edition-compare":           (SIGNED_IN,      WRONG_METHOD),
    "drafting:document-export":           (SIGNED_IN,      WRONG_METHOD),
    "drafting:edition-detail":            (SIGNED_IN,      WRONG_METHOD),
    # Meetings
    "drafting:meeting-list":              (SIGNED_IN,      WRONG_METHOD),
    "drafting:meeting-create":            (COORDINATORS,   COORDINATORS),
    "drafting:meeting-detail":            (SIGNED_IN,      WRONG_METHOD),
    "drafting:meeting-record":            (WRONG_METHOD,   COORDINATORS),
    "drafting:meeting-outcome":           (WRONG_METHOD,   COORDINATORS),
    "drafting:meeting-change":            (COORDINATORS,   COORDINATORS),
    "drafting:meeting-cancel":            (COORDINATORS,   COORDINATORS),  # GET: the confirmation page
    # Reading together
    "drafting:section-suggest":           (WRONG_METHOD,   MEMBERS),
    # Word: the hash routes name an upload; a made-up one is nobody's
    "drafting:word-import":               (COORDINATORS,   COORDINATORS),
    "drafting:word-import-preview":       (NOBODY,         NOBODY),
    "drafting:word-import-file":          (NOBODY,         WRONG_METHOD),
    "drafting:word-proposals":            (MEMBERS,        MEMBERS),
    "drafting:word-proposals-review":     (NOBODY,         NOBODY),
    # Parallel texts (the Kazakh text of the Concept)
    "drafting:translation":               (SIGNED_IN,      WRONG_METHOD),
    "drafting:translation-watch":         (WRONG_METHOD,   SIGNED_IN),
    "drafting:parallel-edit":             (SIGNED_IN,      MEMBERS),
    "drafting:parallel-confirm":          (WRONG_METHOD,   MEMBERS),
    "drafting:parallel-history":          (SIGNED_IN,      WRONG_METHOD),
    "drafting:parallel-compare":          (SIGNED_IN,      WRONG_METHOD),
    "drafting:parallel-attribution":      (SIGNED_IN,      WRONG_METHOD),
    "drafting:parallel-revert":           (MEMBERS,        MEMBERS),  # GET: the confirmation page
    # Search
    "search:search":                      (SIGNED_IN,      WRONG_METHOD),
    # Notices, watches and mail
    "notifications:notices":              (SIGNED_IN,      WRONG_METHOD),
    "notifications:notice-open":          (SIGNED_IN,      WRONG_METHOD),  # someone else's: back to the list
    "notifications:mark-all-read":        (WRONG_METHOD,   SIGNED_IN),
    "notifications:watch":                (WRONG_METHOD,   SIGNED_IN),
    "notifications:unwatch":              (WRONG_METHOD,   SIGNED_IN),
    "notifications:watching":             (SIGNED_IN,      WRONG_METHOD),
    "notifications:settings":             (SIGNED_IN,      SIGNED_IN),
    "notifications:unsubscribe":          (EVERYONE,       EVERYONE),  # from a mail, signed in or not
    "notifications:people":               (SIGNED_IN,      WRONG_METHOD),
    # Members
    "members:directory":                  (SIGNED_IN,      WRONG_METHOD),
    "members:language-switch":            (WRONG_METHOD,   EVERYONE),  # the sign-in page offers it too
}
# Routes that need no signed-in person: anonymous visitors get the view's own answer there.
PUBLIC = {"members:language-switch", "notifications:unsubscribe"}
# What a POST carries; others post an empty form. The language switch goes back to `next`,
# which must not be the sign-in page it sends visitors to by default.
POST_DATA = {"members:language-switch": {"language": "ru", "next": "/"}}

# How to open each route: the object its URL names.
ARGUMENTS = {
    "concept": ["concept-toc", "concept-document", "concept-outline", "section-add", "proposal-create-section",
                "proposal-list", "merge-queue", "edition-list", "edition-compare", "meeting-list", "meeting-create",
                "word-import", "word-proposals"],
    "section": ["section-detail", "section-edit", "section-history", "section-compare", "section-attribution",
                "section-revert", "section-move-up", "section-move-down", "section-rename", "section-reparent",
                "section-retire", "section-restore", "proposal-create", "section-board", "section-comment-add",
                "section-suggest"],
    "proposal": ["proposal-detail", "proposal-edit", "proposal-withdraw", "position-record", "proposal-merge",
                 "proposal-reject", "proposal-comment-add"],
    "comment": ["comment-edit", "comment-resolve"],
    "edition": ["edition-detail"],
    "meeting": ["meeting-detail", "meeting-record", "meeting-outcome", "meeting-change", "meeting-cancel"],
}
# fmt: on
NAMESPACES = ("drafting", "members", "notifications", "search")
# Routes that name an upload by its sha256: a made-up one, which is nobody's.
PARALLEL_ROUTES = {
    "translation", "translation-watch", "parallel-edit", "parallel-confirm", "parallel-history", "parallel-compare",
    "parallel-attribution", "parallel-revert",
}  # fmt: skip
UPLOAD_ROUTES = {"word-import-preview", "word-import-file", "word-proposals-review"}


def route_names() -> list[str]:
    names = []

    def walk(patterns, namespace):
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                if pattern.namespace in NAMESPACES:
                    walk(pattern.url_patterns, pattern.namespace)
            elif isinstance(pattern, URLPattern) and namespace and pattern.name:
                names.append(f"{namespace}:{pattern.name}")

    walk(get_resolver().url_patterns, None)
    return names


def url_for(name: str, objects: dict) -> str:
    short = name.split(":")[1]
    if short == "section-revision":
        return reverse(name, args=[objects["section"].pk, 1])
    if short == "notice-open":
        return reverse(name, args=[objects["notice"].pk])
    if short == "unsubscribe":  # a forged token: everyone gets the same clear page
        return reverse(name, args=["forged"])
    if short in PARALLEL_ROUTES:  # a route of the Kazakh text: of the Concept, or of a section
        target = objects["concept"] if short.startswith("translation") else objects["section"]
        return reverse(name, args=[target.pk, "kk"])
    if short in UPLOAD_ROUTES:
        return reverse(name, args=[objects["concept"].pk, "0" * 64])
    if short == "document-export":
        return reverse(name, args=[objects["concept"].pk, "md"])
    for kind, names in ARGUMENTS.items():
        if short in names:
            return reverse(name, args=[objects[kind].pk])
    return reverse(name)


@dataclass(frozen=True)
class Outcome:
    status: int
    location: str

    def kind(self) -> str:
        sign_in = resolve_url(settings.LOGIN_URL)
        if self.status == 302 and self.location.split("?")[0] == sign_in:
            return "login"
        if self.status in (403, 404):
            return "refused"
        if self.status in (200, 302, 400, 409):
            return "allowed"
        if self.status == 405:
            return "wrong method"
        return f"unexpected {self.status}"


def expected_kind(name: str, person: str, method: str) -> str:
    may = MATRIX[name][0 if method == "GET" else 1]
    if person == "anonymous" and name not in PUBLIC:
        return "login"
    if may == WRONG_METHOD:
        return "wrong method"
    return "allowed" if person in may else "refused"


def test_every_route_has_a_row_in_the_matrix():
    routes = route_names()
    missing = [name for name in routes if name not in MATRIX]
    assert not missing, f"Add a row to MATRIX in {__file__} saying who may GET and POST: {', '.join(missing)}"
    stale = sorted(set(MATRIX) - set(routes))
    assert not stale, f"MATRIX names routes that no longer exist: {', '.join(stale)}"


@pytest.fixture
def portal(db, concept):
    """A Concept in mid-discussion, and one account of each kind."""
    people = {
        "expert": ExpertFactory(full_name="Aigul Author").user,
        "inactive_expert": ExpertFactory(full_name="Former Member").user,
        "coordinator": ExpertFactory(full_name="Kanat Chair", role=Expert.Role.COORDINATOR).user,
        "demoted_coordinator": ExpertFactory(full_name="Demoted Chair", role=Expert.Role.COORDINATOR).user,
        "inactive_coordinator": ExpertFactory(full_name="Former Chair", role=Expert.Role.COORDINATOR).user,
        "staff": StaffFactory(),
        "superuser": UserFactory(username="root", is_staff=True, is_superuser=True),
    }
    # As the admin's Expert page saves them: the seat changes, the account's groups do not.
    for name, change in [
        ("demoted_coordinator", {"role": Expert.Role.EXPERT}),
        ("inactive_expert", {"is_active": False}),
        ("inactive_coordinator", {"is_active": False}),
    ]:
        seat = people[name].expert
        for field, value in change.items():
            setattr(seat, field, value)
        seat.save()

    author, chair = people["expert"], people["coordinator"]
    general = make_section(concept, "General provisions", "The Concept sets goals.\n\nSecond paragraph.", user=author)
    goals = make_section(concept, "Goals", "Strengthening unity.", parent=general, user=author)
    services.section_edit(section=goals, base_version=1, body="Strengthening the unity.", user=author, summary="Word")
    proposal = services.proposal_create_amendment(
        section=goals, author=author, title="Unity of the people", text="Strengthening the unity of the people.",
        rationale="More precise.", base_version=2,
    )  # fmt: skip
    services.position_record(
        proposal=proposal, expert=chair.expert, stance="object", reason="Too broad."
    )  # fmt: skip
    comment = services.comment_add(author=author, body="Agreed overall.", section=goals, quote="unity")
    services.comment_add(author=chair, body="Thanks.", parent=comment)
    edition = services.edition_freeze(concept=concept, name="Draft 0.1", user=chair)
    meeting = services.meeting_schedule(
        concept=concept, user=chair, title="Online meeting", starts_at=timezone.now() + timedelta(days=3),
        proposals=[proposal],
    )  # fmt: skip
    objects = {
        "concept": concept,
        "section": goals,
        "proposal": proposal,
        "comment": comment,
        "edition": edition,
        "meeting": meeting,
        "notice": Notice.objects.filter(recipient=author).first(),  # the reply to the expert's comment
    }
    goals.refresh_from_db()
    make_parallel_text(goals, "Халық бірлігін нығайту.", user=author)
    assert objects["notice"] is not None
    return people, objects


def test_who_may_do_what_on_every_route(portal):
    people, objects = portal
    clients = {"anonymous": Client()}
    for person, user in people.items():
        clients[person] = Client()
        clients[person].force_login(user)

    cells, violations = 0, []
    for name in route_names():
        if name not in MATRIX:
            continue  # named by test_every_route_has_a_row_in_the_matrix
        url = url_for(name, objects)
        for person in PEOPLE:
            for method in ("GET", "POST"):
                with transaction.atomic():
                    if method == "GET":
                        response = clients[person].get(url)
                    else:
                        response = clients[person].post(url, POST_DATA.get(name, {}))
                    transaction.set_rollback(True)
                _document_html.cache_clear()
                caches["local"].clear()
                outcome = Outcome(response.status_code, response.get("Location", ""))
                cells += 1
                expected = expected_kind(name, person, method)
                if outcome.kind() != expected:
                    violations.append(
                        f"{name} {method} as {person}: expected {expected}, got {outcome.status} {outcome.location}"
                    )

    summary = f"{cells} cells checked ({len(MATRIX)} routes × {len(PEOPLE)} kinds of person × GET/POST), "
    summary += f"{len(violations)} violations"
    print(f"\n{summary}")
    assert not violations, summary + ":\n" + "\n".join(violations)
