"""The legal moments of the yearly cycle (Woningwet art. 42-44), for deadlines on cover sheets."""

import datetime as dt


def default_deadline(kind: str, first_year: int) -> dt.date:
    """When a workbook should come back if the coordinator sets no date.

    The bod for years Y..Y+4 is due on 1 juli of Y-1. The jaarschijf for Y must be agreed before
    the agreements are published on 15 december of Y-1; 1 oktober leaves time to negotiate.
    """
    if kind == "bod":
        return dt.date(first_year - 1, 7, 1)
    return dt.date(first_year - 1, 10, 1)
