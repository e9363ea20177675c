from django.urls import path

from . import views

app_name = "documents"
urlpatterns = [
    path("import/", views.import_upload, name="import"),
    path("import/<int:pk>/", views.draft_preview, name="draft"),
    path("import/<int:pk>/confirm/", views.draft_confirm, name="confirm"),
    path("import/<int:pk>/discard/", views.draft_discard, name="discard"),
]
