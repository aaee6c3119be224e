"""The open data of a published page as a Frictionless Data Package: `datapackage.json` beside
the page, with a Table Schema per resource (afspraken, partijen, ondertekening, indicatoren).

The schema is a standard other tools can adopt (docs/open-data.md): its columns are fixed here
and versioned (SCHEMA_VERSION); their types, allowed values and bereik come from the spec, so a
column means in the open data what it means in the workbook. Every resource carries the
gemeente's CBS code and the jaar, so the packages of every gemeente stack into one table
(`pa-sheets verzamel`). Only public columns: where a row came from (bronbestand, bronblad,
bronregel) only with `herkomst`, the toelichting only when the coordinator chooses so.

A CSV is UTF-8 with a byte order mark: Excel (a Dutch one too) then reads the accents right;
without it, it takes the file as Windows-1252 and shows "Ã©" for "é". Every other reader
(pandas, DuckDB, R, frictionless) skips the mark.
"""

import csv
import datetime as dt
import io
import json
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from pa_sheets.merge.combine import Merged
from pa_sheets.merge.long import SPAN, long_table
from pa_sheets.spec.config_schema import L_NUMMER
from pa_sheets.spec.model import INDICATOR_SOORTEN, RICHTINGEN, Spec
from pa_sheets.spec.names import ROLES
from pa_sheets.workbook.output import atomic_path, csv_safe

if TYPE_CHECKING:
    from pa_sheets.cycle.publish import Page

# The version of the columns below. A column added at the end is a minor version (1.1); a
# column renamed, removed or given another meaning is a major one (2.0), which verzamel refuses
# to stack with 1.x. 1.1: the target forms of spec 1.5 (SINCE_1_1), and a party's rol may be
# huurdersfederatie. 1.2: a corporatie's aandeel in a joint target (spec 1.6, SINCE_1_2).
SCHEMA_VERSION = "1.2"
PACKAGE_FILE = "datapackage.json"
ENCODING = "utf-8-sig"  # UTF-8 with a byte order mark: see the module's docstring
GEMEENTE_CODE = r"^GM[0-9]{4}$"
RESOURCES = ("afspraken", "partijen", "ondertekening", "indicatoren")

# Every resource starts with these: which gemeente and which year.
WHERE = ("gemeente_code", "gemeente", "jaar")
# The afspraken: one row per afspraak and corporatie it binds. A column with a spec column's
# key has that column's type; the others are described in _OWN.
AFSPRAAK_COLUMNS: tuple[str, ...] = (
    *WHERE,
    "corporatie",
    "l_nummer",
    "thema",
    "partij",
    "rol",
    "blok",
    "gedeeld",
    "nummer",
    "afspraak",
    "bronnummer",
    "soort",
    "type",
    "trekker",
    "betrokken",
    "scope",
    "kern",
    "kader",
    "indicator_code",
    "indicator",
    "eenheid",
    "nulmeting",
    "nulmeting_jaar",
    "doelsoort",
    "streefwaarde",
    "mijlpaal",
    "planning",
    "planning_van",
    "planning_tot",
    "bijdrage",
    "status",
    "realisatie",
    "status_vorig",
    "realisatie_vorig",
)
# Schema 1.1 (spec 1.5, issue 26): the forms of a target, added at the end: a bandbreedte's
# upper bound (streefwaarde is then its lower one), the reference of a target without a number
# (niet meer dan de inflatie), and whether the streefwaarde holds per jaar or in totaal. A 1.0
# package lacks them and stacks with 1.1 (verzamel fills them empty).
SINCE_1_1 = ("streefwaarde_tot", "referentie", "doeltermijn")
AFSPRAAK_COLUMNS += SINCE_1_1
# Schema 1.2 (spec 1.6): the aandeel of the row's corporatie in a joint target, in its own row;
# never to be added up with the joint streefwaarde. A 1.1 package lacks it and stacks with 1.2.
SINCE_1_2 = ("aandeel",)
AFSPRAAK_COLUMNS += SINCE_1_2
TOELICHTING = ("toelichting",)  # only when the coordinator publishes it
HERKOMST = ("bronbestand", "bronblad", "bronregel")  # only with herkomst
PARTIJ_COLUMNS = (*WHERE, "rol", "naam", "code")
SIGNING_COLUMNS: tuple[str, ...] = (*WHERE, "l_nummer", "corporatie", "partij", "rol")
SIGNING_COLUMNS += ("tekent_voor", "akkoord", "datum", "naam", "functie", "voorbehoud")
SIGNING_COLUMNS += ("niet_getekend",)
INDICATOR_COLUMNS: tuple[str, ...] = (
    *WHERE,
    "code",
    "naam",
    "thema",
    "eenheid",
    "soort",
    "richting",
)
INDICATOR_COLUMNS += ("minimum", "maximum", "bron")
PARTY_KEYS = ("rol", "naam", "code")
_DERIVED = {"gedeeld", "indicator_code"}  # filled here, not read from the workbook

