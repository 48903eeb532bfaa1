"""How often each person wants each kind of mail."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from notifications.categories import DEFAULTS, Category, Frequency
from notifications.models import MailPreference


def frequencies_for(user_ids) -> dict[int, dict[str, str]]:
    """Each person's frequency per category, defaults filled in (one query)."""
    chosen: dict[int, dict[str, str]] = {pk: dict(DEFAULTS) for pk in user_ids}
    rows = MailPreference.objects.filter(user_id__in=list(chosen)).values_list("user_id", "category", "frequency")
    for user_id, category, frequency in rows:
        chosen[user_id][category] = frequency
    return chosen


def frequency_for(user, category: str) -> str:
    return frequencies_for([user.pk])[user.pk][category]


@transaction.atomic
def preferences_set(*, user, choices: dict[str, str]) -> None:
    """Save a person's choice for each category given; a choice equal to the default removes the row."""
    for category, frequency in choices.items():
        if category not in Category.values or frequency not in Frequency.values:
            raise ValidationError(_("Choose immediately, daily digest, weekly digest or off for each kind of mail."))
    for category, frequency in choices.items():
        if frequency == DEFAULTS[category]:
            MailPreference.objects.filter(user=user, category=category).delete()
        else:
            MailPreference.objects.update_or_create(user=user, category=category, defaults={"frequency": frequency})


@transaction.atomic
def preferences_turn_off(*, user, categories) -> None:
    """Unsubscribe: the categories named (only those) are no longer mailed."""
    preferences_set(user=user, choices={category: Frequency.OFF for category in categories})
