"""pa-sheets: workbooks for prestatieafspraken, in the order of the yearly cycle.

    spec/      the templates (templates/*.yaml), a gemeente's config and the legal calendar
    workbook/  plan a workbook, write it (one text-safe xlsxwriter factory), its _meta sheet
    check/     open a returned file safely, read it, normalise values, run the rules, report
    merge/     combine validated workbooks into the gezamenlijk overzicht, write and read it
    cycle/     the set-up (opzet) and what follows in the year: basisbod, evaluate, rollover,
               publish
    demo/      the whole cycle on the sample gemeente

The public API is importable from here; each name is imported on first use, so that
`pa-sheets --help` does not pay for pandas and pandera.

Example:
    from pa_sheets import load_spec, validate_paths
    report = validate_paths([Path("terug/")], spec=load_spec())
"""

import importlib

__version__ = "0.1.0"

# name -> module that defines it
_API = {
    "load_spec": "pa_sheets.spec.model",
    "Spec": "pa_sheets.spec.model",
    "load_config": "pa_sheets.spec.config",
    "Config": "pa_sheets.spec.config",
    "make_setup": "pa_sheets.cycle.opzet",
    "write_setup": "pa_sheets.workbook.opzet",
    "read_setup": "pa_sheets.spec.opzet",
    "generate": "pa_sheets.workbook.generate",
    "validate_paths": "pa_sheets.check.validate",
    "inspect_file": "pa_sheets.check.validate",
    "Report": "pa_sheets.check.findings",
    "FileReport": "pa_sheets.check.findings",
    "Finding": "pa_sheets.check.findings",
    "Limits": "pa_sheets.check.safety",
    "text_report": "pa_sheets.check.report",
    "json_report": "pa_sheets.check.report",
    "annotate": "pa_sheets.check.report",
    "merge_paths": "pa_sheets.merge.combine",
    "Merged": "pa_sheets.merge.combine",
    "write_overview": "pa_sheets.merge.overview",
    "read_overview": "pa_sheets.merge.read_overview",
    "generate_basisbod": "pa_sheets.cycle.basisbod",
    "split_bod": "pa_sheets.cycle.basisbod",
    "evaluate_paths": "pa_sheets.cycle.evaluate",
    "write_evaluation": "pa_sheets.cycle.evaluation_workbook",
    "rollover": "pa_sheets.cycle.rollover",
    "publish_paths": "pa_sheets.cycle.publish",
    "run_demo": "pa_sheets.demo.run",
}
__all__ = ["__version__", *_API]


def __getattr__(name: str) -> object:
    if name not in _API:
        raise AttributeError(f"module 'pa_sheets' has no attribute {name!r}")
    value = getattr(importlib.import_module(_API[name]), name)
    globals()[name] = value  # once imported, a plain attribute
    return value
