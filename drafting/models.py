from datetime import timedelta

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from simple_history.models import HistoricalRecords


def default_parallel_languages() -> list[str]:
    """The state language beside the drafting language (Russian): a Concept is published in both."""
    return ["kk"]


class Concept(models.Model):
    """The document the Working Group writes: one Concept, many numbered sections."""

    class Status(models.TextChoices):
        DRAFTING = "drafting", _("Drafting")
        UNDER_REVIEW = "under_review", _("Under review")
        ADOPTED = "adopted", _("Adopted")

    class Language(models.TextChoices):
        """The languages a Concept's text is written in (not the interface's: settings.LANGUAGES)."""

        KAZAKH = "kk", _("Kazakh")
        RUSSIAN = "ru", _("Russian")
        ENGLISH = "en", _("English")

    title = models.CharField(_("title"), max_length=300)
    status = models.CharField(_("status"), max_length=16, choices=Status.choices, default=Status.DRAFTING)
    # Proposals, positions, comments and merges act on the drafting language's text (Section.body);
    # each parallel language has one ParallelText per section, kept in step with it.
    drafting_language = models.CharField(
        _("drafting language"), max_length=8, choices=Language.choices, default=Language.RUSSIAN
    )
    parallel_languages = models.JSONField(
        _("parallel languages"), default=default_parallel_languages, blank=True, help_text=_('For example ["kk"].')
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["pk"]
        verbose_name = _("concept")
        verbose_name_plural = _("concepts")

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("drafting:concept-document", args=[self.pk])


class RevisionKind(models.TextChoices):
    """Why a section got a new revision; stored on its history row with its data (`change_data`).

    The sentence a reader sees ("Reverted to revision 3") is made from the kind and the data when
    the page is shown (drafting.selectors.sentences.revision_reason), in the reader's language;
    `history_change_reason` keeps only a person's own words (an edit summary).
    """

    CREATE = "create", _("Created")
    EDIT = "edit", _("Edited")
    MERGE = "merge", _("Merged proposal")
    REVERT = "revert", _("Reverted")
    RENAME = "rename", _("Renamed")
    MOVE = "move", _("Moved")
    REPARENT = "reparent", _("Moved to another place")
    RETIRE = "retire", _("Retired")
    RESTORE = "restore", _("Restored")
    ADMIN = "admin", _("Changed in the admin")
    # Parallel texts only: a translator confirmed the text still says what the drafting text says,
    # which raises `source_version` without a new text revision.
    CHECKED = "checked", _("Checked as still accurate")
    OUTLINE = "outline", _("Outline change")  # rows written before the outline kinds above


class ChangeReason(models.TextChoices):
    """What a service did to a proposal, comment, position, edition, meeting or agenda item.

    Stored as the code in `history_change_reason` of those models' history rows; the label is
    shown in the reader's language. A person's own words stay in their own field
    (`Proposal.decision_reason`, `AgendaItem.note`, `Position.reason`).
    """

    PROPOSED = "proposed", _("Proposed")
    REVISED = "revised", _("Revised by the author")
    WITHDRAWN = "withdrawn", _("Withdrawn by the author")
    REJECTED = "rejected", _("Rejected")
    MERGED = "merged", _("Merged")
    NEEDS_REVIEW = "needs-review", _("Needs review: another proposal changed the same passage")
    AGREED = "agreed", _("Agreed at a meeting")
    WRITTEN = "written", _("Written")
    EDITED = "edited", _("Edited by the author")
    RESOLVED = "resolved", _("Resolved")
    REOPENED = "reopened", _("Reopened")
    POSITION_TAKEN = "position-taken", _("Took a position")
    POSITION_CHANGED = "position-changed", _("Changed position")
    FROZEN = "frozen", _("Frozen")
    SCHEDULED = "scheduled", _("Scheduled")
    MINUTES = "minutes", _("Minutes and attendance recorded")
    AGENDA = "agenda", _("Put on the agenda")
    OUTCOME = "outcome", _("Outcome recorded")
    CANCELLED = "cancelled", _("Cancelled")


def change_reason_display(code: str | None) -> str:
    """The label of a stored change-reason code, in the reader's language; anything else as it is."""
    if not code:
        return ""
    labels = dict(ChangeReason.choices)
    return str(labels[code]) if code in labels else code


class SectionRevisionFields(models.Model):
    """Extra columns of a section's history row (see drafting/history.py)."""

    change_kind = models.CharField(
        _("kind of change"), max_length=16, choices=RevisionKind.choices, default=RevisionKind.EDIT
    )
    # What the sentence of a system-made change needs: {"to_version": 3}, {"old_heading": "…"},
    # {"direction": "up"}, {"parent_heading": "…"}, {"proposal": 7, "author": "…"}, {"starter": true}.
    change_data = models.JSONField(_("data of the change"), default=dict, blank=True)
    proposal = models.ForeignKey(
        "drafting.Proposal",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("merged proposal"),
    )
    # Written with the row (drafting/history.py), so pages never read old bodies to show them.
    size = models.PositiveIntegerField(_("size in characters"), default=0)
    size_change = models.IntegerField(_("size change"), default=0)
    # The revision that last changed each paragraph of this revision's text ("who wrote this"),
    # computed from the revision before when the row is written.
    paragraph_origins = models.JSONField(_("origin of each paragraph"), null=True, blank=True, editable=False)

    class Meta:
        abstract = True

    def reason_display(self) -> str:
        """Why this revision was made, in the reader's language."""
        from drafting.selectors.sentences import revision_reason

        return revision_reason(self.change_kind, self.change_data, self.history_change_reason)


class SectionHistory(HistoricalRecords):
    """Section history with an index on (section, revision): every page that reads a revision
    finds its row directly, instead of scanning the section's whole history."""

    def get_meta_options(self, model):
        options = super().get_meta_options(model)
        options["indexes"] = [models.Index(fields=["id", "version"], name="section_revision_idx")]
        return options


class SectionQuerySet(models.QuerySet):
    def current(self):
        return self.filter(is_retired=False)


class Section(models.Model):
    """A numbered part of the Concept. Its number is derived from the outline, never stored.

    `version` rises by one on every change, and the history row of that change carries the
    same number: "revision N" in the interface. Every write goes through drafting/services.py.
    """

    concept = models.ForeignKey(Concept, on_delete=models.PROTECT, related_name="sections", verbose_name=_("concept"))
    parent = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="children", verbose_name=_("parent")
    )
    order = models.PositiveIntegerField(_("order"), default=0)
    heading = models.CharField(_("heading"), max_length=300)
    body = models.TextField(_("text (Markdown)"), blank=True)
    # Derived from `body` by drafting.markdown, once per revision; excluded from history.
    body_html = models.TextField(editable=False, blank=True)
    version = models.PositiveIntegerField(_("revision"), default=1, editable=False)
    is_retired = models.BooleanField(_("retired"), default=False)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("last changed"), auto_now=True)

    history = SectionHistory(excluded_fields=["body_html"], bases=[SectionRevisionFields])
    objects = SectionQuerySet.as_manager()

    class Meta:
        ordering = ["order", "pk"]
        verbose_name = _("section")
        verbose_name_plural = _("sections")
        permissions = [
            ("edit_section_text", _("Can edit the text of sections")),
            ("shape_outline", _("Can add, move, rename and retire sections")),
            ("revert_section", _("Can revert a section to a past revision")),
        ]

    def __str__(self):
        return self.heading

    def get_absolute_url(self):
        return reverse("drafting:section-detail", args=[self.pk])

    @property
    def html(self):
        # body_html is written only by drafting.markdown.render_markdown (sanitised).
        return mark_safe(self.body_html)


