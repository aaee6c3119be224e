"""Hostile inputs (issue 23, items 5 and 7): a config or a returned workbook made to hang,
to fill memory, or to show something else than what it holds. Each is refused with exit 2 and
a Dutch message, in bounded time and memory, or is a finding at its sheet and cell.

Time and memory are measured in a fresh process (PROBE): the command runs there in-process and
the probe reports its exit code, output, CPU seconds and peak memory. CPU time, not
the wall clock: an alias bomb burns CPU, and a test run shares its cores with other tests.
Peak memory is the probe's own VmHWM: ru_maxrss survives exec, so a probe started by a
pytest worker of 500 MB reported the worker's peak (CI failed on that, stop 32)."""

import json
import os
import shutil
import subprocess
import sys

import openpyxl
import pytest
from click.testing import CliRunner
from conftest import ROOT, SAMPLE
from workbook_helpers import typed

from pa_sheets.check.validate import validate_file
from pa_sheets.cli import cli
from pa_sheets.errors import ConfigError
from pa_sheets.spec.config import load_config

LINDE = ROOT / "samples" / "ingevuld" / "jaarschijf-2027-voorbeeldstad-linde.xlsx"
SAMPLE_TEXT = SAMPLE.read_text(encoding="utf-8")
SECONDS, MEGABYTES = 5, 500  # what issue 23 allows a refusal

PROBE = """
import json, resource, sys, time
from click.testing import CliRunner
from pa_sheets.cli import cli
def peak_megabytes():
    for line in open("/proc/self/status"):
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
start = time.process_time()
result = CliRunner().invoke(cli, sys.argv[1:])
seconds = time.process_time() - start
crash = result.exception if not isinstance(result.exception, SystemExit) else None
print(json.dumps({
    "exit": result.exit_code,
    "output": result.output,
    "crash": repr(crash) if crash else None,
    "seconds": seconds,
    "megabytes": peak_megabytes(),
}))
"""


def probe(*args: object) -> dict:
    """Run `pa-sheets ARGS` in a fresh process: exit code, output, seconds, peak memory. The
    timeout is the test's fence against a hang (a FIFO read would block for ever)."""
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    done = subprocess.run(
        [sys.executable, "-c", PROBE, *map(str, args)],
        capture_output=True,
        text=True,
        timeout=120,
        env=env,
        check=True,
    )
    return json.loads(done.stdout.splitlines()[-1])


def assert_refused(result: dict, message: str) -> None:
    assert result["crash"] is None, result["crash"]
    assert result["exit"] == 2, result["output"]
    assert message in result["output"]
    assert "Traceback" not in result["output"]
    assert result["seconds"] < SECONDS, result
    assert result["megabytes"] < MEGABYTES, result


def _bomb(levels: int = 9) -> str:
    """Aliases inside aliases: nine levels of nine make 9**9 (387 million) values once written
    out, from about 500 bytes."""
    parts = ["&a0 [x, x, x, x, x, x, x, x, x]"]
    for level in range(1, levels):
        parts.append(f"&a{level} [{', '.join([f'*a{level - 1}'] * 9)}]")
    return "[" + ", ".join(parts) + "]"


# ---------------------------------------------------------------------------------------------
# A config: anchors and aliases, keys twice, no regular file, texts longer than a cell.
# ---------------------------------------------------------------------------------------------


def test_an_alias_bomb_in_a_config_is_refused_quickly(tmp_path):
    config = tmp_path / "bom.yaml"
    text = SAMPLE_TEXT.replace("  naam: Voorbeeldstad\n", f"  naam: {_bomb()}\n", 1)
    assert len(text) - len(SAMPLE_TEXT) > 400  # the bomb is in
    config.write_text(text, encoding="utf-8")
    result = probe("generate", "jaarschijf", "--config", config, "--year", 2027, "--out", tmp_path)
    assert_refused(
        result,
        f"Fout: {config}: regel 4: een anker (&) of verwijzing (*) mag hier niet; schrijf de "
        "waarde zelf uit.",
    )
    assert list(tmp_path.glob("*.xlsx")) == []


