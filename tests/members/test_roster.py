import csv
import io
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from members.models import Expert, Organisation
from members.services import ROSTER_COLUMNS, RosterError, roster_import
from tests.factories import OrganisationFactory

BUNDLED = Path(__file__).resolve().parents[2] / "members" / "data" / "roster.csv"
HEADER = ",".join(ROSTER_COLUMNS)


def row(username: str, full_name: str, **values: str) -> str:
    """One roster line, with plausible values for every column the test does not care about."""
    fields = {
        "username": username,
        "full_name": full_name,
        "full_name_latin": "",
        "position": "Научный сотрудник",
        "position_en": "",
        "organisation": "Институт",
        "organisation_kk": "",
        "organisation_en": "",
        "organisation_kind": "academy",
        "bloc": "scientific",
        "on_national_council": "no",
        "role": "expert",
        "email": "",
        "joined_on": "",
    } | values
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerow([fields[column] for column in ROSTER_COLUMNS])
    return out.getvalue()


@pytest.mark.django_db
def test_bundled_roster_holds_the_people_named_in_the_announcement():
    call_command("import_roster")

    experts = Expert.objects.all()
    assert experts.count() == 11
    council = set(experts.filter(on_national_council=True).values_list("full_name", "full_name_latin"))
    assert council == {
        ("Расул Жумалы", "Rasul Zhumaly"),
        ("Гульмира Илеуова", "Gulmira Ileuova"),
        ("Канат Нуров", "Kanat Nurov"),
        ("Айдос Сарым", "Aydos Sarym"),
        ("Андрей Чеботарев", "Andrey Chebotarev"),
        ("Марат Шибутов", "Marat Shibutov"),
    }
    assert set(experts.filter(on_national_council=False).values_list("full_name", flat=True)) == {
        "Айман Жусупова",
        "Мухтарбек Шайкемелев",
        "Олжас Шариязданов",
        "Георгий Кан",
        "Айгуль Садвокасова",
    }
    kan = Expert.objects.get(full_name="Георгий Кан")
    assert (kan.position, kan.position_en) == (
        "Профессор, доктор исторических наук",
        "Professor, Doctor of Historical Sciences",
    )
    assert kan.organisation is None  # the announcement names none; we invent none
    academy = Expert.objects.get(user__username="a.sadvokasova").organisation
    assert academy.name == "Академия государственного управления при Президенте Республики Казахстан"
    assert academy.name_kk == "Қазақстан Республикасының Президенті жанындағы Мемлекеттік басқару академиясы"
    assert academy.name_en == "Academy of Public Administration under the President of the Republic of Kazakhstan"


@pytest.mark.django_db
def test_importing_the_roster_twice_changes_nothing():
    call_command("import_roster")
    created, updated = roster_import(text=BUNDLED.read_text())
    assert (created, updated) == (0, 0)
    assert Expert.history.count() == 11


@pytest.mark.django_db
def test_imported_experts_get_the_group_of_their_role():
    roster_import(text=HEADER + "\n" + row("k.coord", "Канат Координатор", role="coordinator", joined_on="2020-06-01"))
    user = Expert.objects.get().user
    assert user.has_perm("drafting.decide_proposal")
    assert not user.has_usable_password()


@pytest.mark.django_db
@pytest.mark.parametrize(
    "bad_row, message",
    [
        (row("x.y", "Плохой Блок", bloc="astrologer"), "bloc must be one of"),
        (row("x.y", "Плохая Роль", role="chair"), "role must be one of"),
        (row("x.y", "Плохая Дата", joined_on="12 June"), "joined_on must be a date"),
        (row("x.y", "Плохой Совет", on_national_council="maybe"), "on_national_council must be yes or no"),
        (row("x.y", "Длинное Имя", full_name_latin="L" * 201), "a value is too long"),
        (row("x.y", "Без Организации", organisation="", organisation_en="Some Institute"), "organisation (in Russian)"),
        ("x.y,Мало Столбцов,Pos\n", "expected 14 columns"),
        (row("x.y", "Nul\x00Name"), "NUL byte"),
        (row("", "Без Логина"), "username and full_name are required"),
    ],
)
def test_malformed_row_names_its_line_and_imports_nothing(bad_row, message):
    with pytest.raises(RosterError) as error:
        roster_import(text=f"{HEADER}\n{row('a.good', 'Хороший Человек')}{bad_row}")
    assert "Line 3" in error.value.messages[0]
    assert message in error.value.messages[0]
    assert Expert.objects.count() == 0
    assert Organisation.objects.count() == 0


@pytest.mark.django_db
def test_import_command_reports_the_bad_line(tmp_path):
    roster = tmp_path / "roster.csv"
    roster.write_text(f"{HEADER}\n{row('a.b', 'Ок')}{row('c.d', 'Дубль', bloc='nowhere')}", encoding="utf-8")
    with pytest.raises(CommandError, match="Line 3 \\(Дубль\\)"):
        call_command("import_roster", str(roster))
    assert Expert.objects.count() == 0


@pytest.mark.django_db
def test_organisation_names_in_three_languages_are_kept_and_completed():
    roster_import(text=f"{HEADER}\n{row('a.b', 'Асель Б', organisation='Институт', organisation_en='Institute')}")
    roster_import(
        text=f"{HEADER}\n{row('a.b', 'Асель Б', organisation='Институт', organisation_kk='Институты')}",
        reason="Kazakh names added",
    )
    organisation = Organisation.objects.get()
    assert (organisation.name, organisation.name_kk, organisation.name_en) == ("Институт", "Институты", "Institute")
    assert organisation.history.first().history_change_reason == "Kazakh names added"
    assert organisation.history.count() == 2


@pytest.mark.django_db
def test_an_organisation_still_named_in_english_is_renamed_not_duplicated():
    old = OrganisationFactory(name="Aspandau Research Foundation")
    call_command("import_roster")
    old.refresh_from_db()
    assert old.name == "Исследовательский фонд «Аспандау»"
    assert old.name_en == "Aspandau Research Foundation"
    assert Expert.objects.get(user__username="k.nurov").organisation == old
    assert [h.name for h in old.history.order_by("history_id")] == [
        "Aspandau Research Foundation",
        "Исследовательский фонд «Аспандау»",
    ]


@pytest.mark.django_db
def test_wrong_header_is_refused():
    with pytest.raises(RosterError, match="Line 1"):
        roster_import(text="name,bloc\nX,scientific\n")
