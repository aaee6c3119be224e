"""The returned workbooks of a merge: finding them, and reading each into records.

Every input is validated by the same engine as `validate`, on every core; the rows validation
read become records with their provenance (corporatie, partij, file, sheet, row). Deciding
which sources go into the overview is combine.py's job.
"""

import hashlib
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from pa_sheets.check.findings import FileReport, cell_name
from pa_sheets.check.safety import DEFAULT_LIMITS, Limits
from pa_sheets.check.source import SentWorkbooks
from pa_sheets.check.validate import expand_paths, inspect_file
from pa_sheets.errors import UsageError
from pa_sheets.spec.config import Config
from pa_sheets.spec.model import Spec
from pa_sheets.workbook.meta import Facts


@dataclass
class Record:
    """One row of one block of one input, as validation read it."""

    block: str  # the block's key in the template
    thema: str  # thema code
    rol: str
    partij: str  # the party's name as the workbook shows it
    sheet: str  # the sheet's name in the returned workbook
    row: int  # Excel row, 1-based
    values: dict[str, object]  # column key (per year: aantal_2027) -> normalised value
    unreadable: str = ""  # values validation could not read, as typed: nothing is lost
    # column key -> 0-based column in this workbook (its _meta's order, shared by the block's
    # records); empty for a record read back from an overview
    columns: dict[str, int] = field(default_factory=dict)

    def __reduce__(self) -> tuple[type["Record"], tuple[object, ...]]:
        """Pickled as its fields in order (as from a worker of merge): a third faster to load
        than a dataclass's own way, a dict of field names per record."""
        return (
            Record,
            (
                self.block,
                self.thema,
                self.rol,
                self.partij,
                self.sheet,
                self.row,
                self.values,
                self.unreadable,
                self.columns,
            ),
        )


@dataclass
class Source:
    """One input file: its validation report, and its records when it could be read."""

    path: Path
    report: FileReport
    template: Facts | None = None
    sha256: str = ""
    modified: float = 0.0  # the file's modification time, for --latest
    parties: list[dict[str, str]] = field(default_factory=list)  # rol, naam, kort, code
    themas: dict[str, str] = field(default_factory=dict)  # code -> naam, from _meta
    tabs: list[tuple[str, str, str]] = field(default_factory=list)  # (thema, rol, kort) per tab
    records: list[Record] = field(default_factory=list)
    note: str = ""  # why it was set aside, if it was
    # Merging into the long table (long.py): the worker wrote the records to this part file
    # and sent back only their number.
    part: Path | None = None
    part_rows: int = 0

    @property
    def facts(self) -> Facts:
        """What the workbook says about itself: every source that is merged has them (a file
        that could not be read is set aside before)."""
        if self.template is None:
            raise ValueError(f"{self.path}: niet gelezen, dus niet samengevoegd")
        return self.template

    @property
    def row_count(self) -> int:
        return self.part_rows if self.part is not None else len(self.records)

    @property
    def valid(self) -> bool:
        return self.report.valid()

    @property
    def verdict(self) -> str:
        if self.report.unusable:
            return "onbruikbaar"
        return "in orde" if self.valid else "niet in orde"

    @property
    def corporatie(self) -> str:
        return self.template.corporatie if self.template else ""


def input_files(paths: Iterable[Path]) -> list[Path]:
    """The workbooks to merge, folders expanded; a file named twice (also through its folder)
    is one input."""
    paths = list(paths)
    unique: dict[Path, Path] = {}
    for path in expand_paths(paths):
        unique.setdefault(path.resolve(), path)
    if not unique:
        raise UsageError(f"geen werkboeken (.xlsx) gevonden in {', '.join(map(str, paths))}.")
    return list(unique.values())


