"""Stack the published open data of many gemeenten into one parquet dataset (`pa-sheets
verzamel`): every package that `publish` wrote (docs/open-data.md), read from folders (no
network), checked, and written per resource, partitioned hive style by jaar and gemeente:

    OUT/afspraken/jaar=2027/gemeente_code=GM0344/data_0.parquet

DuckDB, Spark, polars and pandas read each resource as one table. (`gemeente_code`, not
`gemeente`: the column `gemeente` is the gemeente's name.)

A package is refused, and nothing is written, when it has another major schema version, when
its descriptor or a file is not where and what the schema says, or when a value breaks its
Table Schema: a type (an integer written as 2027.0), a required value, an allowed value, a
pattern, a primary key twice, or the same gemeente and jaar in two packages. These checks
are the Table Schema's own, run in DuckDB over every package at once (frictionless-py takes
about a second per package; `grondig` runs it too). Rows read and rows written are counted:
a difference is an error, never a silent loss.
"""

import csv
import functools
import json
import re
import shutil
import tempfile
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

from pa_sheets.cycle.opendata import (
    HERKOMST,
    PACKAGE_FILE,
    RESOURCES,
    SCHEMA_VERSION,
    SINCE_1_1,
    SINCE_1_2,
    TOELICHTING,
)
from pa_sheets.errors import OutputError, PaSheetsError

PARTITION = ("jaar", "gemeente_code")
SAFE_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]*\.csv")  # a resource file beside its package
# Columns a coordinator may have chosen to publish, and those a package of an earlier minor
# version (1.0) does not have yet.
OPTIONAL = (*TOELICHTING, *HERKOMST, *SINCE_1_1, *SINCE_1_2)
_SQL_TYPES = {"string": "VARCHAR", "integer": "BIGINT", "number": "DOUBLE", "date": "DATE"}
_SQL_TYPES["boolean"] = "BOOLEAN"
_SHOWN = 3  # examples named per problem


class PackageRefused(PaSheetsError):
    """A published package that is not of this schema, or whose data break its schema."""


@dataclass
class Stacked:
    """What verzamel wrote: the packages read and the rows per resource."""

    packages: list[Path]
    rows: dict[str, int] = field(default_factory=dict)
    folder: Path | None = None


def verzamel(
    paths: Iterable[Path],
    out: Path,
    *,
    force: bool = False,
    grondig: bool = False,
    progress: Callable[[Path], None] = lambda path: None,
) -> Stacked:
    """Read the packages in `paths` (a folder with datapackage.json, or a folder holding such
    folders at any depth) and write their rows to one parquet dataset per resource in `out`.
    Raises PackageRefused (nothing written) and OutputError.

    Example: verzamel([Path("websites")], Path("landelijk")).rows["afspraken"]
    """
    try:
        import duckdb
    except ImportError:
        raise PackageRefused(
            "verzamel heeft DuckDB nodig: pip install 'pa-sheets[parquet]'."
        ) from None

    packages = find_packages(paths)
    _guard_out(out, force=force)
    schemas = {}
    for package in packages:
        schemas[package] = _checked_descriptor(package)
        if grondig:
            _frictionless(package)
        progress(package)
    reference = _reference_fields()
    with duckdb.connect() as db, _staging(out) as staging:
        stacked = Stacked(packages)
        # Every file read first (a file that is no CSV as told is named before any value),
        # then every value checked, then written: a refusal leaves nothing behind.
        for resource in RESOURCES:
            files = [
                package.parent / _resource(schemas[package], resource)["path"]
                for package in packages
            ]
            _load(db, resource, files, reference[resource])
        _check_one_package_per_gemeente(db, packages)
        for resource in RESOURCES:
            primary = _primary_key(schemas[packages[0]], resource)
            _check(db, resource, reference[resource], primary)
        for resource in RESOURCES:
            written = _write(db, resource, reference[resource], Path(staging) / resource)
            read = db.execute(f"SELECT count(*) FROM raw_{resource}").fetchone()[0]  # type: ignore[index]
            if written != read:
                raise OutputError(
                    f"{resource}: {read} rijen gelezen maar {written} geschreven; niets "
                    "opgeslagen. Meld dit als fout in pa-sheets."
                )
            stacked.rows[resource] = written
        _place(Path(staging), out)
    stacked.folder = out
    return stacked


