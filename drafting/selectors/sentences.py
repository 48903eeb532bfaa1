"""Sentences made from stored events, in the reader's language, at the moment they are shown.

Nothing translated is stored: an activity keeps its verb and data, a section's history row its
kind of change and data. Each sentence here is one translation unit with named placeholders, so
a translator can put the words in their language's order (Kazakh puts the verb last); a sentence
is never glued from separately translated pieces. `gettext` runs at call time, so the same row
reads in Russian for one person and in Kazakh for the next (a page, or later an email rendered
under `translation.override`).
"""

from django.utils.translation import gettext, ngettext, pgettext

from drafting.models import Activity, Position, RevisionKind


def person_name(user) -> str:
    """A person as the interface names them (as drafting/_user_name.html does)."""
    if user is None:
        return gettext("the portal")
    expert = getattr(user, "expert", None)
    return expert.display_name if expert is not None else user.get_username()


def activity_sentence(activity: Activity) -> str:
    """One activity as a sentence: who did what to which proposal or section."""
    data = activity.data or {}
    values = {
        "actor": person_name(activity.actor),
        "pk": activity.proposal_id or data.get("pk", ""),
        "title": data.get("title", ""),
        "heading": data.get("heading", ""),
        "version": data.get("version", ""),
    }
    if "legacy" in data:
        # An entry written before events were stored as data: its old words, as they were.
        return gettext("%(actor)s %(verb)s %(summary)s") % {
            "actor": values["actor"],
            "verb": activity.get_verb_display(),
            "summary": data["legacy"],
        }
    verb = activity.verb
    V = Activity.Verb
    if verb == V.EDITED:
        if data.get("summary"):
            return gettext("%(actor)s edited “%(heading)s”, revision %(version)s: %(summary)s") % {
                **values,
                "summary": data["summary"],
            }
        return gettext("%(actor)s edited “%(heading)s”, revision %(version)s") % values
    if verb == V.PROPOSED:
        if data.get("new_section"):
            return gettext("%(actor)s proposed #%(pk)s new section “%(heading)s”") % values
        return gettext("%(actor)s proposed #%(pk)s “%(title)s” on “%(heading)s”") % values
    if verb == V.REVISED:
        return gettext("%(actor)s revised proposal #%(pk)s “%(title)s”") % values
    if verb == V.WITHDREW:
        return gettext("%(actor)s withdrew #%(pk)s “%(title)s”") % values
    if verb == V.MERGED:
        return gettext("%(actor)s merged #%(pk)s “%(title)s” into “%(heading)s” (revision %(version)s)") % (values)
    if verb == V.NEEDS_REVIEW:
        if not data.get("merged"):
            return gettext("Proposal #%(pk)s “%(title)s” needs review against the new text of “%(heading)s”") % values
        return gettext(
            "Proposal #%(pk)s “%(title)s” needs review: %(actor)s merged proposal #%(merged)s into “%(heading)s”"
        ) % {**values, "merged": data.get("merged", "")}
    if verb == V.REJECTED:
        if data.get("meeting") and not data.get("reason"):
            return gettext("%(actor)s rejected #%(pk)s “%(title)s” at the meeting “%(meeting)s”") % {
                **values,
                "meeting": data["meeting"],
            }
        return gettext("%(actor)s rejected #%(pk)s “%(title)s”: %(reason)s") % {
            **values,
            "reason": data.get("reason", ""),
        }
    if verb == V.COMMENTED:
        if activity.proposal_id:
            return gettext("%(actor)s commented on proposal #%(pk)s “%(title)s”") % values
        return gettext("%(actor)s commented on “%(heading)s”") % values
    if verb in (V.TOOK_POSITION, V.OBJECTED):
        stance = data.get("stance")
        if stance == Position.Stance.SUPPORT:
            return gettext("%(actor)s supports proposal #%(pk)s “%(title)s”") % values
        if stance == Position.Stance.LIVE_WITH:
            return gettext("%(actor)s can live with proposal #%(pk)s “%(title)s”") % values
        return gettext("%(actor)s objects to proposal #%(pk)s “%(title)s”") % values
    if verb == V.ADDED_SECTION:
        return gettext("%(actor)s added the section “%(heading)s”") % values
    if verb == V.REVERTED:
        return gettext("%(actor)s restored revision %(to_version)s of “%(heading)s” as revision %(version)s") % {
            **values,
            "to_version": data.get("to_version", ""),
        }
    if verb == V.RENAMED:
        return gettext("%(actor)s renamed “%(old)s” to “%(heading)s”") % {**values, "old": data.get("old_heading", "")}
    if verb == V.MOVED:
        if data.get("direction") == "up":
            return gettext("%(actor)s moved “%(heading)s” up") % values
        return gettext("%(actor)s moved “%(heading)s” down") % values
    if verb == V.REPARENTED:
        if data.get("parent_heading"):
            return gettext("%(actor)s moved “%(heading)s” under “%(parent)s”") % {
                **values,
                "parent": data["parent_heading"],
            }
        return gettext("%(actor)s moved “%(heading)s” to the top level") % values
    if verb == V.RETIRED:
        return gettext("%(actor)s retired the section “%(heading)s”") % values
    if verb == V.RESTORED:
        return gettext("%(actor)s restored the section “%(heading)s”") % values
    if verb == V.FROZE:
        return gettext("%(actor)s froze edition “%(name)s”") % {**values, "name": data.get("name", "")}
    if verb in (V.SCHEDULED, V.RESCHEDULED, V.CANCELLED, V.MINUTED):
        meeting = {**values, "meeting": data.get("meeting", ""), "when": _local_when(data.get("starts_at"))}
        if verb == V.CANCELLED and data.get("reason"):
            return gettext("%(actor)s cancelled the meeting “%(meeting)s” of %(when)s: %(reason)s") % {
                **meeting,
                "reason": data["reason"],
            }
        if verb == V.CANCELLED:
            return gettext("%(actor)s cancelled the meeting “%(meeting)s” of %(when)s") % meeting
        if verb == V.SCHEDULED:
            return gettext("%(actor)s scheduled the meeting “%(meeting)s” for %(when)s") % meeting
        if verb == V.RESCHEDULED:
            return gettext("%(actor)s changed the meeting “%(meeting)s”, now %(when)s") % meeting
        return gettext("%(actor)s published the minutes of the meeting “%(meeting)s”") % meeting
    if verb == V.MENTIONED:
        if activity.proposal_id:
            return gettext("%(actor)s mentioned you in a comment on proposal #%(pk)s “%(title)s”") % values
        return gettext("%(actor)s mentioned you in a comment on “%(heading)s”") % values
    if verb in (V.TRANSLATED, V.CONFIRMED):
        # The language as a label in brackets: a sentence never declines a glued-in language name.
        translated = {**values, "language": _language_name(data.get("language", ""))}
        if verb == V.TRANSLATED and data.get("to_version"):
            return gettext(
                "%(actor)s restored revision %(to_version)s of the translation of “%(heading)s” (%(language)s)"
            ) % (translated | {"to_version": data["to_version"]})
        if verb == V.TRANSLATED:
            return gettext("%(actor)s updated the translation of “%(heading)s” (%(language)s)") % translated
        return gettext("%(actor)s confirmed the translation of “%(heading)s” is still accurate (%(language)s)") % (
            translated
        )
    return gettext("%(actor)s changed the outline") % values


