"""The long table: one row per afspraak or activity of every merged workbook, with where it came
from, for analysts (csv) and for national monitoring (parquet).

National monitoring merges about a thousand workbooks a year, ten years of them, so this is
written as it comes: each worker that validated a workbook writes that workbook's rows as a
part file next to the target (columns, not an object per row, and nothing per row crosses the
process boundary but the few lopende afspraken, which merge compares across the workbooks),
and once merge has decided which workbooks count, the parts are put in place. Memory therefore
stays that of one workbook per core and those lopende afspraken, however many workbooks there
are.

* csv: one file; the parts are appended in the overview's order under one header.
* parquet: a dataset partitioned hive style by year, gemeente and kind of workbook, one file
  per corporatie: `OUT/jaar=2027/gemeente=GM0344/soort_werkboek=jaarschijf/L1234.parquet`.
  Every merge of every gemeente can go into the same OUT; DuckDB, Spark or polars read it as
  one table. (`soort` is taken: it is the column going concern or nieuw.)
"""

import datetime as dt
import functools
import hashlib
import os
import shutil
import tempfile
from collections.abc import Callable, Iterable, Sequence
from operator import attrgetter
from pathlib import Path
from typing import NamedTuple

from pa_sheets.check.safety import DEFAULT_LIMITS, Limits
from pa_sheets.check.source import SentWorkbooks
from pa_sheets.check.validate import failed as failed_report
from pa_sheets.errors import OutputError
from pa_sheets.merge.combine import Merged, combine
from pa_sheets.merge.form import LEAD, LEAD_KEYS, TRAIL
from pa_sheets.merge.sources import (
    BlockRows,
    Record,
    Source,
    input_files,
    read_blocks,
    records_of,
)
from pa_sheets.parallel import map_files
from pa_sheets.spec.config import Config
from pa_sheets.spec.config_schema import L_NUMMER
from pa_sheets.spec.model import NUMERIC_TYPES, Spec, base_key, load_spec, value_columns
from pa_sheets.spec.planning import cached_span
from pa_sheets.spec.types import LONG_FORMATS, TYPES
from pa_sheets.workbook.meta import Facts
from pa_sheets.workbook.output import (
    atomic_path,
    checked_part,
    csv_safe,
    guard_output,
    output_path,
    refuse_same_names,
)

# What a planning means in time, next to it as typed: 2024-2028 runs from 01-01-2024 to
# 31-12-2028, eind 2028 from October; a frequency or doorlopend has no dates of its own.
SPAN = {"planning_van": ("Planning van", "start"), "planning_tot": ("Planning tot", "end")}
STAGING = ".pa-sheets-"  # the folder next to the target where the parts wait
GEMEENTE_PARTITION = r"GM[0-9]{4}"  # a gemeente code as the config normalises it


def long_columns(spec: Spec, template: Facts) -> list[str]:
    """The columns of the long table: provenance, every value column of every block, and
    where the row came from. The same for every workbook of one kind and period."""
    blocks = spec.templates[template.kind].blocks
    ordered = [b for b in blocks if b.soort is not None] + [b for b in blocks if b.soort is None]
    values = with_spans(value_columns(spec, ordered, template.years))
    return [key for key, _, _ in LEAD] + values + [key for key, _, _ in TRAIL]


def with_spans(keys: list[str]) -> list[str]:
    """Value columns with the planning's start and end right after it."""
    keys = list(keys)
    if "planning" in keys:
        at = keys.index("planning") + 1
        keys[at:at] = list(SPAN)
    return keys


def long_header(spec: Spec, key: str) -> str:
    return SPAN[key][0] if key in SPAN else spec.header_for(key)


def column_kind(spec: Spec, key: str) -> str:
    """The spec type of a column key (aantal_2027 is an integer); provenance is text, but
    the source row is a number."""
    if key == "bronregel":
        return "integer"
    if key in SPAN:
        return "date"
    column = spec.columns.get(base_key(key))
    return column.type if column is not None and key not in LEAD_KEYS else "text"


def long_table(
    spec: Spec, kind: str, records: Iterable[tuple[Source, Record]], columns: list[str]
) -> list[list[object]]:
    """One list per column in `columns`, one value per record: numbers as floats, dates as
    dates, the rest as text (a planning typed as 2027 becomes '2027'), empty cells as None."""
    pairs = list(records)
    recs = [record for _, record in pairs]
    dicts = list(map(attrgetter("values"), recs))
    rows = _Rows(
        [source for source, _ in pairs],
        recs,
        list(map(attrgetter("row"), recs)),
        [text or None for text in map(attrgetter("unreadable"), recs)],
        lambda key: [d.get(key) for d in dicts],
    )
    return _table(spec, kind, rows, columns)


