"""The long table (merge --format csv/parquet): written as it comes, a parquet dataset by year,
gemeente and kind of workbook that DuckDB reads as one table, and nothing left behind when a
merge is refused."""

import os
import shutil

import duckdb
import pandas as pd
import pytest
from click.testing import CliRunner
from conftest import ROOT

from pa_sheets.cli import cli
from pa_sheets.errors import InvalidInputs
from pa_sheets.merge.long import merge_long

FILLED = ROOT / "samples" / "ingevuld"
JAARSCHIJVEN = sorted(FILLED.glob("jaarschijf-*.xlsx"))
WITH_FAULTS = ROOT / "samples" / "fouten" / "ongeldig-type.xlsx"
PARTITION = "jaar=2027/gemeente=GM9001/soort_werkboek=jaarschijf"
PROVENANCE = ["bronbestand", "bronblad", "bronregel"]


def merge(*args: object) -> object:
    return CliRunner().invoke(cli, ["merge", *map(str, args)])


def test_duckdb_reads_the_dataset_as_the_same_rows_as_the_csv(tmp_path):
    root, csv = tmp_path / "landelijk", tmp_path / "o.csv"
    assert merge(*JAARSCHIJVEN, "--out", root, "--format", "parquet").exit_code == 0
    assert merge(*JAARSCHIJVEN, "--out", csv).exit_code == 0
    files = sorted(p.relative_to(root).as_posix() for p in root.rglob("*.parquet"))
    assert files == [f"{PARTITION}/{n}.parquet" for n in ("L1234", "L2345", "L3456")]
    # The query of the README: every gemeente and year in one table.
    found = duckdb.sql(
        f"SELECT * FROM read_parquet('{root}/**/*.parquet', hive_partitioning = true) "
        "ORDER BY l_nummer, bronblad, bronregel"
    ).df()
    expected = pd.read_csv(csv).sort_values(["l_nummer", "bronblad", "bronregel"])
    assert len(found) == len(expected) > 100
    assert set(found["jaar"]) == {2027} and set(found["gemeente"]) == {"GM9001"}
    assert set(found["soort_werkboek"]) == {"jaarschijf"}
    columns = [c for c in expected.columns if c in ("nummer", "afspraak", "status", *PROVENANCE)]
    pd.testing.assert_frame_equal(
        found[columns].reset_index(drop=True),
        expected[columns].reset_index(drop=True),
        check_dtype=False,
    )
    totals = duckdb.sql(
        f"SELECT sum(streefwaarde) FROM read_parquet('{root}/**/*.parquet', hive_partitioning=1)"
    ).fetchall()
    assert totals[0][0] == pytest.approx(expected["streefwaarde"].sum())


def test_a_partition_is_replaced_only_with_force_and_as_a_whole(tmp_path):
    root = tmp_path / "landelijk"
    assert merge(*JAARSCHIJVEN, "--out", root, "--format", "parquet").exit_code == 0
    folder = root / PARTITION
    before = {p.name: p.read_bytes() for p in folder.iterdir()}
    result = merge(*JAARSCHIJVEN[:2], "--out", root, "--format", "parquet")
    assert result.exit_code == 2 and "--force" in result.output
    assert {p.name: p.read_bytes() for p in folder.iterdir()} == before
    result = merge(*JAARSCHIJVEN[:2], "--out", root, "--format", "parquet", "--force")
    assert result.exit_code == 0, result.output
    after = sorted(p.name for p in folder.iterdir())
    assert len(after) == 2 and set(after) < set(before)
    assert [p.name for p in tmp_path.iterdir()] == ["landelijk"]  # no staging folder left


def test_an_existing_folder_is_a_dataset_and_a_file_is_refused(tmp_path):
    root = tmp_path / "landelijk"
    root.mkdir()
    result = merge(*JAARSCHIJVEN, "--out", root)  # no --format: the folder says parquet
    assert result.exit_code == 0, result.output
    assert (root / PARTITION / "L1234.parquet").exists()
    file = tmp_path / "al-een-bestand"
    file.write_text("niet van ons")
    result = merge(*JAARSCHIJVEN, "--out", file, "--format", "parquet", "--force")
    assert result.exit_code == 2 and "is een bestand; parquet schrijft een map" in result.output
    assert file.read_text() == "niet van ons"
    result = merge(*JAARSCHIJVEN, "--out", root, "--format", "xlsx", "--force")
    assert result.exit_code == 2 and "is een map" in result.output


def test_a_refused_merge_writes_nothing_and_leaves_no_parts(tmp_path):
    out = tmp_path / "uit"
    out.mkdir()
    for fmt, target in (("parquet", out / "landelijk"), ("csv", out / "o.csv")):
        with pytest.raises(InvalidInputs):
            merge_long(
                [*(p for p in JAARSCHIJVEN if "linde" not in p.name), WITH_FAULTS],
                target,
                fmt,
                workers=2,
            )
        assert list(out.iterdir()) == []


def test_rows_stay_in_the_workers_and_a_set_aside_workbook_adds_none(tmp_path):
    inputs = tmp_path / "in"
    shutil.copytree(FILLED, inputs)
    newer = inputs / "linde-nieuw.xlsx"
    shutil.copy(JAARSCHIJVEN[0], newer)
    later = JAARSCHIJVEN[0].stat().st_mtime + 60
    os.utime(newer, (later, later))
    files = [*sorted(inputs.glob("jaarschijf-*.xlsx")), newer]
    merged, written = merge_long(files, tmp_path / "o.csv", "csv", latest=True, workers=2)
    assert all(source.records == [] for source in merged.sources)
    assert [s.path.name for s in merged.set_aside] == [JAARSCHIJVEN[0].name]
    frame = pd.read_csv(written[0])
    assert len(frame) == sum(source.row_count for source in merged.sources)
    assert JAARSCHIJVEN[0].name not in set(frame["bronbestand"])
    chosen = next(source for source in merged.sources if source.path == newer)
    assert (frame["bronbestand"] == "linde-nieuw.xlsx").sum() == chosen.row_count > 0
    assert list(frame.columns[:2]) == ["corporatie", "l_nummer"]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["in", "o.csv"]


def test_a_text_that_would_run_as_a_formula_is_escaped_in_the_csv(tmp_path):
    """The same rows as publish's open data, escaped the same way (OWASP: CSV injection)."""
    import csv

    import openpyxl

    formula = '=HYPERLINK("http://voorbeeld.invalid","klik")'
    linde = FILLED / "jaarschijf-2027-voorbeeldstad-linde.xlsx"
    workbook = openpyxl.load_workbook(linde)
    for cell, text in (("B13", formula), ("B14", "-40 huishoudens met een huurachterstand")):
        workbook["BT Linde"][cell] = text
        workbook["BT Linde"][cell].data_type = "s"  # typed as text, as a party might
    path = tmp_path / linde.name
    workbook.save(path)
    _, written = merge_long([path], tmp_path / "o.csv", "csv", workers=1)
    with written[0].open(encoding="utf-8", newline="") as file:
        rows = {row["nummer"]: row for row in csv.DictReader(file) if row["bronblad"] == "BT Linde"}
    assert rows["BT-05"]["afspraak"] == "'" + formula
    assert rows["BT-06"]["afspraak"] == "'-40 huishoudens met een huurachterstand"
    assert rows["BT-07"]["afspraak"].startswith("Eind 2030")  # other texts as they are
