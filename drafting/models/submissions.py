"""One-time submission tokens: a creating form sent twice creates one thing.

Used by drafting/services/submissions.py and drafting.forms.base.
"""

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models


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
