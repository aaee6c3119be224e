"""rollover: next year's jaarschijven from this year's returned ones; the whole yearly cycle."""

from collections import Counter

import openpyxl
import pytest
from click.testing import CliRunner
from conftest import CREATED, ROOT, SAMPLE

from pa_sheets.check.read import read_workbook
from pa_sheets.check.validate import validate_paths
from pa_sheets.cli import cli
from pa_sheets.cycle.evaluate import evaluate_paths
from pa_sheets.cycle.rollover import _recurs, rollover
from pa_sheets.demo.fill import fill_workbook
from pa_sheets.errors import InvalidInputs, MergeError, UsageError
from pa_sheets.merge.combine import merge_paths
from pa_sheets.merge.overview import write_overview
from pa_sheets.workbook.generate import generate

# What the spec (statussen: afgerond) says closes an afspraak: it is not carried over.
CLOSED_STATUSES = ("gerealiseerd", "vervallen")

FILLED = ROOT / "samples" / "ingevuld"
JAARSCHIJVEN = sorted(FILLED.glob("jaarschijf-*.xlsx"))


def afspraken(path, spec) -> dict[str, dict[str, object]]:
    """nummer -> the values of every afspraak row of a workbook, as validation reads them."""
    merged = merge_paths([path], spec=spec, workers=1, allow_invalid=True)
    return {
        str(r.values["nummer"]): {**r.values, "blok": r.block, "blad": r.sheet}
        for r in merged.sources[0].records
        if r.block in ("going_concern", "nieuw")
    }


def cover_closed(path) -> list[tuple]:
    """The rows under 'Afgerond of vervallen in ...' on the cover sheet."""
    rows = list(openpyxl.load_workbook(path)["Toelichting"].iter_rows(values_only=True))
    start = next((i for i, row in enumerate(rows) if str(row[0]).startswith("Afgerond")), None)
    if start is None:
        return []
    found = []
    for row in rows[start + 3 :]:
        if row[0] is None:
            break
        found.append(row[:5])
    return found


def test_every_afspraak_is_carried_or_listed_with_its_nummer(rolled_over, spec):
    written, _ = rolled_over
    assert [p.name for p in written] == [
        "jaarschijf-2028-voorbeeldstad-linde.xlsx",
        "jaarschijf-2028-voorbeeldstad-stadswonen.xlsx",
        "jaarschijf-2028-voorbeeldstad-baken.xlsx",
    ]
    for before_path in JAARSCHIJVEN:
        after_path = written[0].parent / before_path.name.replace("2027", "2028")
        before, after = afspraken(before_path, spec), afspraken(after_path, spec)
        # BS-02 is gerealiseerd but recurs ('jaarlijks'): it goes on (test_rollover_fates).
        closed = {
            n
            for n, v in before.items()
            if v.get("status") in CLOSED_STATUSES and "jaarlijks" not in v["afspraak"]
        }
        reopened = {n for n, v in before.items() if v.get("status") == "agree to disagree"}
        assert set(after) == set(before) - closed  # nummers unchanged
        for nummer, row in after.items():
            old = before[nummer]
            if nummer in reopened:  # open again among the nieuwe afspraken
                assert row["blok"] == "nieuw" and row["afspraak"] == old["afspraak"]
                continue
            assert row["blok"] == "going_concern" and row["soort"] == "going concern"
            for key in ("afspraak", "type", "trekker", "indicator", "streefwaarde", "planning"):
                assert row.get(key) == old.get(key), (nummer, key)
            assert row.get("status") is None and row.get("realisatie") is None
            assert row.get("status_vorig") == old.get("status")
            assert row.get("realisatie_vorig") == old.get("realisatie")
            assert row["blad"] == old["blad"]
        listed = cover_closed(after_path)
        assert sorted(r[0] for r in listed) == sorted(closed)
        for nummer, afspraak, status, _toelichting, sheet in listed:
            assert (afspraak, status, sheet) == (
                before[nummer]["afspraak"],
                before[nummer]["status"],
                before[nummer]["blad"],
            )
    assert validate_paths(written, spec=spec).exit_code == 0  # clean as a blank workbook


