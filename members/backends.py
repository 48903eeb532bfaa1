from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend
from django.contrib.auth.models import Group, Permission
from django.core.exceptions import ObjectDoesNotExist
from django.db.models import Count, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce

from members.roles import ROLE_GROUPS, WORKING_GROUP_PERMISSIONS, seat_permissions


class MemberBackend(ModelBackend):
    """Django's ModelBackend, made cheaper for what every page asks, with the seat as the one source of roles.

    Every page's header names the person and their role, its language is the one they saved,
    and its navigation depends on their permissions. So the Working Group seat and the account
    settings come with the user in the one query made per request, and the permissions come
    in one query, not two.

    What a person may do in the Working Group follows their seat alone (`Expert.role`,
    `Expert.is_active`, see members/roles.py): changing the role or the seat's activity in the
    admin changes their powers on their next request. Groups and permissions given by hand add
    only other powers (the Staff group's admin permissions); the role groups add nothing.
    """

    def get_user(self, user_id):
        """The person, with their seat, their settings and their unread notices' count, in one query.

        The count is the header's counter on every page (notifications.context_processors), so it
        comes as a subquery of this one rather than as a query of its own.
        """
        from drafting.models import Notice

        unread = (
            Notice.objects.filter(recipient=OuterRef("pk"), read_at=None)
            .order_by()
            .values("recipient")
            .annotate(n=Count("pk"))
            .values("n")
        )
        user = (
            get_user_model()
            ._default_manager.select_related("expert", "account_settings")
            .annotate(unread_notice_count=Coalesce(Subquery(unread), 0))
            .filter(pk=user_id)
            .first()
        )
        return user if user is not None and self.user_can_authenticate(user) else None

    def has_perm(self, user_obj, perm, obj=None):
        """A Working Group permission is answered from the seat alone, with no query.

        Only a seat grants those (groups and hand-given permissions never add one, see
        `_account_permissions`), so the account's other permissions need not be read for them:
        the navigation asks two of them on every page.
        """
        if perm in WORKING_GROUP_PERMISSIONS and obj is None and not user_obj.is_anonymous:
            return user_obj.is_active and perm in seat_permissions(_seat(user_obj))
        return super().has_perm(user_obj, perm, obj)

    def get_all_permissions(self, user_obj, obj=None):
        if not user_obj.is_active or user_obj.is_anonymous or obj is not None:
            return set()
        if not hasattr(user_obj, "_perm_cache"):
            user_obj._perm_cache = self._account_permissions(user_obj) | seat_permissions(_seat(user_obj))
        return user_obj._perm_cache

    def _account_permissions(self, user_obj) -> set[str]:
        """Permissions the account holds through groups other than the role groups, or by hand."""
        permissions = Permission.objects.all()
        if not user_obj.is_superuser:
            other_groups = Group.objects.filter(user=user_obj).exclude(name__in=ROLE_GROUPS)
            permissions = permissions.filter(Q(user=user_obj) | Q(group__in=other_groups))
        rows = permissions.values_list("content_type__app_label", "codename").distinct()
        codes = {f"{app_label}.{codename}" for app_label, codename in rows}
        return codes if user_obj.is_superuser else codes - WORKING_GROUP_PERMISSIONS


def _seat(user_obj):
    try:
        return user_obj.expert
    except ObjectDoesNotExist:
        return None
