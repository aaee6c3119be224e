"""Nothing from a workbook or a config becomes a path it should not: a hostile L-nummer or
gemeente code in _meta is refused before the parquet dataset is touched, names are cut to a
byte limit with a stable hash, names that fold to one are kept apart or refused, and an
annotated copy never replaces a file pa-sheets did not write (docs/veiligheid.md)."""

import os
from pathlib import Path

import openpyxl
import pytest
import yaml
from click.testing import CliRunner
from conftest import CREATED, ROOT, SAMPLE, one_thema, resave, soffice
from workbook_helpers import loaded, saved_with, typed

from pa_sheets.check.report import annotated_name, sealed_copy
from pa_sheets.cli import cli
from pa_sheets.workbook.generate import generate
from pa_sheets.workbook.output import NAME_BYTES, fit_name, name_part, short_hash

FILLED = ROOT / "samples" / "ingevuld"
LINDE = FILLED / "jaarschijf-2027-voorbeeldstad-linde.xlsx"
BAKEN = FILLED / "jaarschijf-2027-voorbeeldstad-baken.xlsx"
FAULTY = ROOT / "samples" / "fouten" / "ongeldig-type.xlsx"
SIBLING = "jaar=2027/gemeente=GM0344/soort_werkboek=jaarschijf"


@pytest.fixture(scope="module")
def small(tmp_path_factory, spec) -> dict[str, Path]:
    """Blank jaarschijven of one thema for Linde and Baken, and Linde's with a bad nummer
    (errors V005, V006): for the tests of paths and names, which the size of a workbook does
    not matter to (a whole filled jaarschijf costs five times as much to read and write)."""
    folder = tmp_path_factory.mktemp("klein")
    config = folder / "config.yaml"
    data = one_thema(yaml.safe_load(SAMPLE.read_text(encoding="utf-8")))
    config.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    linde, baken = generate(
        "jaarschijf", config, (2027,), folder, ["Linde", "Baken"], spec=spec, created=CREATED
    )
    rows = {("BS Linde", "nieuw", 0): {"nummer": "geen nummer"}}
    faulty = typed(linde, folder / "fout.xlsx", rows)
    return {"linde": linde, "baken": baken, "faulty": faulty}


@pytest.fixture(scope="module")
def faulty(small) -> bytes:
    return small["faulty"].read_bytes()


def run(*args: object):
    return CliRunner().invoke(cli, [str(arg) for arg in args], prog_name="pa-sheets")


def files_under(folder: Path) -> dict[str, bytes]:
    """Every file below `folder` with its content: what a refused run must leave as it was."""
    return {str(p.relative_to(folder)): p.read_bytes() for p in folder.rglob("*") if p.is_file()}


def with_fact(source: Path, target: Path, key: str, value: str) -> Path:
    """A copy of a returned workbook whose _meta says `key` is `value`."""
    workbook = loaded(source)
    cell = next(row[1] for row in workbook["_meta"].iter_rows() if row[0].value == key)
    return saved_with(workbook, target, {("_meta", cell.coordinate): value})


def refused(result, *words: str) -> None:
    """Exit 2, one Dutch line naming what was refused, never a traceback."""
    assert result.exit_code == 2, result.output
    assert "Traceback" not in result.output and not isinstance(result.exception, Exception)
    lines = result.output.splitlines()
    assert any(line.startswith(("Fout: ", "Let op: ")) for line in lines), result.output
    for word in words:
        assert word in result.output


