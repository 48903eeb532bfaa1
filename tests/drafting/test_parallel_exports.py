"""Editions freeze the parallel texts; exports come in the drafting language, a parallel language, or both.

Parallel texts are made here with the ORM (as drafting/services/parallel.py would leave them), so
these tests depend only on the models: `source_version` is the section revision a text translates.
"""

import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation
from django.utils.text import capfirst
from django.utils.translation import gettext, ngettext

from drafting import services
from drafting.markdown import render_markdown
from drafting.models import EditionParallelText, ParallelText
from tests.factories import make_section

KAZAKH_LETTERS = "ә ғ қ ң ө ұ ү һ і"
RU_GENERAL = "Концепция определяет цели государственной политики."
KK_GENERAL = f"Тұжырымдама мемлекеттік саясаттың мақсаттарын айқындайды: {KAZAKH_LETTERS}."
RU_SECOND = "Второй абзац о единстве народа."
KK_SECOND = "Екінші абзац халық бірлігі туралы."
RU_GOALS = "Укрепление единства."
KK_GOALS = "Бірлікті нығайту."
RU_GOALS_NEW = "Укрепление единства народа Казахстана."
RU_RESULTS = "Ожидаемые результаты."


def parallel(section, body, *, heading, source_version=None, language="kk"):
    return ParallelText.objects.create(
        section=section,
        language=language,
        heading=heading,
        body=body,
        body_html=render_markdown(body),
        source_version=source_version or section.version,
    )


@pytest.fixture
def bilingual(concept, expert, coordinator):
    """1 General provisions: Kazakh current (two paragraphs each); 1.1 Goals: Kazakh out of date
    (it translates revision 1, the section is at 2); 2 Expected results: no Kazakh text."""
    general = make_section(concept, "Общие положения", f"{RU_GENERAL}\n\n{RU_SECOND}", user=expert)
    goals = make_section(concept, "Цели", RU_GOALS, parent=general, user=expert)
    results = make_section(concept, "Ожидаемые результаты", RU_RESULTS, user=expert)
    parallel(general, f"{KK_GENERAL}\n\n{KK_SECOND}", heading="Жалпы ережелер")
    parallel(goals, KK_GOALS, heading="Мақсаттар")
    services.section_edit(section=goals, base_version=1, body=RU_GOALS_NEW, user=expert, summary="Точнее")
    edition = services.edition_freeze(concept=concept, name="Draft 0.4", user=coordinator)
    return {"general": general, "goals": goals, "results": results, "edition": edition}


def download(client, concept, fmt, *, language=None, edition=None):
    query = {key: value for key, value in (("language", language), ("edition", edition and edition.pk)) if value}
    return client.get(reverse("drafting:document-export", args=[concept.pk, fmt]), query)


def pdf_text(content: bytes) -> str:
    from pypdf import PdfReader

    return " ".join(" ".join(page.extract_text().split()) for page in PdfReader(io.BytesIO(content)).pages)


def pdf_words_with_x(content: bytes) -> list[tuple[str, float, float]]:
    """Each piece of text in the PDF with where it starts across the page, as a share of the width."""
    from pypdf import PdfReader

    pieces = []
    for page in PdfReader(io.BytesIO(content)).pages:
        width = float(page.mediabox.width)

        def visit(text, cm, tm, font, size, width=width):
            if text.strip():
                pieces.append((text.strip(), (tm[4] * cm[0] + cm[4]) / width, tm[5] * cm[3] + cm[5]))

        page.extract_text(visitor_text=visit)
    return pieces


def docx_xml(content: bytes) -> str:
    import zipfile

    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        return archive.read("word/document.xml").decode()


def docx_of(content: bytes):
    from docx import Document

    return Document(io.BytesIO(content))


def kazakh_notes(count: int, numbers: str, kind: str) -> str:
    """The title page's note, as the Kazakh catalogue words it (English until it is translated)."""
    with translation.override("kk"):
        label = capfirst(gettext("Kazakh"))
        if kind == "outdated":
            message = ngettext(
                "%(language)s: the text of %(count)s section is out of date: %(numbers)s.",
                "%(language)s: the text of %(count)s sections is out of date: %(numbers)s.",
                count,
            )
        else:
            message = ngettext(
                "%(language)s: the text of %(count)s section is missing: %(numbers)s.",
                "%(language)s: the text of %(count)s sections is missing: %(numbers)s.",
                count,
            )
        return message % {"language": label, "count": count, "numbers": numbers}


# --- Editions ---------------------------------------------------------------------------------


