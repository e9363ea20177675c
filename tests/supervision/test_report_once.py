"""One live report per target, unit and period (issue 12, item 1): the database's constraint,
the action's refusal, and racing posts on PostgreSQL (a double click on the report form, two
reporters of one unit, the API) of which the second gets the same 409 as on SQLite."""

import threading

import pytest
from django.db import IntegrityError, connection, transaction
from django.test import Client
from django.utils import timezone

from duban.organisations.models import Person
from duban.supervision import actions
from duban.targets.models import ProgressReport, TransitionError

from ..conftest import _user

ALREADY = "本期进展已报送，请等待审核结果"

postgres_only = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="SQLite runs one writing transaction at a time"
)


def period_now() -> str:
    today = timezone.localdate()
    return f"{today.year}-Q{(today.month - 1) // 3 + 1}"


@pytest.fixture(autouse=True)
def files_in_tmp(settings, tmp_path):
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(tmp_path / "files")},
        },
    }


@pytest.fixture
def acknowledged(make_target, city, leader):
    target = make_target(year=timezone.localdate().year, text="建设科技企业孵化器3家")
    target.approve()
    target.assign(lead_unit=city["bureau"], leader=leader, deadline_text="12月底前")
    target.acknowledge()
    return target


@pytest.fixture
def second_reporter(city):
    return _user(
        "bureau2", role=Person.Role.UNIT, organisation=city["bureau"], name="科技局填报员乙"
    )


def write(user, target, **fields):
    values = {
        "period": period_now(),
        "progress": "已完成孵化器选址",
        "is_complete": True,
        "reason": "",
        "next_steps": "推进建设",
        **fields,
    }
    return actions.save_report(user, target, **values)


def form_data():
    return {
        "period": period_now(),
        "progress": "已完成孵化器选址",
        "is_complete": "yes",
        "reason": "",
        "next_steps": "推进建设",
    }


def live(target):
    return target.reports.filter(review_state__in=["submitted", "accepted"])


def race(*calls):
    """Runs the calls at the same moment, each in its own thread and database connection;
    returns what each returned or raised."""
    barrier = threading.Barrier(len(calls))
    results = [None] * len(calls)

    def run(i, call):
        try:
            barrier.wait()
            results[i] = call()
        except Exception as exc:  # noqa: BLE001 - the test looks at what was raised
            results[i] = exc
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i, c)) for i, c in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    return results


# --- the constraint ------------------------------------------------------------------------


def test_the_database_refuses_a_second_live_report(bureau_user, acknowledged):
    first = write(bureau_user, acknowledged)
    with pytest.raises(IntegrityError), transaction.atomic():
        ProgressReport.objects.create(
            target=acknowledged,
            unit=first.unit,
            period=first.period,
            progress="又一份",
            review_state=ProgressReport.Review.ACCEPTED,
        )
    assert live(acknowledged).count() == 1


def test_drafts_returns_document_answers_and_closing_notes_stand_beside_it(
    bureau_user, office_user, acknowledged, document
):
    first = write(bureau_user, acknowledged)
    common = {"target": acknowledged, "unit": first.unit, "period": first.period}
    for state in ("draft", "draft", "returned", "returned"):
        ProgressReport.objects.create(progress="草稿或退回", review_state=state, **common)
    # The office's record read from a document may stand beside the unit's own report.
    ProgressReport.objects.create(
        progress="文件所载", review_state="accepted", source_document=document, **common
    )
    # Closing writes no report at all (the note is the target's own, test_close_safely.py).
    actions.close(office_user, acknowledged, note="全部完成")
    assert live(acknowledged).count() == 2


# --- the action, one request after the other (both databases) ------------------------------


def test_the_form_posted_twice_is_refused_the_second_time(client, bureau_user, acknowledged):
    client.force_login(bureau_user)
    assert client.post(f"/targets/{acknowledged.pk}/report/", form_data()).status_code == 302
    response = client.post(f"/targets/{acknowledged.pk}/report/", form_data())
    assert response.status_code == 409
    assert ALREADY in response.content.decode()
    assert live(acknowledged).count() == 1


def test_a_returned_report_is_revised_and_sent_again(bureau_user, office_user, acknowledged):
    first = write(bureau_user, acknowledged)
    actions.return_report(office_user, first, "请补充数据")
    first.refresh_from_db()
    again = write(
        bureau_user, acknowledged, report=first, expected_version=first.version, progress="补充"
    )
    assert again.pk == first.pk and again.review_state == "submitted"
    assert live(acknowledged).count() == 1


def test_a_returned_report_is_not_sent_beside_another_sent_meanwhile(
    bureau_user, office_user, acknowledged
):
    first = write(bureau_user, acknowledged)
    actions.return_report(office_user, first, "请补充数据")
    write(bureau_user, acknowledged)  # a new report of the period, sent while `first` was out
    first.refresh_from_db()
    with pytest.raises(TransitionError, match=ALREADY):
        write(bureau_user, acknowledged, report=first, expected_version=first.version)
    first.refresh_from_db()
    assert first.review_state == "returned"
    assert live(acknowledged).count() == 1


def test_what_the_check_misses_the_constraint_refuses_with_the_same_words(
    bureau_user, acknowledged, monkeypatch
):
    write(bureau_user, acknowledged)
    monkeypatch.setattr(actions, "_already_reported", lambda target, period: False)
    with pytest.raises(TransitionError, match=ALREADY):
        write(bureau_user, acknowledged)
    assert acknowledged.reports.count() == 1
    # The step's transaction is still usable after the refusal (a savepoint took the error).
    assert ProgressReport.objects.filter(target=acknowledged).exists()


# --- racing (PostgreSQL) -------------------------------------------------------------------


@postgres_only
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("attempt", range(3))
def test_a_double_click_on_the_report_form_stores_one_report(bureau_user, acknowledged, attempt):
    clients = [Client(), Client()]
    for client in clients:
        client.force_login(bureau_user)
    url = f"/targets/{acknowledged.pk}/report/"
    results = race(*(lambda c=c: c.post(url, form_data()) for c in clients))
    assert sorted(r.status_code for r in results) == [302, 409], results
    refused = next(r for r in results if r.status_code == 409)
    assert ALREADY in refused.content.decode()
    assert live(acknowledged).count() == 1


@postgres_only
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("attempt", range(3))
def test_two_reporters_of_one_unit_racing_store_one_report(
    bureau_user, second_reporter, acknowledged, attempt
):
    results = race(
        lambda: write(bureau_user, acknowledged), lambda: write(second_reporter, acknowledged)
    )
    refused = [r for r in results if isinstance(r, Exception)]
    assert len(refused) == 1 and isinstance(refused[0], TransitionError), results
    assert str(refused[0]) == ALREADY
    assert live(acknowledged).count() == 1
    assert acknowledged.reports.count() == 1


@postgres_only
@pytest.mark.django_db(transaction=True)
def test_drafts_started_at_once_through_the_api_are_one(bureau_user, acknowledged):
    results = race(
        lambda: actions.start_report(
            bureau_user,
            acknowledged,
            period=period_now(),
            progress="甲",
            is_complete=None,
            submit=False,
        ),
        lambda: actions.start_report(
            bureau_user,
            acknowledged,
            period=period_now(),
            progress="乙",
            is_complete=None,
            submit=False,
        ),
    )
    assert sum(isinstance(r, TransitionError) for r in results) == 1, results
    assert acknowledged.reports.count() == 1
