"""pa-sheets verzamel: the published packages of many gemeenten stacked into one parquet
dataset, partitioned by jaar and gemeente; a package of another schema version, or one whose
data break its schema, refused with a Dutch message and nothing written; no row lost."""

import json
import shutil

import duckdb
import pytest
from click.testing import CliRunner
from conftest import PUBLISHED, ROOT

from pa_sheets.cli import cli
from pa_sheets.cycle.opendata import PACKAGE_FILE
from pa_sheets.cycle.publish import publish_paths
from pa_sheets.cycle.verzamel import PackageRefused, verzamel

JAARSCHIJVEN = sorted((ROOT / "samples" / "ingevuld").glob("jaarschijf-*.xlsx"))
DOCS = (ROOT / "docs" / "open-data.md").read_text(encoding="utf-8")
# The query of docs/open-data.md: new afspraken on beschikbaarheid per gemeente, a shared one once.
QUERY = DOCS.split("```sql\n", 1)[1].split("```", 1)[0]


@pytest.fixture(scope="module")
def published(spec, tmp_path_factory):
    out = tmp_path_factory.mktemp("voorbeeldstad")
    publish_paths(JAARSCHIJVEN, out, spec=spec, created=PUBLISHED)
    return out


def other_gemeente(published, folder, code="GM9002"):
    """The same package as another gemeente publishes it: a copy with its own CBS code."""
    folder.mkdir(parents=True)
    for path in published.iterdir():
        if path.suffix == ".csv":
            text = path.read_text(encoding="utf-8-sig").replace("GM9001", code)
            (folder / path.name).write_text(text, encoding="utf-8-sig")
        else:
            shutil.copy(path, folder / path.name)
    return folder


def broken(published, folder, change):
    """Another gemeente's package (GM9002) with `change(name, text)` applied to each CSV."""
    folder.mkdir(parents=True)
    for path in published.iterdir():
        if path.suffix == ".csv":
            text = path.read_text(encoding="utf-8-sig").replace("GM9001", "GM9002")
            text = change(path.name, text)
            (folder / path.name).write_text(text, encoding="utf-8-sig")
        else:
            shutil.copy(path, folder / path.name)
    return folder


def count(glob):
    return duckdb.sql(f"SELECT count(*) FROM read_parquet('{glob}')").fetchall()[0][0]


def test_two_gemeenten_stack_into_one_partitioned_dataset(published, tmp_path, monkeypatch):
    websites = tmp_path / "websites"
    shutil.copytree(published, websites / "voorbeeldstad")
    other_gemeente(published, websites / "anderstad" / "2027")
    stacked = verzamel([websites], tmp_path / "landelijk")
    assert len(stacked.packages) == 2
    afspraken = next(published.glob("*-afspraken.csv"))
    one = len(afspraken.read_text(encoding="utf-8-sig").splitlines()) - 1
    assert stacked.rows["afspraken"] == 2 * one == count(f"{tmp_path}/landelijk/afspraken/**/*")
    assert (tmp_path / "landelijk/afspraken/jaar=2027/gemeente_code=GM9002").is_dir()
    described = duckdb.sql(
        f"DESCRIBE SELECT * FROM read_parquet('{tmp_path}/landelijk/afspraken/**/*.parquet', "
        "hive_partitioning = true)"
    ).fetchall()
    types = {row[0]: row[1] for row in described}
    assert types["jaar"] == "BIGINT" and types["nulmeting_jaar"] == "BIGINT"
    assert types["planning_tot"] == "DATE" and types["gedeeld"] == "BOOLEAN"
    monkeypatch.chdir(tmp_path)  # the query of the docs reads landelijk/ where it is
    rows = duckdb.sql(QUERY).fetchall()
    assert sorted(code for code, _, _ in rows) == ["GM9001", "GM9002"]
    assert rows[0][2] == rows[1][2] > 0


def test_the_query_counts_a_shared_afspraak_once(published, tmp_path, spec):
    from pa_sheets.merge.combine import merge_paths

    verzamel([published], tmp_path / "land")
    total = duckdb.sql(
        f"SELECT count(*) FILTER (WHERE NOT gedeeld) + count(DISTINCT (thema, partij, nummer)) "
        f"FILTER (WHERE gedeeld) FROM read_parquet('{tmp_path}/land/afspraken/**/*.parquet')"
    ).fetchall()[0][0]
    merged = merge_paths(JAARSCHIJVEN, spec=spec, workers=1)
    assert total == len(list(merged.counted(merged.afspraak_blocks())))


