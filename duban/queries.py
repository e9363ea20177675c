"""Querysets of one varying value, turned into SQL once.

Django builds and compiles a queryset's SQL anew each time it is evaluated. For the pages read
most, that was the largest part of their CPU: a target page's first visit spent a quarter of
its time in the compiler, for five queries whose SQL differs only in the target's id.

`CompiledQuery` takes a function from the value (an id) to a queryset, compiles it once per
database connection with a placeholder, and then runs the same SQL with the value in the
placeholder's place. Rows become models the way Django's own iterator makes them: the
compiler's converters, `Model.from_db`, and the populators of `select_related`, so what comes
back is what evaluating the queryset gives.
"""

import weakref

from django.db import DEFAULT_DB_ALIAS, connections
from django.db.models.query import get_related_populators

# Stands for the value while the queryset is compiled: an id no row has, that the compiler
# passes through as a parameter, and within a 32-bit integer column's range (the compiler
# turns a lookup of a value out of range into "no rows" without asking the database).
_PLACEHOLDER = -1_735_291_462
# The largest id a database column can hold (a signed 64-bit integer): a larger one names no
# row, and SQLite refuses to be asked.
MAX_ID = 2**63 - 1


class CompiledQuery:
    """`build(value)` (a queryset of models, its value only in the WHERE clause), evaluated
    for any integer value without building or compiling it again.

    A query whose other parts change between calls (filters chosen by a user, a date) is not
    one of these: only the placeholder is replaced."""

    def __init__(self, build, using: str = DEFAULT_DB_ALIAS):
        self._build = build
        self._using = using
        # Per connection (each thread has its own): the compiler keeps its connection, whose
        # settings its converters read.
        self._compiled = weakref.WeakKeyDictionary()

    def __call__(self, value) -> list:
        connection = connections[self._using]
        compiled = self._compiled.get(connection)
        if compiled is None:
            compiled = self._compiled[connection] = _Compiled(self._build(_PLACEHOLDER), connection)
        value = int(value)
        return compiled.run(value) if -MAX_ID <= value <= MAX_ID else []


class _Compiled:
    """One queryset's SQL on one connection, and how to turn its rows into models."""

    def __init__(self, queryset, connection):
        compiler = queryset.query.get_compiler(connection=connection)
        self.sql, params = compiler.as_sql()
        self.params = list(params)
        self.slots = [i for i, param in enumerate(params) if param == _PLACEHOLDER]
        if not self.slots or queryset._known_related_objects or queryset._prefetch_related_lookups:
            raise ValueError("CompiledQuery: the value must appear, and only as a parameter")
        self.connection = connection
        self.compiler = compiler
        self.columns = compiler.col_count if compiler.has_extra_select else None
        self.converters = compiler.get_converters(
            [s[0] for s in compiler.select[: compiler.col_count]]
        )
        klass_info = compiler.klass_info
        fields = klass_info["select_fields"]
        self.start, self.end = fields[0], fields[-1] + 1
        self.model = klass_info["model"]
        self.names = [f[0].target.attname for f in compiler.select[self.start : self.end]]
        self.populators = get_related_populators(klass_info, compiler.select, queryset.db)
        self.annotations = list(compiler.annotation_col_map.items())
        self.db = queryset.db

    def run(self, value) -> list:
        params = self.params.copy()
        for slot in self.slots:
            params[slot] = value
        with self.connection.cursor() as cursor:
            cursor.execute(self.sql, params)
            rows = cursor.fetchall()
        if self.columns is not None:
            rows = [row[: self.columns] for row in rows]
        if self.converters:
            rows = self.compiler.apply_converters(rows, self.converters)
        found = []
        for row in rows:
            obj = self.model.from_db(self.db, self.names, row[self.start : self.end])
            for populator in self.populators:
                populator.populate(row, obj)
            for name, position in self.annotations:
                setattr(obj, name, row[position])
            found.append(obj)
        return found
