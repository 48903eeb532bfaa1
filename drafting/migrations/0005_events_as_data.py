"""Events are stored as data, never as sentences in the language of whoever acted.

- Activity: `summary` (a sentence) becomes `data` (what the sentence needs); a summary that
  cannot be read back is kept whole as {"legacy": summary} and shown as it was.
- Section history: system-written reasons ("Reverted to revision 3") become `change_kind` plus
  `change_data`; `history_change_reason` keeps only a person's own words.
- Proposal, comment, position, edition, meeting and agenda history: reasons become codes
  (drafting.models.ChangeReason); the typed words already live in their own fields.

The parsing functions are plain functions of strings, tested in tests/drafting/test_events_as_data.py.
"""

import re

from django.db import migrations, models

BATCH = 500

# --- Activity summaries -------------------------------------------------------------------

_STANCES = {"Support": "support", "Can live with it": "live_with", "Object": "object"}

_ACTIVITY_PATTERNS = {
    "edited": [(r"“(?P<heading>.*)”, revision (?P<version>\d+): (?P<summary>.*)", {})],
    "proposed": [
        (r"#(?P<pk>\d+) new section “(?P<heading>.*)”", {"new_section": True}),
        (r"#(?P<pk>\d+) “(?P<title>.*)” on “(?P<heading>.*)”", {}),
    ],
    "revised": [(r"#(?P<pk>\d+) “(?P<title>.*)”", {})],
    "withdrew": [(r"#(?P<pk>\d+) “(?P<title>.*)”", {})],
    "rejected": [(r"#(?P<pk>\d+) “(?P<title>.*?)”: (?P<reason>.*)", {})],
    "merged": [
        (r"#(?P<pk>\d+) “(?P<title>.*)” into “(?P<heading>.*)” \(revision (?P<version>\d+)\)", {}),
        (r"#(?P<pk>\d+) needs review against the new text of “(?P<heading>.*)”", {"verb": "needs_review"}),
    ],
    "commented": [(r"on “#(?P<pk>\d+) (?P<title>.*)”", {"on": "proposal"}), (r"on “(?P<heading>.*)”", {})],
    "took_position": [(r"(?P<stance>.+?) on #(?P<pk>\d+) “(?P<title>.*)”", {})],
    "objected": [(r"(?P<stance>.+?) on #(?P<pk>\d+) “(?P<title>.*)”", {})],
    "froze": [(r"edition “(?P<name>.*)”", {})],
}


def parse_activity_summary(verb: str, summary: str, *, on_proposal: bool = False) -> tuple[str, dict]:
    """(verb, data) for a summary written before 0005; {"legacy": summary} if it cannot be read."""
    for pattern, extra in _ACTIVITY_PATTERNS.get(verb, []):
        match = re.fullmatch(pattern, summary, flags=re.DOTALL)
        if match is None:
            continue
        if extra.get("on") == "proposal" and not on_proposal:
            continue
        data = {k: v for k, v in match.groupdict().items() if k != "pk"}
        if "version" in data:
            data["version"] = int(data["version"])
        if "stance" in data:
            if data["stance"] not in _STANCES:
                continue
            data["stance"] = _STANCES[data["stance"]]
        data.update({k: v for k, v in extra.items() if k not in ("verb", "on")})
        return extra.get("verb", verb), data
    return verb, {"legacy": summary}


def activities_forward(apps, schema_editor):
    Activity = apps.get_model("drafting", "Activity")
    Proposal = apps.get_model("drafting", "Proposal")
    titles = dict(Proposal.objects.values_list("pk", "title"))
    batch = []
    for activity in Activity.objects.only("pk", "verb", "summary", "proposal_id").iterator(chunk_size=BATCH):
        activity.verb, activity.data = parse_activity_summary(
            activity.verb, activity.summary, on_proposal=activity.proposal_id is not None
        )
        if "legacy" not in activity.data and activity.proposal_id and "title" not in activity.data:
            activity.data["title"] = titles.get(activity.proposal_id, "")
        batch.append(activity)
        if len(batch) >= BATCH:
            Activity.objects.bulk_update(batch, ["verb", "data"])
            batch = []
    Activity.objects.bulk_update(batch, ["verb", "data"])


def activities_backward(apps, schema_editor):
    Activity = apps.get_model("drafting", "Activity")
    for activity in Activity.objects.iterator(chunk_size=BATCH):
        data = activity.data or {}
        activity.summary = data.get("legacy") or ", ".join(f"{k}: {v}" for k, v in data.items())[:500]
        if activity.verb == "needs_review":
            activity.verb = "merged"
        activity.save(update_fields=["summary", "verb"])


# --- Section history reasons --------------------------------------------------------------

# (kinds the sentence was written with, pattern, new kind, data from the match)
_REVISION_PATTERNS = [
    (("create",), r"Added section “(?P<heading>.*)”", "create", {}),
    (("create",), r"Starter outline", "create", {"starter": True}),
    (("create",), r"Added in the admin", "admin", {"created": True}),
    (("edit",), r"Changed in the admin", "admin", {}),
    (("merge", "create"), r"Merged proposal #(?P<proposal>\d+) by (?P<author>.*)", "merge", {}),
    (("revert",), r"Reverted to revision (?P<to_version>\d+)", "revert", {}),
    (("outline",), r"Renamed from “(?P<old_heading>.*)”", "rename", {}),
    (("outline",), r"Moved up", "move", {"direction": "up"}),
    (("outline",), r"Moved down", "move", {"direction": "down"}),
    (("outline",), r"Renumbered: “(?P<renumbered>.*)” moved", "move", {}),
    (("outline",), r"Moved under “(?P<parent_heading>.*)”", "reparent", {}),
    (("outline",), r"Moved to the top level", "reparent", {"parent": None}),
    (("outline",), r"Retired", "retire", {}),
    (("outline",), r"Restored", "restore", {}),
]


