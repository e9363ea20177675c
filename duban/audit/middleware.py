from .context import acting_as, actor_for_user


class AuditContextMiddleware:
    """Makes the signed-in user and their address the actor of every change in the request."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        actor = actor_for_user(request.user, remote_addr=request.META.get("REMOTE_ADDR"))
        with acting_as(actor):
            return self.get_response(request)
