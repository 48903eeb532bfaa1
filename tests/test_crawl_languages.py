"""Every page of the portal, read by each role in Russian and in Kazakh, shows no English of its own.

The pages come from the URL list, so a new view cannot escape the crawl: a route without an
entry in ARGUMENTS fails the test until someone says how to open it.
"""

import re
from html.parser import HTMLParser

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from drafting import services
from drafting.services.parallel import parallel_text_save
from notifications.categories import Category
from notifications.services.tokens import unsubscribe_token
from tests.factories import make_discussion, make_parallel_text

LANGUAGES = ["ru", "kk"]
# Words that are the same in every language: formats, the portal's Latin-script brand names,
# and the names of languages written in themselves in the switcher.
ALLOWED = {"PDF", "DOCX", "HTML", "Markdown", "English", "KISI", "Concept", "Portal"}
# The program and its file extension, written in Latin letters in Russian and Kazakh as "PDF" is.
ALLOWED |= {"Word", "docx"}
# Authenticator apps, named as their makers name them on the two-factor page.
ALLOWED |= {"FreeOTP", "Aegis", "Google", "Microsoft", "Authenticator"}
LATIN_WORD = re.compile(r"[A-Za-z]{2,}")
# Pages people open with GET; the others only take POST, and are crawled for their refusal of GET.
POST_ONLY = {
    "section-move-up", "section-move-down", "section-rename", "section-reparent",
    "section-restore", "proposal-withdraw", "position-record", "proposal-reject", "language-switch",
    "section-comment-add", "proposal-comment-add", "comment-resolve", "meeting-record", "meeting-outcome",
    "section-suggest", "mark-all-read", "watch", "unwatch", "translation-watch", "parallel-confirm",
}  # fmt: skip
# A word of make_discussion's section, proposal and comment, so the results page shows each kind.
SEARCHED = "единства"
SKIP = {"document-export"}  # files, not pages: their words are checked in the export tests
# Pages about one upload, named by its sha256: tests/drafting/test_word_*.py reads them in Russian.
SKIP |= {"word-import-preview", "word-import-file", "word-proposals-review"}
# A redirect to what the notice is about, and the autocomplete's JSON of names.
SKIP |= {"notice-open", "people"}


class VisibleText(HTMLParser):
    """The text a person reads or hears: text nodes, and labels in attributes."""

    SPOKEN = {"aria-label", "title", "placeholder", "alt"}

    def __init__(self):
        super().__init__()
        self.parts, self._hidden = [], 0

    def handle_starttag(self, tag, attrs):
        if tag in ("script", "style", "textarea", "code"):  # code: keys and what people typed as code
            self._hidden += 1
        attrs = dict(attrs)
        self.parts += [value for name, value in attrs.items() if name in self.SPOKEN and value]
        if tag == "input" and attrs.get("type") in ("submit", "button") and attrs.get("value"):
            self.parts.append(attrs["value"])

    def handle_endtag(self, tag):
        if tag in ("script", "style", "textarea", "code"):
            self._hidden -= 1

    def handle_data(self, data):
        if not self._hidden:
            self.parts.append(data)


def english_words(html: str) -> set[str]:
    parser = VisibleText()
    parser.feed(html)
    text = " ".join(parser.parts)
    text = re.sub(r"\S+@\S+|https?://\S+|\b[\w-]+\.(?:kz|pdf|docx|md|html)\b", " ", text)
    return {word for word in LATIN_WORD.findall(text) if word not in ALLOWED}


def route_names() -> list[str]:
    names = []

    def walk(patterns, namespace):
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                if pattern.namespace in ("drafting", "members", "notifications", "search"):
                    walk(pattern.url_patterns, pattern.namespace)
            elif isinstance(pattern, URLPattern) and namespace and pattern.name:
                names.append(f"{namespace}:{pattern.name}")

    walk(get_resolver().url_patterns, None)
    return names


@pytest.fixture
def portal(db, concept):
    """A Concept in mid-discussion: everything people typed is Russian, so English stands out. The
    section has a Kazakh text, which a later edit of the Russian left out of date."""
    world = make_discussion(concept)
    section = world["objects"]["section"]
    section.refresh_from_db()
    make_parallel_text(section, "Халық бірлігін нығайту.", user=world["people"]["expert"])
    parallel_text_save(  # a second revision, so the page restoring the first one opens
        section=section, language="kk", base_version=1, source_version=section.version, heading="Бөлім",
        body="Халықтың бірлігін нығайту.", user=world["people"]["expert"],
    )  # fmt: skip
    services.section_edit(
        section=section, base_version=section.version, body=section.body + "\n\nЕщё одно предложение.",
        user=world["people"]["coordinator"], summary="Дополнение",
    )  # fmt: skip
    return world


