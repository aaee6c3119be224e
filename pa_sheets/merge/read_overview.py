"""Read a gezamenlijk overzicht (merge's xlsx) back into what merge made it from.

The overview keeps, very hidden, what every merged workbook said about itself (form.py's
`_bronnen`: facts, parties, tabs, themes); its thema sheets hold every afspraak with where it
came from. Together they give a `Merged` again, so rollover and evaluate start from an overview
exactly as from the returned jaarschijven. What the overview does not keep is validation's
findings: only their number, per corporatie on the summary (`smart_warnings`).
"""

from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from pa_sheets.check.findings import FileReport
from pa_sheets.check.read import facts_of
from pa_sheets.check.safety import open_xlsx, reader_failed, scan_file
from pa_sheets.check.source import SentWorkbooks
from pa_sheets.errors import UsageError
from pa_sheets.merge.combine import Merged, merge_paths
from pa_sheets.merge.form import (
    FACT,
    FILE_FACT,
    LEAD_HEADERS,
    LEAD_KEYS,
    PARTY,
    PER_CORPORATIE_FIRST,
    SHA_FACT,
    SIGNING,
    SMART_HEADER,
    TAB,
    THEMA,
    VALID,
    VERDICT_FACT,
    is_record_sheet,
)
from pa_sheets.merge.signing import signing_from_lines
from pa_sheets.merge.sources import Record, Source
from pa_sheets.spec.config import Config
from pa_sheets.spec.model import Spec
from pa_sheets.spec.names import SOURCES_SHEET, SUMMARY_SHEET
from pa_sheets.workbook.meta import PARTY_FIELDS
from pa_sheets.workbook.meta import SHEET as META_SHEET


@dataclass(frozen=True)
class Loaded:
    """What evaluate, rollover and publish start from: the merged workbooks, the overview they
    were read from (None: from the returned workbooks, validated and merged now), and the
    files read."""

    merged: Merged
    overview: Path | None
    inputs: list[Path]


def load_merged(
    paths: Iterable[Path],
    spec: Spec,
    *,
    allow_invalid: bool = False,
    config: Config | None = None,
    sent: SentWorkbooks | None = None,
) -> Loaded:
    """One gezamenlijk overzicht (a single file merge wrote), or the returned workbooks,
    validated and merged as merge does (`allow_invalid`: workbooks with errors too). Raises
    what read_overview and merge_paths raise.

    Example: load_merged([Path("gezamenlijk.xlsx")], load_spec()).merged.corporaties
    """
    paths = list(paths)
    if len(paths) == 1 and paths[0].is_file() and is_overview(paths[0]):
        if config is not None or sent is not None:  # its rows were taken as merge read them
            option = "--config" if config is not None else "--verzonden"
            raise UsageError(
                f"{paths[0]}: {option} vergelijkt teruggestuurde werkboeken met de bron; een "
                "gezamenlijk overzicht is geen werkboek meer. Geef de werkboeken zelf, of voeg "
                f"ze samen met merge {option}."
            )
        return Loaded(read_overview(paths[0], spec), paths[0], paths)
    merged = merge_paths(paths, spec=spec, allow_invalid=allow_invalid, config=config, sent=sent)
    return Loaded(merged, None, [source.path for source in merged.sources + merged.set_aside])


def is_overview(path: Path) -> bool:
    """Whether `path` is a gezamenlijk overzicht rather than a returned workbook."""
    try:
        scan_file(path)
        names = open_xlsx(path).sheet_names
    except BaseException as exc:  # not readable as an overview: read as a returned workbook
        reader_failed(path, exc)  # an interrupt goes on
        return False
    return SUMMARY_SHEET in names and META_SHEET not in names


