"""Validate returned workbooks: read them, bring values into shape, check them with the pandera
schemas from the spec, then across cells and sheets, and return findings; never raise for bad
content. Per block kind, the rows of all sheets form one frame, so pandera runs a handful of
times per workbook whatever its size, with vectorised checks only.
"""

import datetime as dt
import functools
import gc
import math
import re
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

from pa_sheets.check.findings import FileReport, Finding, Report, finding
from pa_sheets.check.read import Block, WorkbookData, expected_header, read_workbook
from pa_sheets.check.safety import DEFAULT_LIMITS, Limits
from pa_sheets.check.schemas import NUMERIC, block_schema
from pa_sheets.errors import PaSheetsError
from pa_sheets.parallel import map_files
from pa_sheets.spec.config import ALLE
from pa_sheets.spec.model import Column, Spec, load_spec
from pa_sheets.workbook import meta

WORKBOOK_SUFFIXES = (".xlsx", ".xlsm", ".xls", ".xltx", ".ods", ".csv")
QUARTER = re.compile(r"(?i)q\s*([1-4])[\s-]*(\d{4})")
YEAR = re.compile(r"(\d{4})")
DATE_TEXT = re.compile(r"(\d{1,2})[-/.](\d{1,2})[-/.](\d{4})|(\d{4})-(\d{1,2})-(\d{1,2})")
NUMBER_TEXT = re.compile(r"(?i)^(eur|€)?\s*([-+]?)\s*([\d.,\s]*\d)\s*(%|eur|€)?$")
STOPLICHT_NEEDS_TOELICHTING = ("oranje", "rood")


def expand_paths(paths: Iterable[Path]) -> list[Path]:
    """Files as given; for a folder, the workbooks in it (sorted), skipping lock files."""
    result = []
    for path in paths:
        if path.is_dir():
            result += sorted(
                p
                for p in path.iterdir()
                if p.suffix.lower() in WORKBOOK_SUFFIXES and not p.name.startswith(("~$", "."))
            )
        else:
            result.append(path)
    return result


def validate_paths(
    paths: Iterable[Path],
    *,
    strict: bool = False,
    spec: Spec | None = None,
    limits: Limits = DEFAULT_LIMITS,
    progress: Callable[[Path], None] = lambda path: None,
    workers: int | None = None,
) -> Report:
    """Validate every file (folders expanded) on the available cores; one broken file does
    not stop the others.

    Example: validate_paths([Path("terug/")]).exit_code
    """
    spec = spec or load_spec()
    check = functools.partial(validate_file, spec=spec, limits=limits)
    return Report(map_files(check, expand_paths(paths), workers=workers, progress=progress), strict)


@dataclass
class Inspection:
    """A file's report and, when it could be read, what was read and the values as validation
    understood them: `clean[i]` holds the normalised columns of `data.blocks[i]`."""

    report: FileReport
    data: WorkbookData | None = None
    clean: list[dict[str, list[object]]] = field(default_factory=list)


def validate_file(path: Path, spec: Spec, limits: Limits = DEFAULT_LIMITS) -> FileReport:
    """The findings for one file, or why it could not be used."""
    return inspect_file(path, spec, limits).report


def inspect_file(path: Path, spec: Spec, limits: Limits = DEFAULT_LIMITS) -> Inspection:
    """Validate one file and keep what was read, for those who go on with the values (merge)."""
    # Reading makes millions of small objects that are all alive until the end: the cyclic
    # garbage collector would only walk them again and again (about a fifth of the time).
    collecting = gc.isenabled()
    gc.disable()
    try:
        data = read_workbook(path, spec, limits)
        checker = _Checker(data, spec)
        report = FileReport(path, data.template.to_dict(), _all_findings(checker))
        return Inspection(report, data, [checker.clean.get(id(b), {}) for b in data.blocks])
    except PaSheetsError as exc:
        return Inspection(FileReport(path, unusable=str(exc)))
    finally:
        if collecting:
            gc.enable()


def _all_findings(checker: "_Checker") -> list[Finding]:
    """Every finding for a workbook that could be read, in sheet and cell order."""
    data = checker.data
    findings = list(data.findings)
    for block_key, blocks in checker.blocks_by_key().items():
        findings += checker.check_blocks(block_key, blocks)
    findings += checker.cross_checks()
    order = {block.sheet: i for i, block in enumerate(data.blocks)}
    return sorted(
        findings,
        key=lambda f: (order.get(f.sheet or "", -1), f.row or 0, f.cell or "", f.code),
    )


