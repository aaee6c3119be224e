"""Benchmark: generating jaarschijf workbooks with pa-sheets, as a ratio against raw xlsxwriter.

What is measured, per case, is the median wall time of N runs (pa-sheets and raw interleaved,
after one untimed warm-up run of each; the median CPU time is reported too, as a check on noise):

* pa-sheets: everything `pa_sheets.workbook.generate.generate()` does: load the spec and the
  config, plan the workbooks and write them (xlsxwriter, including closing, i.e. zipping, the file).
* raw: xlsxwriter alone, with the same Workbook options, writing the same sheets with the same
  cells (strings, numbers, dates, blanks), one format object per kind of cell created once, the
  same data validations per column range, the same conditional formats, widths and protection.
  Its input is a plain-data "shape" derived beforehand (untimed) from `plan_workbook()`, so both
  sides write the same cells; the dropdown lists are taken by their names in the spec
  (`SPEC_LISTS`), and the cover and `_meta` (a few hundred cells whose text is pa-sheets' own)
  are copied from a workbook pa-sheets wrote for the same plan. After the runs the two outputs
  are compared sheet by sheet (dimension, number of cells, validations, conditional-format
  rules and shared strings); a difference is printed as a warning.

The ratio pa-sheets / raw is the overhead of pa-sheets; the goal is a ratio of at most 1.3.

Cases:

* voorbeeldstad: samples/voorbeeldstad.yaml, jaarschijf 2027, all three corporaties.
* groot: the default 7 themes, 4 parties (gemeente, one corporatie, its huurdersorganisatie and
  one partner signing for every theme) and 3,000 going-concern rows per sheet: 28 sheets and
  about 1.3 million cells. The nummer pattern (^[A-Z]{2,4}-[0-9]{2,3}$, the thema code first,
  unique per workbook) allows at most 1,100 nummers per thema and workbook, fewer than the
  12,000 this case needs, so the rows are built in Python as `LopendeAfspraak` objects with
  nummers like BT-00001 and put into the loaded config with `dataclasses.replace`. Building the
  rows is not timed (it stands in for reading YAML); loading, planning and writing are.

Usage: python bench/bench_generate.py [--quick] [--case NAME] [--rows N] [--runs N] [--profile]
--quick: a smoke test for CI: 300 rows per sheet in groot, 1 run, no warm-up (a few seconds).
Results: a table on stdout and bench/results/generate.json, or --out FILE (--profile:
bench/results/generate_groot.prof).
"""

import argparse
import cProfile
import dataclasses
import datetime as dt
import gc
import json
import platform
import pstats
import random
import re
import statistics
import sys
import tempfile
import time
import zipfile
from collections.abc import Callable
from pathlib import Path

import xlsxwriter
import yaml
from python_calamine import CalamineWorkbook
from xlsxwriter.utility import xl_col_to_name, xl_rowcol_to_cell
from xlsxwriter.worksheet import Worksheet

from pa_sheets import __version__
from pa_sheets.spec.config import ALLE, Config, LopendeAfspraak, load_config
from pa_sheets.spec.kalender import default_deadline, legal_deadline
from pa_sheets.spec.model import NUMERIC_TYPES, SPEC_LISTS, Spec, load_spec
from pa_sheets.workbook import meta
from pa_sheets.workbook.generate import generate, write_workbook, write_workbooks
from pa_sheets.workbook.layout import PlacedBlock, PlacedColumn, WorkbookPlan, plan_workbook
from pa_sheets.workbook.styles import NUMBER_FORMATS, PROTECTION
from pa_sheets.workbook.validation import NUMBER_LIMIT, UNIT_TABLE, excel_validation

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "samples" / "voorbeeldstad.yaml"
RESULTS = ROOT / "bench" / "results"
KIND, YEAR = "jaarschijf", 2027
CREATED = dt.datetime(2026, 9, 1, 12, 0, 0)
GOAL = 1.3
WORKBOOK_OPTIONS = {
    "strings_to_formulas": False,
    "strings_to_urls": False,
    "strings_to_numbers": False,
}


# ---------------------------------------------------------------------------------------------
# The raw baseline: a plain-data shape of a workbook and an xlsxwriter writer for it.
# ---------------------------------------------------------------------------------------------

Cell = tuple[int, int, object, str]  # row, column, value, style name