# ---------------------------------------------------------------------------------------------
# 4. Nothing from a workbook becomes a path.
# ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "key, value",
    [
        ("l_nummer", "../../gemeente=GM0344/soort_werkboek=jaarschijf/L9999"),  # a sibling
        ("l_nummer", "../../../../../buiten/L9999"),  # out of the dataset, out of tmp_path
        ("l_nummer", "L12345"),  # not a path at all, but not an L-nummer either
        ("gemeente_code", "GM0344/../../../buiten"),
    ],
)
def test_a_fact_that_would_be_a_path_is_refused_and_nothing_is_written(small, tmp_path, key, value):
    (tmp_path / "terug").mkdir()
    evil = with_fact(small["linde"], tmp_path / "terug" / "linde.xlsx", key, value)
    root = tmp_path / "land"
    theirs = root / SIBLING / "L9999.parquet"  # another gemeente's partition, merged before
    theirs.parent.mkdir(parents=True)
    theirs.write_bytes(b"de rijen van een andere gemeente")
    before = files_under(tmp_path)
    others = (
        [small["baken"]] if key == "l_nummer" else []
    )  # another gemeente code: not merged at all
    result = run("merge", evil, *others, "--out", root, "--format", "parquet", "--allow-invalid")
    refused(result, str(evil), "in _meta is", "er is niets geschreven")
    assert files_under(tmp_path) == before  # nothing new, nothing changed, nothing outside
    assert not (tmp_path / "buiten").exists() and not (tmp_path.parent / "buiten").exists()


def test_a_partition_folder_that_links_out_of_the_dataset_is_refused(tmp_path):
    # The dataset's own folders are checked with links resolved: jaar=2027 leading elsewhere
    # is not written through.
    root, elsewhere = tmp_path / "land", tmp_path / "elders"
    root.mkdir()
    elsewhere.mkdir()
    (root / "jaar=2027").symlink_to(elsewhere, target_is_directory=True)
    result = run("merge", LINDE, BAKEN, "--out", root, "--format", "parquet")
    refused(result, "komt buiten de map", "er is niets geschreven")
    assert list(elsewhere.iterdir()) == []


def test_a_healthy_merge_still_writes_each_corporatie_under_its_l_nummer(tmp_path):
    root = tmp_path / "land"
    assert run("merge", LINDE, BAKEN, "--out", root, "--format", "parquet").exit_code == 0
    assert sorted(files_under(root)) == [
        "jaar=2027/gemeente=GM9001/soort_werkboek=jaarschijf/L1234.parquet",
        "jaar=2027/gemeente=GM9001/soort_werkboek=jaarschijf/L3456.parquet",
    ]


# ---------------------------------------------------------------------------------------------
# 6. Names: bounded, distinct, never over a file that is not pa-sheets' own.
# ---------------------------------------------------------------------------------------------


def config_with(tmp_path: Path, change) -> Path:
    """The sample config with one thema, changed by `change`: the names of the files do not
    depend on the tabs."""
    data = one_thema(yaml.safe_load(SAMPLE.read_text(encoding="utf-8")))
    change(data)
    path = tmp_path / "config.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return path


def test_a_gemeente_name_of_230_characters_gives_short_distinct_file_names(tmp_path):
    naam = "Gemeente " + "Zuidwest-Noordoostpolderwaard " * 8  # 249 characters
    config = config_with(tmp_path, lambda d: d["gemeente"].update(naam=naam[:230]))
    out = tmp_path / "uit"
    result = run("generate", "jaarschijf", "--config", config, "--year", "2027", "--out", out)
    assert result.exit_code == 0, result.output
    names = sorted(p.name for p in out.iterdir())
    assert len(names) == 3 and result.output.endswith(f"3 jaarschijf-werkboek(en) in {out}\n")
    assert all(len(os.fsencode(name)) <= NAME_BYTES for name in names)
    # The gemeente's part cut to its share, with a hash of the whole slug so it stays unique.
    cut = name_part(naam[:230])
    assert cut.startswith("gemeente-zuidwest-noordoostpolderwaard-") and len(cut) <= 60
    assert cut.endswith("-" + short_hash(name_part(naam[:230], limit=1000)))
    assert names == [f"jaarschijf-2027-{cut}-{k}.xlsx" for k in ("baken", "linde", "stadswonen")]
    assert run("validate", *(out / n for n in names)).exit_code == 0


