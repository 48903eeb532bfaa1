"""The DOCX export: Word's own heading numbering, open proposals as tracked changes, threads as comments."""

import io
import zipfile

import pytest
from django.urls import reverse
from lxml import etree

from drafting import services
from drafting.word.docx_readback import read_back
from tests.factories import ConceptFactory, make_discussion, make_section

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
NS = {"w": W[1:-1]}


def export(client, concept, edition=None) -> bytes:
    url = reverse("drafting:document-export", args=[concept.pk, "docx"])
    response = client.get(url + (f"?edition={edition.pk}" if edition else ""))
    assert response.status_code == 200
    return response.content


def part(data: bytes, name: str):
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return etree.fromstring(archive.read(name))


def paragraph_texts(document, *, accept: bool) -> list[str]:
    """Every paragraph's text with all changes accepted (or all rejected), done here on the raw XML."""
    texts = []
    for paragraph in document.iter(f"{W}p"):
        parts = []
        for node in paragraph.iter(f"{W}t", f"{W}delText"):
            inside = {a.tag for a in node.iterancestors()}
            if accept and node.tag == f"{W}t" or not accept and (node.tag == f"{W}delText" or f"{W}ins" not in inside):
                parts.append(node.text or "")
        texts.append("".join(parts))
    return texts


@pytest.fixture
def discussion(db):
    return make_discussion(ConceptFactory())


def test_each_open_proposal_is_a_tracked_change_with_its_author_and_date(client, discussion):
    people, objects = discussion["people"], discussion["objects"]
    client.force_login(people["expert"])
    data = export(client, objects["concept"])
    document = part(data, "word/document.xml")

    proposal = objects["proposal"]
    insertions = document.findall(".//w:ins", NS)
    assert insertions, "the open proposal is shown as an insertion"
    for mark in insertions:
        assert mark.get(f"{W}author") == f"Айгуль Садвокасова · #{proposal.pk}"
        assert mark.get(f"{W}date").startswith(f"{proposal.created_at:%Y-%m-%d}")
    accepted = paragraph_texts(document, accept=True)
    rejected = paragraph_texts(document, accept=False)
    assert proposal.text in accepted  # "Укрепление единства народа Казахстана."
    objects["section"].refresh_from_db()
    assert objects["section"].body in rejected  # "Укрепление единства народа."
    assert proposal.text not in rejected


def test_each_open_thread_is_a_word_comment_anchored_to_its_quote(client, discussion):
    client.force_login(discussion["people"]["expert"])
    data = export(client, discussion["objects"]["concept"])
    comments = part(data, "word/comments.xml").findall("w:comment", NS)
    assert len(comments) == 1
    assert comments[0].get(f"{W}author") == "Марат Шибутов"
    text = "".join(comments[0].itertext())
    assert "Согласен в целом." in text and "Айгуль Садвокасова: Спасибо." in text
    document = part(data, "word/document.xml")
    start = document.find(".//w:commentRangeStart", NS)
    anchored = []
    for node in start.itersiblings():
        if node.tag == f"{W}commentRangeEnd":
            break
        anchored.append("".join(node.itertext()))
    assert "".join(anchored) == "единства"


def test_headings_are_numbered_by_word_from_a_numbering_bound_to_the_heading_styles(client, discussion):
    client.force_login(discussion["people"]["expert"])
    data = export(client, discussion["objects"]["concept"])
    styles = part(data, "word/styles.xml")
    numbering = part(data, "word/numbering.xml")
    heading_2 = styles.xpath("//w:style[w:name/@w:val='heading 2']", namespaces=NS)[0]
    num_id = heading_2.find("w:pPr/w:numPr/w:numId", NS).get(f"{W}val")
    assert heading_2.find("w:pPr/w:numPr/w:ilvl", NS).get(f"{W}val") == "1"
    abstract_id = numbering.xpath(f"//w:num[@w:numId='{num_id}']/w:abstractNumId/@w:val", namespaces=NS)[0]
    levels = numbering.xpath(f"//w:abstractNum[@w:abstractNumId='{abstract_id}']/w:lvl", namespaces=NS)
    assert [lvl.find("w:lvlText", NS).get(f"{W}val") for lvl in levels[:2]] == ["%1.", "%1.%2."]
    assert levels[1].find("w:pStyle", NS).get(f"{W}val") == "Heading2"

    from docx import Document

    headings = [
        (p.style.name, p.text) for p in Document(io.BytesIO(data)).paragraphs if p.style.name.startswith("Heading")
    ]
    assert ("Heading 1", "Общие положения") in headings and ("Heading 2", "Цели") in headings


