from django.urls import path

from drafting import views

app_name = "drafting"

urlpatterns = [
    path("", views.home, name="home"),
    path("concept/<int:pk>/", views.concept_toc, name="concept-toc"),
    path("concept/<int:pk>/document/", views.concept_document, name="concept-document"),
    path("concept/<int:pk>/outline/", views.concept_outline, name="concept-outline"),
    path("concept/<int:pk>/sections/add/", views.section_add, name="section-add"),
    path("sections/<int:pk>/", views.section_detail, name="section-detail"),
    path("sections/<int:pk>/edit/", views.section_edit, name="section-edit"),
    path("sections/<int:pk>/history/", views.section_history, name="section-history"),
    path("sections/<int:pk>/compare/", views.section_compare, name="section-compare"),
    path("sections/<int:pk>/revisions/<int:version>/", views.section_revision, name="section-revision"),
    path("sections/<int:pk>/attribution/", views.section_attribution, name="section-attribution"),
    path("sections/<int:pk>/revert/", views.section_revert, name="section-revert"),
    path("sections/<int:pk>/outline/<slug:action>/", views.section_outline_change, name="section-outline-change"),
]
