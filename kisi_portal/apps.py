from django.apps import AppConfig


class PortalConfig(AppConfig):
    """The site itself: no models, only the session bookkeeping that starts at sign-in."""

    name = "kisi_portal"
    verbose_name = "KISI Concept Portal"

    def ready(self):
        from django.contrib.auth.signals import user_logged_in

        from kisi_portal.middleware import session_started

        # At sign-in the session is written anyway: the idle clock starts in that same write.
        user_logged_in.connect(session_started, dispatch_uid="kisi_portal.session_started")
