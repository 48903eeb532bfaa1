"""The stamp of the document page: one row per change it shows, so its cached body knows when to go.

Read by drafting.selectors.documents (`document_stamp`), written by drafting.services.revisions.
"""

from django.db import models

from drafting.models.concepts import Concept


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
