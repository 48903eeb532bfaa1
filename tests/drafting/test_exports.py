import io

import pytest
from django.urls import reverse
from django.utils import timezone

from drafting import services
from tests.factories import make_section

KAZAKH = "Қазақстан халқы Ассамблеясы ұлттық бірлікті нығайтады: ә, ғ, қ, ң, ө, ұ, ү, һ, і."
RUSSIAN = "Межэтническое согласие — основа стабильности."


@pytest.fixture
def document(concept, expert, coordinator):
    general = make_section(concept, "General provisions", RUSSIAN, user=expert)
    make_section(concept, "Purpose", KAZAKH, parent=general, user=expert)
    goals = make_section(concept, "Goals", "Цели.", user=expert)
    services.edition_freeze(concept=concept, name="Draft 0.1", user=coordinator)
    proposal = services.proposal_create_amendment(
        section=goals, author=expert, title="Sharper goals", text="Цели и задачи.", rationale="R", base_version=1
    )
    services.proposal_merge(proposal=proposal, merged_by=coordinator)
    services.edition_freeze(concept=concept, name="Draft 0.2", user=coordinator)
    return proposal


def download(client, concept, fmt, edition=None):
    url = reverse("drafting:document-export", args=[concept.pk, fmt])
    return client.get(url + (f"?edition={edition.pk}" if edition else ""))


@pytest.mark.django_db
def test_pdf_holds_numbered_headings_cyrillic_kazakh_and_the_change_appendix(expert_client, concept, document):
    from pypdf import PdfReader

    edition = concept.editions.get(name="Draft 0.2")
    response = download(expert_client, concept, "pdf", edition)

    assert response["Content-Type"] == "application/pdf"
    assert (
        f'filename="concept-draft-0.2-{timezone.localdate(edition.created_at):%Y-%m-%d}.pdf"'
        in response["Content-Disposition"]
    )
    text = " ".join(" ".join(page.extract_text().split()) for page in PdfReader(io.BytesIO(response.content)).pages)
    assert "1.1. Purpose" in text and "2. Goals" in text
    assert "Межэтническое согласие" in text
    assert "Қазақстан халқы Ассамблеясы" in text and "ә, ғ, қ, ң, ө, ұ, ү, һ, і" in text
    assert "Kazakhstan Institute for Strategic Studies" in text
    assert f"#{document.pk} “Sharper goals” by Aigul Expert" in text


@pytest.mark.django_db
def test_docx_has_real_headings_numbers_and_text(expert_client, concept, document):
    from docx import Document

    response = download(expert_client, concept, "docx")
    doc = Document(io.BytesIO(response.content))
    headings = [(p.style.name, p.text) for p in doc.paragraphs if p.style.name.startswith("Heading")]
    # Word numbers the headings itself (drafting.word.docx_export): the text is the heading alone.
    assert ("Heading 1", "General provisions") in headings
    assert ("Heading 2", "Purpose") in headings
    body = "\n".join(p.text for p in doc.paragraphs)
    assert KAZAKH in body and RUSSIAN in body
    assert "Draft 0.2" in body  # the appendix compares with the last edition
    assert response["Content-Disposition"].endswith('.docx"')


@pytest.mark.django_db
def test_markdown_and_html_exports(expert_client, concept, document):
    md = download(expert_client, concept, "md").content.decode()
    assert "## 1. General provisions" in md and "### 1.1. Purpose" in md and KAZAKH in md
    html = download(expert_client, concept, "html").content.decode()
    assert '<span class="number">1.1.</span>Purpose' in html
    assert "Appendix: changes since the previous edition" in html


@pytest.mark.django_db
def test_printed_exports_carry_the_paragraph_references_of_the_document_page(expert_client, concept, document):
    from pypdf import PdfReader

    purpose = concept.sections.get(heading="Purpose")
    html = download(expert_client, concept, "html").content.decode()
    assert f'id="s{purpose.pk}-p1"' in html and 'data-ref="1.1 ¶1"' in html
    pdf = download(expert_client, concept, "pdf")
    text = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf.content)).pages)
    assert "1.1 ¶1" in text


@pytest.mark.django_db
def test_change_appendix_lists_the_merged_proposals_since_the_previous_edition(expert_client, concept, document):
    edition = concept.editions.get(name="Draft 0.2")
    md = download(expert_client, concept, "md", edition).content.decode()
    assert "Compared with “Draft 0.1”" in md
    assert f"#{document.pk} “Sharper goals” by Aigul Expert" in md
    assert "2 Goals: text changed (revision 1 → 2)" in md


@pytest.mark.django_db
@pytest.mark.parametrize("fmt", ["pdf", "docx", "md", "html"])
def test_exporting_an_empty_concept_says_it_is_empty(expert_client, concept, fmt):
    response = download(expert_client, concept, fmt)
    assert response.status_code == 200
    if fmt == "md" or fmt == "html":
        assert "This document is empty" in response.content.decode()
    elif fmt == "docx":
        from docx import Document

        assert any("This document is empty" in p.text for p in Document(io.BytesIO(response.content)).paragraphs)
    else:
        from pypdf import PdfReader

        assert "This document is empty" in PdfReader(io.BytesIO(response.content)).pages[1].extract_text()


@pytest.mark.django_db
def test_unknown_format_or_edition_is_404(expert_client, concept):
    assert download(expert_client, concept, "exe").status_code == 404
    url = reverse("drafting:document-export", args=[concept.pk, "md"])
    assert expert_client.get(url + "?edition=999").status_code == 404
    assert expert_client.get(url + "?edition=abc").status_code == 404


@pytest.mark.django_db
def test_exports_need_sign_in(client, concept):
    response = download(client, concept, "pdf")
    assert response.status_code == 302


@pytest.mark.django_db
def test_export_renders_each_revision_once_and_reuses_it(expert_client, concept, document, monkeypatch):
    download(expert_client, concept, "html")
    monkeypatch.setattr("drafting.selectors.history.render_markdown", lambda text: pytest.fail("rendered again"))
    assert download(expert_client, concept, "docx").status_code == 200


@pytest.mark.django_db
def test_html_export_is_styled_under_the_csp_and_when_saved_offline(expert_client, concept, document):
    import re

    response = download(expert_client, concept, "html")
    html = response.content.decode()
    policy = response["Content-Security-Policy"]
    nonce = re.search(r"<style nonce=\"([^\"]+)\">", html).group(1)
    assert f"'nonce-{nonce}'" in policy.split("style-src", 1)[1].split(";")[0]
    # The stylesheet is inside the file, so a saved copy keeps the title page, page breaks and spacing.
    assert ".title-page" in html and "break-after: page" in html and ".number { margin-right" in html
    assert "@font-face" in html and "/static/fonts/DejaVuSerif" in html