# Columns that are not a column of the spec: (type, description, extra field properties).
Own = dict[str, tuple[str, str, dict[str, object]]]  # key -> (type, description, properties)
_OWN: Own = {
    "gemeente_code": (
        "string",
        "CBS-code van de gemeente",
        {"constraints": {"required": True, "pattern": GEMEENTE_CODE}},
    ),
    "gemeente": ("string", "Naam van de gemeente", {"constraints": {"required": True}}),
    "jaar": ("integer", "Jaar van de jaarschijf", {"constraints": {"required": True}}),
    "corporatie": ("string", "Naam van de corporatie", {"constraints": {"required": True}}),
    "l_nummer": (
        "string",
        "L-nummer van de corporatie (Autoriteit woningcorporaties)",
        {"constraints": {"required": True, "pattern": f"^{L_NUMMER}$"}},
    ),
    "thema": ("string", "Themacode", {"constraints": {"required": True}}),
    "partij": (
        "string",
        "Partij op wier tabblad de afspraak staat; 'Alle corporaties' voor een gedeelde",
        {},
    ),
    "rol": ("string", "Rol van die partij", {"constraints": {"enum": list(ROLES)}}),
    "blok": ("string", "going concern of nieuw", {}),
    "gedeeld": (
        "boolean",
        "Eén afspraak van alle corporaties: tel haar één keer (per gemeente, jaar, nummer)",
        {"trueValues": ["ja"], "falseValues": ["nee"]},
    ),
    "indicator_code": ("string", "Code van de standaardindicator; leeg bij een eigen", {}),
    "planning_van": ("date", "Begin van de planning", {}),
    "planning_tot": ("date", "Einde van de planning", {}),
    "bronbestand": ("string", "Het teruggestuurde werkboek", {}),
    "bronblad": ("string", "Het blad in dat werkboek", {}),
    "bronregel": ("integer", "De regel op dat blad", {}),
}
# The partijen, the ondertekening and the indicatoren: their own columns (the Ondertekening's
# akkoord, datum, naam, functie and voorbehoud are the spec's).
_PARTY_OWN: Own = {
    **_OWN,
    "naam": ("string", "Naam van de partij", {"constraints": {"required": True}}),
    "code": ("string", "CBS-code van de gemeente of L-nummer van de corporatie", {}),
}
_SIGNING_OWN: Own = {
    **_OWN,
    "partij": ("string", "Partij die tekent", {"constraints": {"required": True}}),
    "rol": ("string", "Rol van de partij, zoals op het blad Ondertekening", {}),
    "tekent_voor": ("string", "Waarvoor de partij tekent", {}),
    "niet_getekend": ("string", "Thema's die de huurdersorganisatie niet mee tekent", {}),
}
_INDICATOR_OWN: Own = {
    **_OWN,
    "code": ("string", "Code van de standaardindicator", {"constraints": {"required": True}}),
    "naam": ("string", "Naam van de indicator", {}),
    "eenheid": ("string", "Eenheid", {}),
    "soort": (
        "string",
        "stand (voorraad op een peildatum, niet over jaren op te tellen) of stroom (per jaar)",
        {"constraints": {"enum": list(INDICATOR_SOORTEN)}},
    ),
    "richting": (
        "string",
        "Wat beter is: hoger, lager of neutraal",
        {"constraints": {"enum": list(RICHTINGEN)}},
    ),
    "minimum": ("number", "Kleinste zinnige waarde (bereik)", {}),
    "maximum": ("number", "Grootste zinnige waarde (bereik)", {}),
    "bron": ("string", "Waar de sector de indicator meet", {}),
}
# The Table Schema type of each spec column type.
_TYPES = {
    "text": "string",
    "planning": "string",
    "enum": "string",
    "integer": "integer",
    "year": "integer",
    "decimal": "number",
    "percentage": "number",
    "money": "number",
    "date": "date",
}