class ParallelText(models.Model):
    """A section's text in one parallel language of its Concept (Kazakh by default), with its own history.

    `source_version` is the section's revision this text translates: the text is current when it
    equals `section.version`, out of date otherwise, and missing when there is no row. `version`
    is its own revision counter, as a section's; its history rows carry the same extra columns as
    a section's (kind of change, size, paragraph origins), so history, compare and "who wrote
    this" work on it the same way. Every write goes through drafting/services/parallel.py.
    """

    section = models.ForeignKey(
        Section, on_delete=models.PROTECT, related_name="parallel_texts", verbose_name=_("section")
    )
    language = models.CharField(_("language"), max_length=8, choices=Concept.Language.choices)
    heading = models.CharField(_("heading"), max_length=300, blank=True)
    body = models.TextField(_("text (Markdown)"), blank=True)
    body_html = models.TextField(editable=False, blank=True)
    version = models.PositiveIntegerField(_("revision"), default=1, editable=False)
    source_version = models.PositiveIntegerField(_("translates revision"), null=True, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("last changed"), auto_now=True)

    history = HistoricalRecords(excluded_fields=["body_html"], bases=[SectionRevisionFields])

    class Meta:
        ordering = ["section", "language"]
        verbose_name = _("parallel text")
        verbose_name_plural = _("parallel texts")
        constraints = [models.UniqueConstraint(fields=["section", "language"], name="one_text_per_language")]

    def __str__(self):
        return f"{self.section} [{self.language}]"

    @property
    def is_current(self) -> bool:
        return self.source_version == self.section.version

    @property
    def html(self):
        # body_html is written only by drafting.markdown.render_markdown (sanitised).
        return mark_safe(self.body_html)


