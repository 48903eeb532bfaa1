"""Behaviour of drafting/text/: tokens, word diffs, three-way merge, attribution and quote anchors."""

import time
from itertools import pairwise

from hypothesis import given
from hypothesis import strategies as st

from drafting.text import (
    Anchor,
    AnchorMatch,
    DiffChunk,
    attribute_paragraphs,
    attribute_step,
    changed_opcodes,
    changed_spans,
    diff_stats,
    locate_anchor,
    make_anchor,
    merge_three_way,
    overlapping_pairs,
    render_inline_diff,
    render_side_by_side,
    split_paragraphs,
    tokenize,
    word_diff,
)

KAZAKH_WORDS = ["әкімдік", "ғылым", "қала", "өңір", "ұлттық", "үкімет", "һәм", "іске", "мектеп", "білім"]
RUSSIAN_WORDS = ["срок", "дней", "заявитель", "должен", "14", "30"]
SEPARATORS = [" ", " ", "\n", "\n\n", ",", ".", "<", "&"]

# Text drawn from a small vocabulary, so that two drawn texts have words in common.
prose = st.lists(st.sampled_from(KAZAKH_WORDS + RUSSIAN_WORDS + SEPARATORS), max_size=60).map("".join)


def old_side(chunks: list[DiffChunk]) -> str:
    return "".join(chunk.text for chunk in chunks if chunk.op != "insert")


def new_side(chunks: list[DiffChunk]) -> str:
    return "".join(chunk.text for chunk in chunks if chunk.op != "delete")


def changes(chunks: list[DiffChunk]) -> list[DiffChunk]:
    return [chunk for chunk in chunks if chunk.op != "equal"]


def long_text(paragraphs: int = 60) -> str:
    """Paragraphs of five sentences, each sentence numbered (p * 10 + s) so that it is unique."""
    sentence = "Заявитель должен подать заявление в течение {} дней, а әкімдік қала өңірі рассматривает его."
    return "\n\n".join(" ".join(sentence.format(p * 10 + s) for s in range(5)) for p in range(paragraphs))


# --- Tokens ------------------------------------------------------------------------------------


@given(st.text())
def test_joining_the_tokens_gives_the_text_back(text):
    assert "".join(tokenize(text)) == text


def test_kazakh_letters_stay_inside_words():
    assert [token for token in tokenize(" ".join(KAZAKH_WORDS)) if token != " "] == KAZAKH_WORDS


def test_whitespace_and_each_punctuation_mark_are_tokens_of_their_own():
    tokens = tokenize("Срок — 14 дней.\n\nДа!")
    assert tokens == ["Срок", " ", "—", " ", "14", " ", "дней", ".", "\n\n", "Да", "!"]


def test_paragraphs_are_separated_by_blank_lines():
    text = "\n  \nПервая строка\r\nвторая строка\r\n\r\n \r\nВторой абзац\n\n\n"
    assert split_paragraphs(text) == ["Первая строка\nвторая строка", "Второй абзац"]


def test_blank_text_has_no_paragraphs():
    assert split_paragraphs("") == []
    assert split_paragraphs("\n \n\t\n") == []


# --- Word diff ---------------------------------------------------------------------------------


@given(st.text(), st.text())
def test_word_diff_rebuilds_both_texts_from_arbitrary_unicode(old, new):
    chunks = word_diff(old, new)
    assert old_side(chunks) == old
    assert new_side(chunks) == new


@given(prose, prose)
def test_word_diff_rebuilds_both_texts_that_share_words_in_coalesced_chunks(old, new):
    chunks = word_diff(old, new)
    assert old_side(chunks) == old
    assert new_side(chunks) == new
    assert all(chunk.text for chunk in chunks)
    assert all(first.op != second.op for first, second in pairwise(chunks))


def test_extending_a_word_replaces_the_whole_word_not_letters():
    assert word_diff("Бұл қала үлкен", "Бұл қаласы үлкен") == [
        DiffChunk("equal", "Бұл "),
        DiffChunk("delete", "қала"),
        DiffChunk("insert", "қаласы"),
        DiffChunk("equal", " үлкен"),
    ]


def test_replacing_one_kazakh_word_shows_only_that_word():
    chunks = word_diff("Ұлттық ғылым және білім өңірде", "Ұлттық ғылым және өнер өңірде")
    assert changes(chunks) == [DiffChunk("delete", "білім"), DiffChunk("insert", "өнер")]


