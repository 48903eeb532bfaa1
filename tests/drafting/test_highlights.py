"""drafting.highlights: marks and paragraph references inserted into sanitised HTML, never breaking it."""

import re
from html.parser import HTMLParser

from hypothesis import given, settings
from hypothesis import strategies as st

from drafting.highlights import Highlight, annotate, plain_text
from drafting.markdown import _render
from drafting.text import anchor_from_selection, find_passage

VOID = {"br", "hr"}


class _Tree(HTMLParser):
    """Checks that every element closes in order (the tree is not broken) and collects ids."""

    def __init__(self):
        super().__init__()
        self.stack, self.ids, self.errors = [], [], []

    def handle_starttag(self, tag, attrs):
        self.ids += [v for k, v in attrs if k == "id"]
        if tag not in VOID:
            self.stack.append(tag)

    def handle_endtag(self, tag):
        if not self.stack or self.stack.pop() != tag:
            self.errors.append(tag)


def _well_formed(html: str) -> _Tree:
    tree = _Tree()
    tree.feed(html)
    tree.close()
    assert tree.errors == [] and tree.stack == []
    return tree


def _h(start, end, key, colour=0):
    return Highlight(start, end, key, f"#comment-{key}", str(key), colour=colour)


def test_plain_text_is_what_a_reader_sees():
    html = _render("Some **bold** & <b>raw</b>.\n\n- one\n- two")
    assert plain_text(html) == "Some bold & <b>raw</b>.\n\none\ntwo\n"


def test_a_passage_across_formatting_becomes_one_mark_per_text_node():
    html = _render("Some **bold** words here.")
    text = plain_text(html)
    start = text.index("bold")
    out = annotate(html, highlights=[_h(start, text.index(" here"), 7)])
    assert out == (
        '<p>Some <strong><mark class="anchor-mark anchor-mark--c0" id="mark-7" data-threads="7">bold</mark></strong>'
        '<mark class="anchor-mark anchor-mark--c0" data-threads="7"> words</mark>'
        '<a class="mark-ref" href="#comment-7" data-thread="7" data-ref="7" aria-label="7"></a> here.</p>'
    )


def test_overlapping_and_adjacent_passages_are_split_into_segments():
    html = _render("abc def ghi jkl")
    out = annotate(html, highlights=[_h(0, 7, 1), _h(4, 11, 2, colour=1), _h(11, 15, 3, colour=2)])
    assert '<mark class="anchor-mark anchor-mark--c0" id="mark-1" data-threads="1">abc </mark>' in out
    assert 'id="mark-2" data-threads="1 2">def</mark>' in out
    assert '<mark class="anchor-mark anchor-mark--c1" data-threads="2"> ghi</mark>' in out
    assert 'id="mark-3" data-threads="3">jkl</mark>' in out
    _well_formed(out)


def test_two_passages_starting_together_each_get_their_own_id():
    out = annotate(_render("same start here"), highlights=[_h(0, 4, 1), _h(0, 10, 2)])
    tree = _well_formed(out)
    assert {"mark-1", "mark-2"} <= set(tree.ids)


def test_link_to_the_card_never_nests_inside_a_link_of_the_text():
    html = _render("See [the law](https://adilet.zan.kz) now.")
    text = plain_text(html)
    out = annotate(html, highlights=[_h(text.index("the"), text.index("law") + 3, 4)])
    assert re.search(r'the law</mark></a><a class="mark-ref"', out)


def test_paragraphs_are_wrapped_with_ids_and_references():
    html = _render("One.\n\n- a\n- b\n\n| x | y |\n|---|---|\n| 1 | 2 |\n\n---\n\nTwo.")
    out = annotate(html, paragraph_prefix="s5", paragraph_label="3.2", paragraph_title="Link")
    tree = _well_formed(out)
    assert [i for i in tree.ids if i.startswith("s5-")] == ["s5-p1", "s5-p2", "s5-p3", "s5-p4"]
    assert '<a class="para-ref" href="#s5-p4" data-ref="3.2 ¶4" aria-label="3.2 ¶4" title="Link"></a><p>Two.</p>' in out


def test_no_mark_stands_between_table_rows_or_list_items():
    html = _render("- one\n- two\n\n| a | b |\n|---|---|\n| c | d |")
    text = plain_text(html)
    out = annotate(html, highlights=[_h(0, len(text), 1)])
    _well_formed(out)
    assert not re.search(r"<(ul|tr|tbody|thead|table)>\s*<mark", out)
    assert not re.search(r"</(li|tr|td|th)>\s*<mark", out)


def test_text_that_looks_like_markup_stays_text():
    html = _render('x <script>alert(1)</script> "<img src=x onerror=alert(1)>" y')
    text = plain_text(html)
    out = annotate(html, highlights=[_h(0, len(text) - 1, 1)], paragraph_prefix="s1")
    assert "<script" not in out and "<img" not in out
    assert "&lt;script&gt;" in out


def test_highlights_out_of_range_or_blank_are_ignored():
    html = _render("Text.")
    assert annotate(html, highlights=[_h(3, 100, 1), _h(-1, 2, 2), _h(2, 2, 3)]) == html


@settings(max_examples=150, deadline=None)
@given(
    source=st.text(alphabet=st.characters(exclude_categories=("Cs",)), max_size=200),
    cuts=st.lists(st.tuples(st.integers(0, 220), st.integers(0, 220)), max_size=5),
)
def test_annotating_any_text_keeps_the_html_well_formed_and_the_text_unchanged(source, cuts):
    html = _render(source.replace("\x00", ""))
    text = plain_text(html)
    highlights = [_h(min(a, b), max(a, b), n + 1, colour=n) for n, (a, b) in enumerate(cuts)]
    out = annotate(html, highlights=highlights, paragraph_prefix="s1", paragraph_label="1")
    _well_formed(out)
    assert plain_text(out) == text  # the links carry their text in attributes
    assert annotate(html) == html


@settings(max_examples=150, deadline=None)
@given(text=st.text(alphabet=st.sampled_from("аб қ\n\t.x"), min_size=1, max_size=80), data=st.data())
def test_a_selection_is_found_whatever_whitespace_the_browser_put_in_it(text, data):
    start = data.draw(st.integers(0, len(text) - 1))
    end = data.draw(st.integers(start + 1, len(text)))
    passage = text[start:end]
    if not passage.strip():
        return
    as_copied = " ".join(passage.split())
    found = find_passage(text, as_copied)
    assert found is not None
    assert " ".join(text[found[0] : found[1]].split()) == as_copied
    anchor = anchor_from_selection(text, as_copied)
    assert anchor is not None and " ".join(anchor.quote.split()) == as_copied
