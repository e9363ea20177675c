from django.contrib.auth import views as auth_views


class LoginView(auth_views.LoginView):
    """Django's sign-in, answering a failed attempt with 400 (a field missing) or 401 (wrong
    name or password) rather than 200, so scripts and tests can tell."""

    def form_invalid(self, form):
        response = super().form_invalid(form)
        missing = any(not self.request.POST.get(f) for f in ("username", "password"))
        response.status_code = 400 if missing else 401
        return response