def blocks_table(
    spec: Spec, source: Source, blocks: list[BlockRows], columns: list[str]
) -> list[list[object]]:
    """The same as long_table, for one source straight from the blocks validation read."""
    assert source.template is not None  # only a readable source has blocks
    counts = [len(b.rows) for b in blocks]

    def per_row(key: str) -> list[object]:
        values: list[object] = []
        for block, count in zip(blocks, counts, strict=True):
            values += block.values.get(key) or [None] * count
        return values

    rows = _Rows(
        [source] * sum(counts),
        [b for b, n in zip(blocks, counts, strict=True) for _ in range(n)],
        [row for b in blocks for row in b.rows],
        [b.lost.get(i) for b, n in zip(blocks, counts, strict=True) for i in range(n)],
        per_row,
    )
    return _table(spec, source.template.kind, rows, columns)


class _Rows(NamedTuple):
    """The rows of a long table before they are typed, however they were read: per row its
    source, its place (a Record or a BlockRows: block, thema, rol, partij, sheet), its Excel
    row and the values validation could not read; and each value column's values."""

    sources: list[Source]
    places: Sequence[Record | BlockRows]
    rows: list[int]
    lost: list[str | None]
    values_of: Callable[[str], list[object]]


def _table(spec: Spec, kind: str, rows: _Rows, columns: list[str]) -> list[list[object]]:
    """The long table of `rows`, a list per column of `columns`. Built column by column: a
    list comprehension per column is several times faster than a dict per row."""
    soort = {b.key: b.soort or b.key for b in spec.templates[kind].blocks}
    sources = {id(source): source for source in rows.sources}
    facts = {
        key: (s.corporatie, s.template.l_nummer, s.path.name, "ja" if s.valid else "nee")  # type: ignore[union-attr]
        for key, s in sources.items()
    }
    per_source = [facts[id(source)] for source in rows.sources]
    place = rows.places
    lead: dict[str, Callable[[], list[object]]] = {
        "corporatie": lambda: [f[0] for f in per_source],
        "l_nummer": lambda: [f[1] for f in per_source],
        "thema": lambda: list(map(attrgetter("thema"), place)),
        "partij": lambda: list(map(attrgetter("partij"), place)),
        "rol": lambda: list(map(attrgetter("rol"), place)),
        "blok": lambda: [soort[block] for block in map(attrgetter("block"), place)],
        "onleesbaar": lambda: list(rows.lost),
        "bronbestand": lambda: [f[2] for f in per_source],
        "bronblad": lambda: list(map(attrgetter("sheet"), place)),
        "bronregel": lambda: list(rows.rows),
        "bron_in_orde": lambda: [f[3] for f in per_source],
    }
    plannings = rows.values_of("planning") if SPAN.keys() & set(columns) else []
    return [
        _spans(key, plannings)
        if key in SPAN
        else _conform(spec, key, lead[key]() if key in lead else rows.values_of(key))
        for key in columns
    ]


def _spans(key: str, plannings: list[object]) -> list[object]:
    """The start (planning_van) or end (planning_tot) of each row's planning, or None."""
    side = SPAN[key][1]
    spans = [cached_span(planning) if planning else None for planning in plannings]
    return [getattr(span, side) if span else None for span in spans]


def _conform(spec: Spec, key: str, values: list[object]) -> list[object]:
    """A column's values in its type, in one pass over the column when they already are."""
    kind = column_kind(spec, key)
    usual = float if kind in NUMERIC_TYPES else str  # what most values already are
    if set(map(type, values)) <= {usual, type(None)}:
        return values
    return [v if v is None or type(v) is usual else _typed(kind, v) for v in values]


def _typed(kind: str, value: object) -> object:
    if value is None or (type(value) is str and kind not in NUMERIC_TYPES):
        return value
    if kind in NUMERIC_TYPES:
        return value if isinstance(value, int | float) and not isinstance(value, bool) else None
    if kind == "date" and isinstance(value, dt.date):
        return value
    return _as_text(value)


def _as_text(value: object) -> str:
    """A value of a text column as text: a date as 2027-12-31, a whole number without .0."""
    if isinstance(value, dt.datetime) and value.time() == dt.time():
        return value.date().isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


# ---------------------------------------------------------------------------------------------
# Merging straight into the long table.
# ---------------------------------------------------------------------------------------------


