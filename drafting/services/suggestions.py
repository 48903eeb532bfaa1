"""Suggesting a change to a selected passage: an amendment proposal with only that passage replaced."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from drafting.models import Proposal, Section
from drafting.selectors.history import revision_text
from drafting.services.proposals import proposal_create_amendment
from drafting.text import Anchor, find_passage, locate_anchor

TITLE_WORDS_CHARS = 60


def _short(text: str) -> str:
    text = " ".join(text.split())
    return text if len(text) <= TITLE_WORDS_CHARS else text[: TITLE_WORDS_CHARS - 1].rstrip() + "…"


def suggestion_title(quote: str, replacement: str) -> str:
    """The proposal's title, made of the person's own words (nothing translated is stored)."""
    return f"«{_short(quote)}» → «{_short(replacement)}»" if replacement.strip() else f"− «{_short(quote)}»"


@transaction.atomic
def suggestion_create(
    *,
    section: Section,
    author,
    quote: str,
    replacement: str,
    rationale: str,
    base_version: int,
    prefix: str = "",
    suffix: str = "",
) -> Proposal:
    """Propose replacing one passage of the revision the person was reading (`base_version`).

    The proposal's text is that revision with only the passage replaced, and its base is that
    revision, so it goes through positions, the merge queue and, when the section has moved on,
    the word-by-word three-way merge like any amendment. Where the passage occurs more than
    once, `prefix`/`suffix` (the words around the selection) pick the occurrence. The passage
    must be in the Markdown as written: a selection across formatting is refused with a way out.
    """
    if not 1 <= base_version <= section.version:
        raise ValidationError(_("The form refers to a revision this section does not have."))
    base = revision_text(section, base_version)
    quote = quote.strip()
    found = find_passage(base, quote)
    if found is None:
        raise ValidationError(
            _(
                "This passage is not written this way in the section's text (it may cross formatting or two "
                "sections). Select words within one paragraph, or propose a change to the whole section."
            )
        )
    start, end = found
    if base.count(base[start:end]) > 1 and (prefix or suffix):
        match = locate_anchor(base, Anchor(base[start:end], prefix[-32:], suffix[:32]))
        if match.found and not match.outdated:
            start, end = match.start, match.end
    text = base[:start] + replacement + base[end:]
    return proposal_create_amendment(
        section=section,
        author=author,
        title=suggestion_title(base[start:end], replacement),
        text=text,
        rationale=rationale,
        base_version=base_version,
    )
