import factory
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group

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
