"""The calendar of the yearly cycle: the legal moments, the command, and the cover sheets."""

import datetime as dt

import openpyxl
from click.testing import CliRunner

from pa_sheets.cli import cli
from pa_sheets.spec.kalender import default_deadline, legal_deadline, moments


def test_the_moments_of_a_year_in_the_order_they_happen():
    found = [(m.start, m.end, m.basis) for m in moments(2027)]
    pa_sheets_advice = "advies van pa-sheets, geen wettelijke termijn"
    assert found == [
        (dt.date(2027, 1, 1), dt.date(2027, 2, 28), "Handreiking prestatieafspraken, hoofdstuk 6"),
        (dt.date(2027, 3, 1), dt.date(2027, 3, 31), "Handreiking prestatieafspraken, hoofdstuk 6"),
        (dt.date(2027, 4, 1), dt.date(2027, 4, 1), "Woningwet art. 44 lid 2"),
        (
            dt.date(2027, 7, 1),
            dt.date(2027, 7, 1),
            "Woningwet art. 43 lid 1 en art. 44; Btiv art. 39",
        ),
        (dt.date(2027, 9, 1), dt.date(2027, 9, 1), pa_sheets_advice),
        (dt.date(2027, 10, 1), dt.date(2027, 10, 1), pa_sheets_advice),
        (dt.date(2027, 12, 15), dt.date(2027, 12, 15), "Woningwet art. 44a lid 1"),
    ]
    assert [m.start for m in moments(2027)] == sorted(m.start for m in moments(2027))
    assert moments(2028)[0].end == dt.date(2028, 2, 29)  # a leap year
    commands = [m.command.split()[1] for m in moments(2027)]
    # The monitoring round comes before the evaluation, rollover before the jaarschijven are
    # due, and signing ends with publish.
    assert commands == [
        "validate",
        "evaluate",
        "generate",
        "validate",
        "rollover",
        "validate",
        "merge",
    ]
    assert "monitoring-2026/" in moments(2027)[1].command
    assert "publish gezamenlijk-2028.xlsx" in moments(2027)[-1].command
    assert "bod voor 2028-2032" in moments(2027)[3].what
    assert default_deadline("bod", 2028) == moments(2027)[3].start
    assert default_deadline("jaarschijf", 2028) == moments(2027)[5].start


def test_the_command_prints_them_in_dutch():
    result = CliRunner().invoke(cli, ["kalender", "--year", "2027"])
    assert result.exit_code == 0
    assert result.output.startswith("De cyclus van de prestatieafspraken in 2027\n\n")
    assert "\ndonderdag 1 juli 2027\n  Elke corporatie stuurt gemeente en huurdersorganisatie" in (
        result.output
    )
    assert "\nwoensdag 15 december 2027\n" in result.output
    assert (
        "  $ pa-sheets validate terug/ && pa-sheets merge terug/ --out gezamenlijk-2028.xlsx"
        in (result.output)
    )
    wrong = CliRunner().invoke(cli, ["kalender", "--year", "99"])
    assert wrong.exit_code == 2
    assert (
        "Fout: Ongeldige waarde voor '--year': 99 ligt buiten het bereik 2000 tot en met 2100."
        in wrong.output
    )


def test_the_cover_sheet_names_the_legal_deadline(generated):
    for name, expected in (
        ("jaarschijf-2027-voorbeeldstad-linde.xlsx", legal_deadline("jaarschijf", 2027)),
        ("bod-2027-2031-voorbeeldstad-linde.xlsx", legal_deadline("bod", 2027)),
    ):
        cover = openpyxl.load_workbook(generated[name])["Toelichting"]
        rows = {row[0]: row[1] for row in cover.iter_rows(values_only=True) if row[0]}
        assert rows["Wettelijke termijn"] == expected
    assert legal_deadline("bod", 2027) == (
        "Het bod ligt uiterlijk 1 juli 2026 bij gemeente en huurdersorganisatie "
        "(Woningwet art. 44)."
    )
