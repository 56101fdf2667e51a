"""The workspace's small forms besides a stage's answers: a comment, a review decision, a
programme manager's reason for waiving or reopening, starting a project, and the review
queue's filters. They check the input and say what is wrong in the user's language;
``transitions`` then checks who may and when."""

from django import forms
from django.utils.translation import gettext_lazy as _

from .models import ImprovementProject, StageComment
from .models.projects import CHANGES_NEED_A_COMMENT

WHOLE_STAGE = ("", _("The stage as a whole"))


def _body(label, required=True):
    return forms.CharField(
        label=label,
        required=required,
        max_length=5000,
        strip=True,
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": _("Write a comment first.")},
    )


def _about(field_labels):
    return forms.ChoiceField(
        label=_("About"),
        required=False,
        choices=[WHOLE_STAGE, *field_labels.items()],
        error_messages={"invalid_choice": _("The stage's form has no such field.")},
    )


class CommentForm(forms.Form):
    body = _body(_("Comment"))

    def __init__(self, *args, field_labels, **kwargs):
        super().__init__(*args, prefix="comment", **kwargs)
        self.fields["field_key"] = _about(field_labels)


class ReviewForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("Decision"),
        widget=forms.RadioSelect,
        choices=[
            (StageComment.Decision.APPROVE, _("Approve")),
            (StageComment.Decision.CHANGES, _("Request changes")),
        ],
        error_messages={"required": _("Choose approve or request changes.")},
    )
    body = _body(_("Comment to the team (required when you request changes)"), required=False)

    def __init__(self, *args, field_labels, **kwargs):
        super().__init__(*args, prefix="review", **kwargs)
        self.fields["field_key"] = _about(field_labels)

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("decision") == StageComment.Decision.CHANGES and not cleaned.get("body"):
            self.add_error("body", CHANGES_NEED_A_COMMENT)
        return cleaned


class ReasonForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason"),
        max_length=2000,
        strip=True,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": _("Give a reason.")},
    )

    def __init__(self, *args, action, **kwargs):
        super().__init__(*args, prefix=action, **kwargs)


class StartProjectForm(forms.Form):
    title = forms.CharField(
        label=_("What does the team want to improve?"),
        help_text=ImprovementProject._meta.get_field("title").help_text,
        max_length=200,
        required=False,
        strip=True,
    )


class ReviewFilters(forms.Form):
    """The review queue's filters, offering the teams and stages that are in it."""

    team = forms.ChoiceField(label=_("Team"), required=False)
    stage = forms.ChoiceField(label=_("Stage"), required=False)

    def __init__(self, data, *, teams, stages):
        super().__init__(data)
        self.fields["team"].choices = [
            ("", _("All teams")),
            *((str(team.pk), team.name) for team in teams),
        ]
        self.fields["stage"].choices = [("", _("All stages")), *stages]

    def apply(self, queue):
        """``queue`` narrowed to the chosen team and stage (unchanged if the filters are not
        valid)."""
        if not self.is_valid():
            return queue
        if self.cleaned_data["team"]:
            queue = queue.filter(project__team=self.cleaned_data["team"])
        if self.cleaned_data["stage"]:
            queue = queue.filter(stage_key=self.cleaned_data["stage"])
        return queue

    @property
    def narrows(self):
        return self.is_valid() and any(self.cleaned_data.values())
