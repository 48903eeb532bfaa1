from django.contrib import admin
from django.urls import include, path
from django.utils.translation import gettext_lazy as _

admin.site.site_header = _("KISI Concept Portal: administration")
admin.site.site_title = _("KISI Concept Portal")
admin.site.index_title = _("Revision history and records")

urlpatterns = [
    path("admin/", admin.site.urls),
    path("accounts/", include("django.contrib.auth.urls")),
    path("members/", include("members.urls")),
    path("", include("drafting.urls")),
]
