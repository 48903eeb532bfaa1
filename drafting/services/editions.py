"""Editions: the outline frozen under a name, each section and each parallel text at its revision."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from drafting.models import (
    Activity,
    ChangeReason,
    Concept,
    Edition,
    EditionParallelText,
    EditionSection,
    ParallelText,
    Section,
)
from drafting.selectors import concept_outline, flatten
from drafting.selectors.parallel import concept_languages
from drafting.services.activity import record
from drafting.services.revisions import stamp


@transaction.atomic
def edition_freeze(*, concept: Concept, name: str, note: str = "", user) -> Edition:
    """Freeze the current outline: each section's revision, number, heading and place, and per
    section and parallel language the parallel text's revision, the section revision it translates,
    and whether that was the section's revision then (none when the text is missing).

    Sections are locked while the outline is read, so an edition never mixes a section's
    old number with another's new one; parallel texts are written under their section's lock
    (drafting/services/__init__.py), so none changes between the two reads. A fixed number of
    queries, whatever the size of the Concept.
    """
    if Edition.objects.filter(concept=concept, name=name).exists():
        raise ValidationError(_("An edition named “%(name)s” already exists; choose another name.") % {"name": name})
    list(Section.objects.select_for_update(no_key=True).filter(concept=concept).values_list("pk", flat=True))
    edition = Edition(concept=concept, name=name, note=note, created_by=user)
    stamp(edition, user, ChangeReason.FROZEN)
    edition.save()
    nodes = flatten(concept_outline(concept))
    EditionSection.objects.bulk_create(
        EditionSection(
            edition=edition,
            section=node.section,
            version=node.section.version,
            position=index,
            number=node.number,
            depth=node.depth,
            heading=node.section.heading,
            parent_id=node.section.parent_id,
        )
        for index, node in enumerate(nodes)
    )
    _freeze_parallel_texts(edition, concept, [node.section for node in nodes])
    record(user, Activity.Verb.FROZE, data={"name": name})
    return edition


def _freeze_parallel_texts(edition: Edition, concept: Concept, sections: list[Section]) -> None:
    """One EditionParallelText per section and parallel language: two queries."""
    languages = concept_languages(concept)
    if not languages or not sections:
        return
    texts = {
        (row["section_id"], row["language"]): row
        for row in ParallelText.objects.filter(section__in=sections, language__in=languages).values(
            "section_id", "language", "version", "source_version"
        )
    }
    entries = []
    for section in sections:
        for language in languages:
            text = texts.get((section.pk, language))
            entries.append(
                EditionParallelText(
                    edition=edition,
                    section=section,
                    language=language,
                    version=text["version"] if text else None,
                    source_version=text["source_version"] if text else None,
                    is_current=bool(text) and text["source_version"] == section.version,
                )
            )
    EditionParallelText.objects.bulk_create(entries)