def find_packages(paths: Iterable[Path]) -> list[Path]:
    """Every datapackage.json in `paths` (a package's folder, a folder of folders, or the
    descriptor itself), in a fixed order."""
    found: list[Path] = []
    for path in paths:
        if path.is_file() and path.name == PACKAGE_FILE:
            found.append(path)
        elif path.is_dir():
            inside = sorted(path.rglob(PACKAGE_FILE))
            if not inside:
                raise PackageRefused(f"{path}: geen {PACKAGE_FILE} gevonden (ook niet dieper).")
            found += inside
        else:
            raise PackageRefused(
                f"{path}: geen map en geen {PACKAGE_FILE}; geef de mappen die publish schreef."
            )
    unique = sorted(dict.fromkeys(p.resolve() for p in found))
    if not unique:
        raise PackageRefused("geen pakketten om te verzamelen.")
    return unique


# ---------------------------------------------------------------------------------------------
# The descriptor: this schema, every file a plain name beside it.
# ---------------------------------------------------------------------------------------------


def _checked_descriptor(package: Path) -> dict[str, object]:
    try:
        descriptor = json.loads(package.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise PackageRefused(f"{package}: geen leesbaar {PACKAGE_FILE} ({exc}).") from None
    if not isinstance(descriptor, dict):
        raise PackageRefused(f"{package}: geen Data Package (geen JSON-object).")
    version = str(descriptor.get("schema_versie", ""))
    if version.split(".")[0] != SCHEMA_VERSION.split(".")[0]:
        raise PackageRefused(
            f"{package}: schemaversie {version or 'onbekend'}; deze pa-sheets stapelt "
            f"schemaversie {SCHEMA_VERSION.split('.')[0]}.x (zie docs/open-data.md). Publiceer "
            "het opnieuw met deze pa-sheets, of verzamel het apart."
        )
    reference = _reference_fields()
    for name in RESOURCES:
        resource = _resource(descriptor, name, package)
        path = str(resource.get("path", ""))
        if not SAFE_NAME.fullmatch(path) or not (package.parent / path).is_file():
            raise PackageRefused(
                f"{package}: resource {name}: bestand {path!r} staat niet naast het pakket "
                "(alleen een bestandsnaam in dezelfde map)."
            )
        fields = {str(f.get("name")): f for f in _fields(resource)}
        wanted = reference[name]
        wrong = [
            f"{key} ({fields[key].get('type')} in plaats van {wanted[key]['type']})"
            for key in fields
            if key in wanted and fields[key].get("type") != wanted[key]["type"]
        ]
        unknown = [key for key in fields if key not in wanted]
        missing = [key for key in wanted if key not in fields and key not in OPTIONAL]
        problems = (
            ([f"onbekende kolom(men) {', '.join(unknown)}"] if unknown else [])
            + ([f"kolom(men) ontbreken: {', '.join(missing)}"] if missing else [])
            + ([f"ander type: {', '.join(wrong)}"] if wrong else [])
        )
        if problems:
            raise PackageRefused(
                f"{package}: resource {name} volgt schema {SCHEMA_VERSION} niet: "
                f"{'; '.join(problems)}."
            )
    return descriptor


def _resource(descriptor: dict[str, object], name: str, package: Path | None = None) -> dict:
    for resource in descriptor.get("resources") or []:  # type: ignore[attr-defined]
        if isinstance(resource, dict) and resource.get("name") == name:
            return resource
    raise PackageRefused(f"{package}: het pakket heeft geen resource {name}.")


def _fields(resource: dict) -> list[dict]:
    schema = resource.get("schema")
    fields = schema.get("fields") if isinstance(schema, dict) else None
    return [f for f in fields or [] if isinstance(f, dict)]


def _primary_key(descriptor: dict[str, object], name: str) -> list[str]:
    schema = _resource(descriptor, name).get("schema") or {}
    return list(schema.get("primaryKey") or [])


@functools.cache
def _reference_fields() -> dict[str, dict[str, dict]]:
    """Per resource the fields of this schema version (with every optional column), as
    publish writes them: made from the same code, so they cannot drift apart."""
    from pa_sheets.cycle.opendata import schemas

    return {
        name: {str(f["name"]): f for f in schema["fields"]}  # type: ignore[attr-defined]
        for name, schema in schemas().items()
    }


def _frictionless(package: Path) -> None:
    from frictionless import validate

    report = validate(str(package))
    if not report.valid:
        errors = report.flatten(["rowNumber", "fieldName", "type", "note"])[:_SHOWN]
        named = "; ".join(f"rij {r}, {f}: {t} ({n})" for r, f, t, n in errors)
        raise PackageRefused(f"{package}: frictionless keurt het af: {named}.")


# ---------------------------------------------------------------------------------------------
# The data: read as text, every value checked against the Table Schema, then typed.
# ---------------------------------------------------------------------------------------------


def _load(db, resource: str, files: list[Path], fields: dict[str, dict]) -> None:
    """Every file of a resource as one table of texts, with the file each row came from. The
    files are grouped by their header (a package may have the optional columns) and read as
    told, without sniffing: the header is the schema's, checked before."""
    groups: dict[tuple[str, ...], list[Path]] = {}
    for path in files:
        groups.setdefault(_header(path), []).append(path)
    selects = []
    reads = []
    for header, paths in groups.items():
        unknown = [key for key in header if key not in fields]
        if unknown:
            raise PackageRefused(
                f"{paths[0]}: kolom(men) {', '.join(unknown)} staan niet in schema "
                f"{SCHEMA_VERSION} van {resource}."
            )
        columns = ", ".join(f"{_quote(key)}: 'VARCHAR'" for key in header)
        read = (
            "SELECT * FROM read_csv([NAMES], header = true, auto_detect = false, "
            f"columns = {{{columns}}}, filename = true, delim = ',', quote = '\"', "
            "escape = '\"', strict_mode = true)"
        )
        selects.append(read.replace("NAMES", ", ".join(_quote(str(f)) for f in paths), 1))
        reads += [(path, read.replace("NAMES", _quote(str(path)), 1)) for path in paths]
    import duckdb

    try:
        db.execute(
            f"CREATE OR REPLACE TEMP TABLE raw_{resource} AS " + " UNION ALL BY NAME ".join(selects)
        )
    except duckdb.Error as exc:
        # Which file? Each is read on its own again, only now that one is not CSV as told.
        for path, read in reads:
            try:
                db.execute(f"SELECT count(*) FROM ({read})").fetchall()
            except duckdb.Error as own:
                raise PackageRefused(
                    f"{path}: geen geldige CSV voor {resource} (een regel met meer of minder "
                    f"velden dan de kopregel, of geen UTF-8): {str(own).splitlines()[0]}"
                ) from None
        raise PackageRefused(f"{resource}: de CSV-bestanden zijn niet te lezen: {exc}") from None
    present = {row[0] for row in db.execute(f"DESCRIBE raw_{resource}").fetchall()}
    for key in fields:
        if key not in present:  # an optional column no package has
            db.execute(f"ALTER TABLE raw_{resource} ADD COLUMN {_ident(key)} VARCHAR")


def _header(path: Path) -> tuple[str, ...]:
    """The column names on the first line of a resource file (after its byte order mark)."""
    try:
        with path.open(encoding="utf-8-sig", newline="") as handle:
            return tuple(next(csv.reader(handle), []))
    except (OSError, UnicodeDecodeError, csv.Error) as exc:
        raise PackageRefused(f"{path}: niet te lezen als CSV in UTF-8 ({exc}).") from None


def _check(db, resource: str, fields: dict[str, dict], primary: list[str]) -> None:
    """The Table Schema's checks over every package at once; the first failing one refuses,
    naming the files and values."""
    for key, spec in fields.items():
        column = _ident(key)
        constraints = spec.get("constraints") or {}
        bad = _type_test(spec, column)
        tests = [(f"{column} IS NOT NULL AND ({bad})", f"is geen {spec['type']}")] if bad else []
        if constraints.get("required"):
            tests.append((f"{column} IS NULL", "is leeg (verplicht)"))
        if "enum" in constraints:
            allowed = ", ".join(_quote(str(v)) for v in constraints["enum"])
            tests.append((f"{column} NOT IN ({allowed})", "staat niet in de toegestane waarden"))
        if "pattern" in constraints:
            pattern = _quote(str(constraints["pattern"]).strip("^$"))
            tests.append(
                (f"NOT regexp_full_match({column}, {pattern})", "past niet in het patroon")
            )
        if "maxLength" in constraints:
            tests.append((f"length({column}) > {int(constraints['maxLength'])}", "is te lang"))
        for test, what in tests:
            found = db.execute(
                f"SELECT filename, {column} FROM raw_{resource} "
                f"WHERE {test} LIMIT {_SHOWN}"  # a NULL makes a test NULL: only 'required' sees it
            ).fetchall()
            if found:
                examples = "; ".join(f"{Path(name).name}: {value!r}" for name, value in found)
                raise PackageRefused(
                    f"{resource}, kolom {key}: een waarde {what} ({examples}). Het pakket "
                    f"{Path(found[0][0]).parent} volgt zijn schema niet; niets geschreven."
                )
    if primary:
        key = ", ".join(_ident(k) for k in primary)
        twice = db.execute(
            f"SELECT any_value(filename), {key}, count(*) FROM raw_{resource} "
            f"GROUP BY {key} HAVING count(*) > 1 LIMIT {_SHOWN}"
        ).fetchall()
        if twice:
            name, *values, count = twice[0]
            raise PackageRefused(
                f"{resource}: de sleutel ({', '.join(primary)}) = {tuple(values)} staat {count} "
                f"keer in de pakketten (bijv. {Path(name).parent}); een rij telt één keer. "
                "Staat hetzelfde pakket er twee keer in?"
            )


def _type_test(spec: dict, column: str) -> str:
    """SQL that is true for a text that is not a value of the field's type."""
    kind = spec["type"]
    if kind == "integer":
        return f"NOT regexp_full_match({column}, '[+-]?[0-9]+')"
    if kind == "number":
        return f"TRY_CAST({column} AS DOUBLE) IS NULL"
    if kind == "date":
        return (
            f"NOT regexp_full_match({column}, '[0-9]{{4}}-[0-9]{{2}}-[0-9]{{2}}') "
            f"OR TRY_CAST({column} AS DATE) IS NULL"
        )
    if kind == "boolean":
        values = [*spec.get("trueValues", ["true"]), *spec.get("falseValues", ["false"])]
        return f"{column} NOT IN ({', '.join(_quote(v) for v in values)})"
    return ""


def _check_one_package_per_gemeente(db, packages: list[Path]) -> None:
    """The same gemeente and jaar in two packages would count its afspraken twice."""
    twice = db.execute(
        "SELECT gemeente_code, jaar, list(DISTINCT filename) FROM raw_partijen "
        "GROUP BY gemeente_code, jaar HAVING count(DISTINCT filename) > 1 LIMIT 1"
    ).fetchall()
    if twice:
        code, year, names = twice[0]
        folders = ", ".join(str(Path(n).parent) for n in sorted(names))
        raise PackageRefused(
            f"gemeente {code}, jaar {year} staat in meer dan één pakket ({folders}); geef er "
            "één, anders telt alles dubbel."
        )


def _write(db, resource: str, fields: dict[str, dict], folder: Path) -> int:
    """The rows, typed, as parquet partitioned by jaar and gemeente; returns the rows written
    (counted in what was written, not in what was meant to be)."""
    columns = ", ".join(_typed(key, spec) for key, spec in fields.items())
    db.execute(
        f"COPY (SELECT {columns} FROM raw_{resource}) TO {_quote(str(folder))} "
        f"(FORMAT parquet, PARTITION_BY ({', '.join(PARTITION)}), OVERWRITE_OR_IGNORE)"
    )
    glob = _quote(str(folder / "**" / "*.parquet"))
    return int(db.execute(f"SELECT count(*) FROM read_parquet({glob})").fetchone()[0])


def _typed(key: str, spec: dict) -> str:
    column = _ident(key)
    if spec["type"] == "boolean":
        true = ", ".join(_quote(v) for v in spec.get("trueValues", ["true"]))
        return f"CASE WHEN {column} IS NULL THEN NULL ELSE {column} IN ({true}) END AS {column}"
    return f"CAST({column} AS {_SQL_TYPES[spec['type']]}) AS {column}"


def _guard_out(out: Path, *, force: bool) -> None:
    if out.exists() and not out.is_dir():
        raise OutputError(f"{out} is een bestand; verzamel schrijft een map.")
    if out.is_dir() and any(out.iterdir()) and not force:
        raise OutputError(f"{out} bestaat al en is niet leeg; gebruik --force om hem te vervangen.")
    if not out.parent.is_dir():
        raise OutputError(f"{out.parent}: de map bestaat niet.")


def _staging(out: Path):
    try:
        return tempfile.TemporaryDirectory(prefix=".pa-sheets-verzamel-", dir=out.parent)
    except OSError as exc:
        raise OutputError(f"{out.parent}: kan hier niet schrijven ({exc.strerror}).") from None


def _place(staging: Path, out: Path) -> None:
    """Replace `out` by what was written, resource by resource."""
    out.mkdir(exist_ok=True)
    for resource in RESOURCES:
        target = out / resource
        if target.exists():
            shutil.rmtree(target)
        (staging / resource).rename(target)


def _ident(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _quote(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


__all__ = ["PackageRefused", "Stacked", "find_packages", "verzamel"]