def test_refuses_a_year_not_after_and_a_bod_and_another_gemeente(tmp_path, spec):
    with pytest.raises(UsageError, match="jaar 2027 ligt niet na 2027"):
        rollover(JAARSCHIJVEN, 2027, tmp_path, spec=spec)
    with pytest.raises(UsageError, match="ligt na de periode 2026-2030"):
        rollover(JAARSCHIJVEN, 2031, tmp_path, spec=spec)
    with pytest.raises(UsageError, match="is een bod"):
        rollover([FILLED / "bod-2027-2031-voorbeeldstad-linde.xlsx"], 2028, tmp_path, spec=spec)
    other = tmp_path / "anderstad.yaml"
    other.write_text(SAMPLE.read_text(encoding="utf-8").replace("GM9001", "GM9002"), "utf-8")
    blank = generate("jaarschijf", other, (2027,), tmp_path / "a", ["Baken"], created=CREATED)
    with pytest.raises(MergeError, match="GM9002"):
        rollover([*JAARSCHIJVEN[1:], blank[0]], 2028, tmp_path / "uit", spec=spec)
    with pytest.raises(InvalidInputs):
        rollover([ROOT / "samples" / "fouten" / "ongeldig-type.xlsx"], 2028, tmp_path, spec=spec)
    assert not (tmp_path / "jaarschijf-2028-voorbeeldstad-linde.xlsx").exists()


def test_the_command(tmp_path):
    result = CliRunner().invoke(
        cli, ["rollover", *map(str, JAARSCHIJVEN), "--year", "2028", "--out", str(tmp_path)]
    )
    assert result.exit_code == 0, result.output
    assert result.output.endswith(f"3 jaarschijf-werkboek(en) voor 2028 in {tmp_path}\n")
    # The report, as in the file beside the workbooks.
    report = (tmp_path / "rollover-2028.txt").read_text(encoding="utf-8")
    assert report in result.output
    assert "Stadswonen Voorbeeldstad (L2345) -> jaarschijf-2028-voorbeeldstad-stadswonen.xlsx" in (
        report
    )
    again = CliRunner().invoke(
        cli, ["rollover", *map(str, JAARSCHIJVEN), "--year", "2028", "--out", str(tmp_path)]
    )
    assert again.exit_code == 2 and "--force" in again.output
    faulty = str(ROOT / "samples" / "fouten" / "ongeldig-type.xlsx")
    refused = CliRunner().invoke(
        cli, ["rollover", faulty, "--year", "2028", "--out", str(tmp_path)]
    )
    assert refused.exit_code == 1
    assert "V004" in refused.output and "Niets geschreven." in refused.output


@pytest.mark.slow
def test_the_yearly_cycle(tmp_path, spec):
    """Generate 2027, fill, validate, merge, evaluate, roll over to 2028 from the overview, fill
    the lopende afspraken, validate again: every afspraak of 2027 is carried, finished or
    dropped, nummer unchanged."""
    blank = generate("jaarschijf", SAMPLE, (2027,), tmp_path / "leeg", spec=spec, created=CREATED)
    filled = [
        fill_workbook(p, tmp_path / "2027" / p.name, seed=i + 11, spec=spec)
        for i, p in enumerate(blank)
    ]
    assert validate_paths(filled, spec=spec).exit_code == 0
    merged = merge_paths(filled, spec=spec)
    overview = write_overview(merged, tmp_path / "gezamenlijk-2027.xlsx", created=CREATED)
    evaluation = evaluate_paths([overview], spec=spec)
    statuses = Counter(
        r.values.get("status") or "geen status"
        for s in merged.sources
        for r in s.records
        if r.block in ("going_concern", "nieuw")
    )
    assert Counter(a.status for a in evaluation.afspraken) == statuses
    next_year = rollover([overview], 2028, tmp_path / "2028-leeg", spec=spec, created=CREATED)
    refilled = [
        fill_workbook(p, tmp_path / "2028" / p.name, seed=i + 21, spec=spec)
        for i, p in enumerate(next_year)
    ]
    assert validate_paths(refilled, spec=spec).exit_code == 0
    outcomes = {"carried": 0, "closed": 0, "open": 0}
    for source in merged.sources:
        corporatie = source.template.l_nummer
        after_path = next(
            p for p in next_year if read_workbook(p, spec).template.l_nummer == corporatie
        )
        after = afspraken(after_path, spec)
        listed = {row[0] for row in cover_closed(after_path)}
        for record in source.records:
            if record.block not in ("going_concern", "nieuw"):
                continue
            nummer, values = str(record.values["nummer"]), record.values
            recurs = _recurs(values.get("planning"), values.get("afspraak"), 2028)
            if values.get("status") in CLOSED_STATUSES and not recurs:
                # Listed, not carried.
                assert nummer in listed
                assert after.get(nummer, {}).get("blok") != "going_concern"
                outcomes["closed"] += 1
            elif values.get("status") == "agree to disagree":
                assert after[nummer]["blok"] == "nieuw"  # open again, not agreed text
                assert after[nummer]["afspraak"] == values["afspraak"]
                outcomes["open"] += 1
            else:
                assert after[nummer]["blok"] == "going_concern"
                assert after[nummer]["afspraak"] == values["afspraak"]
                outcomes["carried"] += 1
    assert outcomes["carried"] > 20 and outcomes["closed"] > 0, outcomes
    assert outcomes["open"] > 0, outcomes


