"""The editor's Markdown toolbar is a nonce'd script: it must run under the Content-Security-Policy."""

import re

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import PURPOSE_BODY, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# Recorded by the page itself: init scripts are injected by the browser, not subject to the page's CSP.
RECORD_CSP_VIOLATIONS = """
window.__cspViolations = [];
document.addEventListener("securitypolicyviolation", (e) => {
  window.__cspViolations.push(e.violatedDirective + " " + e.blockedURI);
});
"""


def test_toolbar_runs_under_the_csp_and_bolds_the_selection(page, live_server, demo_expert, demo_concept):
    purpose = demo_concept.purpose
    console = []
    page.on("console", lambda message: console.append(f"{message.type}: {message.text}"))
    page.add_init_script(RECORD_CSP_VIOLATIONS)
    sign_in(page, live_server, "demo-expert")

    response = page.goto(f"{live_server.url}/sections/{purpose.pk}/edit/")

    policy = response.headers["content-security-policy"]
    assert re.search(r"script-src 'self' 'nonce-[^']+'", policy), policy
    assert "unsafe-inline" not in policy
    toolbar = page.locator(".editor-toolbar")
    expect(toolbar).to_be_visible()
    # The template ships the toolbar with `hidden`; only editor.js removes it. (Visibility alone
    # proves nothing on its own.)
    assert toolbar.evaluate("el => el.hidden") is False
    expect(toolbar.get_by_role("button")).to_have_count(6)

    textarea = page.get_by_label("Text", exact=True)
    word = "Концепция"
    start = PURPOSE_BODY.index(word)  # Cyrillic is in the BMP: Python and JS offsets agree
    textarea.evaluate("(el, [s, e]) => { el.focus(); el.setSelectionRange(s, e); }", [start, start + len(word)])
    toolbar.get_by_role("button", name="B", exact=True).click()

    expect(textarea).to_have_value(PURPOSE_BODY.replace(word, f"**{word}**", 1))
    assert textarea.evaluate("el => el.value.slice(el.selectionStart, el.selectionEnd)") == f"**{word}**"

    toolbar.get_by_role("button", name="I", exact=True).click()  # the wrapped text stays selected
    expect(textarea).to_have_value(PURPOSE_BODY.replace(word, f"***{word}***", 1))

    assert page.evaluate("window.__cspViolations") == []
    assert not [line for line in console if "Content Security Policy" in line], console

    # Control: the listeners do catch a violation (an inline script without the nonce).
    with page.expect_console_message(lambda message: "Content Security Policy" in message.text):
        page.evaluate(
            "() => { const s = document.createElement('script');"
            " s.textContent = 'window.x = 1'; document.body.append(s); }"
        )
    # Polled from here: wait_for_function would evaluate its predicate with eval(), which this very
    # policy forbids whenever the event has not arrived by its first check.
    for _ in range(50):
        if page.evaluate("window.__cspViolations.length") > 0:
            break
        page.wait_for_timeout(100)
    assert page.evaluate("window.__cspViolations.length") > 0
    assert page.evaluate("window.x") is None


def test_editor_works_without_javascript(new_context, live_server, demo_expert, demo_concept):
    page = new_context(java_script_enabled=False).new_page()
    sign_in(page, live_server, "demo-expert")

    page.goto(f"{live_server.url}/sections/{demo_concept.purpose.pk}/edit/")

    expect(page.locator(".editor-toolbar")).to_have_attribute("hidden", "")  # editor.js did not run
    textarea = page.get_by_label("Text", exact=True)
    expect(textarea).to_have_value(PURPOSE_BODY)
    textarea.fill(f"{PURPOSE_BODY} Без JavaScript.")
    page.get_by_label("Summary of your change").fill("Edited without JavaScript")
    page.get_by_role("button", name="Save", exact=True).click()
    expect(page.get_by_role("status")).to_have_text("Saved as revision 2.")
    expect(page.locator("article.document .prose")).to_contain_text("Без JavaScript.")


def test_toolbar_stays_hidden_without_javascript(new_context, live_server, demo_expert, demo_concept):
    page = new_context(java_script_enabled=False).new_page()
    sign_in(page, live_server, "demo-expert")

    page.goto(f"{live_server.url}/sections/{demo_concept.purpose.pk}/edit/")

    expect(page.get_by_label("Text", exact=True)).to_have_value(PURPOSE_BODY)
    expect(page.locator(".editor-toolbar")).to_be_hidden(timeout=2_000)
