"""Reading the search index: matching entries by kind, with filters, a page of results and people.

On PostgreSQL an entry matches by full-text search (the `russian` configuration for stems, the
`simple` one with prefixes for Kazakh and any word as written) or, for a misspelt or inflected
word, by trigram word similarity on the casefolded text. On SQLite it matches when its
casefolded text contains every term's stem (search.text.stem). Each page costs a fixed number
of queries whatever the number of entries.
"""

import re
from dataclasses import dataclass, field
from datetime import date, datetime, time

from django.contrib.postgres.search import SearchQuery, SearchRank, TrigramWordSimilarity
from django.core.paginator import Page, Paginator
from django.db import connection
from django.db.models import BooleanField, Count, F, Func, Q, QuerySet, Value
from django.utils import timezone
from django.utils.safestring import SafeString

from drafting.highlights import annotate, plain_text
from drafting.models import Section
from members.models import Expert
from search.models import SearchEntry
from search.text import fold, highlight, search_terms, stem

PAGE_SIZE = 20
PERSON = "person"
KIND_ORDER = [SearchEntry.Kind.SECTION, SearchEntry.Kind.PROPOSAL, SearchEntry.Kind.COMMENT, SearchEntry.Kind.MEETING]


@dataclass(frozen=True)
class PersonResult:
    expert: Expert
    snippet: SafeString


@dataclass
class SearchResults:
    terms: list[str]
    page: Page | None
    counts: dict[str, int]
    people: list[PersonResult] = field(default_factory=list)

    @property
    def total(self) -> int:
        return sum(self.counts.values())


class WordSimilar(Func):
    """`query <% text`: some stretch of the text is similar to the query by trigrams (pg_trgm's
    word_similarity above its threshold, 0.6 by default), served by the trigram index on `folded`."""

    arg_joiner = " <%% "
    template = "(%(expressions)s)"
    output_field = BooleanField()


def _matching(terms: list[str], *, near_misses: bool = False) -> QuerySet:
    """Entries matching every term; `_ranked` orders them (PostgreSQL) once they are filtered.

    On PostgreSQL, full-text search first (Russian stems, and prefixes of every word as written,
    which also finds a Kazakh word with a different ending); `near_misses` matches by trigram
    similarity instead, for a misspelt word, when full-text search found nothing: comparing
    trigrams with every stretch of long texts is the slow part, so it is only the fallback.
    """
    entries = SearchEntry.objects.all()
    if connection.vendor != "postgresql":
        for term in terms:
            entries = entries.filter(folded__contains=stem(term))
        return entries
    if near_misses:
        return entries.filter(WordSimilar(Value(" ".join(terms)), "folded"))
    russian, prefixes = _queries(terms)
    return entries.filter(Q(vector=russian) | Q(vector=prefixes))


def _queries(terms: list[str]) -> tuple[SearchQuery, SearchQuery]:
    russian = SearchQuery(" ".join(terms), config="russian", search_type="plain")
    # Terms hold letters and digits only (search_terms), so they cannot break the tsquery syntax.
    prefixes = SearchQuery(" & ".join(f"{stem(t)}:*" for t in terms), config="simple", search_type="raw")
    return russian, prefixes


def _ranked(entries: QuerySet, terms: list[str]) -> QuerySet:
    if connection.vendor != "postgresql":
        return entries.order_by(_kind_order(), "-date", "-pk")
    russian, _prefixes = _queries(terms)
    rank = SearchRank(F("vector"), russian) + TrigramWordSimilarity(Value(" ".join(terms)), "folded")
    return entries.annotate(rank=rank).order_by(_kind_order(), F("rank").desc(), "-date", "-pk")


