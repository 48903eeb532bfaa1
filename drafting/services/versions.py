"""Saves from a page opened earlier: the version the page started from, and merging onto what changed since.

A comment, a proposal, a meeting and an agenda item have no version number of their own; their
history has one row per change, so the id of the latest history row when a form was opened is the
version it started from (`base_history_id`), and that row holds the text it showed. On save, under
the row lock, a stale form's text fields are merged word by word with what changed since
(`drafting.text.merge_three_way`), and its other fields are taken from whichever side changed them.
Overlapping changes are refused with `StaleConflict`; nothing is overwritten silently.

The services take `base_history_id=None` from callers that hold the current version (scripts,
tests); the portal's forms require the field, so a page never saves without it.
"""

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Max, OuterRef, Subquery
from django.utils.translation import gettext as _

from drafting.text import merge_three_way


class StaleConflict(ValidationError):
    """Someone else changed the same words (or the same choice) since the form was opened.

    `drafts` holds what the form should show next, by field: the person's text with the other
    change's non-overlapping parts merged in (the overlaps keep the person's words, and the message
    quotes the other's). `current_history_id` is the version the form starts from then: saving
    again after seeing the overlap is the person's decision, not an accident.
    """

    def __init__(self, messages, *, current_history_id: int | None, drafts: dict):
        super().__init__(messages)
        self.current_history_id = current_history_id
        self.drafts = drafts


class StaleMerge:
    """Merges a stale form's fields one by one, then refuses all overlaps at once (`check()`)."""

    def __init__(self, current_history_id: int | None):
        self.current_history_id = current_history_id
        self.drafts: dict = {}
        self.problems: list[str] = []

    def text(self, field: str, base: str, current: str, mine: str) -> str:
        """`mine` with what changed from `base` to `current` kept too."""
        merge = merge_three_way(base, current, mine)
        self.drafts[field] = merge.text
        if not merge.clean:
            first = merge.conflicts[0]
            self.problems.append(
                _(
                    "Since you opened this page, someone else changed the same words as you: it now reads "
                    "“%(current)s” where you wrote “%(mine)s”."
                )
                % {"current": first.current.strip() or "…", "mine": first.mine.strip() or "…"}
            )
        return merge.text

    def choice(self, field: str, base, current, mine, *, label, shown=str):
        """A field that is not text: whoever changed it wins; both changing it differently is a conflict."""
        if mine == base or current == mine:
            result = current
        elif current == base:
            result = mine
        else:
            result = mine
            self.problems.append(
                _(
                    "Since you opened this page, someone else changed “%(field)s” to “%(current)s”; "
                    "you chose “%(mine)s”."
                )
                % {"field": label, "current": shown(current), "mine": shown(mine)}
            )
        self.drafts[field] = result
        return result

    def members(self, field: str, base: set, current: set, mine: set) -> set:
        """A set both sides changed: the other person's additions and removals stay, and so do yours."""
        result = (current | (mine - base)) - (base - mine)
        self.drafts[field] = sorted(result)
        return result

    def check(self) -> None:
        if self.problems:
            raise StaleConflict(
                [
                    *self.problems,
                    _(
                        "Nothing was saved. Your words are kept below, with the other changes that did not overlap "
                        "merged in; check them and save again."
                    ),
                ],
                current_history_id=self.current_history_id,
                drafts=self.drafts,
            )


def lost_base() -> ValidationError:
    return ValidationError(
        _(
            "The form lost the version you started from. Nothing was saved and your text is kept below; open the "
            "page again in another tab to see what it says now, then copy your text there."
        )
    )


def latest_history_id(obj: models.Model) -> int | None:
    """The version of `obj` a form opened now starts from."""
    return obj.history.aggregate(latest=Max("history_id"))["latest"]


def latest_history_id_of(model: type[models.Model]) -> Subquery:
    """The same as an annotation on a queryset of `model`, so a list of rows costs no more queries."""
    history = model.history.model
    pk_name = model._meta.pk.attname
    latest = history.objects.filter(**{pk_name: OuterRef("pk")}).order_by("-history_id").values("history_id")[:1]
    return Subquery(latest)


def base_row(locked: models.Model, base_history_id: int):
    """The history row of `locked` the form started from; refused when it is not one of its own."""
    row = locked.history.filter(history_id=base_history_id).first()
    if row is None:
        raise lost_base()
    return row