@dataclass
class _Cell:
    """Where a value came from, for pointing a finding at it."""

    block: Block
    index: int  # row index within the block


class _Checker:
    def __init__(self, data: WorkbookData, spec: Spec):
        self.data, self.spec = data, spec
        self.template = spec.templates[data.template.kind]
        self.parties = [party["naam"] for party in data.meta.parties]
        # Normalised values per block: key -> list aligned with block.rows.
        self.clean: dict[int, dict[str, list[object]]] = {}
        self.failed: set[tuple[int, str, int]] = set()  # (block id, key, index) unreadable
        self.columns: dict[str, Column] = {}
        self.allowed: dict[str, tuple[set[str], dict[str, str]]] = {}

    def blocks_by_key(self) -> dict[str, list[Block]]:
        groups: dict[str, list[Block]] = {}
        for block in self.data.blocks:
            groups.setdefault(block.key, []).append(block)
        return groups

    # -----------------------------------------------------------------------------------------
    # Values: bring into shape, then pandera.
    # -----------------------------------------------------------------------------------------

    def check_blocks(self, block_key: str, blocks: list[Block]) -> list[Finding]:
        """Normalise every block of one kind, then run its pandera schema once over the rows
        of all sheets joined into one frame."""
        import pandas as pd
        import pandera.pandas as pa

        findings: list[Finding] = []
        keys: list[str] = []
        for block in blocks:
            clean = {}
            for key, values in block.values.items():
                clean[key] = self._normalise(block, key, values, findings)
                if key not in keys:
                    keys.append(key)
            self.clean[id(block)] = clean
        # Fixed cells of going-concern rows are checked whole, by their fingerprint (X005):
        # checking their values again would only cost time.
        template_block = self.template.block(block_key)
        keys = [key for key in keys if self._column(key).key not in template_block.fixed]
        data: dict[str, list[object]] = {key: [] for key in keys}
        cells: list[_Cell] = []
        for block in blocks:
            count, clean = len(block.rows), self.clean[id(block)]
            for key in keys:
                data[key].extend(clean.get(key) or [None] * count)
            cells += [_Cell(block, i) for i in range(count)]
        if not cells:
            return findings
        frame = pd.DataFrame(
            {
                key: pd.Series(values, dtype=float if self._column(key).type in NUMERIC else object)
                for key, values in data.items()
            }
        )
        schema = block_schema(self.spec, template_block, {self._column(k).key for k in keys})
        try:
            schema.validate(frame, lazy=True)
        except pa.errors.SchemaErrors as exc:
            findings += self._schema_findings(exc.failure_cases, cells)
        return findings

    def _schema_findings(self, failures, cells: list[_Cell]) -> list[Finding]:
        findings = []
        for failure in failures.itertuples(index=False):
            if failure.index is None or (
                isinstance(failure.index, float) and math.isnan(failure.index)
            ):
                continue  # a frame-level failure (e.g. a column absent): reported by read.py
            cell = cells[int(failure.index)]
            key = str(failure.column)
            if key not in cell.block.columns:
                continue  # the column is missing on this sheet: reported once by read.py
            code = "V001" if failure.check == "not_nullable" else str(failure.check)
            if code == "V001" and (id(cell.block), key, cell.index) in self.failed:
                continue  # the cell has a value that could not be read: already reported
            if code not in ("V001", "V003", "V004", "V005", "V006"):
                continue
            raw = cell.block.values[key][cell.index]
            findings.append(
                self._finding(
                    code, cell.block, key, cell.index, raw, **self._details(code, key, raw)
                )
            )
        return findings

    def _details(self, code: str, key: str, raw: object) -> dict[str, object]:
        column = self._column(key)
        if code == "V003":
            low, high = column.bounds()
            parts = ([f"minstens {low:g}"] if low is not None else []) + (
                [f"hoogstens {high:g}"] if high is not None else []
            )
            return {"detail": " en ".join(parts)}
        if code == "V004":
            return {"detail": ", ".join(self.spec.list_values(column.values))}
        if code == "V005":
            return {"detail": len(str(raw)), "limit": column.max_length}
        if code == "V006":
            return {"detail": "BT"}
        return {}

    def _column(self, key: str):
        """The spec column of a key ('aantal_2027' -> aantal), looked up once per key."""
        if key not in self.columns:
            self.columns[key] = self.spec.columns[re.sub(r"_\d{4}$", "", key)]
        return self.columns[key]

    def _finding(
        self, code: str, block: Block, key: str, index: int, value: object, **details: object
    ) -> Finding:
        return finding(
            code,
            sheet=block.sheet,
            row=block.rows[index],
            col=block.columns[key],
            column=expected_header(self.spec, key),
            value=value,
            **details,
        )

    def _normalise(
        self, block: Block, key: str, values: list[object], findings: list[Finding]
    ) -> list[object]:
        """Values as the schema expects them; what had to be guessed gets a warning, what
        cannot be read an error (and the cell is left empty for the schema). Each distinct
        value is converted once: a column holds few of them."""
        column = self._column(key)
        convert = {
            "integer": self._number,
            "decimal": self._number,
            "money": self._number,
            "percentage": self._number,
            "year": self._number,
            "enum": self._enum,
            "planning": self._planning,
            "date": self._date,
            "text": self._text,
        }[column.type]
        # The common cases, kept cheap: a number in a number column, text in a text column, a
        # value spelled exactly as in its list.
        whole = column.type in ("integer", "year")  # a float there must still be whole
        fine_type = (
            float
            if column.type in NUMERIC and not whole
            else str
            if column.type == "text"
            else None
        )
        fine_values = self._allowed(column)[0] if column.type == "enum" else frozenset()
        if column.type == "enum":
            if set(values) - {None} <= fine_values:
                return values
        elif set(map(type, values)) <= {type(None), fine_type}:
            return values
        # Convert each distinct value (by type too: 1, 1.0 and True are equal) and go over
        # the cells only when one of them changes: most of a column is fine as it is.
        results: dict[tuple[type, object], tuple] = {}
        for kind, value in set(zip(map(type, values), values, strict=True)):
            if value is None or kind is fine_type or value in fine_values:
                continue
            result = convert(column, value)
            if result is not None:
                results[(kind, value)] = result
        if not results:
            return values
        out = list(values)
        for index, value in enumerate(values):
            result = results.get((type(value), value))
            if result is None:
                continue
            new_value, code, detail = result
            out[index] = new_value
            if code is not None:
                findings.append(self._finding(code, block, key, index, value, detail=detail))
                if new_value is None:
                    self.failed.add((id(block), key, index))
        return out

    def _allowed(self, column: Column) -> tuple[set[str], dict[str, str]]:
        """A list's values, and the same keyed by a folded spelling (case, spaces)."""
        if column.key not in self.allowed:
            gemeenten = self.data.meta.gemeenten
            if column.values == "partijen":
                values = self.parties
            elif column.values == "gemeenten":
                values = [ALLE, *gemeenten]
            else:
                values = self.spec.list_values(column.values)
            folded = {" ".join(v.split()).casefold(): v for v in values}
            if column.values == "gemeenten":  # a gemeente's name is read as its code
                folded.update({naam.casefold(): code for code, (naam, _) in gemeenten.items()})
            self.allowed[column.key] = (set(values), folded)
        return self.allowed[column.key]

    # Each converter returns None when the value is fine as it is, or (new value, finding code
    # or None, detail for the message). A new value of None means: unreadable.

    @staticmethod
    def _number(column, value):
        if type(value) is float:  # only here for whole-number columns
            return None if value.is_integer() else (None, "V011", None)
        if isinstance(value, bool | dt.date | dt.time | dt.timedelta):
            return None, "V002", None
        if isinstance(value, int):
            return float(value), None, None
        number = parse_number(str(value), percentage=column.type == "percentage")
        if number is None:
            return None, "V002", None
        if column.type in ("integer", "year") and not number.is_integer():
            return None, "V011", None
        return number, "T001", f"{number:g}"

    def _enum(self, column, value):
        allowed, folded = self._allowed(column)
        text = _as_text(value)
        if text in allowed:
            return (text, None, None) if text != value else None
        match = folded.get(" ".join(text.split()).casefold())
        if match is not None:
            return match, "T002", match
        return text, None, None  # not in the list: the schema or a cross check reports it

    @staticmethod
    def _text(column, value):
        return None if isinstance(value, str) else (_as_text(value), None, None)

    @staticmethod
    def _planning(column, value):
        return None if planning_year(value) is not None else (None, "V007", None)

    @staticmethod
    def _date(column, value):
        if isinstance(value, dt.date):
            return None
        parsed = parse_date(str(value))
        if parsed is None:
            return None, "V008", None
        return parsed, "T003", parsed.strftime("%d-%m-%Y")

    # -----------------------------------------------------------------------------------------
    # Across cells and sheets.
    # -----------------------------------------------------------------------------------------

    def cross_checks(self) -> list[Finding]:
        findings: list[Finding] = []
        findings += self._unique_nummers()
        findings += self._closed_nummers()
        for block in self.data.blocks:
            findings += self._block_checks(block, self.clean.get(id(block), {}))
            findings += self._formulas(block)
        findings += self._going_concern()
        findings += self._investments()
        return findings

    def _unique_nummers(self) -> list[Finding]:
        # Counting first is cheap; nearly always no nummer is used twice.
        counts: Counter[str] = Counter()
        for block in self.data.blocks:
            counts.update(map(str, filter(None, self.clean.get(id(block), {}).get("nummer", []))))
        if not counts or max(counts.values()) < 2:
            return []
        marker = self.template.gemeente_column or ""
        seen: dict[str, list[tuple[Block, int, object]]] = {}
        for block in self.data.blocks:
            clean = self.clean.get(id(block), {})
            nummers = clean.get("nummer")
            if not nummers:
                continue
            for index, (nummer, gemeente) in enumerate(
                zip(nummers, clean.get(marker) or [None] * len(nummers), strict=True)
            ):
                if nummer:
                    seen.setdefault(str(nummer), []).append((block, index, gemeente))
        findings = []
        for nummer, places in seen.items():
            if len(places) < 2:
                continue
            for block, index, gemeente in places:
                # In a basisbod a nummer may come back for another gemeente, not next to `alle`.
                others = [
                    f"{b.sheet} regel {b.rows[i]}"
                    for b, i, other in places
                    if (b, i) != (block, index) and _same_gemeente(gemeente, other)
                ]
                if not others:
                    continue
                findings.append(
                    self._finding("X001", block, "nummer", index, nummer, detail=", ".join(others))
                )
        return findings

    def _closed_nummers(self) -> list[Finding]:
        """A new afspraak under the nummer of one finished or dropped last year: the nummer
        stands for that afspraak in every year, so a comparison across years would mix them."""
        closed = self.data.meta.closed
        if not closed:
            return []
        findings = []
        for block in self.data.blocks:
            if block.key != "nieuw":
                continue
            for index, nummer in enumerate(self.clean.get(id(block), {}).get("nummer", [])):
                if nummer and str(nummer) in closed:
                    findings.append(
                        self._finding(
                            "X010", block, "nummer", index, nummer, detail=closed[str(nummer)]
                        )
                    )
        return findings

    def _block_checks(self, block: Block, clean: dict[str, list[object]]) -> list[Finding]:
        """Checks between the cells of a row, column by column (a dict per row is too slow on
        100,000 rows)."""
        findings = []
        marker = self.template.gemeente_column
        if marker is not None:
            gemeenten = [ALLE, *self.data.meta.gemeenten]
            for index, gemeente in enumerate(clean.get(marker, ())):
                if gemeente and gemeente not in gemeenten:
                    findings.append(
                        self._finding(
                            "X008", block, marker, index, gemeente, detail=", ".join(gemeenten)
                        )
                    )
        parties = self._allowed(self.spec.columns["trekker"])[0]
        for index, trekker in enumerate(clean.get("trekker", ())):
            if trekker and trekker not in parties:
                findings.append(
                    self._finding(
                        "X002", block, "trekker", index, trekker, detail=", ".join(self.parties)
                    )
                )
        if "status" in clean and "toelichting" in clean:
            pairs = zip(clean["status"], clean["toelichting"], strict=True)
            for index, (status, toelichting) in enumerate(pairs):
                if status in STOPLICHT_NEEDS_TOELICHTING and not toelichting:
                    findings.append(self._finding("V009", block, "toelichting", index, status))
        low, high = self._planning_bounds()
        years: dict[str, list[int | None]] = {}
        for key, values in clean.items():
            if self._column(key).type != "planning":
                continue
            years[key] = [_planning_year(value) for value in values]
            for index, year in enumerate(years[key]):
                if year is not None and not low <= year <= high:
                    findings.append(
                        self._finding(
                            "X003",
                            block,
                            key,
                            index,
                            values[index],
                            detail=f"Jaar {year}",
                            limit=f"{low}-{high}",
                        )
                    )
        if "nulmeting_jaar" in clean and "planning" in years:
            pairs = zip(clean["nulmeting_jaar"], years["planning"], strict=True)
            for index, (start, target) in enumerate(pairs):
                if isinstance(start, float) and target is not None and start >= target:
                    findings.append(
                        self._finding(
                            "X004", block, "nulmeting_jaar", index, int(start), detail=target
                        )
                    )
        if block.key == "nieuw":
            # Judged on what was typed: an unreadable planning is reported, not "missing".
            for index in range(len(block.rows)):
                raw = {key: values[index] for key, values in block.values.items()}
                findings += self._smart(block, index, raw)
        return findings

    def _planning_bounds(self) -> tuple[int, int]:
        template = self.data.template
        return (
            template.period
            if template.kind == "jaarschijf"
            else (template.years[0] - 1, template.years[-1])
        )

    def _smart(self, block: Block, index: int, row: dict[str, object]) -> list[Finding]:
        """Warnings for a new afspraak that does not say who, when or how much."""
        findings = []
        if "trekker" in block.columns and _empty(row.get("trekker")):
            findings.append(self._finding("M001", block, "trekker", index, None))
        if "planning" in block.columns and _empty(row.get("planning")):
            findings.append(self._finding("M002", block, "planning", index, None))
        measurable = [key for key in ("indicator", "streefwaarde") if key in block.columns]
        if measurable and any(_empty(row.get(key)) for key in measurable):
            findings.append(self._finding("M003", block, measurable[-1], index, None))
        return findings

    def _formulas(self, block: Block) -> list[Finding]:
        cells = self.data.formulas.get(block.sheet)
        if not cells:
            return []
        findings = []
        for key, col in block.columns.items():
            for index, row in enumerate(block.rows):
                if finding("V010", row=row, col=col).cell in cells:
                    findings.append(
                        self._finding("V010", block, key, index, block.values[key][index])
                    )
        return findings

    def _going_concern(self) -> list[Finding]:
        """Fixed text of going-concern rows must be as generated, and no row may be lost."""
        template_block = next((b for b in self.template.blocks if b.fixed), None)
        if template_block is None:
            return []
        findings = []
        seen: set[tuple[str, str]] = set()
        marker = self.template.gemeente_column or ""
        for block in self.data.blocks:
            if block.key != template_block.key:
                continue
            nummers = block.values.get("nummer", [])
            row_keys = [
                meta.row_key(nummer, gemeente)
                for nummer, gemeente in zip(
                    nummers, block.values.get(marker) or [None] * len(nummers), strict=True
                )
            ]
            fixed = [
                key
                for key in block.meta.columns
                if re.sub(r"_\d{4}$", "", key) in template_block.fixed
            ]
            if not set(fixed) <= set(block.columns):
                # A fixed column is missing (S011): its text cannot be compared.
                seen.update((block.meta.sheet, key) for key in row_keys)
                continue
            columns = [block.values[key] for key in fixed]
            if meta.block_fingerprint(columns) == self.data.meta.block_prints.get(block.meta.sheet):
                # Every row as generated: no row to report, and all of them were seen.
                seen.update((block.meta.sheet, key) for key in row_keys)
                continue
            prints = meta.fingerprints(columns)
            for index, (nummer, key, print_) in enumerate(
                zip(nummers, row_keys, prints, strict=True)
            ):
                original = self.data.meta.fixed.get((block.meta.sheet, key))
                if original is None or print_ != original:
                    findings.append(
                        self._finding(
                            "X005",
                            block,
                            "afspraak" if "afspraak" in block.columns else "nummer",
                            index,
                            nummer,
                        )
                    )
                if original is not None:
                    seen.add((block.meta.sheet, key))
        read_sheets = {
            block.meta.sheet: block for block in self.data.blocks if block.key == template_block.key
        }
        for sheet, nummer in self.data.meta.fixed:
            block = read_sheets.get(sheet)
            if block is not None and (sheet, nummer) not in seen:
                findings.append(
                    finding(
                        "X006",
                        sheet=block.sheet,
                        row=block.header_row,
                        col=0,
                        column="Nummer",
                        value=nummer,
                    )
                )
        return findings

    def _investments(self) -> list[Finding]:
        """The bod's Investeringen sheet must show what the tabs add up to."""
        rows = self.data.investments
        keys = self.template.investment_columns
        if not rows or not keys:
            return []
        years = self.data.template.years
        totals: dict[tuple[str, int], float] = {}
        for block in self.data.blocks:
            clean = self.clean.get(id(block), {})
            for year in years:
                for key in keys:
                    for value in clean.get(f"{key}_{year}", []):
                        if isinstance(value, float) and not math.isnan(value):
                            totals[(block.meta.thema, year)] = (
                                totals.get((block.meta.thema, year), 0.0) + value
                            )
        findings = []
        header = next((i for i, row in enumerate(rows) if row and row[0] == "Thema"), None)
        if header is None:
            return []
        for offset, row in enumerate(rows[header + 1 :], start=header + 2):
            code = str(row[0]).split(" ")[0] if row and row[0] else ""
            if not code or code == "Totaal":
                continue
            for col, year in enumerate(years, start=1):
                shown = row[col] if col < len(row) else None
                if not isinstance(shown, int | float) or isinstance(shown, bool):
                    continue  # no cached value (never recalculated): nothing to compare
                expected = totals.get((code, year), 0.0)
                if abs(shown - expected) > 0.5:
                    findings.append(
                        finding(
                            "X007",
                            sheet=meta.INVESTMENT_SHEET,
                            row=offset,
                            col=col,
                            column=str(year),
                            value=f"{shown:,.0f}".replace(",", "."),
                            detail=f"{code} {year}",
                            limit=f"{expected:,.0f}".replace(",", "."),
                        )
                    )
        return findings


