"""The change stamp and the cache of derived figures keyed on it."""

import datetime
import threading
import time

import pytest
from django.db import transaction

from duban.audit.changes import DerivedCache, current_stamp, derived
from duban.organisations.models import Organisation
from duban.targets.models import Target


@pytest.fixture(autouse=True)
def empty_cache():
    derived.clear()
    yield
    derived.clear()


def test_every_recorded_change_renews_the_stamp(make_target):
    before = current_stamp()
    target = make_target()
    created = current_stamp()
    target.text = "改过的内容"
    target.save()
    assert len({before, created, current_stamp()}) == 3


def test_a_save_that_changes_nothing_keeps_the_stamp(make_target):
    target = make_target()
    stamp = current_stamp()
    target.save()
    assert current_stamp() == stamp


def test_a_rolled_back_change_never_hands_out_its_stamp_again(db):
    before = current_stamp()
    with pytest.raises(RuntimeError), transaction.atomic():
        Organisation.objects.create(name="撤销的单位")
        inside = current_stamp()
        raise RuntimeError
    assert current_stamp() == before
    Organisation.objects.create(name="保留的单位")
    assert current_stamp() not in {before, inside}


def test_figures_are_computed_once_per_stamp(make_target):
    cache = DerivedCache()
    calls = []

    def count():
        calls.append(1)
        return Target.objects.count()

    assert cache.get_or_compute("n", count) == 0
    assert cache.get_or_compute("n", count) == 0
    assert len(calls) == 1
    make_target()
    assert cache.get_or_compute("n", count) == 1
    assert len(calls) == 2


def test_cache_forgets_the_least_recently_used(db):
    cache = DerivedCache(max_entries=2)
    for key in "abc":
        cache.get_or_compute(key, lambda key=key: key, stamp="s")
    assert cache.get_or_compute("a", lambda: "again", stamp="s") == "again"
    assert cache.get_or_compute("c", lambda: "not again", stamp="s") == "c"


def test_target_list_choices_follow_a_new_year_at_once(client, office_user, make_target):
    make_target(year=2025)
    client.force_login(office_user)
    assert "2031年" not in client.get("/targets/").content.decode()
    make_target(year=2031)
    assert "2031年" in client.get("/targets/").content.decode()
    assert client.get("/targets/", {"year": "2031"}).status_code == 200


def test_dashboard_figures_follow_a_change_at_once(client, office_user, make_target):
    make_target(year=2026, state=Target.State.IN_PROGRESS)
    client.force_login(office_user)
    first = client.get("/reports/dashboard/", {"year": "2026"}).context["d"]
    make_target(year=2026, state=Target.State.IN_PROGRESS)
    second = client.get("/reports/dashboard/", {"year": "2026"}).context["d"]
    assert second.total == first.total + 1


def test_home_light_counts_follow_a_change_at_once(client, office_user, make_target):
    client.force_login(office_user)
    before = client.get("/").context["counts"]["red"]
    make_target(state=Target.State.IN_PROGRESS, deadline=datetime.date(2020, 1, 1))
    assert client.get("/").context["counts"]["red"] == before + 1


def test_concurrent_requests_for_missing_figures_compute_them_once(db):
    cache = DerivedCache()
    calls = []
    results = []

    def slow():
        calls.append(1)
        time.sleep(0.2)
        return "figures"

    def ask():
        results.append(cache.get_or_compute("board", slow, stamp="s"))

    threads = [threading.Thread(target=ask) for _ in range(5)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert results == ["figures"] * 5
    assert len(calls) == 1


def test_a_failed_computation_leaves_nothing_behind(db):
    cache = DerivedCache()

    def broken():
        raise ValueError("boom")

    with pytest.raises(ValueError):
        cache.get_or_compute("board", broken, stamp="s")
    assert cache.get_or_compute("board", lambda: "again", stamp="s") == "again"
