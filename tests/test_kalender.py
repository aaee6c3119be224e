"""The calendar of the yearly cycle: the legal moments, the command, and the cover sheets."""

import datetime as dt
from pathlib import Path

import openpyxl
from click.testing import CliRunner
from conftest import CREATED, SAMPLE

from pa_sheets.check.validate import validate_file
from pa_sheets.cli import cli
from pa_sheets.spec.kalender import (
    ADVIES,
    GROND_AFSPRAKEN,
    GROND_BOD,
    GROND_GESCHIL,
    GROND_MONITORING,
    GROND_RVC,
    GROND_UITNODIGING,
    GROND_VERSLAG,
    GROND_ZIENSWIJZE,
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
    assert found == [
        (dt.date(2027, 1, 1), dt.date(2027, 1, 31), GROND_MONITORING),
        (dt.date(2027, 2, 15), dt.date(2027, 2, 15), ADVIES),
        (dt.date(2027, 3, 1), dt.date(2027, 3, 31), GROND_MONITORING),
        (dt.date(2027, 4, 1), dt.date(2027, 4, 1), GROND_UITNODIGING),
        (dt.date(2027, 4, 1), dt.date(2027, 6, 30), GROND_VERSLAG),
        (dt.date(2027, 4, 1), dt.date(2027, 6, 30), GROND_ZIENSWIJZE),
        (dt.date(2027, 6, 1), dt.date(2027, 6, 30), GROND_RVC),
        (dt.date(2027, 7, 1), dt.date(2027, 7, 1), GROND_BOD),
        (dt.date(2027, 9, 1), dt.date(2027, 9, 1), ADVIES),
        (dt.date(2027, 10, 1), dt.date(2027, 10, 1), ADVIES),
        (dt.date(2027, 12, 15), dt.date(2027, 12, 15), GROND_AFSPRAKEN),
        (dt.date(2027, 12, 15), dt.date(2027, 12, 15), GROND_GESCHIL),
    ]
    assert [m.start for m in moments(2027)] == sorted(m.start for m in moments(2027))
    commands = [" ".join(m.command.split()[1:3]) for m in moments(2027) if m.command]
    # The monitoring round (made, back, evaluated) comes first, the RvC approves the bod
    # before it goes out, rollover comes before the jaarschijven are due, signing ends with
    # publish.
    assert commands == [
        "generate monitor",
        "validate monitoring-2026-terug/",
        "evaluate monitoring-2026-terug/",
        "generate bod",
        "validate bod/",
        "merge bod/",
        "rollover getekend-2027/",
        "validate terug/",
        "merge getekend-2028/",
    ]
    assert "getekend-2026/ --out monitoring-2026/" in moments(2027)[0].command
    assert "--verzonden monitoring-2026/" in moments(2027)[1].command  # against those sent
    assert "Terug op 15 februari 2027." in moments(2027)[0].what
    assert "volkshuisvestingsverslag over 2026" in moments(2027)[4].what
    assert "publish gezamenlijk-2028.xlsx" in moments(2027)[10].command
    assert "geschil aan de minister" in moments(2027)[-1].what
    assert "bod voor 2028-2032" in moments(2027)[7].what
    assert default_deadline("bod", 2028) == moments(2027)[7].start
    assert default_deadline("jaarschijf", 2028) == moments(2027)[9].start
    assert default_deadline("monitor", 2026) == moments(2027)[1].start


def test_each_citation_is_the_one_the_handreiking_gives():
    """Checked against seeds/002 (Handreiking prestatieafspraken, 2021): the bod on 1 juli is
    art. 43 lid 1, not art. 44 (its lid 2 is the invitation that goes with the bod, not 1
    april, which comes from the 2021 amendment without an article); publication art. 44a lid
    1; the RvC art. 26 lid 1 onder j; verslag art. 36a and Btiv art. 32 lid 1; zienswijze art.
    38; geschil art. 44 lid 3."""
    assert GROND_BOD == "Woningwet art. 43 lid 1"
    assert GROND_AFSPRAKEN == "Woningwet art. 44a lid 1"
    assert "art." not in GROND_UITNODIGING and "2021" in GROND_UITNODIGING
    assert GROND_RVC == "Woningwet art. 26 lid 1 onder j"
    assert GROND_VERSLAG == "Woningwet art. 36a; Btiv art. 32 lid 1"
    assert GROND_ZIENSWIJZE == "Woningwet art. 38"
    assert GROND_GESCHIL == "Woningwet art. 44 lid 3"
    # One place: the calendar and the cover sheet say the same article for the same date.
    for which, article in (("bod", GROND_BOD), ("afspraken", GROND_AFSPRAKEN)):
        on_cover = legal_deadline("bod" if which == "bod" else "jaarschijf", 2028)
        assert on_cover.endswith(f"({article}).")
    package = Path(__file__).resolve().parents[1] / "pa_sheets"
    for path in (*package.glob("spec/*.py"), *package.glob("check/*.py"), package / "cli.py"):
        if path.name == "kalender.py":
            continue
        text = path.read_text(encoding="utf-8")
        for article in ("art. 43 lid 1", "art. 44a", "art. 44 lid", "art. 36a", "art. 38"):
            assert article not in text, (path, article)


def test_the_command_prints_them_in_dutch():
    result = CliRunner().invoke(cli, ["kalender", "--year", "2027"])
    assert result.exit_code == 0
    assert result.output.startswith("De cyclus van de prestatieafspraken in 2027\n\n")
    assert "\ndonderdag 1 juli 2027\n  Elke corporatie stuurt gemeente en huurdersorganisatie" in (
        result.output
    )
    assert "\nwoensdag 15 december 2027\n" in result.output
    assert "\n1 juni 2027 t/m 30 juni 2027\n  De raad van commissarissen" in result.output
    assert "  Grond: Woningwet art. 44 lid 3\n" in result.output  # the geschil, last
    assert "  $ pa-sheets generate monitor getekend-2026/ --out monitoring-2026/\n" in result.output
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
        workbook = openpyxl.load_workbook(generated[name], read_only=True)  # values only
        cover = workbook["Toelichting"]
        rows = {row[0]: row[1] for row in cover.iter_rows(values_only=True) if row[0]}
        workbook.close()
        assert rows["Wettelijke termijn"] == expected
    assert legal_deadline("bod", 2027) == (
        "Het bod ligt uiterlijk 1 juli 2026 bij gemeente en huurdersorganisatie "
        "(Woningwet art. 43 lid 1)."
    )


AGREED = Termijnen(bod=(6, 15), afspraken=(12, 1))


def test_agreed_deadlines_move_the_calendar_and_the_cover_sheet_text():
    law = [(m.start, m.basis) for m in moments(2027)]
    agreed = [(m.start, m.basis) for m in moments(2027, AGREED)]
    assert (dt.date(2027, 7, 1), GROND_BOD) in law
    assert dt.date(2027, 7, 1) not in [start for start, _ in agreed]
    assert (dt.date(2027, 6, 15), "afgesproken termijn; Woningwet art. 43 lid 1 noemt 1 juli") in (
        agreed
    )
    assert (
        dt.date(2027, 12, 1),
        "afgesproken termijn; Woningwet art. 44a lid 1 noemt 15 december",
    ) in agreed
    # The RvC approves the bod in the month before the agreed date.
    assert (dt.date(2027, 5, 16), GROND_RVC) in agreed
    assert agreed == sorted(agreed, key=lambda pair: pair[0])
    assert default_deadline("bod", 2028, AGREED) == dt.date(2027, 6, 15)
    # The jaarschijf comes back on 1 oktober, or earlier when the afspraken are due before it.
    assert default_deadline("jaarschijf", 2028, AGREED) == dt.date(2027, 10, 1)
    early = Termijnen(afspraken=(9, 15))
    assert default_deadline("jaarschijf", 2028, early) == dt.date(2027, 9, 15)
    assert legal_deadline("jaarschijf", 2027, AGREED) == (
        "De afspraken voor 2027 worden uiterlijk 1 december 2026 ondertekend en gepubliceerd "
        "(afgesproken termijn; Woningwet art. 44a lid 1 noemt 15 december)."
    )
    assert legal_deadline("jaarschijf", 2027) == (
        "De afspraken voor 2027 worden uiterlijk 15 december 2026 ondertekend en gepubliceerd "
        "(Woningwet art. 44a lid 1)."
    )


def test_the_gemeente_sets_the_day_the_monitor_is_back():
    """An agreed termijn for the monitoring round moves it in the calendar, is named on the
    cover of a monitor workbook, and goes into _meta like the law's termijnen."""
    early = Termijnen(monitor=(2, 1))
    back = [m for m in moments(2027, early) if m.command.startswith("pa-sheets validate monitor")]
    assert [(m.start, m.basis) for m in back] == [
        (dt.date(2027, 2, 1), "afgesproken termijn; pa-sheets adviseert 15 februari")
    ]
    assert "Terug op 1 februari 2027." in moments(2027, early)[0].what
    assert default_deadline("monitor", 2026, early) == dt.date(2027, 2, 1)
    assert legal_deadline("monitor", 2026) == (
        "De realisatie van de afspraken van 2026 is uiterlijk 15 februari 2027 terug bij de "
        "gemeente (advies van pa-sheets, geen wettelijke termijn). Peildatum tussen "
        "31 december 2026 en 30 juni 2027."
    )
    assert early.facts() == {"termijn_monitor": "1 februari"}
    assert Termijnen.from_facts(early.facts()) == early


def test_the_config_agrees_a_monitor_date(tmp_path, spec):
    from pa_sheets.spec.config import load_config

    path = tmp_path / "monitor.yaml"
    text = SAMPLE.read_text(encoding="utf-8")
    path.write_text(
        text.replace("periode:\n", "termijnen:\n  monitor: 1 maart\n\nperiode:\n", 1),
        encoding="utf-8",
    )
    config = load_config(path, spec)
    assert config.termijnen == Termijnen(monitor=(3, 1))
    result = CliRunner().invoke(cli, ["kalender", "--year", "2027", "--config", str(path)])
    assert result.exit_code == 0, result.output
    assert "\nmaandag 1 maart 2027\n  De ingevulde monitorwerkboeken 2026 terug" in result.output


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
    cover = openpyxl.load_workbook(made, read_only=True)["Toelichting"]  # one sheet
    rows = {row[0]: row[1] for row in cover.iter_rows(values_only=True) if row[0]}
    assert rows["Wettelijke termijn"] == legal_deadline("jaarschijf", 2027, AGREED)
    report = validate_file(_sign(made, tmp_path / "afgesproken.xlsx", day), spec)
    late = [f for f in report.findings if f.code == "O005"]
    assert [f.cell for f in late] == ["E7", "E8", "E9", "E10"]  # every party signed late
    late = late[0]
    assert late.message == (
        "De datum 05-12-2026 ligt na 1 december: de corporatie publiceert de afspraken "
        "uiterlijk 1 december (afgesproken termijn; Woningwet art. 44a lid 1 noemt 15 december). "
        "Te laat getekend kan nog gepubliceerd worden; klopt de datum?"
    )