ARGUMENTS = {
    "drafting:home": [],
    "drafting:activity": [],
    "members:directory": [],
    "search:search": [],
    "notifications:notices": [],
    "notifications:watching": [],
    "notifications:settings": [],
    "concept": ["concept-toc", "concept-document", "concept-outline", "section-add", "proposal-create-section",
                "proposal-list", "merge-queue", "edition-list", "edition-compare", "meeting-list", "meeting-create",
                "word-import", "word-proposals"],
    "section": ["section-detail", "section-edit", "section-history", "section-compare", "section-attribution",
                "section-board", "proposal-create", "section-retire"],
    "proposal": ["proposal-detail", "proposal-edit", "proposal-merge"],
    "comment": ["comment-edit"],
    "edition": ["edition-detail"],
    "meeting": ["meeting-detail", "meeting-change", "meeting-cancel"],
}  # fmt: skip


# Routes whose address url_for builds by hand (a revision, a query, a token).
PARALLEL_PAGES = {"translation", "parallel-edit", "parallel-history", "parallel-compare", "parallel-attribution"}
SPECIAL = {"drafting:section-revision", "drafting:section-revert", "search:search", "notifications:unsubscribe"}
SPECIAL |= {"drafting:parallel-revert"}


def url_for(name: str, objects: dict) -> str:
    if name == "drafting:section-revision":
        return reverse(name, args=[objects["section"].pk, 1])
    if name == "drafting:section-revert":  # the confirmation page, with the revision's word diff
        return reverse(name, args=[objects["section"].pk]) + "?version=1"
    if name == "drafting:parallel-revert":  # the confirmation page, restoring the Kazakh text's revision 1
        return reverse(name, args=[objects["section"].pk, "kk"]) + "?version=1"
    if name.split(":")[1] in PARALLEL_PAGES:  # the Kazakh text: of the Concept, or of a section
        target = objects["concept"] if name == "drafting:translation" else objects["section"]
        return reverse(name, args=[target.pk, "kk"])
    if name == "notifications:unsubscribe":  # the confirmation page a mail's link opens
        return reverse(name, args=[unsubscribe_token(objects["comment"].author, [Category.REPLY])])
    if name == "search:search":  # results of every kind, with their snippets
        return reverse(name) + "?q=" + SEARCHED
    if not ARGUMENTS.get(name, True):
        return reverse(name)
    short = name.split(":")[1]
    for kind, names in ARGUMENTS.items():
        if isinstance(names, list) and short in names:
            return reverse(name, args=[objects[kind].pk])
    pytest.fail(f"{name} is not in the crawl: add it to ARGUMENTS (or POST_ONLY) in {__file__}")


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("role", ["expert", "coordinator", "staff"])
def test_every_page_speaks_the_readers_language(client, portal, role, language):
    client.force_login(portal["people"][role])
    found = {}
    for name in route_names():
        short = name.split(":")[1]
        if short in SKIP:
            continue
        url = url_for(name, portal["objects"]) if short not in POST_ONLY else None
        if url is None:
            continue
        response = client.get(url, HTTP_ACCEPT_LANGUAGE=language)
        assert response.status_code in (200, 403), (name, response.status_code)
        assert f'<html lang="{language}"' in response.text, name
        if words := english_words(response.text):
            found[f"{name} ({response.status_code})"] = sorted(words)
    assert found == {}, "\n".join(f"{page}: {' '.join(words)}" for page, words in found.items())


def test_a_route_missing_from_the_crawl_is_named():
    assert all(
        name.split(":")[1] in POST_ONLY | SKIP
        or name in SPECIAL
        or name.split(":")[1] in PARALLEL_PAGES
        or name in ARGUMENTS
        or any(isinstance(v, list) and name.split(":")[1] in v for v in ARGUMENTS.values())
        for name in route_names()
    )


ACCOUNT_PAGES = {
    "anonymous": ["login", "password_reset", "password_reset_done"],
    "expert": ["password_change", "password_change_done", "two-factor-setup"],
}


@pytest.mark.parametrize("language", LANGUAGES)
def test_sign_in_and_account_pages_speak_the_readers_language(client, portal, language):
    found = {}
    for who, names in ACCOUNT_PAGES.items():
        if who == "expert":
            client.force_login(portal["people"]["expert"])
        for name in names:
            response = client.get(reverse(name), HTTP_ACCEPT_LANGUAGE=language)
            assert response.status_code == 200, name
            assert f'<html lang="{language}"' in response.text, name
            if words := english_words(response.text):
                found[name] = sorted(words)
    assert found == {}, "\n".join(f"{page}: {' '.join(words)}" for page, words in found.items())
