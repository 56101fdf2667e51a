"""The plugin's public URLs; a host includes them under its language prefix (see README)."""

from django.urls import path

from .views import calendar, invitations, notification_settings, sessions, workspace

app_name = "forum_workflows"

urlpatterns = [
    path("calendar/program/<str:slug>.ics", calendar.program_calendar, name="program_calendar"),
    path("calendar/session/<int:pk>.ics", calendar.session_calendar, name="session_calendar"),
    path("sessions/<int:pk>/sign-up/", sessions.sign_up, name="sign_up"),
    path("my/sessions/", sessions.my_sessions, name="my_sessions"),
    path("invitation/<str:token>/", invitations.accept, name="invitation"),
    path("workspace/projects/<int:pk>/", workspace.project, name="workspace_project"),
    path("workspace/stages/<int:pk>/", workspace.stage, name="workspace_stage"),
    path(
        "my/notifications/",
        notification_settings.notification_settings,
        name="notification_settings",
    ),
]