@pytest.mark.slow
def test_rollover_from_the_overview_makes_the_same_workbooks(tmp_path, spec):
    """The gezamenlijk overzicht keeps what rollover needs: the same cells and _meta (but for
    the moment of making) as a rollover of the returned jaarschijven themselves."""
    overview = write_overview(merge_paths(JAARSCHIJVEN, spec=spec), tmp_path / "g.xlsx")
    direct = rollover(JAARSCHIJVEN, 2028, tmp_path / "a", spec=spec, created=CREATED)
    via = rollover([overview], 2028, tmp_path / "b", spec=spec, created=CREATED)
    assert [p.name for p in via] == [p.name for p in direct]
    for one, other in zip(direct, via, strict=True):
        before, after = openpyxl.load_workbook(one), openpyxl.load_workbook(other)
        assert after.sheetnames == before.sheetnames
        for name in before.sheetnames:
            cells = [[c.value for c in row] for row in before[name].iter_rows()]
            assert [[c.value for c in row] for row in after[name].iter_rows()] == cells, name


def test_rollover_refuses_an_overview_of_workbooks_with_errors(tmp_path, spec):
    faulty = ROOT / "samples" / "fouten" / "ongeldig-type.xlsx"
    others = [p for p in JAARSCHIJVEN if "linde" not in p.name]
    merged = merge_paths([faulty, *others], spec=spec, allow_invalid=True)
    overview = write_overview(merged, tmp_path / "g.xlsx")
    with pytest.raises(UsageError, match=r"ongeldig-type\.xlsx waren niet in orde"):
        rollover([overview], 2028, tmp_path / "uit", spec=spec)


def test_a_new_afspraak_under_a_closed_nummer_is_a_warning(rolled_over, tmp_path, spec):
    """A nummer stands for one afspraak in every year: reusing last year's finished one would
    mix the two in any comparison across years."""
    from pa_sheets.check.validate import validate_file

    written, _ = rolled_over
    path = next(p for p in written if p.stem.endswith("-linde"))
    workbook = openpyxl.load_workbook(path)
    closed = cover_closed(path)[0]
    nummer, sheet = closed[0], closed[4]
    rows = [r for r in workbook["_meta"].iter_rows(values_only=True) if r[0] == "afgerond"]
    assert (nummer, closed[2]) in [r[1:3] for r in rows[1:]]
    block = next(
        r
        for r in workbook["_meta"].iter_rows(values_only=True)
        if r[:2] == ("blok", sheet) and r[5] == "nieuw"
    )
    row = block[7]  # eerste_rij
    workbook[sheet].cell(row, 1, nummer)
    workbook[sheet].cell(row, 2, "Een nieuwe afspraak onder een oud nummer.")
    workbook.save(tmp_path / "hergebruikt.xlsx")
    found = [
        (f.code, f.sheet, f.cell, f.message)
        for f in validate_file(tmp_path / "hergebruikt.xlsx", spec).findings
        if f.code == "X010"
    ]
    assert found == [
        (
            "X010",
            sheet,
            f"A{row}",
            f"Nummer {nummer} hoorde vorig jaar bij een afspraak die {closed[2]} is (zie het "
            "voorblad). Geef een nieuwe afspraak een eigen nummer.",
        )
    ]


def test_an_overview_changed_by_hand_is_refused_by_sheet_and_row(tmp_path, spec):
    overview = write_overview(merge_paths(JAARSCHIJVEN, spec=spec), tmp_path / "g.xlsx")
    workbook = openpyxl.load_workbook(overview)
    sheet = workbook["BS Beschikbaarheid"]
    header = [c.value for c in sheet[1]]
    sheet.cell(2, header.index("Partij") + 1, "Iemand anders")
    line = sheet.cell(2, header.index("Bronregel") + 1).value
    workbook.save(tmp_path / "gewijzigd.xlsx")
    result = CliRunner().invoke(
        cli,
        ["rollover", str(tmp_path / "gewijzigd.xlsx"), "--year", "2028", "--out", str(tmp_path)],
    )
    assert result.exit_code == 2
    assert f"blad 'BS Beschikbaarheid', bronregel {line}: corporatie" in result.output
    assert "partij 'Iemand anders' staat niet bij de bronnen" in result.output
