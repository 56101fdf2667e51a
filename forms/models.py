"""Form definitions, their frozen versions, and the answers people give.

A FormDefinition is edited in the admin (drafts, revisions, preview). Publishing it freezes its
schema into a FormVersion row of its own, independent of Wagtail's revisions (which can be
purged). Answers are stored by this app: an AnswerSet holds the current draft and a list of
AnswerVersions, each recording the FormVersion it answers, its author and time.
"""

import uuid

from django.conf import settings
from django.contrib.contenttypes.fields import GenericRelation
from django.db import models, transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel
from wagtail.fields import StreamField
from wagtail.models import DraftStateMixin, PreviewableMixin, RevisionMixin

from .admin_forms import FormDefinitionAdminForm
from .blocks import FormFieldsBlock, to_schema
from .schema import FORMAT, key_types, validate_schema
from .storage import private_storage


class DefinitionInvalid(Exception):
    """Publishing was refused; ``errors`` lists each problem with the field it concerns."""

    def __init__(self, errors):
        self.errors = errors
        super().__init__("; ".join(str(error) for error in errors))


class PublishesVersions:
    """Publishing checks the definition's rules and freezes it into a new immutable version.

    For models with drafts and revisions whose ``versions`` relation holds the frozen copies
    (``number``, ``revision_id``, ``published_by`` and what ``frozen()`` returns). It runs for
    every way of publishing (the admin, scheduled publishing, publishing an older revision), so
    no version is ever made from a definition that breaks the rules: publishing raises
    :class:`DefinitionInvalid` with ``definition_errors(publishing=True)`` instead.
    """

    def publish(self, revision, user=None, **kwargs):
        model = type(self)
        with transaction.atomic():
            # One publisher at a time per definition: version numbers stay dense and unique.
            model.objects.select_for_update().filter(pk=self.pk).first()
            content = revision.as_object()
            errors = content.definition_errors(publishing=True)
            if errors:
                raise DefinitionInvalid(errors)
            result = super().publish(revision, user=user, **kwargs)
            if not model.objects.filter(pk=self.pk, live_revision=revision).exists():
                # Scheduled for later: the version is written when it really goes live.
                return result
            number = (self.versions.aggregate(last=Max("number"))["last"] or 0) + 1
            self.versions.create(
                number=number, revision_id=revision.pk, published_by=user, **content.frozen()
            )
            return result

    @property
    def latest_version(self):
        return self.versions.order_by("-number").first()


class FormDefinition(
    PublishesVersions, DraftStateMixin, RevisionMixin, PreviewableMixin, models.Model
):
    name = models.CharField(_("name"), max_length=200)
    slug = models.SlugField(
        _("identifier"),
        max_length=80,
        unique=True,
        help_text=_("Used by other parts of the program to find this form; do not change it."),
    )
    description = models.TextField(_("description"), blank=True)
    fields = StreamField(FormFieldsBlock(), verbose_name=_("fields"), blank=True)
    revisions = GenericRelation("wagtailcore.Revision", related_query_name="form_definition")

    panels = [
        FieldPanel("name"),
        FieldPanel("slug"),
        FieldPanel("description"),
        FieldPanel("fields"),
    ]
    #: Applies the definition rules on save, and the publishing rules on publish.
    base_form_class = FormDefinitionAdminForm

    class Meta:
        verbose_name = _("form")
        verbose_name_plural = _("forms")
        ordering = ["name"]

    def __str__(self):
        return self.name

    def schema(self):
        return to_schema(self.fields)

    def published_key_types(self):
        """``{key: type}`` over every published version: keys never change type."""
        types = {}
        for schema in self.versions.values_list("schema", flat=True):
            types.update(key_types(schema))
        return types

    def definition_errors(self, *, publishing):
        return validate_schema(
            self.schema(),
            publishing=publishing,
            earlier_types=self.published_key_types() if self.pk else {},
        )

    def frozen(self):
        """What a published version keeps (see :class:`PublishesVersions`)."""
        return {"schema": self.schema()}

    def get_preview_template(self, request, mode_name):
        return "forum_forms/preview.html"

    def get_preview_context(self, request, mode_name):
        from .builder import DRAFT, AnswerForm

        context = super().get_preview_context(request, mode_name)
        schema = self.schema()
        context.update(
            {
                "definition": self,
                "schema": schema,
                "form": AnswerForm(schema, language=request.LANGUAGE_CODE, mode=DRAFT),
                "definition_errors": validate_schema(schema),
            }
        )
        return context


class ImmutableQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise ValueError("Form versions are immutable once written.")

    def delete(self):
        raise ValueError("Form versions are immutable once written.")


