"""Caching of figures derived from many rows (filter choices, counts, dashboard aggregates),
valid until the next recorded change.

Every change the audit trail records also renews the token of the single `ChangeStamp` row,
in the same transaction. A page reads that token (one primary-key query) and looks its
figures up in this process's memory under it, so several server processes stay correct
without a shared cache: a change in one makes every process recompute once. Whole rendered
pages are also shared by the workers of one server (`shared`), so that each is rendered once.
"""

import secrets
import threading
from collections import OrderedDict

from django.db import connection

from . import shared

STAMP_ID = 1
_MAX_ENTRIES = 512


def _stamp_table() -> str:
    from .models import ChangeStamp

    return connection.ops.quote_name(ChangeStamp._meta.db_table)


def current_stamp() -> str:
    """The token of the data as this transaction sees it."""
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT token FROM {_stamp_table()} WHERE id = %s", [STAMP_ID])
        row = cursor.fetchone()
    return row[0] if row else ""


def note_change():
    """Renew the token. Every change renews it, even within one transaction: figures cached
    between two changes of a transaction must not survive the second."""
    token = secrets.token_hex(16)
    table = _stamp_table()
    with connection.cursor() as cursor:
        cursor.execute(f"UPDATE {table} SET token = %s WHERE id = %s", [token, STAMP_ID])
        if cursor.rowcount == 0:  # a flushed database (tests) has lost the row
            cursor.execute(f"INSERT INTO {table} (id, token) VALUES (%s, %s)", [STAMP_ID, token])


class DerivedCache:
    """Per-process memory of derived figures, keyed by (key, change stamp).

    When many requests ask for the same missing figures at once (right after a change, every
    page wants them again), one thread works them out and the others wait for its result."""

    def __init__(self, max_entries: int = _MAX_ENTRIES):
        self._entries: OrderedDict = OrderedDict()
        self._pending: dict = {}
        self._lock = threading.Lock()
        self._max = max_entries

    def _cached(self, full_key):
        if full_key in self._entries:
            self._entries.move_to_end(full_key)
            return True, self._entries[full_key]
        return False, None

    def get_or_compute(self, key, compute, stamp: str | None = None, share=None):
        """The value of `key` as of the change stamp; `compute()` if no thread here has it.

        With `share` (what of the value the other processes of the server need to serve it,
        see `shared`), a value worked out by another worker of `duban serve` is taken as that
        worker left it, and one worked out here is left for them."""
        stamp = current_stamp() if stamp is None else stamp
        full_key = (key, stamp)
        with self._lock:
            found, value = self._cached(full_key)
            if found:
                return value
            working = self._pending.get(full_key)
            if working is None:
                working = self._pending[full_key] = threading.Event()
                mine = True
            else:
                mine = False
        if not mine:
            working.wait(timeout=60)
            with self._lock:
                found, value = self._cached(full_key)
            # If the other thread failed, this one tries for itself.
            return value if found else compute()
        try:
            value = (
                compute() if share is None else shared.get_or_compute(stamp, key, compute, share)
            )
            with self._lock:
                self._entries[full_key] = value
                while len(self._entries) > self._max:
                    self._entries.popitem(last=False)
            return value
        finally:
            with self._lock:
                del self._pending[full_key]
            working.set()

    def clear(self):
        with self._lock:
            self._entries.clear()


derived = DerivedCache()
# Whole parts of pages (a workbench, a page of the target list), rendered once per change for
# everyone who sees the same: larger entries than `derived`'s figures, so fewer of them.
fragments = DerivedCache(max_entries=256)
