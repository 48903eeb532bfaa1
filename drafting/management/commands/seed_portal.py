from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management import call_command
from django.core.management.base import BaseCommand
from django.db import transaction

from drafting.models import Concept, Section
from drafting.outline import CONCEPT_TITLE, STARTER_OUTLINE
from drafting.services import section_create, section_edit
from drafting.services.parallel import parallel_text_save
from members.models import Expert, Organisation
from members.roles import STAFF_GROUP, ensure_role_groups
from members.services import expert_set_groups
from search.apps import index_existing_records

DEMO_PASSWORD = "concept-demo-2026"
DEMO_ACCOUNTS = [
    # username, full name, in Latin letters, role, bloc
    ("demo-expert", "Демо-эксперт", "Demo Expert", Expert.Role.EXPERT, Expert.Bloc.SCIENTIFIC),
    ("demo-coordinator", "Демо-координатор", "Demo Coordinator", Expert.Role.COORDINATOR, Expert.Bloc.PRACTITIONER),
]
# The coordinating institute, named as the glossary names it.
KISI_NAMES = {
    "name": "Казахстанский институт стратегических исследований при Президенте Республики Казахстан",
    "name_kk": "Қазақстан Республикасының Президенті жанындағы Қазақстан стратегиялық зерттеулер институты",
    "name_en": "Kazakhstan Institute for Strategic Studies under the President of the Republic of Kazakhstan",
}

# The state language beside the drafting text (glossary terms): (Russian heading, Kazakh heading, Kazakh text).
STARTER_TRANSLATIONS = [
    (
        "Цель и сфера действия Концепции",
        "Тұжырымдаманың мақсаты мен қолданылу аясы",
        "Осы Тұжырымдама этносаралық қатынастар саласындағы мемлекеттік саясаттың пайымын, қағидаттарын және "
        "негізгі бағыттарын айқындайды. Жобаны Қазақстан Республикасы Президентінің тапсырмасы бойынша құрылған "
        "Жұмыс тобы дайындайды; оның жұмысын Қазақстан Республикасының Президенті жанындағы Қазақстан "
        "стратегиялық зерттеулер институты үйлестіреді.",
    ),
    (
        "Цели и задачи",
        "Мақсаттар мен міндеттер",
        "*Бөлім дайындалуда: саясаттың мақсаты және оған қызмет ететін міндеттер.*",
    ),
]


class Command(BaseCommand):
    help = "Load the roster and the starter Concept outline; with DEBUG on, create the demo accounts. Idempotent."

    def handle(self, *args, **options):
        ensure_role_groups()
        call_command("import_roster", stdout=self.stdout)
        with transaction.atomic():
            self._starter_concept()
        if settings.DEBUG:
            self._demo_accounts()
        # Sections made through the services are indexed as they are saved; a database that had
        # them before search existed is indexed here once.
        index_existing_records(sender=None)

    def _starter_concept(self):
        if Concept.objects.exists():
            return
        concept = Concept.objects.create(title=CONCEPT_TITLE)
        for heading, body, children in STARTER_OUTLINE:
            parent = section_create(concept=concept, heading=heading, body=body, user=None, starter=True)
            for child_heading, child_body in children:
                section_create(
                    concept=concept, heading=child_heading, body=child_body, parent=parent, user=None, starter=True
                )
        self._starter_translations(concept)
        self.stdout.write(f"Concept “{concept.title}” created with its starter outline.")

    def _starter_translations(self, concept):
        """Two sections in Kazakh, so `make run` shows every translation status: one current, one out of
        date (its Russian text was refined after it was translated), the others missing."""
        sections = {section.heading: section for section in Section.objects.filter(concept=concept)}
        for heading, kazakh_heading, kazakh_body in STARTER_TRANSLATIONS:
            section = sections[heading]
            parallel_text_save(
                section=section, language="kk", base_version=None, source_version=section.version,
                heading=kazakh_heading, body=kazakh_body, user=None,
            )  # fmt: skip
        goals = sections["Цели и задачи"]
        section_edit(
            section=goals,
            base_version=goals.version,
            body="*Раздел готовится: цель политики, задачи, которые ей служат, и показатели их достижения.*",
            user=None,
            summary="Уточнение задач",
        )

    def _demo_accounts(self):
        User = get_user_model()
        kisi, _ = Organisation.objects.get_or_create(
            name=KISI_NAMES["name"],
            defaults={
                "name_kk": KISI_NAMES["name_kk"],
                "name_en": KISI_NAMES["name_en"],
                "kind": Organisation.Kind.RESEARCH_INSTITUTE,
                "website": "https://kisi.kz",
            },
        )
        for username, full_name, full_name_latin, role, bloc in DEMO_ACCOUNTS:
            user = self._demo_user(User, username)
            expert, created = Expert.objects.get_or_create(
                user=user,
                defaults={
                    "full_name": full_name,
                    "full_name_latin": full_name_latin,
                    "position": "Демонстрационная учётная запись",
                    "position_en": "Demo account",
                    "organisation": kisi,
                    "bloc": bloc,
                    "role": role,
                },
            )
            expert_set_groups(expert)
        staff = self._demo_user(User, "demo-staff")
        staff.is_staff = True
        staff.save()
        staff.groups.add(Group.objects.get(name=STAFF_GROUP))
        self.stdout.write(
            f"Demo accounts (DEBUG only): demo-expert, demo-coordinator, demo-staff; password: {DEMO_PASSWORD}"
        )

    def _demo_user(self, User, username):
        # An address at a reserved-for-examples domain, so `make run` shows their mail in the console.
        user, created = User.objects.get_or_create(username=username, defaults={"email": f"{username}@example.kz"})
        if created or not user.check_password(DEMO_PASSWORD):
            user.set_password(DEMO_PASSWORD)
            user.save()
        return user