def test_replaced_words_separated_by_spaces_read_as_one_replacement():
    assert word_diff("в течение 14 дней, сказал он", "в срок 30 суток, сказал он") == [
        DiffChunk("equal", "в "),
        DiffChunk("delete", "течение 14 дней"),
        DiffChunk("insert", "срок 30 суток"),
        DiffChunk("equal", ", сказал он"),
    ]


def test_identical_texts_are_one_equal_chunk():
    assert word_diff("Срок.\n\nДа.", "Срок.\n\nДа.") == [DiffChunk("equal", "Срок.\n\nДа.")]
    assert word_diff("", "") == []


def test_added_paragraph_is_one_insertion():
    chunks = word_diff("Первый.\n\nТретий.", "Первый.\n\nВторой.\n\nТретий.")
    assert changes(chunks) == [DiffChunk("insert", "Второй.\n\n")]


def test_word_diff_of_a_long_text_marks_just_the_edits():
    old = long_text()
    new = old.replace("в течение 124 дней", "в течение 30 суток").replace(
        "должен подать заявление в течение 201 ", "обязан подать заявление в течение 201 "
    )
    assert changes(word_diff(old, new)) == [
        DiffChunk("delete", "124 дней"),
        DiffChunk("insert", "30 суток"),
        DiffChunk("delete", "должен"),
        DiffChunk("insert", "обязан"),
    ]


def test_reformatting_a_long_text_takes_well_under_a_second():
    # SequenceMatcher alone on the tokens of a wholly reformatted text is quadratic in the
    # spaces, and takes minutes on 100 KB; the matcher anchors on unique words first.
    old = long_text(30).replace("\n\n", " ")
    new = old.replace(". ", ".\n")
    started = time.perf_counter()
    chunks = word_diff(old, new)
    assert time.perf_counter() - started < 1
    assert new_side(chunks) == new
    assert diff_stats(chunks) == (0, 0)


def test_diff_stats_counts_words_added_and_removed():
    chunks = word_diff("Срок подачи — 14 дней.", "Срок подачи заявления — 30 календарных дней.")
    assert diff_stats(chunks) == (3, 1)


# --- Rendering ---------------------------------------------------------------------------------


def test_inline_diff_escapes_markup_and_labels_changes_for_screen_readers():
    html = render_inline_diff(word_diff("Срок & <b>порядок</b>.", "Срок. <script>alert(1)</script>"))
    assert "<script>" not in html and "<b>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "&amp; &lt;b&gt;порядок&lt;/b&gt;" in html
    assert '<del><span class="visually-hidden">removed: </span>' in html
    assert '<ins><span class="visually-hidden">added: </span>' in html


def test_inline_diff_keeps_line_breaks():
    html = render_inline_diff(word_diff("Первый.\n\nВторой.", "Первый.\n\nДругой."))
    assert html.startswith("Первый.\n\n")


def test_side_by_side_shows_deletions_in_the_old_text_and_insertions_in_the_new():
    old_html, new_html = render_side_by_side(word_diff("Срок 14 дней.", "Срок 30 дней."))
    assert old_html == 'Срок <del><span class="visually-hidden">removed: </span>14</del> дней.'
    assert new_html == 'Срок <ins><span class="visually-hidden">added: </span>30</ins> дней.'


def test_diff_labels_can_be_translated():
    chunks = word_diff("қала", "ауыл")
    html = render_inline_diff(chunks, removed_label="жойылды: ", added_label="қосылды: ")
    assert "жойылды: " in html and "қосылды: " in html


# --- Three-way merge ---------------------------------------------------------------------------

BASE = "Заявитель shall подать заявление в течение 14 дней. Комиссия рассматривает его в течение месяца."


def test_non_overlapping_changes_in_one_paragraph_merge_cleanly():
    result = merge_three_way(BASE, BASE.replace("14", "30"), BASE.replace("shall", "must"))
    assert result.clean
    assert result.text == BASE.replace("14", "30").replace("shall", "must")


def test_neighbouring_words_changed_by_each_side_keep_the_space_between_them():
    result = merge_three_way("Срок 14 дней.", "Срок 30 дней.", "Срок 14 суток.")
    assert result.clean
    assert result.text == "Срок 30 суток."


