"""A person's own choice of how often they hear about each kind of news (issue #7)."""

from django import forms as django_forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from forum_workflows import notifications
from forum_workflows.models import NotificationPreference

ERRORS = {
    "required": gettext_lazy("Choose how often you want to hear about this."),
    "invalid_choice": gettext_lazy("Choose one of the options shown."),
}


class NotificationSettingsForm(django_forms.Form):
    """One choice of frequency per kind of news, named by the kind."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for kind in NotificationPreference.Kind:
            self.fields[kind.value] = django_forms.ChoiceField(
                label=kind.label,
                choices=NotificationPreference.Frequency.choices,
                widget=django_forms.RadioSelect,
                error_messages=ERRORS,
            )


@login_required
@require_http_methods(["GET", "POST"])
def notification_settings(request):
    form = NotificationSettingsForm(
        request.POST if request.method == "POST" else None,
        initial=notifications.preferences_of(request.user),
    )
    status = 200
    if request.method == "POST":
        if form.is_valid():
            notifications.set_preferences(request.user, form.cleaned_data)
            messages.success(request, _("Your choices are saved."))
            return redirect("forum_workflows:notification_settings")
        status = 400
    return TemplateResponse(
        request, "forum_workflows/notifications/settings.html", {"form": form}, status=status
    )
