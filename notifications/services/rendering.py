"""Writing a mail from its row: in the recipient's language, a text and an HTML part from one template.

A mail never carries a draft's text (the drafts are not public): only what happened, in one
sentence, and a link to the diff, the proposal or the comment.
"""

from collections import OrderedDict

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from drafting.models import Activity, AgendaItem, Notice
from drafting.selectors.meetings import meeting_next_sequence
from drafting.selectors.sentences import activity_line, person_name
from members.services import language_for
from notifications.categories import Category
from notifications.models import Mail
from notifications.services.invitations import meeting_ics
from notifications.services.tokens import unsubscribe_token

TEMPLATE = "emails/mail.html"


def absolute(path: str) -> str:
    return settings.PORTAL_URL.rstrip("/") + path


def activity_link(activity: Activity) -> str:
    """Straight to what changed: the comment, the diff of an edit or merge, else the item's page."""
    data = activity.data or {}
    version = data.get("version")
    if data.get("comment"):
        return absolute(f"{activity.get_absolute_url()}#comment-{data['comment']}")
    edit = activity.verb in (Activity.Verb.EDITED, Activity.Verb.MERGED)
    if activity.section_id and edit and isinstance(version, int) and version > 1:
        url = reverse("drafting:section-compare", args=[activity.section_id])
        return absolute(f"{url}?from={version - 1}&to={version}")
    return absolute(activity.get_absolute_url())


def notice_line(notice: Notice, line: str) -> str:
    """The event as this person hears it: a translation they keep fell out of date, or the event itself."""
    if notice.category == Category.TRANSLATION:
        return _("A translation you keep is now out of date: %(change)s") % {"change": line}
    return line


def _notices(ids) -> list[Notice]:
    return list(
        Notice.objects.filter(pk__in=ids)
        .select_related(
            "activity__actor__expert",
            "activity__section",
            "activity__proposal__section",
            "activity__meeting",
        )
        .order_by("-activity__created_at", "-pk")
    )


def digest_groups(notices: list[Notice]) -> list[dict]:
    """By section, then by proposal, newest first; each group names its people once."""
    sections: OrderedDict = OrderedDict()
    for notice in notices:  # already newest first
        activity = notice.activity
        proposal = activity.proposal
        section = activity.section or (proposal.section if proposal is not None else None)
        if section is not None:
            key, title, url = ("section", section.pk), section.heading, absolute(section.get_absolute_url())
        elif activity.meeting is not None:
            key, title, url = ("meeting", activity.meeting_id), activity.meeting.title, activity_link(activity)
        else:
            key, title, url = ("concept", None), _("The Concept"), absolute(reverse("drafting:home"))
        group = sections.setdefault(key, {"title": title, "url": url, "subgroups": OrderedDict()})
        sub_key = proposal.pk if proposal is not None else None
        if sub_key is None:
            sub_title, sub_url = "", ""
        else:
            sub_title = _("Proposal #%(pk)s “%(title)s”") % {"pk": proposal.pk, "title": proposal.title}
            sub_url = absolute(proposal.get_absolute_url())
        sub = group["subgroups"].setdefault(sub_key, {"title": sub_title, "url": sub_url, "people": [], "items": []})
        name = person_name(activity.actor)
        if name not in sub["people"]:
            sub["people"].append(name)
        sub["items"].append(
            {
                "text": notice_line(notice, activity_line(activity)),
                "url": activity_link(activity),
                "when": activity.created_at,
            }
        )
    return [
        {
            **group,
            "subgroups": [{**sub, "people": ", ".join(sub["people"])} for sub in group["subgroups"].values()],
        }
        for group in sections.values()
    ]


def _meeting_context(mail: Mail) -> dict:
    meeting = mail.meeting
    items = list(AgendaItem.objects.filter(meeting=meeting).select_related("proposal").order_by("order", "pk"))
    agenda = [_("Proposal #%(pk)s “%(title)s”") % {"pk": i.proposal_id, "title": i.proposal.title} for i in items]
    outcomes = [
        {
            "text": (_("%(proposal)s: %(outcome)s (%(note)s)") if item.note else _("%(proposal)s: %(outcome)s"))
            % {"proposal": agenda[n], "outcome": item.get_outcome_display(), "note": item.note}
        }
        for n, item in enumerate(items)
    ]
    return {"meeting": meeting, "agenda": agenda, "outcomes": outcomes, "url": absolute(meeting.get_absolute_url())}