def test_an_alias_bomb_in_a_basisbods_config_text_is_refused_by_split_bod(basisbod, tmp_path):
    """A basisbod keeps the config of each gemeente in its _meta; split-bod reads it back."""
    hostile = tmp_path / basisbod.name
    workbook = openpyxl.load_workbook(basisbod)
    rows = [row for row in workbook["_meta"].iter_rows() if row[0].value == "gemeente"]
    parts = [row for row in rows if row[1].value == "GM9002"]
    assert parts  # the config of Anderdorp, in one or more cells
    text = parts[0][3].value
    parts[0][3].value = text.replace("  naam: Anderdorp", f"  naam: {_bomb()}", 1)
    assert parts[0][3].value != text
    workbook.save(hostile)
    result = probe("split-bod", hostile, "--out", tmp_path / "boden")
    assert_refused(
        result,
        f"{hostile} (_meta, gemeente GM9002): regel 4: een anker (&) of verwijzing (*) mag hier "
        "niet",
    )
    assert not (tmp_path / "boden").exists()


def test_config_text_in_a_workbook_is_held_to_the_size_of_a_config_file(tmp_path, spec):
    where = tmp_path / "basisbod.xlsx (_meta, gemeente GM9002)"
    with pytest.raises(ConfigError) as refused:
        load_config(where, spec, SAMPLE_TEXT + "#" * 1_000_000)
    assert str(refused.value) == f"{where}: te groot voor pa-sheets (meer dan 1.000.000 tekens)."


def test_a_key_written_twice_is_an_error_naming_both_lines(tmp_path, spec):
    config = tmp_path / "twee.yaml"
    text = SAMPLE_TEXT.replace("  naam: Voorbeeldstad\n", "  naam: Voorbeeldstad\n  naam: X\n", 1)
    config.write_text(text, encoding="utf-8")
    with pytest.raises(ConfigError) as refused:
        load_config(config, spec)
    assert str(refused.value) == (
        f"{config}: regel 5: gemeente.naam: staat er twee keer (ook op regel 4); de tweede zou "
        "de eerste stil vervangen."
    )


def test_a_fifo_as_config_is_refused_without_waiting(tmp_path):
    fifo = tmp_path / "config.yaml"
    os.mkfifo(fifo)
    result = probe("generate", "jaarschijf", "--config", fifo, "--year", 2027, "--out", tmp_path)
    assert_refused(
        result, f"Fout: {fifo}: dit is een pipe (FIFO), geen gewoon bestand; geef een YAML-bestand."
    )


@pytest.mark.skipif(not os.path.exists("/dev/zero"), reason="geen /dev/zero")
def test_dev_zero_as_config_is_refused_without_reading_it(tmp_path):
    result = probe("kalender", "--config", "/dev/zero")
    assert_refused(
        result,
        "Fout: /dev/zero: dit is een apparaat of socket, geen gewoon bestand; geef een "
        "YAML-bestand.",
    )


def test_a_config_larger_than_the_limit_is_refused_before_it_is_read(tmp_path):
    config = tmp_path / "groot.yaml"
    config.write_text(SAMPLE_TEXT + "#" * 1_000_000, encoding="utf-8")
    result = CliRunner().invoke(cli, ["kalender", "--config", str(config)])
    assert result.exit_code == 2
    assert result.output == f"Fout: {config}: te groot voor pa-sheets (meer dan 1.000.000 bytes).\n"


def test_a_text_longer_than_a_cell_holds_is_refused_in_the_config(tmp_path):
    """Written, it would be cut at 32,767 characters and the new workbook would fail its own
    check of the fixed texts (X005)."""
    config = tmp_path / "lang.yaml"
    start = "    afspraak: De corporatie levert jaarlijks nieuwe sociale huurwoningen op"
    line = next(line for line in SAMPLE_TEXT.splitlines() if line.startswith(start))
    assert SAMPLE_TEXT.count(line) == 1
    number = SAMPLE_TEXT[: SAMPLE_TEXT.index(line)].count("\n") + 1
    config.write_text(SAMPLE_TEXT.replace(line, "    afspraak: " + "x" * 40_000, 1))
    result = CliRunner().invoke(
        cli,
        ["generate", "jaarschijf", "--config", config, "--year", "2027", "--out", tmp_path],
    )
    assert result.exit_code == 2
    assert result.output == (
        f"Fout: {config}: regel {number}: lopende_afspraken[0].afspraak: de tekst is 40.000 "
        "tekens lang; een cel in Excel houdt er hoogstens 32.767. Maak hem korter.\n"
    )
    assert list(tmp_path.glob("*.xlsx")) == []