@pytest.mark.parametrize(
    ("change", "says"),
    [
        (
            lambda name, text: text.replace(",2027,", ",2027.0,", 1),
            "kolom jaar: een waarde is geen integer",
        ),
        (
            lambda name, text: text.replace(",oranje,", ",paars,", 1),
            "kolom status: een waarde staat niet in",
        ),
        (
            lambda name, text: text.replace("GM9002", "0344", 1),
            "kolom gemeente_code: een waarde past niet",
        ),
        (
            lambda name, text: text + text.splitlines()[1] + "\n" if "partijen" in name else text,
            "staat 2 keer",
        ),
        (
            lambda name, text: text + "a,b,c\n" if "partijen" in name else text,
            "partijen.csv: geen geldige CSV voor partijen",
        ),
    ],
)
def test_a_package_that_breaks_its_schema_is_refused(published, tmp_path, change, says):
    bad = broken(published, tmp_path / "kapot", change)
    out = tmp_path / "landelijk"
    with pytest.raises(PackageRefused) as refused:
        verzamel([published.parent / published.name, bad], out)
    assert says in str(refused.value)
    assert not out.exists()  # nothing written
    assert not list(tmp_path.glob(".pa-sheets-*"))


def test_another_schema_version_or_a_path_outside_is_refused(published, tmp_path):
    for change, says in [
        ({"schema_versie": "2.0"}, "schemaversie 2.0; deze pa-sheets stapelt schemaversie 1.x"),
        ({"path": "../geheim.csv"}, "staat niet naast het pakket"),
    ]:
        folder = tmp_path / says[:8].replace(" ", "")
        shutil.copytree(published, folder)
        descriptor = json.loads((folder / PACKAGE_FILE).read_text(encoding="utf-8"))
        if "path" in change:
            descriptor["resources"][1]["path"] = change["path"]
        else:
            descriptor.update(change)
        (folder / PACKAGE_FILE).write_text(json.dumps(descriptor), encoding="utf-8")
        result = CliRunner().invoke(cli, ["verzamel", str(folder), "--out", str(tmp_path / "x")])
        assert result.exit_code == 2, result.output
        assert says in result.output and "Traceback" not in result.output


def test_the_same_gemeente_twice_is_refused(published, tmp_path):
    copy = shutil.copytree(published, tmp_path / "kopie")
    with pytest.raises(PackageRefused, match=r"staat in meer dan één pakket|staat 2 keer"):
        verzamel([published, copy], tmp_path / "landelijk")


def test_grondig_asks_frictionless_too(published, tmp_path):
    bad = broken(published, tmp_path / "kapot", lambda n, t: t.replace(",2027,", ",twee,", 1))
    with pytest.raises(PackageRefused, match="frictionless keurt het af"):
        verzamel([bad], tmp_path / "landelijk", grondig=True)
    result = CliRunner().invoke(
        cli, ["verzamel", str(published), "--out", str(tmp_path / "goed"), "--grondig"]
    )
    assert result.exit_code == 0, result.output
    assert "1 pakket(ten) verzameld in" in result.output


def test_the_readme_query_runs_on_what_verzamel_wrote(published, tmp_path, monkeypatch):
    import re

    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    command = re.search(r"`pa-sheets verzamel websites/ --out landelijk/`", readme)
    query = re.search(r'`duckdb -c "(SELECT [^"]+)"`', readme)
    assert command and query
    websites = tmp_path / "websites"
    shutil.copytree(published, websites / "voorbeeldstad")
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(cli, ["verzamel", "websites/", "--out", "landelijk/"])
    assert result.exit_code == 0, result.output
    rows = duckdb.sql(query.group(1)).fetchall()
    lines = len(next(published.glob("*-afspraken.csv")).read_text("utf-8-sig").splitlines())
    assert rows == [("GM9001", lines - 1)]


def test_a_file_that_is_not_utf8_is_refused_without_a_traceback(published, tmp_path):
    folder = shutil.copytree(published, tmp_path / "latin")
    signing = next(folder.glob("*-ondertekening.csv"))
    signing.write_bytes(signing.read_bytes()[3:].decode("utf-8").encode("utf-16"))
    result = CliRunner().invoke(cli, ["verzamel", str(folder), "--out", str(tmp_path / "x")])
    assert result.exit_code == 2, result.output
    assert signing.name in result.output and "Traceback" not in result.output