def _same_gemeente(one: object, other: object) -> bool:
    """Whether two rows of a basisbod end up in one gemeente's bod (always, outside one)."""
    return one == other or ALLE in (one, other)


def _empty(value: object) -> bool:
    return value is None or value == "" or (isinstance(value, float) and math.isnan(value))


def _as_text(value: object) -> str:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, dt.datetime):
        return value.strftime("%d-%m-%Y")
    return str(value).strip()


def parse_number(text: str, percentage: bool = False) -> float | None:
    """A number as people type it in Dutch: '1.234,5', '15%', 'EUR 2.500', '-3'. Returns None
    when it is no number or ambiguous: '1.234' is 1234 in Dutch but 1.234 in English; with a
    euro sign it can only be an amount in Dutch notation."""
    match = NUMBER_TEXT.match(text.strip())
    if match is None:
        return None
    prefix, sign, digits, unit = match.groups()
    digits = digits.replace(" ", "")
    money = bool(prefix) or (unit or "").lower() in ("eur", "€")
    if "," in digits and "." in digits:
        decimal = "," if digits.rfind(",") > digits.rfind(".") else "."
        thousands = "." if decimal == "," else ","
        digits = digits.replace(thousands, "").replace(decimal, ".")
    elif "," in digits:
        if digits.count(",") > 1:
            return None
        digits = digits.replace(",", ".")
    elif "." in digits:
        groups = digits.split(".")
        if len(groups) > 2 and all(len(g) == 3 for g in groups[1:]):
            digits = digits.replace(".", "")  # 1.234.567
        elif len(groups) == 2 and len(groups[1]) == 3:
            if not money:
                return None  # 1.234: thousands (Dutch) or decimals (English)?
            digits = digits.replace(".", "")
        elif len(groups) > 2:
            return None
    try:
        number = float(sign + digits)
    except ValueError:
        return None
    if unit == "%" and percentage:
        number /= 100
    return number


def parse_date(text: str) -> dt.date | None:
    match = DATE_TEXT.fullmatch(text.strip())
    if match is None:
        return None
    day, month, year = (
        (match.group(1), match.group(2), match.group(3))
        if match.group(1)
        else (match.group(6), match.group(5), match.group(4))
    )
    try:
        return dt.date(int(year), int(month), int(day))
    except ValueError:
        return None


@functools.lru_cache(maxsize=4096)
def _planning_year(value: object) -> int | None:
    """planning_year for the many repeated plannings of a column ("Q4 2027", "2028")."""
    return planning_year(value)


def planning_year(value: object) -> int | None:
    """The year of a planning: a date, a quarter (Q3 2027), a year (2027 or 2027.0)."""
    if isinstance(value, dt.date):
        return value.year
    if isinstance(value, int | float) and not isinstance(value, bool):
        return int(value) if float(value).is_integer() and 1900 <= value <= 2200 else None
    text = str(value).strip()
    for pattern, group in ((QUARTER, 2), (YEAR, 1)):
        match = pattern.fullmatch(text)
        if match:
            return int(match.group(group))
    parsed = parse_date(text)
    return parsed.year if parsed else None
