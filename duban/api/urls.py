"""Mounted at /api/ by the project's urls (namespace "api")."""

from .api import api

urlpatterns, _app, app_name = api.urls
