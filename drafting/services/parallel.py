"""A section's parallel texts (Kazakh beside Russian): save from a base revision, "Still accurate", restore.

A parallel text follows the same no-lost-words rules as the drafting text: a save carries the
parallel text's own revision it started from (`base_version`), a stale save is merged word by word,
and real overlaps come back as a conflict (nothing saved). It also carries the section revision the
translator translated (`source_version`); the text is current when that equals the section's
version. Lock order: the section first, then its parallel text (drafting/services/__init__.py).
"""

from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from drafting.models import Activity, Concept, ParallelText, RevisionKind, Section
from drafting.selectors import revision_text
from drafting.services.activity import record
from drafting.services.revisions import PreparedText, document_changed, lock_section, prepare_text, stamp
from drafting.text import MergeResult, attribute_step, merge_three_way, split_paragraphs
from search.services.index import index_parallel_text


@dataclass(frozen=True)
class ParallelOutcome:
    """What happened to a save of a parallel text: "saved", "merged", "unchanged" or "conflict" (as EditOutcome)."""

    status: str
    text: ParallelText
    base_version: int
    merge: MergeResult | None = None

    @property
    def saved(self) -> bool:
        return self.status in ("saved", "merged")


def check_language(concept: Concept, language: str) -> None:
    from drafting.selectors.parallel import concept_languages

    if language not in concept_languages(concept):
        raise ValidationError(_("This Concept has no parallel text in that language."))


def _check_source(section: Section, source_version: int) -> None:
    if not 1 <= source_version <= section.version:
        raise ValidationError(
            _(
                "The form refers to revision %(source)s of the section, which it does not have. Your text is kept "
                "below; reload the page to translate from its current revision %(current)s."
            )
            % {"source": source_version, "current": section.version}
        )


def _lock_text(section: Section, language: str) -> ParallelText | None:
    return (
        ParallelText.objects.select_for_update(no_key=True, of=("self",))
        .filter(section=section, language=language)
        .first()
    )


def _save(
    text: ParallelText,
    *,
    user,
    kind: str,
    reason: str,
    data: dict | None = None,
    prepared: PreparedText | None = None,
    new: bool = False,
) -> None:
    """Save one revision of a parallel text with the same history columns as a section's revision."""
    if new:
        previous = None
    else:
        row = text.history.filter(version=text.version).values_list("body", "paragraph_origins").first()
        previous = row
        text.version += 1
    previous_body, previous_origins = previous if previous else ("", None)
    old_paragraphs = split_paragraphs(previous_body)
    attributed = (
        list(zip(old_paragraphs, previous_origins, strict=True))
        if previous_origins and len(previous_origins) == len(old_paragraphs)
        else [(p, max(text.version - 1, 1)) for p in old_paragraphs]
    )
    if prepared is not None and prepared.text == text.body:
        text.body_html = prepared.html
    else:
        text.body_html = prepare_text(text.body).html
    stamp(text, user, reason)
    text._change_kind = kind
    text._change_data = data or {}
    text._proposal = None
    text._previous_size = len(previous_body)
    text._paragraph_origins = [origin for _p, origin in attribute_step(attributed, text.body, text.version)]
    text.save()
    document_changed(section_id=text.section_id)


@transaction.atomic
def parallel_text_save(
    *,
    section: Section,
    language: str,
    base_version: int | None,
    source_version: int,
    heading: str,
    body: str,
    user,
    summary: str = "",
) -> ParallelOutcome:
    """Save the parallel text of `section` in `language`, translated from section revision `source_version`.

    `base_version` is the parallel text's own revision the person started from (None or 0 when there
    was no text yet). A save from an older base is merged word by word with what was saved since, the
    heading too; an overlap returns "conflict" and saves nothing.
    """
    prepared = prepare_text(body)  # rendered before the lock
    locked_section = lock_section(section)
    check_language(section.concept, language)
    if locked_section.is_retired:
        raise ValidationError(_("This section has been retired; its translation can no longer be edited."))
    _check_source(locked_section, source_version)
    text = _lock_text(locked_section, language)
    if text is None:
        if base_version not in (None, 0):
            raise ValidationError(
                _("The form refers to a translation that does not exist. Your text is kept below; save it again.")
            )
        text = ParallelText(
            section=locked_section, language=language, heading=heading, body=body, source_version=source_version
        )
        _save(text, user=user, kind=RevisionKind.CREATE, reason=summary, prepared=prepared, new=True)
        index_parallel_text(text)
        _record(user, Activity.Verb.TRANSLATED, text)
        return ParallelOutcome("saved", text, 0)
    text.section = locked_section
    if base_version in (None, 0):
        # Started when there was no translation yet, and someone else saved one since: merged onto theirs.
        base_body, base_heading = "", ""
    elif 1 <= base_version <= text.version:
        base_body, base_heading = (
            text.history.filter(version=base_version).order_by("-history_id").values_list("body", "heading").first()
        )
    else:
        raise ValidationError(
            _(
                "The form refers to revision %(base)s of the translation, which it does not have. Your text is kept "
                "below; reload the page to start from its current revision %(current)s."
            )
            % {"base": base_version, "current": text.version}
        )
    base_version = base_version or 0
    if body == text.body and heading == text.heading and source_version <= (text.source_version or 0):
        return ParallelOutcome("unchanged", text, base_version)
    status = "saved"
    merge = None
    if base_version != text.version:
        merge = merge_three_way(base_body, text.body, body)
        heading_merge = merge_three_way(base_heading, text.heading, heading)
        if not (merge.clean and heading_merge.clean):
            conflicts = MergeResult(merge.text, merge.conflicts + heading_merge.conflicts)
            return ParallelOutcome("conflict", text, base_version, conflicts)
        body, heading = merge.text, heading_merge.text
        status = "merged"
        if body == text.body and heading == text.heading and source_version <= (text.source_version or 0):
            return ParallelOutcome("unchanged", text, base_version, merge)
    text.body = body
    text.heading = heading
    # A stale form never lowers what a newer save already translated.
    text.source_version = max(source_version, text.source_version or 0)
    _save(text, user=user, kind=RevisionKind.EDIT, reason=summary, prepared=prepared)
    index_parallel_text(text)
    _record(user, Activity.Verb.TRANSLATED, text)
    return ParallelOutcome(status, text, base_version, merge)


