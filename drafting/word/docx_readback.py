"""Read an edited export back: each section's text as Markdown, with the revision it was exported at.

The markers are the ones docx_export.py writes: a bookmark `kisi_c<concept>_s<section>_v<revision>`
on each section's heading (a section runs until the next marked heading or the appendix's
`kisi_end`), and the custom properties "KISI sections N" listing the exported sections, so a lost marker is
noticed instead of its text being read into the section before it.

Tracked changes made in Word are accepted (insertions kept, deletions dropped, moves followed).
Tracked changes the portal itself wrote for open proposals (recognised by their author and date,
`ignore`) are rejected: they are other people's proposals, not this person's edits.
"""

import io
import re
import zipfile
from collections.abc import Callable
from dataclasses import dataclass, field

from lxml import etree

from drafting.word.blocks import Block, Segment, blocks_to_markdown
from drafting.word.docx_export import BOOKMARK_PREFIX, CUSTOM_PROPERTY, END_BOOKMARK, IDENTIFIER_PREFIX
from drafting.word.docx_tracked import Stamp

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
NS = {"w": W, "dc": "http://purl.org/dc/elements/1.1/"}
MARKER_RE = re.compile(rf"^{BOOKMARK_PREFIX}(\d+)_s(\d+)_v(\d+)$")
IDENTIFIER_RE = re.compile(rf"^{IDENTIFIER_PREFIX} concept=(\d+)$")
CUSTOM_NS = "http://schemas.openxmlformats.org/officeDocument/2006/custom-properties"
LIST_STYLE_RE = re.compile(r"^List (Bullet|Number)(?: (\d))?$")
KISI_HEADING_RE = re.compile(r"^KISI Heading (\d)$")
WORD_HEADING_RE = re.compile(r"^[Hh]eading (\d)$")
PARSER = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False, load_dtd=False)


def w(tag: str) -> str:
    return f"{{{W}}}{tag}"


@dataclass
class ReadSection:
    concept_id: int
    section_id: int
    version: int
    blocks: list[Block] = field(default_factory=list)
    unreadable: bool = False  # the marker after it was lost, so its end is unknown

    @property
    def markdown(self) -> str:
        return blocks_to_markdown(self.blocks)


@dataclass
class ReadBack:
    concept_id: int | None
    sections: list[ReadSection]
    missing: list[int]  # exported sections whose marker was not found


class NotAnExport(ValueError):
    """The file carries no portal markers."""


def read_back(data: bytes, *, ignore: Callable[[Stamp], bool] = lambda stamp: False) -> ReadBack:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        document = etree.fromstring(archive.read("word/document.xml"), PARSER)
        styles = _style_names(archive)
        identifier = _identifier(archive)
        exported = _exported_sections(archive)
    reader = _Reader(styles, ignore)
    reader.walk(document.find("w:body", NS))
    sections = reader.sections
    if not sections:
        raise NotAnExport
    concept_id = sections[0].concept_id
    if identifier and (match := IDENTIFIER_RE.match(identifier)):
        concept_id = int(match.group(1))
    found = {s.section_id for s in sections}
    missing = [pk for pk in exported if pk not in found]
    if missing:
        # A section whose successor lost its marker may have swallowed the successor's text.
        order = {pk: n for n, pk in enumerate(exported)}
        for section in sections:
            position = order.get(section.section_id)
            if position is not None and position + 1 < len(exported) and exported[position + 1] in missing:
                section.unreadable = True
    return ReadBack(concept_id, sections, missing)


def _style_names(archive: zipfile.ZipFile) -> dict[str, str]:
    try:
        root = etree.fromstring(archive.read("word/styles.xml"), PARSER)
    except KeyError:
        return {}
    names = {}
    for style in root.iterfind("w:style", NS):
        name = style.find("w:name", NS)
        names[style.get(w("styleId"))] = name.get(w("val")) if name is not None else ""
    return names


def _identifier(archive: zipfile.ZipFile) -> str:
    try:
        root = etree.fromstring(archive.read("docProps/core.xml"), PARSER)
    except KeyError:
        return ""
    node = root.find("dc:identifier", NS)
    return (node.text or "").strip() if node is not None else ""


def _exported_sections(archive: zipfile.ZipFile) -> list[int]:
    try:
        root = etree.fromstring(archive.read("docProps/custom.xml"), PARSER)
    except KeyError:
        return []
    chunks = {}
    for prop in root.iterfind(f"{{{CUSTOM_NS}}}property"):
        name = prop.get("name", "")
        if name.startswith(CUSTOM_PROPERTY + " ") and name.rsplit(" ", 1)[1].isdigit():
            chunks[int(name.rsplit(" ", 1)[1])] = "".join(prop.itertext())
    text = ",".join(chunks[n] for n in sorted(chunks))
    return [int(x) for x in text.split(",") if x.strip().isdigit()]