@dataclass
class Resource:
    name: str
    path: str
    schema: dict[str, object]
    rows: list[dict[str, object]]
    description: str = ""

    def descriptor(self) -> dict[str, object]:
        return {
            "name": self.name,
            "path": self.path,
            "profile": "tabular-data-resource",
            "title": self.name.capitalize(),
            "description": self.description,
            "format": "csv",
            "mediatype": "text/csv",
            "encoding": "utf-8",
            "dialect": {"delimiter": ",", "header": True},
            "schema": self.schema,
        }


def afspraak_columns(*, toelichting: bool = False, herkomst: bool = False) -> list[str]:
    """The columns of the afspraken, the public ones and those chosen."""
    return [
        *AFSPRAAK_COLUMNS,
        *(TOELICHTING if toelichting else ()),
        *(HERKOMST if herkomst else ()),
    ]


def schemas(
    spec: Spec | None = None, *, toelichting: bool = True, herkomst: bool = True
) -> dict[str, dict[str, object]]:
    """The Table Schema of each resource (by default with every optional column: the schema
    version as a whole, what verzamel checks a package against)."""
    from pa_sheets.spec.model import load_spec

    spec = spec or load_spec()
    keys = ["gemeente_code", "jaar"]
    columns = afspraak_columns(toelichting=toelichting, herkomst=herkomst)
    return {
        "afspraken": _schema(
            spec,
            columns,
            [*keys, "l_nummer", "thema", "partij", "nummer"],
            _OWN,
            [
                {
                    # Within one package (one gemeente and year) the code is enough; an own
                    # indicator has none.
                    "fields": ["indicator_code"],
                    "reference": {"resource": "indicatoren", "fields": ["code"]},
                }
            ],
        ),
        "partijen": _schema(spec, list(PARTIJ_COLUMNS), [*keys, "rol", "naam"], _PARTY_OWN),
        "ondertekening": _schema(
            spec, list(SIGNING_COLUMNS), [*keys, "l_nummer", "partij"], _SIGNING_OWN
        ),
        "indicatoren": _schema(spec, list(INDICATOR_COLUMNS), [*keys, "code"], _INDICATOR_OWN),
    }


DESCRIPTIONS = {
    "afspraken": "Eén rij per afspraak en corporatie die haar aangaat. Een gedeelde afspraak "
    "staat er per corporatie, met wat die corporatie meldt; tel haar één keer.",
    "partijen": "De partijen van de afspraken.",
    "ondertekening": "Per corporatie wie tekende, wanneer en met welk voorbehoud.",
    "indicatoren": "De standaardindicatoren die de afspraken noemen.",
}


def package(
    merged: Merged, page: "Page", stem: str, *, toelichting: bool = False, herkomst: bool = False
) -> list[Resource]:
    """The resources of the page's package, each with its schema and rows."""
    where = _where(merged)
    afspraken = afspraak_rows(merged, page, toelichting=toelichting, herkomst=herkomst)
    rows = {
        "afspraken": afspraken,
        "partijen": _party_rows(merged, where),
        "ondertekening": _signing_rows(merged, where),
        "indicatoren": _indicator_rows(merged, afspraken, where),
    }
    made = schemas(merged.spec, toelichting=toelichting, herkomst=herkomst)
    return [
        Resource(name, f"{stem}-{name}.csv", made[name], rows[name], DESCRIPTIONS[name])
        for name in RESOURCES
    ]


