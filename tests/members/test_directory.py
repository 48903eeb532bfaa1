import pytest
from django.urls import reverse

from members.models import Expert
from tests.factories import ExpertFactory


@pytest.mark.django_db
def test_directory_shows_seats_filled_out_of_25_and_the_bloc_balance(expert_client):
    ExpertFactory.create_batch(3, bloc=Expert.Bloc.PRACTITIONER, on_national_council=True)
    response = expert_client.get(reverse("members:directory"))
    assert response.status_code == 200
    seats = response.context["seats"]
    assert (seats.filled, seats.total, seats.open) == (4, 25, 21)
    assert seats.by_bloc == {"scientific": 1, "practitioner": 3}
    assert response.context["council_count"] == 3
    assert "4 / 25" in response.text
    assert response.text.count("Open seat") == 21


@pytest.mark.django_db
def test_directory_query_count_does_not_grow_with_members(expert_client, django_assert_max_num_queries):
    ExpertFactory.create_batch(20)
    with django_assert_max_num_queries(8):
        response = expert_client.get(reverse("members:directory"))
    assert len(response.context["members"]) == 21


@pytest.mark.django_db
def test_inactive_experts_do_not_hold_a_seat(expert_client):
    ExpertFactory(is_active=False, full_name="Former Member")
    response = expert_client.get(reverse("members:directory"))
    assert response.context["seats"].filled == 1
    assert "Former Member" not in response.text