@dataclasses.dataclass(frozen=True)
class RawColumn:
    index: int
    width: float
    header: str
    required: bool  # a red header with the required mark
    kind: tuple[str, bool]  # (column type, fixed): one cell format per kind
    date_column: bool  # a date keeps the cell format only in a date column
    validation: dict | None  # None for fixed columns
    status: bool  # gets the stoplicht colours as conditional formats


@dataclasses.dataclass(frozen=True)
class RawBlock:
    title_row: int
    title: str
    uitleg: str
    band: str  # the colour of the title band
    header_row: int
    last_row: int
    columns: tuple[RawColumn, ...]
    rows: tuple[tuple[object, ...], ...]  # pre-filled values in column order, as written

    @property
    def first_row(self) -> int:
        return self.header_row + 1


@dataclasses.dataclass(frozen=True)
class RawSheet:
    name: str
    title: str
    subtitle: str
    header: str
    blocks: tuple[RawBlock, ...]


@dataclasses.dataclass(frozen=True)
class RawWorkbook:
    file_name: str
    properties: dict
    lists: tuple[tuple[str, tuple[str, ...]], ...]
    units: tuple[tuple[str, float, float, int], ...]  # eenheid, min, max, geheel
    statuses: tuple[tuple[str, str], ...]  # (naam, kleur)
    fills: tuple[str, ...]  # the legend's status colours on the cover
    cover: tuple[Cell, ...]
    links: tuple[tuple[int, str], ...]  # cover rows linking to a sheet
    sheets: tuple[RawSheet, ...]
    meta: tuple[Cell, ...]
    # The going-concern rows' fixed cells, a row each, by sheet (_vaste_tekst, _vaste_tekst_2, ...)
    fixed_texts: tuple[tuple[str, tuple[Cell, ...]], ...]


