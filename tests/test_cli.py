"""The command line: it calls the library, and bad input gives one Dutch line and exit 2."""

from pathlib import Path

import openpyxl
import pytest
import yaml
from click.testing import CliRunner
from conftest import SAMPLE, one_thema
from workbook_helpers import meta

from pa_sheets.cli import cli


def run(*args: str):
    return CliRunner().invoke(cli, [str(arg) for arg in args], prog_name="pa-sheets")


@pytest.fixture(scope="module")
def small(tmp_path_factory) -> Path:
    """The sample config with one thema: for the tests of what generate says and names, which
    the other tabs do not change (it generates four times as fast)."""
    path = tmp_path_factory.mktemp("config") / "voorbeeldstad.yaml"
    data = one_thema(yaml.safe_load(SAMPLE.read_text(encoding="utf-8")))
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return path


def test_generate_jaarschijf_writes_one_file_per_corporatie(small, tmp_path):
    result = run("generate", "jaarschijf", "--config", small, "--year", "2027", "--out", tmp_path)
    assert result.exit_code == 0, result.output
    names = sorted(path.name for path in tmp_path.iterdir())
    assert names == [
        f"jaarschijf-2027-voorbeeldstad-{k}.xlsx" for k in ("baken", "linde", "stadswonen")
    ]
    assert f"Geschreven: {tmp_path / names[1]}" in result.output
    assert result.output.endswith(f"3 jaarschijf-werkboek(en) in {tmp_path}\n")


def test_generate_bod_for_one_corporatie_with_a_deadline(small, tmp_path):
    result = run(
        "generate",
        "bod",
        "--config",
        small,
        "--corporatie",
        "stadswonen",
        "--years",
        "2027",
        "--out",
        tmp_path,
        "--inleverdatum",
        "15-06-2026",
    )
    assert result.exit_code == 0, result.output
    path = tmp_path / "bod-2027-2031-voorbeeldstad-stadswonen.xlsx"
    facts = meta(openpyxl.load_workbook(path))
    assert (facts["jaren"], facts["inleverdatum"]) == ("2027-2031", "2026-06-15")


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (
            ["--year", "2031"],
            "Fout: jaar 2031 ligt buiten de periode 2026-2030 van {config} "
            "(periode.eerste_jaar en periode.laatste_jaar).",
        ),
        (
            ["--year", "2027", "--corporatie", "Eik"],
            "Fout: {config}: geen corporatie 'Eik' (wel: Linde, Stadswonen, Baken).",
        ),
    ],
)
def test_bad_values_exit_2_with_a_dutch_message(tmp_path, args, message):
    result = run("generate", "jaarschijf", "--config", SAMPLE, "--out", tmp_path, *args)
    assert result.exit_code == 2
    assert result.output == message.format(config=SAMPLE) + "\n"
    assert list(tmp_path.iterdir()) == []


def test_bad_years_for_the_bod(tmp_path):
    result = run("generate", "bod", "--config", SAMPLE, "--years", "2031-2027", "--out", tmp_path)
    assert result.exit_code == 2
    assert result.output == (
        "Fout: jaren '2031-2027': verwacht een oplopende reeks van 1 tot 10 "
        "jaren, bijv. 2027-2031.\n"
    )


def test_missing_config(tmp_path):
    result = run(
        "generate",
        "jaarschijf",
        "--config",
        tmp_path / "weg.yaml",
        "--year",
        "2027",
        "--out",
        tmp_path,
    )
    assert result.exit_code == 2
    assert result.output == f"Fout: {tmp_path / 'weg.yaml'}: bestand niet gevonden.\n"


def test_existing_output_needs_force(small, tmp_path):
    args = [
        "generate",
        "jaarschijf",
        "--config",
        small,
        "--year",
        "2027",
        "--out",
        tmp_path,
        "--corporatie",
        "Linde",
    ]
    assert run(*args).exit_code == 0
    target = tmp_path / "jaarschijf-2027-voorbeeldstad-linde.xlsx"
    before = target.stat().st_mtime_ns
    again = run(*args)
    assert again.exit_code == 2
    assert again.output == f"Fout: {target} bestaat al; gebruik --force om te overschrijven.\n"
    assert target.stat().st_mtime_ns == before
    assert run(*args, "--force").exit_code == 0


