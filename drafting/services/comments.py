"""Comments and replies on sections and proposals, and resolving their threads."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from drafting.highlights import plain_text
from drafting.markdown import render_markdown
from drafting.models import Activity, ChangeReason, Comment, Proposal, Section
from drafting.selectors.history import revision_html, revision_text
from drafting.services import versions
from drafting.services.activity import record
from drafting.services.revisions import document_changed, stamp
from drafting.text import Anchor, anchor_from_selection
from notifications.services.mentions import link_mentions, notify_mentions
from search.services.index import index_comment

MAX_THREAD_DEPTH = 3


@transaction.atomic
def comment_add(
    *,
    author,
    body: str,
    section: Section | None = None,
    proposal: Proposal | None = None,
    parent: Comment | None = None,
    quote: str = "",
    quote_version: int | None = None,
    quote_prefix: str = "",
    quote_suffix: str = "",
) -> Comment:
    """Add a comment or a reply. A quote is anchored to its passage (W3C TextQuoteSelector).

    On a section the passage is looked for in its Markdown, then in the text a reader sees
    (a selection may span formatting). `quote_version` is the revision the person was reading:
    if the section has changed since and the passage is no longer there, the comment is kept,
    anchored where the passage was in that revision, and shows as "passage changed". On a
    proposal the quote is anchored in the proposal's text. Where the passage occurs more than
    once, `quote_prefix`/`quote_suffix` (the words around the selection) pick the occurrence.
    """
    if parent is not None:
        section, proposal = parent.section, parent.proposal
        depth, ancestor = 1, parent
        while ancestor.parent_id:
            depth, ancestor = depth + 1, ancestor.parent
        if depth >= MAX_THREAD_DEPTH:
            raise ValidationError(
                ngettext(
                    "Replies go at most %(n)s level deep; reply higher up the thread.",
                    "Replies go at most %(n)s levels deep; reply higher up the thread.",
                    MAX_THREAD_DEPTH,
                )
                % {"n": MAX_THREAD_DEPTH}
            )
    if (section is None) == (proposal is None):
        raise ValidationError(_("A comment belongs to a section or to a proposal."))
    comment = Comment(
        author=author,
        body=body,
        body_html=link_mentions(render_markdown(body)),
        section=section,
        proposal=proposal,
        parent=parent,
    )
    if quote.strip() and parent is None:
        anchor, version = _anchor_quote(
            quote,
            section=section,
            proposal=proposal,
            quote_version=quote_version,
            around={"prefix": quote_prefix, "suffix": quote_suffix},
        )
        comment.quote, comment.quote_prefix, comment.quote_suffix = anchor.quote, anchor.prefix, anchor.suffix
        comment.quote_version = version
    stamp(comment, author, ChangeReason.WRITTEN)
    comment.save()
    index_comment(comment)
    if comment.section_id:  # marks and counts on the document page
        document_changed(section_id=comment.section_id)
    notify_mentions(comment=comment, actor=author)
    thread_authors = [parent.author] if parent is not None else []
    record(
        author,
        Activity.Verb.COMMENTED,
        data=({"title": proposal.title} if proposal else {"heading": section.heading}) | {"comment": comment.pk},
        section=section,
        proposal=proposal,
        notify=thread_authors + ([proposal.author] if proposal else []),
    )
    return comment


def _anchor_quote(
    quote: str, *, section: Section | None, proposal: Proposal | None, quote_version: int | None, around: dict
) -> tuple[Anchor, int | None]:
    """The anchor of a quote and the revision it was made on; ValidationError if it is nowhere."""
    if section is None:
        anchor = anchor_from_selection(proposal.text, quote, **around)
        if anchor is None:
            raise ValidationError(_("The quoted passage is not in the text of this proposal."))
        return anchor, None
    anchor = anchor_from_selection(section.body, quote, **around) or anchor_from_selection(
        plain_text(section.body_html), quote, **around
    )
    if anchor is not None:
        return anchor, section.version
    if quote_version is not None and 1 <= quote_version < section.version:
        old_body = revision_text(section, quote_version)
        anchor = anchor_from_selection(old_body, quote, **around) or anchor_from_selection(
            plain_text(revision_html(section.pk, quote_version, old_body)), quote, **around
        )
        if anchor is not None:
            return anchor, quote_version
    raise ValidationError(
        _(
            "The quoted passage is not in the text of this section. "
            "Select words within this one section, or copy them exactly as they are written."
        )
    )


@transaction.atomic
def comment_edit(*, comment: Comment, user, body: str, base_history_id: int | None = None) -> Comment:
    """The author rewrites their comment, from the version of it they opened (`base_history_id`).

    If the comment changed since (another tab, an edit in the admin), the two texts are merged
    word by word; overlapping changes are refused (StaleConflict), never overwritten. Without
    `base_history_id` the caller holds the current version (a script, not a page).
    """
    locked = Comment.objects.select_for_update(no_key=True).get(pk=comment.pk)
    if locked.author_id != user.pk:
        raise ValidationError(_("Only the author can edit a comment."))
    latest = versions.latest_history_id(locked)
    if base_history_id is not None and base_history_id != latest:
        base = versions.base_row(locked, base_history_id)
        merge = versions.StaleMerge(latest)
        body = merge.text("body", base.body, locked.body, body)
        merge.check()
    if body == locked.body:
        return locked
    locked.body, locked.body_html = body, link_mentions(render_markdown(body))
    stamp(locked, user, ChangeReason.EDITED)
    locked.save()
    index_comment(locked)
    if locked.section_id:
        document_changed(section_id=locked.section_id)
    notify_mentions(comment=locked, actor=user)
    return locked


@transaction.atomic
def comment_set_resolved(*, comment: Comment, user, resolved: bool) -> Comment:
    """Resolve or reopen a thread: its author or a coordinator may."""
    locked = Comment.objects.select_for_update(no_key=True).get(pk=comment.pk)
    if locked.parent_id is not None:
        raise ValidationError(_("Threads are resolved at their first comment."))
    if locked.author_id != user.pk and not user.has_perm("drafting.resolve_any_comment"):
        raise ValidationError(_("Only the author of the thread or a coordinator can resolve it."))
    if locked.is_resolved != resolved:
        locked.is_resolved = resolved
        stamp(locked, user, ChangeReason.RESOLVED if resolved else ChangeReason.REOPENED)
        locked.save()
        index_comment(locked)
        if locked.section_id:
            document_changed(section_id=locked.section_id)
    return locked