@transaction.atomic
def parallel_text_confirm(*, section: Section, language: str, source_version: int, user) -> ParallelText:
    """ "Still accurate": the translator checked the text against section revision `source_version`.

    The text stays as it is (same revision of the text); the history gets a row of kind "checked"
    with who and when, and `source_version` rises, which makes the text current.
    """
    locked_section = lock_section(section)
    check_language(section.concept, language)
    if locked_section.is_retired:
        raise ValidationError(_("This section has been retired; its translation can no longer be edited."))
    _check_source(locked_section, source_version)
    text = _lock_text(locked_section, language)
    if text is None:
        raise ValidationError(_("There is no translation of this section yet: write one first."))
    text.section = locked_section
    if (text.source_version or 0) >= source_version:
        return text
    old = text.source_version
    text.source_version = source_version
    text.body_html = text.body_html  # unchanged text
    stamp(text, user, "")
    text._change_kind = RevisionKind.CHECKED
    text._change_data = {"from_version": old, "to_version": source_version}
    text._proposal = None
    text._previous_size = len(text.body)
    row = text.history.filter(version=text.version).values_list("paragraph_origins", flat=True).first()
    text._paragraph_origins = row
    text.save()
    document_changed(section_id=text.section_id)
    _record(user, Activity.Verb.CONFIRMED, text)
    return text


@transaction.atomic
def parallel_text_revert(
    *, section: Section, language: str, version: int, base_version: int | None = None, reason: str, user
) -> ParallelText:
    """Restore the heading and text of the parallel text's earlier revision `version` as a new revision.

    Nothing is deleted: the restored words, byte for byte, become the revision after the current
    one, with `reason` (the person's own words) and the revision restored (`to_version`) on its
    history row. `base_version` is the revision the person saw when they confirmed: if the text
    has changed since, nothing is restored, since they agreed to a diff that is no longer true.

    The restored text represents the drafting revision it was made against: `source_version`
    becomes the one that revision last carried (a later "still accurate" of the same text counts),
    so the text shows as out of date if the drafting text has moved on since. Restoring a revision
    whose words equal the current ones is refused rather than recorded as a change of nothing.
    """
    locked_section = lock_section(section)
    check_language(section.concept, language)
    if locked_section.is_retired:
        raise ValidationError(_("This section has been retired; its translation can no longer be edited."))
    text = _lock_text(locked_section, language)
    if text is None:
        raise ValidationError(_("There is no translation of this section yet: write one first."))
    text.section = locked_section
    if base_version is not None and base_version != text.version:
        raise ValidationError(
            _(
                "The translation has changed since you opened this page: it is now at revision %(current)s, and "
                "you saw revision %(base)s. Nothing was restored. Check what restoring changes now, then restore "
                "again."
            )
            % {"current": text.version, "base": base_version},
            code="stale",
        )
    row = (
        text.history.filter(version=version)
        .order_by("-history_id")
        .values_list("heading", "body", "source_version")
        .first()
    )
    if row is None or version >= text.version:
        raise ValidationError(
            _("This translation has no earlier revision %(version)s to restore.") % {"version": version}
        )
    heading, body, source_version = row
    if heading == text.heading and body == text.body:
        raise ValidationError(
            _(
                "Revision %(version)s has the same heading and text as the current revision, so there is nothing "
                "to restore."
            )
            % {"version": version}
        )
    text.heading, text.body, text.source_version = heading, body, source_version
    _save(text, user=user, kind=RevisionKind.REVERT, reason=reason, data={"to_version": version})
    index_parallel_text(text)
    # No verb of its own yet: a restore is recorded as an update of the translation, saying what it restored.
    _record(user, Activity.Verb.TRANSLATED, text, to_version=version)
    return text


def _record(user, verb: str, text: ParallelText, **extra) -> None:
    if user is None:  # the starter texts of seed_portal
        return
    record(
        user,
        verb,
        data={
            "heading": text.section.heading,
            "language": text.language,
            "version": text.version,
            "source_version": text.source_version,
            **extra,
        },
        section=text.section,
    )


def source_text(section: Section, version: int) -> str:
    """The drafting-language text at section revision `version` (for the translator's diff)."""
    return revision_text(section, version)
