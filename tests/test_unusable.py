"""Files that cannot be used: one clear Dutch message each, exit code 2, never a traceback,
and the other files in the same run are still checked."""

import shutil
import zipfile

import pytest
from click.testing import CliRunner

from pa_sheets.cli import cli
from pa_sheets.validate import validate_file


def _rezip(source, target, change):
    """Copy an xlsx, letting `change(name, data)` return new data (or None to drop the part)."""
    with zipfile.ZipFile(source) as old, zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as new:
        for item in old.infolist():
            data = change(item.filename, old.read(item))
            if data is not None:
                new.writestr(item.filename, data)
        extra = change("*extra*", b"")
        if extra:
            new.writestr(*extra)


def _doctype(name, data):
    if name == "xl/sharedStrings.xml":
        return data.replace(
            b"?>", b'?><!DOCTYPE sst [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;">]>', 1
        )
    return None if name == "*extra*" else data


def _macro(name, data):
    return ("xl/vbaProject.bin", b"\0" * 64) if name == "*extra*" else data


def _bomb(name, data):
    return ("xl/media/bom.bin", b"\0" * (300 * 1024 * 1024)) if name == "*extra*" else data


CASES = {
    "leeg.xlsx": (lambda src, dst: dst.write_bytes(b""), "het bestand is leeg (0 bytes)."),
    "csv.xlsx": (
        lambda src, dst: dst.write_text("nummer;afspraak\nBT-01;x\n"),
        "dit is geen Excel-werkmap (.xlsx); misschien een ander bestand met een andere extensie.",
    ),
    "pdf.xlsx": (
        lambda src, dst: dst.write_bytes(b"%PDF-1.7\n..."),
        "dit is geen Excel-werkmap (.xlsx); misschien een ander bestand met een andere extensie.",
    ),
    "oud.xls": (
        lambda src, dst: dst.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 512),
        "dit is een oud Excel-bestand (.xls) of een werkboek met een wachtwoord. Sla het "
        "op als Excel-werkmap (.xlsx) zonder wachtwoord en stuur het opnieuw.",
    ),
    "afgebroken.xlsx": (
        lambda src, dst: dst.write_bytes(src.read_bytes()[:3000]),
        "het bestand is beschadigd of onvolledig",
    ),
    "macro.xlsm": (
        lambda src, dst: _rezip(src, dst, _macro),
        "het werkboek bevat macro's. Sla het op als Excel-werkmap (.xlsx) zonder "
        "macro's en stuur het opnieuw.",
    ),
    "entiteiten.xlsx": (
        lambda src, dst: _rezip(src, dst, _doctype),
        "onderdeel xl/sharedStrings.xml bevat een DOCTYPE-declaratie; zulke "
        "bestanden worden om veiligheidsredenen niet gelezen.",
    ),
    "zipbom.xlsx": (
        lambda src, dst: _rezip(src, dst, _bomb),
        "onderdeel xl/media/bom.bin pakt verdacht sterk uit",
    ),
}


@pytest.fixture(scope="module")
def corpus(generated, tmp_path_factory):
    source = generated["jaarschijf-2027-voorbeeldstad-linde.xlsx"]
    folder = tmp_path_factory.mktemp("onbruikbaar")
    for name, (make, _message) in CASES.items():
        make(source, folder / name)
    return folder


@pytest.mark.parametrize("name", sorted(CASES))
def test_each_unusable_file_gets_its_message(name, corpus, spec):
    report = validate_file(corpus / name, spec)
    assert report.unusable is not None
    assert report.unusable.startswith(f"{corpus / name}: {CASES[name][1]}")
    assert report.findings == []


def test_the_cli_checks_the_others_and_exits_2_without_traceback(corpus, generated, tmp_path):
    folder = tmp_path / "terug"
    shutil.copytree(corpus, folder)
    good = generated["jaarschijf-2027-voorbeeldstad-baken.xlsx"]
    shutil.copy(good, folder / good.name)
    result = CliRunner().invoke(cli, ["validate", str(folder)], prog_name="pa-sheets")
    assert result.exit_code == 2
    assert result.exception is None or isinstance(result.exception, SystemExit)
    assert "Traceback" not in result.output
    assert f"{folder / good.name}\n  in orde (0 fout(en), 0 waarschuwing(en))" in result.output
    assert result.output.count("onbruikbaar:") == len(CASES)


def test_missing_file_and_empty_folder(tmp_path):
    result = CliRunner().invoke(cli, ["validate", str(tmp_path / "weg.xlsx")])
    assert result.exit_code == 2
    assert f"onbruikbaar: {tmp_path / 'weg.xlsx'}: bestand niet gevonden." in result.output
    empty = CliRunner().invoke(cli, ["validate", str(tmp_path)])
    assert empty.exit_code == 2
    assert empty.output == f"Fout: geen werkboeken (.xlsx) gevonden in {tmp_path}.\n"