def merge_long(
    paths: Iterable[Path],
    out: Path,
    fmt: str,
    *,
    allow_invalid: bool = False,
    latest: bool = False,
    force: bool = False,
    spec: Spec | None = None,
    limits: Limits = DEFAULT_LIMITS,
    workers: int | None = None,
    progress: Callable[[Path], None] = lambda path: None,
    config: Config | None = None,
    sent: SentWorkbooks | None = None,
) -> tuple[Merged, list[Path]]:
    """Validate every workbook (against `config` or the workbooks as `sent` too, when given)
    and write its rows to the long table at `out` as it comes.
    Raises what merge_paths raises (nothing is written then) and OutputError. Returns what was
    merged (its sources carry no records, only their number) and the files written.

    Example: merge_long([Path("terug/")], Path("landelijk"), "parquet")
    """
    spec = spec or load_spec()
    files = input_files(paths)
    guard_long_target(out, fmt, files, force=force)
    if fmt == "parquet":
        import pyarrow.parquet  # noqa: F401  # once here, not in every worker: they are forked

    with _staging(out) as staging:
        read = functools.partial(
            _read_to_part,
            spec=spec,
            limits=limits,
            staging=staging,
            fmt=fmt,
            config=config,
            sent=sent,
        )
        failed = lambda path, exc: Source(path, failed_report(path, exc))  # noqa: E731
        sources = map_files(read, files, workers=workers, progress=progress, failed=failed)
        merged = combine(
            sources,
            spec,
            allow_invalid=allow_invalid,
            latest=latest,
            config=config,
            sent=sent,
        )
        for source in sources:
            source.records = []  # the lopende afspraken were back only to be compared
        written = _place(merged, out, fmt, staging, force=force)
    return merged, written


def write_long(merged: Merged, out: Path, fmt: str, *, force: bool = False) -> list[Path]:
    """Write the long table of an overview already in memory (its sources hold records)."""
    guard_long_target(out, fmt, [s.path for s in merged.sources + merged.set_aside], force=force)
    with _staging(out) as staging:
        for source in merged.sources:
            columns = long_columns(merged.spec, source.template)  # type: ignore[arg-type]
            table = long_table(
                merged.spec, merged.kind, ((source, r) for r in source.records), columns
            )
            _write_part(merged.spec, source, columns, table, staging, fmt)
        return _place(merged, out, fmt, staging, force=force)


def guard_long_target(out: Path, fmt: str, inputs: Iterable[Path], *, force: bool) -> None:
    """A csv is one file (guard_output's rules); a parquet dataset is a folder that may exist
    already (other gemeenten and years live there too) but is not a file."""
    if fmt not in LONG_FORMATS:
        raise OutputError(f"onbekend formaat {fmt!r} voor de lange tabel; kies csv of parquet.")
    if fmt == "csv":
        guard_output(out, inputs, force=force)
        return
    if out.exists() and not out.is_dir():
        raise OutputError(
            f"{out} is een bestand; parquet schrijft een map (een dataset per jaar, gemeente "
            "en soort werkboek). Kies een map, bijvoorbeeld landelijk/."
        )
    if not out.parent.is_dir():
        raise OutputError(f"{out.parent}: de map bestaat niet.")


def partition(template: Facts, source: Path) -> tuple[str, ...]:
    """Where a workbook's rows live in the parquet dataset: by year, gemeente and kind, each
    a folder name made only of checked facts (a gemeente code that is not GM + 4 digits, as
    the config writes it, is refused: it would be a path, ../../gemeente=GM0344 a sibling's)."""
    code = checked_part(
        template.gemeente_code, GEMEENTE_PARTITION, "de gemeentecode", source, "bijv. GM0344"
    )
    kind = checked_part(template.kind, r"[a-z_]+", "de soort werkboek", source, "bijv. jaarschijf")
    return (f"jaar={int(template.years[0])}", f"gemeente={code}", f"soort_werkboek={kind}")


def part_name(template: Facts, source: Path) -> str:
    """A corporatie's file in its partition: its L-nummer, refused unless it is one."""
    l_nummer = checked_part(template.l_nummer, L_NUMMER, "het L-nummer", source, "bijv. L1234")
    return f"{l_nummer}.parquet"


def _staging(out: Path):
    """A scratch folder next to the target, on the same disk, so parts are renamed into
    place, never copied; removed with whatever is left in it."""
    try:
        return tempfile.TemporaryDirectory(prefix=STAGING, dir=out.parent)
    except OSError as exc:
        raise OutputError(f"{out.parent}: kan hier niet schrijven ({exc.strerror}).") from None


def _read_to_part(
    path: Path,
    spec: Spec,
    limits: Limits,
    staging: str,
    fmt: str,
    config: Config | None = None,
    sent: SentWorkbooks | None = None,
) -> Source:
    """In a worker: validate one workbook and write its rows as a part; what goes back to the
    main process is the report and the part's name, not the rows."""
    source, blocks = read_blocks(path, spec, limits, config, sent)
    if source.template is not None:
        columns = long_columns(spec, source.template)
        table = blocks_table(spec, source, blocks, columns)
        _write_part(spec, source, columns, table, staging, fmt)
        # The lopende afspraken go back too (a few per workbook): merge compares the copies
        # of a shared one across the workbooks (agreed.py).
        lopend = {
            block.key for block in spec.templates[source.template.kind].blocks if block.lopend
        }
        source.records = [r for rows in blocks if rows.block in lopend for r in records_of(rows)]
    return source


