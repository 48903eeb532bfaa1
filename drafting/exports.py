"""The Concept as one numbered document: HTML to print, PDF, DOCX and Markdown.

Every format is built from one DocumentSnapshot (drafting.selectors.document_snapshot):
title page, numbered sections, and an appendix of what changed since the previous edition
with the merged proposals and their authors. Section text goes through the one Markdown
pipeline (drafting.markdown), cached per revision, and is never trusted as HTML.
"""

import functools
from pathlib import Path

from django.contrib.staticfiles import finders
from django.template.loader import render_to_string
from django.templatetags.static import static
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from drafting.highlights import annotate
from drafting.selectors import DocumentSnapshot, revision_html

FORMATS = {
    "html": "text/html; charset=utf-8",
    "pdf": "application/pdf",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "md": "text/markdown; charset=utf-8",
}
FONT_FILES = {"regular": "fonts/DejaVuSerif.ttf", "bold": "fonts/DejaVuSerif-Bold.ttf"}


def _sections_html(snapshot: DocumentSnapshot) -> list[dict]:
    # A section revision's HTML is rendered once and cached by (section, version); each paragraph
    # then carries its reference ("3.2 ¶4"), as on the document page, so people can cite it in print.
    return [
        {
            "entry": e,
            "level": min(e.depth + 2, 4),
            "html": mark_safe(
                annotate(
                    revision_html(e.section_id, e.version, e.body),
                    paragraph_prefix=f"s{e.section_id}",
                    paragraph_label=e.number,
                )
            ),
        }
        for e in snapshot.entries
    ]


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
    if not snapshot.entries:
        lines += [_("This document is empty: the Concept has no sections yet."), ""]
    for entry in snapshot.entries:
        lines += [f"{'#' * min(entry.depth + 2, 6)} {entry.number}. {entry.heading}", ""]
        if entry.body.strip():
            lines += [_shift_headings(entry.body.strip(), entry.depth + 2), ""]
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
    from drafting.word.docx_export import build_docx

    return build_docx(snapshot, export_review(snapshot))
