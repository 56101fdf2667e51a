from django.urls import path

from . import views

app_name = "forum_forms"

urlpatterns = [
    path("forms/<slug:slug>/try/", views.try_form, name="try"),
    path("forms/files/<slug:file_id>/", views.download_file, name="file"),
]
