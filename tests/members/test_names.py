"""Names as the Working Group writes them: Cyrillic first; the Latin spelling and English names on English pages."""

import importlib

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.db.migrations.loader import MigrationLoader
from django.urls import reverse
from django.utils import translation

from members.models import Expert, Organisation
from tests.factories import ExpertFactory, OrganisationFactory

DIRECTORY = reverse("members:directory")
migration = importlib.import_module("members.migrations.0003_roster_names_in_russian")


@pytest.fixture
def kan(db):
    organisation = OrganisationFactory(
        name="Академия государственного управления при Президенте Республики Казахстан",
        name_kk="Қазақстан Республикасының Президенті жанындағы Мемлекеттік басқару академиясы",
        name_en="Academy of Public Administration under the President of the Republic of Kazakhstan",
    )
    return ExpertFactory(
        full_name="Георгий Кан",
        full_name_latin="Georgy Kan",
        position="Профессор, доктор исторических наук",
        position_en="Professor, Doctor of Historical Sciences",
        organisation=organisation,
    )


def test_display_name_is_latin_only_on_english_pages_and_only_when_there_is_one():
    expert = Expert(full_name="Георгий Кан", full_name_latin="Georgy Kan")
    unnamed = Expert(full_name="Айгерим Сейткали")
    with translation.override("en"):
        assert (expert.display_name, unnamed.display_name) == ("Georgy Kan", "Айгерим Сейткали")
    for language in ("ru", "kk"):
        with translation.override(language):
            assert expert.display_name == "Георгий Кан"


def test_organisation_name_follows_the_language_and_falls_back_to_russian():
    organisation = Organisation(name="Институт", name_kk="Институты", name_en="Institute")
    russian_only = Organisation(name="Центр «Альтернатива»")
    for language, expected in [("ru", "Институт"), ("kk", "Институты"), ("en", "Institute")]:
        with translation.override(language):
            assert organisation.display_name == expected
            assert russian_only.display_name == "Центр «Альтернатива»"


@pytest.mark.django_db
def test_directory_in_english_shows_the_latin_names(expert_client, kan):
    page = expert_client.get(DIRECTORY, headers={"accept-language": "en"}).text
    assert "Georgy Kan" in page and "Георгий Кан" not in page
    assert "Professor, Doctor of Historical Sciences" in page
    assert "Academy of Public Administration under the President of the Republic of Kazakhstan" in page


@pytest.mark.django_db
@pytest.mark.parametrize("language", ["ru", "kk"])
def test_directory_in_russian_and_kazakh_shows_the_cyrillic_names(expert_client, kan, language):
    page = expert_client.get(DIRECTORY, headers={"accept-language": language}).text
    assert "Георгий Кан" in page and "Georgy Kan" not in page
    assert "Профессор, доктор исторических наук" in page
    academy = {"ru": kan.organisation.name, "kk": kan.organisation.name_kk}[language]
    assert academy in page


@pytest.mark.django_db
def test_the_header_names_the_person_in_the_pages_language(client, kan):
    client.force_login(kan.user)
    assert "<span>Georgy Kan</span>" in client.get(DIRECTORY, headers={"accept-language": "en"}).text
    assert "<span>Георгий Кан</span>" in client.get(DIRECTORY, headers={"accept-language": "ru"}).text


@pytest.fixture(scope="module")
def migration_apps():
    """The models as the migration sees them: historical ones, which simple-history does not follow."""
    loader = MigrationLoader(None, ignore_no_migrations=True)  # the files only, no database
    return loader.project_state(("members", "0003_roster_names_in_russian")).apps


def _old_bundled_roster():
    """The roster as 0001's database held it: English names (what import_roster made before 0003)."""
    User = get_user_model()
    aspandau = OrganisationFactory(name="Aspandau Research Foundation", kind=Organisation.Kind.PUBLIC_FOUNDATION)
    nurov = ExpertFactory(
        user=User.objects.create(username="k.nurov"),
        full_name="Kanat Nurov",
        position="Chairman of the Board",
        organisation=aspandau,
    )
    # Staff corrected this one by hand: the migration must leave it as they wrote it.
    kan = ExpertFactory(user=User.objects.create(username="g.kan"), full_name="Георгий Кан (проф.)", organisation=None)
    for record in (aspandau, nurov, kan):
        record.history.update(history_change_reason="Imported from roster.csv")
    return aspandau, nurov, kan


@pytest.mark.django_db
def test_migration_renames_the_bundled_people_and_organisations_and_keeps_history(migration_apps):
    aspandau, nurov, kan = _old_bundled_roster()

    migration.rename_bundled_roster(migration_apps, schema_editor=None)

    nurov.refresh_from_db()
    aspandau.refresh_from_db()
    assert (nurov.full_name, nurov.full_name_latin) == ("Канат Нуров", "Kanat Nurov")
    assert (nurov.position, nurov.position_en) == ("Председатель правления", "Chairman of the Board")
    assert (aspandau.name, aspandau.name_en) == ("Исследовательский фонд «Аспандау»", "Aspandau Research Foundation")
    assert nurov.organisation == aspandau

    history = list(nurov.history.order_by("history_id"))
    assert [(h.full_name, h.history_type, h.history_change_reason) for h in history] == [
        ("Kanat Nurov", "+", "Imported from roster.csv"),
        ("Канат Нуров", "~", migration.REASON),
    ]
    assert history[-1].full_name_latin == "Kanat Nurov" and history[-1].organisation_id == aspandau.pk
    assert [h.name for h in aspandau.history.order_by("history_id")] == [
        "Aspandau Research Foundation",
        "Исследовательский фонд «Аспандау»",
    ]

    kan.refresh_from_db()
    assert kan.full_name == "Георгий Кан (проф.)"
    assert kan.history.count() == 1


@pytest.mark.django_db
def test_migration_run_twice_changes_nothing_more(migration_apps):
    _old_bundled_roster()
    migration.rename_bundled_roster(migration_apps, schema_editor=None)
    rows = Expert.history.count() + Organisation.history.count()
    migration.rename_bundled_roster(migration_apps, schema_editor=None)
    assert Expert.history.count() + Organisation.history.count() == rows


@pytest.mark.django_db
def test_after_the_migration_the_bundled_roster_imports_as_an_update(migration_apps):
    _, nurov, _ = _old_bundled_roster()
    migration.rename_bundled_roster(migration_apps, schema_editor=None)
    call_command("import_roster")
    nurov.refresh_from_db()
    assert nurov.full_name == "Канат Нуров"
    assert Organisation.objects.filter(name_en="Aspandau Research Foundation").count() == 1
    assert Expert.objects.filter(user__username="k.nurov").count() == 1
