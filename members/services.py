"""Writes to the Working Group's records."""

import csv
import io
from dataclasses import dataclass
from datetime import date

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction

from members.models import Expert, Organisation
from members.roles import COORDINATOR_GROUP, EXPERT_GROUP, group_for_role

ROSTER_COLUMNS = [
    "username",
    "full_name",
    "position",
    "organisation",
    "organisation_kind",
    "bloc",
    "on_national_council",
    "role",
    "email",
    "joined_on",
]
YES = {"yes", "y", "true", "1"}
NO = {"no", "n", "false", "0", ""}


@dataclass(frozen=True)
class RosterRow:
    line: int
    username: str
    full_name: str
    position: str
    organisation: str
    organisation_kind: str
    bloc: str
    on_national_council: bool
    role: str
    email: str
    joined_on: date | None


class RosterError(ValidationError):
    pass


def _parse_row(line: int, raw: dict) -> RosterRow:
    def fail(message):
        name = (raw.get("full_name") or raw.get("username") or "").strip()
        raise RosterError(f"Line {line} ({name or 'no name'}): {message}. Nothing was imported.")

    if None in raw or any(value is None for value in raw.values()):
        fail(f"expected {len(ROSTER_COLUMNS)} columns")
    row = {key: (value or "").strip() for key, value in raw.items()}
    if any("\x00" in value for value in row.values()):
        fail("contains a NUL byte")
    if not row["username"] or not row["full_name"]:
        fail("username and full_name are required")
    if len(row["full_name"]) > 200 or len(row["position"]) > 500 or len(row["organisation"]) > 300:
        fail("a value is too long")
    if row["bloc"] not in Expert.Bloc.values:
        fail(f"bloc must be one of {', '.join(Expert.Bloc.values)}, not “{row['bloc']}”")
    if row["role"] not in Expert.Role.values:
        fail(f"role must be one of {', '.join(Expert.Role.values)}, not “{row['role']}”")
    kind = row["organisation_kind"] or Organisation.Kind.OTHER
    if kind not in Organisation.Kind.values:
        fail(f"organisation_kind must be one of {', '.join(Organisation.Kind.values)}")
    council = row["on_national_council"].lower()
    if council not in YES | NO:
        fail("on_national_council must be yes or no")
    if row["email"]:
        try:
            validate_email(row["email"])
        except ValidationError:
            fail(f"“{row['email']}” is not an email address")
    try:
        joined_on = date.fromisoformat(row["joined_on"]) if row["joined_on"] else None
    except ValueError:
        fail("joined_on must be a date like 2020-06-12")
    return RosterRow(
        line=line,
        username=row["username"],
        full_name=row["full_name"],
        position=row["position"],
        organisation=row["organisation"],
        organisation_kind=kind,
        bloc=row["bloc"],
        on_national_council=council in YES,
        role=row["role"],
        email=row["email"],
        joined_on=joined_on,
    )


def parse_roster(text: str) -> list[RosterRow]:
    """Check every row of a roster CSV; the first problem names its line and stops the import."""
    reader = csv.DictReader(io.StringIO(text))
    if reader.fieldnames is None or [f.strip() for f in reader.fieldnames] != ROSTER_COLUMNS:
        raise RosterError(f"Line 1: the header must be: {','.join(ROSTER_COLUMNS)}. Nothing was imported.")
    rows, seen = [], set()
    for raw in reader:
        row = _parse_row(reader.line_num, raw)
        if row.username in seen:
            raise RosterError(
                f"Line {row.line} ({row.full_name}): username “{row.username}” appears twice. Nothing was imported."
            )
        seen.add(row.username)
        rows.append(row)
    return rows


@transaction.atomic
def roster_import(*, text: str, reason: str = "Imported from the roster") -> tuple[int, int]:
    """Create or update the experts in a roster CSV, all or nothing. Returns (created, updated).

    New accounts get an unusable password: members set theirs through password reset.
    """
    rows = parse_roster(text)
    User = get_user_model()
    created = updated = 0
    for row in rows:
        organisation = None
        if row.organisation:
            organisation, _ = Organisation.objects.get_or_create(
                name=row.organisation, defaults={"kind": row.organisation_kind}
            )
        user, user_created = User.objects.get_or_create(username=row.username, defaults={"email": row.email})
        if user_created:
            user.set_unusable_password()
            user.save()
        expert = Expert.objects.filter(user=user).first() or Expert(user=user)
        values = {
            "full_name": row.full_name,
            "position": row.position,
            "organisation": organisation,
            "bloc": row.bloc,
            "on_national_council": row.on_national_council,
            "role": row.role,
            "joined_on": row.joined_on,
            "is_active": True,
        }
        if expert.pk and all(getattr(expert, key) == value for key, value in values.items()):
            continue
        created, updated = (created + 1, updated) if expert.pk is None else (created, updated + 1)
        for key, value in values.items():
            setattr(expert, key, value)
        expert._change_reason = reason
        expert.save()
        expert_set_groups(expert)
    return created, updated


def expert_set_groups(expert: Expert) -> None:
    """Put the expert's account in exactly the group of their role."""
    expert.user.groups.remove(*expert.user.groups.filter(name__in=[EXPERT_GROUP, COORDINATOR_GROUP]))
    expert.user.groups.add(group_for_role(expert.role))