class FormVersion(models.Model):
    """An immutable snapshot of a definition's schema, made when it was published."""

    definition = models.ForeignKey(
        FormDefinition, on_delete=models.PROTECT, related_name="versions", verbose_name=_("form")
    )
    number = models.PositiveIntegerField(_("version"))
    format = models.PositiveSmallIntegerField(_("schema format"), default=FORMAT)
    schema = models.JSONField(_("schema"))
    revision_id = models.PositiveIntegerField(_("revision"), null=True, blank=True, editable=False)
    published_at = models.DateTimeField(_("published"), default=timezone.now)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("published by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    objects = ImmutableQuerySet.as_manager()

    class Meta:
        verbose_name = _("form version")
        verbose_name_plural = _("form versions")
        ordering = ["definition", "number"]
        constraints = [
            models.UniqueConstraint(
                fields=["definition", "number"], name="forum_forms_version_number_unique"
            )
        ]

    def __str__(self):
        return f"{self.definition} v{self.number}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise ValueError("A FormVersion is immutable once written.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ValueError("A FormVersion is immutable once written.")


class AnswerSet(models.Model):
    """Someone's answers to one form: the current draft and every saved version.

    Host apps point at answer sets (a stage's worksheet, a survey response); the forms engine
    does not know what they belong to.
    """

    definition = models.ForeignKey(
        FormDefinition,
        on_delete=models.PROTECT,
        related_name="answer_sets",
        verbose_name=_("form"),
    )
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    draft = models.JSONField(_("draft"), default=dict, blank=True)
    #: Draft values that did not validate yet, kept as typed: ``{path: {"value", "errors"}}``.
    draft_problems = models.JSONField(_("draft values not valid yet"), default=dict, blank=True)
    draft_form_version = models.ForeignKey(
        FormVersion,
        verbose_name=_("draft's form version"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    #: Bumped by every draft save; a save that expected another number was stale.
    draft_revision = models.PositiveIntegerField(_("draft revision"), default=0)
    draft_saved_at = models.DateTimeField(_("draft saved"), null=True, blank=True)
    draft_saved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("draft saved by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = _("answer set")
        verbose_name_plural = _("answer sets")

    def __str__(self):
        return f"{self.definition} #{self.pk}"

    @property
    def latest(self):
        return self.versions.order_by("-number").first()


class AnswerVersion(models.Model):
    """One saved state of an answer set, read against the form version it answered."""

    answer_set = models.ForeignKey(
        AnswerSet, on_delete=models.CASCADE, related_name="versions", verbose_name=_("answer set")
    )
    number = models.PositiveIntegerField(_("version"))
    form_version = models.ForeignKey(
        FormVersion,
        on_delete=models.PROTECT,
        related_name="answers",
        verbose_name=_("form version"),
    )
    data = models.JSONField(_("answers"), default=dict)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("author"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("saved"), default=timezone.now)

    class Meta:
        verbose_name = _("answer version")
        verbose_name_plural = _("answer versions")
        ordering = ["answer_set", "number"]
        constraints = [
            models.UniqueConstraint(
                fields=["answer_set", "number"], name="forum_forms_answer_version_unique"
            )
        ]

    def __str__(self):
        return f"{self.answer_set} v{self.number}"


def _stored_file_path(instance, filename):
    # Named by id only: the person's file name (which may say who it is about) stays in the row.
    name = uuid.UUID(str(instance.id)).hex
    return f"answers/{name[:2]}/{name}"


class StoredFile(models.Model):
    """A file attached to an answer, kept in private storage.

    Answers refer to it by id (``{"file": <id>, "name", "size", "type"}``). Files are never
    changed or removed when an answer is replaced, so every answer version keeps its own files;
    only redaction erases a file's content.
    """

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    answer_set = models.ForeignKey(
        AnswerSet, on_delete=models.CASCADE, related_name="files", verbose_name=_("answer set")
    )
    name = models.CharField(_("file name"), max_length=200)
    content_type = models.CharField(_("type"), max_length=120)
    size = models.PositiveBigIntegerField(_("size"))
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    content = models.FileField(
        _("content"), storage=private_storage, upload_to=_stored_file_path, max_length=200
    )
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("uploaded by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    uploaded_at = models.DateTimeField(_("uploaded"), default=timezone.now)
    redacted_at = models.DateTimeField(_("redacted"), null=True, blank=True)

    class Meta:
        verbose_name = _("attached file")
        verbose_name_plural = _("attached files")
        ordering = ["uploaded_at"]

    def __str__(self):
        return self.name

    def erase(self):
        """Remove the content for good (redaction); the row records that it happened.

        The bytes go only once the transaction commits, so a redaction rolled back leaves the
        file whole.
        """
        storage, stored_name = self.content.storage, self.content.name
        self.content = ""
        self.name = ""
        self.redacted_at = timezone.now()
        self.save(update_fields=["content", "name", "redacted_at"])
        if stored_name:
            transaction.on_commit(lambda: storage.delete(stored_name))
