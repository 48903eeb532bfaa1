"""The coordinator freezes an edition while one Kazakh section is behind, and downloads it as a
bilingual PDF from the edition page: Russian on the left, Kazakh on the right, the stale section named."""

import io
import re
from pathlib import Path

import pytest
from django.utils import translation
from django.utils.text import capfirst
from django.utils.translation import gettext, ngettext
from playwright.sync_api import Page, expect
from pypdf import PdfReader

from drafting import services
from drafting.markdown import render_markdown
from drafting.models import Edition, ParallelText
from tests.browser.conftest import PURPOSE_FIRST, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

GENERAL_KK = "Тұжырымдама этносаралық қатынастар саласындағы мемлекеттік саясаттың қағидаттарын белгілейді."
GENERAL_KK_SECOND = "Тұжырымдаманы ҚСЗИ жанындағы Жұмыс тобы әзірледі: ә ғ қ ң ө ұ ү һ і."
PURPOSE_KK = "Осы Тұжырымдама мемлекеттік саясаттың мақсаттарын айқындайды."


def kazakh(section, body: str, heading: str) -> ParallelText:
    return ParallelText.objects.create(
        section=section,
        language="kk",
        heading=heading,
        body=body,
        body_html=render_markdown(body),
        source_version=section.version,
    )


def behind_note(language: str, kind: str, numbers: str) -> str:
    """The title page's note on one section whose Kazakh text is behind, as the catalogue words it."""
    with translation.override(language):
        message = ngettext(
            f"%(language)s: the text of %(count)s section is {kind}: %(numbers)s.",
            f"%(language)s: the text of %(count)s sections is {kind}: %(numbers)s.",
            1,
        )
        return message % {"language": capfirst(gettext("Kazakh")), "count": 1, "numbers": numbers}


def test_coordinator_downloads_a_bilingual_pdf_of_an_edition(page: Page, live_server, demo_concept, demo_coordinator):
    kazakh(demo_concept.general, f"{GENERAL_KK}\n\n{GENERAL_KK_SECOND}", "Жалпы ережелер")
    kazakh(demo_concept.purpose, PURPOSE_KK, "Мақсаты")
    # The Russian text of 1.1 moves on: its Kazakh text is now out of date; 2 has none.
    purpose = demo_concept.purpose
    services.section_edit(
        section=purpose,
        base_version=purpose.version,
        body=purpose.body.replace(PURPOSE_FIRST, PURPOSE_FIRST.replace("цели", "цели и задачи")),
        user=demo_coordinator,
        summary="Задачи",
    )

    sign_in(page, live_server, "demo-coordinator")
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Editions").click()
    page.get_by_label("Name").fill("Draft 1.0 bilingual")
    page.get_by_role("button", name="Freeze edition").click()
    expect(page.get_by_role("heading", level=1, name="Draft 1.0 bilingual")).to_be_visible()

    download_area = page.get_by_role("region", name="Download this edition")
    expect(download_area.get_by_text("Russian and Kazakh side by side:", exact=True)).to_be_visible()
    with page.expect_download(timeout=60_000) as info:
        download_area.get_by_role("link", name="PDF (Russian and Kazakh side by side)").click()
    download = info.value

    assert re.fullmatch(r"concept-draft-1\.0-bilingual-\d{4}-\d{2}-\d{2}-ru-kk\.pdf", download.suggested_filename)
    content = Path(download.path()).read_bytes()
    assert content.startswith(b"%PDF")
    text = " ".join(" ".join(p.extract_text().split()) for p in PdfReader(io.BytesIO(content)).pages)
    assert "Draft 1.0 bilingual" in text
    assert GENERAL_KK in text and GENERAL_KK_SECOND in text and "ә ғ қ ң ө ұ ү һ і" in text
    assert "Концепция разработана Рабочей группой при КИСИ." in text
    # The title page names the sections whose Kazakh text is behind, so nobody publishes it by accident.
    for language in ("ru", "kk"):  # in both languages of the file
        assert behind_note(language, "out of date", "1.1") in text
        assert behind_note(language, "missing", "2") in text
    edition = Edition.objects.get(name="Draft 1.0 bilingual")
    assert edition.parallel_entries.filter(is_current=False).count() == 2
