"""The attendance register in the admin: programme managers pick a session of their programs and
tick who attended. Every request asks ``permissions``; saving goes through ``attendance``.

The attendance recorded so far is listed under People (``people_admin.AttendanceAdmin``), whose
"Record attendance" button leads here."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse, reverse_lazy
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import TemplateView
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin

from . import attendance
from .models import LearningSession
from .permissions import can, managed_programs

#: The attendance list under People, which these pages belong to.
BREADCRUMBS = [
    *WagtailAdminTemplateMixin.breadcrumbs_items,
    {
        "url": reverse_lazy("forum_workflows_attendance_modeladmin_index"),
        "label": gettext_lazy("Attendance"),
    },
]


class SessionsView(WagtailAdminTemplateMixin, TemplateView):
    template_name = "forum_workflows/admin/attendance_sessions.html"
    page_title = gettext_lazy("Record attendance")
    header_icon = "tasks"
    breadcrumbs_items = [*BREADCRUMBS, {"url": "", "label": page_title}]

    def dispatch(self, request, *args, **kwargs):
        if not managed_programs(request.user).exists():
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["sessions"] = (
            LearningSession.objects.filter(program__in=managed_programs(self.request.user))
            .select_related("program")
            .order_by("-starts_at")
        )
        return context


class RegisterView(WagtailAdminTemplateMixin, TemplateView):
    template_name = "forum_workflows/admin/attendance_register.html"
    page_title = gettext_lazy("Attendance")
    header_icon = "tasks"

    def get_breadcrumbs_items(self):
        return [
            *BREADCRUMBS,
            {
                "url": reverse("forum_workflows_attendance:sessions"),
                "label": SessionsView.page_title,
            },
            {"url": "", "label": self.session.title},
        ]

    def dispatch(self, request, pk, *args, **kwargs):
        self.session = get_object_or_404(LearningSession.objects.select_related("program"), pk=pk)
        if not can(request.user, "record_attendance", self.session):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_page_subtitle(self):
        return self.session.title

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["session"] = self.session
        context["register"] = attendance.register_of(self.session)
        return context

    def post(self, request, *args, **kwargs):
        present = attendance.record_attendance(
            self.session, request.POST.getlist("present"), user=request.user
        )
        messages.success(
            request,
            _("Attendance saved: %(count)s attended %(title)s.")
            % {"count": present, "title": self.session.title},
        )
        return redirect(reverse("forum_workflows_attendance:register", args=[self.session.pk]))
