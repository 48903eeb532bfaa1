"""The low-level steps every write shares: lock a row, stamp who and why, save a revision."""

from django.db.models import Max

from drafting.markdown import render_markdown
from drafting.models import Concept, Proposal, Section


def save_revision(section: Section, *, user, reason: str, kind: str, proposal=None) -> Section:
    """Raise the version, render the text once, and save with who/why on the history row."""
    section.version += 1 if section.pk else 0
    section.body_html = render_markdown(section.body)
    stamp(section, user, reason)
    section._change_kind = kind
    section._proposal = proposal
    section.save()
    return section


def stamp(record, user, reason: str) -> None:
    """Who and why, for the history row the next save() writes."""
    record._history_user = user
    record._change_reason = reason


def lock_section(section_or_pk) -> Section:
    pk = getattr(section_or_pk, "pk", section_or_pk)
    return Section.objects.select_for_update(no_key=True).get(pk=pk)


def lock_proposal(proposal: Proposal) -> Proposal:
    return (
        Proposal.objects.select_for_update(no_key=True, of=("self",))
        .select_related("section", "author")
        .get(pk=proposal.pk)
    )


def next_order(concept: Concept, parent: Section | None) -> int:
    top = Section.objects.filter(concept=concept, parent=parent).aggregate(top=Max("order"))["top"]
    return (top or 0) + 10
