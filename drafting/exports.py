"""The Concept as one numbered document: HTML to print, PDF, DOCX and Markdown, in each language.

Every format is built from one DocumentSnapshot (drafting.selectors.document_snapshot):
title page, numbered sections, and an appendix of what changed since the previous edition
with the merged proposals and their authors. Section text goes through the one Markdown
pipeline (drafting.markdown), cached per revision, and is never trusted as HTML.

A snapshot shows the drafting language (the default), one parallel language, or both side by
side (bilingual: two columns, as official bilingual documents are laid out). Where a parallel
text is out of date or missing, the title page says which sections and each of them says so,
in the parallel text's language, so nobody publishes a stale translation by accident.
"""

import functools
import re
from dataclasses import dataclass
from pathlib import Path

from django.contrib.staticfiles import finders
from django.core.cache import cache
from django.template.loader import render_to_string
from django.templatetags.static import static
from django.utils.safestring import SafeString, mark_safe
from django.utils.text import capfirst
from django.utils.translation import get_language, ngettext, override
from django.utils.translation import gettext as _

from drafting.highlights import TOKEN_RE, VOID_TAGS, annotate
from drafting.markdown import render_markdown
from drafting.models import Concept
from drafting.selectors import DocumentSnapshot
from drafting.selectors.parallel_exports import MISSING, OUTDATED, ParallelEntry

FORMATS = {
    "html": "text/html; charset=utf-8",
    "pdf": "application/pdf",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "md": "text/markdown; charset=utf-8",
}
FONT_FILES = {"regular": "fonts/DejaVuSerif.ttf", "bold": "fonts/DejaVuSerif-Bold.ttf"}


def rendered_many(texts: dict[str, str]) -> dict[str, str]:
    """HTML for each (cache key -> Markdown), rendered once per revision and kept in the shared cache.

    One read for all of them (`get_many`), so an export costs the same few queries for 5 sections
    as for 30 once its revisions were rendered; a revision seen for the first time is rendered and
    stored (the keys of sections are those of drafting.selectors.history.revision_html).
    """
    found = cache.get_many(list(texts)) if texts else {}
    missing = {key: render_markdown(body) for key, body in texts.items() if key not in found}
    if missing:
        cache.set_many(missing, timeout=None)
    return {**found, **missing}


def section_key(section_id: int, version: int) -> str:
    return f"section-html:{section_id}:{version}"


def parallel_key(text: ParallelEntry) -> str:
    return f"parallel-html:{text.section_id}:{text.language}:{text.version}"


def language_label(code: str) -> str:
    """A language's name in the active language ("Kazakh", «Казахский», «Қазақ тілі»)."""
    return str(dict(Concept.Language.choices).get(code, code))


@dataclass(frozen=True)
class TitleWords:
    """The title page's words in one language of the export."""

    language: str
    label: str
    group: str
    institute: str
    notes: list[str]


def title_words(snapshot: DocumentSnapshot) -> list[TitleWords]:
    """The title page's words in each language the export shows (both for a bilingual one); a file in
    one language has them in the active one (the view chose it)."""
    bilingual = snapshot.languages and snapshot.languages.bilingual
    languages = snapshot.languages.columns if bilingual else [get_language() or snapshot.concept.drafting_language]
    words = []
    for language in languages:
        with override(language):
            words.append(
                TitleWords(
                    language,
                    language_label(language),
                    _("Working Group on the Concept of state policy in interethnic relations"),
                    _("Kazakhstan Institute for Strategic Studies under the President of the Republic of Kazakhstan"),
                    behind_notes(snapshot),
                )
            )
    return words


def behind_notes(snapshot: DocumentSnapshot) -> list[str]:
    """What the title page says about a parallel text that is behind, in the active language."""
    if not snapshot.parallel:
        return []
    label = capfirst(language_label(snapshot.languages.parallel))
    numbers = snapshot.behind
    notes = []
    if numbers[OUTDATED]:
        count = len(numbers[OUTDATED])
        notes.append(
            ngettext(
                "%(language)s: the text of %(count)s section is out of date: %(numbers)s.",
                "%(language)s: the text of %(count)s sections is out of date: %(numbers)s.",
                count,
            )
            % {"language": label, "count": count, "numbers": ", ".join(numbers[OUTDATED])}
        )
    if numbers[MISSING]:
        count = len(numbers[MISSING])
        notes.append(
            ngettext(
                "%(language)s: the text of %(count)s section is missing: %(numbers)s.",
                "%(language)s: the text of %(count)s sections is missing: %(numbers)s.",
                count,
            )
            % {"language": label, "count": count, "numbers": ", ".join(numbers[MISSING])}
        )
    if notes:
        notes.append(_("Check these sections before publishing the translation."))
    return notes


def section_note(text: ParallelEntry | None) -> str:
    """What a section says about its parallel text when that is behind, in the text's language."""
    if text is None or text.status not in (OUTDATED, MISSING):
        return ""
    with override(text.language):
        if text.status == MISSING:
            return _("Not translated yet: this section has no text in this language.")
        return _(
            "Out of date: this translation follows revision %(source)s of the section; "
            "this document holds revision %(version)s."
        ) % {"source": text.source_version, "version": text.section_version}


