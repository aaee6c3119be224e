"""Fill a generated workbook with realistic answers, as a careful corporatie would: for the demo,
the samples and the benchmarks. The cells are typed with openpyxl into the template itself, so
the result is exactly what comes back from a party (same _meta, same protection).

Careful means: every value lies inside its indicator's bereik and in its eenheid (whole where
the eenheid counts whole things); a streefwaarde lies in the indicator's richting from the
nulmeting; a realisatie lies near the path from nulmeting to streefwaarde and agrees with its
status (gerealiseerd meets the streefwaarde, rood clearly misses it, oranje lags); the nulmeting
was measured before the jaarschijf year; a new afspraak is planned in the period and not before
the jaarschijf year; the afspraak text says what its indicator measures; amounts stay between
thousands and a few million euro; a nummer carries the thema of its tab. Each jaarschijf gets a
few rood and oranje rows, each with a toelichting; a bod gets numbers for every one of its years.
"""

import datetime as dt
import random
from pathlib import Path

from pa_sheets.demo.bod_years import BodYears
from pa_sheets.demo.going import GoingConcern
from pa_sheets.demo.new import NewAfspraken
from pa_sheets.demo.texts import (
    ACTIVITEITEN,
    NIET_GETEKEND,
    ONEENS,
    TEKENAARS,
    VOORBEHOUD,
    VRAGEN,
    WIJK_NAMEN,
)
from pa_sheets.demo.values import FillFacts
from pa_sheets.spec.config import ALLE
from pa_sheets.spec.model import Spec, load_spec
from pa_sheets.spec.names import CORPORATIE
from pa_sheets.workbook import meta
from pa_sheets.workbook.writer import LINE_10PT, measured_lines, row_height


def fill_workbook(source: Path, target: Path, seed: int = 0, spec: Spec | None = None) -> Path:
    """Write a filled copy of the blank workbook `source` to `target`."""
    import openpyxl

    spec = spec or load_spec()
    workbook = openpyxl.load_workbook(source)
    info = meta.parse([list(row) for row in workbook[meta.SHEET].iter_rows(values_only=True)])
    filler = _Filler(random.Random(seed), spec, workbook, info, seed)
    marker = spec.templates[filler.kind].gemeente_column
    fits = _gemeente_tabs(source, info, spec) if marker else {}
    for block in info.blocks:
        sheet = workbook[block.sheet]
        columns = {key: i + 1 for i, key in enumerate(block.columns)}
        for offset, values in enumerate(filler.rows(block, sheet, columns)):
            if marker and offset >= block.fixed_rows:  # a basisbod: for which gemeente
                ref = next(meta.party_ref(p) for p in info.parties if p["kort"] == block.partij)
                fitting = [code for code, tabs in fits.items() if (block.thema, ref) in tabs]
                values[marker] = filler.rng.choice([ALLE, *fitting])
            row = block.first_row + offset
            for key, value in values.items():
                # What the filler writes: texts, numbers and dates; None leaves the cell.
                if key in columns and isinstance(value, str | int | float | dt.date):
                    sheet.cell(row, columns[key], value)
            fit_row(sheet, row, columns)
    if info.signing is not None:
        _sign(workbook, info, spec, seed)
        if seed % 3 == 1:
            _agree_to_disagree(workbook, info, spec)
    target.parent.mkdir(parents=True, exist_ok=True)
    temp = target.with_name(f".{target.name}.tmp")
    workbook.save(temp)
    temp.replace(target)
    return target


def _column_widths(sheet) -> dict[int, float]:
    """Column number -> width. openpyxl keeps a run of equal columns (xlsxwriter writes
    `<col min="1" max="2">`) under its first letter only: asked for B it would say 13."""
    widths = {}
    for dimension in sheet.column_dimensions.values():
        if dimension.width and dimension.min and dimension.max:
            for col in range(dimension.min, dimension.max + 1):
                widths[col] = dimension.width
    return widths


def fit_row(sheet, row: int, columns: dict[str, int]) -> None:
    """A person who types a long text sees the row grow: as high as its longest wrapped text
    (measured as LibreOffice wraps it), never lower than it was."""
    widths = _column_widths(sheet)
    cells = []
    for col in columns.values():
        cell = sheet.cell(row, col)
        if isinstance(cell.value, str) and cell.alignment.wrap_text:
            cells.append((cell.value, widths.get(col, 8.43)))
    height = row_height(cells, size=10, lines_of=measured_lines)  # as LibreOffice wraps it
    if height > max(LINE_10PT, sheet.row_dimensions[row].height or 0):
        sheet.row_dimensions[row].height = height