# ---------------------------------------------------------------------------------------------
# Display: hidden characters in cells, control characters in file names, files not read.
# ---------------------------------------------------------------------------------------------


def test_a_bidi_override_or_zero_width_space_in_a_text_is_an_error_at_its_cell(tmp_path, spec):
    source = openpyxl.load_workbook(LINDE, read_only=True)
    afspraak = source["BS Linde"]["B13"].value
    source.close()
    forged = afspraak.replace("ten hoogste 3", "ten hoogste \u202e03\u202c", 1)
    assert forged != afspraak
    path = typed(
        LINDE,
        tmp_path / LINDE.name,
        {
            ("BS Linde", "nieuw", 0): {"afspraak": forged},
            ("BS Linde", "going_concern", "BS-01"): {"toelichting": "Vertraging\u200b."},
        },
    )
    report = validate_file(path, spec)
    hidden = [(f.severity, f.code, f.sheet, f.cell, f.value, f.message) for f in report.findings]
    hidden = [item for item in hidden if item[1] == "V012"]
    rest = "onzichtbaar, maar het verandert hoe de tekst wordt getoond of laat twee "
    rest += "verschillende teksten gelijk lijken. Typ de tekst opnieuw, zonder dit teken."
    assert hidden == [
        (
            "error",
            "V012",
            "BS Linde",
            "V7",
            "Vertraging«U+200B».",
            f"De tekst bevat «U+200B» (spatie zonder breedte): {rest}",
        ),
        (
            "error",
            "V012",
            "BS Linde",
            "B13",
            afspraak.replace("ten hoogste 3", "ten hoogste «U+202E»03«U+202C»"),
            "De tekst bevat «U+202E» (rechts-naar-links forcering), «U+202C» (einde richting): "
            + rest,
        ),
    ]
    assert not report.valid()


def test_a_file_name_cannot_print_a_verdict_of_its_own(tmp_path):
    folder = tmp_path / "terug"
    folder.mkdir()
    fake = "kapot\n  in orde (0 fout(en), 0 waarschuwing(en))\n1 van 1 werkboek(en) in orde.xlsx"
    (folder / fake).write_text("geen werkmap")
    (folder / "brief\r1 van 1 werkboek(en) in orde.pdf").write_bytes(b"%PDF-1.4")
    result = CliRunner().invoke(cli, ["validate", str(folder)])
    assert result.exit_code == 2
    lines = result.output.splitlines()
    assert not any(line.strip().startswith(("in orde", "1 van 1")) for line in lines), lines
    shown = f"{folder}/kapot\\n  in orde (0 fout(en), 0 waarschuwing(en))\\n1 van 1 werkboek"
    assert lines[0] == f"Niet gelezen (geen werkmap, of een submap): {folder}/brief\\r1 van 1 " + (
        "werkboek(en) in orde.pdf"
    )
    assert lines[1] == shown + "(en) in orde.xlsx"
    assert lines[2].startswith(f"  onbruikbaar: {shown}(en) in orde.xlsx: ")
    assert lines[-1] == "0 van 1 werkboek(en) in orde."


def test_hidden_files_and_lock_files_in_a_folder_are_named_not_read(tmp_path):
    folder = tmp_path / "terug"
    folder.mkdir()
    shutil.copy(LINDE, folder / LINDE.name)
    shutil.copy(LINDE, folder / ".verborgen.xlsx")  # a workbook nobody sees in the folder
    (folder / f"~${LINDE.name}").write_bytes(b"\x0bEigenaar")  # Excel's lock file
    (folder / ".git").mkdir()
    unread = (
        f"Niet gelezen (geen werkmap, of een submap): {folder / '.git'}/ (verborgen map), "
        f"{folder / '.verborgen.xlsx'} (verborgen bestand), "
        f"{folder / ('~$' + LINDE.name)} (vergrendelbestand van Excel)"
    )
    result = CliRunner().invoke(cli, ["validate", str(folder)])
    assert result.exit_code == 0, result.output
    assert result.output.splitlines()[0] == unread
    assert result.output.splitlines()[-1] == "1 van 1 werkboek(en) in orde."
    for command in (["evaluate"], ["rollover", "--year", "2028", "--out", str(tmp_path / "u")]):
        result = CliRunner().invoke(cli, [*command, str(folder)])
        assert result.exit_code == 0, result.output
        assert result.output.splitlines()[0] == unread
