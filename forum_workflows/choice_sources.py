"""Choices the workflow supplies to forms while a team fills them in (``forms.choice_sources``).

``change_ideas``: the project's change ideas, so a PDSA worksheet says which idea a cycle tests.
A form holds the ideas in a group marked with the role ``change_ideas``, each idea's name in a
field marked ``change_idea``; roles, not keys, so any workflow's forms can take part. The
context is the stage being filled in (a StageState) or its project.
"""

from django.utils.translation import gettext_lazy as _

from forms.choice_sources import register_choice_source
from forms.models import FormVersion
from forms.schema import walk

CHANGE_IDEAS = "change_ideas"
IDEAS_ROLE = "change_ideas"
IDEA_NAME_ROLE = "change_idea"


def _ideas_field(schema):
    """The keys of the ideas group and of the idea's name in it, or ``None``."""
    for spec, _depth, _parent in walk(schema.get("fields")):
        if spec.get("role") == IDEAS_ROLE:
            for inner, _d, _p in walk(spec.get("fields")):
                if inner.get("role") == IDEA_NAME_ROLE:
                    return spec["key"], inner["key"]
    return None


def change_ideas(context):
    """``[(row id, idea)]`` from the latest submitted answers of the project's ideas stage."""
    project = getattr(context, "project", context)
    stages = getattr(project, "stage_states", None)
    if stages is None:
        return []
    version = project.workflow_version
    schemas = dict(
        FormVersion.objects.filter(
            pk__in=[spec["form_version"] for spec in version.stages]
        ).values_list("pk", "schema")
    )
    choices = []
    for state in stages.select_related("answer_set").order_by("pk"):
        keys = _ideas_field(schemas[version.stage(state.stage_key)["form_version"]])
        latest = state.answer_set.latest if keys else None
        if latest is None:
            continue
        group, name = keys
        for row in latest.data.get(group) or []:
            idea = (row.get("values") or {}).get(name)
            if idea:
                choices.append((row["id"], idea))
    return choices


def register():
    register_choice_source(CHANGE_IDEAS, change_ideas, _("the project's change ideas"))