def write_raw(shape: RawWorkbook, path: Path) -> None:
    """Write `shape` with xlsxwriter only; no pa_sheets code runs here."""
    workbook = xlsxwriter.Workbook(str(path), WORKBOOK_OPTIONS)

    def new_format(**props: object) -> object:
        return workbook.add_format({"font_name": "Calibri", "font_size": 10, **props})

    cell_formats = {
        (kind, fixed): new_format(
            num_format=num_format,
            border=1,
            border_color="#BFBFBF",
            valign="top",
            text_wrap=kind == "text",
            locked=fixed,
            bg_color="#EDEDED" if fixed else "#FFFFFF",
        )
        for kind, num_format in NUMBER_FORMATS.items()
        for fixed in (False, True)
    }
    header_format = {
        required: new_format(
            bold=True,
            bg_color="#D9E1F2",
            border=1,
            text_wrap=True,
            valign="top",
            font_color="#9C0006" if required else "#000000",
        )
        for required in (False, True)
    }
    band_formats: dict[str, object] = {}
    status_formats = [
        (naam, workbook.add_format({"bg_color": kleur})) for naam, kleur in shape.statuses
    ]
    styles = {
        "plain": None,
        "bold": new_format(bold=True),
        "title": new_format(bold=True, font_size=16),
        "head": new_format(bold=True, font_size=12, font_color="#1F4E78"),
        "wrap": new_format(text_wrap=True, valign="top"),
        "date": new_format(num_format="d mmmm yyyy", bold=True, font_color="#9C0006", align="left"),
        "note": new_format(italic=True, font_color="#7F7F7F"),
        **{fill: new_format(bold=True, bg_color=fill) for fill in shape.fills},
    }
    sheet_title = new_format(bold=True, font_size=14)
    subtitle = new_format(italic=True, font_color="#595959")
    uitleg = new_format(italic=True, font_color="#404040")

    workbook.set_properties(shape.properties)
    cover = workbook.add_worksheet(meta.COVER_SHEET)
    tabs = [(workbook.add_worksheet(sheet.name), sheet) for sheet in shape.sheets]
    lists = workbook.add_worksheet(meta.LISTS_SHEET)
    meta_sheet = workbook.add_worksheet(meta.SHEET)
    fixed_texts = [(workbook.add_worksheet(name), cells) for name, cells in shape.fixed_texts]

    for col, (name, values) in enumerate(shape.lists):
        lists.write_string(0, col, name, styles["bold"])
        for row, value in enumerate(values, start=1):
            lists.write_string(row, col, value)
        lists.set_column(col, col, 30)
    # Each eenheid's bereik beside the lists, named for the unit check of a measure.
    first = len(shape.lists) + 1
    for col, header in enumerate(("eenheid", "min", "max", "geheel"), start=first):
        lists.write_string(0, col, header, styles["bold"])
    for row, (naam, low, high, whole) in enumerate(shape.units, start=1):
        lists.write_string(row, first, naam)
        for col, number in enumerate((low, high, whole), start=first + 1):
            lists.write_number(row, col, number)
    top, bottom = (
        xl_rowcol_to_cell(1, first, True, True),
        xl_rowcol_to_cell(len(shape.units), first + 3, True, True),
    )
    workbook.define_name(UNIT_TABLE, f"='{meta.LISTS_SHEET}'!{top}:{bottom}")
    lists.protect("", PROTECTION)
    lists.hide()

    for ws, sheet in tabs:
        write_string, write_number = ws.write_string, ws.write_number
        write_blank, write_datetime = ws.write_blank, ws.write_datetime
        write_string(0, 0, sheet.title, sheet_title)
        write_string(1, 0, sheet.subtitle, subtitle)
        widths: dict[int, float] = {}
        for block in sheet.blocks:
            if block.band not in band_formats:
                band_formats[block.band] = new_format(
                    bold=True, font_size=12, font_color="#FFFFFF", bg_color=block.band
                )
            band = band_formats[block.band]
            write_string(block.title_row, 0, block.title, band)
            for col in range(1, block.columns[-1].index + 1):
                write_blank(block.title_row, col, None, band)
            write_string(block.title_row + 1, 0, block.uitleg, uitleg)
            for column in block.columns:
                header = column.header + (meta.REQUIRED_MARK if column.required else "")
                write_string(block.header_row, column.index, header, header_format[column.required])
                widths[column.index] = max(widths.get(column.index, 0), column.width)
            ws.set_row(block.header_row, 30)
            first, last = block.first_row, block.last_row
            if last < first:
                write_string(first, 0, "Geen lopende afspraken op dit tabblad.", styles["note"])
                continue
            cells = [(c.index, cell_formats[c.kind], c.date_column) for c in block.columns]
            for row, values in enumerate(block.rows, start=first):
                for (col, cell_format, date_column), value in zip(cells, values, strict=True):
                    if value is None:
                        write_blank(row, col, None, cell_format)
                    elif isinstance(value, str):
                        write_string(row, col, value, cell_format)
                    elif isinstance(value, dt.date):
                        write_datetime(row, col, value, cell_format if date_column else None)
                    else:
                        write_number(row, col, value, cell_format)
            inputs = [(c.index, cell_formats[(c.kind[0], False)]) for c in block.columns]
            for row in range(first + len(block.rows), last + 1):
                for col, cell_format in inputs:
                    write_blank(row, col, None, cell_format)
            for column in block.columns:
                if column.validation is not None:
                    ws.data_validation(first, column.index, last, column.index, column.validation)
                if column.status:
                    for naam, fill in status_formats:
                        ws.conditional_format(
                            first,
                            column.index,
                            last,
                            column.index,
                            {
                                "type": "cell",
                                "criteria": "==",
                                "value": f'"{naam}"',
                                "format": fill,
                            },
                        )
        for index, width in widths.items():
            ws.set_column(index, index, width)
        ws.freeze_panes(sheet.blocks[0].header_row + 1, 1)
        ws.repeat_rows(sheet.blocks[0].header_row)
        ws.set_landscape()
        ws.set_paper(9)
        ws.fit_to_pages(1, 0)
        ws.set_header(sheet.header)
        ws.set_footer("&LGemaakt met pa-sheets&RPagina &P van &N")
        ws.protect("", PROTECTION)

    _write_cells(cover, shape.cover, styles)
    for row, name in shape.links:
        cover.write_url(row, 0, f"internal:'{name}'!A1", string=name)
    cover.set_column(0, 0, 28)
    cover.set_column(1, 1, 70)
    cover.set_column(2, 3, 24)
    cover.set_landscape()
    cover.set_paper(9)
    cover.fit_to_pages(1, 0)
    cover.protect("", PROTECTION)
    _write_cells(meta_sheet, shape.meta, styles)
    meta_sheet.protect("", PROTECTION)
    meta_sheet.very_hidden()
    for worksheet, cells in fixed_texts:
        _write_cells(worksheet, cells, styles)
        worksheet.protect("", PROTECTION)
        worksheet.very_hidden()
    cover.activate()
    workbook.close()


