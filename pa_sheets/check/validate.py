"""Validate returned workbooks: the steps in order. Read (read.py), bring values into shape
(normalise.py), check them with the pandera schemas from the spec (schemas.py), then run every
rule across cells and sheets (rules.py); return findings, never raise for bad content. Per
block kind, the rows of all sheets form one frame, so pandera runs a handful of times per
workbook whatever its size; the frame holds only the columns that may fail a check (a column
whose distinct values pass them all, schemas.passes, is left out), so a workbook in order
needs no pandera call at all.
"""

import functools
import gc
import math
from bisect import bisect_right
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, replace
from itertools import accumulate, chain
from pathlib import Path

from pa_sheets.check.findings import ERROR, FileReport, Finding, Report, Signing, cell_name
from pa_sheets.check.normalise import Lists, Note, from_percent_cells, normalise_column
from pa_sheets.check.read import WorkbookData, read_workbook
from pa_sheets.check.rules import RULES, Clean, Context, block_finding, signing_summary
from pa_sheets.check.safety import DEFAULT_LIMITS, Limits, reader_failed
from pa_sheets.check.schemas import SCHEMA_CODES, block_schema, passes
from pa_sheets.check.source import SentWorkbooks, source_check
from pa_sheets.errors import PaSheetsError, UsageError
from pa_sheets.numbers import dutch_number
from pa_sheets.parallel import map_files
from pa_sheets.spec.config import Config
from pa_sheets.spec.model import NUMERIC_TYPES, Spec, base_key, load_spec
from pa_sheets.spec.model import Block as SpecBlock

WORKBOOK_SUFFIXES = (".xlsx", ".xlsm", ".xls", ".xltx", ".xlsb", ".ods", ".csv")


def expand_paths(paths: Iterable[Path]) -> list[Path]:
    """Files as given; for a folder, the spreadsheets directly in it (sorted), not its
    subfolders (an `oud/` of earlier versions is read only when named), nor lock files and
    hidden files (skipped_in names them)."""
    return [file for path in paths for file in (_folder(path)[0] if path.is_dir() else [path])]


def workbook_files(paths: Iterable[Path]) -> list[Path]:
    """The files `expand_paths` reads, refused when there are none: a folder without a single
    workbook is a mistake in the command, not a folder of workbooks that are all in order."""
    paths = list(paths)
    files = expand_paths(paths)
    if not files:
        raise UsageError(f"geen werkboeken (.xlsx) gevonden in {', '.join(map(str, paths))}.")
    return files


def skipped_in(paths: Iterable[Path]) -> list[str]:
    """What the folders among `paths` hold that is not read: other files, and subfolders that
    are not themselves among `paths` (`terug/ terug/oud/` reads both)."""
    paths = list(paths)
    given = {path.resolve() for path in paths}
    return [
        _skipped(entry)
        for path in paths
        if path.is_dir()
        for entry in _folder(path)[1]
        if entry.resolve() not in given
    ]


def _skipped(entry: Path) -> str:
    """An entry that is not read, with why when its name does not say so."""
    if entry.name.startswith("~$"):
        return f"{entry} (vergrendelbestand van Excel)"
    hidden = entry.name.startswith(".")
    if entry.is_dir():
        return f"{entry}/ ({'verborgen map' if hidden else 'submap'})"
    return f"{entry} (verborgen bestand)" if hidden else str(entry)


def _folder(path: Path) -> tuple[list[Path], list[Path]]:
    """The workbooks directly in a folder, and the other entries (files and subfolders).
    Excel's lock files (~$...) and hidden files are never a returned workbook: they are
    among the others, so the "Niet gelezen" line names them (a workbook hidden by its name
    would else go unseen)."""
    read, skipped = [], []
    for entry in sorted(path.iterdir()):
        if entry.name.startswith(("~$", ".")) or entry.is_dir():
            skipped.append(entry)
        elif entry.suffix.lower() in WORKBOOK_SUFFIXES:
            read.append(entry)
        else:
            skipped.append(entry)
    return read, skipped


def validate_paths(
    paths: Iterable[Path],
    *,
    strict: bool = False,
    spec: Spec | None = None,
    limits: Limits = DEFAULT_LIMITS,
    progress: Callable[[Path], None] = lambda path: None,
    workers: int | None = None,
    config: Config | None = None,
    sent: SentWorkbooks | None = None,
) -> Report:
    """Validate every file (folders expanded) on the available cores; one broken file does
    not stop the others. With the gemeente's `config`, fixed texts, parties and signing rows
    are compared with what it generates; with `sent`, with the workbook as sent
    (check/source.py).

    Example: validate_paths([Path("terug/")]).exit_code
    """
    spec = spec or load_spec()
    check = functools.partial(validate_file, spec=spec, limits=limits, config=config, sent=sent)
    files = map_files(check, expand_paths(paths), workers=workers, progress=progress, failed=failed)
    return Report(
        files,
        strict,
        config.path if config is not None else None,
        sent.folder if sent is not None else None,
    )


