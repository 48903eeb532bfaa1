from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend
from django.contrib.auth.models import Permission
from django.db.models import Q


class MemberBackend(ModelBackend):
    """Django's ModelBackend, made cheaper for what every page asks.

    Every page's header names the person and their role, its language is the one they saved,
    and its navigation depends on their permissions. So the Working Group seat and the account
    settings come with the user in the one query made per request, and the permissions of the
    person and of their groups come in one query, not two.
    """

    def get_user(self, user_id):
        user = get_user_model()._default_manager.select_related("expert", "account_settings").filter(pk=user_id).first()
        return user if user is not None and self.user_can_authenticate(user) else None

    def get_all_permissions(self, user_obj, obj=None):
        if not user_obj.is_active or user_obj.is_anonymous or obj is not None:
            return set()
        if not hasattr(user_obj, "_perm_cache"):
            permissions = Permission.objects.all()
            if not user_obj.is_superuser:
                permissions = permissions.filter(Q(user=user_obj) | Q(group__user=user_obj))
            rows = permissions.values_list("content_type__app_label", "codename").distinct()
            user_obj._perm_cache = {f"{app_label}.{codename}" for app_label, codename in rows}
        return user_obj._perm_cache
