"""Sessions kept in the database as Django's `db` backend keeps them, read with one plain query.

Every signed-in request reads its session. Django's backend builds and compiles an ORM query
for that, which cost more than the query itself; on the load benchmark, reading sessions was a
tenth of the server's time. Creating, saving, expiring and clearing sessions stay Django's."""

import functools

from django.contrib.sessions.backends import db
from django.db import connections, router
from django.utils import timezone


class SessionStore(db.SessionStore):
    def _get_session_from_db(self):
        """The live session row of this key, or None (and no key) as Django's backend does."""
        key = self.session_key  # None when missing or malformed: Django validates it
        if key is None:
            return None
        alias = router.db_for_read(self.model)
        connection = connections[alias]
        now = connection.ops.adapt_datetimefield_value(timezone.now())
        with connection.cursor() as cursor:
            cursor.execute(_select_sql(alias), [key, now])
            row = cursor.fetchone()
        if row is None:
            self._session_key = None
            return None
        return self.model(session_key=key, session_data=row[0])


@functools.cache
def _select_sql(alias: str) -> str:
    """The query of a live session's data on the database `alias`, written once."""
    model = db.SessionStore.get_model_class()
    quote = connections[alias].ops.quote_name
    column = {
        name: quote(model._meta.get_field(name).column)
        for name in ("session_key", "session_data", "expire_date")
    }
    return (
        f"SELECT {column['session_data']} FROM {quote(model._meta.db_table)}"
        f" WHERE {column['session_key']} = %s AND {column['expire_date']} > %s"
    )