def _language_name(code: str) -> str:
    from drafting.models import Concept

    return str(dict(Concept.Language.choices).get(code, code))


def _local_when(iso: str | None) -> str:
    """A stored moment as the reader sees it: local date and time (Asia/Almaty)."""
    if not iso:
        return ""
    from datetime import datetime

    from django.utils import timezone
    from django.utils.formats import date_format

    return date_format(timezone.localtime(datetime.fromisoformat(iso)), "DATETIME_FORMAT")


def activity_line(activity: Activity) -> str:
    """One activity without its actor, for a digest that names the people of a group once."""
    data = activity.data or {}
    V = Activity.Verb
    version, summary = data.get("version"), data.get("summary")
    # One message per verb and shape: a verb glued into a frame reads wrongly in Kazakh.
    if activity.verb == V.EDITED and version:
        if summary:
            return gettext("edited, revision %(version)s: %(summary)s") % {"version": version, "summary": summary}
        return gettext("edited, revision %(version)s") % {"version": version}
    if activity.verb == V.MERGED and version:
        return gettext("merged, revision %(version)s") % {"version": version}
    if activity.verb == V.REJECTED and data.get("reason"):
        return gettext("rejected: %(reason)s") % {"reason": data["reason"]}
    meeting = {"meeting": data.get("meeting", ""), "when": _local_when(data.get("starts_at"))}
    if activity.verb == V.SCHEDULED:
        return gettext("scheduled the meeting “%(meeting)s”, %(when)s") % meeting
    if activity.verb == V.RESCHEDULED:
        return gettext("changed the meeting “%(meeting)s”, now %(when)s") % meeting
    if activity.verb == V.CANCELLED:
        return gettext("cancelled the meeting “%(meeting)s” of %(when)s") % meeting
    if activity.verb == V.MINUTED:
        return gettext("published the minutes of the meeting “%(meeting)s” of %(when)s") % meeting
    if activity.verb == V.FROZE:
        return gettext("froze the edition “%(name)s”") % {"name": data.get("name", "")}
    if activity.verb == V.TOOK_POSITION:
        stance = dict(Position.Stance.choices).get(data.get("stance"), "")
        if stance:
            return gettext("took a position: %(stance)s") % {"stance": stance}
    return activity.get_verb_display()