def failed(path: Path, exc: BaseException) -> FileReport:
    """The report of a file whose check stopped on something no reader turned into a message
    (see parallel.map_files): the file is named, the others go on."""
    return FileReport(path, unusable=str(reader_failed(path, exc)))


@dataclass
class Inspection:
    """A file's report and, when it could be read, what was read and the values as validation
    understood them: `clean[i]` holds the normalised columns of `data.blocks[i]`."""

    report: FileReport
    data: WorkbookData | None = None
    clean: list[Clean] = field(default_factory=list)


def validate_file(
    path: Path,
    spec: Spec,
    limits: Limits = DEFAULT_LIMITS,
    config: Config | None = None,
    sent: SentWorkbooks | None = None,
) -> FileReport:
    """The findings for one file, or why it could not be used."""
    return inspect_file(path, spec, limits, config, sent).report


def inspect_file(
    path: Path,
    spec: Spec,
    limits: Limits = DEFAULT_LIMITS,
    config: Config | None = None,
    sent: SentWorkbooks | None = None,
) -> Inspection:
    """Validate one file and keep what was read, for those who go on with the values (merge);
    with the gemeente's `config` or the workbooks as `sent`, compared with the source too."""
    # Reading makes millions of small objects that are all alive until the end: the cyclic
    # garbage collector would only walk them again and again (about a fifth of the time).
    collecting = gc.isenabled()
    gc.disable()
    try:
        data = read_workbook(path, spec, limits)
        findings, clean = check_workbook(data, spec, config, sent)
        signing = signing_of(data, spec, findings)
        report = FileReport(path, data.template.to_dict(), findings, signing=signing)
        return Inspection(report, data, clean)
    except PaSheetsError as exc:
        return Inspection(FileReport(path, unusable=str(exc)))
    finally:
        if collecting:
            gc.enable()


def signing_of(data: WorkbookData, spec: Spec, findings: list[Finding]) -> Signing | None:
    """Who agreed and whether the workbook is getekend (rules.signing_summary), given the
    workbook's `findings`; None for a workbook without an Ondertekening. Its few rows are
    normalised again, without findings."""
    if data.signing is None:
        return None
    lists = Lists(spec, [party["naam"] for party in data.meta.parties], data.meta.gemeenten)
    context = Context(data, spec, [], lists)
    context.signing = _normalise_signing(data.signing, spec, lists, [])
    summary = signing_summary(context)
    # A signature without its name or date, or a voorbehoud not said, signs nothing yet.
    wrong = any(f.sheet == data.signing.sheet and f.severity == ERROR for f in findings)
    if summary is None or not wrong:
        return summary
    return replace(summary, signed=False)


def check_workbook(
    data: WorkbookData,
    spec: Spec,
    config: Config | None = None,
    sent: SentWorkbooks | None = None,
) -> tuple[list[Finding], list[Clean]]:
    """Every finding for a workbook that could be read, in sheet and cell order, and its values
    as normalised (aligned with data.blocks). The steps: normalise each column, run the pandera
    schema of each kind of block once over the rows of all its sheets, then every rule (with
    `config` or `sent`, those against the source too)."""
    context, findings, unreadable = normalise_workbook(data, spec)
    if config is not None or sent is not None:
        context.source = source_check(data, spec, config, sent)
    groups: dict[str, list[int]] = {}
    for number, block in enumerate(data.blocks):
        groups.setdefault(block.key, []).append(number)
    for block_key, numbers in groups.items():
        findings += _schema_findings(
            context, context.template.block(block_key), numbers, unreadable
        )
    for rule in RULES:
        findings += rule.check(context)
    order = {block.sheet: i for i, block in enumerate(data.blocks)}
    if data.signing is not None:
        order[data.signing.sheet] = len(data.blocks)  # the last sheet of the tabs
    findings.sort(key=lambda f: (order.get(f.sheet or "", -1), f.row or 0, f.cell or "", f.code))
    return findings, context.clean


def normalise_workbook(
    data: WorkbookData, spec: Spec
) -> tuple[Context, list[Finding], set[tuple[int, str, int]]]:
    """The first step: every column of every block in shape. Returns the Context the rules
    read, the findings of reading and normalising, and the cells that could not be read as
    (block number, key, row index)."""
    parties = [party["naam"] for party in data.meta.parties]
    lists = Lists(spec, parties, data.meta.gemeenten, data.template.spec_version)
    findings = list(data.findings)
    clean: list[Clean] = []
    unreadable: set[tuple[int, str, int]] = set()
    for number, block in enumerate(data.blocks):
        columns = {}
        percents = data.percents.get(block.sheet)
        for key, values in block.values.items():
            if values.count(None) == len(values):
                columns[key] = values  # an empty column (about half): as normalising leaves it
                continue
            column = spec.column_for(key)
            notes: list[Note] = []
            if percents and column.type == "decimal":
                col = block.columns[key]
                cells = [cell_name(row, col) for row in block.rows]
                values, notes = from_percent_cells(values, cells, percents)
            allowed = lists(column) if column.type == "enum" else None
            columns[key], more = normalise_column(column, values, allowed)
            notes += more
            for note in notes:
                findings.append(
                    block_finding(
                        spec, note.code, block, key, note.index, note.value, detail=note.detail
                    )
                )
                if note.unreadable:
                    unreadable.add((number, key, note.index))
        clean.append(columns)
    context = Context(data, spec, clean, lists)
    if data.signing is not None:
        context.signing = _normalise_signing(data.signing, spec, lists, findings)
    return context, findings, unreadable