def _write_cells(ws: Worksheet, cells: tuple[Cell, ...], styles: dict[str, object]) -> None:
    for row, col, value, style in cells:
        if isinstance(value, str):
            ws.write_string(row, col, value, styles[style])
        elif isinstance(value, dt.date):
            ws.write_datetime(row, col, value, styles[style])
        else:
            ws.write_number(row, col, value, styles[style])


# ---------------------------------------------------------------------------------------------
# Deriving the raw shape from a pa-sheets plan (untimed).
# ---------------------------------------------------------------------------------------------


def raw_shape(plan: WorkbookPlan, work: Path) -> RawWorkbook:
    """The same sheets, cells, formats and rules as pa-sheets writes for `plan`, as plain data."""
    spec, config, corporatie = plan.spec, plan.config, plan.corporatie.party
    years = str(plan.years[0]) if len(plan.years) == 1 else f"{plan.years[0]}-{plan.years[-1]}"
    lists = {name: _list_values(plan, name) for name in SPEC_LISTS}
    sheet = meta.LISTS_SHEET
    refs = {
        name: f"='{sheet}'!${xl_col_to_name(i)}$2:${xl_col_to_name(i)}${len(lists[name]) + 1}"
        for i, name in enumerate(lists)
    }
    bands = {"going concern": "#1F4E78", "nieuw": "#375623"}

    def raw_block(block: PlacedBlock) -> RawBlock:
        columns = tuple(
            RawColumn(
                index=placed.index,
                width=placed.column.width,
                header=placed.header,
                required=placed.column.required and not placed.fixed,
                kind=(placed.column.type, placed.fixed),
                date_column=placed.column.type == "date",
                validation=None
                if placed.fixed
                else excel_validation(placed, refs.get(placed.column.values or "")),
                status=not placed.fixed and placed.column.values == "statussen",
            )
            for placed in block.columns
        )
        rows = tuple(
            tuple(_cell_value(placed, values.get(placed.key)) for placed in block.columns)
            for values in block.rows
        )
        return RawBlock(
            title_row=block.title_row,
            title=block.block.titel,
            uitleg=block.block.uitleg,
            band=bands.get(block.block.soort or "", "#7F6000"),
            header_row=block.header_row,
            last_row=block.last_row,
            columns=columns,
            rows=rows,
        )

    sheets = []
    for sheet in plan.sheets:
        blocks = [raw_block(block) for block in sheet.blocks]
        role = spec.roles[sheet.party.rol].lower()
        sheets.append(
            RawSheet(
                name=sheet.name,
                title=f"{sheet.thema.code} {sheet.thema.naam}",
                subtitle=f"{sheet.party.display} ({role}) · {plan.template.titel} {years} "
                f"· {config.gemeente.display} en {corporatie.naam}",
                header=f'&L&"Calibri,Bold"{sheet.name}&R{corporatie.naam}',
                blocks=tuple(blocks),
            )
        )
    if plan.signing is not None and plan.template.signing is not None:
        # The Ondertekening sheet: one block, a fixed row per party, written as a tab is.
        name = plan.template.signing.sheet
        sheets.append(
            RawSheet(
                name=name,
                title=f"{plan.signing.block.titel} {plan.template.titel.lower()} {years}",
                subtitle=f"{plan.gemeente_names} en {corporatie.naam} · "
                f"{legal_deadline(plan.kind, plan.years[0])}",
                header=f'&L&"Calibri,Bold"{name}&R{corporatie.naam}',
                blocks=(raw_block(plan.signing),),
            )
        )
    cover, links, meta_cells, fixed_texts = _written_cells(plan, work)
    return RawWorkbook(
        file_name=plan.file_name,
        properties={
            "title": f"{plan.template.titel} {years}",
            "subject": f"{config.gemeente.display} - {corporatie.naam}",
            "author": "pa-sheets",
            "created": CREATED,
            "comments": f"Gemaakt met pa-sheets {__version__}, spec {spec.version}",
        },
        lists=tuple(lists.items()),
        units=tuple(
            (
                unit.naam,
                -NUMBER_LIMIT if unit.min is None else unit.min,
                NUMBER_LIMIT if unit.max is None else unit.max,
                int(unit.geheel),
            )
            for unit in spec.eenheden
        ),
        statuses=tuple((term.naam, term.kleur or "#FFFFFF") for term in spec.statussen),
        fills=tuple(
            dict.fromkeys(t.kleur for t in (*spec.statussen, *spec.types, *spec.soorten) if t.kleur)
        ),
        cover=cover,
        links=links,
        sheets=tuple(sheets),
        meta=meta_cells,
        fixed_texts=fixed_texts,
    )


