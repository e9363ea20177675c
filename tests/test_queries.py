"""`CompiledQuery`: a queryset of one id, compiled once, gives what evaluating the queryset
gives: the same rows in the same order, the same field values after the database's converters,
the same related objects from select_related (absent ones too), deferred fields and
annotations."""

import datetime
import threading

import pytest
from django.contrib.auth import get_user_model
from django.db import DatabaseError, connection, connections
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from duban.audit.context import acting_as, actor_for_user
from duban.audit.models import AuditEvent
from duban.documents.models import with_source_cuts
from duban.organisations.models import Organisation
from duban.queries import CompiledQuery
from duban.targets.models import ProgressReport, Target


def fields(instance):
    """The loaded fields' values, and which fields were left deferred."""
    deferred = instance.get_deferred_fields()
    loaded = {
        f.attname: getattr(instance, f.attname)
        for f in instance._meta.concrete_fields
        if f.attname not in deferred
    }
    return loaded, deferred


def same_models(found, expected, related=()):
    assert [type(x) for x in found] == [type(x) for x in expected]
    assert [x.pk for x in found] == [x.pk for x in expected]
    for got, want in zip(found, expected, strict=True):
        assert fields(got) == fields(want)
        assert not got._state.adding and got._state.db == "default"
        for path in related:
            got_related, want_related = got, want
            for name in path.split("__"):
                if want_related is None:
                    break
                got_related = getattr(got_related, name)
                want_related = getattr(want_related, name)
            if want_related is None:
                assert got_related is None
            else:
                assert fields(got_related) == fields(want_related)


@pytest.fixture
def targets(document, make_target, city, leader):
    start = document.text.index("高新技术企业")
    grounded = make_target(
        text=document.text[start : start + 12],
        source_document=document,
        span_start=start,
        span_end=start + 12,
        lead_unit=city["bureau"],
        leader=leader,
    )
    bare = make_target(text="没有来源，也没有牵头单位")
    child = make_target(parent=grounded, lead_unit=city["finance"], decomposed=True)
    return grounded, bare, child


def by_id(queryset_of):
    return CompiledQuery(lambda pk: queryset_of(pk))


def test_select_related_rows_present_and_absent_deferred_fields_and_annotations(targets):
    def queryset(pk):
        return (
            with_source_cuts(Target.objects.filter(pk=pk), excerpt=True)
            .defer("source_document__text")
            .select_related("lead_unit", "leader", "source_document", "parent")
            .order_by()
        )

    compiled = by_id(queryset)
    for target in targets:
        expected = list(queryset(target.pk))
        with CaptureQueriesContext(connection) as queries:
            found = compiled(target.pk)
            same_models(found, expected, ("lead_unit", "leader", "source_document", "parent"))
        assert len(queries) == 1  # nothing was left to load on access
        for name in ("span_text", "excerpt_window", "excerpt_offset", "document_length"):
            assert getattr(found[0], name) == getattr(expected[0], name)
        assert found[0].source_excerpt() == expected[0].source_excerpt()
        if found[0].source_document is not None:
            assert "text" in found[0].source_document.get_deferred_fields()


def test_order_converted_values_and_no_rows(targets, bureau_user):
    grounded = targets[0]
    moment = timezone.now() - datetime.timedelta(days=2, microseconds=13)
    for period, complete in (("2026-Q1", False), ("2026-Q3", True), ("2026-Q2", True)):
        ProgressReport.objects.create(
            target=grounded,
            period=period,
            progress=f"{period}进展",
            is_complete=complete,
            submitted_by=bureau_user,
        )
    ProgressReport.objects.filter(period="2026-Q1").update(created_at=moment)

    def reports(pk):
        return (
            ProgressReport.objects.filter(target=pk)
            .select_related("unit", "submitted_by")
            .order_by("-period", "-created_at")
        )

    compiled = by_id(reports)
    same_models(compiled(grounded.pk), list(reports(grounded.pk)), ("unit", "submitted_by"))
    assert [r.period for r in compiled(grounded.pk)] == ["2026-Q3", "2026-Q2", "2026-Q1"]
    assert compiled(grounded.pk)[-1].created_at == moment
    assert compiled(grounded.pk)[-1].created_at.tzinfo is not None
    assert compiled(targets[1].pk) == []


def test_json_and_a_missing_reverse_one_to_one(targets, bureau_user, django_user_model):
    def trail(pk):
        return AuditEvent.objects.for_target(pk).select_related(
            "object_type", "actor__person__organisation"
        )

    grounded = targets[0]
    with acting_as(actor_for_user(bureau_user, remote_addr="127.0.0.1")):
        grounded.title = "改了标题"
        grounded.save()
    events = list(trail(grounded.pk))
    assert any(event.after for event in events)
    assert any(event.actor_id is None for event in events)  # created by the system
    assert any(event.actor and event.actor.person.organisation for event in events)
    same_models(
        by_id(trail)(grounded.pk), events, ("object_type", "actor", "actor__person__organisation")
    )

    admin = django_user_model.objects.create_user("nobody-in-particular", password="x")
    users = by_id(lambda pk: get_user_model().objects.select_related("person").filter(pk=pk))
    (found,) = users(admin.pk)
    with CaptureQueriesContext(connection) as queries, pytest.raises(Exception) as missing:
        found.person  # noqa: B018
    assert type(missing.value).__name__ == "RelatedObjectDoesNotExist"
    assert len(queries) == 0


def test_compiled_once_per_connection_and_the_id_is_a_parameter(targets, city):
    built = []

    def co_units(pk):
        built.append(pk)
        return Organisation.objects.filter(co_targets=pk)

    compiled = CompiledQuery(co_units)
    grounded, bare, _ = targets
    grounded.co_units.set([city["finance"], city["bureau"]])
    assert [u.pk for u in compiled(grounded.pk)] == [u.pk for u in grounded.co_units.all()]
    assert compiled(bare.pk) == [] and compiled(str(grounded.pk))
    assert len(built) == 1  # three calls, one build

    # Another thread has its own connection, and compiles for it (whether it can read the
    # rows of this test's transaction does not matter here).
    def elsewhere():
        try:
            compiled(grounded.pk)
        except DatabaseError:
            pass
        finally:
            connections.close_all()

    thread = threading.Thread(target=elsewhere)
    thread.start()
    thread.join()
    assert len(built) == 2


def test_a_value_no_column_can_hold_finds_nothing_without_asking(targets):
    compiled = CompiledQuery(lambda pk: Target.objects.filter(pk=pk))
    assert compiled(targets[0].pk)
    with CaptureQueriesContext(connection) as queries:
        assert compiled(2**63) == [] and compiled(-(2**63) - 1) == []
    assert len(queries) == 0


def test_a_queryset_without_the_value_as_a_parameter_is_refused(db):
    with pytest.raises(ValueError):
        CompiledQuery(lambda pk: Target.objects.all())(1)
    with pytest.raises(ValueError):
        CompiledQuery(lambda pk: Target.objects.filter(pk=pk).prefetch_related("co_units"))(1)