def test_changes_in_different_paragraphs_merge_cleanly():
    base = "Первый абзац.\n\nВторой абзац.\n\nТретий абзац."
    current = base.replace("Первый", "Начальный")
    mine = base.replace("Третий", "Последний")
    result = merge_three_way(base, current, mine)
    assert result.clean
    assert result.text == "Начальный абзац.\n\nВторой абзац.\n\nПоследний абзац."


def test_overlapping_changes_conflict_and_show_each_side_of_the_region():
    result = merge_three_way(BASE, BASE.replace("14", "30"), BASE.replace("14", "21"))
    assert not result.clean
    [conflict] = result.conflicts
    assert (conflict.base, conflict.current, conflict.mine) == ("14", "30", "21")
    assert conflict.before == "Заявитель shall подать заявление в течение "
    assert conflict.after == " дней. Комиссия рассматривает его в "
    assert result.text == BASE.replace("14", "21")


def test_conflict_context_is_at_most_twelve_tokens():
    base = "один два три четыре пять шесть семь восемь X девять десять одиннадцать двенадцать тринадцать"
    [conflict] = merge_three_way(base, base.replace("X", "Y"), base.replace("X", "Z")).conflicts
    assert conflict.before == "три четыре пять шесть семь восемь "
    assert conflict.after == " девять десять одиннадцать двенадцать тринадцать"


def test_double_submit_is_not_a_conflict():
    saved = BASE.replace("14", "30")
    result = merge_three_way(BASE, saved, saved)
    assert result.clean and result.text == saved


def test_same_change_on_both_sides_merges_cleanly():
    current = BASE.replace("14", "30")
    mine = current.replace("месяца", "двух недель")
    result = merge_three_way(BASE, current, mine)
    assert result.clean and result.text == mine


def test_saving_over_an_unchanged_text_takes_mine():
    mine = BASE.replace("14", "30")
    result = merge_three_way(BASE, BASE, mine)
    assert result.clean and result.text == mine


def test_mine_without_changes_keeps_the_current_text():
    current = BASE.replace("14", "30")
    result = merge_three_way(BASE, current, BASE)
    assert result.clean and result.text == current


def test_insertions_at_different_points_merge_cleanly():
    base = "Первое. Второе. Третье."
    current = "Первое. Вставка А. Второе. Третье."
    mine = "Первое. Второе. Третье. Вставка Б."
    result = merge_three_way(base, current, mine)
    assert result.clean
    assert result.text == "Первое. Вставка А. Второе. Третье. Вставка Б."


def test_different_insertions_at_the_same_point_conflict():
    result = merge_three_way("Первое. Второе.", "Первое. Вставка А. Второе.", "Первое. Вставка Б. Второе.")
    [conflict] = result.conflicts
    assert (conflict.base, conflict.current, conflict.mine) == ("", "Вставка А. ", "Вставка Б. ")


def test_kazakh_text_merges_word_by_word():
    base = "Ұлттық ғылым әкімдігі. Өңір мектептері іске асырады."
    current = base.replace("ғылым", "білім")
    mine = base.replace("іске", "толық іске")
    result = merge_three_way(base, current, mine)
    assert result.clean
    assert result.text == "Ұлттық білім әкімдігі. Өңір мектептері толық іске асырады."


@given(prose, prose)
def test_a_merge_with_one_side_unchanged_takes_the_other(base, changed):
    assert merge_three_way(base, base, changed).text == changed
    assert merge_three_way(base, changed, base).text == changed


@given(prose, prose, prose)
def test_a_merge_takes_mine_where_it_conflicts(base, current, mine):
    result = merge_three_way(base, current, mine)
    assert all(conflict.mine in result.text for conflict in result.conflicts)


def test_a_long_reformatted_section_merges_in_well_under_a_second():
    base = long_text(30)
    current = base.replace(". ", ".\n")
    mine = base.replace("в течение 124 дней", "в течение 30 суток")
    started = time.perf_counter()
    result = merge_three_way(base, current, mine)
    assert time.perf_counter() - started < 1
    assert result.clean and result.text == mine.replace(". ", ".\n")


# --- Attribution -------------------------------------------------------------------------------


def test_attribution_keeps_origins_of_untouched_paragraphs_and_credits_changed_and_new_ones():
    revisions = [
        ("Преамбула.\n\nСрок 14 дней.\n\nЗаключение.", "r1"),
        ("Преамбула.\n\nСрок 30 дней.\n\nЗаключение.", "r2"),
        ("Преамбула.\n\nСрок 30 дней.\n\nНовый абзац.\n\nЗаключение.", "r3"),
        ("Преамбула.\n\nСрок 30 дней.\n\nНовый абзац.", "r4"),
    ]
    assert attribute_paragraphs(revisions) == [
        ("Преамбула.", "r1"),
        ("Срок 30 дней.", "r2"),
        ("Новый абзац.", "r3"),
    ]


