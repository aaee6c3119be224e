"""The monitoring round end to end (issue 24, parts 4 and 5): signed jaarschijven -> generate
monitor -> fill -> validate -> evaluate -> rollover, with next year's Status and Realisatie
vorig jaar from the monitor; the signed workbooks and the monitors are only read."""

import hashlib
import shutil
from pathlib import Path

import openpyxl
import pytest
from click.testing import CliRunner
from conftest import CREATED

from pa_sheets.check.validate import validate_paths
from pa_sheets.cli import cli
from pa_sheets.cycle.evaluate import evaluate_paths
from pa_sheets.cycle.history import read_history, round_rows, trend_of
from pa_sheets.cycle.monitor import generate_monitor
from pa_sheets.cycle.rollover import _recurs, rollover
from pa_sheets.demo.fill import fill_workbook
from pa_sheets.demo.monitor import fill_monitor
from pa_sheets.errors import UsageError
from pa_sheets.merge.combine import merge_paths
from pa_sheets.merge.long import merge_long
from pa_sheets.numbers import dutch_number

LINDE = "L1234"


def _hashes(folder: Path) -> dict[str, str]:
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(folder.iterdir())}


def _rows(path: Path, spec) -> dict[str, dict[str, object]]:
    """nummer -> the values of every afspraak row of one workbook, with its block."""
    merged = merge_paths([path], spec=spec, workers=1, allow_invalid=True)
    blocks = {block.key for block in merged.afspraak_blocks()}
    return {
        str(r.values["nummer"]): {**r.values, "blok": r.block}
        for r in merged.sources[0].records
        if r.block in blocks and r.values.get("nummer")
    }


@pytest.fixture(scope="module")
def round_2027(monitor_round) -> dict[str, Path]:
    """The signed jaarschijven 2027 and their monitors, filled in (Baken's stoplicht, seed 1,
    disagrees with its numbers)."""
    return {"signed": monitor_round["getekend"], "monitors": monitor_round["ingevuld"]}


def test_from_signed_jaarschijven_to_next_year_through_the_monitor(round_2027, tmp_path, spec):
    signed, monitors = round_2027["signed"], round_2027["monitors"]
    before = _hashes(signed), _hashes(monitors)
    assert validate_paths([monitors], spec=spec).exit_code == 0
    evaluation = evaluate_paths([monitors], spec=spec)
    assert evaluation.tegenspraak  # the party whose stoplicht disagrees with its numbers
    written = rollover(
        [signed], 2028, tmp_path / "2028", spec=spec, created=CREATED, monitors=[monitors]
    )
    assert (_hashes(signed), _hashes(monitors)) == before
    linde_2028 = next(path for path in written if path.stem.endswith("-linde"))
    linde_monitor = next(monitors.glob("*-linde.xlsx"))
    reported = _rows(linde_monitor, spec)
    signed_rows = _rows(next(signed.glob("*-linde.xlsx")), spec)
    after = _rows(linde_2028, spec)
    differ = 0
    for nummer, row in reported.items():
        closing = row["status"] in spec.closing_statuses()
        recurs = _recurs(row.get("planning"), row.get("afspraak"), 2028)
        if closing and not recurs:
            assert nummer not in after, nummer
            continue
        assert after[nummer]["status_vorig"] == row["status"], nummer
        assert after[nummer]["realisatie_vorig"] == row["realisatie"], nummer
        differ += row["status"] != signed_rows[nummer].get("status")
    assert differ > 5  # the monitor's statuses, not those at signing
    # An open point (agree to disagree) is not in the monitor: it stays open, as signed.
    open_points = [n for n, r in signed_rows.items() if r.get("status") == "agree to disagree"]
    for nummer in open_points:
        assert nummer not in reported and after[nummer]["blok"] == "nieuw"
    text = (tmp_path / "2028" / "rollover-2028.txt").read_text(encoding="utf-8")
    assert f"  Status en realisatie 2027: uit de monitor {linde_monitor.name}\n" in text


def test_the_command_takes_the_monitors_and_refuses_other_ones(round_2027, tmp_path, spec):
    signed, monitors = round_2027["signed"], round_2027["monitors"]
    args = ["rollover", str(signed), "--year", "2028", "--out", str(tmp_path / "2028")]
    result = CliRunner().invoke(cli, [*args, "--monitor", str(monitors)])
    assert result.exit_code == 0, result.output
    assert "uit de monitor monitor-2027-voorbeeldstad-baken.xlsx" in result.output
    # Jaarschijven given as monitors: refused, nothing written.
    result = CliRunner().invoke(cli, [*args, "--force", "--monitor", str(signed)])
    assert result.exit_code == 2
    assert "geen monitor" in result.output
    # A monitor of another year than the jaarschijven.
    with pytest.raises(UsageError, match="de monitors gaan over 2027, de jaarschijven over 2028"):
        rollover(
            list((tmp_path / "2028").glob("*.xlsx")),
            2029,
            tmp_path / "2029",
            spec=spec,
            monitors=[monitors],
        )