def search(
    *,
    query: str,
    kind: str = "",
    section=None,
    author=None,
    date_from: date | None = None,
    date_to: date | None = None,
    page_number=1,
) -> SearchResults:
    """Entries matching `query` (grouped by kind, best first), a count per kind, and matching people.

    Queries: one for the counts (two when PostgreSQL falls back to near misses), two for the
    page (its count and its rows), one for people.
    """
    terms = search_terms(query)
    if not terms:
        return SearchResults(terms, None, {})
    filters = {}
    if section is not None:
        filters["section"] = section
    if author is not None:
        filters["author"] = author
    if date_from:
        filters["date__gte"] = _local_midnight(date_from)
    if date_to:
        filters["date__lt"] = _local_midnight(date_to, next_day=True)
    entries = _matching(terms).filter(**filters)
    counts = _counts(entries)
    if not counts and connection.vendor == "postgresql":
        entries = _matching(terms, near_misses=True).filter(**filters)
        counts = _counts(entries)
    filtered = bool(filters)
    people = [] if filtered or kind not in ("", PERSON) else _people(terms)
    if people:
        counts[PERSON] = len(people)
    page = None
    if kind != PERSON:
        shown = entries.filter(kind=kind) if kind else entries
        shown = shown.select_related("section", "author__expert").defer("section__body", "section__body_html")
        page = Paginator(_ranked(shown, terms), PAGE_SIZE).get_page(page_number)
        for entry in page.object_list:
            entry.snippet = highlight(entry.text, terms)
            entry.title_html = highlight(entry.title, terms, width=200)
        _land_on_paragraphs([e for e in page.object_list if e.kind == SearchEntry.Kind.SECTION], terms)
    return SearchResults(terms, page, counts, people if kind in ("", PERSON) else [])


_PARAGRAPH = re.compile(r'<div class="para" id="p-p(\d+)">')


def _land_on_paragraphs(entries: list[SearchEntry], terms: list[str]) -> None:
    """Point each section result at the first paragraph with a matching word ("#s12-p3"), numbered
    as the section page numbers them (drafting.highlights), from the stored HTML (one query)."""
    if not entries:
        return
    stems = [stem(t) for t in terms]
    bodies = dict(Section.objects.filter(pk__in=[e.object_id for e in entries]).values_list("pk", "body_html"))
    for entry in entries:
        parts = _PARAGRAPH.split(annotate(bodies.get(entry.object_id, ""), paragraph_prefix="p"))
        for number, chunk in zip(parts[1::2], parts[2::2], strict=True):
            if any(s in fold(plain_text(chunk)) for s in stems):
                entry.url = f"{entry.url}#s{entry.object_id}-p{number}"
                break


def _counts(entries: QuerySet) -> dict[str, int]:
    """How many entries of each kind, in the order the page shows them (one query)."""
    counts = dict(entries.order_by().values_list("kind").annotate(n=Count("id")).values_list("kind", "n"))
    return {k: counts[k] for k in KIND_ORDER if counts.get(k)}


def _kind_order():
    from django.db.models import Case, IntegerField, When

    return Case(*(When(kind=k, then=Value(i)) for i, k in enumerate(KIND_ORDER)), output_field=IntegerField()).asc()


def _local_midnight(day: date, *, next_day: bool = False) -> datetime:
    """The start of `day` (or of the day after) in the portal's time zone, Asia/Almaty."""
    from datetime import timedelta

    if next_day:
        day += timedelta(days=1)
    return timezone.make_aware(datetime.combine(day, time.min), timezone.get_default_timezone())


def _people(terms: list[str]) -> list[PersonResult]:
    """Members of the directory (25 people) whose name, post or organisation has every term (one query)."""
    stems = [stem(t) for t in terms]
    found = []
    for expert in Expert.objects.select_related("organisation").order_by("full_name"):
        fields = [expert.full_name, expert.full_name_latin, expert.position, expert.position_en]
        if expert.organisation:
            fields.append(expert.organisation.name)
        text = " · ".join(f for f in fields if f)
        if all(s in fold(text) for s in stems):
            found.append(PersonResult(expert, highlight(text, terms)))
    return found
