"""A coach's private log about one team: only the team's coaches and the program's faculty.

The page lists the entries, newest first, and offers those who may write a form to add one.
Entries are never edited or deleted here: an author corrects by writing a new entry. Who may
read and write is ``permissions.coach_log``'s answer; ``CoachLogEntry.objects.write`` writes
an entry with its audit log entry.
"""

from django import forms as django_forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from forms.personnummer import contains_personal_number

from ..models import CoachLogEntry, Team
from ..permissions import can

MAX_LENGTH = CoachLogEntry._meta.get_field("body").max_length


class CoachLogForm(django_forms.Form):
    """A new entry. Text that looks like a personal identity number is held until the author
    confirms it identifies no client (DESIGN.md §7)."""

    body = django_forms.CharField(
        label=gettext_lazy("New entry"),
        widget=django_forms.Textarea(attrs={"rows": 8, "maxlength": MAX_LENGTH}),
        error_messages={"required": gettext_lazy("Write something before you save the entry.")},
    )
    privacy_confirmed = django_forms.BooleanField(
        label=gettext_lazy("I have checked: what I wrote does not identify a client."),
        required=False,
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["body"].help_text = _(
            "At most %(limit)s characters. An entry cannot be changed afterwards: to correct "
            "one, write a new entry."
        ) % {"limit": MAX_LENGTH}
        #: Whether the text looks like a personal identity number (the page then shows the
        #: box to confirm it is not a client's).
        self.needs_privacy_confirmation = False

    def clean_body(self):
        # Browsers count a line break as one character (the textarea's maxlength) but send two.
        body = self.cleaned_data["body"].replace("\r\n", "\n")
        if len(body) > MAX_LENGTH:
            raise django_forms.ValidationError(
                _(
                    "An entry can be at most %(limit)s characters; this one has %(length)s. "
                    "Shorten it, or split it into two entries."
                ),
                code="max_length",
                params={"limit": MAX_LENGTH, "length": len(body)},
            )
        return body

    def clean(self):
        cleaned = super().clean()
        if contains_personal_number(cleaned.get("body")):
            self.needs_privacy_confirmation = True
            if not cleaned.get("privacy_confirmed"):
                self.add_error(
                    "body",
                    django_forms.ValidationError(
                        _(
                            "This looks like a personal identity number. Do not write anything "
                            "that identifies a client: remove it, or confirm below that it is "
                            "not a client's."
                        ),
                        code="personnummer",
                    ),
                )
        return cleaned


@login_required
@require_http_methods(["GET", "POST"])
def coach_log(request, pk):
    team = get_object_or_404(Team.objects.select_related("program"), pk=pk)
    if not can(request.user, "read_coach_log", team):
        raise PermissionDenied
    may_write = can(request.user, "write_coach_log", team)
    if request.method == "POST" and not may_write:
        raise PermissionDenied
    form = None
    if may_write:
        form = CoachLogForm(request.POST if request.method == "POST" else None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            CoachLogEntry.objects.write(team, request.user, form.cleaned_data["body"])
            messages.success(request, _("Your entry is saved."))
            return redirect("forum_workflows:coach_log", pk=team.pk)
        status = 400
    context = {
        "team": team,
        "archived": bool(team.archived_at or team.program.archived_at),
        "project": team.projects.filter(archived_at__isnull=True).first(),
        "entries": team.coach_log.select_related("author"),
        "form": form,
    }
    return TemplateResponse(
        request, "forum_workflows/workspace/coach_log.html", context, status=status
    )