# -- year after year ---------------------------------------------------------------------------


def _earlier_years(monitors: Path, folder: Path, factors: dict[int, float]) -> None:
    """A history of earlier years: this round's long table as merge writes it, its realisatie
    times a factor per year (for the test only; the partitions as the history holds them)."""
    import pyarrow as pa
    import pyarrow.compute as pc
    import pyarrow.parquet as pq

    merge_long([monitors], folder, "parquet")
    (now,) = folder.glob("jaar=2027")
    for year, factor in factors.items():
        for part in now.rglob("*.parquet"):
            table = pq.read_table(part)
            scaled = pc.multiply(table["realisatie"], pa.scalar(factor))
            table = table.set_column(
                table.schema.get_field_index("realisatie"), "realisatie", scaled
            )
            target = folder / f"jaar={year}" / part.relative_to(now)
            target.parent.mkdir(parents=True, exist_ok=True)
            pq.write_table(table, target)
    shutil.rmtree(now)


def test_evaluate_with_history_shows_a_trend_and_adds_the_round(round_2027, tmp_path, spec):
    monitors = round_2027["monitors"]
    folder = tmp_path / "historie"
    _earlier_years(monitors, folder, {2025: 0.8, 2026: 0.9})
    evaluation = evaluate_paths([monitors], spec=spec, historie=folder)
    found = evaluation.historie
    assert found is not None and found.years == [2025, 2026, 2027]
    koers = {k.code: k for k in evaluation.koers}
    assert len(found.trend) > 20
    for trend in found.trend:
        # This year as the Indicatoren sheet counts it; earlier years from the history.
        assert trend.waarden[2] == pytest.approx(koers[trend.code].realisatie), trend.code
        if not koers[trend.code].andere_termijn:
            assert trend.waarden[0] == pytest.approx(0.8 * trend.waarden[2]), trend.code
        # Targets of several terms: each year counts the term most have, of equals its own
        # year's: 2025 may count another than 2027 (these earlier years copy 2027's plannings).
    followed = {(g.l_nummer, g.nummer): g for g in found.afspraken}
    bs01 = followed[(LINDE, "BS-01")]
    assert bs01.realisatie[0] == pytest.approx(0.8 * bs01.realisatie[2])
    assert bs01.status[2] and bs01.status[0] == bs01.status[2]
    added = folder / "jaar=2027" / "gemeente=GM9001" / "soort_werkboek=monitor"
    assert sorted(p.name for p in added.iterdir()) == ["ronde.parquet"]  # one file a round
    assert len(read_history(folder, "GM9001", "monitor", 2028)) == 3 * len(
        round_rows(merge_paths([monitors], spec=spec))
    )
    assert found.note == f"2027 toegevoegd aan de historie: {added / 'ronde.parquet'}"
    # Again: the year is there; not written over without --force, the trend the same.
    before = {p: p.read_bytes() for p in added.iterdir()}
    again = evaluate_paths([monitors], spec=spec, historie=folder).historie
    assert again is not None and again.trend == found.trend
    assert "2027 staat al in de historie" in again.note
    assert {p: p.read_bytes() for p in added.iterdir()} == before
    # With force the year is replaced as a whole: a merge's files per corporatie go too.
    merge_long([monitors], folder, "parquet", force=True)
    assert len(list(added.iterdir())) == 3  # merge replaced the year with its own files
    forced = evaluate_paths([monitors], spec=spec, historie=folder, force=True).historie
    assert forced is not None and forced.trend == found.trend
    assert sorted(p.name for p in added.iterdir()) == ["ronde.parquet"]


def test_the_command_prints_the_trend_and_charts_it(round_2027, tmp_path, spec):
    monitors = round_2027["monitors"]
    folder = tmp_path / "historie"
    _earlier_years(monitors, folder, {2024: 0.7, 2025: 0.8, 2026: 0.9})
    out = tmp_path / "evaluatie-2027.xlsx"
    args = ["evaluate", str(monitors), "--historie", str(folder), "--out", str(out)]
    result = CliRunner().invoke(cli, args)
    assert result.exit_code == 0, result.output
    assert "Trend per indicator, 2024-2027 (realisatie per jaar)" in result.output
    lines = result.output.splitlines()
    start = lines.index("Trend per indicator, 2024-2027 (realisatie per jaar)")
    line = next(line for line in lines[start:] if line.startswith("BS01 "))
    koers = evaluate_paths([monitors], spec=spec).koers
    now = next(k.realisatie for k in koers if k.code == "BS01")
    expected = [dutch_number(round(f * now, 1)) for f in (0.7, 0.8, 0.9, 1)]
    assert line.split()[-4:] == expected
    workbook = openpyxl.load_workbook(out)
    trend = workbook["Trend"]
    assert [c.value for c in trend[4]][:8] == [
        "Code",
        "Indicator",
        "Eenheid",
        "Berekend als",
        "2024",
        "2025",
        "2026",
        "2027",
    ]
    assert len(trend._charts) == sum(1 for row in trend.iter_rows(min_row=5) if row[0].value)
    followed = workbook["Historie per afspraak"]
    assert followed["C1"].value == "Nummer" and followed.max_row > 100