@pytest.mark.django_db
def test_freezing_records_each_parallel_texts_revision_source_and_whether_it_was_current(concept, bilingual):
    rows = {
        row.section_id: (row.language, row.version, row.source_version, row.is_current)
        for row in EditionParallelText.objects.filter(edition=bilingual["edition"])
    }
    assert rows == {
        bilingual["general"].pk: ("kk", 1, 1, True),
        bilingual["goals"].pk: ("kk", 1, 1, False),
        bilingual["results"].pk: ("kk", None, None, False),
    }


@pytest.mark.django_db
def test_freezing_writes_the_parallel_entries_at_a_fixed_number_of_queries(concept, expert, coordinator):
    def freeze_queries(n, name):
        for i in range(n):
            section = make_section(concept, f"Раздел {name} {i}", "Текст.", user=expert)
            parallel(section, "Мәтін.", heading="Бөлім")
        with CaptureQueriesContext(connection) as queries:
            services.edition_freeze(concept=concept, name=name, user=coordinator)
        return len(queries)

    assert freeze_queries(5, "A") == freeze_queries(25, "B")
    assert EditionParallelText.objects.filter(edition__name="B").count() == 30


@pytest.mark.django_db
def test_an_edition_exports_the_parallel_text_it_froze_not_todays(expert_client, concept, bilingual):
    text = ParallelText.objects.get(section=bilingual["goals"])
    text.body, text.version, text.source_version = "Жаңа мәтін.", 2, 2
    text.save()

    frozen = download(expert_client, concept, "md", language="kk", edition=bilingual["edition"]).text
    draft = download(expert_client, concept, "md", language="kk").text

    assert KK_GOALS in frozen and "Жаңа мәтін." not in frozen
    assert "Жаңа мәтін." in draft and KK_GOALS not in draft


@pytest.mark.django_db
def test_kazakh_export_of_an_edition_names_and_marks_its_out_of_date_and_missing_sections(
    expert_client, concept, bilingual
):
    md = download(expert_client, concept, "md", language="kk", edition=bilingual["edition"]).text

    title_page = md.split("## ", 1)[0]
    assert kazakh_notes(1, "1.1", "outdated") in title_page
    assert kazakh_notes(1, "2", "missing") in title_page
    goals = md.split("1.1. Мақсаттар", 1)[1].split("## 2.", 1)[0]
    with translation.override("kk"):
        stale = gettext(
            "Out of date: this translation follows revision %(source)s of the section; "
            "this document holds revision %(version)s."
        )
        assert stale % {"source": 1, "version": 2} in goals
        assert gettext("Not translated yet: this section has no text in this language.") in md.split("## 2.", 1)[1]
    general = md.split("## 1. Жалпы ережелер", 1)[1].split("1.1.", 1)[0]
    assert "> " not in general and KK_GENERAL in general


@pytest.mark.django_db
def test_html_export_marks_stale_sections_for_print(expert_client, concept, bilingual):
    html = download(expert_client, concept, "html", language="kk", edition=bilingual["edition"]).text
    assert html.count('class="behind behind--outdated"') == 1
    assert html.count('class="behind behind--missing"') == 1
    assert f'id="s{bilingual["general"].pk}-kk-p1"' in html
    assert '<html lang="kk">' in html


@pytest.mark.django_db
def test_a_current_translation_adds_no_warning(expert_client, concept, bilingual):
    goals, results = bilingual["goals"], bilingual["results"]
    goals.refresh_from_db()
    ParallelText.objects.filter(section=goals).update(source_version=goals.version)
    parallel(results, "Күтілетін нәтижелер.", heading="Күтілетін нәтижелер")

    md = download(expert_client, concept, "md", language="kk").text
    assert "> " not in md.split("## Appendix", 1)[0].split("## ", 1)[0]
    assert "behind" not in download(expert_client, concept, "html", language="kk").text.split("</style>", 1)[1]


# --- The right language in the right place ------------------------------------------------------


@pytest.mark.django_db
def test_kazakh_pdf_holds_the_kazakh_text_with_every_letter_and_no_russian(expert_client, concept, bilingual):
    response = download(expert_client, concept, "pdf", language="kk", edition=bilingual["edition"])

    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].endswith('-kk.pdf"')
    text = pdf_text(response.content)
    assert KK_GENERAL in text and KK_SECOND in text and KAZAKH_LETTERS in text
    assert "1. Жалпы ережелер" in text and "1.1. Мақсаттар" in text
    assert RU_GENERAL not in text and RU_GOALS_NEW not in text
    assert kazakh_notes(1, "1.1", "outdated") in text


@pytest.mark.django_db
def test_russian_pdf_holds_the_russian_text_only(expert_client, concept, bilingual):
    text = pdf_text(download(expert_client, concept, "pdf", language="ru").content)
    assert RU_GENERAL in text and RU_GOALS_NEW in text and "1.1. Цели" in text
    assert KK_GENERAL not in text and "out of date" not in text