def _sign(workbook, info: meta.Meta, spec: Spec, seed: int) -> None:
    """Every party signs in the first half of december of the year before the jaarschijf. A
    separate random source, so the rest of the workbook stays as it was before spec 1.4."""
    rng = random.Random(f"ondertekening-{seed}")
    block, year = info.signing, meta.Facts.from_texts(info.facts).years[0]
    assert block is not None
    sheet = workbook[block.sheet]
    columns = {key: i + 1 for i, key in enumerate(block.columns)}
    day = dt.datetime(year - 1, 12, rng.randint(1, 12))
    for offset, party in enumerate(info.parties):
        functie, names = TEKENAARS[party["rol"]]
        values: dict[str, object] = {"akkoord": "akkoord", "datum": day, "naam": rng.choice(names)}
        values["functie"] = functie
        if party["rol"] == "huurdersorganisatie" and seed % 3 == 2:
            values |= {"akkoord": spec.akkoord[1].naam, "voorbehoud": VOORBEHOUD}
            values["niet_getekend"] = NIET_GETEKEND
        for key, value in values.items():
            if key in columns:
                sheet.cell(block.first_row + offset, columns[key], value)


def _agree_to_disagree(workbook, info: meta.Meta, spec: Spec) -> None:
    """The first new afspraak on a corporatie tab becomes one the parties agree to disagree on."""
    status = spec.disagreeing_statuses()[0]
    for block in info.blocks:
        if block.key != "nieuw" or block.rol != CORPORATIE or "status" not in block.columns:
            continue
        sheet = workbook[block.sheet]
        columns = {key: i + 1 for i, key in enumerate(block.columns)}
        if sheet.cell(block.first_row, columns["nummer"]).value is None:
            continue
        for key, value in {"status": status, "toelichting": ONEENS, "realisatie": None}.items():
            if key in columns:
                sheet.cell(block.first_row, columns[key], value)
        fit_row(sheet, block.first_row, columns)  # the toelichting is longer than before
        return


def _gemeente_tabs(source: Path, info: meta.Meta, spec: Spec) -> dict[str, set[tuple[str, str]]]:
    """A basisbod's gemeenten, each with the tabs of its own bod: a row for one gemeente only
    goes on a tab that gemeente has."""
    from pa_sheets.cycle.basisbod import gemeente_configs, tab_refs

    configs = gemeente_configs(source, info, spec)
    return {code: tab_refs(*config) for code, config in configs.items()}


class _Filler:
    """Makes up the answers for one workbook, block by block: each kind of block by its own
    part, all drawing from one random source in the order of the blocks."""

    def __init__(self, rng: random.Random, spec: Spec, workbook, info: meta.Meta, seed: int = 0):
        facts = meta.Facts.from_texts(info.facts)
        self.rng, self.kind, self.year = rng, facts.kind, facts.years[0]
        self.years = facts.years
        shared = FillFacts(rng, spec, facts.kind, facts.years, facts.period, seed)
        parties = {party["kort"]: party["naam"] for party in info.parties}
        # Nummers in use: GM0344/BT-01 in a basisbod; last year's finished afspraken keep theirs.
        used = {key.rpartition("/")[2] for (_sheet, key) in info.fixed} | set(info.closed)
        bod_years = BodYears(shared)
        self.going = GoingConcern(shared, info, workbook, bod_years)
        self.new = NewAfspraken(shared, parties, used, bod_years)

    def rows(self, block: meta.MetaBlock, sheet, columns) -> list[dict[str, object]]:
        if block.key == "going_concern":
            return self.going.rows(block, sheet, columns)
        if block.key == "nieuw":
            return self.new.rows(block)
        if block.key == "leefbaarheid":
            return [self._activity() for _ in range(self.rng.randint(1, 3))]
        if block.key == "wederkerigheid":
            return self._requests(block)
        return []

    def _requests(self, block: meta.MetaBlock) -> list[dict[str, object]]:
        """What a party asks of the others on this tab, one or two requests."""
        per_thema = VRAGEN.get(block.rol, VRAGEN["overig"])
        options = per_thema.get(block.thema) or per_thema.get("") or VRAGEN["overig"][""]
        asked = self.rng.sample(options, min(len(options), self.rng.randint(1, 2)))
        return [
            {"vraag": vraag, "gevraagd_voor": f"Q{q} {self.year}"}
            for q, vraag in enumerate(asked, start=1)
        ]

    def _activity(self) -> dict[str, object]:
        activiteit, low, high = self.rng.choice(ACTIVITEITEN)
        base = self.rng.uniform(low, high)
        values: dict[str, object] = {"activiteit": activiteit, "wijk": self.rng.choice(WIJK_NAMEN)}
        for year in self.years:
            values[f"budget_{year}"] = int(round(base * self.rng.uniform(0.95, 1.1), -3))
        return values
