"""Importing a Word draft: the outline, the first revisions' data, the kept file, permissions and bad input."""

import hashlib
import io
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from drafting.models import Concept, RevisionKind, Section
from drafting.services.imports import concept_import_word
from drafting.word.docx_import import build_outline, parse_docx
from tests.drafting.word_files import KAZAKH, encrypted_ole, make_draft, zip_bomb
from tests.factories import make_section

DOCX_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def upload(client, concept, data, name="Проект концепции.docx"):
    file = SimpleUploadedFile(name, data, content_type=DOCX_TYPE)
    return client.post(reverse("drafting:word-import", args=[concept.pk]), {"file": file})


def preview_url(concept, data):
    return reverse("drafting:word-import-preview", args=[concept.pk, hashlib.sha256(data).hexdigest()])


def test_a_word_draft_becomes_the_numbered_outline_without_typed_numbers():
    parsed = parse_docx(make_draft())
    outline = build_outline(parsed, section_level=1, subsection_level=2)

    assert [(s.number, s.heading, s.typed_number) for s in outline] == [
        ("1", "Общие положения", "1."),
        ("1.1", "Цель", "1.1"),
        ("2", "Задачи", "2."),
    ]
    assert outline[0].body == "Настоящая Концепция определяет **цели** политики."
    assert outline[1].body == f"{KAZAKH}\n\n- Первый пункт\n- Второй пункт"
    assert outline[2].body == "| Год | Цель |\n| --- | --- |\n| 2026 | Единство |\n\nПосле таблицы."
    assert parsed.title == "Концепция государственной политики"
    assert parsed.comments == 1  # listed, not imported


def test_choosing_only_sections_keeps_deeper_headings_inside_the_text():
    outline = build_outline(parse_docx(make_draft()), section_level=1, subsection_level=None)
    assert [(s.number, s.heading) for s in outline] == [("1", "Общие положения"), ("2", "Задачи")]
    assert "## Цель" in outline[0].body and KAZAKH in outline[0].body


def test_import_creates_sections_with_the_file_name_and_hash_on_each_first_revision(concept, coordinator):
    data = make_draft()
    sections = build_outline(parse_docx(data), section_level=1, subsection_level=2)

    concept_import_word(concept=concept, user=coordinator, file_name="draft.docx", data=data, sections=sections)

    created = list(Section.objects.filter(concept=concept).order_by("pk"))
    assert [s.heading for s in created] == ["Общие положения", "Цель", "Задачи"]
    assert created[1].parent == created[0] and created[2].parent is None
    sha = hashlib.sha256(data).hexdigest()
    for section in created:
        first = section.history.get(version=1)
        assert first.history_user == coordinator
        assert first.change_kind == RevisionKind.CREATE
        assert first.change_data["imported_from"] == "draft.docx"
        assert first.change_data["sha256"] == sha
        assert first.reason_display() == f"Imported from draft.docx (sha256 {sha[:12]}…)"
    assert KAZAKH in created[1].body and "<li>Первый пункт</li>" in created[1].body_html
    assert "<table>" in created[2].body_html


def test_preview_lists_the_outline_and_what_is_not_carried_over(coordinator_client, concept):
    data = make_draft()
    response = upload(coordinator_client, concept, data)
    assert response.status_code == 302 and response["Location"] == preview_url(concept, data)

    page = coordinator_client.get(preview_url(concept, data)).content.decode()
    assert "1.1.</span> Цель" in page
    assert "typed number “1.1” dropped" in page
    assert "1 comment in the file is not imported." in page
    assert Section.objects.count() == 0  # nothing saved before confirming


def test_confirming_imports_once_keeps_the_original_and_offers_it_for_download(coordinator_client, concept):
    data = make_draft()
    upload(coordinator_client, concept, data)
    page = coordinator_client.get(preview_url(concept, data))
    token = page.context["form"]["submission"].value()
    form = {"submission": token, "section_level": 1, "subsection_level": 2, "into": "this", "title": ""}

    first = coordinator_client.post(preview_url(concept, data), form)
    again = coordinator_client.post(preview_url(concept, data), form)

    assert first.status_code == again.status_code == 302
    assert Section.objects.filter(concept=concept).count() == 3
    toc = coordinator_client.get(reverse("drafting:concept-toc", args=[concept.pk])).content.decode()
    assert "Проект концепции.docx" in toc
    sha = hashlib.sha256(data).hexdigest()
    download = coordinator_client.get(reverse("drafting:word-import-file", args=[concept.pk, sha]))
    assert download.status_code == 200 and b"".join(download.streaming_content) == data
    assert "Проект" in download["Content-Disposition"] or "filename*" in download["Content-Disposition"]


