"""Parallel texts as pages read them: each section's status, the summary, the translator's diff, side by side.

A parallel text is current when it translates the section's current revision (`source_version ==
section.version`), out of date otherwise, and missing when there is none. Nothing of this is stored:
it is derived on read, so an edit, merge or revert of the drafting text needs to write nothing here.
Every function issues a fixed number of queries, whatever the number of sections.
"""

import re
from dataclasses import dataclass

from django.db.models import OuterRef, Subquery
from django.http import Http404
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext, ngettext

from drafting.models import Concept, ParallelText, Section
from drafting.selectors.history import TextComparison, compare_texts
from drafting.selectors.outline import concept_outline, flatten
from drafting.selectors.sentences import words_changed
from drafting.text import diff_stats, split_paragraphs

CURRENT, OUTDATED, MISSING = "current", "outdated", "missing"


def language_name(code: str) -> str:
    """The name of a text language (Kazakh, Russian, English) in the reader's language."""
    return str(dict(Concept.Language.choices).get(code, code))


def concept_languages(concept: Concept) -> list[str]:
    """The Concept's parallel languages, in its order: codes the portal knows, each once, never the drafting
    language (the admin stores them as a JSON list, so anything may be there)."""
    languages = concept.parallel_languages if isinstance(concept.parallel_languages, list) else []
    known = [code for code in languages if code in Concept.Language.values and code != concept.drafting_language]
    return list(dict.fromkeys(known))


def parallel_text(section: Section, language: str) -> ParallelText | None:
    """The section's text in `language`, or None when nobody has written it yet (one query)."""
    return ParallelText.objects.filter(section=section, language=language).first()


def parallel_revision(text: ParallelText, version: int):
    """The history row of revision `version` of a parallel text, with its author, or None (one query).

    A "still accurate" check adds a row with the same revision number; the latest row of the
    revision is taken, as it holds the section revision that text was last known to translate.
    """
    return text.history.filter(version=version).select_related("history_user__expert").order_by("-history_id").first()


def parallel_language(concept: Concept, code: str | None) -> str:
    """`code` if it is one of the Concept's parallel languages; 404 otherwise (a forged or removed language)."""
    if code not in concept_languages(concept):
        raise Http404(gettext("This Concept has no parallel text in that language."))
    return code


@dataclass(frozen=True)
class ParallelStatus:
    """A section's parallel text in one language: its state, and the section revision it translates."""

    section_id: int
    section_version: int
    text: ParallelText | None

    @property
    def state(self) -> str:
        if self.text is None:
            return MISSING
        return CURRENT if self.text.source_version == self.section_version else OUTDATED

    @property
    def since(self) -> int | None:
        """The section revision the text translates (out of date since the revision after it)."""
        return self.text.source_version if self.text is not None else None

    @property
    def label(self) -> str:
        if self.state == CURRENT:
            return gettext("current")
        if self.state == MISSING:
            return gettext("missing")
        return gettext("out of date since revision %(version)s") % {"version": (self.since or 0) + 1}


def parallel_texts(sections: list[Section], language: str) -> dict[int, ParallelText]:
    """The parallel texts of these sections in `language`, by section id (one query)."""
    rows = ParallelText.objects.filter(section__in=[s.pk for s in sections], language=language).defer("body")
    return {row.section_id: row for row in rows}


def section_statuses(sections: list[Section], language: str) -> dict[int, ParallelStatus]:
    texts = parallel_texts(sections, language)
    return {s.pk: ParallelStatus(s.pk, s.version, texts.get(s.pk)) for s in sections}


@dataclass(frozen=True)
class Summary:
    language: str
    current: int
    outdated: int
    missing: int

    @property
    def total(self) -> int:
        return self.current + self.outdated + self.missing

    @property
    def sentence(self) -> str:
        """ "Kazakh: 18 of 24 sections current"."""
        return ngettext(
            "%(language)s: %(current)s of %(total)s section current",
            "%(language)s: %(current)s of %(total)s sections current",
            self.total,
        ) % {"language": language_name(self.language), "current": self.current, "total": self.total}

    @property
    def complete(self) -> bool:
        return self.current == self.total


def summarise(statuses, language: str) -> Summary:
    states = [status.state for status in statuses]
    return Summary(language, states.count(CURRENT), states.count(OUTDATED), states.count(MISSING))


@dataclass(frozen=True)
class TranslationItem:
    """A section whose parallel text needs work: its number, status, and how much of the drafting text changed."""

    node: object
    status: ParallelStatus
    words_added: int
    words_removed: int

    @property
    def size(self) -> str:
        return words_changed(self.words_added, self.words_removed)


