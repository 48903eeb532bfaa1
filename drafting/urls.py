from django.urls import path

from drafting import proposal_views, views

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
    path("sections/<int:pk>/board/", proposal_views.section_board, name="section-board"),
    path("sections/<int:pk>/propose/", proposal_views.proposal_create, name="proposal-create"),
    path("concept/<int:pk>/propose-section/", proposal_views.proposal_create_section, name="proposal-create-section"),
    path("concept/<int:pk>/proposals/", proposal_views.proposal_list, name="proposal-list"),
    path("concept/<int:pk>/merge-queue/", proposal_views.merge_queue, name="merge-queue"),
    path("proposals/<int:pk>/", proposal_views.proposal_detail, name="proposal-detail"),
    path("proposals/<int:pk>/edit/", proposal_views.proposal_edit, name="proposal-edit"),
    path("proposals/<int:pk>/withdraw/", proposal_views.proposal_withdraw, name="proposal-withdraw"),
    path("proposals/<int:pk>/position/", proposal_views.position_record, name="position-record"),
    path("proposals/<int:pk>/merge/", proposal_views.proposal_merge, name="proposal-merge"),
    path("proposals/<int:pk>/reject/", proposal_views.proposal_reject, name="proposal-reject"),
    path("sections/<int:pk>/comments/", proposal_views.comment_add, {"target": "section"}, name="section-comment-add"),
    path("proposals/<int:pk>/comments/", proposal_views.comment_add, {"target": "proposal"}, name="proposal-comment-add"),
    path("comments/<int:pk>/edit/", proposal_views.comment_edit, name="comment-edit"),
    path("comments/<int:pk>/resolve/", proposal_views.comment_resolve, name="comment-resolve"),
    path("activity/", proposal_views.activity, name="activity"),
]
