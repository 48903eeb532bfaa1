"""The Concept as a Word file: numbered headings, open proposals as tracked changes, threads as comments.

- Headings are numbered by Word itself: one numbering definition ("1.", "1.1.", ...) bound to the
  styles Heading 1-6, so a heading's text is the heading alone.
- Every section's heading carries an invisible bookmark `kisi_c<concept>_s<section>_v<revision>`;
  the document's identifier names the Concept and custom properties ("KISI sections 1", ...) list the
  exported sections. Reading an edited file back
  (docx_readback.py) finds each section and the revision it was exported at from these alone.
- In the current draft, each open amendment appears as native tracked changes (w:ins / w:del) with
  its author ("name · #12") and the date it was proposed; each open comment thread is a Word
  comment on the passage it quotes (or on the heading when it quotes none).
"""

from dataclasses import dataclass, field
from datetime import UTC
from io import BytesIO

from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from docx import Document
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Pt

from drafting.selectors.sentences import person_name
from drafting.text import Anchor, locate_anchor
from drafting.word import docx_tracked as tracked
from drafting.word.blocks import canonical, markdown_to_blocks

NUMBERING_ID = "90"
MAX_HEADING_LEVEL = 6
BOOKMARK_PREFIX = "kisi_c"
END_BOOKMARK = "kisi_end"
IDENTIFIER_PREFIX = "kisi-portal"
CUSTOM_PROPERTY = "KISI sections"


def bookmark_name(concept_id: int, section_id: int, version: int) -> str:
    return f"{BOOKMARK_PREFIX}{concept_id}_s{section_id}_v{version}"


def proposal_stamp(proposal) -> tracked.Stamp:
    """The author and date a proposal's tracked changes carry (and the read-back recognises)."""
    return tracked.Stamp(
        f"{person_name(proposal.author)} · #{proposal.pk}",
        proposal.created_at.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
    )


@dataclass
class Review:
    """Open proposals and comment threads of the exported sections, by section id."""

    proposals: dict[int, list] = field(default_factory=dict)  # (proposal, proposed text on the current text)
    threads: dict[int, list] = field(default_factory=dict)


def build_docx(snapshot, review: Review | None = None) -> bytes:
    """The snapshot as DOCX; with `review` (the current draft only), open work as tracked changes and comments."""
    from drafting.exports import appendix_lines

    review = review or Review()
    document = Document()
    _prepare_styles(document)
    ids = tracked.Ids()
    _title_page(document, snapshot)
    if not snapshot.entries:
        _unnumbered(document.add_paragraph(_("This document is empty: the Concept has no sections yet.")))
    concept_id = snapshot.concept.pk
    for entry in snapshot.entries:
        heading = document.add_paragraph(style=f"Heading {min(entry.depth + 1, MAX_HEADING_LEVEL)}")
        heading.add_run(entry.heading)
        _bookmark(heading._p, bookmark_name(concept_id, entry.section_id, entry.version), ids)
        _section_body(document, entry, review, heading, ids)

    _appendix(document, appendix_lines(snapshot), ids, bookmark=True)

    properties = document.core_properties
    properties.title = snapshot.concept.title
    properties.identifier = f"{IDENTIFIER_PREFIX} concept={concept_id}"
    _custom_properties(document, [e.section_id for e in snapshot.entries])
    buffer = BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def _appendix(document, lines: list[str], ids: tracked.Ids, *, bookmark: bool) -> None:
    document.add_page_break()
    appendix = document.add_paragraph(lines[0].lstrip("# "), style="Heading 1")
    _unnumbered(appendix)
    if bookmark:
        _bookmark(appendix._p, END_BOOKMARK, ids)
    for line in lines[2:]:
        if line.startswith("### "):
            _unnumbered(document.add_paragraph(line[4:], style="Heading 2"))
        elif line.startswith("- "):
            document.add_paragraph(line[2:], style="List Bullet")
        elif line:
            document.add_paragraph(line)