def test_corporaties_whose_names_fold_to_one_get_a_file_each(tmp_path):
    def two_more(data):
        first = data["corporaties"][0]
        for i, kort in enumerate(["Lindé", "住宅", "公社"]):
            data["corporaties"].append(
                {
                    "naam": f"{first['naam']} {kort}",
                    "kort": kort,
                    "l_nummer": f"L9{i:03d}",
                    "huurdersorganisatie": {"naam": f"Huurders {kort}", "kort": f"HV {kort}"},
                }
            )

    config = config_with(tmp_path, two_more)
    out = tmp_path / "uit"
    result = run("generate", "jaarschijf", "--config", config, "--year", "2027", "--out", out)
    assert result.exit_code == 0, result.output
    names = sorted(p.name for p in out.iterdir())
    assert result.output.endswith(f"6 jaarschijf-werkboek(en) in {out}\n")
    assert len(names) == 6  # before: "6 werkboeken" and 4 files, Lindé over Linde
    assert "jaarschijf-2027-voorbeeldstad-linde.xlsx" in names  # Linde's name as it always was
    assert f"jaarschijf-2027-voorbeeldstad-linde-{short_hash('Lindé')}.xlsx" in names
    for kort in ("住宅", "公社"):
        assert f"jaarschijf-2027-voorbeeldstad-{short_hash(kort)}.xlsx" in names
    # Each file is its own corporatie's.
    korts = set()
    for name in names:
        workbook = openpyxl.load_workbook(out / name, read_only=True)
        facts = {r[0]: r[1] for r in workbook["_meta"].iter_rows(values_only=True) if r[0]}
        korts.add(facts["corporatie_kort"])
        workbook.close()
    assert korts == {"Linde", "Stadswonen", "Baken", "Lindé", "住宅", "公社"}


def test_names_that_still_make_one_file_name_are_refused_before_any_is_written(tmp_path):
    # "Linde+" keeps nothing the slug would drop (no letter outside ASCII), so it is not given
    # a hash and makes Linde's file name: refused, never one over the other.
    def punctuated(data):
        data["corporaties"][1]["kort"] = "Linde+"
        data["corporaties"][1]["huurdersorganisatie"]["kort"] = "BR Linde+"

    config = config_with(tmp_path, punctuated)
    out = tmp_path / "uit"
    result = run("generate", "jaarschijf", "--config", config, "--year", "2027", "--out", out)
    refused(
        result,
        "jaarschijf-2027-voorbeeldstad-linde.xlsx: Linde en Linde+ krijgen dezelfde bestandsnaam",
    )
    assert list(out.iterdir()) == []


def test_an_input_name_of_255_bytes_gets_an_annotated_copy_like_any_other(faulty, tmp_path):
    folder, out = tmp_path / "terug", tmp_path / "controle"
    folder.mkdir()
    long_one = folder / ("ä" * 123 + "xxxx.xlsx")  # 246 + 4 + 5 = 255 bytes, the most allowed
    assert len(os.fsencode(long_one.name)) == 255
    long_one.write_bytes(faulty)
    other = folder / "zz-ook-fout.xlsx"  # after the long one: its copy must still be made
    other.write_bytes(faulty)
    result = run("validate", folder, "--annotate", out)
    assert result.exit_code == 1, result.output
    assert "Traceback" not in result.output
    copies = sorted(p.name for p in out.iterdir())
    assert len(copies) == 2 and "zz-ook-fout-controle.xlsx" in copies
    long_copy = next(name for name in copies if name.startswith("ää"))
    assert len(os.fsencode(long_copy)) <= NAME_BYTES
    assert long_copy.endswith(f"-{short_hash(long_one.stem)}-controle.xlsx")
    control = openpyxl.load_workbook(out / long_copy)["Controle"]
    assert control["A1"].value == f"Controle van {long_one.name}"


