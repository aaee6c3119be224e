"""The demo is the README's main command: it must run the whole cycle from nothing."""

import dataclasses

import openpyxl
import pytest
from click.testing import CliRunner

from pa_sheets.cli import cli
from pa_sheets.demo.run import sample_config
from pa_sheets.merge.combine import merge_paths
from pa_sheets.spec.config import load_config
from pa_sheets.spec.model import load_spec


@pytest.mark.slow
def test_demo_generates_fills_validates_annotates_and_merges(tmp_path):
    result = CliRunner().invoke(cli, ["demo", "--out", str(tmp_path)], prog_name="pa-sheets")
    assert result.exit_code == 0, result.output
    # The coordinator's set-up workbook is the config of everything after it.
    setup = tmp_path / "0-opzet" / "opzet-2027-voorbeeldstad.xlsx"
    assert (
        f"0. De afspraken van de gemeente opgezet in een werkboek (pa-sheets opzet): {setup}"
        in (result.output)
    )
    spec = load_spec()
    sample = load_config(sample_config(), spec)
    assert load_config(setup, spec) == dataclasses.replace(sample, path=setup)
    assert sorted(p.name for p in (tmp_path / "1-leeg").iterdir()) == [
        "bod-2027-2031-voorbeeldstad-linde.xlsx",
        "jaarschijf-2027-voorbeeldstad-baken.xlsx",
        "jaarschijf-2027-voorbeeldstad-linde.xlsx",
        "jaarschijf-2027-voorbeeldstad-stadswonen.xlsx",
    ]
    assert len(list((tmp_path / "2-ingevuld").iterdir())) == 4
    annotated = tmp_path / "4-controle" / "jaarschijf-2027-voorbeeldstad-linde-controle.xlsx"
    assert annotated.exists()
    assert "4 van 5 werkboek(en) in orde." in result.output
    assert "niet in orde: 5 fout(en), 4 waarschuwing(en)" in result.output
    assert f"Open {annotated}" in result.output
    overview = tmp_path / "5-gezamenlijk" / "gezamenlijk-jaarschijf-2027.xlsx"
    assert f"3 jaarschijven samengevoegd (103 rijen): {overview}" in result.output
    assert "Samenvatting" in openpyxl.load_workbook(overview, read_only=True).sheetnames
    assert sorted(p.name for p in (tmp_path / "6-basisbod" / "boden").iterdir()) == [
        "bod-2027-2031-anderdorp-linde.xlsx",
        "bod-2027-2031-voorbeeldstad-linde.xlsx",
    ]
    assert "gesplitst in 2 boden" in result.output
    page = tmp_path / "7-publicatie" / "prestatieafspraken-2027-voorbeeldstad.html"
    assert f"7. 3 jaarschijven getekend door alle partijen en gepubliceerd: {page}" in (
        result.output
    )
    assert f"Open {page} in een browser" in result.output
    assert sorted(p.name for p in page.parent.iterdir()) == [
        "datapackage.json",
        "prestatieafspraken-2027-voorbeeldstad-afspraken.csv",
        "prestatieafspraken-2027-voorbeeldstad-indicatoren.csv",
        "prestatieafspraken-2027-voorbeeldstad-ondertekening.csv",
        "prestatieafspraken-2027-voorbeeldstad-partijen.csv",
        "prestatieafspraken-2027-voorbeeldstad.html",
        "prestatieafspraken-2027-voorbeeldstad.json",
    ]
    # The monitoring round, a step of its own: monitors from the signed jaarschijven (which
    # stay as they are), filled, validated and evaluated.
    monitoring = tmp_path / "8-monitoring"
    names = [
        "monitor-2027-voorbeeldstad-baken.xlsx",
        "monitor-2027-voorbeeldstad-linde.xlsx",
        "monitor-2027-voorbeeldstad-stadswonen.xlsx",
    ]
    assert sorted(p.name for p in (monitoring / "leeg").iterdir()) == names
    assert sorted(p.name for p in (monitoring / "ingevuld").iterdir()) == names
    evaluation = monitoring / "evaluatie-2027.xlsx"
    assert "8. Monitoringronde 2027: 3 monitors uit de getekende jaarschijven" in result.output
    assert "ingevuld en gecontroleerd (3 van 3 in orde)" in result.output
    assert "1 keer status en cijfers in tegenspraak" in result.output  # De Linde: groen, behind
    assert f"Evaluatie: {evaluation}" in result.output
    # Beside it, per corporatie its section for the volkshuisvestingsverslag (issue 27).
    assert "volkshuisvestingsverslag (evaluatie-2027-verslag-*.xlsx)" in result.output
    assert sorted(p.name for p in monitoring.glob("evaluatie-2027-verslag-*.xlsx")) == [
        "evaluatie-2027-verslag-stadswonen-voorbeeldstad.xlsx",
        "evaluatie-2027-verslag-wooncorporatie-het-baken.xlsx",
        "evaluatie-2027-verslag-woonstichting-de-linde.xlsx",
    ]
    workbook = openpyxl.load_workbook(evaluation, read_only=True)
    assert {"Evaluatie", "Aandacht", "Status en cijfers", "Verslag"} <= set(workbook.sheetnames)
    contradictions = list(workbook["Status en cijfers"].iter_rows(min_row=5, values_only=True))
    assert [(row[0], row[4]) for row in contradictions if row[0]] == [
        ("Woonstichting De Linde", "groen")
    ]
    # And the cycle starts again: next year's jaarschijven from the signed ones, with last
    # year's status as the monitors reported it (not as it was at signing).
    rolled = tmp_path / "9-rollover"
    assert sorted(p.name for p in rolled.iterdir()) == [
        "jaarschijf-2028-voorbeeldstad-baken.xlsx",
        "jaarschijf-2028-voorbeeldstad-linde.xlsx",
        "jaarschijf-2028-voorbeeldstad-stadswonen.xlsx",
        "rollover-2028.txt",
    ]
    assert (
        f"9. Rollover naar 2028: 3 jaarschijven uit de getekende, met status en realisatie 2027 "
        f"uit de monitors, in {rolled}; wat doorloopt, open blijft of stopt, en waarom: "
        f"{rolled / 'rollover-2028.txt'}"
    ) in result.output

    def rows(path):
        (source,) = merge_paths([path], spec=spec, workers=1, allow_invalid=True).sources
        return {r.values.get("nummer"): r.values for r in source.records}

    reported = rows(monitoring / "ingevuld" / "monitor-2027-voorbeeldstad-linde.xlsx")
    signed = rows(tmp_path / "2-ingevuld" / "jaarschijf-2027-voorbeeldstad-linde.xlsx")
    shown = rows(rolled / "jaarschijf-2028-voorbeeldstad-linde.xlsx")
    vorig = {nummer: values["status_vorig"] for nummer, values in shown.items() if nummer}
    assert len(vorig) > 20
    assert vorig == {nummer: reported[nummer]["status"] for nummer in vorig}
    assert any(status != signed[nummer]["status"] for nummer, status in vorig.items())