def write_package(folder: Path, name: str, resources: list[Resource], title: str) -> list[Path]:
    """Write each resource's CSV and the datapackage.json; returns the files, the descriptor
    last. Through `write` (publish's atomic writer)."""
    written = []
    for resource in resources:
        path = folder / resource.path
        write_bytes(path, to_csv(resource.rows, _names(resource.schema)))
        written.append(path)
    descriptor = {
        "name": name,
        "title": title,
        "version": SCHEMA_VERSION,
        "schema_versie": SCHEMA_VERSION,
        "profile": "tabular-data-package",
        "licenses": [{"name": "CC0-1.0", "title": "Creative Commons Zero v1.0 Universal"}],
        "sources": [{"title": "pa-sheets", "path": "https://pypi.org/project/pa-sheets/"}],
        "resources": [resource.descriptor() for resource in resources],
    }
    path = folder / PACKAGE_FILE
    write_bytes(path, (json.dumps(descriptor, ensure_ascii=False, indent=2) + "\n").encode())
    written.append(path)
    return written


def to_csv(rows: Iterable[dict[str, object]], columns: list[str]) -> bytes:
    """CSV in UTF-8 with a byte order mark, every text csv_safe, whole numbers without .0."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(columns)
    for row in rows:
        writer.writerow([_cell(row.get(key)) for key in columns])
    return out.getvalue().encode(ENCODING)


def afspraak_rows(
    merged: Merged, page: "Page", *, toelichting: bool = False, herkomst: bool = False
) -> list[dict[str, object]]:
    """One row per afspraak of the page and corporatie it binds (fold.py): the agreed values
    in every row, what each corporatie reports in its own."""
    spec = merged.spec
    where = _where(merged)
    columns = afspraak_columns(toelichting=toelichting, herkomst=herkomst)
    long_keys = [k for k in columns if k not in WHERE and k not in _DERIVED]
    shares = [
        (row, share) for row in page.rows if row.folded is not None for share in row.folded.shares
    ]
    table = long_table(spec, merged.kind, [(s.source, s.record) for _, s in shares], long_keys)
    rows = []
    for index, (row, _share) in enumerate(shares):
        folded = row.folded
        assert folded is not None
        values: dict[str, object] = dict(where)
        values |= {key: table[col][index] for col, key in enumerate(long_keys)}
        for key, value in folded.agreed.items():
            if key in values:
                values[key] = value
        values["partij"] = folded.partij
        values["gedeeld"] = folded.shared
        indicator = spec.indicator(str(values["indicator"])) if values.get("indicator") else None
        values["indicator_code"] = indicator.code if indicator is not None else None
        rows.append({key: _typed(spec, key, values.get(key)) for key in columns})
    return rows


def _where(merged: Merged) -> dict[str, object]:
    template = merged.template
    return {
        "gemeente_code": template.gemeente_code,
        "gemeente": template.gemeente,
        "jaar": int(template.years[0]),
    }


def _party_rows(merged: Merged, where: dict[str, object]) -> list[dict[str, object]]:
    found: dict[tuple[str, str], dict[str, object]] = {}
    for source in merged.sources:
        for party in source.parties:
            key = (party["rol"], party["naam"])
            found.setdefault(key, {**where, **{k: party.get(k) or None for k in PARTY_KEYS}})
    order = {rol: i for i, rol in enumerate(ROLES)}
    return sorted(found.values(), key=lambda r: (order.get(str(r["rol"]), 9), str(r["naam"])))


def _signing_rows(merged: Merged, where: dict[str, object]) -> list[dict[str, object]]:
    rows = []
    for source in merged.sources:
        signing = source.report.signing
        for party in signing.parties if signing is not None else ():
            values = party.to_dict()
            values["niet_getekend"] = ", ".join(party.niet_getekend) or None
            day = values.get("datum")
            values["datum"] = dt.date.fromisoformat(str(day)) if _iso(day) else None
            values |= {
                "l_nummer": source.template.l_nummer if source.template else None,
                "corporatie": source.corporatie,
            }
            rows.append({**where, **{k: values.get(k) for k in SIGNING_COLUMNS if k in values}})
    return rows


def _indicator_rows(
    merged: Merged, afspraken: list[dict[str, object]], where: dict[str, object]
) -> list[dict[str, object]]:
    named = {row["indicator_code"] for row in afspraken if row.get("indicator_code")}
    rows = []
    for indicator in merged.spec.indicators:
        if indicator.code in named:
            rows.append(
                {
                    **where,
                    "code": indicator.code,
                    "naam": indicator.naam,
                    "thema": indicator.thema,
                    "eenheid": indicator.eenheid,
                    "soort": indicator.soort,
                    "richting": indicator.richting,
                    "minimum": indicator.min,
                    "maximum": indicator.max,
                    "bron": indicator.bron or None,
                }
            )
    return rows


def _schema(
    spec: Spec,
    columns: list[str],
    primary: list[str],
    own: Own = _OWN,
    foreign: list[dict[str, object]] | None = None,
) -> dict[str, object]:
    schema: dict[str, object] = {
        "fields": [_field(spec, key, own) for key in columns],
        "primaryKey": primary,
        "missingValues": [""],
    }
    if foreign:
        schema["foreignKeys"] = foreign
    return schema


def _field(spec: Spec, key: str, own: Own) -> dict[str, object]:
    """A column as a Table Schema field: its type, description, unit and allowed values; from
    `own` when the column is described there, else from the spec's column of that key."""
    if key in own:
        kind, description, extra = own[key]
        field: dict[str, object] = {"name": key, "type": kind, "description": description}
        field.update(json.loads(json.dumps(extra)))  # a copy: the table stays as it is
        return field
    column = spec.columns[key]
    field = {"name": key, "type": _TYPES[column.type], "description": column.header}
    constraints: dict[str, object] = {}
    closed = column.type == "enum" and not column.open and not column.meerdere
    if closed and column.list_name != "partijen":  # the parties differ per workbook
        constraints["enum"] = spec.list_values(column.list_name)
    if column.type == "money":
        field["unit"] = "EUR"
    elif column.type == "percentage":
        field["unit"] = "fractie (0.95 is 95%)"
    elif column.in_eenheid:
        field["unit"] = "de eenheid van de rij (kolom eenheid)"
    if column.type == "year":
        constraints |= {"minimum": 1900, "maximum": 2200}
    if column.max_length and column.type == "text":
        constraints["maxLength"] = column.max_length
    if constraints:
        field["constraints"] = constraints
    return field


