"""Importing a Word draft as the Concept's outline, in one transaction."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from drafting.models import Activity, Concept, RevisionKind, Section
from drafting.services.activity import record
from drafting.services.outline import section_set_retired
from drafting.services.revisions import next_order, save_revision, stamp
from drafting.word import storage
from drafting.word.docx_import import ImportedSection


def concept_has_text(concept: Concept) -> bool:
    return any(body.strip() for body in concept.sections.current().values_list("body", flat=True))


@transaction.atomic
def concept_import_word(
    *,
    concept: Concept | None,
    title: str = "",
    user,
    file_name: str,
    data: bytes,
    sections: list[ImportedSection],
) -> Concept:
    """Create the sections of an imported Word draft, in a new Concept or in an empty one.

    Each first revision is the importer's, with the kind "created" and the data
    {"imported_from": file name, "sha256": hash of the file}; its sentence ("Imported from …")
    is made when shown. An empty Concept's scaffold sections (current, without text) are retired
    first; a Concept with text is refused, so nothing anybody wrote is replaced. The original
    file is kept in the storage under the Concept (drafting.word.storage.kept_path), written last
    so a failure leaves nothing behind in the database. Raises ValidationError.
    """
    if not sections:
        raise ValidationError(_("The file has no text to import: it has no headings or paragraphs."))
    limit = settings.SECTION_MAX_CHARS
    for section in sections:
        if not section.heading.strip():
            raise ValidationError(
                _("The text before the first heading has no heading. Choose another heading level, or add a heading.")
            )
        if len(section.body) > limit:
            raise ValidationError(
                _("Section “%(heading)s” would have %(size)s characters; a section holds at most %(limit)s.")
                % {"heading": section.heading, "size": len(section.body), "limit": limit}
            )
    sha256 = storage.sha256_of(data)
    if concept is None:
        concept = Concept(title=title.strip() or file_name)
        stamp(concept, user, "")
        concept.save()
    else:
        concept = Concept.objects.select_for_update(no_key=True).get(pk=concept.pk)
        if concept_has_text(concept):
            raise ValidationError(
                _(
                    "This Concept already has text, so a Word file cannot be imported into it: nothing anybody "
                    "wrote is replaced. Import it as a new Concept instead."
                )
            )
        scaffold = list(concept.sections.current().select_related("parent"))
        for section in sorted(scaffold, key=lambda s: -_depth(s, {x.pk: x for x in scaffold})):
            section_set_retired(section=section, retired=True, user=user)
    data_of = {"imported_from": file_name, "sha256": sha256}
    parent = None
    for imported in sections:
        under = parent if imported.depth else None
        section = Section(
            concept=concept,
            parent=under,
            heading=imported.heading,
            body=imported.body,
            order=next_order(concept, under),
        )
        save_revision(section, user=user, kind=RevisionKind.CREATE, data={"heading": imported.heading, **data_of})
        if not imported.depth:
            parent = section
    record(user, Activity.Verb.OUTLINE, data={**data_of, "sections": len(sections)})
    storage.keep(concept.pk, sha256, data)
    return concept


def _depth(section: Section, by_pk: dict[int, Section]) -> int:
    depth, parent_id = 0, section.parent_id
    while parent_id in by_pk:
        depth, parent_id = depth + 1, by_pk[parent_id].parent_id
    return depth
