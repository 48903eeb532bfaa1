"""The one way text becomes HTML in the drafting portal.

A revision's HTML is produced once, when the revision is saved, and stored
next to its Markdown source; pages only ever display the stored HTML and never
render on read.  That makes this module the single place where user text is
turned into markup, so it is strict:

* python-markdown ("tables", "sane_lists") converts the text, with its raw-HTML
  handling switched off, so anything typed as ``<tag>`` shows up as text;
* headings are shifted down one level ("#" -> h2, "##" -> h3, deeper -> h4)
  because the document page owns h1/h2 for its own structure;
* bleach then keeps only an explicit allow-list of tags, attributes and URL
  schemes (dropping table alignment styles), strips everything else, links
  bare http(s) URLs and gives every link ``rel="nofollow noopener"``.

Both python-markdown's ``Markdown`` and bleach's ``Cleaner`` keep parser state
and are not thread-safe, so each call builds its own pair; that costs about
0.5 ms, a few per cent of a typical render, and rendering happens only on save.
The output is deterministic.
"""

from functools import partial
from xml.etree.ElementTree import Element

import bleach
import markdown
from bleach.linkifier import LinkifyFilter
from markdown.treeprocessors import Treeprocessor

ALLOWED_TAGS = frozenset(
    {
        "p",
        "br",
        "h2",
        "h3",
        "h4",
        "ul",
        "ol",
        "li",
        "em",
        "strong",
        "code",
        "pre",
        "blockquote",
        "table",
        "thead",
        "tbody",
        "tr",
        "th",
        "td",
        "a",
        "hr",
    }
)
ALLOWED_ATTRIBUTES = {"a": ["href", "title"]}
ALLOWED_PROTOCOLS = frozenset({"http", "https", "mailto"})
LINK_REL = "nofollow noopener"

_HEADING_SHIFT = {"h1": "h2", "h2": "h3", "h3": "h4", "h4": "h4", "h5": "h4", "h6": "h4"}


class _ShiftHeadings(Treeprocessor):
    """Move Markdown headings below the page's own h1/h2."""

    def run(self, root: Element) -> None:
        for element in root.iter():
            element.tag = _HEADING_SHIFT.get(element.tag, element.tag)


def _set_rel(attrs: dict, new: bool) -> dict | None:
    """bleach linkify callback: only link bare URLs that carry an http(s)
    scheme (not every "name.kz"), and mark every link nofollow/noopener."""
    if new and not attrs["_text"].lower().startswith(("http://", "https://")):
        return None
    attrs[(None, "rel")] = LINK_REL
    return attrs


_linkify = partial(LinkifyFilter, callbacks=[_set_rel], skip_tags={"pre", "code"}, parse_email=False)


def _new_markdown() -> markdown.Markdown:
    md = markdown.Markdown(extensions=["tables", "sane_lists"])
    md.preprocessors.deregister("html_block")
    md.inlinePatterns.deregister("html")
    md.treeprocessors.register(_ShiftHeadings(md), "shift_headings", 5)
    return md


def _new_cleaner() -> bleach.Cleaner:
    return bleach.Cleaner(
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        protocols=ALLOWED_PROTOCOLS,
        strip=True,
        strip_comments=True,
        filters=[_linkify],
    )


def render_markdown(text: str) -> str:
    """Render user Markdown to sanitised HTML; blank input gives ""."""
    if not text.strip():
        return ""
    return _new_cleaner().clean(_new_markdown().convert(text))
