from django.contrib import admin
from django.urls import include, path
from django.utils.translation import gettext_lazy as _

from kisi_portal import views
from members import views as member_views

admin.site.site_header = _("KISI Concept Portal: administration")
admin.site.site_title = _("KISI Concept Portal")
admin.site.index_title = _("Revision history and records")

# Error pages that never read the request body again and never need the database.
handler400 = "kisi_portal.views.bad_request"
handler500 = "kisi_portal.views.server_error"

urlpatterns = [
    path("healthz", views.healthz, name="healthz"),
    path("admin/", admin.site.urls),
    # Before django.contrib.auth.urls: the same work, and the same answer time, for every address.
    path("accounts/password_reset/", views.password_reset, name="password_reset"),
    # The second step of signing in, next to the first (django.contrib.auth's pages below).
    path("accounts/two-factor/", member_views.two_factor_setup, name="two-factor-setup"),
    path("accounts/two-factor/code/", member_views.two_factor_verify, name="two-factor-verify"),
    path("accounts/", include("django.contrib.auth.urls")),
    path("members/", include("members.urls")),
    path("notifications/", include("notifications.urls")),
    path("search/", include("search.urls")),
    path("", include("drafting.urls")),
]