def parse_revision_reason(kind: str, reason: str | None) -> tuple[str, dict, str]:
    """(kind, data, person's reason) for a history row written before 0005.

    A sentence is read only under the kind it was written with, so a person's edit summary
    that happens to say "Retired" stays their words.
    """
    for kinds, pattern, new_kind, extra in _REVISION_PATTERNS:
        match = re.fullmatch(pattern, reason or "", flags=re.DOTALL) if kind in kinds else None
        if match is None:
            continue
        data = dict(match.groupdict())
        for key in ("proposal", "to_version"):
            if key in data:
                data[key] = int(data[key])
        return new_kind, {**data, **extra}, ""
    return kind, {}, reason or ""


def revisions_forward(apps, schema_editor):
    HistoricalSection = apps.get_model("drafting", "HistoricalSection")
    rows = HistoricalSection.objects.only("history_id", "change_kind", "history_change_reason")
    batch = []
    for row in rows.iterator(chunk_size=BATCH):
        kind, data, reason = parse_revision_reason(row.change_kind, row.history_change_reason)
        if (kind, data, reason) == (row.change_kind, {}, row.history_change_reason or ""):
            continue
        row.change_kind, row.change_data, row.history_change_reason = kind, data, reason
        batch.append(row)
        if len(batch) >= BATCH:
            HistoricalSection.objects.bulk_update(batch, ["change_kind", "change_data", "history_change_reason"])
            batch = []
    HistoricalSection.objects.bulk_update(batch, ["change_kind", "change_data", "history_change_reason"])


# --- Other models' history reasons -----------------------------------------------------------

_REASON_CODES = [
    (r"Proposed", "proposed"),
    (r"Revised by the author", "revised"),
    (r"Withdrawn by the author", "withdrawn"),
    (r"Rejected: .*", "rejected"),
    (r"Merged as revision \d+", "merged"),
    (r"Needs review: proposal #\d+ changed the same passage", "needs-review"),
    (r"Agreed at the meeting of .*", "agreed"),
    (r"Written", "written"),
    (r"Edited by the author", "edited"),
    (r"Resolved", "resolved"),
    (r"Reopened", "reopened"),
    (r"Took a position", "position-taken"),
    (r"Changed position", "position-changed"),
    (r"Frozen", "frozen"),
    (r"Scheduled", "scheduled"),
    (r"Minutes and attendance recorded", "minutes"),
    (r"Put on the agenda", "agenda"),
    (r"Outcome: .*", "outcome"),
]

_HISTORY_MODELS = [
    "HistoricalProposal",
    "HistoricalComment",
    "HistoricalPosition",
    "HistoricalEdition",
    "HistoricalMeeting",
    "HistoricalAgendaItem",
]


def reason_code(reason: str | None) -> str | None:
    """The ChangeReason code of a reason written before 0005, or the reason itself if unknown."""
    for pattern, code in _REASON_CODES:
        if reason and re.fullmatch(pattern, reason, flags=re.DOTALL):
            return code
    return reason


def reasons_forward(apps, schema_editor):
    for name in _HISTORY_MODELS:
        model = apps.get_model("drafting", name)
        for reason in (
            model.objects.exclude(history_change_reason=None).values_list("history_change_reason", flat=True).distinct()
        ):
            code = reason_code(reason)
            if code != reason:
                model.objects.filter(history_change_reason=reason).update(history_change_reason=code)


class Migration(migrations.Migration):
    dependencies = [
        ("drafting", "0004_proposal_without_new_order"),
    ]

    operations = [
        migrations.AddField(
            model_name="activity",
            name="data",
            field=models.JSONField(blank=True, default=dict),
        ),
        migrations.AddField(
            model_name="historicalsection",
            name="change_data",
            field=models.JSONField(blank=True, default=dict, verbose_name="data of the change"),
        ),
        migrations.AlterField(
            model_name="activity",
            name="verb",
            field=models.CharField(
                choices=[
                    ("edited", "edited"),
                    ("proposed", "proposed"),
                    ("revised", "revised a proposal"),
                    ("withdrew", "withdrew"),
                    ("merged", "merged"),
                    ("needs_review", "asked for review"),
                    ("rejected", "rejected"),
                    ("commented", "commented"),
                    ("took_position", "took a position"),
                    ("objected", "objected"),
                    ("added_section", "added a section"),
                    ("reverted", "reverted"),
                    ("renamed", "renamed"),
                    ("moved", "moved"),
                    ("reparented", "moved to another place"),
                    ("retired", "retired"),
                    ("restored", "restored"),
                    ("outline", "changed the outline"),
                    ("froze", "froze"),
                ],
                max_length=16,
            ),
        ),
        migrations.AlterField(
            model_name="historicalsection",
            name="change_kind",
            field=models.CharField(
                choices=[
                    ("create", "Created"),
                    ("edit", "Edited"),
                    ("merge", "Merged proposal"),
                    ("revert", "Reverted"),
                    ("rename", "Renamed"),
                    ("move", "Moved"),
                    ("reparent", "Moved to another place"),
                    ("retire", "Retired"),
                    ("restore", "Restored"),
                    ("admin", "Changed in the admin"),
                    ("outline", "Outline change"),
                ],
                default="edit",
                max_length=16,
                verbose_name="kind of change",
            ),
        ),
        migrations.RunPython(activities_forward, activities_backward),
        migrations.RunPython(revisions_forward, migrations.RunPython.noop),
        migrations.RunPython(reasons_forward, migrations.RunPython.noop),
        migrations.RemoveField(
            model_name="activity",
            name="summary",
        ),
    ]