def test_importing_into_a_concept_with_text_is_refused_but_a_new_concept_is_fine(coordinator_client, concept, expert):
    make_section(concept, "Existing", "Someone wrote this.", user=expert)
    data = make_draft()
    upload(coordinator_client, concept, data)
    token = coordinator_client.get(preview_url(concept, data)).context["form"]["submission"].value()
    base = {"section_level": 1, "subsection_level": 2, "title": "Новая концепция"}

    refused = coordinator_client.post(preview_url(concept, data), {**base, "submission": token, "into": "this"})
    assert refused.status_code == 400
    assert "already has text" in refused.content.decode()
    assert Section.objects.filter(concept=concept).count() == 1

    created = coordinator_client.post(preview_url(concept, data), {**base, "submission": token + "x", "into": "new"})
    new = Concept.objects.get(title="Новая концепция")
    assert created["Location"] == reverse("drafting:concept-toc", args=[new.pk])
    assert new.sections.count() == 3


def test_an_empty_scaffold_is_replaced(concept, coordinator):
    scaffold = make_section(concept, "Empty heading", "", user=coordinator)
    data = make_draft()
    sections = build_outline(parse_docx(data), section_level=1, subsection_level=2)
    concept_import_word(concept=concept, user=coordinator, file_name="d.docx", data=data, sections=sections)
    scaffold.refresh_from_db()
    assert scaffold.is_retired
    assert concept.sections.current().count() == 3


def test_only_coordinators_import(expert_client, client, concept):
    data = make_draft()
    assert expert_client.get(reverse("drafting:word-import", args=[concept.pk])).status_code == 403
    assert upload(expert_client, concept, data).status_code == 403
    assert expert_client.get(preview_url(concept, data)).status_code == 403
    client.logout()
    assert client.get(reverse("drafting:word-import", args=[concept.pk])).status_code == 302


def test_someone_elses_upload_cannot_be_previewed(coordinator_client, concept, db):
    from members.models import Expert
    from tests.factories import ExpertFactory

    other = ExpertFactory(role=Expert.Role.COORDINATOR).user
    data = make_draft()
    upload(coordinator_client, concept, data)
    coordinator_client.force_login(other)
    assert coordinator_client.get(preview_url(concept, data)).status_code == 404


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"%PDF-1.7 not a word file", "This is not a Word document (.docx)"),
        (encrypted_ole(), "password-protected (encrypted)"),
        (zip_bomb(), "Unpacked, this file would take more than 100 MB"),
        (b"", "The file is empty"),
    ],
    ids=["not-docx", "encrypted", "zip-bomb", "empty"],
)
def test_bad_files_get_a_clear_message_and_nothing_is_written(coordinator_client, concept, settings, data, message):
    response = upload(coordinator_client, concept, data)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not (settings.MEDIA_ROOT / "word-uploads").exists()
    assert Section.objects.count() == 0


def test_a_huge_text_part_is_refused_before_it_is_read(coordinator_client, concept, settings):
    settings.WORD_DOCUMENT_MAX_BYTES = 1024 * 1024
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", "<w:document>" + " " * (2 * 1024 * 1024) + "</w:document>")
    response = upload(coordinator_client, concept, buffer.getvalue())
    assert response.status_code == 400
    assert "The text of this Word file takes more than 1 MB unpacked" in response.content.decode()
    assert Section.objects.count() == 0


def test_a_doctype_is_refused_whatever_the_case_of_the_part_name(coordinator_client, concept):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", "<w:document/>")
        archive.writestr("word/styles.XML", '<!DOCTYPE x [<!ENTITY a "aaaa">]><x>&a;</x>')
    response = upload(coordinator_client, concept, buffer.getvalue())
    assert response.status_code == 400
    assert "XML the portal does not read (a DOCTYPE)" in response.content.decode()


def test_an_oversized_upload_is_refused_with_the_limit(coordinator_client, concept, settings):
    data = b"PK" + b"\0" * (50 * 1024 * 1024)
    response = upload(coordinator_client, concept, data)
    assert response.status_code == 400
    assert "The file is 50 MB; at most 20 MB can be uploaded." in response.content.decode()


def test_preview_reads_a_fixed_number_of_queries(coordinator_client, concept, django_assert_max_num_queries):
    data = make_draft()
    upload(coordinator_client, concept, data)
    with django_assert_max_num_queries(12):
        assert coordinator_client.get(preview_url(concept, data)).status_code == 200
