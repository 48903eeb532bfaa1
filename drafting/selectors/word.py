"""Reads for Word files: what an export shows as open work, and the Word files a Concept was imported from."""

import hashlib
import json
from dataclasses import dataclass, field
from datetime import datetime

from django.db.models import Prefetch, Q

from drafting.models import Comment, Concept, Proposal, ProposalQuerySet, RevisionKind, Section
from drafting.text import contains_change, merge_three_way, take_out

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
    the same person is already open), "accepted" (nothing is left once the open proposals the
    file contains are left out), "retired" (section no longer in the Concept), "unreadable" (the
    marker after it was lost) or "missing" (its own marker was lost).

    Open proposals are shown in an export as tracked changes; "Accept all changes" in Word makes
    them plain text. `left_out` are such proposals found in the section and taken out of
    `proposed`; `as_uploaded` is the text with them kept in, which the person may choose instead.
    `appears` are proposals found in the text that could not be taken out (the person's own
    edits touch the same words): they stay in `proposed`, and the page says so.
    """

    section_id: int
    version: int
    status: str
    section: Section | None = None
    was: str = ""
    proposed: str = ""
    duplicate_of: Proposal | None = None
    as_uploaded: str = ""
    left_out: list[Proposal] = field(default_factory=list)
    appears: list[Proposal] = field(default_factory=list)

    def text(self, *, keep_accepted: bool = False) -> str:
        """The text to propose: with the proposals found in the file left out, unless they are to be kept."""
        return self.as_uploaded if keep_accepted and self.left_out else self.proposed

    @property
    def comparison(self):
        from drafting.selectors.history import compare_texts

        return compare_texts(self.was, self.proposed)

    @property
    def comparison_as_uploaded(self):
        from drafting.selectors.history import compare_texts

        return compare_texts(self.was, self.as_uploaded)


def review_fingerprint(changes: list[WordChange]) -> str:
    """What confirming the review would create, in short: it differs when the open proposals moved meanwhile."""
    summary = [
        (
            c.section_id,
            c.status,
            c.proposed,
            c.as_uploaded,
            [p.pk for p in c.left_out],
            [p.pk for p in c.appears],
            c.duplicate_of.pk if c.duplicate_of else None,
        )
        for c in changes
    ]
    return hashlib.sha256(json.dumps(summary, ensure_ascii=False).encode()).hexdigest()[:32]


def word_file_changes(*, concept: Concept, author, data: bytes) -> list[WordChange]:
    """What an uploaded Word file proposes, section by section (ValidationError if it is not a portal export).

    A fixed number of queries: the Concept's amendments (for the stamps of their tracked changes,
    and the open ones to find in the file), the sections, and the revisions the file was exported
    at and the open proposals started from.
    """
    from django.core.exceptions import ValidationError
    from django.utils.translation import gettext as _

    from drafting.word.docx_export import proposal_stamp
    from drafting.word.docx_readback import NotAnExport, read_back

    amendments = list(
        Proposal.objects.filter(concept=concept, kind=Proposal.Kind.AMENDMENT)
        .select_related("author__expert")
        .order_by("created_at", "pk")
    )
    stamps = {proposal_stamp(p) for p in amendments}
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
    exported = {
        item.section_id: item.version
        for item in read.sections
        if item.section_id in sections and 1 <= item.version <= sections[item.section_id].version
    }
    open_work: dict[int, list[Proposal]] = {}
    for proposal in amendments:
        if proposal.status in ProposalQuerySet.OPEN_STATUSES and proposal.section_id in exported:
            open_work.setdefault(proposal.section_id, []).append(proposal)
    wanted = Q(pk__in=[])
    for section_id, version in exported.items():
        wanted |= Q(id=section_id, version=version)
    for section_id, proposals in open_work.items():
        for version in {p.base_version for p in proposals if p.base_version and p.base_version < exported[section_id]}:
            wanted |= Q(id=section_id, version=version)
    bases = {(r["id"], r["version"]): r["body"] for r in Section.history.filter(wanted).values("id", "version", "body")}
    changes = [
        _section_change(item, sections.get(item.section_id), bases, open_work.get(item.section_id, []), author)
        for item in read.sections
    ]
    known = {s.pk: s for s in Section.objects.filter(concept=concept, pk__in=read.missing)}
    changes += [WordChange(pk, 0, "missing", known.get(pk)) for pk in read.missing]
    return changes


def _section_change(item, section: Section | None, bases: dict, proposals: list[Proposal], author) -> WordChange:
    from drafting.word.blocks import canonical

    if section is None or section.is_retired:
        return WordChange(item.section_id, item.version, "retired", section)
    base = bases.get((item.section_id, item.version))
    if base is None:
        return WordChange(item.section_id, item.version, "missing", section)
    if item.unreadable:
        return WordChange(item.section_id, item.version, "unreadable", section, was=base)
    edited = item.markdown
    read_base = canonical(base)
    if edited == read_base:
        return WordChange(item.section_id, item.version, "unchanged", section, was=base, proposed=base)
    merged = merge_three_way(read_base, base, edited)
    uploaded = merged.text if merged.clean else edited
    if uploaded == base:
        return WordChange(item.section_id, item.version, "unchanged", section, was=base, proposed=base)
    mine = {p.text: p for p in proposals if p.author_id == author.pk and p.base_version == item.version}
    change = WordChange(item.section_id, item.version, "changed", section, was=base, as_uploaded=uploaded)
    # Other people's proposals are taken out first, so what is left can be recognised as one of
    # this person's proposals (the same file sent again after confirming).
    ordered = sorted(proposals, key=lambda p: p.author_id == author.pk)
    text = uploaded
    duplicate = mine.get(text)
    for proposal in ordered:
        if duplicate is not None:
            break
        change_text = _as_read_back(proposal, base=base, read_base=read_base, version=item.version, bases=bases)
        if change_text is None:
            continue
        rest = take_out(base, text, change_text)
        if rest is not None:
            text = rest
            change.left_out.append(proposal)
            duplicate = mine.get(text)
        elif contains_change(base, text, change_text):
            change.appears.append(proposal)
    change.proposed = text
    if duplicate is not None:
        change.status, change.duplicate_of = "duplicate", duplicate
    elif text == base:
        change.status = "accepted"
    return change


def _as_read_back(proposal: Proposal, *, base: str, read_base: str, version: int, bases: dict) -> str | None:
    """The proposal's text on the exported revision as the file gives it back once accepted in Word.

    A proposal that started from an earlier revision is brought onto the exported one as the
    export did it (a three-way merge); None when that does not merge cleanly, when the proposal
    started from a later revision (it was not in the file) or when it changes nothing.
    """
    from drafting.word.blocks import canonical

    if proposal.base_version == version:
        text = proposal.text
    elif proposal.base_version and proposal.base_version < version:
        start = bases.get((proposal.section_id, proposal.base_version))
        rebased = merge_three_way(start, base, proposal.text) if start is not None else None
        if rebased is None or not rebased.clean:
            return None
        text = rebased.text
    else:
        return None
    if text == base:
        return None
    read = merge_three_way(read_base, base, canonical(text))
    return read.text if read.clean else text


# Pure functions on text (candidates for drafting.text when another caller needs them).