def test_unwritable_output(tmp_path):
    blocker = tmp_path / "bestand"
    blocker.write_text("geen map")
    result = run(
        "generate", "jaarschijf", "--config", SAMPLE, "--year", "2027", "--out", blocker / "uit"
    )
    assert result.exit_code == 2
    assert result.output.startswith(f"Fout: {blocker / 'uit'}: kan de map niet maken")


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["generate", "jaarschijf"], "Fout: Ontbrekende optie '--config'."),
        (
            ["generate", "jaarschijf", "--config", "x", "--year", "twee", "--out", "u"],
            "Fout: Ongeldige waarde voor '--year': 'twee' is geen geldig getal.",
        ),
        (
            ["generate", "jaarschijf", "--configg", "x"],
            "Fout: Onbekende optie '--configg'. Bedoelt u '--config'?",
        ),
        (
            [
                "generate",
                "bod",
                "--config",
                "x",
                "--years",
                "2027",
                "--out",
                "u",
                "--inleverdatum",
                "morgen",
            ],
            "Fout: Ongeldige waarde voor '--inleverdatum': 'morgen' is geen datum; schrijf bijv. "
            "31-12-2026.",
        ),
        (["bestaat-niet"], "Fout: Onbekend commando 'bestaat-niet'."),
        (["merg"], "Fout: Onbekend commando 'merg'. Bedoelt u 'merge'?"),
        (
            ["validate", "x", "--format", "pdf"],
            "Fout: Ongeldige waarde voor '--format': 'pdf' is geen keuze; kies uit 'text', 'json'.",
        ),
        (
            ["kalender", "--year", "1999"],
            "Fout: Ongeldige waarde voor '--year': 1999 ligt buiten het bereik 2000 tot en met "
            "2100.",
        ),
    ],
)
def test_usage_errors_are_dutch_and_exit_2(args, message):
    result = run(*args)
    assert result.exit_code == 2
    assert result.output.splitlines()[-1] == message
    assert "Hulp: pa-sheets" in result.output


@pytest.mark.parametrize(
    "command", [[], ["generate"], ["generate", "jaarschijf"], ["generate", "bod"]]
)
def test_every_command_has_help_with_an_example_where_it_acts(command):
    result = run(*command, "--help")
    assert result.exit_code == 0
    assert result.output.startswith("Gebruik: pa-sheets")
    assert "Opties:" in result.output and "Toon deze hulp en stop." in result.output
    if command[-1:] in (["jaarschijf"], ["bod"]):
        assert "Voorbeeld:" in result.output and "pa-sheets generate" in result.output


ENGLISH = ("Usage", "Options", "Show this", "[required]", "[default", "INTEGER", "RANGE", "FILE")


@pytest.mark.parametrize(
    "command",
    [[], ["validate"], ["merge"], ["generate", "bod"], ["rollover"], ["kalender"], ["demo"]],
)
def test_help_is_dutch_through_the_catalog(command):
    """click's own texts come from pa_sheets/locale (click.po), whatever LANG says."""
    result = CliRunner(env={"LANG": "en_US.UTF-8", "LANGUAGE": "en"}).invoke(
        cli, [*command, "--help"]
    )
    assert result.exit_code == 0
    assert not [word for word in ENGLISH if word in result.output]
    if "--inleverdatum" in result.output:
        assert "--inleverdatum DD-MM-JJJJ" in result.output


def test_examples_in_help_are_kept_as_written():
    """A pasted example runs: click's \\b keeps its lines, with the shell's continuation."""
    output = run("generate", "bod", "--help").output
    assert "--corporatie Linde \\\n" in output
    assert "--years 2027-2031 --out uit\n" in output


def test_the_catalog_is_compiled_from_its_source():
    """click.mo is click.po compiled (python -m pa_sheets.i18n), and every text in it is a
    text click still asks for."""
    import gettext

    from pa_sheets.i18n import MO, PO, read_po, write_mo

    catalog = read_po(PO.read_text(encoding="utf-8"))
    assert MO.read_bytes() == write_mo(catalog)
    with MO.open("rb") as handle:
        assert gettext.GNUTranslations(handle).gettext("Usage:") == "Gebruik:"


@pytest.mark.parametrize(
    ("years", "message"),
    [
        (
            "2027-2029",
            "Fout: een bod beslaat 5 kalenderjaren (Woningwet art. 43); 2027-2029 is 3 jaar. "
            "Kies bijv. 2027-2031.",
        ),
        (
            "2031-2035",
            "Fout: het bod begint in 2031, na de periode 2026-2030 van {config} "
            "(periode.eerste_jaar en periode.laatste_jaar).",
        ),
    ],
)
def test_a_bod_covers_five_years_inside_the_period(tmp_path, years, message):
    result = run("generate", "bod", "--config", SAMPLE, "--years", years, "--out", tmp_path)
    assert result.exit_code == 2
    assert result.output.strip().endswith(message.format(config=SAMPLE))
    assert list(tmp_path.iterdir()) == []