def _list_values(plan: WorkbookPlan, name: str) -> tuple[str, ...]:
    """A dropdown list by its name in the spec: the workbook's parties, a basisbod's gemeenten
    (none in a plain jaarschijf), or the spec's own values."""
    if name == "partijen":
        return tuple(party.display for party in plan.parties)
    if name == "gemeenten":
        return (ALLE, *(g.code for g in plan.gemeenten)) if plan.gemeenten else ()
    return tuple(plan.spec.list_values(name))


def _cell_value(placed: PlacedColumn, value: object) -> object:
    """The value as pa-sheets writes it: numbers only in numeric columns, else text."""
    if value is None or isinstance(value, dt.date):
        return value
    if placed.column.type in NUMERIC_TYPES and isinstance(value, int | float):
        return value
    return str(value)


def _written_cells(
    plan: WorkbookPlan, work: Path
) -> tuple[tuple[Cell, ...], tuple[tuple[int, str], ...], tuple[Cell, ...], tuple[Cell, ...]]:
    """The cover's cells, its links to the tabs, the `_meta` cells and those of the fixed texts,
    as pa-sheets writes them for `plan`: read back from a workbook pa-sheets wrote (untimed).
    Their text and order are pa-sheets' to define (the per-row fingerprints in `_meta` are its
    own work); the first are a few hundred cells, so copying them keeps the baseline honest
    without a second copy of their layout here. The fixed texts are the going-concern rows'
    values again, a row each: copied too, so both sides write the same cells. The cover's
    styles are approximated: title, bold labels, the legend's fills, the deadline as a date and
    wrapped text."""
    path = work / "shapes" / plan.file_name
    path.parent.mkdir(parents=True, exist_ok=True)
    write_workbook(plan, path, CREATED)
    book = CalamineWorkbook.from_path(str(path))

    def cells(name: str) -> list[tuple[int, int, object]]:
        rows = book.get_sheet_by_name(name).to_python(skip_empty_area=False)
        return [(r, c, v) for r, values in enumerate(rows) for c, v in enumerate(values) if v != ""]

    spec = plan.spec
    fills = {t.naam: t.kleur for t in (*spec.statussen, *spec.types, *spec.soorten) if t.kleur}
    tabs = {sheet.name for sheet in plan.sheets}
    cover: list[Cell] = []
    links: list[tuple[int, str]] = []
    for row, col, value in cells(meta.COVER_SHEET):
        if col == 0 and value in tabs:
            links.append((row, str(value)))
        elif (row, col) == (0, 0):
            cover.append((row, col, value, "title"))
        elif isinstance(value, dt.date):
            cover.append((row, col, value, "date"))
        elif col == 0:
            cover.append((row, col, value, fills.get(str(value), "bold")))
        else:
            cover.append((row, col, value, "wrap" if isinstance(value, str) else "plain"))
    meta_cells = tuple((row, col, value, "plain") for row, col, value in cells(meta.SHEET))
    fixed_texts = tuple(
        (name, tuple((row, col, value, "plain") for row, col, value in cells(name)))
        for name in filter(meta.is_fixed_text_sheet, book.sheet_names)
    )
    return tuple(cover), tuple(links), meta_cells, fixed_texts


# ---------------------------------------------------------------------------------------------
# The cases.
# ---------------------------------------------------------------------------------------------


@dataclasses.dataclass
class Case:
    name: str
    runs: int
    run_pa: Callable[[Path], dict[str, float]]  # phase name -> seconds
    shapes: list[RawWorkbook]


def voorbeeldstad_case(runs: int, work: Path) -> Case:
    spec = load_spec()
    config = load_config(SAMPLE, spec)
    deadline = default_deadline(KIND, YEAR)
    plans = [plan_workbook(spec, config, KIND, c, (YEAR,), deadline) for c in config.corporaties]

    def run_pa(out: Path) -> dict[str, float]:
        generate(KIND, SAMPLE, (YEAR,), out, force=True, created=CREATED)
        return {}

    return Case("voorbeeldstad", runs, run_pa, [raw_shape(plan, work) for plan in plans])


