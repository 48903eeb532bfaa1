"""The exported Word files opened by a real word processor: LibreOffice Writer, headless.

The other Word tests read the files back with python-docx and the XML; here LibreOffice opens
them as a reviewer's office would. It must see each open proposal as a tracked change by its
author, each thread as a comment, and the numbered headings; a file it saves again must still
come back to the portal as proposals on the right sections.
"""

import io
import shutil
import subprocess
import zipfile
from pathlib import Path

import pytest
from django.urls import reverse
from lxml import etree

from drafting.models import Proposal
from drafting.services.word_proposals import proposals_from_word
from tests.drafting.word_files import replace_text
from tests.factories import ConceptFactory, make_discussion

SOFFICE = shutil.which("soffice") or "/usr/bin/soffice"
TEXT = "urn:oasis:names:tc:opendocument:xmlns:text:1.0"
OFFICE = "urn:oasis:names:tc:opendocument:xmlns:office:1.0"
DC = "http://purl.org/dc/elements/1.1/"
NS = {"text": TEXT, "office": OFFICE, "dc": DC}


def convert(data: bytes, tmp_path: Path, to: str) -> bytes:
    """The file as LibreOffice writes it after opening it (``soffice --convert-to``)."""
    source = tmp_path / "export.docx"
    source.write_bytes(data)
    out = tmp_path / "out"
    profile = (tmp_path / "profile").as_uri()  # its own profile: runs never share a lock
    result = subprocess.run(
        [SOFFICE, f"-env:UserInstallation={profile}", "--headless", "--convert-to", to, "--outdir", out, source],
        capture_output=True,
        timeout=180,
        check=False,
    )
    converted = out / f"export.{to.split(':')[0]}"
    assert result.returncode == 0 and converted.exists(), result.stderr.decode(errors="replace")
    return converted.read_bytes()


def content(odt: bytes):
    with zipfile.ZipFile(io.BytesIO(odt)) as archive:
        return etree.fromstring(archive.read("content.xml"))


@pytest.fixture
def discussion(db, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return make_discussion(ConceptFactory())


def exported(client, concept) -> bytes:
    response = client.get(reverse("drafting:document-export", args=[concept.pk, "docx"]))
    assert response.status_code == 200
    return response.content


def test_libreoffice_opens_the_export_and_converts_it_to_pdf(client, discussion, tmp_path):
    client.force_login(discussion["people"]["expert"])
    pdf = convert(exported(client, discussion["objects"]["concept"]), tmp_path, "pdf")
    assert pdf.startswith(b"%PDF") and len(pdf) > 2000


def test_libreoffice_numbers_the_headings_from_words_own_numbering(client, discussion, tmp_path):
    """No number is typed in the headings (see test_word_export); LibreOffice writes "1." and "1.1."."""
    client.force_login(discussion["people"]["expert"])
    text = convert(exported(client, discussion["objects"]["concept"]), tmp_path, "txt:Text (encoded):UTF8")
    lines = text.decode("utf-8-sig").splitlines()
    assert "1. Общие положения" in lines and "1.1. Цели" in lines


def test_libreoffice_sees_each_proposal_as_a_tracked_change_by_its_author_and_each_thread_as_a_comment(
    client, discussion, tmp_path
):
    people, objects = discussion["people"], discussion["objects"]
    client.force_login(people["expert"])
    document = content(convert(exported(client, objects["concept"]), tmp_path, "odt"))

    regions = document.findall(".//text:tracked-changes/text:changed-region", NS)
    kinds = {child.tag.split("}")[1] for region in regions for child in region}
    assert {"insertion"} <= kinds, etree.tostring(document)[:2000]
    authors = {creator.text for creator in document.iterfind(".//text:changed-region//dc:creator", NS)}
    assert authors == {f"Айгуль Садвокасова · #{objects['proposal'].pk}"}
    comments = document.findall(".//office:annotation", NS)
    assert comments and objects["comment"].body.split()[0] in etree.tostring(comments[0], encoding="unicode")


def test_a_file_saved_again_by_libreoffice_still_comes_back_as_proposals(client, discussion, tmp_path):
    """Bookmarks and tracked changes survive LibreOffice's save: the section is found by its marker,
    at the revision exported, and the open proposal shown in the file is not taken as this person's edit."""
    people, objects = discussion["people"], discussion["objects"]
    reader, section = people["coordinator"], objects["section"]
    section.refresh_from_db()
    client.force_login(reader)
    saved = convert(exported(client, objects["concept"]), tmp_path, "docx:MS Word 2007 XML")
    edited = replace_text(saved, "Укрепление", "Всемерное укрепление")

    created = proposals_from_word(concept=objects["concept"], author=reader, data=edited, rationale="R")

    assert [(p.section, p.base_version, p.author) for p in created] == [(section, section.version, reader)]
    assert Proposal.objects.get(pk=created[0].pk).text == "Всемерное укрепление единства народа."
