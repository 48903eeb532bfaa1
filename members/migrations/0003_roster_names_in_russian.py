"""The bundled roster's people and organisations, renamed: Russian first, Latin and English kept.

Only what is still as the bundled roster (or the demo seed) wrote it changes: a person is
matched by username and their Latin name, an organisation by its English name, so a correction
made by staff is never overwritten. The data is frozen here rather than read from roster.csv,
which will go on changing after this migration.

History stays whole: nothing is deleted, and each change gets its own history row with a
reason. The rows are written here by hand because a migration's models are the historical
ones, which simple-history does not follow, and the live models may have columns this
database does not have yet.
"""

from django.db import migrations
from django.utils import timezone

REASON = "Names in Russian, with the Latin and English ones kept (migration 0003)"

# old English name -> (Russian, Kazakh, English)
ORGANISATIONS = {
    "N. Nazarbayev Centre for the Development of Interfaith and Inter-civilisational Dialogue": (
        "Центр Н. Назарбаева по развитию межконфессионального и межцивилизационного диалога",
        "",
        "N. Nazarbayev Centre for the Development of Interfaith and Inter-civilisational Dialogue",
    ),
    'Public Foundation "Centre for Social and Political Research "Strategy""': (
        "Общественный фонд «Центр социальных и политических исследований „Стратегия“»",
        "",
        'Public Foundation "Centre for Social and Political Research "Strategy""',
    ),
    "Aspandau Research Foundation": ("Исследовательский фонд «Аспандау»", "", "Aspandau Research Foundation"),
    'Centre for Actual Research "Alternative"': (
        "Центр актуальных исследований «Альтернатива»",
        "",
        'Centre for Actual Research "Alternative"',
    ),
    "Institute for World Economy and Politics under the Fund of the First President of the Republic of Kazakhstan": (
        "Институт мировой экономики и политики при Фонде Первого Президента Республики Казахстан – Елбасы",
        "Қазақстан Республикасының Тұңғыш Президенті – Елбасы Қоры жанындағы Әлемдік экономика және саясат институты",
        "Institute for World Economy and Politics under the Fund of the First President of the Republic of Kazakhstan",
    ),
    "Institute for Philosophy, Political Science and Religious Studies of the National Academy of Sciences": (
        "Институт философии, политологии и религиоведения Национальной академии наук",
        "Философия, саясаттану және дінтану институты",
        "Institute for Philosophy, Political Science and Religious Studies of the National Academy of Sciences",
    ),
    '"Kogamdyk Kelisim" RSI': ("РГУ «Қоғамдық келісім»", "«Қоғамдық келісім» РММ", '"Kogamdyk Kelisim" RSI'),
    "Academy of Public Administration under the President of the Republic of Kazakhstan": (
        "Академия государственного управления при Президенте Республики Казахстан",
        "Қазақстан Республикасының Президенті жанындағы Мемлекеттік басқару академиясы",
        "Academy of Public Administration under the President of the Republic of Kazakhstan",
    ),
    # The coordinating institute, created by seed_portal for the demo accounts.
    "Kazakhstan Institute for Strategic Studies under the President of the Republic of Kazakhstan": (
        "Казахстанский институт стратегических исследований при Президенте Республики Казахстан",
        "Қазақстан Республикасының Президенті жанындағы Қазақстан стратегиялық зерттеулер институты",
        "Kazakhstan Institute for Strategic Studies under the President of the Republic of Kazakhstan",
    ),
}

# username -> (Latin name as bundled, Russian name, English position as bundled, Russian position)
PEOPLE = {
    "r.zhumaly": (
        "Rasul Zhumaly",
        "Расул Жумалы",
        "Expert of the N. Nazarbayev Centre on the development of inter-confessional and inter-civilisational dialogue",
        "Эксперт Центра Н. Назарбаева по развитию межконфессионального и межцивилизационного диалога",
    ),
    "g.ileuova": ("Gulmira Ileuova", "Гульмира Илеуова", "Director", "Директор"),
    "k.nurov": ("Kanat Nurov", "Канат Нуров", "Chairman of the Board", "Председатель правления"),
    "a.sarym": ("Aydos Sarym", "Айдос Сарым", "Public figure, political scientist", "Общественный деятель, политолог"),
    "a.chebotarev": ("Andrey Chebotarev", "Андрей Чеботарев", "Director", "Директор"),
    "m.shibutov": (
        "Marat Shibutov",
        "Марат Шибутов",
        "Public figure, political scientist",
        "Общественный деятель, политолог",
    ),
    "a.zhusupova": ("Ayman Zhusupova", "Айман Жусупова", "Expert", "Эксперт"),
    "m.shaykemelev": (
        "Mukhtarbek Shaykemelev",
        "Мухтарбек Шайкемелев",
        "Head of the Department of Political Science",
        "Заведующий отделом политологии",
    ),
    "o.shariyazdanov": ("Olzhas Shariyazdanov", "Олжас Шариязданов", "Chief expert", "Главный эксперт"),
    "g.kan": (
        "Georgy Kan",
        "Георгий Кан",
        "Professor, Doctor of Historical Sciences",
        "Профессор, доктор исторических наук",
    ),
    "a.sadvokasova": (
        "Aigul Sadvokasova",
        "Айгуль Садвокасова",
        "Head of the Centre for the Study of Interethnic and Interfaith Relations in Central-Asian Region",
        "Руководитель Центра изучения межэтнических и межконфессиональных отношений в Центрально-Азиатском регионе",
    ),
    # The demo accounts of seed_portal (DEBUG only).
    "demo-expert": ("Demo Expert", "Демо-эксперт", "Demo account", "Демонстрационная учётная запись"),
    "demo-coordinator": ("Demo Coordinator", "Демо-координатор", "Demo account", "Демонстрационная учётная запись"),
}


def _record_change(apps, model_name, instance, when):
    """Write the history row that simple-history would have written for this save."""
    historical = apps.get_model("members", f"Historical{model_name}")
    values = {field.attname: getattr(instance, field.attname) for field in instance._meta.concrete_fields}
    historical.objects.create(
        **values, history_date=when, history_type="~", history_change_reason=REASON, history_user=None
    )


def rename_bundled_roster(apps, schema_editor):
    Organisation = apps.get_model("members", "Organisation")
    Expert = apps.get_model("members", "Expert")
    when = timezone.now()
    for old_name, (name, name_kk, name_en) in ORGANISATIONS.items():
        organisation = Organisation.objects.filter(name=old_name).first()
        if organisation is None or Organisation.objects.filter(name=name).exclude(pk=organisation.pk).exists():
            continue  # renamed by staff already, or the Russian name is taken: leave it to them
        organisation.name, organisation.name_en = name, name_en
        organisation.name_kk = organisation.name_kk or name_kk
        organisation.save()
        _record_change(apps, "Organisation", organisation, when)
    for username, (latin, russian, position_en, position) in PEOPLE.items():
        expert = Expert.objects.filter(user__username=username, full_name=latin).first()
        if expert is None:
            continue
        expert.full_name, expert.full_name_latin = russian, latin
        if expert.position == position_en:
            expert.position, expert.position_en = position, position_en
        expert.save()
        _record_change(apps, "Expert", expert, when)


class Migration(migrations.Migration):
    dependencies = [("members", "0002_account_settings_and_names")]

    operations = [migrations.RunPython(rename_bundled_roster, migrations.RunPython.noop, elidable=False)]