def _names(schema: dict[str, object]) -> list[str]:
    return [str(field["name"]) for field in schema["fields"]]  # type: ignore[attr-defined]


def _typed(spec: Spec, key: str, value: object) -> object:
    """A value in its column's type: a whole number of an integer column an int."""
    if value is None or value == "":
        return None
    column = spec.columns.get(key)
    whole = key in ("jaar", "bronregel") or (
        column is not None and column.type in ("integer", "year")
    )
    if whole and isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, dt.datetime):
        return value.date()
    if key in SPAN and isinstance(value, dt.date):
        return value
    return value


def _cell(value: object) -> object:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "ja" if value else "nee"
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, dt.date):
        return value.isoformat()
    return csv_safe(value)


def _iso(value: object) -> bool:
    try:
        dt.date.fromisoformat(str(value))
    except ValueError:
        return False
    return True


def write_bytes(path: Path, data: bytes) -> None:
    """Write a published file whole or not at all."""
    with atomic_path(path) as temp:
        temp.write_bytes(data)


__all__ = [
    "ENCODING",
    "PACKAGE_FILE",
    "RESOURCES",
    "SCHEMA_VERSION",
    "SINCE_1_1",
    "SINCE_1_2",
    "Resource",
    "afspraak_columns",
    "package",
    "to_csv",
    "write_bytes",
    "write_package",
]