class _Reader:
    def __init__(self, styles: dict[str, str], ignore: Callable[[Stamp], bool]):
        self.styles = styles
        self.ignore = ignore
        self.sections: list[ReadSection] = []
        self.current: ReadSection | None = None
        self.ended = False
        self.carry: list[Segment] = []  # text of a paragraph whose mark was deleted, joined to the next

    def walk(self, body) -> None:
        for child in body:
            if self.ended:
                return
            if child.tag == w("p"):
                self.paragraph(child)
            elif child.tag == w("tbl"):
                self.table(child)
            elif child.tag == w("sdt"):
                content = child.find("w:sdtContent", NS)
                if content is not None:
                    self.walk(content)

    def _marker(self, paragraph) -> tuple[int, int, int] | str | None:
        for bookmark in paragraph.iter(w("bookmarkStart")):
            name = bookmark.get(w("name"), "")
            if name == END_BOOKMARK:
                return END_BOOKMARK
            if match := MARKER_RE.match(name):
                return tuple(int(g) for g in match.groups())
        return None

    def paragraph(self, paragraph) -> None:
        marker = self._marker(paragraph)
        if marker == END_BOOKMARK:
            self.ended = True
            return
        if marker is not None:
            concept_id, section_id, version = marker
            self.current = ReadSection(concept_id, section_id, version)
            self.sections.append(self.current)
            self.carry = []
            return
        if self.current is None:
            return
        segments = self.carry + list(self.runs(paragraph))
        mark = self.mark_state(paragraph)
        if mark == "removed":
            self.carry = segments
            return
        self.carry = []
        text = "".join(s.text for s in segments)
        if not text.strip():
            return
        self.current.blocks.append(self.block(paragraph, segments))

    def mark_state(self, paragraph) -> str:
        """'removed' when the paragraph's mark is gone once changes are accepted (or a portal insertion rejected)."""
        props = paragraph.find("w:pPr/w:rPr", NS)
        if props is None:
            return "kept"
        deleted = props.find("w:del", NS)
        inserted = props.find("w:ins", NS)
        if deleted is not None and not self.ignore(_stamp(deleted)):
            return "removed"
        if inserted is not None and self.ignore(_stamp(inserted)):
            return "removed"
        return "kept"

    def runs(self, element, bold=False, italic=False):
        for node in element:
            tag = node.tag
            if tag == w("r"):
                yield from self.run(node, deleted=False)
            elif tag in (w("ins"), w("moveTo")):
                if not (tag == w("ins") and self.ignore(_stamp(node))):
                    yield from self.runs(node)
            elif tag == w("del"):
                if self.ignore(_stamp(node)):
                    for run in node.iterfind("w:r", NS):
                        yield from self.run(run, deleted=True)
            elif tag in (w("hyperlink"), w("smartTag"), w("fldSimple"), w("customXml")):
                yield from self.runs(node)
            elif tag == w("sdt"):
                content = node.find("w:sdtContent", NS)
                if content is not None:
                    yield from self.runs(content)

    def run(self, run, *, deleted: bool):
        props = run.find("w:rPr", NS)
        bold = _on(props, "b")
        italic = _on(props, "i")
        parts = []
        for node in run:
            if node.tag == w("t") or (deleted and node.tag == w("delText")):
                parts.append(node.text or "")
            elif node.tag == w("tab"):
                parts.append("\t")
            elif node.tag in (w("br"), w("cr")) and node.get(w("type")) in (None, "textWrapping"):
                parts.append("\n")
        if parts:
            yield Segment("".join(parts), bold, italic)

    def block(self, paragraph, segments: list[Segment]) -> Block:
        style_id = paragraph.find("w:pPr/w:pStyle", NS)
        name = self.styles.get(style_id.get(w("val")), "") if style_id is not None else ""
        if match := LIST_STYLE_RE.match(name):
            level = int(match.group(2) or 1) - 1
            return Block("bullet" if match.group(1) == "Bullet" else "number", segments, min(level, 2))
        if paragraph.find("w:pPr/w:numPr", NS) is not None and not WORD_HEADING_RE.match(name):
            ilvl = paragraph.find("w:pPr/w:numPr/w:ilvl", NS)
            return Block("bullet", segments, min(int(ilvl.get(w("val"), "0")) if ilvl is not None else 0, 2))
        if match := KISI_HEADING_RE.match(name):
            return Block("heading", segments, int(match.group(1)))
        if match := WORD_HEADING_RE.match(name):
            return Block("heading", segments, min(int(match.group(1)) + 1, 6))
        if name in ("Quote", "Intense Quote"):
            return Block("quote", segments)
        if name == "KISI Code":
            return Block("code", [Segment("".join(s.text for s in segments))])
        return Block("p", [Segment(s.text.replace("\t", " "), s.bold, s.italic) for s in segments])

    def table(self, table) -> None:
        if self.current is None:
            return
        rows = []
        for row in table.iterfind("w:tr", NS):
            cells = []
            for cell in row.iterfind("w:tc", NS):
                texts = ["".join(s.text for s in self.runs(p)).strip() for p in cell.iterfind("w:p", NS)]
                cells.append(" ".join(t for t in texts if t))
            rows.append(cells)
        if rows:
            self.current.blocks.append(Block("table", rows=rows))


def _on(props, tag: str) -> bool:
    if props is None:
        return False
    node = props.find(f"w:{tag}", NS)
    return node is not None and node.get(w("val"), "true") not in ("0", "false", "off")


def _stamp(mark) -> Stamp:
    return Stamp(mark.get(w("author"), ""), mark.get(w("date"), ""))