def build_parallel_docx(snapshot) -> bytes:
    """A snapshot in a parallel language, or bilingual, as DOCX: the same numbered headings, title
    page and appendix; a bilingual file sets each section's two texts side by side in a two-column
    table (paragraph by paragraph where their counts match, whole texts otherwise). A section whose
    parallel text is out of date or missing says so, and the title page lists them.

    It carries no section bookmarks and no portal identifier: only the drafting-language text takes
    proposals back from Word (docx_readback.py), so these files are for reading and publishing.
    """
    from drafting.exports import appendix_lines, section_note, title_words

    languages = snapshot.languages
    document = Document()
    _prepare_styles(document)
    ids = tracked.Ids()
    words = title_words(snapshot)
    _parallel_title_page(document, snapshot, words)
    if not snapshot.entries:
        _unnumbered(document.add_paragraph(_("This document is empty: the Concept has no sections yet.")))
    for entry in snapshot.entries:
        text = snapshot.parallel[entry.section_id]
        heading = document.add_paragraph(style=f"Heading {min(entry.depth + 1, MAX_HEADING_LEVEL)}")
        note = section_note(text)
        if not languages.bilingual:
            heading.add_run(text.heading or entry.heading)
            if note:
                document.add_paragraph().add_run(note).italic = True
            tracked.write_pieces(document, tracked.tracked_pieces(text.body, [])[0], ids=ids, comments={})
            continue
        heading.add_run(f"{entry.heading} / {text.heading}" if text.heading else entry.heading)
        _bilingual_table(document, entry, text, words, note)
    _appendix(document, appendix_lines(snapshot), ids, bookmark=False)
    properties = document.core_properties
    properties.title = snapshot.concept.title
    properties.language = "-".join(languages.columns)
    buffer = BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def _bilingual_table(document, entry, text, words, note: str) -> None:
    left, right = markdown_to_blocks(entry.body), markdown_to_blocks(text.body)
    pairs = list(zip(left, right, strict=True)) if left and len(left) == len(right) else [(left, right)]
    table = document.add_table(rows=1, cols=2)
    table.style = document.styles["Table Grid"]
    for cell, word in zip(table.rows[0].cells, words, strict=True):
        cell.paragraphs[0].add_run(word.label).bold = True
    _repeat_as_header(table.rows[0])
    if note:
        table.add_row().cells[1].paragraphs[0].add_run(note).italic = True
    for pair in pairs:
        cells = table.add_row().cells
        for cell, blocks in zip(cells, pair, strict=True):
            _cell_blocks(document, cell, blocks if isinstance(blocks, list) else [blocks])


def _cell_blocks(document, cell, blocks: list) -> None:
    """Markdown blocks as paragraphs of a table cell, with the styles and emphasis of the body."""
    for number, block in enumerate(blocks):
        paragraph = cell.paragraphs[0] if number == 0 else cell.add_paragraph()
        if block.kind == "table":
            paragraph.add_run("\n".join(" | ".join(row) for row in block.rows or []))
            continue
        paragraph.style = document.styles[tracked.paragraph_style(block.kind, block.level)]
        for segment in block.segments:
            run = paragraph.add_run(segment.text)
            run.bold = segment.bold or None
            run.italic = segment.italic or None


def _repeat_as_header(row) -> None:
    """The row of language names repeats at the top of each page the table runs over."""
    header = OxmlElement("w:tblHeader")
    header.set(qn("w:val"), "true")
    row._tr.get_or_add_trPr().append(header)


def _parallel_title_page(document, snapshot, words) -> None:
    title = document.add_paragraph(snapshot.concept.title, style="Title")
    title.alignment = WD_ALIGN_PARAGRAPH.CENTER
    for line in (snapshot.name, f"{snapshot.date:%d.%m.%Y}"):
        document.add_paragraph(line).alignment = WD_ALIGN_PARAGRAPH.CENTER
    for word in words:
        for line in (word.group, word.institute):
            document.add_paragraph(line).alignment = WD_ALIGN_PARAGRAPH.CENTER
    for word in words:
        for line in word.notes:
            document.add_paragraph().add_run(line).bold = True
    document.add_paragraph().add_run().add_break(WD_BREAK.PAGE)