def test_accepting_all_gives_each_proposed_text_and_rejecting_all_the_current_one(
    client, concept, expert, other_expert
):
    section = make_section(concept, "Goals", "First paragraph stays.\n\nSecond paragraph goes.", user=expert)
    other = make_section(concept, "Means", "Laws and **programmes**.\n\n- one\n- two", user=expert)
    services.proposal_create_amendment(
        section=section, author=expert, title="Rewrite", rationale="R", base_version=1,
        text="First paragraph stays, longer.\n\nA new paragraph.\n\nAnd another one.",
    )  # fmt: skip
    services.proposal_create_amendment(
        section=other, author=other_expert, title="More", rationale="R", base_version=1,
        text="Laws, budgets and **programmes**.\n\n- one\n- two\n- three",
    )  # fmt: skip
    client.force_login(expert)
    data = export(client, concept)

    accepted = {s.section_id: s.markdown for s in read_back(data, ignore=lambda stamp: False).sections}
    rejected = {s.section_id: s.markdown for s in read_back(data, ignore=lambda stamp: True).sections}
    assert accepted[section.pk] == "First paragraph stays, longer.\n\nA new paragraph.\n\nAnd another one."
    assert accepted[other.pk] == "Laws, budgets and **programmes**.\n\n- one\n- two\n- three"
    assert rejected == {section.pk: section.body, other.pk: other.body}


def test_overlapping_proposals_show_the_first_and_name_the_second_in_a_comment(client, concept, expert, other_expert):
    section = make_section(concept, "Goals", "Unity of the people.", user=expert)
    services.proposal_create_amendment(
        section=section, author=expert, title="A", text="Unity of all people.", rationale="R", base_version=1
    )
    second = services.proposal_create_amendment(
        section=section, author=other_expert, title="B", text="Unity of every person.", rationale="R", base_version=1
    )
    client.force_login(expert)
    data = export(client, concept)
    comments = "".join(part(data, "word/comments.xml").itertext())
    assert f"Proposal #{second.pk} by Marat Other" in comments
    authors = {m.get(f"{W}author") for m in part(data, "word/document.xml").iter(f"{W}ins", f"{W}del")}
    assert authors == {"Aigul Expert · #" + str(second.pk - 1)}


def test_an_edition_export_has_markers_but_no_tracked_changes(client, discussion):
    client.force_login(discussion["people"]["expert"])
    data = export(client, discussion["objects"]["concept"], discussion["objects"]["edition"])
    document = part(data, "word/document.xml")
    assert not document.findall(".//w:ins", NS)
    names = [b.get(f"{W}name") for b in document.iter(f"{W}bookmarkStart")]
    assert any(name.startswith("kisi_c") for name in names) and "kisi_end" in names


def test_export_reads_a_fixed_number_of_queries(client, concept, expert, django_assert_max_num_queries):
    for n in range(12):
        section = make_section(concept, f"Section {n}", f"Text {n}.", user=expert)
        services.proposal_create_amendment(
            section=section, author=expert, title="T", text=f"Text {n} changed.", rationale="R", base_version=1
        )
        services.comment_add(author=expert, body="Note", section=section, quote=f"Text {n}")
    client.force_login(expert)
    with django_assert_max_num_queries(16):
        export(client, concept)
