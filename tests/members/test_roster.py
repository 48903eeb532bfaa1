from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from members.models import Expert
from members.services import ROSTER_COLUMNS, RosterError, roster_import

BUNDLED = Path(__file__).resolve().parents[2] / "members" / "data" / "roster.csv"
HEADER = ",".join(ROSTER_COLUMNS)


@pytest.mark.django_db
def test_bundled_roster_holds_the_people_named_in_the_announcement():
    call_command("import_roster")

    experts = Expert.objects.all()
    assert experts.count() == 11
    council = set(experts.filter(on_national_council=True).values_list("full_name", flat=True))
    assert council == {
        "Rasul Zhumaly",
        "Gulmira Ileuova",
        "Kanat Nurov",
        "Aydos Sarym",
        "Andrey Chebotarev",
        "Marat Shibutov",
    }
    kan = Expert.objects.get(full_name="Georgy Kan")
    assert kan.position == "Professor, Doctor of Historical Sciences"
    assert kan.organisation is None  # the announcement names none; we invent none


@pytest.mark.django_db
def test_importing_the_roster_twice_changes_nothing():
    call_command("import_roster")
    created, updated = roster_import(text=BUNDLED.read_text())
    assert (created, updated) == (0, 0)
    assert Expert.history.count() == 11


@pytest.mark.django_db
def test_imported_experts_get_the_group_of_their_role():
    roster_import(
        text=HEADER + "\nk.coord,Kanat Coord,Head,KISI,research_institute,practitioner,no,coordinator,,2020-06-01\n"
    )
    user = Expert.objects.get().user
    assert user.has_perm("drafting.decide_proposal")
    assert not user.has_usable_password()


@pytest.mark.django_db
@pytest.mark.parametrize(
    "bad_row, message",
    [
        ("x.y,Bad Bloc,Pos,Org,academy,astrologer,no,expert,,", "bloc must be one of"),
        ("x.y,Bad Role,Pos,Org,academy,scientific,no,chair,,", "role must be one of"),
        ("x.y,Bad Date,Pos,Org,academy,scientific,no,expert,,12 June", "joined_on must be a date"),
        ("x.y,Bad Council,Pos,Org,academy,scientific,maybe,expert,,", "on_national_council must be yes or no"),
        ("x.y,Too Few,Pos", "expected 10 columns"),
        ("x.y,Nul\x00Name,Pos,Org,academy,scientific,no,expert,,", "NUL byte"),
        (",No Username,Pos,Org,academy,scientific,no,expert,,", "username and full_name are required"),
    ],
)
def test_malformed_row_names_its_line_and_imports_nothing(bad_row, message):
    good = "a.good,Good Person,Pos,Org,academy,scientific,no,expert,,"
    with pytest.raises(RosterError) as error:
        roster_import(text=f"{HEADER}\n{good}\n{bad_row}\n")
    assert "Line 3" in error.value.messages[0]
    assert message in error.value.messages[0]
    assert Expert.objects.count() == 0


@pytest.mark.django_db
def test_import_command_reports_the_bad_line(tmp_path):
    roster = tmp_path / "roster.csv"
    roster.write_text(
        f"{HEADER}\na.b,Ok,Pos,Org,academy,scientific,no,expert,,\nc.d,Dup,Pos,Org,academy,nowhere,no,expert,,\n"
    )
    with pytest.raises(CommandError, match="Line 3 \\(Dup\\)"):
        call_command("import_roster", str(roster))
    assert Expert.objects.count() == 0


@pytest.mark.django_db
def test_wrong_header_is_refused():
    with pytest.raises(RosterError, match="Line 1"):
        roster_import(text="name,bloc\nX,scientific\n")