def _section_body(document, entry, review: Review, heading, ids: tracked.Ids) -> None:
    proposals = review.proposals.get(entry.section_id, [])
    stamps = [(proposal_stamp(p), text) for p, text in proposals]
    pieces, left_out = tracked.tracked_pieces(entry.body, stamps)
    visible = tracked.current_text(pieces)
    comment_marks: dict[int, list[str]] = {}
    on_heading: list = []
    for thread in review.threads.get(entry.section_id, []):
        span = None
        if thread.quote.strip():
            found = locate_anchor(visible, Anchor(thread.quote, thread.quote_prefix, thread.quote_suffix))
            if not found.found:
                found = locate_anchor(canonical(visible), Anchor(thread.quote, "", ""))
            span = tracked.anchor_span(pieces, found.start, found.end) if found.found else None
        comment = _add_comment(document, thread)
        if span is None:
            on_heading.append(comment.comment_id)
            continue
        comment_marks.setdefault(span[0], []).append(str(comment.comment_id))
        comment_marks.setdefault(-span[1] - 1, []).append(str(comment.comment_id))
    for number in left_out:
        proposal = proposals[number][0]
        note = document.comments.add_comment(
            text=_(
                "Proposal #%(pk)s by %(author)s changes the same words as another proposal shown here; "
                "read it in the portal."
            )
            % {"pk": proposal.pk, "author": person_name(proposal.author)},
            author=proposal_stamp(proposal).author,
            initials="",
        )
        on_heading.append(note.comment_id)
    for comment_id in on_heading:
        runs = heading._p.r_lst
        runs[0].addprevious(tracked.range_mark("w:commentRangeStart", str(comment_id)))
        heading._p.append(tracked.range_mark("w:commentRangeEnd", str(comment_id)))
        heading._p.append(tracked.comment_reference(str(comment_id)))
    tracked.write_pieces(document, pieces, ids=ids, comments=comment_marks)


def section_list_chunks(section_ids: list[int]) -> list[str]:
    """The exported sections as comma lists of at most 250 characters (Word's limit for a property)."""
    chunks, current = [], ""
    for pk in section_ids:
        piece = str(pk) if not current else f"{current},{pk}"
        if len(piece) > 250:
            chunks.append(current)
            piece = str(pk)
        current = piece
    return [*chunks, current] if current else chunks


def _custom_properties(document, section_ids: list[int]) -> None:
    """docProps/custom.xml: "KISI sections N" properties listing the exported sections, in order."""
    from xml.sax.saxutils import escape

    from docx.opc.constants import CONTENT_TYPE, RELATIONSHIP_TYPE
    from docx.opc.packuri import PackURI
    from docx.opc.part import Part

    fmtid = "{D5CDD505-2E9C-101B-9397-08002B2CF9AE}"
    entries = "".join(
        f'<property fmtid="{fmtid}" pid="{n + 2}" name="{CUSTOM_PROPERTY} {n + 1}">'
        f"<vt:lpwstr>{escape(chunk)}</vt:lpwstr></property>"
        for n, chunk in enumerate(section_list_chunks(section_ids))
    )
    xml = (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        '<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/custom-properties" '
        'xmlns:vt="http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes">'
        f"{entries}</Properties>"
    )
    package = document.part.package
    part = Part(PackURI("/docProps/custom.xml"), CONTENT_TYPE.OFC_CUSTOM_PROPERTIES, xml.encode(), package)
    package.relate_to(part, RELATIONSHIP_TYPE.CUSTOM_PROPERTIES)