def groot_case(runs: int, rows_per_sheet: int, work: Path) -> Case:
    spec = load_spec()
    config_path = work / "grootstad.yaml"
    config_path.write_text(yaml.safe_dump(_groot_config(spec), allow_unicode=True, sort_keys=False))
    base = load_config(config_path, spec)
    lopend = _groot_rows(spec, base, rows_per_sheet)

    def run_pa(out: Path) -> dict[str, float]:
        return generate_with_rows(config_path, lopend, out)

    config = dataclasses.replace(base, lopend=lopend)
    plan = plan_workbook(
        spec, config, KIND, config.corporaties[0], (YEAR,), default_deadline(KIND, YEAR)
    )
    return Case("groot", runs, run_pa, [raw_shape(plan, work)])


def generate_with_rows(
    config_path: Path, lopend: tuple[LopendeAfspraak, ...], out: Path
) -> dict[str, float]:
    """What generate() does, with the going-concern rows put into the loaded config."""
    start = time.perf_counter()
    spec = load_spec()
    config = dataclasses.replace(load_config(config_path, spec), lopend=lopend)
    loaded = time.perf_counter()
    deadline = default_deadline(KIND, YEAR)
    plans = [plan_workbook(spec, config, KIND, c, (YEAR,), deadline) for c in config.corporaties]
    planned = time.perf_counter()
    write_workbooks(plans, out, True, CREATED)
    return {
        "load": loaded - start,
        "plan": planned - loaded,
        "write": time.perf_counter() - planned,
    }


def _groot_config(spec: Spec) -> dict:
    return {
        "gemeente": {"naam": "Grootstad", "code": "GM9002"},
        "periode": {"eerste_jaar": 2026, "laatste_jaar": 2030},
        "themas": [thema.code for thema in spec.themas],
        "corporaties": [
            {
                "naam": "Woonstichting Groot Wonen",
                "kort": "Groot Wonen",
                "l_nummer": "L4567",
                "huurdersorganisatie": {"naam": "Huurdersraad Groot Wonen", "kort": "HR Groot"},
            }
        ],
        "partners": [
            {
                "naam": "Welzijnsorganisatie Grootstad",
                "kort": "Welzijn",
                "themas": [thema.code for thema in spec.themas],
            }
        ],
    }


_AFSPRAKEN = (
    "{wie} realiseert in {wijk} de afgesproken aantallen volgens de meerjarenplanning",
    "{wie} rapporteert twee keer per jaar over de voortgang in {wijk} aan de lokale driehoek",
    "{wie} stelt samen met de andere partijen een uitvoeringsplan op voor {wijk}",
    "{wie} informeert de huurders in {wijk} tijdig over de geplande werkzaamheden",
    "{wie} evalueert de aanpak in {wijk} en stelt die zo nodig bij",
)
_WIJKEN = ("Centrum", "Noord", "Oost", "De Hoven", "Zuidrand", "Westpark", "Het Veld", "Molenwijk")


def _groot_rows(spec: Spec, config: Config, per_sheet: int) -> tuple[LopendeAfspraak, ...]:
    """`per_sheet` realistic going-concern rows for every thema and party of the workbook."""
    rng = random.Random(YEAR)
    corporatie = config.corporaties[0]
    partijen = [
        ("gemeente", config.gemeente.display),
        ("corporatie", corporatie.party.naam),
        ("huurdersorganisatie", corporatie.huurders.naam),
        *((p.kort, p.naam) for p in config.partners),
    ]
    types = spec.list_values("types")
    rows = []
    for thema in config.themas:
        indicators = [i for i in spec.indicators if i.thema == thema.code]
        number = 0
        for partij, naam in partijen:
            for i in range(per_sheet):
                number += 1
                year = 2026 + i % 5
                values: dict[str, object] = {
                    "nummer": f"{thema.code}-{number:05d}",
                    "afspraak": _AFSPRAKEN[i % len(_AFSPRAKEN)].format(
                        wie=naam, wijk=_WIJKEN[i % len(_WIJKEN)]
                    )
                    + f" (deelproject {i + 1}).",
                    "trekker": "gemeente" if i % 7 == 0 else partij,
                    "type": types[i % len(types)],
                }
                if indicators and i % 4:
                    indicator = indicators[i % len(indicators)]
                    values["indicator"] = indicator.naam
                    values["eenheid"] = indicator.eenheid
                    values["nulmeting"] = round(rng.uniform(0, 500), 1)
                    values["nulmeting_jaar"] = 2024 + i % 2
                    values["streefwaarde"] = round(rng.uniform(0, 1000), 1)
                values["planning"] = (
                    f"Q{1 + i % 4} {year}",
                    str(year),
                    dt.date(year, 12, 31),
                )[i % 3]
                if i % 3 == 0:
                    values["bijdrage"] = rng.randrange(10, 5000) * 1000
                rows.append(
                    LopendeAfspraak(str(values["nummer"]), thema.code, partij, ALLE, values)
                )
    return tuple(rows)


