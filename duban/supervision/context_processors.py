import functools

from django.db import connection

from .models import Notification


def notifications(request):
    """The signed-in user's unread notifications, counted once, and only if a page shows it."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}

    @functools.cache
    def unread_count() -> int:
        # Asked on every page: written out, as building the ORM's count cost more than it.
        table = connection.ops.quote_name(Notification._meta.db_table)
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT COUNT(*) FROM {table} WHERE user_id = %s AND read_at IS NULL", [user.pk]
            )
            return cursor.fetchone()[0]

    return {"unread_notifications": unread_count}
