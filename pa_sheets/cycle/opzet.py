"""`pa-sheets opzet`: a gemeente's set-up, as a set-up workbook or as YAML, made empty or from
what there is: last year's config (YAML or set-up workbook), or its signed overview or returned
jaarschijven (the parties, and the afspraken that go on), so next year's set-up is a review,
not a retyping."""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Iterable
from pathlib import Path

from pa_sheets.errors import UsageError
from pa_sheets.spec import opzet
from pa_sheets.spec.config import ALLE, config_mapping, load_config
from pa_sheets.spec.model import Spec, load_spec
from pa_sheets.workbook.output import atomic_path, guard_output

WORKBOOK_SUFFIXES = (".xlsx",)
YAML_SUFFIXES = (".yaml", ".yml")


def make_setup(
    sources: Iterable[Path],
    out: Path,
    *,
    force: bool = False,
    spec: Spec | None = None,
    created: dt.datetime | None = None,
) -> Path:
    """Write the set-up of a gemeente to `out`: a set-up workbook (.xlsx) or a YAML config
    (.yaml). Without `sources` an empty set-up; with one config (YAML or set-up workbook) that
    config; with a signed overview or returned jaarschijven the config they continue.

    Example: make_setup([Path("samples/voorbeeldstad.yaml")], Path("opzet-2027.xlsx"))
    """
    spec = spec or load_spec()
    sources = [Path(source) for source in sources]
    suffix = out.suffix.lower()
    if suffix not in WORKBOOK_SUFFIXES + YAML_SUFFIXES:
        raise UsageError(
            f"{out}: geef een naam die eindigt op .xlsx (een opzetwerkboek) of .yaml (de config "
            "als tekst)."
        )
    guard_output(out, sources, force=force)
    data, source = setup_data(sources, spec)
    if suffix in WORKBOOK_SUFFIXES:
        from pa_sheets.workbook.opzet import write_setup

        return write_setup(data, out, spec, source=source, force=True, created=created)
    if data is None:
        raise UsageError(
            "een lege config in YAML heeft geen zin; geef met --van de config, het opzetwerkboek "
            "of het overzicht waar hij uit volgt, of schrijf een opzetwerkboek (.xlsx)."
        )
    with atomic_path(out) as temp:
        temp.write_text(opzet.yaml_text(data, source), encoding="utf-8")
    return out


def setup_data(sources: list[Path], spec: Spec) -> tuple[dict | None, str]:
    """The config mapping of `sources` and a name for where it came from (None: empty)."""
    if not sources:
        return None, ""
    if len(sources) == 1 and sources[0].is_file() and is_config(sources[0]):
        path = sources[0]
        load_config(path, spec)  # every mistake at once, before anything is written
        data, _, _ = config_mapping(path, spec)
        return data, path.name
    return rolled_data(sources, spec), ", ".join(source.name for source in sources)


def is_config(path: Path) -> bool:
    """A YAML config or a set-up workbook, not a pa-sheets workbook or overview."""
    if not opzet.is_setup_file(path):
        return True
    from pa_sheets.check.safety import open_xlsx, reader_failed, scan_file

    try:
        scan_file(path)
        names = open_xlsx(path).sheet_names
    except BaseException as exc:  # unreadable: said when it is read as a config
        reader_failed(path, exc)  # an interrupt goes on
        return True
    return opzet.GEMEENTE in names and opzet.CORPORATIES in names


def rolled_data(sources: list[Path], spec: Spec) -> dict:
    """The config that last year's signed overview or jaarschijven continue: their parties and
    themes, and every afspraak not closed (cycle/rollover.py), one row for all corporaties
    where each has the same one."""
    from pa_sheets.cycle.rollover import config_from
    from pa_sheets.merge.read_overview import load_merged

    merged = load_merged(sources, spec).merged
    # The deadlines the workbooks were made with (their _meta), the law's where they name none.
    termijnen = merged.sources[0].facts.termijnen
    config = dataclasses.replace(config_from(merged, spec), termijnen=termijnen)
    data = opzet.config_data(config, spec)
    rows = data.get("lopende_afspraken") or []
    if rows:
        data["lopende_afspraken"] = _shared_once(rows, len(data["corporaties"]))
    return data


def _shared_once(rows: list[dict], corporaties: int) -> list[dict]:
    """Rows alike but for their corporatie, in every corporatie's workbook: one row for alle."""
    groups: dict[str, list[dict]] = {}
    for row in rows:
        key = repr(sorted((k, repr(v)) for k, v in row.items() if k != "corporatie"))
        groups.setdefault(key, []).append(row)
    kept, done = [], set()
    for row in rows:
        key = repr(sorted((k, repr(v)) for k, v in row.items() if k != "corporatie"))
        group = groups[key]
        if len({r["corporatie"] for r in group}) == corporaties and corporaties > 1:
            if key not in done:
                done.add(key)
                kept.append({**row, "corporatie": ALLE})
            continue
        kept.append(row)
    return kept