def test_attribution_of_no_revisions_is_empty():
    assert attribute_paragraphs([]) == []


def test_paragraph_restored_later_is_credited_to_the_restoring_revision():
    assert attribute_paragraphs([("А.\n\nБ.", 1), ("А.", 2), ("А.\n\nБ.", 3)]) == [("А.", 1), ("Б.", 3)]


@given(st.lists(st.tuples(prose, st.integers()), max_size=8))
def test_attribution_one_step_at_a_time_equals_the_walk_over_the_whole_history(revisions):
    stepped: list = []
    for text, origin in revisions:
        stepped = attribute_step(stepped, text, origin)
    assert stepped == attribute_paragraphs(revisions)


# --- Overlapping proposals ---------------------------------------------------------------------

CURRENT = "Срок составляет 14 дней. Заявитель должен подать заявление. Решение принимается акимом."


def test_changed_spans_locate_replacements_and_insertions_in_the_current_text():
    proposed = CURRENT.replace("14", "30").replace("принимается", "окончательно принимается")
    spans = changed_spans(CURRENT, proposed)
    assert [CURRENT[start:end] for start, end in spans] == ["14", ""]
    assert CURRENT[: spans[1][0]].rstrip().endswith("Решение")


def test_proposals_changing_different_words_are_not_alternatives():
    spans = {
        1: changed_spans(CURRENT, CURRENT.replace("14", "30")),
        2: changed_spans(CURRENT, CURRENT.replace("должен", "обязан")),
    }
    assert overlapping_pairs(spans) == []


def test_proposals_changing_the_same_words_or_inserting_at_one_point_are_alternatives():
    spans = {
        1: changed_spans(CURRENT, CURRENT.replace("14 дней", "30 дней")),
        2: changed_spans(CURRENT, CURRENT.replace("14", "21")),
        3: changed_spans(CURRENT, CURRENT.replace("должен", "обязан")),
        4: changed_spans(CURRENT, CURRENT + " Ещё одно."),
        5: changed_spans(CURRENT, CURRENT + " Другое."),
    }
    assert overlapping_pairs(spans) == [(1, 2), (4, 5)]


@given(prose, prose, prose)
def test_proposals_that_do_not_merge_cleanly_are_always_found_as_alternatives(current, first, second):
    """The one-pass sweep never misses a pair that a three-way merge would refuse."""
    pairs = overlapping_pairs({"a": changed_spans(current, first), "b": changed_spans(current, second)})
    if not merge_three_way(current, first, second).clean:
        assert pairs == [("a", "b")]


# --- Anchors -----------------------------------------------------------------------------------

SECTION = (
    "Концепция определяет цели развития образования.\n\n"
    "Заявитель должен подать заявление в течение четырнадцати календарных дней со дня уведомления.\n\n"
    "Комиссия рассматривает заявление и сообщает о решении."
)
QUOTE = "в течение четырнадцати календарных дней"


def test_anchor_keeps_the_quote_with_32_characters_either_side():
    assert make_anchor(SECTION, QUOTE) == Anchor(
        quote=QUOTE,
        prefix="явитель должен подать заявление ",
        suffix=" со дня уведомления.\n\nКомиссия р",
    )


def test_anchor_takes_the_occurrence_nearest_the_hint():
    text = "срок. Потом ещё срок."
    assert make_anchor(text, "срок", hint=15) == Anchor("срок", "срок. Потом ещё ", ".")
    assert make_anchor(text, "срок") == Anchor("срок", "", ". Потом ещё срок.")


def test_blank_or_missing_quote_makes_no_anchor():
    assert make_anchor(SECTION, "   ") is None
    assert make_anchor(SECTION, "") is None
    assert make_anchor(SECTION, "не из этого текста") is None


def test_quote_still_in_place_is_exact():
    match = locate_anchor(SECTION, make_anchor(SECTION, QUOTE))
    assert (match.status, SECTION[match.start : match.end]) == ("exact", QUOTE)
    assert match.found and not match.outdated


