from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords


class Organisation(models.Model):
    class Kind(models.TextChoices):
        RESEARCH_INSTITUTE = "research_institute", _("Research institute")
        GOVERNMENT_BODY = "government_body", _("Government body")
        PUBLIC_FOUNDATION = "public_foundation", _("Public foundation")
        ACADEMY = "academy", _("Academy")
        PUBLIC_ASSOCIATION = "public_association", _("Public association")
        OTHER = "other", _("Other")

    name = models.CharField(_("name"), max_length=300, unique=True)
    kind = models.CharField(_("kind"), max_length=32, choices=Kind.choices, default=Kind.OTHER)
    website = models.URLField(_("website"), blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["name"]
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")

    def __str__(self):
        return self.name


class ExpertQuerySet(models.QuerySet):
    def active(self):
        return self.filter(is_active=True)

    def with_organisation(self):
        return self.select_related("organisation", "user")


class Expert(models.Model):
    """A member of the Working Group: one seat of 25, tied to one user account."""

    class Bloc(models.TextChoices):
        SCIENTIFIC = "scientific", _("Scientific-theoretical")
        PRACTITIONER = "practitioner", _("Political practitioner")

    class Role(models.TextChoices):
        EXPERT = "expert", _("Expert")
        COORDINATOR = "coordinator", _("Coordinator")

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="expert", verbose_name=_("user")
    )
    full_name = models.CharField(_("full name"), max_length=200)
    position = models.CharField(_("position"), max_length=500, blank=True)
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="experts",
        verbose_name=_("organisation"),
    )
    bloc = models.CharField(_("bloc"), max_length=16, choices=Bloc.choices)
    on_national_council = models.BooleanField(_("member of the National Council on Public Trust"), default=False)
    role = models.CharField(_("role in the group"), max_length=16, choices=Role.choices, default=Role.EXPERT)
    is_active = models.BooleanField(_("active"), default=True)
    joined_on = models.DateField(_("joined on"), null=True, blank=True)

    history = HistoricalRecords()
    objects = ExpertQuerySet.as_manager()

    class Meta:
        ordering = ["full_name"]
        verbose_name = _("expert")
        verbose_name_plural = _("experts")

    def __str__(self):
        return self.full_name

    def get_absolute_url(self):
        return reverse("members:directory") + f"#expert-{self.pk}"

    @property
    def is_coordinator(self) -> bool:
        return self.role == self.Role.COORDINATOR
