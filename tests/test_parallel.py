"""map_files: the results in input order, and the function given to each worker once."""

import gc
import multiprocessing
from pathlib import Path

import pytest

from pa_sheets.parallel import gc_paused, map_files

PICKLED: list[str] = []  # in the test's process: each time the function was pickled


class _Named:
    """A function of a path that notes when it is pickled (as a partial with the spec was)."""

    def __call__(self, path: Path) -> str:
        return path.name.upper()

    def __reduce__(self) -> tuple[type["_Named"], tuple[()]]:
        PICKLED.append("gepickled")
        return (_Named, ())


@pytest.mark.skipif(
    "fork" not in multiprocessing.get_all_start_methods(), reason="workers are not forked"
)
def test_the_function_goes_to_the_workers_once_not_with_every_file():
    PICKLED.clear()
    paths = [Path(f"{n}.xlsx") for n in range(20)]
    assert map_files(_Named(), paths, workers=2) == [f"{n}.XLSX" for n in range(20)]
    assert PICKLED == []  # forked workers inherit it; before, it was pickled 20 times


def _fails_on_b(path: Path) -> str:
    if path.name == "b.xlsx":
        raise ValueError("kapot")
    return path.name


def test_a_failing_file_gets_its_failed_result_in_its_place():
    paths = [Path(name) for name in ("a.xlsx", "b.xlsx", "c.xlsx")]
    seen: list[str] = []
    results = map_files(
        _fails_on_b,
        paths,
        workers=2,
        progress=lambda path: seen.append(path.name),
        failed=lambda path, exc: f"{path.name}: {exc}",
    )
    assert results == ["a.xlsx", "b.xlsx: kapot", "c.xlsx"]
    assert sorted(seen) == ["a.xlsx", "b.xlsx", "c.xlsx"]
    with pytest.raises(ValueError, match="kapot"):
        map_files(_fails_on_b, paths, workers=2)


class _Row:
    """An object the collector tracks (it has a __dict__), as a record of a merge is."""


def test_what_is_made_while_the_collector_is_paused_goes_to_its_oldest_generation():
    """Left young, everything made during the pause is walked by the next collections (0.4 s
    after evaluating 1,000 monitors) though none of it is garbage."""
    thresholds = gc.get_threshold()
    gc.set_threshold(10**9)  # no collection of its own during the test: where things are
    try:
        with gc_paused():
            assert not gc.isenabled()
            made = [_Row() for _ in range(5000)]
        assert gc.isenabled()
        young = {id(item) for item in gc.get_objects(generation=0)}
        oldest = {id(item) for item in gc.get_objects(generation=2)}
    finally:
        gc.set_threshold(*thresholds)
    rows = {id(row) for row in made}
    assert rows <= oldest
    assert not rows & young


def test_a_pause_inside_a_pause_leaves_the_collector_off_until_the_outer_one_ends():
    with gc_paused():
        with gc_paused():
            pass
        assert not gc.isenabled()
    assert gc.isenabled()


def test_objects_the_process_froze_itself_stay_frozen():
    kept = [_Row() for _ in range(10)]
    gc.freeze()
    try:
        with gc_paused():
            [_Row() for _ in range(10)]
        assert gc.get_freeze_count() >= len(kept)
    finally:
        gc.unfreeze()
