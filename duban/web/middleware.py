"""The Content-Security-Policy every response is sent with.

Django 5.2 has no CSP setting of its own (6.0 adds one), and one fixed header needs no library:
this middleware sets ``settings.DUBAN_CONTENT_SECURITY_POLICY`` on every response that does not
carry its own. The pages meet it: every script is a static file of ours (no inline <script>, no
on…= handlers, no javascript: links; JSON data travels in <script type="application/json">,
which is never run).
"""

from django.conf import settings


class ContentSecurityPolicyMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response
        self.policy = settings.DUBAN_CONTENT_SECURITY_POLICY

    def __call__(self, request):
        response = self.get_response(request)
        if self.policy and "Content-Security-Policy" not in response.headers:
            response.headers["Content-Security-Policy"] = self.policy
        return response
