from django.urls import path

from notifications import views

app_name = "notifications"

urlpatterns = [
    path("", views.notice_list, name="notices"),
    path("<int:pk>/open/", views.notice_open, name="notice-open"),
    path("read-all/", views.notices_mark_all_read, name="mark-all-read"),
    path("watch/", views.watch, name="watch"),
    path("unwatch/", views.unwatch, name="unwatch"),
    path("watching/", views.watching, name="watching"),
    path("settings/", views.mail_settings, name="settings"),
    path("unsubscribe/<str:token>/", views.unsubscribe, name="unsubscribe"),
    path("people.json", views.people, name="people"),
]
