"""Signing up for a learning session, and a person's own sign-ups and attendance."""

from django import forms
from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from forum_workflows import attendance
from forum_workflows.models import Attendance, LearningSession, SignUp
from forum_workflows.permissions import can, is_open_for_sign_up, may_take_part


class SignUpForm(forms.ModelForm):
    class Meta:
        model = SignUp
        fields = ["note"]
        widgets = {"note": forms.Textarea(attrs={"rows": 3})}


@require_http_methods(["GET", "POST"])
def sign_up(request, pk):
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    session = get_object_or_404(LearningSession.objects.select_related("program"), pk=pk)
    if not may_take_part(request.user, session):
        raise PermissionDenied
    current = SignUp.objects.filter(
        session=session, user=request.user, cancelled_at__isnull=True
    ).first()
    form = SignUpForm(request.POST or None, instance=current)
    status = 200
    if request.method == "POST":
        if not is_open_for_sign_up(session):
            messages.error(request, _("Sign-up for this session has closed."))
            status = 400
        elif request.POST.get("action") == "cancel" and current:
            attendance.cancel(current, request.user)
            messages.success(request, _("Your sign-up is cancelled."))
            return redirect("forum_workflows:sign_up", pk=session.pk)
        elif form.is_valid():
            attendance.sign_up(session, request.user, note=form.cleaned_data["note"])
            messages.success(request, _("You are signed up. Welcome!"))
            return redirect("forum_workflows:sign_up", pk=session.pk)
        else:
            status = 400
    context = {
        "session": session,
        "form": form,
        "current": current,
        "is_open": is_open_for_sign_up(session),
        "may_sign_up": can(request.user, "sign_up", session),
    }
    return TemplateResponse(
        request, "forum_workflows/sessions/sign_up.html", context, status=status
    )


def my_sessions(request):
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    signed = (
        SignUp.objects.filter(user=request.user, cancelled_at__isnull=True)
        .select_related("session", "session__program")
        .order_by("session__starts_at")
    )
    attended = dict(
        Attendance.objects.filter(user=request.user).values_list("session", "attended")
    )
    now = timezone.now()
    rows = [(item.session, attended.get(item.session_id)) for item in signed]
    context = {
        "upcoming": [row for row in rows if row[0].ends_at >= now],
        "past": [row for row in rows if row[0].ends_at < now],
        "unsigned_attendance": Attendance.objects.filter(user=request.user)
        .exclude(session__in=[item.session_id for item in signed])
        .select_related("session"),
    }
    return TemplateResponse(request, "forum_workflows/sessions/my_sessions.html", context)