def test_generate_says_when_the_inleverdatum_has_passed(small, tmp_path):
    # One corporatie's workbook is enough: the warning is about the run's inleverdatum.
    late = run(
        "generate",
        "jaarschijf",
        "--config",
        small,
        "--corporatie",
        "Linde",
        "--year",
        "2027",
        "--out",
        tmp_path,
        "--inleverdatum",
        "01-01-2020",
    )
    assert late.exit_code == 0
    assert "Let op: de inleverdatum 1 januari 2020 op het voorblad is al voorbij" in late.output
    on_time = run(
        "generate",
        "jaarschijf",
        "--config",
        small,
        "--corporatie",
        "Linde",
        "--year",
        "2030",
        "--out",
        tmp_path,
        "--inleverdatum",
        "01-10-2029",
        "--force",
    )
    assert on_time.exit_code == 0 and "Let op" not in on_time.output


@pytest.mark.parametrize(
    ("kind", "years", "inleverdatum", "said"),
    [
        (
            "bod",
            ("--years", "2030-2034", "--corporatie", "Linde"),
            "15-08-2029",
            "Let op: de inleverdatum 15 augustus 2029 ligt na 1 juli 2029: uiterlijk dan ligt "
            "het bod bij gemeente en huurdersorganisatie (Woningwet art. 43 lid 1).",
        ),
        (
            "jaarschijf",
            ("--year", "2030"),
            "20-12-2029",
            "Let op: de inleverdatum 20 december 2029 ligt na 15 december 2029: uiterlijk dan "
            "zijn de afspraken voor 2030 getekend en gepubliceerd (Woningwet art. 44a lid 1).",
        ),
    ],
)
def test_generate_warns_of_an_inleverdatum_past_the_legal_deadline(
    small, tmp_path, kind, years, inleverdatum, said
):
    # Issue 26: a date after the law's moment was accepted without a word.
    late = run(
        "generate",
        kind,
        "--config",
        small,
        *years,
        "--out",
        tmp_path,
        "--inleverdatum",
        inleverdatum,
    )
    assert late.exit_code == 0
    assert said in " ".join(late.output.split())


def test_merge_names_what_it_skips_and_why_a_file_was_set_aside(tmp_path):
    from conftest import ROOT

    folder = tmp_path / "terug"
    (folder / "oud").mkdir(parents=True)
    for path in sorted((ROOT / "samples" / "ingevuld").glob("jaarschijf-*.xlsx")):
        (folder / path.name).write_bytes(path.read_bytes())
    (folder / "kapot.xlsx").write_text("geen werkmap")
    (folder / "brief.pdf").write_bytes(b"%PDF-1.4")
    refused = run("merge", folder, "--out", tmp_path / "a.xlsx")
    assert refused.exit_code == 2  # an unusable input
    assert f"Niet gelezen (geen werkmap, of een submap): {folder / 'brief.pdf'}, " in refused.output
    assert f"{folder / 'oud'}/ (submap)" in refused.output
    assert "Fout: 1 bestand(en) onbruikbaar: haal ze uit de invoer." in refused.output
    assert "laat de corporatie" not in refused.output  # no corporatie can mend a broken file
    merged = run("merge", folder, "--out", tmp_path / "b.xlsx", "--allow-invalid")
    assert merged.exit_code == 0
    line = f"Niet samengevoegd: {folder / 'kapot.xlsx'}: dit is geen Excel-werkmap (.xlsx)"
    assert line in merged.output
    assert merged.output.count("niet samengevoegd") == 0  # said once, with a capital
    bronnen = openpyxl.load_workbook(tmp_path / "b.xlsx")["Bronnen"]
    notes = [row[-1] for row in bronnen.iter_rows(values_only=True) if row[0] == "kapot.xlsx"]
    assert notes and notes[0].startswith("dit is geen Excel-werkmap (.xlsx)")


def test_merge_and_publish_of_files_that_are_no_workbooks_say_which_and_why(tmp_path):
    letter = tmp_path / "brief.xlsx"
    letter.write_text("geen werkmap")
    missing = tmp_path / "weg.xlsx"
    for command in (["merge", "--out", str(tmp_path / "o.xlsx")], ["publish", "--out", "pub"]):
        result = CliRunner().invoke(cli, [*command, str(letter), str(missing)])
        assert result.exit_code == 2, result.output
        assert "--allow-invalid" not in result.output  # it would not help: nothing to mend
        assert str(missing) in result.output and "bestand niet gevonden" in result.output
        assert f"{letter}: dit is geen Excel-werkmap" in result.output