# ---------------------------------------------------------------------------------------------
# Measuring, checking and reporting.
# ---------------------------------------------------------------------------------------------


def measure(case: Case, work: Path, warmup: bool) -> dict:
    """Run both sides `case.runs` times, interleaved, after an untimed warm-up of each."""
    pa_dir, raw_dir = work / case.name / "pa-sheets", work / case.name / "raw"
    raw_dir.mkdir(parents=True, exist_ok=True)
    phases: list[dict[str, float]] = []

    def run_raw() -> None:
        for shape in case.shapes:
            write_raw(shape, raw_dir / shape.file_name)

    sides = {"pa_sheets": lambda: phases.append(case.run_pa(pa_dir)), "raw": run_raw}
    if warmup:
        for run in sides.values():
            run()
        phases.clear()
    wall: dict[str, list[float]] = {side: [] for side in sides}
    cpu: dict[str, list[float]] = {side: [] for side in sides}
    for number in range(case.runs):
        # Alternate which side goes first, so neither always gets the warmer start.
        for side in sides if number % 2 == 0 else reversed(sides):
            gc.collect()
            start, start_cpu = time.perf_counter(), time.process_time()
            sides[side]()
            wall[side].append(time.perf_counter() - start)
            cpu[side].append(time.process_time() - start_cpu)
    median = {side: statistics.median(wall[side]) for side in sides}
    median_cpu = {side: statistics.median(cpu[side]) for side in sides}
    result = {
        "case": case.name,
        "workbooks": len(case.shapes),
        "sheets": sum(len(s.sheets) for s in case.shapes),
        "prefilled_rows": sum(len(b.rows) for s in case.shapes for t in s.sheets for b in t.blocks),
        "runs": case.runs,
        "pa_sheets_s": round(median["pa_sheets"], 4),
        "raw_s": round(median["raw"], 4),
        "ratio": round(median["pa_sheets"] / median["raw"], 3),
        "pa_sheets_cpu_s": round(median_cpu["pa_sheets"], 4),
        "raw_cpu_s": round(median_cpu["raw"], 4),
        "cpu_ratio": round(median_cpu["pa_sheets"] / median_cpu["raw"], 3),
        "pa_sheets_runs_s": [round(t, 4) for t in wall["pa_sheets"]],
        "raw_runs_s": [round(t, 4) for t in wall["raw"]],
    }
    if phases and phases[0]:
        result["pa_sheets_phases_s"] = {
            key: round(statistics.median(p[key] for p in phases), 4) for key in phases[0]
        }
    result["differences"] = [
        f"{shape.file_name}: {difference}"
        for shape in case.shapes
        for difference in compare(pa_dir / shape.file_name, raw_dir / shape.file_name)
    ]
    return result


def xlsx_summary(path: Path) -> dict[str, tuple]:
    """Per sheet: dimension, cells, data validations, conditional-format rules; plus the sst."""
    with zipfile.ZipFile(path) as archive:
        names = re.findall(r'<sheet name="([^"]*)"', archive.read("xl/workbook.xml").decode())
        summary: dict[str, tuple] = {}
        for number, name in enumerate(names, start=1):
            xml = archive.read(f"xl/worksheets/sheet{number}.xml")
            dimension = re.search(rb'<dimension ref="([^"]*)"', xml)
            summary[name] = (
                dimension.group(1).decode() if dimension else "",
                xml.count(b"<c "),
                xml.count(b"<dataValidation "),
                xml.count(b"<cfRule "),
            )
        sst = re.search(rb"<sst [^>]*>", archive.read("xl/sharedStrings.xml"))
        summary["(shared strings)"] = (sst.group(0).decode() if sst else "",)
    return summary


