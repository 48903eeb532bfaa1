"""Writes to the Working Group's records."""

import csv
import io
from dataclasses import dataclass
from datetime import date

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import ObjectDoesNotExist, ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction

from members.models import AccountSettings, Expert, Organisation
from members.roles import COORDINATOR_GROUP, EXPERT_GROUP, group_for_role

ROSTER_COLUMNS = [
    "username",
    "full_name",
    "full_name_latin",
    "position",
    "position_en",
    "organisation",
    "organisation_kk",
    "organisation_en",
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
    full_name_latin: str
    position: str
    position_en: str
    organisation: str
    organisation_kk: str
    organisation_en: str
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
    limits = {"full_name": 200, "full_name_latin": 200, "position": 500, "position_en": 500}
    limits |= {"organisation": 300, "organisation_kk": 300, "organisation_en": 300}
    if any(len(row[column]) > limit for column, limit in limits.items()):
        fail("a value is too long")
    if (row["organisation_kk"] or row["organisation_en"]) and not row["organisation"]:
        fail("organisation (in Russian) is required when organisation_kk or organisation_en is given")
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
        full_name_latin=row["full_name_latin"],
        position=row["position"],
        position_en=row["position_en"],
        organisation=row["organisation"],
        organisation_kk=row["organisation_kk"],
        organisation_en=row["organisation_en"],
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
        organisation = _roster_organisation(row, reason=reason) if row.organisation else None
        user, user_created = User.objects.get_or_create(username=row.username, defaults={"email": row.email})
        if user_created:
            user.set_unusable_password()
            user.save()
        expert = Expert.objects.filter(user=user).first() or Expert(user=user)
        values = {
            "full_name": row.full_name,
            "full_name_latin": row.full_name_latin,
            "position": row.position,
            "position_en": row.position_en,
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


def _roster_organisation(row: RosterRow, *, reason: str) -> Organisation:
    """The row's organisation, found by its Russian name (or its English one, as older rosters named it).

    Names the row gives in Kazakh or English are added or corrected; a name the row leaves
    empty is kept, so a roster without translations never erases them.
    """
    organisation = Organisation.objects.filter(name=row.organisation).first()
    if organisation is None and row.organisation_en:
        organisation = Organisation.objects.filter(name=row.organisation_en).first()
    if organisation is None:
        organisation = Organisation(kind=row.organisation_kind)
    values = {"name": row.organisation, "name_kk": row.organisation_kk, "name_en": row.organisation_en}
    values = {key: value for key, value in values.items() if value}
    if organisation.pk and all(getattr(organisation, key) == value for key, value in values.items()):
        return organisation
    for key, value in values.items():
        setattr(organisation, key, value)
    organisation._change_reason = reason
    organisation.save()
    return organisation


def expert_set_groups(expert: Expert) -> None:
    """Put the expert's account in exactly the group of their role, or in none while the seat is inactive.

    A convenience for the admin's user page, which shows groups: the powers themselves follow
    `Expert.role` and `Expert.is_active` (members.backends), so a group never grants more.
    """
    expert.user.groups.remove(*expert.user.groups.filter(name__in=[EXPERT_GROUP, COORDINATOR_GROUP]))
    if expert.is_active:
        expert.user.groups.add(group_for_role(expert.role))


def saved_language(user) -> str:
    """The language the person chose for their pages, or "" when they chose none (or one no longer offered)."""
    try:
        language = user.account_settings.language
    except (AttributeError, ObjectDoesNotExist):
        return ""
    return language if language in dict(settings.LANGUAGES) else ""


def language_for(user) -> str:
    """The language to write to this person in (pages, emails): their choice, else the portal's default."""
    return saved_language(user) or settings.LANGUAGE_CODE


@transaction.atomic
def account_language_set(*, user, language: str) -> AccountSettings:
    """Save the language of the person's pages on their account, so it follows them to any browser.

    Raises ValidationError for a language the portal does not offer. Saving the same choice
    again writes nothing (no history row).
    """
    if language not in dict(settings.LANGUAGES):
        raise ValidationError(f"“{language}” is not one of the portal's languages.")
    return _account_settings_update(user=user, reason=f"Language set to {language}", language=language)


def _account_settings_update(*, user, reason: str, **values) -> AccountSettings:
    """Set fields of the person's settings under a row lock, with a history row; the same values write nothing."""
    account_settings = AccountSettings.objects.select_for_update().filter(user=user).first()
    if account_settings is None:
        try:
            with transaction.atomic():  # two first changes at once meet on the unique user
                account_settings = AccountSettings(user=user, **values)
                account_settings._change_reason = reason
                account_settings.save()
            return account_settings
        except IntegrityError:
            account_settings = AccountSettings.objects.select_for_update().get(user=user)
    if all(getattr(account_settings, name) == value for name, value in values.items()):
        return account_settings
    for name, value in values.items():
        setattr(account_settings, name, value)
    account_settings._change_reason = reason
    account_settings.save()
    return account_settings


def paragraph_numbers_shown(user) -> bool:
    """Whether the person reads with paragraph numbers ("3.2 ¶4"): on unless they switched them off."""
    try:
        return user.account_settings.paragraph_numbers
    except (AttributeError, ObjectDoesNotExist):
        return True


@transaction.atomic
def account_paragraph_numbers_set(*, user, shown: bool) -> AccountSettings:
    """Remember on the account whether paragraph numbers show, on every page and in any browser.

    Saving the same choice again writes nothing (no history row).
    """
    reason = "Paragraph numbers shown" if shown else "Paragraph numbers hidden"
    return _account_settings_update(user=user, reason=reason, paragraph_numbers=shown)