def _add_comment(document, thread):
    author = person_name(thread.author)
    comment = document.comments.add_comment(text=thread.body, author=author, initials=_initials(author))
    for reply in thread.replies.all():
        comment.add_paragraph(
            pgettext("a reply in a Word comment", "%(name)s: %(reply)s")
            % {"name": person_name(reply.author), "reply": reply.body}
        )
    return comment


def _initials(name: str) -> str:
    return "".join(part[0] for part in name.split()[:3] if part)


def _bookmark(paragraph, name: str, ids: tracked.Ids) -> None:
    bookmark_id = ids.next()
    start = OxmlElement("w:bookmarkStart")
    start.set(qn("w:id"), bookmark_id)
    start.set(qn("w:name"), name)
    end = OxmlElement("w:bookmarkEnd")
    end.set(qn("w:id"), bookmark_id)
    props = paragraph.pPr
    if props is not None:
        props.addnext(start)
    else:
        paragraph.insert(0, start)
    paragraph.append(end)


def _unnumbered(paragraph) -> None:
    """A heading outside the numbered outline (title page, appendix): numbering id 0 switches it off."""
    paragraph._p.get_or_add_pPr().get_or_add_numPr().get_or_add_numId().val = 0


def _title_page(document, snapshot) -> None:
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


def _prepare_styles(document) -> None:
    for style_name in ("Normal", "Title", *(f"Heading {n}" for n in range(1, MAX_HEADING_LEVEL + 1))):
        document.styles[style_name].font.name = "DejaVu Serif"
    for level in range(1, 7):
        style = document.styles.add_style(f"KISI Heading {level}", WD_STYLE_TYPE.PARAGRAPH)
        style.base_style = document.styles["Normal"]
        style.font.bold = True
        style.font.size = Pt(max(11, 15 - level))
        style.paragraph_format.keep_with_next = True
    code = document.styles.add_style("KISI Code", WD_STYLE_TYPE.PARAGRAPH)
    code.base_style = document.styles["Normal"]
    code.font.name = "DejaVu Sans Mono"
    _heading_numbering(document)


def _heading_numbering(document) -> None:
    """One multilevel list, "1." to "1.1.1.1.1.1.", bound to the styles Heading 1-6."""
    numbering = document.part.numbering_part.element
    abstract = OxmlElement("w:abstractNum")
    abstract.set(qn("w:abstractNumId"), NUMBERING_ID)
    kind = OxmlElement("w:multiLevelType")
    kind.set(qn("w:val"), "multilevel")
    abstract.append(kind)
    for level in range(MAX_HEADING_LEVEL):
        style_id = document.styles[f"Heading {level + 1}"].style_id
        lvl = OxmlElement("w:lvl")
        lvl.set(qn("w:ilvl"), str(level))
        for tag, value in (
            ("w:start", "1"),
            ("w:numFmt", "decimal"),
            ("w:pStyle", style_id),
            ("w:suff", "space"),
            ("w:lvlText", "".join(f"%{n}." for n in range(1, level + 2))),
            ("w:lvlJc", "left"),
        ):
            node = OxmlElement(tag)
            node.set(qn("w:val"), value)
            lvl.append(node)
        abstract.append(lvl)
    first_num = numbering.find(qn("w:num"))
    if first_num is not None:
        first_num.addprevious(abstract)
    else:
        numbering.append(abstract)
    num = OxmlElement("w:num")
    num.set(qn("w:numId"), NUMBERING_ID)
    abstract_id = OxmlElement("w:abstractNumId")
    abstract_id.set(qn("w:val"), NUMBERING_ID)
    num.append(abstract_id)
    numbering.append(num)
    for level in range(MAX_HEADING_LEVEL):
        style = document.styles[f"Heading {level + 1}"].element
        bound = style.get_or_add_pPr().get_or_add_numPr()
        bound.get_or_add_ilvl().val = level
        bound.get_or_add_numId().val = int(NUMBERING_ID)
