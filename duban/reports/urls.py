from django.urls import include, path

app_name = "reports"
urlpatterns = [
    path("ledgers/", include("duban.reports.ledgers.urls")),
    path("", include("duban.reports.overview.urls")),
]
