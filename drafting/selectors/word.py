"""Reads for Word files: what an export shows as open work, and the Word files a Concept was imported from."""

from dataclasses import dataclass
from datetime import datetime

from django.db.models import Prefetch, Q

from drafting.models import Comment, Concept, Proposal, RevisionKind, Section
from drafting.text import merge_three_way

IMPORT_KEY = "sha256"


def export_review(snapshot):
    """Open amendments (each as a text on the current revision) and open threads of the current draft.

    An edition shows neither: its text is not the one they apply to. Four queries whatever the size.
    """
    from drafting.word.docx_export import Review

    review = Review()
    if snapshot.edition is not None or not snapshot.entries:
        return review
    versions = {e.section_id: e.version for e in snapshot.entries}
    bodies = {e.section_id: e.body for e in snapshot.entries}
    proposals = list(
        Proposal.objects.open()
        .filter(kind=Proposal.Kind.AMENDMENT, section_id__in=versions)
        .select_related("author__expert")
        .order_by("created_at", "pk")
    )
    stale = {(p.section_id, p.base_version) for p in proposals if p.base_version != versions[p.section_id]}
    base_texts = {}
    if stale:
        condition = Q()
        for section_id, version in stale:
            condition |= Q(id=section_id, version=version)
        base_texts = {
            (row["id"], row["version"]): row["body"]
            for row in Section.history.filter(condition).values("id", "version", "body")
        }
    for proposal in proposals:
        current = bodies[proposal.section_id]
        if proposal.base_version == versions[proposal.section_id]:
            text = proposal.text
        else:
            merged = merge_three_way(
                base_texts.get((proposal.section_id, proposal.base_version), current), current, proposal.text
            )
            text = merged.text if merged.clean else proposal.text
        review.proposals.setdefault(proposal.section_id, []).append((proposal, text))
    replies = Comment.objects.select_related("author__expert").order_by("created_at", "pk")
    threads = (
        Comment.objects.filter(section_id__in=versions, parent__isnull=True, is_resolved=False)
        .select_related("author__expert")
        .prefetch_related(Prefetch("replies", queryset=replies))
        .order_by("created_at", "pk")
    )
    for thread in threads:
        review.threads.setdefault(thread.section_id, []).append(thread)
    return review


@dataclass(frozen=True)
class ImportedFile:
    """A Word file a Concept's sections were imported from, kept in the file storage."""

    name: str
    sha256: str
    imported_at: datetime
    imported_by: object
    sections: int


def imported_files(concept: Concept) -> list[ImportedFile]:
    """The Word files this Concept was imported from, newest first, from the first revisions' data (one query)."""
    rows = (
        Section.history.filter(concept_id=concept.pk, change_kind=RevisionKind.CREATE, change_data__has_key=IMPORT_KEY)
        .select_related("history_user__expert")
        .order_by("-history_date")
    )
    files: dict[str, dict] = {}
    for row in rows:
        data = row.change_data
        entry = files.setdefault(
            data[IMPORT_KEY],
            {"name": data.get("imported_from", ""), "at": row.history_date, "by": row.history_user, "count": 0},
        )
        entry["count"] += 1
    return [ImportedFile(v["name"], sha, v["at"], v["by"], v["count"]) for sha, v in files.items()]


def imported_file(concept: Concept, sha256: str) -> ImportedFile | None:
    return next((f for f in imported_files(concept) if f.sha256 == sha256), None)


# --- An edited export, read back -----------------------------------------------------------------


@dataclass
class WordChange:
    """One section of an uploaded Word file, compared with the revision it was exported at.

    `status`: "changed" (becomes a proposal), "unchanged", "duplicate" (the same proposal by
    the same person is already open), "retired" (section no longer in the Concept),
    "unreadable" (the marker after it was lost) or "missing" (its own marker was lost).
    """

    section_id: int
    version: int
    status: str
    section: Section | None = None
    was: str = ""
    proposed: str = ""
    duplicate_of: Proposal | None = None

    @property
    def comparison(self):
        from drafting.selectors.history import compare_texts

        return compare_texts(self.was, self.proposed)


def word_file_changes(*, concept: Concept, author, data: bytes) -> list[WordChange]:
    """What an uploaded Word file proposes, section by section (ValidationError if it is not a portal export).

    A fixed number of queries: the Concept's proposal stamps, the sections, their exported
    revisions, and the author's open proposals on them.
    """
    from django.core.exceptions import ValidationError
    from django.utils.translation import gettext as _

    from drafting.word.blocks import canonical
    from drafting.word.docx_export import proposal_stamp
    from drafting.word.docx_readback import NotAnExport, read_back

    stamps = {
        proposal_stamp(p)
        for p in Proposal.objects.filter(concept=concept, kind=Proposal.Kind.AMENDMENT).select_related("author__expert")
    }
    try:
        read = read_back(data, ignore=stamps.__contains__)
    except NotAnExport:
        raise ValidationError(
            _(
                "This file has none of the portal's invisible section markers: it was not exported by the portal, "
                "or the markers were lost (for example by copying the text into a new file). Download the Concept "
                "as DOCX from the portal, make your changes in that file and upload it."
            )
        ) from None
    if read.concept_id != concept.pk:
        raise ValidationError(_("This file was exported from another Concept. Upload it on that Concept's page."))
    ids = [s.section_id for s in read.sections]
    sections = {s.pk: s for s in Section.objects.filter(concept=concept, pk__in=ids)}
    wanted = Q(pk__in=[])
    for item in read.sections:
        if item.section_id in sections and 1 <= item.version <= sections[item.section_id].version:
            wanted |= Q(id=item.section_id, version=item.version)
    bases = {(r["id"], r["version"]): r["body"] for r in Section.history.filter(wanted).values("id", "version", "body")}
    mine = {}
    for proposal in Proposal.objects.open().filter(author=author, section_id__in=ids, kind=Proposal.Kind.AMENDMENT):
        mine.setdefault((proposal.section_id, proposal.base_version, proposal.text), proposal)
    changes = []
    for item in read.sections:
        section = sections.get(item.section_id)
        if section is None or section.is_retired:
            changes.append(WordChange(item.section_id, item.version, "retired", section))
            continue
        base = bases.get((item.section_id, item.version))
        if base is None:
            changes.append(WordChange(item.section_id, item.version, "missing", section))
            continue
        if item.unreadable:
            changes.append(WordChange(item.section_id, item.version, "unreadable", section, was=base))
            continue
        edited = item.markdown
        if edited == canonical(base):
            changes.append(WordChange(item.section_id, item.version, "unchanged", section, was=base, proposed=base))
            continue
        merged = merge_three_way(canonical(base), base, edited)
        proposed = merged.text if merged.clean else edited
        status = "unchanged" if proposed == base else "changed"
        duplicate = mine.get((item.section_id, item.version, proposed))
        changes.append(
            WordChange(
                item.section_id,
                item.version,
                "duplicate" if duplicate and status == "changed" else status,
                section,
                was=base,
                proposed=proposed,
                duplicate_of=duplicate,
            )
        )
    known = {s.pk: s for s in Section.objects.filter(concept=concept, pk__in=read.missing)}
    changes += [WordChange(pk, 0, "missing", known.get(pk)) for pk in read.missing]
    return changes
