"""gc_paused: the cycle collector is off inside, back on after the last overlapping pause ends."""

from __future__ import annotations

import gc
import threading

import pytest

from incidentkit.core.gc_pause import gc_paused


@pytest.fixture(autouse=True)
def collector_on():
    was = gc.isenabled()
    gc.enable()
    yield
    gc.enable() if was else gc.disable()


def test_nested_pauses_switch_it_back_on_only_at_the_end():
    with gc_paused():
        assert not gc.isenabled()
        with gc_paused():
            assert not gc.isenabled()
        assert not gc.isenabled()
    assert gc.isenabled()


def test_an_exception_still_switches_it_back_on():
    with pytest.raises(RuntimeError), gc_paused():
        raise RuntimeError("boom")
    assert gc.isenabled()


def test_a_collector_that_was_off_stays_off():
    gc.disable()
    with gc_paused():
        pass
    assert not gc.isenabled()


def test_overlapping_pauses_in_two_threads():
    inside, release, seen = threading.Event(), threading.Event(), []

    def other() -> None:
        with gc_paused():
            inside.set()
            release.wait(5)

    thread = threading.Thread(target=other)
    with gc_paused():
        thread.start()
        assert inside.wait(5)
    seen.append(gc.isenabled())  # our pause ended, the other thread's has not
    release.set()
    thread.join(5)
    assert seen == [False] and gc.isenabled()


def test_the_startup_pause_ends_once_and_leaves_block_pauses_alone():
    from incidentkit.core.gc_pause import pause_during_startup, startup_done

    pause_during_startup()
    pause_during_startup()  # a second call does not need a second end
    assert not gc.isenabled()
    with gc_paused():
        startup_done()  # ends inside a block pause: the block still holds it off
        assert not gc.isenabled()
    assert gc.isenabled()
    startup_done()  # nothing to end
    assert gc.isenabled()