def test_annotate_never_replaces_a_returned_file_of_that_name(faulty, tmp_path):
    # dir holds a returned workbook that happens to be named X-controle.xlsx, not an input of
    # this run: it is not pa-sheets' copy, so it stays, the command says so and exits 2.
    folder, out = tmp_path / "terug", tmp_path / "controle"
    folder.mkdir()
    out.mkdir()
    source = folder / "linde.xlsx"
    source.write_bytes(faulty)
    theirs = out / "linde-controle.xlsx"
    theirs.write_bytes(LINDE.read_bytes())
    result = run("validate", source, "--annotate", out)
    refused(result, str(theirs), "geen kopie met bevindingen van pa-sheets")
    assert theirs.read_bytes() == LINDE.read_bytes()


def test_annotate_replaces_its_own_copy_but_not_one_saved_since(faulty, tmp_path):
    folder, out = tmp_path / "terug", tmp_path / "controle"
    folder.mkdir()
    source = folder / "linde.xlsx"
    source.write_bytes(faulty)
    assert run("validate", source, "--annotate", out).exit_code == 1
    copy = out / "linde-controle.xlsx"
    assert sealed_copy(copy)
    # Again: the earlier copy is pa-sheets' own and is replaced.
    result = run("validate", source, "--annotate", out)
    assert result.exit_code == 1 and f"Kopie met bevindingen: {copy}" in result.output
    # A party fixed its findings in the copy and saved it: no longer the copy pa-sheets wrote.
    workbook = openpyxl.load_workbook(copy)
    workbook["Controle"]["A2"] = "nagekeken"
    workbook.save(copy)
    saved = copy.read_bytes()
    assert not sealed_copy(copy)
    refused(run("validate", source, "--annotate", out), "is geen kopie met bevindingen")
    assert copy.read_bytes() == saved


def test_inputs_with_one_name_in_two_folders_get_a_copy_each(faulty, tmp_path):
    a, b, out = tmp_path / "a", tmp_path / "b", tmp_path / "controle"
    a.mkdir()
    b.mkdir()
    (a / "linde.xlsx").write_bytes(faulty)
    (b / "Linde.xlsx").write_bytes(LINDE.read_bytes())  # one name where case does not count
    result = run("validate", a / "linde.xlsx", b / "Linde.xlsx", "--annotate", out)
    assert result.exit_code == 1, result.output
    expected = {
        a / "linde.xlsx": f"linde-{short_hash(str((a / 'linde.xlsx').resolve()))}-controle.xlsx",
        b / "Linde.xlsx": f"Linde-{short_hash(str((b / 'Linde.xlsx').resolve()))}-controle.xlsx",
    }
    assert sorted(p.name for p in out.iterdir()) == sorted(expected.values())
    # Each copy is its own source's: the faulty one lists findings, the valid one none.
    rows = {}
    for source, name in expected.items():
        control = openpyxl.load_workbook(out / name)["Controle"]
        rows[source] = [r for r in control.iter_rows(min_row=8, values_only=True) if r[1]]
    assert rows[a / "linde.xlsx"] and not rows[b / "Linde.xlsx"]


def test_fit_name_keeps_short_names_and_cuts_long_ones_at_a_character():
    assert fit_name("linde", "-controle.xlsx") == "linde-controle.xlsx"
    long_a, long_b = "é" * 200 + "a", "é" * 200 + "b"
    cut_a, cut_b = fit_name(long_a, ".xlsx"), fit_name(long_b, ".xlsx")
    assert cut_a != cut_b and len(os.fsencode(cut_a)) <= NAME_BYTES
    assert cut_a.encode("utf-8").decode("utf-8") == cut_a  # no half a character
    assert annotated_name(Path("a/x.xlsx"), [Path("a/x.xlsx")]) == "x-controle.xlsx"


