"""Word files built in the tests with python-docx, and edits made to exported files as Word would make them."""

import io
import zipfile

from docx import Document
from docx.oxml import OxmlElement
from docx.oxml.ns import qn

KAZAKH = "Қазақстан халқының бірлігі — ортақ құндылық: ә, ғ, қ, ң, ө, ұ, ү, һ, і."


def docx_bytes(document) -> bytes:
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def make_draft() -> bytes:
    """A draft as the group keeps it: typed numbers, two heading levels, a list, a table, a comment, Kazakh."""
    document = Document()
    document.add_paragraph("Концепция государственной политики", style="Title")
    document.add_heading("1. Общие положения", level=1)
    paragraph = document.add_paragraph("Настоящая Концепция определяет ")
    paragraph.add_run("цели").bold = True
    paragraph.add_run(" политики.")
    document.add_comment(paragraph.runs[0], text="Проверить формулировку", author="Рецензент")
    document.add_heading("1.1 Цель", level=2)
    document.add_paragraph(KAZAKH)
    document.add_paragraph("Первый пункт", style="List Bullet")
    document.add_paragraph("Второй пункт", style="List Bullet")
    document.add_heading("2. Задачи", level=1)
    table = document.add_table(rows=2, cols=2)
    for (row, col), text in {(0, 0): "Год", (0, 1): "Цель", (1, 0): "2026", (1, 1): "Единство"}.items():
        table.cell(row, col).text = text
    document.add_paragraph("После таблицы.")
    return docx_bytes(document)


def replace_text(data: bytes, old: str, new: str) -> bytes:
    """Edit a paragraph as a person would in Word without tracking changes."""
    document = Document(io.BytesIO(data))
    for paragraph in document.paragraphs:
        if old in paragraph.text:
            runs = [r for r in paragraph.runs if r.text]
            text = paragraph.text.replace(old, new)
            runs[0].text = text
            for run in runs[1:]:
                run.text = ""
            return docx_bytes(document)
    raise AssertionError(f"{old!r} not in the file")


def track_replace(data: bytes, old: str, new: str, author: str = "Эксперт в Word") -> bytes:
    """Replace `old` (inside one run) with `new` as tracked changes, as Word does with Track Changes on."""
    document = Document(io.BytesIO(data))
    for paragraph in document.paragraphs:
        for run in paragraph.runs:
            if old in run.text:
                before, after = run.text.split(old, 1)
                run.text = before
                deleted = _mark("w:del", author, 9001)
                deleted.append(_run(old, "w:delText"))
                inserted = _mark("w:ins", author, 9002)
                inserted.append(_run(new, "w:t"))
                tail = _run(after, "w:t")
                run._r.addnext(deleted)
                deleted.addnext(inserted)
                inserted.addnext(tail)
                return docx_bytes(document)
    raise AssertionError(f"{old!r} not in one run")


def _mark(tag, author, number):
    mark = OxmlElement(tag)
    mark.set(qn("w:id"), str(number))
    mark.set(qn("w:author"), author)
    mark.set(qn("w:date"), "2026-06-12T10:00:00Z")
    return mark


def _run(text, tag):
    run = OxmlElement("w:r")
    node = OxmlElement(tag)
    node.set("{http://www.w3.org/XML/1998/namespace}space", "preserve")
    node.text = text
    run.append(node)
    return run


def drop_bookmarks(data: bytes, name_contains: str = "") -> bytes:
    """Lose the section markers (all of them, or those whose name contains `name_contains`)."""
    document = Document(io.BytesIO(data))
    body = document.element.body
    for bookmark in body.xpath(".//w:bookmarkStart"):
        if name_contains in bookmark.get(qn("w:name")):
            bookmark.getparent().remove(bookmark)
    return docx_bytes(document)


def zip_bomb() -> bytes:
    """A ZIP that claims to unpack to far more than the limit (a real bomb compresses zeros)."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", "<w:document/>")
        with archive.open("word/media/zeros.bin", "w", force_zip64=True) as part:
            chunk = b"\0" * (1024 * 1024)
            for _ in range(120):
                part.write(chunk)
    return buffer.getvalue()


def encrypted_ole() -> bytes:
    """The start of a password-protected Word file: an OLE compound file (EncryptedPackage inside)."""
    return bytes.fromhex("d0cf11e0a1b11ae1") + b"\0" * 4096


def accept_all(data: bytes) -> bytes:
    """Press "Accept all changes" in Word: insertions become plain text, deletions go, tracked marks vanish.

    A deleted paragraph mark joins the paragraph to the next one, as Word does.
    """
    from lxml import etree

    w = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
    source = zipfile.ZipFile(io.BytesIO(data))
    root = etree.fromstring(source.read("word/document.xml"))
    for mark in list(root.iter(f"{w}rPrChange", f"{w}pPrChange")):
        mark.getparent().remove(mark)
    for props in list(root.iter(f"{w}rPr")):
        if props.getparent().tag != f"{w}pPr":
            continue
        for inserted in props.findall(f"{w}ins"):
            props.remove(inserted)
        deleted = props.find(f"{w}del")
        if deleted is not None:
            props.remove(deleted)
            paragraph = props.getparent().getparent()
            following = paragraph.getnext()
            if following is not None and following.tag == f"{w}p":
                anchor = following.find(f"{w}pPr")
                content = [node for node in paragraph if node.tag != f"{w}pPr"]
                for node in reversed(content):
                    if anchor is None:
                        following.insert(0, node)
                    else:
                        anchor.addnext(node)
                paragraph.getparent().remove(paragraph)
    for mark in list(root.iter(f"{w}del", f"{w}moveFrom")):
        mark.getparent().remove(mark)
    for mark in list(root.iter(f"{w}ins", f"{w}moveTo")):
        parent = mark.getparent()
        position = parent.index(mark)
        for offset, node in enumerate(list(mark)):
            parent.insert(position + offset, node)
        parent.remove(mark)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            content = source.read(info.filename)
            if info.filename == "word/document.xml":
                content = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)
            target.writestr(info, content)
    return buffer.getvalue()
