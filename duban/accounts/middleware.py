from django.db import DatabaseError
from django.shortcuts import redirect
from django.urls import reverse

from .setup import needs_setup

# Not the office's pages: static files, the JSON API (it answers 401 on its own), and the
# public commitments page, whose visitors are citizens, never the office setting up.
PASSED = ("/static/", "/api/", "/public/")


class FirstRunMiddleware:
    """On a database without any account, every page leads to the setup page. Asked only of
    anonymous visitors (a signed-in user proves an account exists), one cheap query each."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        setup = reverse("accounts:setup")
        if (
            request.path != setup
            and not request.path.startswith(PASSED)
            and not request.user.is_authenticated
            and self.needs_setup()
        ):
            return redirect(setup)
        return self.get_response(request)

    @staticmethod
    def needs_setup() -> bool:
        try:
            return needs_setup()
        except DatabaseError:
            return False  # not migrated yet: the page says what it will, not this middleware
