"""The signed-in user is read with their person and unit in one plain query
(`load_signed_in_user`): the same models, field for field, as Django's select_related gives."""

import datetime

import pytest
from django.contrib.auth import get_user_model
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from duban.organisations.backends import PersonAwareBackend, load_signed_in_user
from duban.organisations.models import Person


def fields(instance):
    return {f.attname: getattr(instance, f.attname) for f in instance._meta.concrete_fields}


def test_the_user_person_and_unit_are_those_django_would_load(bureau_user):
    bureau_user.last_login = timezone.now() - datetime.timedelta(days=3, microseconds=7)
    bureau_user.save()
    Person.objects.filter(user=bureau_user).update(phone="0571-1234", is_active=True)
    expected = (
        get_user_model().objects.select_related("person__organisation").get(pk=bureau_user.pk)
    )
    with CaptureQueriesContext(connection) as queries:
        user = load_signed_in_user(str(bureau_user.pk))
        assert fields(user) == fields(expected)
        assert fields(user.person) == fields(expected.person)
        assert fields(user.person.organisation) == fields(expected.person.organisation)
        assert user.person.user is user
        assert user.last_login == bureau_user.last_login and user.last_login.tzinfo is not None
    assert len(queries) == 1
    assert not user._state.adding and user._state.db == "default"


def test_a_user_without_a_person_has_none_and_asks_nothing_more(django_user_model):
    admin = django_user_model.objects.create_user("admin", password="x", is_superuser=True)
    with CaptureQueriesContext(connection) as queries:
        user = load_signed_in_user(admin.pk)
        assert user.is_superuser and user.username == "admin"
        with pytest.raises(Person.DoesNotExist):
            user.person  # noqa: B018
    assert len(queries) == 1


def test_no_such_user_and_inactive_users_sign_in_no_one(bureau_user):
    backend = PersonAwareBackend()
    assert load_signed_in_user(bureau_user.pk + 1000) is None
    assert load_signed_in_user("not a number") is None
    assert backend.get_user(bureau_user.pk) == bureau_user
    get_user_model().objects.filter(pk=bureau_user.pk).update(is_active=False)
    assert backend.get_user(bureau_user.pk) is None