@pytest.mark.django_db
def test_bilingual_pdf_sets_russian_left_and_kazakh_right_paragraph_by_paragraph(expert_client, concept, bilingual):
    response = download(expert_client, concept, "pdf", language="bilingual", edition=bilingual["edition"])
    assert response["Content-Disposition"].endswith('-ru-kk.pdf"')
    text = pdf_text(response.content)
    assert KK_GENERAL in text and RU_GENERAL in text and KAZAKH_LETTERS in text

    pieces = pdf_words_with_x(response.content)

    def where(start):
        return next((x, y) for piece, x, y in pieces if piece.startswith(start))

    for russian, kazakh in ((RU_GENERAL, KK_GENERAL), (RU_SECOND, KK_SECOND), ("Цели", "Мақсаттар")):
        (rx, ry), (kx, ky) = where(russian[:12]), where(kazakh[:12])
        assert rx < 0.5 < kx, (russian, rx, kazakh, kx)
        assert abs(ry - ky) < 1  # the same row: the paragraphs face each other
    # Both title pages' words, in each language's own words.
    with translation.override("kk"):
        assert gettext("Working Group on the Concept of state policy in interethnic relations") in text


@pytest.mark.django_db
def test_bilingual_html_pairs_paragraphs_when_counts_match_and_whole_texts_otherwise(expert_client, concept, bilingual):
    html = download(expert_client, concept, "html", language="bilingual").text
    general = html.split(f'id="section-{bilingual["general"].pk}"', 1)[1].split("</table>", 1)[0]
    assert general.count("<tr>") == 3  # the headings, then one row per paragraph
    ParallelText.objects.filter(section=bilingual["general"]).update(body=KK_GENERAL)
    ParallelText.objects.filter(section=bilingual["general"]).update(body_html=render_markdown(KK_GENERAL))
    html = download(expert_client, concept, "html", language="bilingual").text
    general = html.split(f'id="section-{bilingual["general"].pk}"', 1)[1].split("</table>", 1)[0]
    assert general.count("<tr>") == 2 and RU_SECOND in general


@pytest.mark.django_db
def test_kazakh_docx_has_kazakh_headings_and_text_and_no_round_trip_markers(expert_client, concept, bilingual):
    response = download(expert_client, concept, "docx", language="kk", edition=bilingual["edition"])
    doc = docx_of(response.content)
    headings = [(p.style.name, p.text) for p in doc.paragraphs if p.style.name.startswith("Heading")]
    assert ("Heading 1", "Жалпы ережелер") in headings and ("Heading 2", "Мақсаттар") in headings
    body = "\n".join(p.text for p in doc.paragraphs)
    assert KK_GENERAL in body and KAZAKH_LETTERS in body and RU_GENERAL not in body
    assert kazakh_notes(1, "2", "missing") in body
    assert "w:bookmarkStart" not in docx_xml(response.content) and not doc.core_properties.identifier


@pytest.mark.django_db
def test_bilingual_docx_has_a_two_column_table_per_section(expert_client, concept, bilingual):
    doc = docx_of(download(expert_client, concept, "docx", language="bilingual").content)
    assert len(doc.tables) == 3
    general = doc.tables[0]
    assert len(general.columns) == 2
    rows = [[cell.text for cell in row.cells] for row in general.rows]
    with translation.override("ru"):
        russian = gettext("Russian")
    with translation.override("kk"):
        kazakh = gettext("Kazakh")
    assert rows == [[russian, kazakh], [RU_GENERAL, KK_GENERAL], [RU_SECOND, KK_SECOND]]
    goals = [[cell.text for cell in row.cells] for row in doc.tables[1].rows]
    assert goals[-1] == [RU_GOALS_NEW, KK_GOALS] and goals[1][0] == ""  # the right column says it is behind
    headings = [p.text for p in doc.paragraphs if p.style.name.startswith("Heading")]
    assert "Общие положения / Жалпы ережелер" in headings


@pytest.mark.django_db
def test_russian_docx_keeps_the_word_round_trip_markers(expert_client, concept, bilingual):
    response = download(expert_client, concept, "docx", language="ru")
    doc = docx_of(response.content)
    assert doc.core_properties.identifier == f"kisi-portal concept={concept.pk}"
    assert f'w:name="kisi_c{concept.pk}_s{bilingual["goals"].pk}_v2"' in docx_xml(response.content)
    assert KK_GENERAL not in "\n".join(p.text for p in doc.paragraphs)


@pytest.mark.django_db
def test_bilingual_markdown_puts_each_text_under_its_language(expert_client, concept, bilingual):
    md = download(expert_client, concept, "md", language="bilingual").text
    section = md.split("## 1. Общие положения", 1)[1].split("### 1.1.", 1)[0]
    assert section.index(RU_GENERAL) < section.index("Жалпы ережелер") < section.index(KK_GENERAL)


