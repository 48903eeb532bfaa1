"""The parallel texts of a document (the draft or an edition), shaped for the exports.

For the draft, a section's parallel text is its ParallelText row as it is now; for an edition,
the EditionParallelText row the freeze wrote, with the text of the parallel text's history row
at that revision. Each is current, out of date (it translates an older revision of the section
than the document holds) or missing. One query per document, whatever its size.
"""

from dataclasses import dataclass

from django.db.models import OuterRef, Subquery

from drafting.models import Concept, Edition, EditionParallelText, ParallelText
from drafting.selectors.parallel import concept_languages

CURRENT, OUTDATED, MISSING = "current", "outdated", "missing"
BILINGUAL = "bilingual"


@dataclass(frozen=True)
class ParallelEntry:
    """A section's text in one parallel language as the document holds it."""

    section_id: int
    language: str
    heading: str
    body: str
    version: int | None  # the parallel text's revision; None when it is missing
    source_version: int | None  # the section revision it translates
    section_version: int  # the section revision the document holds
    html: str | None = None  # the stored HTML of today's text (the draft); an edition's is rendered

    @property
    def status(self) -> str:
        if self.version is None:
            return MISSING
        return CURRENT if self.source_version == self.section_version else OUTDATED


@dataclass(frozen=True)
class ExportLanguages:
    """What an export shows: the drafting language alone, one parallel language alone, or both."""

    drafting: str
    parallel: str | None  # the parallel language shown, if any
    bilingual: bool = False

    @property
    def columns(self) -> list[str]:
        if self.bilingual:
            return [self.drafting, self.parallel]
        return [self.parallel or self.drafting]

    @property
    def main(self) -> str:
        """The language of the file's own words (the first column's for a bilingual file)."""
        return self.columns[0]

    @property
    def suffix(self) -> str:
        """What the file name adds: nothing for the drafting language."""
        if self.bilingual:
            return f"-{self.drafting}-{self.parallel}"
        return f"-{self.parallel}" if self.parallel else ""


def export_languages(concept: Concept, code: str | None) -> ExportLanguages | None:
    """The languages `code` asks for ("", the drafting language, a parallel language or "bilingual"),
    or None when the Concept has no such language (the view answers 404)."""
    parallel = concept_languages(concept)
    if not code or code == concept.drafting_language:
        return ExportLanguages(concept.drafting_language, None)
    if code == BILINGUAL:
        return ExportLanguages(concept.drafting_language, parallel[0], bilingual=True) if parallel else None
    return ExportLanguages(concept.drafting_language, code) if code in parallel else None


def _history_value(field: str):
    rows = ParallelText.history.model.objects.filter(
        section_id=OuterRef("section_id"), language=OuterRef("language"), version=OuterRef("version")
    ).order_by("-history_id")
    return Subquery(rows.values(field)[:1])


def parallel_entries(entries: list, language: str, edition: Edition | None = None) -> dict[int, ParallelEntry]:
    """Each document entry's text in `language`, by section id (one query; no row means missing)."""
    versions = {e.section_id: e.version for e in entries}
    if not versions:
        return {}
    if edition is None:
        rows = ParallelText.objects.filter(section__in=list(versions), language=language).values(
            "section_id", "heading", "body", "version", "source_version", "body_html"
        )
    else:
        rows = (
            EditionParallelText.objects.filter(edition=edition, language=language, version__isnull=False)
            .annotate(heading=_history_value("heading"), body=_history_value("body"))
            .values("section_id", "heading", "body", "version", "source_version")
        )
    found = {
        row["section_id"]: ParallelEntry(
            row["section_id"],
            language,
            row["heading"] or "",
            row["body"] or "",
            row["version"],
            row["source_version"],
            versions[row["section_id"]],
            row.get("body_html"),
        )
        for row in rows
        if row["section_id"] in versions
    }
    missing = {pk: ParallelEntry(pk, language, "", "", None, None, version) for pk, version in versions.items()}
    return missing | found


def behind(entries: list, texts: dict[int, ParallelEntry]) -> dict[str, list[str]]:
    """The numbers of the sections whose parallel text is out of date, and of those where it is missing."""
    numbers = {OUTDATED: [], MISSING: []}
    for entry in entries:
        status = texts[entry.section_id].status
        if status in numbers:
            numbers[status].append(entry.number)
    return numbers


@dataclass(frozen=True)
class ExportChoice:
    """One language an export can be downloaded in, for the links ("ru", "kk", "bilingual")."""

    code: str
    label: str  # the language's name in the reader's language (lazy)
    second: str = ""  # for the bilingual choice, the parallel language's name


def export_choices(concept: Concept) -> list[ExportChoice]:
    """The drafting language, each parallel language, then both side by side (no query)."""
    labels = dict(Concept.Language.choices)
    parallel = concept_languages(concept)
    choices = [ExportChoice(concept.drafting_language, labels[concept.drafting_language])]
    choices += [ExportChoice(code, labels[code]) for code in parallel]
    if parallel:
        choices.append(ExportChoice(BILINGUAL, labels[concept.drafting_language], labels[parallel[0]]))
    return choices


@dataclass(frozen=True)
class FrozenStatus:
    """What an edition froze of one section's parallel text: current, out of date or missing."""

    language: str
    label: str  # the language's name in the reader's language (lazy)
    status: str
    source_version: int | None


def edition_parallel_status(edition: Edition) -> dict[int, list[FrozenStatus]]:
    """Per section of the edition, the state of each parallel text when it was frozen (one query)."""
    labels = dict(Concept.Language.choices)
    by_section: dict[int, list[FrozenStatus]] = {}
    rows = edition.parallel_entries.order_by("language").values_list(
        "section_id", "language", "version", "source_version", "is_current"
    )
    for section_id, language, version, source_version, is_current in rows:
        status = MISSING if version is None else CURRENT if is_current else OUTDATED
        by_section.setdefault(section_id, []).append(
            FrozenStatus(language, labels.get(language, language), status, source_version)
        )
    return by_section
