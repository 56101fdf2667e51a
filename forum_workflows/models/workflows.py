"""Workflow definitions (``ProjectWorkflow``) and their frozen versions.

Not Wagtail's moderation ``Workflow``: that allows one workflow per content type, publishes
revisions on approval and locks no rows (DESIGN.md §3). A ProjectWorkflow is edited in the
admin with drafts, revisions and a preview of its stages. Publishing checks the rules
(``workflow_rules``) and freezes the stages into an immutable WorkflowVersion that pins the
exact FormVersion of every stage's form. A Program runs on one WorkflowVersion, and each project
keeps the version it started with until a programme manager moves it.
"""

from django.conf import settings
from django.contrib.contenttypes.fields import GenericRelation
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel
from wagtail.fields import StreamField
from wagtail.models import DraftStateMixin, PreviewableMixin, RevisionMixin

from forms.models import FormDefinition, ImmutableQuerySet, PublishesVersions

from ..admin_forms import WorkflowAdminForm
from ..workflow_blocks import StagesBlock, to_stages

#: The format of ``WorkflowVersion.stages``; bumped when its shape changes.
STAGES_FORMAT = 1


class ProjectWorkflow(
    PublishesVersions, DraftStateMixin, RevisionMixin, PreviewableMixin, models.Model
):
    """A stage-gated improvement workflow, such as the improvement ramp."""

    name = models.CharField(_("name"), max_length=200)
    slug = models.SlugField(
        _("identifier"),
        max_length=80,
        unique=True,
        help_text=_("Used by other parts of the program to find this workflow; do not change it."),
    )
    description = models.TextField(_("description"), blank=True)
    stages = StreamField(StagesBlock(), verbose_name=_("stages"), blank=True)
    revisions = GenericRelation("wagtailcore.Revision", related_query_name="project_workflow")

    panels = [
        FieldPanel("name"),
        FieldPanel("slug"),
        FieldPanel("description"),
        FieldPanel("stages"),
    ]
    base_form_class = WorkflowAdminForm

    class Meta:
        verbose_name = _("workflow")
        verbose_name_plural = _("workflows")
        ordering = ["name"]

    def __str__(self):
        return self.name

    def stage_specs(self):
        return to_stages(self.stages)

    def definition_errors(self, *, publishing):
        from ..workflow_rules import validate_stages

        return validate_stages(self.stage_specs(), publishing=publishing)

    def frozen(self):
        """The stages with each form's latest version pinned (see ``PublishesVersions``)."""
        stages = self.stage_specs()
        latest = _latest_form_versions([stage["form"] for stage in stages])
        return {"stages": [{**stage, "form_version": latest[stage["form"]]} for stage in stages]}

    def get_preview_template(self, request, mode_name):
        return "forum_workflows/admin/workflow_preview.html"

    def get_preview_context(self, request, mode_name):
        from ..workflow_rules import validate_stages

        context = super().get_preview_context(request, mode_name)
        stages = self.stage_specs()
        forms = FormDefinition.objects.in_bulk([stage["form"] for stage in stages])
        context.update(
            {
                "workflow": self,
                "stages": [
                    {**stage, "form_definition": forms.get(stage["form"])} for stage in stages
                ],
                "problems": validate_stages(stages, publishing=True),
            }
        )
        return context


def _latest_form_versions(definition_ids):
    """``{definition id: id of its latest FormVersion}``."""
    from forms.models import FormVersion

    latest = {}
    for definition_id, version_id in (
        FormVersion.objects.filter(definition__in=definition_ids)
        .order_by("definition", "number")
        .values_list("definition", "pk")
    ):
        latest[definition_id] = version_id
    return latest


class WorkflowVersion(models.Model):
    """An immutable snapshot of a workflow's stages, each pinned to one FormVersion."""

    workflow = models.ForeignKey(
        ProjectWorkflow,
        on_delete=models.PROTECT,
        related_name="versions",
        verbose_name=_("workflow"),
    )
    number = models.PositiveIntegerField(_("version"))
    format = models.PositiveSmallIntegerField(_("format"), default=STAGES_FORMAT)
    #: The stage specs of ``workflow_blocks.to_stages`` plus ``form_version`` (a FormVersion id).
    stages = models.JSONField(_("stages"))
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
        verbose_name = _("workflow version")
        verbose_name_plural = _("workflow versions")
        ordering = ["workflow", "number"]
        constraints = [
            models.UniqueConstraint(
                fields=["workflow", "number"], name="forum_workflows_workflow_version_unique"
            )
        ]

    def __str__(self):
        return f"{self.workflow} v{self.number}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise ValueError("A WorkflowVersion is immutable once written.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ValueError("A WorkflowVersion is immutable once written.")

    def stage(self, key):
        """The spec of the stage with ``key`` (KeyError if there is none)."""
        for stage in self.stages:
            if stage["key"] == key:
                return stage
        raise KeyError(key)