def _write_part(
    spec: Spec,
    source: Source,
    columns: list[str],
    table: list[list[object]],
    staging: str,
    fmt: str,
) -> None:
    """Write one source's long table (`table`, a list per column) as a part; the source keeps
    the part's name and its row count instead of its records."""
    name = hashlib.sha256(str(source.path.resolve()).encode()).hexdigest()[:24]
    part = Path(staging) / f"{name}.{fmt}"
    kinds = [column_kind(spec, key) for key in columns]
    if fmt == "parquet":
        write_parquet(part, columns, kinds, table)
    else:
        _csv_part(part, columns, kinds, table)
    source.part, source.part_rows, source.records = part, len(table[0]), []


def _long_type(key: str, kind: str) -> str:
    """A column's type in the long table: its type's (spec/types.py); the source row is a
    whole number."""
    return "int64" if key == "bronregel" else TYPES[kind].long_type


def write_parquet(path: Path, columns: list[str], kinds: list[str], table: list[list]) -> None:
    """One workbook's rows as one parquet file, one row group, with the spec's types: a column
    that is empty in this workbook still has the type it has in every other one."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    arrays, fields = [], []
    for key, kind, values in zip(columns, kinds, table, strict=True):
        kind_type = getattr(pa, _long_type(key, kind))()
        if kind_type == pa.date32():
            values = [v.date() if isinstance(v, dt.datetime) else v for v in values]
        arrays.append(pa.array(values, type=kind_type))
        fields.append(pa.field(key, kind_type))
    pq.write_table(pa.Table.from_arrays(arrays, schema=pa.schema(fields)), path)


def _csv_part(path: Path, columns: list[str], kinds: list[str], table: list[list]) -> None:
    """One workbook's rows as csv lines without a header (the header is written once); its
    texts csv_safe, as publish writes the same rows."""
    import pandas as pd

    series = {}
    for key, kind, values in zip(columns, kinds, table, strict=True):
        long_type = _long_type(key, kind)
        if long_type in ("int64", "float64"):
            series[key] = pd.Series(values, dtype=long_type)
        elif long_type == "date32":
            series[key] = pd.to_datetime(pd.Series(values, dtype=object))
        else:
            # Not pandas' str: None stays None. A text that would run as a formula is escaped.
            series[key] = pd.Series(list(map(csv_safe, values)), dtype=object)
    pd.DataFrame(series, columns=columns).to_csv(path, index=False, header=False)


def _place(merged: Merged, out: Path, fmt: str, staging: str, *, force: bool) -> list[Path]:
    """Put the parts of the merged workbooks where they belong; those set aside stay behind
    and go with the staging folder."""
    if fmt == "csv":
        columns = long_columns(merged.spec, merged.template)
        with atomic_path(out) as temp, temp.open("wb") as whole:
            whole.write((",".join(columns) + "\n").encode())
            for source in merged.sources:
                with source.part.open("rb") as part:  # type: ignore[union-attr]
                    shutil.copyfileobj(part, whole)
        return [out]
    # Every name is decided, and checked, before anything is moved: a refused fact leaves the
    # dataset as it was.
    for source in merged.sources:
        partition(source.template, source.path)  # type: ignore[arg-type]
    first = merged.sources[0].path if merged.sources else out
    folder = output_path(out, *partition(merged.template, first))
    targets = [
        (output_path(folder, part_name(s.template, s.path)), s)  # type: ignore[arg-type]
        for s in merged.sources
    ]
    refuse_same_names((place, str(s.path)) for place, s in targets)
    old = sorted(folder.glob("*.parquet")) if folder.is_dir() else []
    if old and not force:
        raise OutputError(
            f"{folder} bestaat al ({len(old)} bestand(en)); gebruik --force om dit jaar van "
            "deze gemeente te vervangen."
        )
    try:
        folder.mkdir(parents=True, exist_ok=True)
        for stale in old:  # the earlier merge of this partition, replaced as a whole
            stale.rename(Path(staging) / f"oud-{stale.name}")
        for place, source in targets:
            os.replace(source.part, place)  # type: ignore[arg-type]
    except OSError as exc:
        raise OutputError(f"{folder}: kan de dataset niet schrijven ({exc.strerror}).") from None
    return [place for place, _ in targets]
