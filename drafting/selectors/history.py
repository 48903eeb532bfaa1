"""A section's revisions: their text and HTML, the history list, and word-level comparisons."""

from dataclasses import dataclass

from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext

from drafting.markdown import render_markdown
from drafting.models import Section
from drafting.selectors.sentences import person_name, words_changed
from drafting.text import DiffChunk, diff_stats, render_inline_diff, render_side_by_side, word_diff


def revision_text(section: Section, version: int) -> str:
    """The Markdown of one revision of a section, from its history row."""
    row = section.history.filter(version=version).only("body").first()
    if row is None:
        raise ValidationError(
            gettext("Revision %(version)s of “%(section)s” does not exist.") % {"version": version, "section": section}
        )
    return row.body


def revision_html(section_id: int, version: int, body: str) -> SafeString:
    """HTML of a past revision: rendered on demand, once, then cached by (section, version)."""
    html = cache.get_or_set(f"section-html:{section_id}:{version}", lambda: render_markdown(body), timeout=None)
    return mark_safe(html)  # produced by the sanitising pipeline above


def preview_html(body: str) -> SafeString:
    """An unsaved text through the same pipeline as saved ones."""
    return mark_safe(render_markdown(body))  # sanitised by drafting.markdown


def section_recent_changes(section: Section, limit: int = 5):
    return section.history.select_related("history_user__expert").order_by("-history_id")[:limit]


# --- History for people ---------------------------------------------------------------


def section_history(section: Section):
    """Every revision of a section, newest first, each with its size change (one query per page).

    Each history row stores its size and its change from the revision before when it is
    written, so a page reads only the rows it shows, and no body at all.
    """
    return (
        section.history.select_related("history_user__expert", "proposal__author__expert")
        .defer("body", "paragraph_origins")
        .order_by("-history_id")
    )


def revision_authors(section: Section, *, after: int) -> list[tuple[str, object]]:
    """Who saved the revisions after `after`, and when the last of theirs was (one query), oldest first.

    The conflict pages say who made the other change.
    """
    rows = (
        section.history.filter(version__gt=after)
        .select_related("history_user__expert")
        .only("version", "history_date", "history_user__username", "history_user__expert__full_name",
              "history_user__expert__full_name_latin")
        .order_by("version")
    )  # fmt: skip
    people: dict[object, tuple[str, object]] = {}
    for row in rows:
        user = row.history_user
        people[user.pk if user else None] = (person_name(user) if user else "", row.history_date)
    return list(people.values())


def revisions(section: Section, versions: list[int]) -> dict[int, object]:
    """The history rows of the given revisions of a section, by version (one query)."""
    rows = section.history.filter(version__in=versions).select_related("history_user__expert")
    return {row.version: row for row in rows}


@dataclass(frozen=True)
class Comparison:
    old: object
    new: object
    chunks: list[DiffChunk]
    inline_html: SafeString
    old_html: SafeString
    new_html: SafeString
    words_added: int
    words_removed: int
    heading_changed: bool

    @property
    def words_summary(self) -> str:
        """ "3 words added, 1 removed.", each count agreeing with its noun in the reader's language."""
        return words_changed(self.words_added, self.words_removed)


@dataclass(frozen=True)
class TextComparison:
    """A word diff of two texts, as chunks and as HTML: inline, and the two sides."""

    chunks: list[DiffChunk]
    inline_html: SafeString
    old_html: SafeString
    new_html: SafeString


def compare_texts(old_text: str, new_text: str) -> TextComparison:
    chunks = word_diff(old_text, new_text)
    labels = {"removed_label": gettext("removed: "), "added_label": gettext("added: ")}
    old_html, new_html = render_side_by_side(chunks, **labels)
    # text.py escapes every token and adds only <del>/<ins> marks.
    return TextComparison(
        chunks, mark_safe(render_inline_diff(chunks, **labels)), mark_safe(old_html), mark_safe(new_html)
    )


def section_comparison(old, new) -> Comparison:
    """A word-level comparison of two history rows of one section."""
    texts = compare_texts(old.body, new.body)
    added, removed = diff_stats(texts.chunks)
    return Comparison(
        old,
        new,
        texts.chunks,
        texts.inline_html,
        texts.old_html,
        texts.new_html,
        added,
        removed,
        old.heading != new.heading,
    )