def compare(pa_path: Path, raw_path: Path) -> list[str]:
    """Where the two workbooks differ in shape; empty when both wrote the same cells."""
    pa, raw = xlsx_summary(pa_path), xlsx_summary(raw_path)
    if list(pa) != list(raw):
        return [f"sheets differ: {list(pa)} vs {list(raw)}"]
    return [
        f"{name}: pa-sheets {pa[name]} vs raw {raw[name]}" for name in pa if pa[name] != raw[name]
    ]


def profile_groot(case: Case, work: Path, top: int) -> Path:
    """Run the groot case once under cProfile; print pa_sheets' hot spots; return the .prof."""
    profiler = cProfile.Profile()
    gc.collect()
    profiler.enable()
    case.run_pa(work / "profile")
    profiler.disable()
    RESULTS.mkdir(parents=True, exist_ok=True)
    path = RESULTS / "generate_groot.prof"
    profiler.dump_stats(path)
    stats = pstats.Stats(profiler)
    print(f"\ncProfile of pa-sheets, groot case ({path.relative_to(ROOT)}):")
    stats.sort_stats("tottime").print_stats(r"pa_sheets[/\\]", top)
    stats.sort_stats("cumulative").print_stats(r"pa_sheets[/\\]", top)
    return path


def print_table(results: list[dict]) -> None:
    head = ("case", "runs", "sheets", "rows", "pa-sheets", "raw", "ratio", "cpu ratio")
    print("\n{:<14}{:>5}{:>8}{:>8}{:>12}{:>10}{:>8}{:>11}".format(*head))
    for r in results:
        verdict = "ok" if r["ratio"] <= GOAL else f"> {GOAL}"
        print(
            f"{r['case']:<14}{r['runs']:>5}{r['sheets']:>8}{r['prefilled_rows']:>8}"
            f"{r['pa_sheets_s']:>11.3f}s{r['raw_s']:>9.3f}s{r['ratio']:>8.2f}"
            f"{r['cpu_ratio']:>11.2f}  {verdict}"
        )
        if "pa_sheets_phases_s" in r:
            phases = ", ".join(f"{k} {v:.3f}s" for k, v in r["pa_sheets_phases_s"].items())
            print(f"{'':<14}pa-sheets phases: {phases}")
        for difference in r["differences"]:
            print(f"{'':<14}WARNING, outputs differ: {difference}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument(
        "--quick", action="store_true", help="smoke test: 300 rows per sheet, 1 run, no warm-up"
    )
    parser.add_argument("--case", choices=["voorbeeldstad", "groot", "all"], default="all")
    parser.add_argument("--rows", type=int, help="going-concern rows per sheet (groot)")
    parser.add_argument("--runs", type=int, help="runs per case (default 5 and 3)")
    parser.add_argument("--profile", action="store_true", help="also cProfile the groot case")
    parser.add_argument("--out", type=Path, default=RESULTS / "generate.json")
    args = parser.parse_args(argv)
    rows = args.rows or (300 if args.quick else 3000)
    warmup = not args.quick
    results = []
    with tempfile.TemporaryDirectory(prefix="bench-generate-") as temp:
        work = Path(temp)
        if args.case in ("voorbeeldstad", "all"):
            runs = args.runs or (1 if args.quick else 5)
            results.append(measure(voorbeeldstad_case(runs, work), work, warmup))
        groot = None
        if args.case in ("groot", "all"):
            groot = groot_case(args.runs or (1 if args.quick else 3), rows, work)
            results.append(measure(groot, work, warmup))
            results[-1]["rows_per_sheet"] = rows
        print_table(results)
        if args.profile and groot is not None:
            profile_groot(groot, work, top=25)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    report = {
        "benchmark": "generate",
        "when": dt.datetime.now().isoformat(timespec="seconds"),
        "quick": args.quick,
        "goal_ratio": GOAL,
        "python": platform.python_version(),
        "xlsxwriter": xlsxwriter.__version__,
        "pa_sheets": __version__,
        "results": results,
    }
    args.out.write_text(json.dumps(report, indent=2, ensure_ascii=False) + "\n")
    print(f"\nResults written to {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
