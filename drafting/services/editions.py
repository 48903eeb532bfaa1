"""Editions: the outline frozen under a name, each section at its revision."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from drafting.models import Activity, ChangeReason, Concept, Edition, EditionSection, Section
from drafting.selectors import concept_outline, flatten
from drafting.services.activity import record
from drafting.services.revisions import stamp


@transaction.atomic
def edition_freeze(*, concept: Concept, name: str, note: str = "", user) -> Edition:
    """Freeze the current outline: each section's revision, number, heading and place.

    Sections are locked while the outline is read, so an edition never mixes a section's
    old number with another's new one.
    """
    if Edition.objects.filter(concept=concept, name=name).exists():
        raise ValidationError(_("An edition named “%(name)s” already exists; choose another name.") % {"name": name})
    list(Section.objects.select_for_update(no_key=True).filter(concept=concept).values_list("pk", flat=True))
    edition = Edition(concept=concept, name=name, note=note, created_by=user)
    stamp(edition, user, ChangeReason.FROZEN)
    edition.save()
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
        for index, node in enumerate(flatten(concept_outline(concept)))
    )
    record(user, Activity.Verb.FROZE, data={"name": name})
    return edition
