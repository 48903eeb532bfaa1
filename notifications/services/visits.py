"""Opening an item: its notices are read, and the watch may send one immediate mail again."""

from django.db.models import Q
from django.utils import timezone

from drafting.models import Notice
from notifications.models import Watch


def mark_visited(user, *, section=None, proposal=None, meeting=None) -> None:
    """The person opened a section, proposal or meeting page (two queries, whatever they had).

    Their unread notices about it are marked read, and their watch on it (and on the whole
    Concept) may send one immediate mail again: MediaWiki's "one mail until you visit again".
    """
    if not getattr(user, "is_authenticated", False):
        return
    target = {name: obj for name, obj in (("section", section), ("proposal", proposal), ("meeting", meeting)) if obj}
    if len(target) != 1:
        return
    ((name, obj),) = target.items()
    Watch.objects.filter(Q(**{f"{name}_id": obj.pk}) | Q(concept__isnull=False), user=user).exclude(
        mailed_at=None
    ).update(mailed_at=None)
    read = Notice.objects.filter(recipient=user, read_at=None, **{f"activity__{name}_id": obj.pk}).update(
        read_at=timezone.now()
    )
    if read and getattr(user, "unread_notice_count", None) is not None:
        user.unread_notice_count = max(0, user.unread_notice_count - read)  # the header of this very page


def mark_all_read(user) -> int:
    return Notice.objects.filter(recipient=user, read_at=None).update(read_at=timezone.now())


def mark_read(user, notice_id: int) -> Notice | None:
    notice = Notice.objects.filter(recipient=user, pk=notice_id).select_related("activity").first()
    if notice is not None and notice.read_at is None:
        notice.read_at = timezone.now()
        notice.save(update_fields=["read_at"])
    return notice
