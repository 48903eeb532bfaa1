from functools import cached_property

from drafting.models import Notice


class UnreadNotices:
    """The header's unread counter. The signed-in person comes with it (members.backends.MemberBackend
    counts it in the query that loads them); otherwise one indexed COUNT, made only when a page reads it."""

    def __init__(self, user):
        self.user = user

    @cached_property
    def count(self) -> int:
        counted = getattr(self.user, "unread_notice_count", None)
        if counted is not None:
            return counted
        return Notice.objects.filter(recipient=self.user, read_at=None).count()


def unread_notices(request):
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {"unread_notices": UnreadNotices(user)}
