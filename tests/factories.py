from datetime import timedelta

import factory
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.test import Client
from django.utils import timezone

from drafting import services
from drafting.models import Concept, Section
from members.models import Expert, Organisation
from members.roles import STAFF_GROUP
from members.services import expert_set_groups

PASSWORD = "a-long-test-password-2026"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.kz")
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)

    @factory.post_generation
    def _save(obj, create, extracted, **kwargs):
        if create:
            obj.save()


class StaffFactory(UserFactory):
    username = factory.Sequence(lambda n: f"staff{n}")
    is_staff = True

    @factory.post_generation
    def staff_group(obj, create, extracted, **kwargs):
        if create:
            obj.groups.add(Group.objects.get(name=STAFF_GROUP))


class OrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organisation
        django_get_or_create = ("name",)

    name = factory.Sequence(lambda n: f"Institute {n}")
    kind = Organisation.Kind.RESEARCH_INSTITUTE


class ExpertFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Expert
        skip_postgeneration_save = True

    user = factory.SubFactory(UserFactory)
    full_name = factory.Sequence(lambda n: f"Expert {n}")
    position = "Researcher"
    organisation = factory.SubFactory(OrganisationFactory)
    bloc = Expert.Bloc.SCIENTIFIC
    role = Expert.Role.EXPERT

    @factory.post_generation
    def groups(obj, create, extracted, **kwargs):
        if create:
            expert_set_groups(obj)


class ConceptFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Concept

    title = "Concept of state policy in interethnic relations"


def make_section(concept, heading="Section", body="Text.", parent=None, user=None) -> Section:
    """Sections are created through the service, as in the portal, so history is real."""
    return services.section_create(concept=concept, heading=heading, body=body, parent=parent, user=user)


def make_discussion(concept, *, usernames: dict[str, str] | None = None) -> dict:
    """A Concept in mid-discussion, everything people typed in Russian (so English left by the
    portal stands out): two sections with history, a proposal with an objection, a thread with a
    reply, an edition and a meeting. `usernames` names the expert, critic, coordinator and staff
    accounts for tests that sign in through the form.
    """
    names = usernames or {}

    def user_name(role):
        return {"user__username": names[role]} if role in names else {}

    concept.title = "Концепция государственной политики в сфере межэтнических отношений"
    concept.save()
    people = {"position": "Исследователь", "organisation": OrganisationFactory(name="Институт философии")}
    author = ExpertFactory(
        full_name="Айгуль Садвокасова", bloc=Expert.Bloc.SCIENTIFIC, **people, **user_name("expert")
    ).user
    critic = ExpertFactory(
        full_name="Марат Шибутов", bloc=Expert.Bloc.PRACTITIONER, **people, **user_name("critic")
    ).user
    chair = ExpertFactory(
        full_name="Канат Нуров", role=Expert.Role.COORDINATOR, **people, **user_name("coordinator")
    ).user
    staff = StaffFactory(username=names.get("staff", "сотрудник"))
    general = make_section(concept, "Общие положения", "Концепция определяет цели.\n\nВторой абзац.", user=author)
    goals = make_section(concept, "Цели", "Укрепление единства.", parent=general, user=author)
    services.section_edit(
        section=goals, base_version=1, body="Укрепление единства народа.", user=author, summary="Уточнение"
    )
    proposal = services.proposal_create_amendment(
        section=goals, author=author, title="Точнее о единстве", text="Укрепление единства народа Казахстана.",
        rationale="Так точнее.", base_version=2,
    )  # fmt: skip
    services.position_record(proposal=proposal, expert=critic.expert, stance="object", reason="Слишком широко.")
    comment = services.comment_add(author=critic, body="Согласен в целом.", section=goals, quote="единства")
    services.comment_add(author=author, body="Спасибо.", parent=comment)
    edition = services.edition_freeze(concept=concept, name="Проект 0.1", user=chair)
    meeting = services.meeting_schedule(
        concept=concept, user=chair, title="Онлайн-заседание", starts_at=timezone.now() + timedelta(days=3),
        proposals=[proposal],
    )  # fmt: skip
    return {
        "people": {"expert": author, "coordinator": chair, "staff": staff},
        "objects": {"concept": concept, "section": goals, "proposal": proposal, "comment": comment,
                    "edition": edition, "meeting": meeting},
    }  # fmt: skip


def make_parallel_text(section, body="Мәтін.", *, heading="Бөлім", language="kk", user=None):
    """A parallel text (parallel-core) of `section`'s current revision, saved through the service with real history."""
    from drafting.services.parallel import parallel_text_save

    return parallel_text_save(
        section=section, language=language, base_version=None, source_version=section.version,
        heading=heading, body=body, user=user,
    ).text  # fmt: skip


def client_for(user) -> Client:
    """A test client signed in as `user` (a forced session: the sign-in form has its own tests)."""
    client = Client()
    client.force_login(user)
    return client