def test_merge_of_a_folder_and_its_subfolder_does_not_call_the_subfolder_unread(tmp_path):
    from conftest import ROOT

    folder = tmp_path / "terug"
    (folder / "oud").mkdir(parents=True)
    (folder / "oud" / "ouder").mkdir()
    linde = ROOT / "samples" / "ingevuld" / "jaarschijf-2027-voorbeeldstad-linde.xlsx"
    (folder / "oud" / linde.name).write_bytes(linde.read_bytes())
    (folder / "brief.pdf").write_bytes(b"%PDF-1.4")
    result = run("merge", folder, f"{folder / 'oud'}/", "--out", tmp_path / "a.xlsx")
    assert result.exit_code == 0, result.output
    unread = [line for line in result.output.splitlines() if line.startswith("Niet gelezen")]
    assert unread == [
        f"Niet gelezen (geen werkmap, of een submap): {folder / 'brief.pdf'}, "
        f"{folder / 'oud' / 'ouder'}/ (submap)"
    ]


def test_a_folder_without_workbooks_is_refused_before_anything_is_written(tmp_path):
    empty = tmp_path / "leeg"
    empty.mkdir()
    for command in (["validate"], ["merge", "--out", str(tmp_path / "o.xlsx")]):
        result = run(*command, empty)
        assert result.exit_code == 2, result.output
        assert f"Fout: geen werkboeken (.xlsx) gevonden in {empty}." in result.output
    assert sorted(tmp_path.iterdir()) == [empty]


@pytest.mark.parametrize("mendable", [True, False], ids=["met-fouten", "onbruikbaar"])
def test_a_refused_publish_leaves_no_folder(tmp_path, mendable):
    source = SAMPLE.parent / "fouten" / "ongeldig-type.xlsx"
    if not mendable:
        source = tmp_path / "brief.xlsx"
        source.write_text("geen werkmap")
    out = tmp_path / "website" / "2027"
    result = run("publish", source, "--out", out)
    assert result.exit_code == (1 if mendable else 2), result.output
    assert not (tmp_path / "website").exists()


def test_publish_makes_its_folder_when_it_publishes(tmp_path):
    from pa_sheets.cycle.publish import publish_paths
    from pa_sheets.errors import OutputError

    source = SAMPLE.parent / "ingevuld" / "jaarschijf-2027-voorbeeldstad-linde.xlsx"
    out = tmp_path / "website" / "2027"
    result = run("publish", source, "--out", out, "--concept")
    assert result.exit_code == 0, result.output
    suffixes = sorted(path.suffix for path in out.iterdir())
    assert suffixes == [".csv"] * 4 + [".html", ".json", ".json"]  # page, data package
    in_the_way = tmp_path / "bestand"
    in_the_way.write_text("")
    with pytest.raises(OutputError, match=f"{in_the_way} is een bestand; geef de naam van een"):
        publish_paths([source], in_the_way, concept=True)  # a message, no traceback from mkdir
    with pytest.raises(OutputError, match=f"{in_the_way / '2027'}: kan de map niet maken"):
        publish_paths([source], in_the_way / "2027", concept=True)


def _option_help(name: str) -> dict[str, str]:
    """The help of option `name` in every command that has it."""
    import click

    found = {}
    commands = [("", cli)]
    while commands:
        path, command = commands.pop()
        if isinstance(command, click.Group):
            commands += [(f"{path} {n}".strip(), c) for n, c in command.commands.items()]
        for param in command.params:
            if name in getattr(param, "opts", ()):
                found[path] = param.help
    return found


@pytest.mark.parametrize("name", ["--force", "--inleverdatum"])
def test_a_shared_option_says_the_same_everywhere(name):
    helps = _option_help(name)
    assert len(helps) >= 3, helps  # generate jaarschijf, generate bod, and more
    assert len(set(helps.values())) == 1, helps


def test_merge_infers_its_format_from_the_target():
    from pa_sheets.merge.overview import output_format

    assert output_format(Path("uit.csv")) == "csv"
    assert output_format(Path("uit.PARQUET")) == "parquet"
    assert output_format(Path("overzicht")) == "xlsx"  # a folder only when it exists
    assert output_format(Path("uit.csv"), "xlsx") == "xlsx"  # what is chosen wins
    assert output_format(SAMPLE.parent) == "parquet"


def test_the_deadline_has_passed_only_before_today():
    import datetime as dt

    from pa_sheets.spec.kalender import passed_deadline

    today = dt.date(2026, 10, 2)
    assert passed_deadline("jaarschijf", 2027, today=today) == dt.date(2026, 10, 1)
    assert passed_deadline("bod", 2028, today=today) is None  # 1 juli 2027
    assert passed_deadline("jaarschijf", 2027, dt.date(2026, 10, 2), today=today) is None
