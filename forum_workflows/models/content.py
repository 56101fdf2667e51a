"""Members-only content: pages and documents that only a program's people may open, such as
the materials of its learning sessions.

An area is one page with every page below it (in every language: its translations count too),
or one collection of documents with its sub-collections. Who may open an area is decided in
``permissions.content``; pages, documents, search, the sitemap and the menu all ask it.
"""

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, PageChooserPanel

from .programs import Program

PAGE_OR_COLLECTION = _("Choose a page or a collection of documents (one of them, not both).")


class MembersOnlyArea(models.Model):
    """A page (with the pages below it) or a collection of documents (with its sub-collections)
    that only the people of one program may open."""

    program = models.ForeignKey(
        Program,
        on_delete=models.PROTECT,
        related_name="members_only_areas",
        verbose_name=_("program"),
        help_text=_(
            "Its team members, coaches, faculty and programme managers may open the content."
        ),
    )
    page = models.OneToOneField(
        "wagtailcore.Page",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="members_only_area",
        verbose_name=_("page"),
        help_text=_("The page and every page below it, in every language."),
    )
    collection = models.OneToOneField(
        "wagtailcore.Collection",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="members_only_area",
        verbose_name=_("collection of documents"),
        help_text=_("The documents in the collection and in the collections below it."),
    )

    panels = [FieldPanel("program"), PageChooserPanel("page"), FieldPanel("collection")]

    class Meta:
        verbose_name = _("members-only area")
        verbose_name_plural = _("members-only areas")
        constraints = [
            models.CheckConstraint(
                condition=Q(page__isnull=True, collection__isnull=False)
                | Q(page__isnull=False, collection__isnull=True),
                name="forum_workflows_members_only_page_or_collection",
                violation_error_message=PAGE_OR_COLLECTION,
            )
        ]

    def __str__(self):
        return f"{self.page or self.collection} ({self.program})"

    def clean(self):
        super().clean()
        if (self.page_id is None) == (self.collection_id is None):
            raise ValidationError(PAGE_OR_COLLECTION)