def translation_overview(concept: Concept, language: str) -> tuple[Summary, list[TranslationItem]]:
    """The summary, and every out-of-date or missing current section with its diff size (two queries)."""
    nodes = flatten(concept_outline(concept, with_body=True))
    source_body = Section.history.model.objects.filter(
        id=OuterRef("section_id"), version=OuterRef("source_version")
    ).order_by("-history_id")
    rows = (
        ParallelText.objects.filter(section__in=[n.section.pk for n in nodes], language=language)
        .defer("body", "body_html")
        .annotate(source_body=Subquery(source_body.values("body")[:1]))
    )
    texts = {row.section_id: row for row in rows}
    statuses, items = [], []
    for node in nodes:
        status = ParallelStatus(node.section.pk, node.section.version, texts.get(node.section.pk))
        statuses.append(status)
        if status.state == CURRENT:
            continue
        old = status.text.source_body or "" if status.text is not None else ""
        added, removed = diff_stats(compare_texts(old, node.section.body).chunks)
        items.append(TranslationItem(node, status, added, removed))
    return summarise(statuses, language), items


@dataclass(frozen=True)
class SourceChange:
    """What the drafting text changed since the revision a parallel text translates."""

    from_version: int | None
    to_version: int
    comparison: TextComparison
    old_heading: str
    words_added: int
    words_removed: int

    @property
    def words_summary(self) -> str:
        return words_changed(self.words_added, self.words_removed)


def source_change(section: Section, text: ParallelText | None) -> SourceChange:
    """The word diff of the drafting text from the revision the parallel text translates to now (one query).

    With no parallel text yet, or one that translates a revision that is gone, the whole text is new.
    """
    old_body, old_heading, from_version = "", "", None
    if text is not None and text.source_version:
        row = (
            section.history.filter(version=text.source_version)
            .order_by("-history_id")
            .values_list("body", "heading")
            .first()
        )
        if row is not None:
            old_body, old_heading = row
            from_version = text.source_version
    comparison = compare_texts(old_body, section.body)
    added, removed = diff_stats(comparison.chunks)
    return SourceChange(
        from_version,
        section.version,
        comparison,
        old_heading if old_heading != section.heading else "",
        added,
        removed,
    )


@dataclass(frozen=True)
class ParallelRow:
    """One row of the side-by-side view: the drafting language's paragraph(s) and the parallel one(s)."""

    source_html: SafeString
    parallel_html: SafeString


def side_by_side(source_html: str, parallel_html: str, source_body: str, parallel_body: str) -> list[ParallelRow]:
    """Paragraph by paragraph when both texts have as many paragraphs, else the two whole texts in one row."""
    if parallel_body and len(split_paragraphs(source_body)) == len(split_paragraphs(parallel_body)) > 1:
        left, right = _html_blocks(source_html), _html_blocks(parallel_html)
        if len(left) == len(right):
            return [ParallelRow(mark_safe(a), mark_safe(b)) for a, b in zip(left, right, strict=True)]
    return [ParallelRow(mark_safe(source_html), mark_safe(parallel_html))]


_TAG = re.compile(r"<(/?)([a-zA-Z][a-zA-Z0-9]*)\b[^>]*?(/?)>")
_VOID = {"br", "hr", "img", "input", "wbr", "col"}


def _html_blocks(html: str) -> list[str]:
    """The top-level blocks of sanitised HTML (paragraphs, lists, headings, quotes), in order."""
    blocks, depth, start = [], 0, None
    for match in _TAG.finditer(html):
        closing, name, self_closing = match.group(1), match.group(2).lower(), match.group(3)
        if name in _VOID or self_closing:
            if depth == 0:
                blocks.append(match.group(0))
            continue
        if not closing:
            if depth == 0:
                start = match.start()
            depth += 1
        else:
            depth = max(depth - 1, 0)
            if depth == 0 and start is not None:
                blocks.append(html[start : match.end()])
                start = None
    return blocks


def parallel_view(section: Section, language: str, source_html: str) -> dict:
    """What the section page needs to show its text side by side with `language` (one query)."""
    text = parallel_text(section, language)
    return {
        "parallel": language,
        "parallel_name": language_name(language),
        "parallel_text": text,
        "parallel_status": ParallelStatus(section.pk, section.version, text),
        "parallel_rows": side_by_side(
            source_html, text.body_html if text else "", section.body, text.body if text else ""
        ),
    }
