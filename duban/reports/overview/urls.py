from django.urls import path

from . import views

# Included at /reports/ under the "reports" namespace (duban/reports/urls.py).
urlpatterns = [
    path("bulletin/", views.bulletin_page, name="bulletin"),
    path("bulletin.docx", views.bulletin_docx, name="bulletin_docx"),
    path("dashboard/", views.dashboard_page, name="dashboard"),
    path("scores/", views.scores_page, name="scores"),
    path("scores.xlsx", views.scores_xlsx, name="scores_xlsx"),
]
