"""The admin's workflow builder: one block per stage, turned into a list of stage specs.

Blocks are only the editing surface; what counts is the list ``to_stages`` produces, which
publishing checks (``workflow_rules``) and freezes, with exact form versions, into a
WorkflowVersion.
"""

from django.utils.translation import gettext_lazy as _
from wagtail import blocks
from wagtail.snippets.blocks import SnippetChooserBlock

from forms.blocks import key_validator


class Gate:
    """What a submitted stage waits for (DESIGN.md §4)."""

    NONE = "none"
    FEEDBACK = "coach_feedback"  # invites comments, blocks nothing
    COACH = "coach_approval"
    MANAGER = "manager_approval"

    #: Gates that approve on a valid submit.
    APPROVE_ON_SUBMIT = (NONE, FEEDBACK)

    choices = [
        (NONE, _("none: approved when submitted")),
        (FEEDBACK, _("coach feedback: approved when submitted, the coach may comment")),
        (COACH, _("coach approval")),
        (MANAGER, _("programme manager approval")),
    ]


class StageBlock(blocks.StructBlock):
    key = blocks.CharBlock(
        label=_("key"),
        max_length=40,
        validators=[key_validator],
        help_text=_(
            "Short and stable, e.g. global_aim. Other stages name it in their dependencies."
        ),
    )
    name_sv = blocks.CharBlock(label=_("name in Swedish"), max_length=200)
    name_en = blocks.CharBlock(
        label=_("name in English"), max_length=200, required=False, help_text=_("Optional.")
    )
    form = SnippetChooserBlock("forum_forms.FormDefinition", label=_("form"))
    gate = blocks.ChoiceBlock(label=_("gate"), choices=Gate.choices, default=Gate.COACH)
    guide = blocks.PageChooserBlock(
        label=_("stage guide"),
        page_type="forum_workflows.StageGuidePage",
        required=False,
        help_text=_("Shown beside the form, in the reader's language when translated."),
    )
    depends_on = blocks.CharBlock(
        label=_("opens after"),
        required=False,
        max_length=400,
        help_text=_(
            "Keys of the stages that must be approved (or waived) first, separated by commas. "
            "Leave empty for the stage before this one."
        ),
    )
    opens_at_start = blocks.BooleanBlock(
        label=_("open from the start"),
        required=False,
        help_text=_("Depends on no other stage (the first stage always opens at the start)."),
    )
    optional = blocks.BooleanBlock(
        label=_("optional"), required=False, help_text=_("A programme manager may waive it.")
    )
    repeating = blocks.BooleanBlock(
        label=_("repeating"),
        required=False,
        help_text=_("Teams run it many times (PDSA cycles); each cycle passes the gate."),
    )
    continuing = blocks.BooleanBlock(
        label=_("continuing"),
        required=False,
        help_text=_("Keeps accepting data after approval, e.g. measurements or an action plan."),
    )
    due_days_after_start = blocks.IntegerBlock(
        label=_("due, days after the program starts"), required=False, min_value=0
    )
    due_before_session = blocks.IntegerBlock(
        label=_("due before learning session number"),
        required=False,
        min_value=1,
        help_text=_("The program's team learning sessions in date order: 1 is the first."),
    )

    class Meta:
        icon = "list-ol"
        label = _("stage")


class StagesBlock(blocks.StreamBlock):
    stage = StageBlock()


def _keys(text):
    return [key.strip() for key in (text or "").split(",") if key.strip()]


def to_stages(stream):
    """The stage specs of a StreamField value, dependencies resolved: an empty "opens after"
    means the stage before (none for the first stage), and "open from the start" means none."""
    stages = []
    for child in stream:
        value = child.value
        if value["opens_at_start"]:
            depends_on = []
        else:
            previous = [stages[-1]["key"]] if stages else []
            depends_on = _keys(value["depends_on"]) or previous
        form = value["form"]
        guide = value["guide"]
        stages.append(
            {
                "key": value["key"],
                "name": {"sv": value["name_sv"], "en": value["name_en"]},
                "form": form.pk if form else None,
                "gate": value["gate"],
                "guide": guide.pk if guide else None,
                "depends_on": depends_on,
                "optional": bool(value["optional"]),
                "repeating": bool(value["repeating"]),
                "continuing": bool(value["continuing"]),
                "due": {
                    "days_after_start": value["due_days_after_start"],
                    "before_session": value["due_before_session"],
                },
            }
        )
    return stages
