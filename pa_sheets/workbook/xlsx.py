"""xlsxwriter's Workbook, with two costs that it pays per formula and per part paid less.

Before it writes a formula (a cell's, a data validation's or a conditional format's), xlsxwriter
runs it through some 400 regular-expression substitutions that add the `_xlfn.` prefix to newer
Excel functions (`Worksheet._prepare_formula`). That is about a third of the CPU time of writing
a jaarschijf, whose few dozen distinct validation formulas (`"groen"`, `='_lijsten'!$F$2:$F$5`)
stand on every thema tab. The result depends only on the formula text, the flag and the
workbook's `use_future_functions`, so it is kept per (formula, flag, option) and reused: the
XML written is the same, byte for byte.

Imported by `writer.text_safe_workbook` only when a workbook is made, as xlsxwriter itself is.
"""

from __future__ import annotations

import xlsxwriter
from xlsxwriter.worksheet import Worksheet

# The prepared formulas kept at most; past it the store starts again (the overview's per-row
# formulas are each written once and would only fill it).
KEPT = 4096
_PREPARED: dict[tuple[str, bool, bool], str] = {}
# A workbook of at most this many cells is zipped from memory (xlsxwriter's `in_memory`): by
# default each of its 30-odd parts goes to a temporary file first and is read back from it, a
# quarter of the CPU time of writing a jaarschijf. The XML in the zip is the same; only the
# parts' stamps in the zip's directory differ (1 January 1980 instead of 31 January). A bigger
# workbook (an overview of hundreds of workbooks) keeps the temporary files: its XML held in
# memory beside its cells would raise the peak, and there the files cost next to nothing.
IN_MEMORY_CELLS = 250_000


class QuickWorksheet(Worksheet):
    """An xlsxwriter Worksheet that prepares each distinct formula once (see the module)."""

    def _prepare_formula(self, formula: str, expand_future_functions: bool = False) -> str:
        key = (formula, expand_future_functions, bool(self.use_future_functions))
        prepared = _PREPARED.get(key)
        if prepared is None:
            if len(_PREPARED) >= KEPT:
                _PREPARED.clear()
            prepared = super()._prepare_formula(formula, expand_future_functions)
            _PREPARED[key] = prepared
        return prepared


class QuickWorkbook(xlsxwriter.Workbook):
    """An xlsxwriter Workbook whose `add_worksheet` makes a QuickWorksheet, and that zips a
    small workbook from memory (see IN_MEMORY_CELLS)."""

    worksheet_class = QuickWorksheet

    def close(self) -> None:
        cells = sum(len(row) for sheet in self.worksheets() for row in sheet.table.values())
        self.in_memory = cells <= IN_MEMORY_CELLS
        super().close()
