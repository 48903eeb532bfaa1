"""@mentions in comments: who is named, how the name is shown, and who is told.

A mention is `@username` in the text of a comment. In the sanitised HTML it becomes a link to the
person's entry in the members directory; a name nobody has stays text, and so does anything inside
a link, inline code or a code block. At most MAX_MENTIONS people are linked and told per comment;
an edit tells only the people it newly names.
"""

import re

from django.contrib.auth import get_user_model
from django.db.models.functions import Lower
from django.urls import reverse
from django.utils.html import escape

from drafting.models import Activity, Notice

MAX_MENTIONS = 25
# A username as Django allows it (letters of any script, digits and @.+-_, here without @), ending
# in a letter or digit so the full stop after "@aigul." is not taken as part of the name.
MENTION = re.compile(r"(?<![\w@/.+-])@([\w.+-]*\w)")
TAG = re.compile(r"""<(/?)([A-Za-z][A-Za-z0-9]*)?(?:[^>"']|"[^"]*"|'[^']*')*>""")
SKIP = {"a", "code", "pre"}
LINKED = re.compile(r'<a class="mention" data-user="(\d+)"')


def _text_runs(html: str):
    """(is_text_outside_skipped_tags, chunk) pieces of sanitised HTML, in order."""
    depth, position = 0, 0
    for match in TAG.finditer(html):
        if match.start() > position:
            yield depth == 0, html[position : match.start()]
        closing, name = match.group(1), (match.group(2) or "").lower()
        if name in SKIP and not match.group(0).endswith("/>"):
            depth = max(depth - 1, 0) if closing else depth + 1
        yield False, match.group(0)
        position = match.end()
    if position < len(html):
        yield depth == 0, html[position:]


def mentioned_usernames(html: str) -> list[str]:
    names: list[str] = []
    for is_text, chunk in _text_runs(html):
        if is_text:
            names += [n for n in MENTION.findall(chunk) if n not in names]
    return names


def link_mentions(html: str) -> str:
    """Turn each `@username` of a known person in sanitised comment HTML into a link to the directory."""
    if "@" not in html:
        return html
    names = mentioned_usernames(html)
    if not names:
        return html
    people = {
        user.username.lower(): user
        for user in get_user_model()
        .objects.annotate(lower_username=Lower("username"))
        .filter(
            lower_username__in=[name.lower() for name in names[: MAX_MENTIONS * 4]],
            is_active=True,
            expert__isnull=False,
        )
        .select_related("expert")
    }
    linked: set[int] = set()
    directory = reverse("members:directory")

    def replace(match):
        user = people.get(match.group(1).lower())
        if user is None or (user.pk not in linked and len(linked) >= MAX_MENTIONS):
            return match.group(0)
        linked.add(user.pk)
        return (
            f'<a class="mention" data-user="{user.pk}" href="{directory}#expert-{user.expert.pk}">'
            f"@{escape(user.username)}</a>"
        )

    return "".join(MENTION.sub(replace, chunk) if is_text else chunk for is_text, chunk in _text_runs(html))


def notify_mentions(*, comment, actor) -> None:
    """Tell the people a comment names (at most MAX_MENTIONS), in the comment's transaction.

    Reads the links `link_mentions` made in the comment's HTML; people told about this comment
    before (an earlier version of it) are not told again.
    """
    from drafting.services.activity import record

    user_ids = list(dict.fromkeys(int(pk) for pk in LINKED.findall(comment.body_html or "")))[:MAX_MENTIONS]
    if actor is not None:
        user_ids = [pk for pk in user_ids if pk != actor.pk]
    if not user_ids:
        return
    told = set(
        Notice.objects.filter(activity__verb=Activity.Verb.MENTIONED, activity__data__comment=comment.pk).values_list(
            "recipient_id", flat=True
        )
    )
    new = [pk for pk in user_ids if pk not in told]
    if not new:
        return
    proposal, section = comment.proposal, comment.section
    data = {"comment": comment.pk}
    data |= {"title": proposal.title} if proposal is not None else {"heading": section.heading}
    people = list(get_user_model().objects.filter(pk__in=new))
    record(actor, Activity.Verb.MENTIONED, data=data, section=section, proposal=proposal, notify=people)
