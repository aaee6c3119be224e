"""Write a planned workbook with xlsxwriter: cover sheet, one tab per thema and party, the
dropdown lists, the bod's Investeringen sheet, the signing sheet and the very hidden `_meta`
sheet, each by its own writer in this folder (cover.py, tabs.py, investments.py, signing.py,
lists.py, meta_sheet.py) from the plan, sharing the workbook's formats (styles.py).

Every Excel rule a column gets (dropdown, number or date check, input message) comes from its
spec through `excel_validation()` (validation.py), the one mapping from spec types to Excel.
"""

import datetime as dt
from collections.abc import Callable, Iterable
from pathlib import Path

from xlsxwriter.exceptions import XlsxWriterException

from pa_sheets import __version__
from pa_sheets.errors import OutputError, UsageError
from pa_sheets.spec.config import Config, load_config
from pa_sheets.spec.kalender import default_deadline
from pa_sheets.spec.model import Spec, load_spec
from pa_sheets.workbook import meta
from pa_sheets.workbook.cover import CoverWriter
from pa_sheets.workbook.investments import InvestmentsWriter
from pa_sheets.workbook.layout import WorkbookPlan, plan_workbook
from pa_sheets.workbook.lists import ListSheet
from pa_sheets.workbook.meta_sheet import write_fixed_texts, write_meta
from pa_sheets.workbook.output import atomic_path, guard_output, output_path, refuse_same_names
from pa_sheets.workbook.signing import write_signing
from pa_sheets.workbook.styles import Styles, years_text
from pa_sheets.workbook.tabs import BlockWriter, write_tab
from pa_sheets.workbook.writer import now, text_safe_workbook


def write_workbook(plan: WorkbookPlan, path: Path, created: dt.datetime) -> None:
    """Write the planned workbook to `path` atomically: a temp file, then a rename."""
    with atomic_path(path, XlsxWriterException) as temp:
        _write_planned(plan, temp, created)


def write_workbooks(
    plans: Iterable[WorkbookPlan],
    out_dir: Path,
    force: bool,
    created: dt.datetime,
    progress: Callable[[Path], None] = lambda path: None,
    *,
    inputs: Iterable[Path] = (),
) -> list[Path]:
    """Write every plan into `out_dir`; refuse up front, before writing any, a file that would
    replace one of the `inputs` (the files the plans were made from) or that exists and not
    `force`."""
    plans, inputs = list(plans), list(inputs)
    try:
        out_dir.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise OutputError(f"{out_dir}: kan de map niet maken ({exc.strerror or exc}).") from None
    if not out_dir.is_dir():
        raise OutputError(f"{out_dir}: is geen map.")
    paths = [output_path(out_dir, plan.file_name) for plan in plans]
    refuse_same_names(zip(paths, (plan.corporatie.party.kort for plan in plans), strict=True))
    for path in paths:
        guard_output(path, inputs, force=force)
    for plan, path in zip(plans, paths, strict=True):
        write_workbook(plan, path, created)
        progress(path)
    return paths