def top_level_blocks(html: str) -> list[str]:
    """Sanitised HTML cut into its top-level elements (paragraphs, lists, tables), or [html] when
    it does not cut cleanly, so two languages can be set side by side paragraph by paragraph."""
    blocks, depth, start = [], 0, 0
    for match in TOKEN_RE.finditer(html):
        closing, name = bool(match.group(1)), match.group(2).lower()
        if name in VOID_TAGS or match.group(0).endswith("/>"):
            if depth == 0:
                blocks.append(match.group(0))
            continue
        if not closing:
            if depth == 0:
                start = match.start()
            depth += 1
            continue
        depth -= 1
        if depth < 0:
            return [html]
        if depth == 0:
            blocks.append(html[start : match.end()])
    if depth or re.sub(r"\s+", "", "".join(blocks)) != re.sub(r"\s+", "", html):
        return [html] if html.strip() else []
    return blocks


def _sections_html(snapshot: DocumentSnapshot) -> list[dict]:
    # A revision's HTML is rendered once and cached by (section, version), one read for all; each
    # paragraph then carries its reference ("3.2 ¶4"), as on the document page, so people can cite
    # it in print. A parallel text's paragraphs have ids "s{section}-{language}-p{n}".
    languages = snapshot.languages
    show_drafting = languages is None or languages.bilingual or not languages.parallel
    texts = {}
    if show_drafting:
        texts |= {section_key(e.section_id, e.version): e.body for e in snapshot.entries}
    parallel = {pk: t for pk, t in snapshot.parallel.items() if t.status != MISSING}
    texts |= {parallel_key(t): t.body for t in parallel.values() if t.html is None}
    html = rendered_many(texts) | {parallel_key(t): t.html for t in parallel.values() if t.html is not None}
    sections = []
    for e in snapshot.entries:
        cells = []
        if show_drafting:
            cells.append(
                {
                    "language": languages.drafting if languages else "",
                    "heading": e.heading,
                    "html": annotate(
                        html[section_key(e.section_id, e.version)],
                        paragraph_prefix=f"s{e.section_id}",
                        paragraph_label=e.number,
                    ),
                    "note": "",
                }
            )
        if languages and languages.parallel:
            text = snapshot.parallel[e.section_id]
            cells.append(
                {
                    "language": text.language,
                    "heading": text.heading or e.heading,
                    "html": annotate(
                        html[parallel_key(text)],
                        paragraph_prefix=f"s{e.section_id}-{text.language}",
                        paragraph_label=e.number,
                    )
                    if e.section_id in parallel
                    else "",
                    "note": section_note(text),
                    "status": text.status,
                }
            )
        # annotate escapes all text and adds only its own elements to sanitised HTML.
        for cell in cells:
            cell["html"] = mark_safe(cell["html"])
        rows = []
        if len(cells) == 2:
            left, right = (top_level_blocks(cell["html"]) for cell in cells)
            if len(left) == len(right):
                rows = [(mark_safe(a), mark_safe(b)) for a, b in zip(left, right, strict=True)]
            else:
                rows = [(cells[0]["html"], cells[1]["html"])]
        sections.append({"entry": e, "level": min(e.depth + 2, 4), "cells": cells, "rows": rows})
    return sections


@functools.cache
def export_css() -> SafeString:
    """static/css/export.css, inlined in the exported page: styled when served (under the page's CSP
    nonce) and when saved and opened offline, where a linked stylesheet would be missing."""
    return mark_safe(Path(finders.find("css/export.css")).read_text(encoding="utf-8"))


def export_html(snapshot: DocumentSnapshot, *, for_pdf: bool = False, request=None) -> str:
    """The document to print. For the PDF the bundled fonts are files; served, they are the portal's
    static fonts (a saved copy opened offline falls back to the reader's serif font)."""
    if for_pdf:
        fonts = {key: Path(finders.find(path)).as_uri() for key, path in FONT_FILES.items()}
    else:
        fonts = {key: static(path) for key, path in FONT_FILES.items()}
        if request is not None:
            fonts = {key: request.build_absolute_uri(url) for key, url in fonts.items()}
    return render_to_string(
        "drafting/export_document.html",
        {
            "doc": snapshot,
            "sections": _sections_html(snapshot),
            "title_words": title_words(snapshot),
            "bilingual": bool(snapshot.languages and snapshot.languages.bilingual),
            "for_pdf": for_pdf,
            "fonts": fonts,
            "export_css": export_css(),
            "appendix_changes": [change_label(c) for c in snapshot.changes],
            "appendix_proposals": [proposal_label(p) for p in snapshot.merged_proposals],
        },
        request=request,
    )


def export_pdf(snapshot: DocumentSnapshot) -> bytes:
    from weasyprint import HTML

    return HTML(string=export_html(snapshot, for_pdf=True)).write_pdf()


