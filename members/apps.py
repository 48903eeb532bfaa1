from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class MembersConfig(AppConfig):
    name = "members"
    verbose_name = _("Working Group")

    def ready(self):
        from members.roles import ensure_role_groups

        # Groups hold permissions, and permissions only exist after migrate; so the
        # groups are (re)built after every migrate, tests' databases included.
        post_migrate.connect(ensure_role_groups, dispatch_uid="members.ensure_role_groups")
