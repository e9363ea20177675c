import functools

from .models import Notification


def notifications(request):
    """The signed-in user's unread notifications, counted once, and only if a page shows it."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}

    @functools.cache
    def unread_count() -> int:
        return Notification.objects.filter(user=user, read_at__isnull=True).count()

    return {"unread_notifications": unread_count}
