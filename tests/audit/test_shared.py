"""Pages shared by the workers of one `duban serve`: worked out by one process, read by the
others, never half-written, dropped with their stamp."""

import multiprocessing
import os
import time

import pytest

from duban.audit import shared
from duban.audit.changes import DerivedCache


@pytest.fixture
def store(tmp_path):
    shared.enable(tmp_path / "pages")
    yield tmp_path / "pages"
    shared.disable()


def _work_out_in_a_child(root, log, results, index):
    """A worker: asks for the same page as its siblings; the first works it out slowly."""
    shared.enable(root)

    def compute():
        with open(log, "a") as file:
            file.write(f"{os.getpid()}\n")
        time.sleep(0.3)
        return {"content": "<p>页面</p>", "computed_by": os.getpid()}

    value = shared.get_or_compute("stamp-1", ("target-list", "/targets/"), compute, dict)
    results.put((index, value["content"]))


def test_workers_asking_at_once_work_a_page_out_once(store, tmp_path):
    log = tmp_path / "computed.log"
    context = multiprocessing.get_context("fork")
    results = context.Queue()
    children = [
        context.Process(target=_work_out_in_a_child, args=(store, log, results, i))
        for i in range(3)
    ]
    for child in children:
        child.start()
    for child in children:
        child.join(timeout=30)
    assert [child.exitcode for child in children] == [0, 0, 0]
    answers = sorted(results.get(timeout=5) for _ in children)
    assert answers == [(0, "<p>页面</p>"), (1, "<p>页面</p>"), (2, "<p>页面</p>")]
    assert len(log.read_text().split()) == 1


def test_the_others_get_what_share_keeps_and_the_worker_its_whole_value(store):
    whole = {"content": "<p>看板</p>", "d": object()}
    mine = shared.get_or_compute(
        "s", ("dashboard",), lambda: whole, lambda v: {"content": v["content"]}
    )
    assert mine is whole
    theirs = shared.get_or_compute(
        "s", ("dashboard",), lambda: pytest.fail("worked out twice"), dict
    )
    assert theirs == {"content": "<p>看板</p>"}


def test_a_new_stamp_is_worked_out_again(store):
    shared.get_or_compute("old", ("page",), lambda: "旧", str)
    assert shared.get_or_compute("new", ("page",), lambda: "新", str) == "新"


def test_superseded_stamps_are_removed_and_the_current_one_kept(store, monkeypatch):
    shared.get_or_compute("first", ("page",), lambda: "一", str)
    shared.get_or_compute("second", ("page",), lambda: "二", str)
    assert len(list(store.iterdir())) == 2  # the first may still be read by a request under way
    long_ago = time.time() - shared.STALE_AFTER - 1
    for directory in store.iterdir():
        os.utime(directory, (long_ago, long_ago))
    shared.get_or_compute("third", ("page",), lambda: "三", str)
    assert len(list(store.iterdir())) == 1
    assert shared.get_or_compute("third", ("page",), lambda: pytest.fail("lost"), str) == "三"


def test_a_damaged_file_is_worked_out_again(store):
    shared.get_or_compute("s", ("page",), lambda: "好的", str)
    for path in store.rglob("*"):
        if path.is_file() and path.suffix != ".lock":
            path.write_bytes(b"\x80\x04garbage")
    assert shared.get_or_compute("s", ("page",), lambda: "重新生成", str) == "重新生成"


def test_nothing_is_written_unless_a_server_enabled_it(tmp_path):
    assert not shared.enabled()
    assert shared.get_or_compute("s", ("page",), lambda: "直接", str) == "直接"
    assert list(tmp_path.iterdir()) == []


def test_the_cache_of_a_process_takes_shared_values_only_when_asked(store):
    cache = DerivedCache()
    cache.get_or_compute(("page",), lambda: {"content": "甲", "rows": [1]}, "s", share=dict)
    other_process = DerivedCache()
    assert other_process.get_or_compute(("page",), lambda: "not used", "s", share=dict) == {
        "content": "甲",
        "rows": [1],
    }
    unshared = other_process.get_or_compute(("figures",), lambda: 42, "s")
    assert unshared == 42 and len(list((store).rglob("*.lock"))) == 1