class ProposalQuerySet(models.QuerySet):
    """The rules for which proposals count, written once."""

    OPEN_STATUSES = ("open", "needs_review")

    def open(self):
        """Proposals still waiting for a decision: open, or needing review against a new text."""
        return self.filter(status__in=self.OPEN_STATUSES)

    def for_concept(self, concept):
        return self.filter(concept=concept)

    def with_stance_counts(self):
        """Each proposal's positions counted by stance, and acceptance counted per bloc (one query)."""
        from members.models import Expert

        accepting = [Position.Stance.SUPPORT, Position.Stance.LIVE_WITH]
        return self.annotate(
            supports=models.Count("positions", filter=Q(positions__stance=Position.Stance.SUPPORT)),
            live_withs=models.Count("positions", filter=Q(positions__stance=Position.Stance.LIVE_WITH)),
            objections=models.Count("positions", filter=Q(positions__stance=Position.Stance.OBJECT)),
            supports_scientific=models.Count(
                "positions", filter=Q(positions__stance__in=accepting, positions__expert__bloc=Expert.Bloc.SCIENTIFIC)
            ),
            supports_practitioner=models.Count(
                "positions", filter=Q(positions__stance__in=accepting, positions__expert__bloc=Expert.Bloc.PRACTITIONER)
            ),
        )


