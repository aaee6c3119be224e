"""The exceptions of pa-sheets: a small tree, each message in Dutch and ready for the user.

Findings in a returned workbook are results, not exceptions; these are for input that cannot be
used at all. The CLI turns every one of them into its message and exit code 2.
"""

from typing import TYPE_CHECKING

if TYPE_CHECKING:  # the type only: at run time errors.py imports nothing of pa_sheets
    from pa_sheets.check.findings import Report


class PaSheetsError(Exception):
    """Input or output that pa-sheets cannot work with; the message says what and where."""


class SpecError(PaSheetsError):
    """The template spec in templates/ is inconsistent."""


class ConfigError(PaSheetsError):
    """The gemeente config is missing, unreadable or has a wrong key or value."""


class OutputError(PaSheetsError):
    """An output file cannot be written, or exists and may not be overwritten."""


class UsageError(PaSheetsError):
    """A command-line value that does not make sense (a year range, a date)."""


class UnusableWorkbook(PaSheetsError):
    """A returned file that cannot be read as a pa-sheets workbook at all."""


class MergeError(PaSheetsError):
    """Workbooks that cannot be merged together (another gemeente, year or kind, or two for
    one corporatie)."""


class InvalidInputs(PaSheetsError):
    """Inputs with errors, which merge refuses without --allow-invalid; `report` says why."""

    def __init__(self, message: str, report: "Report"):
        super().__init__(message)
        self.report = report
