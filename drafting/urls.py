from django.urls import path

from drafting.views import (
    boards,
    comments,
    dashboard,
    editions,
    meetings,
    outline,
    parallel,
    proposals,
    sections,
    suggestions,
    word,
)

app_name = "drafting"

urlpatterns = [
    path("", dashboard.dashboard, name="home"),
    path("activity/", dashboard.activity, name="activity"),
    # Reading and editing sections
    path("concept/<int:pk>/", sections.concept_toc, name="concept-toc"),
    path("concept/<int:pk>/document/", sections.concept_document, name="concept-document"),
    path("sections/<int:pk>/", sections.section_detail, name="section-detail"),
    path("sections/<int:pk>/edit/", sections.section_edit, name="section-edit"),
    path("sections/<int:pk>/history/", sections.section_history, name="section-history"),
    path("sections/<int:pk>/compare/", sections.section_compare, name="section-compare"),
    path("sections/<int:pk>/revisions/<int:version>/", sections.section_revision, name="section-revision"),
    path("sections/<int:pk>/attribution/", sections.section_attribution, name="section-attribution"),
    path("sections/<int:pk>/revert/", sections.section_revert, name="section-revert"),
    # The outline (coordinators)
    path("concept/<int:pk>/outline/", outline.concept_outline, name="concept-outline"),
    path("concept/<int:pk>/sections/add/", outline.section_add, name="section-add"),
    path("sections/<int:pk>/move-up/", outline.section_move_up, name="section-move-up"),
    path("sections/<int:pk>/move-down/", outline.section_move_down, name="section-move-down"),
    path("sections/<int:pk>/rename/", outline.section_rename, name="section-rename"),
    path("sections/<int:pk>/reparent/", outline.section_reparent, name="section-reparent"),
    path("sections/<int:pk>/retire/", outline.section_retire, name="section-retire"),
    path("sections/<int:pk>/restore/", outline.section_restore, name="section-restore"),
    # Proposals and positions
    path("sections/<int:pk>/propose/", proposals.proposal_create, name="proposal-create"),
    path("concept/<int:pk>/propose-section/", proposals.proposal_create_section, name="proposal-create-section"),
    path("concept/<int:pk>/proposals/", proposals.proposal_list, name="proposal-list"),
    path("proposals/<int:pk>/", proposals.proposal_detail, name="proposal-detail"),
    path("proposals/<int:pk>/edit/", proposals.proposal_edit, name="proposal-edit"),
    path("proposals/<int:pk>/withdraw/", proposals.proposal_withdraw, name="proposal-withdraw"),
    path("proposals/<int:pk>/position/", proposals.position_record, name="position-record"),
    path("proposals/<int:pk>/merge/", proposals.proposal_merge, name="proposal-merge"),
    path("proposals/<int:pk>/reject/", proposals.proposal_reject, name="proposal-reject"),
    # Boards
    path("sections/<int:pk>/board/", boards.section_board, name="section-board"),
    path("concept/<int:pk>/merge-queue/", boards.merge_queue, name="merge-queue"),
    # Comments
    path("sections/<int:pk>/comments/", comments.section_comment_add, name="section-comment-add"),
    path("proposals/<int:pk>/comments/", comments.proposal_comment_add, name="proposal-comment-add"),
    path("comments/<int:pk>/edit/", comments.comment_edit, name="comment-edit"),
    path("comments/<int:pk>/resolve/", comments.comment_resolve, name="comment-resolve"),
    # Editions and exports
    path("concept/<int:pk>/editions/", editions.edition_list, name="edition-list"),
    path("concept/<int:pk>/editions/compare/", editions.edition_compare, name="edition-compare"),
    path("concept/<int:pk>/export.<slug:fmt>", editions.document_export, name="document-export"),
    path("editions/<int:pk>/", editions.edition_detail, name="edition-detail"),
    # Meetings
    path("concept/<int:pk>/meetings/", meetings.meeting_list, name="meeting-list"),
    path("concept/<int:pk>/meetings/new/", meetings.meeting_create, name="meeting-create"),
    path("meetings/<int:pk>/", meetings.meeting_detail, name="meeting-detail"),
    path("meetings/<int:pk>/record/", meetings.meeting_record, name="meeting-record"),
    path("meetings/<int:pk>/outcome/", meetings.meeting_outcome, name="meeting-outcome"),
    path("meetings/<int:pk>/change/", meetings.meeting_change, name="meeting-change"),
    path("meetings/<int:pk>/cancel/", meetings.meeting_cancel, name="meeting-cancel"),
    # Reading together: highlights, suggestions on a selection (routes added below this line)
    path("sections/<int:pk>/suggest/", suggestions.section_suggest, name="section-suggest"),
    # Word: import, export with tracked changes, proposals from a Word file (routes added below this line)
    path("concept/<int:pk>/import-word/", word.word_import, name="word-import"),
    path("concept/<int:pk>/import-word/<str:sha256>/", word.word_import_preview, name="word-import-preview"),
    path("concept/<int:pk>/imported/<str:sha256>.docx", word.word_import_file, name="word-import-file"),
    path("concept/<int:pk>/propose-from-word/", word.word_proposals_upload, name="word-proposals"),
    path("concept/<int:pk>/propose-from-word/<str:sha256>/", word.word_proposals_review, name="word-proposals-review"),
    # Parallel texts: the Concept in Kazakh beside Russian (routes added below this line)
    path("concept/<int:pk>/translation/<slug:language>/", parallel.translation_overview, name="translation"),
    path("concept/<int:pk>/translation/<slug:language>/watch/", parallel.translation_watch, name="translation-watch"),
    path("sections/<int:pk>/parallel/<slug:language>/", parallel.parallel_edit, name="parallel-edit"),
    path(
        "sections/<int:pk>/parallel/<slug:language>/still-accurate/", parallel.parallel_confirm, name="parallel-confirm"
    ),
    path("sections/<int:pk>/parallel/<slug:language>/history/", parallel.parallel_history, name="parallel-history"),
    path("sections/<int:pk>/parallel/<slug:language>/compare/", parallel.parallel_compare, name="parallel-compare"),
    path(
        "sections/<int:pk>/parallel/<slug:language>/attribution/",
        parallel.parallel_attribution,
        name="parallel-attribution",
    ),
    path("sections/<int:pk>/parallel/<slug:language>/revert/", parallel.parallel_revert, name="parallel-revert"),
]