def revision_reason(kind: str, data: dict | None, reason: str | None) -> str:
    """Why a section revision was made: the person's own words, or the sentence of its kind.

    `reason` is what a person typed (an edit summary); a system-made change has none, and its
    sentence is made from `kind` and `data` here. When both exist, both are shown.
    """
    data = data or {}
    reason = reason or ""
    sentence = _kind_sentence(kind, data)
    if sentence and reason:
        return pgettext("why a revision was made", "%(change)s: %(reason)s") % {"change": sentence, "reason": reason}
    return sentence or reason


def _kind_sentence(kind: str, data: dict) -> str:
    K = RevisionKind
    if kind == K.CREATE:
        if data.get("sha256"):  # drafting.services.imports: the first revision of an imported section
            return gettext("Imported from %(file)s (sha256 %(sha)s…)") % {
                "file": data.get("imported_from", ""),
                "sha": data["sha256"][:12],
            }
        if data.get("starter"):
            return gettext("Starter outline")
        if data.get("heading"):
            return gettext("Added section “%(heading)s”") % {"heading": data["heading"]}
        return ""
    if kind == K.MERGE:
        return gettext("Merged proposal #%(pk)s by %(author)s") % {
            "pk": data.get("proposal", ""),
            "author": data.get("author", ""),
        }
    if kind == K.REVERT:
        return gettext("Reverted to revision %(version)s") % {"version": data.get("to_version", "")}
    if kind == K.RENAME:
        return gettext("Renamed from “%(old)s”") % {"old": data.get("old_heading", "")}
    if kind == K.MOVE:
        if data.get("renumbered"):
            return gettext("Renumbered: “%(heading)s” moved") % {"heading": data["renumbered"]}
        return gettext("Moved up") if data.get("direction") == "up" else gettext("Moved down")
    if kind == K.REPARENT:
        if data.get("parent_heading"):
            return gettext("Moved under “%(parent)s”") % {"parent": data["parent_heading"]}
        return gettext("Moved to the top level")
    if kind == K.RETIRE:
        return gettext("Retired")
    if kind == K.RESTORE:
        return gettext("Restored")
    if kind == K.ADMIN:
        return gettext("Added in the admin") if data.get("created") else gettext("Changed in the admin")
    if kind == K.CHECKED:
        # A parallel text checked against a newer revision of the section, its words unchanged.
        return gettext("Checked as still accurate for revision %(version)s of the section") % {
            "version": data.get("to_version", "")
        }
    return ""


def words_changed(added: int, removed: int) -> str:
    """ "3 words added, 1 removed.": each count agrees with its own noun (one unit per count)."""
    return pgettext("words added, words removed", "%(added)s, %(removed)s.") % {
        "added": ngettext("%(count)s word added", "%(count)s words added", added) % {"count": added},
        "removed": ngettext("%(count)s removed", "%(count)s removed", removed) % {"count": removed},
    }
