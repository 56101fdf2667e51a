"""Wagtail wiring of the plugin: its admin screens and audit log actions."""

from django.urls import include, path
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.permissions import register_permission_policy
from wagtail.snippets.models import register_snippet
from wagtail_modeladmin.options import modeladmin_register

from . import attendance_admin, invitations, invitations_admin, project_moves_admin, transitions
from .models import LearningSession, Program
from .people_admin import PeopleGroup
from .permissions.admin_policies import LearningSessionPolicy, ProgramPolicy
from .views import members_only
from .viewsets import ProgramViewSetGroup, keep_published_workflows

register_permission_policy(Program, ProgramPolicy(Program))
register_permission_policy(LearningSession, LearningSessionPolicy(LearningSession))
register_snippet(ProgramViewSetGroup)
# Projects run on published workflow versions: the bulk delete must keep such workflows too.
hooks.register("before_delete_snippet", keep_published_workflows)
modeladmin_register(PeopleGroup)


@hooks.register("register_admin_urls")
def attendance_urls():
    urls = [
        path("", attendance_admin.SessionsView.as_view(), name="sessions"),
        path("<int:pk>/", attendance_admin.RegisterView.as_view(), name="register"),
    ]
    return [path("attendance/", include((urls, "forum_workflows_attendance")))]


@hooks.register("register_log_actions")
def register_log_actions(actions):
    # A sign-up's note may hold health information: entries say what happened, never the note.
    actions.register_action(
        "forum_workflows.sign_up", _("Sign up for a session"), _("Signed up for a session")
    )
    actions.register_action(
        "forum_workflows.cancel_sign_up", _("Cancel a sign-up"), _("Cancelled a sign-up")
    )
    actions.register_action(
        "forum_workflows.record_attendance", _("Record attendance"), _("Attendance recorded")
    )


@hooks.register("register_admin_urls")
def invitation_urls():
    urls = invitations_admin.urlpatterns
    return [path("invitations/", include((urls, "forum_workflows_invitations")))]


@hooks.register("register_log_actions")
def register_invitation_log_actions(actions):
    invitations.register_log_actions(actions)


# Members-only pages and documents stay closed to everyone but the program's people.
hooks.register("before_serve_page", members_only.before_serve_page)
hooks.register("before_serve_document", members_only.before_serve_document)


@hooks.register("register_log_actions")
def register_transition_log_actions(actions):
    transitions.register_log_actions(actions)


@hooks.register("register_admin_urls")
def project_move_urls():
    urls = project_moves_admin.urlpatterns
    return [path("projects/", include((urls, "forum_workflows_projects")))]