def export_markdown(snapshot: DocumentSnapshot) -> str:
    """Markdown; a bilingual file puts each section's two texts one after the other, each under
    its language's name."""
    words = title_words(snapshot)
    languages = snapshot.languages
    lines = [
        f"# {snapshot.concept.title}",
        "",
        f"**{snapshot.name}** · {snapshot.date:%Y-%m-%d}",
        "",
        _(
            "Working Group on the Concept of state policy in interethnic relations · "
            "Kazakhstan Institute for Strategic Studies"
        ),
        "",
    ]
    for word in words:
        if word.notes:
            lines += [f"> {note}" for note in word.notes] + [""]
    if not snapshot.entries:
        lines += [_("This document is empty: the Concept has no sections yet."), ""]
    for entry in snapshot.entries:
        level = min(entry.depth + 2, 6)
        text = snapshot.parallel.get(entry.section_id)
        if languages and languages.bilingual:
            lines += [f"{'#' * level} {entry.number}. {entry.heading}", "", f"*{words[0].label}*", ""]
            if entry.body.strip():
                lines += [_shift_headings(entry.body.strip(), level), ""]
            lines += [f"*{words[1].label}: {text.heading or entry.heading}*", ""]
        elif text is not None:
            lines += [f"{'#' * level} {entry.number}. {text.heading or entry.heading}", ""]
        else:
            lines += [f"{'#' * level} {entry.number}. {entry.heading}", ""]
            if entry.body.strip():
                lines += [_shift_headings(entry.body.strip(), level), ""]
        if text is not None:
            if note := section_note(text):
                lines += [f"> {note}", ""]
            if text.body.strip():
                lines += [_shift_headings(text.body.strip(), level), ""]
    lines += appendix_lines(snapshot)
    return "\n".join(lines).rstrip() + "\n"


def _shift_headings(body: str, below: int) -> str:
    """Keep a section's own Markdown headings under the section's heading level."""
    shifted = []
    for line in body.split("\n"):
        stripped = line.lstrip("#")
        level = len(line) - len(stripped)
        shifted.append("#" * min(level + below, 6) + stripped if level and stripped.startswith(" ") else line)
    return "\n".join(shifted)


def appendix_lines(snapshot: DocumentSnapshot) -> list[str]:
    lines = [f"## {_('Appendix: changes since the previous edition')}", ""]
    if snapshot.previous is None:
        return lines + [_("This is the first edition; there is no earlier one to compare with."), ""]
    lines += [
        _("Compared with “%(name)s” (%(date)s).")
        % {"name": snapshot.previous.name, "date": f"{snapshot.previous.created_at:%Y-%m-%d}"},
        "",
    ]
    for change in snapshot.changes:
        lines.append(f"- {change_label(change)}")
    if not snapshot.changes:
        lines.append(_("- No section changed."))
    lines += ["", f"### {_('Merged proposals')}", ""]
    for proposal in snapshot.merged_proposals:
        lines.append(f"- {proposal_label(proposal)}")
    if not snapshot.merged_proposals:
        lines.append(_("- None."))
    return lines + [""]


def change_label(change) -> str:
    entry = change.entry
    if change.kind == "added":
        return _("%(number)s %(heading)s: added") % {"number": entry.number, "heading": entry.heading}
    if change.kind == "removed":
        return _("%(heading)s: removed (was %(number)s)") % {"number": entry.number, "heading": entry.heading}
    parts = []
    if change.renamed:
        parts.append(_("renamed from “%(old)s”") % {"old": change.old.heading})
    if change.moved:
        parts.append(_("moved from %(old)s") % {"old": change.old.number})
    if change.diff_html is not None:
        parts.append(
            _("text changed (revision %(old)s → %(new)s)") % {"old": change.old.version, "new": change.new.version}
        )
    return f"{entry.number} {entry.heading}: {', '.join(parts)}"


def proposal_label(proposal) -> str:
    author = getattr(proposal.author, "expert", None)
    label = _("#%(pk)s “%(title)s” by %(author)s, merged as revision %(version)s of “%(section)s”") % {
        "pk": proposal.pk,
        "title": proposal.title,
        "author": author.display_name if author else proposal.author,
        "version": proposal.merged_version,
        "section": proposal.section.heading if proposal.section else "—",
    }
    if proposal.agreed_meeting_id:
        label += " " + _("(agreed at “%(meeting)s”)") % {"meeting": proposal.agreed_meeting.title}
    return label


# --- DOCX -------------------------------------------------------------------------------------


def export_docx(snapshot: DocumentSnapshot) -> bytes:
    """The snapshot as DOCX (drafting.word.docx_export): Word's own heading numbering, a bookmark per
    section for reading an edited copy back and, in the current draft, every open proposal as
    tracked changes and every open thread as a Word comment."""
    from drafting.selectors.word import export_review
    from drafting.word.docx_export import build_docx, build_parallel_docx

    if snapshot.languages and snapshot.languages.parallel:
        return build_parallel_docx(snapshot)
    return build_docx(snapshot, export_review(snapshot))


def render_export(snapshot: DocumentSnapshot, fmt: str, *, request=None) -> str | bytes:
    """The snapshot in one of FORMATS."""
    if fmt == "html":
        return export_html(snapshot, request=request)
    return {"pdf": export_pdf, "docx": export_docx, "md": export_markdown}[fmt](snapshot)
