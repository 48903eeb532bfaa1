from dataclasses import dataclass

from django.conf import settings
from django.db.models import Count

from members.models import Expert


@dataclass(frozen=True)
class Seats:
    total: int
    filled: int
    by_bloc: dict[str, int]

    @property
    def open(self) -> int:
        return max(self.total - self.filled, 0)


def working_group_seats() -> Seats:
    """Seats filled out of the group's 25, and the balance between the blocs (one query)."""
    counts = dict(Expert.objects.active().values_list("bloc").annotate(n=Count("id")).order_by())
    by_bloc = {bloc: counts.get(bloc, 0) for bloc in Expert.Bloc.values}
    return Seats(total=settings.WORKING_GROUP_SEATS, filled=sum(by_bloc.values()), by_bloc=by_bloc)


def directory_members():
    return Expert.objects.active().with_organisation().order_by("full_name")
