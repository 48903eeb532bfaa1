from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_safe

from members.models import Expert
from members.selectors import directory_members, working_group_seats


@require_safe
def directory(request: HttpRequest) -> HttpResponse:
    """The Working Group: every member with organisation, bloc, council membership, and the open seats."""
    members = list(directory_members())
    seats = working_group_seats()
    return render(
        request,
        "members/expert_list.html",
        {
            "members": members,
            "seats": seats,
            "open_seats": range(seats.open),
            "blocs": [(value, label, seats.by_bloc[value]) for value, label in Expert.Bloc.choices],
            "council_count": sum(1 for m in members if m.on_national_council),
        },
    )