@pytest.mark.django_db
def test_single_language_exports_speak_the_exports_language(expert_client, concept, bilingual):
    md = download(expert_client, concept, "md", language="ru").text
    with translation.override("ru"):
        assert gettext("Appendix: changes since the previous edition") in md
    # Without a language the file speaks the reader's language, as before languages could be chosen.
    assert "Appendix: changes since the previous edition" in download(expert_client, concept, "md").text


# --- Bad input and permissions ------------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize("language", ["xx", "en", "KK", "bilingual-en", "ru,kk", "k" * 5000])
def test_a_language_the_concept_does_not_have_is_404(expert_client, concept, bilingual, language):
    assert download(expert_client, concept, "md", language=language).status_code == 404


@pytest.mark.django_db
def test_a_nul_byte_in_the_language_is_a_clear_400(expert_client, concept, bilingual):
    assert download(expert_client, concept, "md", language="kk\x00").status_code == 400


@pytest.mark.django_db
def test_without_parallel_languages_only_the_drafting_language_exports(expert_client, concept, bilingual):
    concept.parallel_languages = []
    concept.save()
    assert download(expert_client, concept, "md", language="kk").status_code == 404
    assert download(expert_client, concept, "md", language="bilingual").status_code == 404
    assert download(expert_client, concept, "md", language="ru").status_code == 200


@pytest.mark.django_db
def test_an_english_parallel_text_exports_when_the_concept_has_it(expert_client, concept, bilingual):
    concept.parallel_languages = ["kk", "en"]
    concept.save()
    parallel(bilingual["general"], "The Concept sets the goals.", heading="General provisions", language="en")
    md = download(expert_client, concept, "md", language="en").text
    assert "The Concept sets the goals." in md and "the text of 2 sections is missing: 1.1, 2" in md


@pytest.mark.django_db
def test_exports_in_every_language_need_sign_in(client, concept, bilingual):
    response = download(client, concept, "pdf", language="bilingual")
    assert response.status_code == 302 and "/login" in response["Location"]


@pytest.mark.django_db
def test_post_is_not_allowed(expert_client, concept, bilingual):
    url = reverse("drafting:document-export", args=[concept.pk, "md"]) + "?language=kk"
    assert expert_client.post(url).status_code == 405


# --- Pages offering the choices -----------------------------------------------------------------


@pytest.mark.django_db
def test_edition_page_offers_each_language_and_bilingual(expert_client, concept, bilingual):
    edition = bilingual["edition"]
    html = expert_client.get(reverse("drafting:edition-detail", args=[edition.pk])).text
    base = reverse("drafting:document-export", args=[concept.pk, "pdf"])
    for code in ("ru", "kk", "bilingual"):
        assert f"{base}?language={code}&amp;edition={edition.pk}" in html
    listing = expert_client.get(reverse("drafting:edition-list", args=[concept.pk])).text
    assert f"{base}?language=bilingual" in listing


# --- Query budget -------------------------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize("fmt", ["html", "md", "docx"])
def test_edition_export_with_parallel_texts_costs_the_same_queries_for_5_and_30_sections(
    expert_client, concept, expert, coordinator, fmt
):
    services.edition_freeze(concept=concept, name="Start", user=coordinator)  # each one below has a previous

    def export_queries(n, name):
        for i in range(n):
            section = make_section(concept, f"Раздел {i}", f"Текст {i}.\n\nЕщё {i}.", user=expert)
            if i % 3:
                parallel(section, f"Мәтін {i}.\n\nТағы {i}.", heading=f"Бөлім {i}", source_version=1)
            if i % 2:
                services.section_edit(section=section, base_version=1, body=f"Новый {i}.", user=expert, summary="x")
        edition = services.edition_freeze(concept=concept, name=name, user=coordinator)
        download(expert_client, concept, fmt, language="bilingual", edition=edition)  # renders each revision once
        with CaptureQueriesContext(connection) as queries:
            response = download(expert_client, concept, fmt, language="bilingual", edition=edition)
        assert response.status_code == 200
        return len(queries)

    small = export_queries(5, "Small")
    assert export_queries(25, "Large") == small
    assert small <= 14


@pytest.mark.django_db
def test_edition_page_shows_which_kazakh_texts_were_behind_when_frozen(
    expert_client, concept, bilingual, django_assert_max_num_queries
):
    url = reverse("drafting:edition-detail", args=[bilingual["edition"].pk])
    expert_client.get(url)
    with django_assert_max_num_queries(12):
        html = expert_client.get(url).text
    assert html.count("frozen-parallel--outdated") == 1 and html.count("frozen-parallel--missing") == 1
    assert "Kazakh: out of date (translates revision 1)" in html and "Kazakh: missing" in html