def test_publish_cuts_a_long_gemeente_name_and_keeps_lindé_apart_from_linde(tmp_path):
    # The names come from the workbooks' _meta: a gemeente name of 230 characters (before: an
    # ENAMETOOLONG traceback) and a second corporatie whose short name folds to Linde's
    # (before: its page written over Linde's).
    long_name = ("Gemeente " + "Zuidwest-Noordoostpolderwaard " * 8)[:230]
    terug = tmp_path / "terug"
    terug.mkdir()
    inputs = [
        with_fact(source, terug / source.name, "gemeente", long_name) for source in (LINDE, BAKEN)
    ]
    accented = with_fact(inputs[1], terug / "lindé.xlsx", "corporatie_kort", "Lindé")
    out = tmp_path / "website"
    result = run("publish", inputs[0], accented, "--out", out, "--concept", "--per-corporatie")
    assert result.exit_code == 0, result.output
    assert "Traceback" not in result.output
    stem = f"prestatieafspraken-2027-{name_part(long_name)}"
    pages = sorted(p.name for p in out.glob("*.html"))
    assert pages == sorted(
        [f"{stem}.html", f"{stem}-linde.html", f"{stem}-linde-{short_hash('Lindé')}.html"]
    )
    assert all(len(os.fsencode(p.name)) <= NAME_BYTES for p in out.iterdir())
    # The gemeente: a page, a json, the Data Package and its four csv; a corporatie: a page, a
    # json and its afspraken.
    assert len(list(out.iterdir())) == 7 + 2 * 3


def test_an_output_name_longer_than_a_file_system_allows_is_refused_in_dutch(tmp_path):
    target = tmp_path / ("a" * 300 + ".xlsx")
    result = run("merge", LINDE, "--out", target)
    refused(result, "is 305 bytes lang", "hoogstens 255")
    assert list(tmp_path.iterdir()) == []


@pytest.mark.slow
@pytest.mark.skipif(soffice() is None, reason="LibreOffice is niet geïnstalleerd")
def test_a_copy_saved_again_in_libreoffice_is_no_longer_pa_sheets_own(tmp_path):
    # A party opens the copy, fixes its findings and sends it back under the copy's name: the
    # content is written anew, so the mark no longer matches and annotate leaves it alone.
    source, out = tmp_path / "linde.xlsx", tmp_path / "controle"
    source.write_bytes(FAULTY.read_bytes())
    assert run("validate", source, "--annotate", out).exit_code == 1
    copy = out / "linde-controle.xlsx"
    resaved = tmp_path / "opgeslagen"
    resave([copy], resaved, tmp_path / "profiel")
    assert sealed_copy(copy) and not sealed_copy(resaved / copy.name)


def test_a_fifo_or_a_marked_zip_bomb_in_the_annotate_folder_is_refused_at_once(
    faulty, tmp_path, monkeypatch
):
    # Neither is opened for long: a FIFO is not a regular file, and a zip whose parts say they
    # unpack to more than any copy (COPY_MAX_BYTES, here made 1 MB) is not a copy, whatever its
    # mark: it is never inflated.
    import time
    import zipfile

    from pa_sheets.check import report

    monkeypatch.setattr(report, "COPY_MAX_BYTES", 1024 * 1024)

    source, out = tmp_path / "linde.xlsx", tmp_path / "controle"
    source.write_bytes(faulty)
    out.mkdir()
    os.mkfifo(out / "linde-controle.xlsx")
    refused(run("validate", source, "--annotate", out), "geen kopie met bevindingen")
    bomb = tmp_path / "bom.xlsx"
    with zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(
            "docProps/custom.xml",
            f'<Properties><property name="{report.COPY_MARK}" pid="2"><vt:lpwstr>{"0" * 64}'
            "</vt:lpwstr></property></Properties>",
        )
        with archive.open("xl/nullen.xml", "w", force_zip64=True) as part:
            for _ in range(2):
                part.write(bytes(1024 * 1024))
    started = time.monotonic()
    assert not sealed_copy(bomb)
    assert time.monotonic() - started < 1
    with zipfile.ZipFile(bomb) as archive, pytest.raises(ValueError):
        report._parts_hash(archive)  # refused by the declared sizes, before inflating a byte
