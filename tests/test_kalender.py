"""The calendar of the yearly cycle: the legal moments, the command, and the cover sheets."""

import datetime as dt
from pathlib import Path

import openpyxl
from click.testing import CliRunner
from conftest import CREATED, SAMPLE

from pa_sheets.check.validate import validate_file
from pa_sheets.cli import cli
from pa_sheets.spec.kalender import (
    WETTELIJK,
    Termijnen,
    default_deadline,
    legal_deadline,
    moments,
    parse_day_month,
)
from pa_sheets.workbook.generate import generate


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


AGREED = Termijnen(bod=(6, 15), afspraken=(12, 1))


def test_agreed_deadlines_move_the_calendar_and_the_cover_sheet_text():
    law = {m.start: m.basis for m in moments(2027)}
    agreed = {m.start: m.basis for m in moments(2027, AGREED)}
    assert dt.date(2027, 7, 1) in law and dt.date(2027, 7, 1) not in agreed
    assert agreed[dt.date(2027, 6, 15)] == (
        "afgesproken termijn; Woningwet art. 43 lid 1 en art. 44; Btiv art. 39 noemt 1 juli"
    )
    assert agreed[dt.date(2027, 12, 1)] == (
        "afgesproken termijn; Woningwet art. 44a lid 1 noemt 15 december"
    )
    assert list(agreed) == sorted(agreed)
    assert default_deadline("bod", 2028, AGREED) == dt.date(2027, 6, 15)
    # The jaarschijf comes back on 1 oktober, or earlier when the afspraken are due before it.
    assert default_deadline("jaarschijf", 2028, AGREED) == dt.date(2027, 10, 1)
    early = Termijnen(afspraken=(9, 15))
    assert default_deadline("jaarschijf", 2028, early) == dt.date(2027, 9, 15)
    assert legal_deadline("jaarschijf", 2027, AGREED) == (
        "De afspraken voor 2027 worden uiterlijk 1 december 2026 ondertekend en gepubliceerd "
        "(afgesproken termijn; Woningwet art. 44a noemt 15 december)."
    )
    assert legal_deadline("jaarschijf", 2027) == (
        "De afspraken voor 2027 worden uiterlijk 15 december 2026 ondertekend en gepubliceerd "
        "(Woningwet art. 44a)."
    )


def test_dutch_day_and_month():
    assert parse_day_month("15 december") == (12, 15)
    assert parse_day_month("1 Juli") == (7, 1)
    assert parse_day_month("29 februari") == (2, 29)
    for wrong in ("31 februari", "december 15", "15-12", "", "0 mei"):
        assert parse_day_month(wrong) is None, wrong
    assert WETTELIJK.afspraken_text == "15 december" and WETTELIJK.bod_text == "1 juli"
    assert WETTELIJK.facts() == {}  # the law's dates: _meta as before
    assert Termijnen.from_facts(AGREED.facts()) == AGREED


def _with_termijnen(tmp_path, afspraken: str) -> Path:
    path = tmp_path / "afgesproken.yaml"
    text = SAMPLE.read_text(encoding="utf-8")
    path.write_text(
        text.replace("periode:\n", f"termijnen:\n  afspraken: {afspraken}\n\nperiode:\n", 1),
        encoding="utf-8",
    )
    return path


def test_the_kalender_command_takes_the_agreed_dates_from_the_config(tmp_path):
    config = _with_termijnen(tmp_path, "1 december")
    result = CliRunner().invoke(cli, ["kalender", "--year", "2027", "--config", str(config)])
    assert result.exit_code == 0, result.output
    assert "\nwoensdag 1 december 2027\n" in result.output
    assert "15 december 2027" not in result.output
    assert "Grond: afgesproken termijn; Woningwet art. 44a lid 1 noemt 15 december" in (
        result.output
    )
    broken = tmp_path / "kapot.yaml"
    broken.write_text("gemeente: {naam: X, code: GM0001, kleur: rood}\n", encoding="utf-8")
    refused = CliRunner().invoke(cli, ["kalender", "--config", str(broken)])
    assert refused.exit_code == 2
    assert f"Fout: {broken}: 3 fouten:\n" in refused.output
    assert "  regel 1: gemeente.kleur: onbekende sleutel" in refused.output
    assert "Traceback" not in refused.output


def _sign(path: Path, out: Path, day: dt.datetime) -> Path:
    """Every party of the Ondertekening agrees, on `day`."""
    workbook = openpyxl.load_workbook(path)
    sheet = workbook["Ondertekening"]
    for row in (7, 8, 9, 10):
        sheet[f"D{row}"] = "akkoord"
        sheet[f"E{row}"] = day
        sheet[f"F{row}"] = "J. de Vries"
    workbook.save(out)
    return out


def test_an_agreed_date_for_the_afspraken_is_the_one_validate_names(tmp_path, spec, generated):
    """Signed on 5 december: in time by the law, late by an agreed 1 december; the warning
    that said 15 december names the agreed date."""
    day = dt.datetime(2026, 12, 5)
    name = "jaarschijf-2027-voorbeeldstad-linde.xlsx"
    by_law = validate_file(_sign(generated[name], tmp_path / "wet.xlsx", day), spec)
    assert "O005" not in {f.code for f in by_law.findings}

    (made,) = generate(
        "jaarschijf",
        _with_termijnen(tmp_path, "1 december"),
        (2027,),
        tmp_path / "uit",
        ["Linde"],
        spec=spec,
        created=CREATED,
    )
    cover = openpyxl.load_workbook(made)["Toelichting"]
    rows = {row[0]: row[1] for row in cover.iter_rows(values_only=True) if row[0]}
    assert rows["Wettelijke termijn"] == legal_deadline("jaarschijf", 2027, AGREED)
    report = validate_file(_sign(made, tmp_path / "afgesproken.xlsx", day), spec)
    late = [f for f in report.findings if f.code == "O005"]
    assert [f.cell for f in late] == ["E7", "E8", "E9", "E10"]  # every party signed late
    late = late[0]
    assert late.message == (
        "De datum 05-12-2026 ligt na 1 december: de corporatie publiceert de afspraken "
        "uiterlijk 1 december (afgesproken termijn; Woningwet art. 44a noemt 15 december). "
        "Te laat getekend kan nog gepubliceerd worden; klopt de datum?"
    )
