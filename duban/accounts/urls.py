"""The setup page, a person's account actions, the invitation link (namespace ``accounts``).
Password reset keeps Django's URL names, in `password_urls`."""

from django.urls import path

from . import views

app_name = "accounts"
urlpatterns = [
    path("setup/", views.setup, name="setup"),
    path("people/<int:pk>/account/", views.person_account, name="person"),
    path("people/<int:pk>/invite/", views.invite, name="invite"),
    path("people/<int:pk>/disable/", views.disable, name="disable"),
    path("people/<int:pk>/enable/", views.enable, name="enable"),
    path("accounts/invite/<str:token>/", views.invitation, name="invitation"),
]