def build_message(mail: Mail) -> EmailMultiAlternatives:
    """The message for one outbox row, written in the recipient's language and time zone."""
    recipient = mail.recipient
    with translation.override(language_for(recipient)), timezone.override(settings.TIME_ZONE):
        context = {
            "recipient_name": person_name(recipient),
            "kind": mail.kind,
            "groups": [],
            "attachment": None,
            "ics_method": "REQUEST",
            "LANGUAGE_CODE": translation.get_language(),  # <html lang> of the HTML part
        }
        categories = [mail.category]
        if mail.kind == Mail.Kind.DIGEST:
            notices = _notices(mail.data.get("notices", []))
            categories = sorted({n.category for n in notices}) or [mail.category]
            context["groups"] = digest_groups(notices)
            count = len(notices)
            subject = ngettext(
                "%(count)s change in the Concept since the last digest",
                "%(count)s changes in the Concept since the last digest",
                count,
            ) % {"count": count}
            context["intro"] = subject
        elif mail.kind in (Mail.Kind.INVITATION, Mail.Kind.REMINDER, Mail.Kind.MINUTES):
            context |= _meeting_context(mail)
            meeting = mail.meeting
            when = timezone.localtime(meeting.starts_at)
            values = {"title": meeting.title, "when": when.strftime("%d.%m.%Y %H:%M")}
            # A cancellation (of the meeting, or of one person's invitation) is an iTIP CANCEL.
            method = mail.data.get("method", "REQUEST") if mail.kind == Mail.Kind.INVITATION else "REQUEST"
            if mail.kind == Mail.Kind.MINUTES:
                subject = _("Minutes of the meeting “%(title)s” of %(when)s") % values
            elif mail.kind == Mail.Kind.REMINDER:
                subject = _("Reminder: the meeting “%(title)s” is tomorrow, %(when)s") % values
            elif method == "CANCEL" and mail.data.get("uninvited"):
                subject = _("You are no longer invited to the meeting “%(title)s”, %(when)s") % values
            elif method == "CANCEL":
                subject = _("Cancelled: the meeting “%(title)s”, %(when)s") % values
            elif mail.data.get("sequence", 0) and not mail.data.get("new"):
                subject = _("Changed: the meeting “%(title)s”, %(when)s") % values
            else:
                subject = _("Invitation: the meeting “%(title)s”, %(when)s") % values
            context["intro"] = subject
            if mail.kind != Mail.Kind.MINUTES:
                sequence = mail.data.get("sequence", 0)
                if mail.kind == Mail.Kind.REMINDER:  # the event as it stands, so calendars accept it
                    sequence = max(meeting_next_sequence(meeting) - 1, 0)
                context["attachment"] = meeting_ics(
                    meeting,
                    sequence=sequence,
                    attendee_email=recipient.email,
                    agenda=context["agenda"],
                    url=context["url"],
                    method=method,
                )
                context["ics_method"] = method
        else:
            notice = _notices([mail.notice_id])[0]
            activity = notice.activity
            subject = notice_line(notice, activity.sentence())
            context["intro"] = _("News from the Concept Portal")
            context["groups"] = [
                {
                    "title": "",
                    "url": "",
                    "subgroups": [
                        {
                            "title": "",
                            "url": "",
                            "people": "",
                            "items": [{"text": subject, "url": activity_link(activity), "when": activity.created_at}],
                        }
                    ],
                }
            ]
        token = unsubscribe_token(recipient, categories)
        unsubscribe_url = absolute(reverse("notifications:unsubscribe", args=[token]))
        context |= {
            "subject": subject,
            "unsubscribe_url": unsubscribe_url,
            "settings_url": absolute(reverse("notifications:settings")),
            "categories": [str(Category(c).label) for c in categories if c in Category.values],
        }
        text = render_to_string(TEMPLATE, {**context, "html": False})
        html = render_to_string(TEMPLATE, {**context, "html": True})
        subject = " ".join(subject.split())[:200]
    message = EmailMultiAlternatives(
        subject=subject,
        body=text,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[recipient.email],
        headers={
            "List-Unsubscribe": f"<{unsubscribe_url}>",
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
            "Auto-Submitted": "auto-generated",
        },
    )
    message.attach_alternative(html, "text/html")
    if context["attachment"] is not None:
        message.attach(
            "invitation.ics", context["attachment"], f"text/calendar; method={context['ics_method']}; charset=utf-8"
        )
    return message
