from django.urls import path

from . import views

app_name = "organisations"
urlpatterns = [
    path("", views.unit_list, name="units"),
    path("template.<str:fmt>", views.template, name="template"),
    path("export.<str:fmt>", views.export, name="export"),
    path("import/", views.import_roster, name="import"),
    path("import/confirm/", views.import_confirm, name="import_confirm"),
    path("<int:pk>/reporter/", views.add_reporter, name="add_reporter"),
]