@pytest.mark.slow
def test_two_real_rounds_give_the_trend_and_follow_each_afspraak(round_2027, tmp_path, spec):
    """Not one round scaled into earlier years, but two rounds as a gemeente runs them: 2027
    evaluated into the history, rolled over from its monitors, the jaarschijven 2028 filled
    and signed, their monitors made, filled and evaluated: the trend holds each year's own
    totals, and an afspraak is followed by its nummer through the rollover."""
    signed, monitors = round_2027["signed"], round_2027["monitors"]
    folder = tmp_path / "historie"
    first = evaluate_paths([monitors], spec=spec, historie=folder)
    blank = rollover(
        [signed], 2028, tmp_path / "leeg-2028", spec=spec, created=CREATED, monitors=[monitors]
    )
    signed_2028 = tmp_path / "getekend-2028"
    for seed, path in enumerate(sorted(blank), start=4):  # other figures than 2027's
        fill_workbook(path, signed_2028 / path.name, seed=seed, spec=spec)
    assert validate_paths([signed_2028], spec=spec).exit_code == 0
    made = generate_monitor([signed_2028], tmp_path / "monitoring-2028", spec=spec, created=CREATED)
    back = tmp_path / "monitoring-2028-terug"
    for seed, path in enumerate(sorted(made), start=4):
        fill_monitor(path, back / path.name, seed=seed, spec=spec)
    second = evaluate_paths([back], spec=spec, historie=folder)

    found = second.historie
    assert found is not None and found.years == [2027, 2028]
    assert found.note.startswith("2028 toegevoegd aan de historie")
    koers = [{k.code: k.realisatie for k in e.koers} for e in (first, second)]
    assert len(found.trend) > 20
    for trend in found.trend:  # each year as that year's Indicatoren sheet counted it
        expected = (koers[0].get(trend.code), koers[1].get(trend.code))
        assert trend.waarden == pytest.approx(expected), trend.code
    assert any(len(set(trend.waarden)) == 2 for trend in found.trend)  # not one year twice
    followed = {(g.l_nummer, g.nummer): g for g in found.afspraken}
    for year, evaluation in enumerate((first, second)):
        own = {
            a.nummer: a
            for a in evaluation.afspraken
            if a.corporatie == "Woonstichting De Linde" and a.nummer == "BS-01"
        }
        assert followed[(LINDE, "BS-01")].realisatie[year] == own["BS-01"].realisatie
        assert followed[(LINDE, "BS-01")].status[year] == own["BS-01"].status


def test_the_trend_counts_the_afspraken_evaluate_counted_not_those_alike_in_text(
    round_2027, tmp_path, spec
):
    """A collective afspraak on the gemeente's tab whose copy in one workbook has another type:
    evaluate counts that copy as an afspraak of its own, beside the collective one. The trend
    of the round written into the history counts the same (not one figure for all three, as
    rows alike in their text and target would give)."""
    monitors = tmp_path / "monitors"
    shutil.copytree(round_2027["monitors"], monitors)
    merged = merge_paths([monitors], spec=spec, allow_invalid=True)
    collective = next(
        c
        for c in merged.collectives
        if c.shared and spec.indicator(str(c.record.values.get("indicator"))) is not None
    )
    code = spec.indicator(str(collective.record.values["indicator"])).code
    # The test's copies of the returned monitors: the collective's copies give one figure, the
    # last copy has another type, and the other afspraken of its indicator no realisatie (so
    # only these count, whatever their planning).
    members = {id(record) for _, record in collective.members}
    types = spec.list_values(spec.column_for("type").list_name)
    for source in merged.sources:
        workbook = openpyxl.load_workbook(source.path)
        for _, record in (pair for pair in merged.by_indicator[code] if pair[0] is source):
            cell = workbook[record.sheet].cell
            cell(record.row, record.columns["realisatie"] + 1).value = (
                4 if id(record) in members else None
            )
            if record is collective.members[-1][1]:
                other = next(t for t in types if t != record.values["type"])
                cell(record.row, record.columns["type"] + 1).value = other
        workbook.save(source.path)

    folder = tmp_path / "historie"
    evaluation = evaluate_paths([monitors], spec=spec, historie=folder)
    koers = {k.code: k.realisatie for k in evaluation.koers}
    apart = [a for a in evaluation.counted if a.nummer == collective.nummer]
    assert [a.collectief for a in apart] == [True, False]  # the others' copies, and the one
    assert koers[code] == 2 * 4  # the others' copies once, and the one apart: not 4
    assert evaluation.historie is not None
    for trend in evaluation.historie.trend:
        assert trend.waarden == (pytest.approx(koers[trend.code]),), trend.code
    # So does the round as the history keeps it, read back as a later year reads it.
    back = trend_of(read_history(folder, "GM9001", "monitor", 2028), spec)
    assert {t.code: t.waarden for t in back.trend} == {
        t.code: t.waarden for t in evaluation.historie.trend
    }