def test_quote_in_a_moved_paragraph_is_found_as_moved():
    first, second, third = SECTION.split("\n\n")
    moved = "\n\n".join([second, first, third])
    quote = "Заявитель должен подать заявление"
    match = locate_anchor(moved, make_anchor(SECTION, quote))
    assert (match.status, moved[match.start : match.end]) == ("moved", quote)
    assert match.found and not match.outdated


def test_quote_with_a_changed_word_is_found_as_changed():
    edited = SECTION.replace("четырнадцати календарных", "четырнадцати рабочих")
    match = locate_anchor(edited, make_anchor(SECTION, QUOTE))
    assert match.status == "changed"
    assert edited[match.start : match.end] == "в течение четырнадцати рабочих дней"
    assert match.found and match.outdated


def test_edited_quote_is_found_even_when_its_context_changed_too():
    edited = "Новое начало.\n\nЗаявителю надлежит обратиться в течение четырнадцати календарных суток."
    match = locate_anchor(edited, make_anchor(SECTION, QUOTE))
    assert match.status == "changed"
    assert edited[match.start : match.end].startswith("в течение четырнадцати календарных")


def test_removed_quote_is_lost():
    removed = SECTION.replace(" в течение четырнадцати календарных дней со дня уведомления", "")
    match = locate_anchor(removed, make_anchor(SECTION, QUOTE))
    assert match == AnchorMatch("lost", -1, -1)
    assert not match.found and match.outdated


def test_duplicate_quotes_are_told_apart_by_prefix_and_suffix():
    text = "Статья 1. Срок составляет 14 дней.\n\nСтатья 2. Срок составляет 14 дней для апелляции."
    second = text.rindex("Срок составляет")
    anchor = make_anchor(text, "Срок составляет", hint=second)
    assert locate_anchor(text, anchor) == AnchorMatch("exact", second, second + len("Срок составляет"))

    edited = "Вступление.\n\n" + text.replace("для апелляции", "для обжалования")
    match = locate_anchor(edited, anchor)
    assert match.status == "moved"
    assert match.start == edited.rindex("Срок составляет")


def test_blank_anchor_is_lost():
    assert locate_anchor(SECTION, Anchor(" ", "", "")) == AnchorMatch("lost", -1, -1)


@given(prose, prose)
def test_changed_opcodes_turn_the_old_tokens_into_the_new(old, new):
    before, after = tokenize(old), tokenize(new)
    rebuilt, at = [], 0
    for op, i1, i2, j1, j2 in changed_opcodes(before, after):
        assert op in {"replace", "delete", "insert"} and at <= i1
        rebuilt += before[at:i1] + after[j1:j2]
        at = i2
    assert rebuilt + before[at:] == after


def test_changed_opcodes_of_a_long_rewritten_text_leave_unmatched_stretches_whole():
    old = tokenize(" ".join(["бір екі үш"] * 3000))
    new = tokenize(" ".join(["один два три"] * 3000))
    assert changed_opcodes(old, new) == [("replace", 0, len(old), 0, len(new))]


@given(prose, prose)
def test_a_text_that_is_only_the_change_gives_back_the_base_when_the_change_is_taken_out(base, change):
    from drafting.text import contains_change, take_out

    if change == base:
        assert take_out(base, change, change) is None and not contains_change(base, change, change)
        return
    assert contains_change(base, change, change)
    rest = take_out(base, change, change)
    assert rest == base


sentence = st.lists(st.sampled_from(KAZAKH_WORDS + RUSSIAN_WORDS), min_size=1, max_size=12).map(" ".join)


@given(sentence, sentence, sentence, sentence)
def test_an_accepted_change_is_taken_out_and_the_persons_own_edit_stays(first, second, changed, edited):
    from drafting.text import take_out

    base = f"{first}\n\n{second}"
    change = f"{changed}\n\n{second}"  # someone's proposal, accepted in Word
    uploaded = f"{changed}\n\n{edited}"  # then the person's own edit of the other paragraph
    if changed == first or edited == second:
        return
    assert take_out(base, uploaded, change) == f"{first}\n\n{edited}"


def test_a_selection_of_a_repeated_word_is_anchored_where_its_surroundings_say():
    from drafting.text import anchor_from_selection

    text = "Единство народа. Язык народа. Культура народа."
    assert anchor_from_selection(text, "народа").prefix.endswith("Единство ")
    chosen = anchor_from_selection(text, "народа", prefix="Культура ", suffix=".")
    assert chosen.prefix.endswith("Культура ") and chosen.suffix == "."
