from django.urls import path

from . import views

app_name = "accounts"

urlpatterns = [
    path("login/", views.LoginView.as_view(), name="login"),
    path("logout/", views.LogoutView.as_view(), name="logout"),
    path("password-reset/", views.PasswordResetView.as_view(), name="password_reset"),
    path(
        "password-reset/sent/", views.PasswordResetDoneView.as_view(), name="password_reset_done"
    ),
    path(
        "password-reset/<uidb64>/<token>/",
        views.PasswordResetConfirmView.as_view(),
        name="password_reset_confirm",
    ),
    path(
        "password-reset/done/",
        views.PasswordResetCompleteView.as_view(),
        name="password_reset_complete",
    ),
    path("sign-in-link/", views.SigninLinkRequestView.as_view(), name="signin_link_request"),
    path("sign-in-link/sent/", views.SigninLinkSentView.as_view(), name="signin_link_sent"),
    path("sign-in-link/<str:token>/", views.SigninLinkView.as_view(), name="signin_link"),
]
