"""Run one function over many files on the available cores, with the results in input order.

Validating a workbook is pure Python and CPU bound, so threads would not help; processes do.
A worker is forked from the running process, so it starts with the spec and the libraries
already loaded; a single file, or a machine with one core, runs in this process instead.
"""

import contextlib
import gc
import multiprocessing
import os
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor, as_completed
from concurrent.futures.process import BrokenProcessPool
from pathlib import Path
from typing import TypeVar, cast

Result = TypeVar("Result")


def available_cores() -> int:
    """The cores this process may use (a container or `taskset` may allow fewer than exist)."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


def map_files(
    function: Callable[[Path], Result],
    paths: Sequence[Path],
    *,
    workers: int | None = None,
    progress: Callable[[Path], None] = lambda path: None,
    failed: Callable[[Path, BaseException], Result] | None = None,
) -> list[Result]:
    """`[function(path) for path in paths]`, spread over `workers` processes (default: every
    available core). `function` must be picklable (a module-level function or a partial of
    one; each worker gets it once, as it starts) and should not raise: one broken file may
    not stop the others. If it does anyway (or its result cannot come back, or its worker
    dies), `failed(path, exception)` gives the result for that file instead; without `failed`
    the exception goes on. `progress` is called in this process as each file finishes."""
    workers = min(workers or available_cores(), len(paths))
    if workers <= 1:
        results = []
        for path in paths:
            try:
                results.append(function(path))
            except Exception as exc:
                if failed is None:
                    raise
                results.append(failed(path, exc))
            progress(path)
        return results
    methods = multiprocessing.get_all_start_methods()
    context = multiprocessing.get_context("fork" if "fork" in methods else None)
    ordered: list[Result | None] = [None] * len(paths)
    broken = []  # a worker died (a crash in a reader): its pool is gone, each file goes alone
    with _pool(workers, context, function) as pool:
        futures = {pool.submit(_call, path): index for index, path in enumerate(paths)}
        for future in as_completed(futures):
            index = futures[future]
            try:
                ordered[index] = cast(Result, future.result())
            except BrokenProcessPool:
                broken.append(index)
                continue
            except Exception as exc:  # PicklingError, a bug in `function`
                if failed is None:
                    raise
                ordered[index] = failed(paths[index], exc)
            progress(paths[index])
    for index in sorted(broken):
        with _pool(1, context, function) as alone:
            try:
                ordered[index] = cast(Result, alone.submit(_call, paths[index]).result())
            except Exception as exc:  # this is the file that crashes its worker
                if failed is None:
                    raise
                ordered[index] = failed(paths[index], exc)
        progress(paths[index])
    return cast(list[Result], ordered)  # every slot is filled above


# The function of map_files in this worker: given once as the worker starts (a forked worker
# inherits it, nothing is pickled), not with every file. A partial of a function with the
# spec was pickled in this process and unpickled in the worker once per file: at 1,000
# monitors 0.6 s of this process's time, in the thread that feeds the workers.
_function: Callable[[Path], object] | None = None


def _pool(
    workers: int, context: multiprocessing.context.BaseContext, function: Callable[[Path], Result]
) -> ProcessPoolExecutor:
    """Worker processes that each know `function` from the start."""
    return ProcessPoolExecutor(
        workers, mp_context=context, initializer=_start_worker, initargs=(function,)
    )


def _start_worker(function: Callable[[Path], object]) -> None:
    global _function
    _function = function


def _call(path: Path) -> object:
    """In a worker: map_files' function for one file."""
    assert _function is not None, "map_files starts every worker with its function"
    return _function(path)


@contextlib.contextmanager
def gc_paused() -> Iterator[None]:
    """The cyclic garbage collector off for a while (as it was again after): while many
    workbooks' rows come in and are combined, millions of small objects stay alive until the
    end, and the collector would only walk them again and again (at 1,000 monitors a quarter
    of evaluate's own time). They hold no cycles; reference counting frees them as before.

    After the pause they are all still young: the first collections would walk every one of
    them (0.4 s after evaluating 1,000 monitors) to find nothing. So they go to the oldest
    generation at once, as freeze and unfreeze move them (a splice of two lists), walked only
    by the rare full collections. Not when the process froze objects itself (a server before
    it forks): unfreeze would give those back too."""
    collecting = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if collecting:
            if not gc.get_freeze_count():
                gc.freeze()
                gc.unfreeze()
            gc.enable()
