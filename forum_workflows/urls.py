"""The plugin's public URLs; a host includes them under its language prefix (see README)."""

from django.urls import path

from .views import (
    autosave,
    calendar,
    coach_log,
    dashboard,
    invitations,
    notification_settings,
    project_start,
    sessions,
    stage_actions,
    stage_history,
    workspace,
)

app_name = "forum_workflows"

urlpatterns = [
    path("calendar/program/<str:slug>.ics", calendar.program_calendar, name="program_calendar"),
    path("calendar/session/<int:pk>.ics", calendar.session_calendar, name="session_calendar"),
    path("sessions/<int:pk>/sign-up/", sessions.sign_up, name="sign_up"),
    path("my/sessions/", sessions.my_sessions, name="my_sessions"),
    path("invitation/<str:token>/", invitations.accept, name="invitation"),
    path("workspace/", dashboard.dashboard, name="workspace"),
    path("workspace/projects/<int:pk>/", dashboard.project, name="workspace_project"),
    path("workspace/stages/<int:pk>/", workspace.stage, name="workspace_stage"),
    path("workspace/stages/<int:pk>/autosave/", autosave.autosave, name="workspace_autosave"),
    path("workspace/stages/<int:pk>/review/", stage_actions.review, name="workspace_review"),
    path("workspace/stages/<int:pk>/comments/", stage_actions.comment, name="workspace_comment"),
    path("workspace/stages/<int:pk>/waive/", stage_actions.waive, name="workspace_waive"),
    path("workspace/stages/<int:pk>/reopen/", stage_actions.reopen, name="workspace_reopen"),
    path(
        "workspace/stages/<int:pk>/cycles/", stage_actions.start_cycle, name="workspace_new_cycle"
    ),
    path("workspace/stages/<int:pk>/history/", stage_history.history, name="workspace_history"),
    path("workspace/teams/<int:pk>/coach-log/", coach_log.coach_log, name="coach_log"),
    path(
        "workspace/teams/<int:pk>/start/",
        project_start.start_project,
        name="workspace_start_project",
    ),
    path(
        "my/notifications/",
        notification_settings.notification_settings,
        name="notification_settings",
    ),
]
