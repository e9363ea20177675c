"""The interactive API documentation (Swagger UI), served from this app's static files so it
works on an office network without internet access. ninja's own page would load Swagger UI
from a CDN unless "ninja" itself were an installed app."""

from django.shortcuts import render
from django.urls import reverse
from ninja.openapi.docs import DocsBase


class OfflineSwagger(DocsBase):
    template = "api/swagger.html"

    def render_page(self, request, api, **kwargs):
        settings = {
            "url": reverse(f"{api.urls_namespace}:openapi-json", kwargs=kwargs),
            "layout": "BaseLayout",
            "deepLinking": True,
        }
        return render(request, self.template, {"api": api, "swagger_settings": settings})
