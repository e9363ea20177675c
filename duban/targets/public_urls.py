from django.urls import path

from . import public

app_name = "public"
urlpatterns = [
    path("", public.public_list, name="list"),
    path("<int:pk>/", public.public_detail, name="detail"),
]