def _normalise_signing(block, spec: Spec, lists: Lists, findings: list[Finding]) -> Clean:
    """The Ondertekening's columns in shape: dates read, akkoord folded to its list."""
    columns: Clean = {}
    for key, values in block.values.items():
        column = spec.column_for(key)
        allowed = lists(column) if column.type == "enum" else None
        columns[key], notes = normalise_column(column, values, allowed)
        for note in notes:
            findings.append(
                block_finding(
                    spec, note.code, block, key, note.index, note.value, detail=note.detail
                )
            )
    return columns


def _schema_findings(
    context: Context,
    template_block: SpecBlock,
    numbers: list[int],
    unreadable: set[tuple[int, str, int]],
) -> list[Finding]:
    """Run the block's pandera schema once over the rows of all its sheets joined into one
    frame (pandera costs about 17 ms a call, whatever the size), with only the columns that
    may fail one of its checks: a workbook in order needs no call."""
    spec, data = context.spec, context.data
    counts = [len(data.blocks[number].rows) for number in numbers]
    columns = _columns_that_may_fail(context, template_block, numbers, counts)
    if not columns:
        return []
    import pandas as pd
    import pandera.pandas as pa

    frame = pd.DataFrame(
        {
            key: pd.Series(
                values, dtype=float if spec.column_for(key).type in NUMERIC_TYPES else object
            )
            for key, values in columns.items()
        }
    )
    schema = block_schema(spec, template_block, {base_key(key) for key in columns})
    try:
        schema.validate(frame, lazy=True)
    except pa.errors.SchemaErrors as exc:
        failures = exc.failure_cases
    else:
        return []
    starts = list(accumulate(counts, initial=0))  # the frame's row of each block's first row
    findings = []
    for failure in failures.itertuples(index=False):
        if failure.index is None or (
            isinstance(failure.index, float) and math.isnan(failure.index)
        ):
            continue  # a frame-level failure (e.g. a column absent): reported by read.py
        row = int(failure.index)
        at = bisect_right(starts, row) - 1
        number, index = numbers[at], row - starts[at]
        block, key = data.blocks[number], str(failure.column)
        if key not in block.columns:
            continue  # the column is missing on this sheet: reported once by read.py
        code = "V001" if failure.check == "not_nullable" else str(failure.check)
        if code not in SCHEMA_CODES or (code == "V001" and (number, key, index) in unreadable):
            continue  # a cell with a value that could not be read: already reported
        raw = block.values[key][index]
        findings.append(
            block_finding(spec, code, block, key, index, raw, **_details(spec, code, key, raw))
        )
    return findings


def _columns_that_may_fail(
    context: Context, template_block: SpecBlock, numbers: list[int], counts: list[int]
) -> dict[str, list[object]]:
    """The columns of the block's sheets, joined, that may fail a check of the schema. A
    column that may be empty and is empty in every row cannot fail (pandera skips empty
    cells); nor can a column whose values pass every check for sure (schemas.passes): nearly
    all. Fixed cells of going-concern rows are checked whole, by their fingerprint (X005):
    checking their values again would only cost time."""
    spec, clean = context.spec, context.clean
    keys = list(dict.fromkeys(chain.from_iterable(clean[number] for number in numbers)))
    columns: dict[str, list[object]] = {}
    if not sum(counts):
        return columns
    for key in keys:
        if base_key(key) in template_block.fixed:
            continue
        parts = [
            clean[number].get(key) or [None] * count
            for number, count in zip(numbers, counts, strict=True)
        ]
        if (
            spec.column_for(key).required or any(part.count(None) != len(part) for part in parts)
        ) and not passes(spec, key, chain.from_iterable(parts)):
            columns[key] = list(chain.from_iterable(parts))
    return columns


def _details(spec: Spec, code: str, key: str, raw: object) -> dict[str, object]:
    """What a schema finding's message needs besides the value."""
    column = spec.column_for(key)
    if code == "V003":
        low, high = column.bounds()
        parts = ([f"minstens {dutch_number(low)}"] if low is not None else []) + (
            [f"hoogstens {dutch_number(high)}"] if high is not None else []
        )
        return {"detail": " en ".join(parts)}
    if code == "V004":
        return {"detail": ", ".join(spec.list_values(column.list_name))}
    if code == "V005":
        return {"detail": len(str(raw)), "limit": column.max_length}
    if code == "V006":
        return {"detail": "BT"}
    return {}
