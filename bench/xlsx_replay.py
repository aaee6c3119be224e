"""The floor of writing a workbook with xlsxwriter: record the calls a writer makes, then replay
them on bare xlsxwriter.

`record(run)` runs `run()` with every public method of xlsxwriter's Workbook, Worksheet, Chart
and Format watched, and keeps the calls made from outside xlsxwriter (a `write` that calls
`write_string` inside xlsxwriter is one call), with their arguments: the same cells, formats,
tables, charts, widths and print settings. `replay(log, path)` makes the same calls on a new
workbook at `path`: what a hand-written xlsxwriter script writing exactly those cells costs,
without any of the writer's own work (reading, deciding, computing totals).
"""

import functools
import inspect
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from xlsxwriter.chart import Chart
from xlsxwriter.format import Format
from xlsxwriter.workbook import Workbook
from xlsxwriter.worksheet import Worksheet

WATCHED = (Workbook, Worksheet, Chart, Format)


@dataclass(frozen=True)
class Ref:
    """An xlsxwriter object in the log: the n-th one made."""

    n: int


@dataclass
class Call:
    target: int  # the Ref.n of the object called; -1 for a new Workbook
    method: str
    args: list
    kwargs: dict
    refs: list[tuple]  # where in (args, kwargs) a Ref stands
    made: int | None  # the Ref.n of what the call returned, if it made an object


def record(run: Callable[[], object]) -> list[Call]:
    """The xlsxwriter calls `run()` makes, in order."""
    log: list[Call] = []
    known: dict[int, int] = {}  # id(object) -> Ref.n
    keep: list[object] = []  # keeps the objects alive, so their ids stay theirs
    depth = [0]

    def register(obj: object) -> int | None:
        if not isinstance(obj, WATCHED):
            return None
        if id(obj) not in known:
            known[id(obj)] = len(keep)
            keep.append(obj)
        return known[id(obj)]

    def convert(value: object, path: tuple, refs: list[tuple]) -> object:
        if isinstance(value, WATCHED) and id(value) in known:
            refs.append(path)
            return Ref(known[id(value)])
        if isinstance(value, list | tuple):
            return [convert(v, (*path, i), refs) for i, v in enumerate(value)]
        if isinstance(value, dict):
            return {k: convert(v, (*path, k), refs) for k, v in value.items()}
        return value

    def watch(cls: type, name: str, method: Callable) -> Callable:
        @functools.wraps(method)
        def watched(self, *args, **kwargs):
            if depth[0]:
                return method(self, *args, **kwargs)
            refs: list[tuple] = []
            call_args = convert(list(args), ("args",), refs)
            call_kwargs = convert(kwargs, ("kwargs",), refs)
            target = -1 if name == "__init__" else register(self)
            depth[0] += 1
            try:
                result = method(self, *args, **kwargs)
            finally:
                depth[0] -= 1
            made = register(self) if name == "__init__" else register(result)
            log.append(Call(target, name, call_args, call_kwargs, refs, made))  # type: ignore[arg-type]
            return result

        return watched

    originals = []
    for cls in WATCHED:
        for name, method in list(vars(cls).items()):
            public = not name.startswith("_") or (cls, name) == (Workbook, "__init__")
            if inspect.isfunction(method) and public:
                originals.append((cls, name, method))
                setattr(cls, name, watch(cls, name, method))
    try:
        run()
    finally:
        for cls, name, method in originals:
            setattr(cls, name, method)
    return log


def replay(log: list[Call], path: Path) -> None:
    """Make the recorded calls on a new workbook at `path`."""
    objects: dict[int, object] = {}
    for call in log:
        args, kwargs = call.args, call.kwargs
        places = []  # only where objects stand: table data is not walked
        for where in call.refs:
            holder: object = {"args": args, "kwargs": kwargs}
            for step in where[:-1]:
                holder = holder[step]  # type: ignore[index]
            ref = holder[where[-1]]  # type: ignore[index]
            holder[where[-1]] = objects[ref.n]  # type: ignore[index]
            places.append((holder, where[-1], ref))
        if call.target == -1:
            objects[call.made] = Workbook(str(path), *args[1:], **kwargs)  # type: ignore[index]
        else:
            result = getattr(objects[call.target], call.method)(*args, **kwargs)
            if call.made is not None and call.made not in objects:
                objects[call.made] = result
        for holder, key, ref in places:  # the log as it was: it can be replayed again
            holder[key] = ref  # type: ignore[index]
