"""The collector pause: resumed after the block, what is alive frozen (or not, on request)."""

from __future__ import annotations

import gc
from collections.abc import Iterator

import pytest

from techdiversity import gcpause


@pytest.fixture(autouse=True)
def _thawed() -> Iterator[None]:
    gc.unfreeze()
    yield
    gc.unfreeze()
    gcpause.FREEZE = True


def test_a_large_block_runs_paused_and_freezes_what_is_alive() -> None:
    assert gc.get_freeze_count() == 0
    with gcpause.gc_paused(10, 5):
        assert not gc.isenabled()
        kept = [[i] for i in range(1000)]
    assert gc.isenabled()
    assert gc.get_freeze_count() >= len(kept)


def test_freezing_can_be_switched_off() -> None:
    gcpause.FREEZE = False
    with gcpause.gc_paused(10, 5):
        assert not gc.isenabled()
    assert gc.isenabled()
    assert gc.get_freeze_count() == 0


def test_a_small_block_or_a_nested_one_changes_nothing() -> None:
    with gcpause.gc_paused(1, 5):
        assert gc.isenabled()
    with gcpause.gc_paused(10, 5):
        with gcpause.gc_paused(10, 5):
            assert not gc.isenabled()
        assert not gc.isenabled()
    assert gc.isenabled()


def test_the_collector_is_resumed_when_the_block_raises() -> None:
    with pytest.raises(KeyError), gcpause.gc_paused(10, 5):
        raise KeyError("x")
    assert gc.isenabled()
