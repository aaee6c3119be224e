"""The monitoring round end to end (issue 24, parts 4 and 5): signed jaarschijven -> generate
monitor -> fill -> validate -> evaluate -> rollover, with next year's Status and Realisatie
vorig jaar from the monitor; the signed workbooks and the monitors are only read."""

import hashlib
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import CREATED

from pa_sheets.check.validate import validate_paths
from pa_sheets.cli import cli
from pa_sheets.cycle.evaluate import evaluate_paths
from pa_sheets.cycle.monitor import generate_monitor
from pa_sheets.cycle.rollover import _recurs, rollover
from pa_sheets.demo.monitor import fill_monitor
from pa_sheets.errors import UsageError
from pa_sheets.merge.combine import merge_paths

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
def round_2027(filled, tmp_path_factory, spec) -> dict[str, Path]:
    """The signed jaarschijven 2027 and their monitors, filled in (Baken's stoplicht, seed 1,
    disagrees with its numbers)."""
    base = tmp_path_factory.mktemp("ronde")
    signed = base / "getekend-2027"
    signed.mkdir()
    for name, path in filled.items():
        if name.startswith("jaarschijf-"):
            shutil.copyfile(path, signed / name)
    blank = generate_monitor([signed], base / "monitoring-2027", spec=spec, created=CREATED)
    back = base / "monitoring-2027-terug"
    for seed, path in enumerate(blank, start=1):
        fill_monitor(path, back / path.name, seed=seed, spec=spec)
    return {"signed": signed, "monitors": back, "base": base}


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