@dataclass
class BlockRows:
    """One block of one input as validation read it, column by column: what a record is made
    of, without an object per row (the long table is built from these directly)."""

    block: str  # the block's key in the template
    thema: str
    rol: str
    partij: str  # the party's name as the workbook shows it
    sheet: str
    rows: list[int]  # Excel rows, 1-based
    values: dict[str, list[object]]  # column key -> one normalised value per row
    lost: dict[int, str]  # row index -> the values validation could not read, as typed
    columns: dict[str, int] = field(default_factory=dict)  # column key -> 0-based column


def read_source(
    path: Path,
    spec: Spec,
    limits: Limits = DEFAULT_LIMITS,
    config: Config | None = None,
    sent: SentWorkbooks | None = None,
) -> Source:
    """Validate one file (against the gemeente's `config` or the workbooks as `sent` too,
    when given) and turn what was read into records; never raises for bad input."""
    source, blocks = read_blocks(path, spec, limits, config, sent)
    for rows in blocks:
        source.records += records_of(rows)
    return source


def records_of(rows: BlockRows) -> list[Record]:
    """One block's rows as records (a row's values zipped from the columns at C speed, not
    unpacked into a list first: half the time, a record per afspraak)."""
    keys = list(rows.values)
    lost, columns = rows.lost, rows.columns
    head = (rows.block, rows.thema, rows.rol, rows.partij, rows.sheet)
    lines = zip(*rows.values.values(), strict=True) if keys else [()] * len(rows.rows)
    return [
        Record(
            *head,
            row,
            dict(zip(keys, values, strict=True)),
            lost.get(index, "") if lost else "",
            columns,
        )
        for index, (row, values) in enumerate(zip(rows.rows, lines, strict=True))
    ]


def read_blocks(
    path: Path,
    spec: Spec,
    limits: Limits = DEFAULT_LIMITS,
    config: Config | None = None,
    sent: SentWorkbooks | None = None,
) -> tuple[Source, list[BlockRows]]:
    """Validate one file: the source (without records) and what was read, per block."""
    inspection = inspect_file(path, spec, limits, config, sent)
    data = inspection.data
    if data is None:
        return Source(path, inspection.report), []
    with path.open("rb") as file:
        sha256 = hashlib.file_digest(file, "sha256").hexdigest()
    names = {party["kort"]: party["naam"] for party in data.meta.parties}
    formulas = data.typed_formulas(inspection.report.findings)
    blocks = []
    for block, clean in zip(data.blocks, inspection.clean, strict=True):
        # Values validation could not read (it reported them) go along as typed, by row.
        # So do formulas typed in input cells (V010), as text.
        lost: dict[int, list[str]] = {}
        for key, values in clean.items():
            typed_values = block.values[key]
            if not formulas and values.count(None) == typed_values.count(None):
                continue  # every empty cell was empty as typed: nothing lost (nearly always)
            pairs: Iterator[tuple[int, tuple[object, object]]]
            pairs = enumerate(zip(values, typed_values, strict=True))
            if formulas:
                column = block.columns.get(key, -1)
                cells = [cell_name(row, column) for row in block.rows]
                typed_here = {
                    i: formulas[(block.sheet, cell)]
                    for i, cell in enumerate(cells)
                    if cell and (block.sheet, cell) in formulas
                }
                pairs = (
                    (i, (None if i in typed_here else value, typed_here.get(i, typed)))
                    for i, (value, typed) in pairs
                )
            for index, (value, typed) in pairs:
                if value is None and typed is not None:
                    lost.setdefault(index, []).append(f"{spec.header_for(key)}: {typed}")
        partij = names.get(block.meta.partij, block.meta.partij)
        texts = {index: "; ".join(parts) for index, parts in lost.items()}
        blocks.append(
            BlockRows(
                block.key,
                block.meta.thema,
                block.meta.rol,
                partij,
                block.sheet,
                block.rows,
                clean,
                texts,
                block.columns,
            )
        )
    source = Source(
        path,
        inspection.report,
        data.template,
        sha256,
        path.stat().st_mtime,
        data.meta.parties,
        data.meta.themas,
        list(dict.fromkeys((b.thema, b.rol, b.partij) for b in data.meta.blocks)),
    )
    return source, blocks