def read_overview(path: Path, spec: Spec) -> Merged:
    """The merged workbooks of an overview, with their afspraken (going concern and nieuw).

    Example: read_overview(Path("gezamenlijk-jaarschijf-2027.xlsx"), load_spec()).corporaties
    """
    scan_file(path)
    try:
        workbook = open_xlsx(path)
        sheets = {
            name: workbook.get_sheet_by_name(name).to_python() for name in workbook.sheet_names
        }
    except BaseException as exc:  # a Rust panic too
        raise reader_failed(path, exc) from None
    if SOURCES_SHEET not in sheets:
        raise UsageError(
            f"{path}: dit overzicht noemt zijn bronnen niet (gemaakt met een oudere pa-sheets); "
            "voeg de werkboeken opnieuw samen."
        )
    sources = _sources(path, sheets[SOURCES_SHEET], spec)
    merged = Merged(spec, list(sources.values()), [])
    columns: dict[str, str] = dict(LEAD_HEADERS)
    columns.update({merged.header(key): key for key in merged.columns(merged.afspraak_blocks())})
    blocks = {b.soort: b.key for b in merged.afspraak_blocks()}
    by_name = {source.corporatie: source for source in sources.values()}
    for name, rows in sheets.items():
        if not rows or not is_record_sheet(rows[0]):
            continue
        keys = [columns.get(str(header)) for header in rows[0]]
        for row in rows[1:]:
            values = {k: v for k, v in zip(keys, row, strict=False) if k and v not in ("", None)}
            if values.get("blok") not in blocks or "bronregel" not in values:
                continue  # the totals row under a table, or another block's sheet
            source = by_name.get(str(values.get("corporatie")))
            partij = str(values.get("partij", ""))
            number = values["bronregel"]
            line = str(int(number)) if isinstance(number, float) else str(number)
            if source is None or partij not in {p["naam"] for p in source.parties}:
                raise UsageError(
                    f"{path}: blad {name!r}, bronregel {line}: corporatie "
                    f"{values.get('corporatie')!r} of partij {partij!r} staat niet bij de "
                    "bronnen. Is het overzicht met de hand gewijzigd? Voeg opnieuw samen."
                )
            source.records.append(
                Record(
                    blocks[str(values["blok"])],
                    str(values.get("thema", "")),
                    str(values.get("rol", "")),
                    partij,
                    str(values.get("bronblad", "")),
                    int(line) if line.isdigit() else 0,
                    {k: v for k, v in values.items() if k not in LEAD_KEYS},
                )
            )
    return merged


def smart_warnings(path: Path) -> dict[str, int]:
    """L-nummer -> the SMART warnings (validate's M001-M003) its workbook had when merged, as
    the summary's table per corporatie counts them: the overview keeps their number, not the
    findings, so not which rows they were on.

    Example: sum(smart_warnings(Path("gezamenlijk-jaarschijf-2027.xlsx")).values())
    """
    scan_file(path)
    try:
        workbook = open_xlsx(path)
        rows = workbook.get_sheet_by_name(SUMMARY_SHEET).to_python()
    except BaseException as exc:  # a Rust panic too
        raise reader_failed(path, exc) from None
    for top, header in enumerate(rows):
        if header and header[0] == PER_CORPORATIE_FIRST and SMART_HEADER in header:
            column = header.index(SMART_HEADER)
            counts = {}
            for row in rows[top + 1 :]:
                if not row or row[0] in ("", None):
                    break  # the table ends at a blank row
                number, count = str(row[1]), row[column]
                if number and isinstance(count, int | float):  # not the totals row
                    counts[number] = int(count)
            return counts
    raise UsageError(
        f"{path}: de samenvatting telt geen {SMART_HEADER} per corporatie (gemaakt met een "
        "oudere pa-sheets?); voeg de werkboeken opnieuw samen."
    )


def _sources(path: Path, rows: list[list[object]], spec: Spec) -> dict[str, Source]:
    """One Source per L-nummer from the `_bronnen` lines; a source that was not in order when
    merged stays not in order."""
    tables: dict[str, dict[str, list[list[str]]]] = {}
    for row in rows[1:]:
        text = ["" if value is None else str(value) for value in row]
        if len(text) >= 2 and text[0]:
            tables.setdefault(text[1], {}).setdefault(text[0], []).append(text[2:])
    sources = {}
    for number, table in tables.items():
        facts = {line[0]: line[1] if len(line) > 1 else "" for line in table.get(FACT, [])}
        template = facts_of(path, facts, spec)
        report = FileReport(Path(facts.get(FILE_FACT, path.name)), template.to_dict())
        report.signing = signing_from_lines(table.get(SIGNING, []), spec)
        source = Source(
            Path(facts.get(FILE_FACT, path.name)),
            report,
            template,
            parties=[_padded(PARTY_FIELDS, line) for line in table.get(PARTY, [])],
            themas={line[0]: line[1] for line in table.get(THEMA, []) if len(line) > 1},
            tabs=[(line[0], line[1], line[2]) for line in table.get(TAB, []) if len(line) > 2],
            note="" if facts.get(VERDICT_FACT) == VALID else "niet in orde bij het samenvoegen",
            sha256=facts.get(SHA_FACT, ""),
        )
        sources[number] = source
    if not sources:
        raise UsageError(f"{path}: het overzicht noemt geen bronnen.")
    return sources


def _padded(fields: tuple[str, ...], line: list[str]) -> dict[str, str]:
    return {field: line[i] if i < len(line) else "" for i, field in enumerate(fields)}
