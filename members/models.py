from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import get_language, pgettext_lazy
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords


def _reading_english() -> bool:
    return (get_language() or "").split("-")[0] == "en"


def name_for_reader(full_name: str, full_name_latin: str = "") -> str:
    """A person's name for the active language: the Latin spelling on English pages, where there is one."""
    return full_name_latin if full_name_latin and _reading_english() else full_name


def language_choices():
    """The portal's languages, named in themselves (a callable, so migrations follow settings)."""
    return settings.LANGUAGES


class Organisation(models.Model):
    class Kind(models.TextChoices):
        RESEARCH_INSTITUTE = "research_institute", _("Research institute")
        GOVERNMENT_BODY = "government_body", _("Government body")
        PUBLIC_FOUNDATION = "public_foundation", _("Public foundation")
        ACADEMY = "academy", _("Academy")
        PUBLIC_ASSOCIATION = "public_association", _("Public association")
        OTHER = "other", _("Other")

    # Russian is the primary name (the Working Group's common language); the others are
    # given where the announcement or the organisation itself publishes them.
    name = models.CharField(_("name (Russian)"), max_length=300, unique=True)
    name_kk = models.CharField(_("name (Kazakh)"), max_length=300, blank=True)
    name_en = models.CharField(_("name (English)"), max_length=300, blank=True)
    kind = models.CharField(_("kind"), max_length=32, choices=Kind.choices, default=Kind.OTHER)
    website = models.URLField(_("website"), blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["name"]
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")

    def __str__(self):
        return self.name

    @property
    def display_name(self) -> str:
        """The name in the active language, else the Russian one."""
        language = (get_language() or "").split("-")[0]
        return {"kk": self.name_kk, "en": self.name_en}.get(language) or self.name


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
    # The name as the group writes it, in Cyrillic; the Latin spelling is for English pages.
    full_name = models.CharField(_("full name"), max_length=200)
    full_name_latin = models.CharField(_("full name in Latin letters"), max_length=200, blank=True)
    position = models.CharField(pgettext_lazy("job title", "position"), max_length=500, blank=True)
    position_en = models.CharField(_("position (English)"), max_length=500, blank=True)
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

    @property
    def display_name(self) -> str:
        """The name for the active language: the Latin spelling on English pages, where there is one."""
        return name_for_reader(self.full_name, self.full_name_latin)

    @property
    def display_position(self) -> str:
        return self.position_en if self.position_en and _reading_english() else self.position


class AccountSettings(models.Model):
    """One person's settings for their account: the language of their pages, and whether paragraph numbers show.

    Every account may have one; a missing row means the defaults. It belongs to the account, not
    to the Working Group seat, so staff accounts have settings too.
    """

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="account_settings",
        verbose_name=_("user"),
    )
    language = models.CharField(_("language"), max_length=8, choices=language_choices, blank=True)
    paragraph_numbers = models.BooleanField(_("paragraph numbers in the text"), default=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("account settings")
        verbose_name_plural = _("account settings")

    def __str__(self):
        return str(self.user)
