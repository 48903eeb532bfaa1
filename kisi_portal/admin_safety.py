"""Admin pages answer 404, never 500, to an id their model's key cannot take.

Apply `SafeObjectIdAdminMixin` first in the bases of every ModelAdmin:

    class SectionAdmin(SafeObjectIdAdminMixin, HistoryAdmin): ...

Django's own change and delete pages already treat such an id as a missing object, but
django-simple-history's history pages pass it straight to the database
(`/admin/drafting/section/abc/history/` was a ValueError, a 500; on PostgreSQL a NUL byte
is one too). With the mixin an id that is not a value of the primary key, or a history id
that is not a value of the history row's key, is a 404 on the change, delete and history
pages alike.
"""

from django.core.exceptions import ValidationError
from django.http import Http404


def _takes(field, value) -> bool:
    """Whether `value` (from the URL) is a value `field` can hold; never touches the database."""
    if not isinstance(value, str) or "\x00" in value:
        return False
    try:
        field.get_prep_value(field.to_python(value))
    except (ValidationError, ValueError, TypeError, OverflowError):
        return False
    return True


class SafeObjectIdAdminMixin:
    """A ModelAdmin mixin: ids the primary key cannot take are 404s on every object page."""

    def _raise_unless_pk(self, object_id) -> None:
        from django.contrib.admin.utils import unquote

        if not _takes(self.model._meta.pk, unquote(object_id)):
            raise Http404

    def get_object(self, request, object_id, from_field=None):
        field = self.model._meta.pk if from_field is None else self.model._meta.get_field(from_field)
        if not _takes(field, object_id):
            return None
        return super().get_object(request, object_id, from_field)

    def change_view(self, request, object_id, form_url="", extra_context=None):
        self._raise_unless_pk(object_id)
        return super().change_view(request, object_id, form_url, extra_context)

    def delete_view(self, request, object_id, extra_context=None):
        self._raise_unless_pk(object_id)
        return super().delete_view(request, object_id, extra_context)

    def history_view(self, request, object_id, extra_context=None):
        self._raise_unless_pk(object_id)
        return super().history_view(request, object_id, extra_context)

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        """django-simple-history's page for one historical version."""
        self._raise_unless_pk(object_id)
        history_model = getattr(self.model, self.model._meta.simple_history_manager_attribute).model
        if not _takes(history_model._meta.pk, version_id):
            raise Http404
        return super().history_form_view(request, object_id, version_id, extra_context)