class Proposal(models.Model):
    """An amendment to a section, or a new section, put forward by an expert.

    An amendment records the section revision it started from (`base_version`), so a
    stale proposal can be merged word by word instead of overwriting what changed since.
    """

    class Kind(models.TextChoices):
        AMENDMENT = "amendment", _("Amendment")
        NEW_SECTION = "new_section", _("New section")

    class Status(models.TextChoices):
        OPEN = "open", _("Open")
        NEEDS_REVIEW = "needs_review", _("Needs review against the new text")
        MERGED = "merged", _("Merged")
        REJECTED = "rejected", _("Rejected")
        WITHDRAWN = "withdrawn", _("Withdrawn")

    concept = models.ForeignKey(Concept, on_delete=models.PROTECT, related_name="proposals", verbose_name=_("concept"))
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices, default=Kind.AMENDMENT)
    section = models.ForeignKey(
        Section,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="proposals",
        verbose_name=_("section"),
        help_text=_("The section an amendment changes; for a new section, the section it produced."),
    )
    base_version = models.PositiveIntegerField(_("base revision"), null=True, blank=True)
    new_parent = models.ForeignKey(
        Section,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("parent of the new section"),
    )
    heading = models.CharField(_("heading of the new section"), max_length=300, blank=True)
    title = models.CharField(_("title"), max_length=200)
    text = models.TextField(_("proposed text"), blank=True)
    rationale = models.TextField(_("rationale"), blank=True)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="proposals", verbose_name=_("author")
    )
    status = models.CharField(_("status"), max_length=16, choices=Status.choices, default=Status.OPEN)
    created_at = models.DateTimeField(pgettext_lazy("date of a proposal", "proposed"), auto_now_add=True)
    updated_at = models.DateTimeField(_("last changed"), auto_now=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("decided by"),
    )
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)
    decision_reason = models.TextField(_("reason for the decision"), blank=True)
    merged_version = models.PositiveIntegerField(_("revision produced"), null=True, blank=True)
    agreed_meeting = models.ForeignKey(
        "drafting.Meeting",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("agreed at the meeting"),
    )

    history = HistoricalRecords()
    objects = ProposalQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("proposal")
        verbose_name_plural = _("proposals")
        permissions = [("decide_proposal", _("Can merge or reject proposals"))]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind="new_section") | Q(section__isnull=False, base_version__isnull=False),
                name="amendment_has_section_and_base",
            )
        ]

    def __str__(self):
        return f"#{self.pk} {self.title}"

    def get_absolute_url(self):
        return reverse("drafting:proposal-detail", args=[self.pk])

    @property
    def is_open(self) -> bool:
        return self.status in ProposalQuerySet.OPEN_STATUSES


class DocumentChange(models.Model):
    """One row for each change that shows on the document page: a revision of a section (its text or
    its place in the outline), a comment on a section written, edited, resolved or reopened, a parallel
    text saved or checked. The newest row's id is the document's stamp, the key of its cached body
    (drafting.selectors.documents): one index lookup, and since each change inserts its own row, no
    write ever waits on another for it. Written by drafting.services.revisions.document_changed.
    """

    concept = models.ForeignKey(Concept, on_delete=models.CASCADE, related_name="+")

    class Meta:
        indexes = [models.Index(fields=["concept", "-id"], name="document_change_newest")]


class Comment(models.Model):
    """A threaded comment on a section or on a proposal, optionally quoting a passage."""

    section = models.ForeignKey(
        Section, on_delete=models.PROTECT, null=True, blank=True, related_name="comments", verbose_name=_("section")
    )
    proposal = models.ForeignKey(
        Proposal, on_delete=models.PROTECT, null=True, blank=True, related_name="comments", verbose_name=_("proposal")
    )
    parent = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="replies", verbose_name=_("reply to")
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="comments", verbose_name=_("author")
    )
    body = models.TextField(_("comment (Markdown)"))
    body_html = models.TextField(editable=False, blank=True)
    # A W3C TextQuoteSelector: the quoted passage with a little context either side.
    quote = models.TextField(_("quoted passage"), blank=True)
    quote_prefix = models.CharField(max_length=64, blank=True)
    quote_suffix = models.CharField(max_length=64, blank=True)
    quote_version = models.PositiveIntegerField(_("quoted revision"), null=True, blank=True)
    is_resolved = models.BooleanField(_("resolved"), default=False)
    created_at = models.DateTimeField(_("written"), auto_now_add=True)
    updated_at = models.DateTimeField(_("last changed"), auto_now=True)

    history = HistoricalRecords(excluded_fields=["body_html"])

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("comment")
        verbose_name_plural = _("comments")
        permissions = [("resolve_any_comment", _("Can resolve and reopen any thread"))]
        constraints = [
            models.CheckConstraint(
                condition=Q(section__isnull=False, proposal__isnull=True)
                | Q(section__isnull=True, proposal__isnull=False),
                name="comment_on_section_or_proposal",
            )
        ]

    def __str__(self):
        return f"{self.author}: {self.body[:60]}"

    @property
    def html(self):
        # body_html is written only by drafting.markdown.render_markdown (sanitised).
        return mark_safe(self.body_html)


