from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend
from django.db import DEFAULT_DB_ALIAS, connections

from .models import Organisation, Person


class PersonAwareBackend(ModelBackend):
    """Django's password backend, loading the signed-in user together with their person and
    unit: every page asks who the user is and which unit they report for."""

    def get_user(self, user_id):
        user = load_signed_in_user(user_id)
        return user if user is not None and self.user_can_authenticate(user) else None


def load_signed_in_user(user_id):
    """The user with this id, their person and the person's unit, as
    `User.objects.select_related("person__organisation").get(pk=user_id)` would give them
    (None if there is no such user), read with one plain query.

    Every signed-in request asks this. Django built and compiled that query anew each time,
    which was a third of the CPU of a cached page; here the SQL is written once per process
    and the rows are turned into models with Django's own converters and `from_db`."""
    try:
        user_id = int(user_id)
    except (TypeError, ValueError):
        return None
    connection = connections[DEFAULT_DB_ALIAS]
    query = _UserQuery.for_connection(connection)
    with connection.cursor() as cursor:
        cursor.execute(query.sql, [user_id])
        row = cursor.fetchone()
    if row is None:
        return None
    user, person, organisation = query.models(row, connection)
    if person is not None:
        Person.organisation.field.set_cached_value(person, organisation)
        Person.user.field.set_cached_value(person, user)
    # What select_related leaves: user.person is the person, or raises at once if there is none.
    Person.user.field.remote_field.set_cached_value(user, person)
    return user


class _UserQuery:
    """The SQL of `load_signed_in_user` for one database, and how to read its row."""

    _built: dict = {}

    def __init__(self, connection):
        User = get_user_model()
        quote = connection.ops.quote_name
        # Per model: its class, its fields' attribute names, the position of its primary key,
        # and each field with its column and the converters Django's compiler would apply.
        self.parts = []
        columns = []
        for model, alias in ((User, "u"), (Person, "p"), (Organisation, "o")):
            fields = list(model._meta.concrete_fields)
            reading = []
            for field in fields:
                column = field.get_col(alias)
                converters = connection.ops.get_db_converters(column)
                reading.append((column, converters + field.get_db_converters(connection)))
            pk_index = fields.index(model._meta.pk)
            self.parts.append((model, [field.attname for field in fields], pk_index, reading))
            columns += [f"{alias}.{quote(field.column)}" for field in fields]

        def column(model, alias, name):
            return f"{alias}.{quote(model._meta.get_field(name).column)}"

        self.sql = (
            f"SELECT {', '.join(columns)} FROM {quote(User._meta.db_table)} u"
            f" LEFT JOIN {quote(Person._meta.db_table)} p"
            f" ON {column(Person, 'p', 'user')} = {column(User, 'u', User._meta.pk.name)}"
            f" LEFT JOIN {quote(Organisation._meta.db_table)} o"
            f" ON {column(Organisation, 'o', Organisation._meta.pk.name)}"
            f" = {column(Person, 'p', 'organisation')}"
            f" WHERE {column(User, 'u', User._meta.pk.name)} = %s"
        )

    @classmethod
    def for_connection(cls, connection) -> "_UserQuery":
        key = connection.vendor
        if key not in cls._built:
            cls._built[key] = cls(connection)
        return cls._built[key]

    def models(self, row, connection) -> list:
        """The user, person and unit of a row (None for a person or unit that is not there)."""
        found, start = [], 0
        for model, names, pk_index, reading in self.parts:
            values = list(row[start : start + len(names)])
            start += len(names)
            if values[pk_index] is None:  # the LEFT JOIN found no row
                found.append(None)
                continue
            for index, (column, converters) in enumerate(reading):
                for convert in converters:
                    values[index] = convert(values[index], column, connection)
            found.append(model.from_db(DEFAULT_DB_ALIAS, names, values))
        return found
