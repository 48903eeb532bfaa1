"""Every page passes an axe-core audit at WCAG 2.1 A and AA, for each role and the states that matter.

The portal's pages come from the URL list (the same walker as tests/test_crawl_languages.py), so
a new view is audited as soon as it has a route. States that need a person's action (a form with
errors, the conflict page, a merge with overlapping changes) are produced in the browser; the data
behind them is made through the services, as the portal itself would make it.
"""

import re

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.urls import reverse
from playwright.sync_api import Page, expect

from drafting import services
from tests.browser.conftest import sign_in
from tests.factories import (
    ConceptFactory,
    make_discussion,
)
from tests.test_crawl_languages import ARGUMENTS, POST_ONLY, SKIP, route_names, url_for

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

WCAG_21_AA = {"runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]}}
AXE = Axe()
DUPLICATE_IDS = """() => {
    const seen = {};
    document.querySelectorAll("[id]").forEach(element => { seen[element.id] = (seen[element.id] || 0) + 1; });
    return Object.keys(seen).filter(name => seen[name] > 1);
}"""
LONG = 30  # rows enough to fill a page of a list and turn it over


def audit(page: Page, where: str) -> list[str]:
    """axe-core's violations on the page as it is now, one line each: page, rule, impact, targets."""
    results = AXE.run(page, options=WCAG_21_AA)
    found = [
        f"{where}: {violation['id']} ({violation['impact']}): "
        + "; ".join(" ".join(node["target"]) for node in violation["nodes"])
        for violation in results.response["violations"]
    ]
    # axe-core 4.7+ no longer reports duplicate ids under WCAG tags, but a label or a description
    # pointing at a repeated id reads out the wrong field (WCAG 4.1.1 / 1.3.1): checked here.
    duplicates = page.evaluate(DUPLICATE_IDS)
    found += [f"{where}: duplicate-id (serious): #{name}" for name in duplicates]
    return found


def without_browser_validation(page: Page) -> None:
    """Let the server answer an incomplete form, as it does for a browser that does not check `required`."""
    page.evaluate("document.querySelectorAll('form').forEach(form => { form.noValidate = true; })")


def open_and_audit(page: Page, url: str, where: str) -> list[str]:
    response = page.goto(url)
    assert response is not None and response.status in (200, 403), (where, response and response.status)
    return audit(page, where)


@pytest.fixture
def portal(transactional_db):
    """A Concept in mid-discussion, as in the language crawl, with people who sign in through the form."""
    usernames = {"expert": "a11y-expert", "critic": "a11y-critic", "coordinator": "a11y-coordinator"}
    return make_discussion(ConceptFactory(), usernames={**usernames, "staff": "a11y-staff"})


def portal_urls(objects: dict) -> dict[str, str]:
    urls = {}
    for name in route_names():
        short = name.split(":")[1]
        if short in SKIP or short in POST_ONLY:
            continue
        urls[name] = url_for(name, objects)
    return urls


def test_the_url_list_is_what_the_audit_walks():
    assert {"drafting:home", "drafting:section-edit", "drafting:proposal-detail"} <= set(route_names())
    assert "concept" in ARGUMENTS


@pytest.mark.parametrize("role", ["expert", "coordinator", "staff"])
def test_every_portal_page_passes_axe_for_each_role(page, live_server, portal, role):
    sign_in(page, live_server, portal["people"][role].username)
    found = []
    for name, url in portal_urls(portal["objects"]).items():
        found += open_and_audit(page, f"{live_server.url}{url}", f"{name} [{role}, with data]")
    assert found == [], "\n".join(found)


def test_account_pages_pass_axe(page, live_server, portal):
    found = []
    for name in ["login", "password_reset", "password_reset_done"]:
        found += open_and_audit(page, f"{live_server.url}{reverse(name)}", f"{name} [anonymous]")
    # The sign-in form with an error.
    page.goto(f"{live_server.url}{reverse('login')}")
    page.get_by_label("Username").fill("nobody")
    page.get_by_label("Password").fill("wrong")
    page.get_by_role("button", name="Sign in").click()
    expect(page.locator("main form")).to_be_visible()
    found += audit(page, "login [anonymous, wrong password]")
    sign_in(page, live_server, portal["people"]["expert"].username)
    for name in ["password_change", "password_change_done", "two-factor-setup"]:
        found += open_and_audit(page, f"{live_server.url}{reverse(name)}", f"{name} [expert]")
    page.goto(f"{live_server.url}{reverse('password_change')}")
    without_browser_validation(page)
    page.locator("form button[type=submit], form input[type=submit]").last.click()
    found += audit(page, "password_change [expert, empty form]")
    assert found == [], "\n".join(found)


def test_admin_pages_staff_use_pass_axe(page, live_server, portal):
    section = portal["objects"]["section"]
    sign_in(page, live_server, portal["people"]["staff"].username)
    found = []
    for where, url in [
        ("admin index", "/admin/"),
        ("section changelist", "/admin/drafting/section/"),
        ("section change form", f"/admin/drafting/section/{section.pk}/change/"),
        ("section history", f"/admin/drafting/section/{section.pk}/history/"),
    ]:
        found += open_and_audit(page, f"{live_server.url}{url}", f"{where} [staff]")
    # A message after saving (its link is part of the message).
    page.goto(f"{live_server.url}/admin/drafting/section/{section.pk}/change/")
    page.locator("input[name=_continue]").click()
    expect(page.locator("ul.messagelist li a").first).to_be_visible()
    found += audit(page, "section change form [staff, saved message]")
    assert found == [], "\n".join(found)


def test_forms_with_errors_the_conflict_page_and_an_overlapping_merge_pass_axe(page, live_server, portal):
    section, proposal = portal["objects"]["section"], portal["objects"]["proposal"]
    author, chair = portal["people"]["expert"], portal["people"]["coordinator"]
    found = []
    sign_in(page, live_server, author.username)

    # The edit form with an empty summary.
    page.goto(f"{live_server.url}{reverse('drafting:section-edit', args=[section.pk])}")
    without_browser_validation(page)
    page.get_by_label("Summary of your change").fill("")
    page.get_by_role("button", name="Save", exact=True).click()
    expect(page.locator(".errorlist, .form-errors, [role=alert]").first).to_be_visible()
    found += audit(page, "drafting:section-edit [expert, empty summary]")

    # A proposal form with nothing filled in.
    page.goto(f"{live_server.url}{reverse('drafting:proposal-create', args=[section.pk])}")
    without_browser_validation(page)
    page.locator("main form button[type=submit]").last.click()
    found += audit(page, "drafting:proposal-create [expert, empty form]")

    # The conflict page: someone saves the same words while the editor is open.
    page.goto(f"{live_server.url}{reverse('drafting:section-edit', args=[section.pk])}")
    section.refresh_from_db()
    services.section_edit(
        section=section, base_version=section.version, body="Укрепление единства граждан.",
        user=chair, summary="Иначе",
    )  # fmt: skip
    page.get_by_label("Text", exact=True).fill("Укрепление единства людей.")
    page.get_by_label("Summary of your change").fill("Доверие")
    page.get_by_role("button", name="Save", exact=True).click()
    expect(page.locator(".conflict")).to_be_visible()
    found += audit(page, "drafting:section-edit [expert, conflict]")

    # The merge page when the proposal and the section changed the same words.
    page.get_by_role("button", name="Sign out").click()
    sign_in(page, live_server, chair.username)
    found += open_and_audit(
        page,
        f"{live_server.url}{reverse('drafting:proposal-merge', args=[proposal.pk])}",
        "drafting:proposal-merge [coordinator, overlapping changes]",
    )
    expect(page.locator("main")).to_contain_text(re.compile(r"overlap|conflict", re.I))
    # The proposal page for a coordinator holds both the position and the rejection forms.
    found += open_and_audit(
        page,
        f"{live_server.url}{reverse('drafting:proposal-detail', args=[proposal.pk])}",
        "drafting:proposal-detail [coordinator]",
    )
    assert found == [], "\n".join(found)


def test_empty_and_long_lists_pass_axe(page, live_server, portal):
    chair = portal["people"]["coordinator"]
    bare = ConceptFactory(title="Пустая концепция")
    sign_in(page, live_server, chair.username)
    found = []
    lists = ["drafting:proposal-list", "drafting:merge-queue", "drafting:edition-list", "drafting:meeting-list",
             "drafting:concept-toc", "drafting:concept-document", "drafting:concept-outline"]  # fmt: skip
    for name in lists:
        found += open_and_audit(
            page, f"{live_server.url}{reverse(name, args=[bare.pk])}", f"{name} [coordinator, empty]"
        )

    concept, section = portal["objects"]["concept"], portal["objects"]["section"]
    for n in range(LONG):
        services.proposal_create_amendment(
            section=section, author=chair, title=f"Предложение {n}", text=f"Текст {n}.", rationale="Так.",
            base_version=section.version,
        )  # fmt: skip
        services.comment_add(author=chair, body=f"Замечание {n}.", section=section)
    for name in ["drafting:proposal-list", "drafting:merge-queue"]:
        found += open_and_audit(
            page, f"{live_server.url}{reverse(name, args=[concept.pk])}", f"{name} [coordinator, long]"
        )
    for name in ["drafting:activity", "drafting:home"]:
        found += open_and_audit(page, f"{live_server.url}{reverse(name)}", f"{name} [coordinator, long]")
    found += open_and_audit(
        page, f"{live_server.url}{reverse('drafting:section-detail', args=[section.pk])}",
        "drafting:section-detail [coordinator, long discussion]",
    )  # fmt: skip
    assert found == [], "\n".join(found)