class Position(models.Model):
    """One expert's stance on one proposal: the raw material of consensus."""

    class Stance(models.TextChoices):
        SUPPORT = "support", _("Support")
        LIVE_WITH = "live_with", _("Can live with it")
        OBJECT = "object", _("Object")

    proposal = models.ForeignKey(
        Proposal, on_delete=models.PROTECT, related_name="positions", verbose_name=_("proposal")
    )
    expert = models.ForeignKey(
        "members.Expert", on_delete=models.PROTECT, related_name="positions", verbose_name=_("expert")
    )
    stance = models.CharField(_("stance"), max_length=16, choices=Stance.choices)
    reason = models.TextField(_("reason"), blank=True)
    updated_at = models.DateTimeField(_("last changed"), auto_now=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["expert__full_name"]
        verbose_name = _("position")
        verbose_name_plural = _("positions")
        constraints = [
            models.UniqueConstraint(fields=["proposal", "expert"], name="one_position_per_expert"),
            models.CheckConstraint(condition=~Q(stance="object") | ~Q(reason=""), name="objection_has_reason"),
        ]

    def __str__(self):
        return f"{self.expert}: {self.get_stance_display()}"


class Activity(models.Model):
    """Something that happened in the drafting, for "what changed since my last visit".

    It stores the kind of event (`verb`), who and what it concerns, and the rest of its data
    (`data`: a title, a heading, a revision, a reason a person typed); the sentence is made in the
    reader's language when it is shown (`sentence()`), never stored.
    """

    class Verb(models.TextChoices):
        EDITED = "edited", _("edited")
        PROPOSED = "proposed", _("proposed")
        REVISED = "revised", _("revised a proposal")
        WITHDREW = "withdrew", _("withdrew")
        MERGED = "merged", _("merged")
        NEEDS_REVIEW = "needs_review", _("asked for review")
        REJECTED = "rejected", _("rejected")
        COMMENTED = "commented", _("commented")
        TOOK_POSITION = "took_position", _("took a position")
        OBJECTED = "objected", _("objected")
        ADDED_SECTION = "added_section", _("added a section")
        REVERTED = "reverted", _("reverted")
        RENAMED = "renamed", _("renamed")
        MOVED = "moved", _("moved")
        REPARENTED = "reparented", _("moved to another place")
        RETIRED = "retired", _("retired")
        RESTORED = "restored", _("restored")
        OUTLINE = "outline", _("changed the outline")
        FROZE = "froze", _("froze")
        SCHEDULED = "scheduled", _("scheduled a meeting")
        RESCHEDULED = "rescheduled", _("changed a meeting")
        MINUTED = "minuted", _("published the minutes")
        CANCELLED = "cancelled", _("cancelled a meeting")
        MENTIONED = "mentioned", _("mentioned")
        # Parallel texts (drafting/services/parallel.py): data has the language and the revisions.
        TRANSLATED = "translated", _("updated a translation")
        CONFIRMED = "confirmed", _("confirmed a translation")

    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+")
    verb = models.CharField(max_length=16, choices=Verb.choices)
    data = models.JSONField(default=dict, blank=True)
    section = models.ForeignKey(Section, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    proposal = models.ForeignKey(Proposal, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    meeting = models.ForeignKey("Meeting", on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("activity")
        verbose_name_plural = _("activity")

    def __str__(self):
        return self.sentence()

    def get_absolute_url(self):
        if self.proposal_id:
            return reverse("drafting:proposal-detail", args=[self.proposal_id])
        if self.section_id:
            return reverse("drafting:section-detail", args=[self.section_id])
        if self.meeting_id:
            return reverse("drafting:meeting-detail", args=[self.meeting_id])
        return reverse("drafting:home")

    def sentence(self) -> str:
        """The event as one sentence in the active language (drafting.selectors.sentences)."""
        from drafting.selectors.sentences import activity_sentence

        return activity_sentence(self)


class Notice(models.Model):
    """Tells one person about an activity that concerns them (their proposal merged, objected to, ...).

    `category` is why it concerns them (notifications.categories: a decision on my proposal, an
    edit on a watched section, ...), which decides how it is mailed; `mailed_at` is when it went
    out by mail (alone or in a digest), so no notice is mailed twice.
    """

    recipient = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notices")
    activity = models.ForeignKey(Activity, on_delete=models.CASCADE, related_name="notices")
    category = models.CharField(max_length=24, blank=True, default="")
    read_at = models.DateTimeField(null=True, blank=True)
    mailed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-activity__created_at", "-pk"]
        constraints = [models.UniqueConstraint(fields=["recipient", "activity"], name="one_notice_per_activity")]
        indexes = [models.Index(fields=["recipient", "read_at"], name="notice_unread")]


class LastVisit(models.Model):
    """When a person last opened "what changed", so the page can mark what is new to them."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    seen_at = models.DateTimeField()


class Edition(models.Model):
    """The whole Concept frozen under a name. Each entry points at a section's revision;
    the text itself stays in the history table, never copied."""

    concept = models.ForeignKey(Concept, on_delete=models.PROTECT, related_name="editions", verbose_name=_("concept"))
    name = models.CharField(
        _("name"), max_length=200, help_text=_("For example “Draft 0.3 for the meeting of 12 June”.")
    )
    note = models.TextField(_("note"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("frozen by")
    )
    created_at = models.DateTimeField(_("frozen"), auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("edition")
        verbose_name_plural = _("editions")
        permissions = [("freeze_edition", _("Can freeze editions"))]
        constraints = [models.UniqueConstraint(fields=["concept", "name"], name="unique_edition_name")]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("drafting:edition-detail", args=[self.pk])


class EditionSection(models.Model):
    """One section as it stood in an edition: its revision and its place in the outline."""

    edition = models.ForeignKey(Edition, on_delete=models.CASCADE, related_name="entries")
    section = models.ForeignKey(Section, on_delete=models.PROTECT, related_name="+")
    version = models.PositiveIntegerField()
    position = models.PositiveIntegerField()
    number = models.CharField(max_length=32)
    depth = models.PositiveSmallIntegerField()
    heading = models.CharField(max_length=300)
    parent = models.ForeignKey(Section, on_delete=models.PROTECT, null=True, blank=True, related_name="+")

    class Meta:
        ordering = ["edition", "position"]
        constraints = [models.UniqueConstraint(fields=["edition", "section"], name="one_entry_per_section")]


class EditionParallelText(models.Model):
    """A parallel text as an edition froze it: its revision (none if it was missing), the section
    revision it translated, and whether that was the section's revision in the edition."""

    edition = models.ForeignKey(Edition, on_delete=models.CASCADE, related_name="parallel_entries")
    section = models.ForeignKey(Section, on_delete=models.PROTECT, related_name="+")
    language = models.CharField(max_length=8, choices=Concept.Language.choices)
    version = models.PositiveIntegerField(null=True, blank=True)
    source_version = models.PositiveIntegerField(null=True, blank=True)
    is_current = models.BooleanField(default=False)

    class Meta:
        ordering = ["edition", "section", "language"]
        constraints = [
            models.UniqueConstraint(fields=["edition", "section", "language"], name="one_parallel_entry_per_language")
        ]


DEFAULT_MEETING_LENGTH = timedelta(hours=2)
MAX_MEETING_LENGTH = timedelta(hours=12)


class Meeting(models.Model):
    """A videoconference of the Working Group: agenda, attendance, minutes and outcomes."""

    concept = models.ForeignKey(Concept, on_delete=models.PROTECT, related_name="meetings", verbose_name=_("concept"))
    title = models.CharField(_("title"), max_length=200)
    starts_at = models.DateTimeField(_("date and time"))
    duration = models.DurationField(_("length"), default=DEFAULT_MEETING_LENGTH)
    video_url = models.URLField(_("videoconference link"), blank=True)
    agenda_note = models.TextField(_("agenda notes"), blank=True)
    minutes = models.TextField(_("minutes (Markdown)"), blank=True)
    minutes_html = models.TextField(editable=False, blank=True)
    attendees = models.ManyToManyField(
        "members.Expert", blank=True, related_name="meetings", verbose_name=_("attendance")
    )
    # Who is invited; nobody named means the whole Working Group (every active member).
    invitees = models.ManyToManyField(
        "members.Expert", blank=True, related_name="invited_to", verbose_name=_("invited")
    )
    edition = models.ForeignKey(
        Edition,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="meetings",
        verbose_name=_("the draft discussed"),
    )
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    cancelled_at = models.DateTimeField(_("cancelled at"), null=True, blank=True)
    cancelled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("cancelled by"),
    )
    cancel_reason = models.TextField(_("reason for cancelling"), blank=True)

    history = HistoricalRecords(excluded_fields=["minutes_html"], m2m_fields=[attendees, invitees])

    class Meta:
        ordering = ["-starts_at", "-pk"]
        verbose_name = _("meeting")
        verbose_name_plural = _("meetings")
        permissions = [("run_meeting", _("Can schedule meetings and record outcomes"))]
        constraints = [
            models.CheckConstraint(
                condition=Q(duration__gt=timedelta(0)) & Q(duration__lte=MAX_MEETING_LENGTH),
                name="meeting_length_positive_and_bounded",
            ),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("drafting:meeting-detail", args=[self.pk])

    @property
    def ends_at(self):
        return self.starts_at + self.duration

    @property
    def is_cancelled(self) -> bool:
        return self.cancelled_at is not None

    @property
    def html(self):
        # minutes_html is written only by drafting.markdown.render_markdown (sanitised).
        return mark_safe(self.minutes_html)


class AgendaItem(models.Model):
    class Outcome(models.TextChoices):
        PENDING = "pending", _("Not discussed yet")
        AGREED = "agreed", _("Agreed")
        POSTPONED = "postponed", _("Postponed")
        REJECTED = "rejected", _("Rejected")

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="items")
    proposal = models.ForeignKey(Proposal, on_delete=models.PROTECT, related_name="agenda_items")
    order = models.PositiveIntegerField(default=0)
    outcome = models.CharField(_("outcome"), max_length=16, choices=Outcome.choices, default=Outcome.PENDING)
    note = models.TextField(_("note"), blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["meeting", "order", "pk"]
        constraints = [models.UniqueConstraint(fields=["meeting", "proposal"], name="proposal_once_per_agenda")]


class SubmissionToken(models.Model):
    """A form that creates something, sent once: the one-time token it carried and what it created.

    Every creating form carries a random token made when it is shown. The first submission claims
    the token (the unique constraint decides between two that arrive at once) and records what it
    created; a second submission of the same form (a double click, a retry after a slow answer)
    finds the claim and leads to the first result instead of creating a duplicate. A token counts
    only for the person it was claimed by. `fingerprint` is a hash of what was sent, so a form
    sent again with other content (the back button, then new text) is not mistaken for a repeat.
    """

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    token = models.CharField(max_length=64)
    fingerprint = models.CharField(max_length=64)
    target_type = models.ForeignKey(ContentType, on_delete=models.CASCADE, null=True, related_name="+")
    target_id = models.PositiveBigIntegerField(null=True)
    target = GenericForeignKey("target_type", "target_id")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "token"], name="one_submission_per_token")]

    def __str__(self):
        return self.token