def _write_planned(plan: WorkbookPlan, path: Path, created: dt.datetime) -> None:
    """Add the sheets in the order a user sees them, then write each from the plan. The
    writers run in a fixed order: each makes its formats on first use, in styles.xml."""
    workbook = text_safe_workbook(
        path,
        created,
        title=f"{plan.template.titel} {years_text(plan)}",
        subject=f"{plan.gemeente_names} - {plan.corporatie.party.naam}",
        author="pa-sheets",
        comments=f"Gemaakt met pa-sheets {__version__}, spec {plan.spec.version}",
    )
    styles, lists = Styles(workbook), ListSheet(plan)
    cover = workbook.add_worksheet(meta.COVER_SHEET)
    sheets = [(workbook.add_worksheet(sheet.name), sheet) for sheet in plan.sheets]
    signing = (
        workbook.add_worksheet(plan.template.signing.sheet)
        if plan.signing is not None and plan.template.signing is not None
        else None
    )
    investments = (
        workbook.add_worksheet(meta.INVESTMENT_SHEET) if plan.template.investment_columns else None
    )
    lists_sheet = workbook.add_worksheet(meta.LISTS_SHEET)
    meta_sheet = workbook.add_worksheet(meta.SHEET)
    fixed_rows = sum(block.fixed_rows for sheet in plan.sheets for block in sheet.blocks)
    fixed_texts = [workbook.add_worksheet(name) for name in meta.fixed_text_sheets(fixed_rows)]
    lists.write(workbook, lists_sheet, styles)
    blocks = BlockWriter(plan, styles, lists)
    for worksheet, sheet in sheets:
        write_tab(worksheet, sheet, blocks)
    if investments is not None:
        InvestmentsWriter(plan, styles).write(investments)
    if signing is not None:
        write_signing(signing, blocks)
    CoverWriter(plan, styles).write(cover)
    write_meta(meta_sheet, plan, created)
    write_fixed_texts(fixed_texts, plan, styles)
    cover.activate()
    workbook.close()


def generate(
    kind: str,
    config_path: Path,
    years: tuple[int, ...],
    out_dir: Path,
    corporaties: Iterable[str] = (),
    *,
    force: bool = False,
    deadline: dt.date | None = None,
    spec: Spec | None = None,
    created: dt.datetime | None = None,
    progress: Callable[[Path], None] = lambda path: None,
) -> list[Path]:
    """Generate one workbook of `kind` per corporatie (all, or those named) into `out_dir`.

    Example: generate("jaarschijf", Path("voorbeeldstad.yaml"), (2027,), Path("uit"))
    """
    spec = spec or load_spec()
    config = load_config(config_path, spec)
    if kind == "jaarschijf":
        config.check_year(years[0])
    else:
        check_bod_years(spec, config, years, config_path)
    chosen = [config.corporatie(kort) for kort in corporaties] or list(config.corporaties)
    deadline = deadline or default_deadline(kind, years[0], config.termijnen)
    plans = [
        plan_workbook(spec, config, kind, corporatie, years, deadline) for corporatie in chosen
    ]
    return write_workbooks(plans, out_dir, force, created or now(), progress, inputs=[config_path])


def check_bod_years(spec: Spec, config: Config, years: tuple[int, ...], path: Path) -> None:
    """A bod covers the next five calendar years (Woningwet art. 43), and starts inside the
    period of the gemeente's agreements."""
    wanted = spec.templates["bod"].years
    if wanted and len(years) != wanted:
        raise UsageError(
            f"een bod beslaat {wanted} kalenderjaren (Woningwet art. 43); "
            f"{years[0]}-{years[-1]} is {len(years)} jaar. Kies bijv. "
            f"{years[0]}-{years[0] + wanted - 1}."
        )
    if years[0] > config.laatste_jaar:
        raise UsageError(
            f"het bod begint in {years[0]}, na de periode {config.eerste_jaar}-"
            f"{config.laatste_jaar} van {path} (periode.eerste_jaar en periode.laatste_jaar)."
        )


def parse_years(text: str, count: int) -> tuple[int, ...]:
    """'2027-2031' -> (2027, ..., 2031); '2027' -> `count` years from 2027."""
    parts = text.strip().split("-")
    try:
        first = int(parts[0])
        last = int(parts[1]) if len(parts) == 2 else first + count - 1
    except (ValueError, IndexError):
        raise UsageError(f"jaren {text!r}: verwacht bijv. 2027-2031 of 2027.") from None
    if len(parts) > 2 or not 2000 <= first <= last <= first + 9 or last > 2100:
        raise UsageError(
            f"jaren {text!r}: verwacht een oplopende reeks van 1 tot 10 jaren, bijv. 2027-2031."
        )
    return tuple(range(first, last + 1))
