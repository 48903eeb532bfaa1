"""The Concept as one numbered document: HTML to print, PDF, DOCX and Markdown.

Every format is built from one DocumentSnapshot (drafting.selectors.document_snapshot):
title page, numbered sections, and an appendix of what changed since the previous edition
with the merged proposals and their authors. Section text goes through the one Markdown
pipeline (drafting.markdown), cached per revision, and is never trusted as HTML.
"""

from html.parser import HTMLParser
from io import BytesIO
from pathlib import Path

from django.contrib.staticfiles import finders
from django.template.loader import render_to_string
from django.utils.translation import gettext as _

from drafting.selectors import DocumentSnapshot, revision_html

FORMATS = {
    "html": "text/html; charset=utf-8",
    "pdf": "application/pdf",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "md": "text/markdown; charset=utf-8",
}
FONT_FILES = {"regular": "fonts/DejaVuSerif.ttf", "bold": "fonts/DejaVuSerif-Bold.ttf"}


def _sections_html(snapshot: DocumentSnapshot) -> list[dict]:
    # A section revision's HTML is rendered once and cached by (section, version).
    return [
        {"entry": e, "level": min(e.depth + 2, 4), "html": revision_html(e.section_id, e.version, e.body)}
        for e in snapshot.entries
    ]


def export_html(snapshot: DocumentSnapshot, *, for_pdf: bool = False, request=None) -> str:
    fonts = {}
    if for_pdf:
        fonts = {key: Path(finders.find(path)).as_uri() for key, path in FONT_FILES.items()}
    return render_to_string(
        "drafting/export_document.html",
        {
            "doc": snapshot,
            "sections": _sections_html(snapshot),
            "for_pdf": for_pdf,
            "fonts": fonts,
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
    lines += _appendix_lines(snapshot)
    return "\n".join(lines).rstrip() + "\n"


def _shift_headings(body: str, below: int) -> str:
    """Keep a section's own Markdown headings under the section's heading level."""
    shifted = []
    for line in body.split("\n"):
        stripped = line.lstrip("#")
        level = len(line) - len(stripped)
        shifted.append("#" * min(level + below, 6) + stripped if level and stripped.startswith(" ") else line)
    return "\n".join(shifted)


def _appendix_lines(snapshot: DocumentSnapshot) -> list[str]:
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
    from docx import Document
    from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK

    document = Document()
    for style_name in ("Normal", "Title", "Heading 1", "Heading 2", "Heading 3", "Heading 4"):
        style = document.styles[style_name]
        style.font.name = "DejaVu Serif"
    title = document.add_paragraph(snapshot.concept.title, style="Title")
    title.alignment = WD_ALIGN_PARAGRAPH.CENTER
    for line in (
        snapshot.name,
        f"{snapshot.date:%d.%m.%Y}",
        _("Working Group on the Concept of state policy in interethnic relations"),
        _("Kazakhstan Institute for Strategic Studies under the President of the Republic of Kazakhstan"),
    ):
        document.add_paragraph(line).alignment = WD_ALIGN_PARAGRAPH.CENTER
    document.add_paragraph().add_run().add_break(WD_BREAK.PAGE)

    if not snapshot.entries:
        document.add_paragraph(_("This document is empty: the Concept has no sections yet."))
    for item in _sections_html(snapshot):
        entry = item["entry"]
        document.add_heading(f"{entry.number}. {entry.heading}", level=min(entry.depth + 1, 4))
        _HtmlToDocx(document).feed(str(item["html"]))

    document.add_page_break()
    lines = _appendix_lines(snapshot)
    document.add_heading(lines[0].lstrip("# "), level=1)
    for line in lines[2:]:
        if line.startswith("### "):
            document.add_heading(line[4:], level=2)
        elif line.startswith("- "):
            document.add_paragraph(line[2:], style="List Bullet")
        elif line:
            document.add_paragraph(line)
    buffer = BytesIO()
    document.save(buffer)
    return buffer.getvalue()


class _HtmlToDocx(HTMLParser):
    """Walks the sanitised HTML of one section (a small, known set of tags) into Word paragraphs."""

    BLOCK_STYLES = {"p": "Normal", "blockquote": "Quote", "pre": "Normal"}

    def __init__(self, document):
        super().__init__(convert_charrefs=True)
        self.document = document
        self.paragraph = None
        self.lists: list[str] = []
        self.bold = self.italic = self.code = 0
        self.quote = 0

    def _new(self, style="Normal"):
        self.paragraph = self.document.add_paragraph(style=style)

    def handle_starttag(self, tag, attrs):
        if tag in ("ul", "ol"):
            self.lists.append(tag)
        elif tag == "li":
            self._new("List Number" if self.lists and self.lists[-1] == "ol" else "List Bullet")
        elif tag in ("h2", "h3", "h4"):
            self.paragraph = self.document.add_heading(level=min(int(tag[1]) + 1, 6))
        elif tag == "blockquote":
            self.quote += 1
        elif tag in ("p", "pre", "tr"):
            self._new("Quote" if self.quote else "Normal")
        elif tag in ("strong", "b", "th"):
            self.bold += 1
        elif tag in ("em", "i"):
            self.italic += 1
        elif tag == "code":
            self.code += 1
        elif tag == "br" and self.paragraph is not None:
            self.paragraph.add_run().add_break()

    def handle_endtag(self, tag):
        if tag in ("ul", "ol") and self.lists:
            self.lists.pop()
        elif tag == "blockquote":
            self.quote -= 1
        elif tag in ("strong", "b", "th"):
            self.bold -= 1
        elif tag in ("em", "i"):
            self.italic -= 1
        elif tag == "code":
            self.code -= 1
        elif tag in ("td", "th") and self.paragraph is not None:
            self.paragraph.add_run(" | ")

    def handle_data(self, data):
        if not data.strip() and self.paragraph is None:
            return
        if self.paragraph is None:
            self._new()
        run = self.paragraph.add_run(data)
        run.bold = bool(self.bold) or None
        run.italic = bool(self.italic) or None
        if self.code:
            run.font.name = "DejaVu Sans Mono"
