"""Dates people see are local dates in Asia/Almaty, whatever the hour in UTC."""

import re
from datetime import UTC, datetime

import pytest
import time_machine
from django.urls import reverse

from drafting import services
from tests.factories import make_section


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("utc", "local_day"),
    [
        (datetime(2026, 6, 12, 18, 59, tzinfo=UTC), "2026-06-12"),  # 23:59 in Almaty
        (datetime(2026, 6, 12, 19, 1, tzinfo=UTC), "2026-06-13"),  # 00:01 in Almaty, still the 12th in UTC
    ],
)
def test_export_file_name_carries_the_local_date(expert_client, concept, expert, coordinator, utc, local_day):
    make_section(concept, "Общие положения", "Текст.", user=expert)
    with time_machine.travel(utc, tick=False):
        services.edition_freeze(concept=concept, name="Draft 0.1", user=coordinator)
        edition = concept.editions.get()
        draft = expert_client.get(reverse("drafting:document-export", args=[concept.pk, "md"]))
        frozen = expert_client.get(
            reverse("drafting:document-export", args=[concept.pk, "md"]) + f"?edition={edition.pk}"
        )

    assert f"concept-current-draft-{local_day}.md" in draft["Content-Disposition"]
    assert f"concept-draft-0.1-{local_day}.md" in frozen["Content-Disposition"]


@pytest.mark.django_db
def test_history_shows_the_local_time_of_a_change(expert_client, concept, expert):
    with time_machine.travel(datetime(2026, 6, 12, 19, 38, tzinfo=UTC), tick=False):
        section = make_section(concept, "Общие положения", "Текст.", user=expert)

    page = expert_client.get(reverse("drafting:section-history", args=[section.pk])).text

    assert re.search(r"\b13 \w+\.? 2026, 00:38", page)  # the 13th at 00:38 in Almaty, in any language
    assert "19:38" not in page
