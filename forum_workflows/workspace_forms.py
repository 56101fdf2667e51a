"""The small forms of a stage's page besides its answers: a comment, a review decision, and a
programme manager's reason for waiving or reopening. They check the input and say what is
wrong in the user's language; ``transitions`` then checks who may and when."""

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
