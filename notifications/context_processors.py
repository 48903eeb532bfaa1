from functools import cached_property

from drafting.models import Notice


class UnreadNotices:
    """The header's unread counter: one indexed COUNT, made only when a page reads `.count`."""

    def __init__(self, user):
        self.user = user

    @cached_property
    def count(self) -> int:
        return Notice.objects.filter(recipient=self.user, read_at=None).count()


def unread_notices(request):
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {"unread_notices": UnreadNotices(user)}
