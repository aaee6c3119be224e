"""The set-up workbook (opzetwerkboek): a gemeente config as a spreadsheet, for a coordinator
who works in Excel, not in YAML. Its layout (sheets, columns, guidance) is defined here once;
workbook/opzet.py writes it, `read_setup` reads it back into the same data a YAML config holds,
with the sheet and cell of every value, so a mistake is reported where the coordinator typed it.

The meaning is the config's: `read_setup` gives the mapping load_config checks (the pydantic
model of config_schema, then the checks across its parts), and `config_data` turns a Config
back into that mapping (for a set-up that starts from last year's overview or jaarschijven).
`yaml_text` writes the mapping as YAML: both ways are lossless for what a config can say,
apart from three spellings with one meaning: a list of one huurdersorganisatie is written as
that one, a list of one trekker as that one, and leaving out `themas` (the standard set) as
the standard set named in full."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from pathlib import Path

import yaml

from pa_sheets.spec.config_schema import KORT_MAX, CellRef, Problem
from pa_sheets.spec.kalender import GROND_AFSPRAKEN, GROND_BOD, WETTELIJK, day_month

# The sheets, in the order of the workbook.
UITLEG = "Uitleg"
GEMEENTE = "Gemeente"
THEMAS = "Thema's"
CORPORATIES = "Corporaties"
PARTNERS = "Partners"
LOPEND = "Lopende afspraken"
INDICATOREN = "Eigen indicatoren"
LISTS = "_lijsten"
SHEETS = (UITLEG, GEMEENTE, THEMAS, CORPORATIES, PARTNERS, LOPEND, INDICATOREN)
# Rows (0-based) of a sheet: its title, its explanation, the header, then the values.
TITLE_ROW, UITLEG_ROW, HEADER_ROW = 0, 1, 3
FIRST_ROW = HEADER_ROW + 1
# How many empty rows each table offers below what it holds (more may be inserted).
EMPTY_ROWS = {THEMAS: 10, CORPORATIES: 20, PARTNERS: 15, LOPEND: 150, INDICATOREN: 20}

PARTNER, VERBAND, FEDERATIE = "partner", "samenwerkingsverband", "huurdersfederatie"
SOORTEN = (PARTNER, VERBAND, FEDERATIE)
# The config's section of each soort on the Partners sheet.
SECTIONS = {
    PARTNER: "partners",
    VERBAND: "samenwerkingsverbanden",
    FEDERATIE: "huurdersfederaties",
}
ALLE = "alle"
ROLES = ("gemeente", "corporatie", "huurdersorganisatie")


@dataclass(frozen=True)
class Field:
    """A value the coordinator fills in: a row of a form or a column of a table."""

    key: str  # the config key (or, for a table of several lists, a key of this module)
    header: str
    help: str
    width: float = 16
    # text, year, number, money, planning, list (comma-separated), mijlpalen, aandelen
    kind: str = "text"
    required: bool = False
    choices: str | None = None  # the _lijsten column of its dropdown
    open: bool = False  # another value than the dropdown's may be typed


# The Gemeente sheet is a form: a row per value, at a fixed place. (section, key) -> Field.
GEMEENTE_FIELDS: tuple[tuple[str, Field], ...] = (
    ("gemeente", Field("naam", "Naam van de gemeente", "Bijv. Voorbeeldstad.", required=True)),
    (
        "gemeente",
        Field(
            "code",
            "CBS-code",
            "GM gevolgd door 4 cijfers, bijv. GM0344 (de code van het CBS).",
            required=True,
        ),
    ),
    (
        "gemeente",
        Field(
            "kort",
            "Korte naam",
            f"Mag leeg: dan 'Gemeente'. Wordt deel van bladnamen: hoogstens {KORT_MAX} tekens.",
        ),
    ),
    (
        "periode",
        Field(
            "eerste_jaar",
            "Eerste jaar",
            "Het eerste jaar van de prestatieafspraken, bijv. 2026.",
            kind="year",
            required=True,
        ),
    ),
    (
        "periode",
        Field(
            "laatste_jaar",
            "Laatste jaar",
            "Het laatste jaar (hoogstens 10 jaar na het eerste), bijv. 2030.",
            kind="year",
            required=True,
        ),
    ),
    (
        "termijnen",
        Field(
            "bod",
            "Termijn van het bod",
            f"Alleen als de partijen een andere dag afspraken dan de wet ({WETTELIJK.bod_text}, "
            f"{GROND_BOD}): dag en maand, bijv. 15 juni. Leeg: {WETTELIJK.bod_text}.",
        ),
    ),
    (
        "termijnen",
        Field(
            "afspraken",
            "Termijn van de afspraken",
            "Alleen als de partijen een andere dag afspraken dan de wet "
            f"({WETTELIJK.afspraken_text}, {GROND_AFSPRAKEN}): dag en maand, bijv. 1 december. "
            f"Leeg: {WETTELIJK.afspraken_text}.",
        ),
    ),
)

THEMA_FIELDS = (
    Field(
        "code",
        "Code",
        "De code van het thema: een standaardthema (BS, BT, VD, WZ, AG, LB, SW) of een eigen "
        "code van 2 tot 4 hoofdletters of cijfers, bijv. T1.",
        8,
        required=True,
        choices="themas",
        open=True,
    ),
    Field(
        "naam",
        "Naam",
        "Bij een standaardthema mag dit leeg blijven; een eigen thema heeft een naam.",
        44,
    ),
    Field("omschrijving", "Omschrijving", "Waar het thema over gaat (mag leeg).", 60),
)

CORPORATIE_FIELDS = (
    Field("naam", "Naam van de corporatie", "De volledige naam.", 34, required=True),
    Field(
        "kort",
        "Korte naam",
        f"Wordt deel van bladnamen en bestandsnamen: hoogstens {KORT_MAX} tekens. "
        "Mag leeg: dan afgeleid van de naam.",
        16,
    ),
    Field(
        "l_nummer",
        "L-nummer",
        "Het nummer bij de Autoriteit woningcorporaties: L en 4 cijfers, bijv. L1234.",
        10,
        required=True,
    ),
    Field(
        "ho_naam",
        "Huurdersorganisatie",
        "De naam van de huurdersorganisatie. Leeg als de corporatie er geen heeft. Een tweede: "
        "een regel eronder met alleen de huurdersorganisatie.",
        34,
    ),
    Field(
        "ho_kort",
        "Korte naam huurdersorganisatie",
        "Mag leeg: dan HO en de korte naam van de corporatie.",
        18,
    ),
)

PARTNER_FIELDS = (
    Field(
        "soort",
        "Soort",
        "partner: tekent voor een of meer thema's (bijv. een zorgpartij). "
        "samenwerkingsverband: corporaties die samen als één partij optreden. "
        "huurdersfederatie: een federatie of koepel van huurdersorganisaties die de huurders "
        "van een of meer corporaties vertegenwoordigt, naast hun eigen huurdersorganisaties; "
        "zij tekent zoals een huurdersorganisatie.",
        20,
        choices="soorten",
    ),
    Field("naam", "Naam", "De volledige naam.", 34, required=True),
    Field(
        "kort",
        "Korte naam",
        f"Wordt deel van bladnamen: hoogstens {KORT_MAX} tekens. In de lopende afspraken "
        "noemt u de partij bij deze korte naam.",
        16,
    ),
    Field(
        "themas",
        "Thema's (partner)",
        "De themacodes waarvoor de partner tekent, met komma's ertussen, bijv. WZ, AG.",
        18,
        kind="list",
    ),
    Field(
        "corporaties",
        "Corporaties (verband, federatie)",
        "Samenwerkingsverband: de korte namen van minstens twee corporaties. "
        "Huurdersfederatie: de corporaties wier huurders zij vertegenwoordigt. Met komma's "
        "ertussen.",
        28,
        kind="list",
    ),
)

LOPEND_FIELDS = (
    Field(
        "nummer",
        "Nummer",
        "Vast nummer: themacode, streepje, volgnummer, bijv. BT-03. Blijft in volgende jaren "
        "gelijk.",
        9,
        required=True,
    ),
    Field(
        "corporatie",
        "Corporatie",
        "alle (of leeg): de afspraak staat in het werkboek van elke corporatie. "
        "Of de korte naam van één corporatie.",
        14,
        choices="corporaties",
        open=True,
    ),
    Field(
        "partij",
        "Partij",
        "Op wiens tabblad de afspraak staat: gemeente, corporatie, huurdersorganisatie, of "
        "de korte naam van een partner, samenwerkingsverband of huurdersfederatie.",
        16,
        required=True,
        choices="partijen",
        open=True,
    ),
    Field("afspraak", "Afspraak", "Wat wordt er gedaan, in een of twee zinnen.", 50, required=True),
    Field(
        "type",
        "Type afspraak",
        "Het soort afspraak volgens de Handreiking.",
        20,
        required=True,
        choices="types",
    ),
    Field(
        "trekker",
        "Trekker",
        "De partij die trekt (zoals bij Partij). Meer: met komma's ertussen, bijv. gemeente, "
        "corporatie.",
        16,
        kind="list",
        choices="partijen",
        open=True,
    ),
    Field(
        "betrokken",
        "Betrokken partijen",
        "Partijen die meewerken zonder te trekken, met komma's ertussen.",
        16,
        kind="list",
        choices="partijen",
        open=True,
    ),
    Field(
        "indicator",
        "Indicator",
        "Wat wordt gemeten. Kies een standaardindicator uit de lijst (of typ haar code, bijv. "
        "BS01), of een eigen indicator uit het blad Eigen indicatoren.",
        34,
        choices="indicatoren",
        open=True,
    ),
    Field(
        "eenheid",
        "Eenheid",
        "De eenheid van nulmeting en streefwaarde (bij een standaardindicator de hare).",
        11,
        choices="eenheden",
    ),
    Field("nulmeting", "Nulmeting", "De beginwaarde, in de eenheid.", 10, kind="number"),
    Field("nulmeting_jaar", "Jaar nulmeting", "Bijv. 2025.", 9, kind="year"),
    Field("streefwaarde", "Streefwaarde", "De waarde die bereikt moet worden.", 11, kind="number"),
    Field(
        "doelsoort",
        "Streefwaarde is",
        "minimaal (of leeg), maximaal, ongeveer, exact, of bandbreedte (van Streefwaarde tot "
        "Streefwaarde tot).",
        11,
        choices="doelsoorten",
    ),
    Field(
        "planning",
        "Planning",
        "Een datum (31-12-2027), kwartaal (Q3 2027), jaar (2027), periode (2024-2028), eind "
        "2028, of hoe vaak (maandelijks, jaarlijks, doorlopend).",
        12,
        kind="planning",
    ),
    Field(
        "mijlpalen",
        "Mijlpalen",
        "Bij een doel over meer jaren: per jaar wat dan bereikt moet zijn (opgeteld), "
        "bijv. 2026: 300; 2027: 620.",
        18,
        kind="mijlpalen",
    ),
    Field("bijdrage", "Bijdrage (EUR)", "In euro's, als getal.", 13, kind="money"),
    Field(
        "scope",
        "Doel geldt voor",
        "deze corporatie (of leeg), alle corporaties of gemeente.",
        14,
        choices="scopes",
    ),
    Field("kern", "Wijk of kern", "Leeg als de afspraak overal geldt.", 14),
    Field("kader", "Kader", "Welk doel van woonvisie of programma de afspraak dient.", 20),
    Field(
        "bronnummer",
        "Nummer in bron",
        "Het nummer in het document van de gemeente, bijv. 2.1.1 (mag leeg).",
        10,
    ),
    # Spec 1.5: the target forms, after the columns a set-up workbook had before.
    Field(
        "streefwaarde_tot",
        "Streefwaarde tot",
        "Alleen bij een bandbreedte (1.900 tot 2.500): de bovengrens.",
        10,
        kind="number",
    ),
    Field(
        "referentie",
        "Ten opzichte van",
        "Alleen bij een doel zonder getal, bijv. inflatie: laat Streefwaarde dan leeg; "
        "Streefwaarde is zegt de richting (maximaal: niet meer dan).",
        14,
        choices="referenties",
        open=True,
    ),
    Field(
        "doeltermijn",
        "Streefwaarde geldt",
        "in totaal (of leeg): over de hele planning. per jaar: elk jaar opnieuw.",
        11,
        choices="doeltermijnen",
    ),
    # Spec 1.6: a corporatie's aandeel in a joint target, after the columns of 1.5.
    Field(
        "aandelen",
        "Aandelen",
        "Alleen bij een doel van de corporaties samen: per corporatie haar deel, bijv. "
        "Tiwos: 375; TBV Wonen: 500.",
        18,
        kind="aandelen",
    ),
)

INDICATOR_FIELDS = (
    Field(
        "naam",
        "Eigen indicator",
        "Een indicator die niet in de standaardlijst staat. Kies hem daarna bij een afspraak.",
        40,
        required=True,
    ),
    Field(
        "eenheid",
        "Eenheid",
        "Waarin hij gemeten wordt. Een afspraak met deze indicator en zonder eenheid krijgt deze.",
        12,
        required=True,
        choices="eenheden",
    ),
)

TABLES = {
    THEMAS: THEMA_FIELDS,
    CORPORATIES: CORPORATIE_FIELDS,
    PARTNERS: PARTNER_FIELDS,
    LOPEND: LOPEND_FIELDS,
    INDICATOREN: INDICATOR_FIELDS,
}


def cell_name(row: int, col: int) -> str:
    """A 0-based cell as Excel names it: (4, 2) -> C5."""
    letters, n = "", col + 1
    while n:
        n, rest = divmod(n - 1, 26)
        letters = chr(ord("A") + rest) + letters
    return f"{letters}{row + 1}"


# ---------------------------------------------------------------------------------------------
# The data of a config, as the set-up workbook shows it.
# ---------------------------------------------------------------------------------------------


def join_list(value: object) -> str | None:
    """A list of codes or parties as one cell: 'gemeente, corporatie'."""
    if value is None:
        return None
    if isinstance(value, list):
        return ", ".join(str(item) for item in value)
    return str(value)


def mijlpalen_text(value: object) -> str | None:
    """{2026: 300, 2027: 620.5} as one cell: '2026: 300; 2027: 620,5'."""
    if not isinstance(value, dict):
        return None if value is None else str(value)
    return "; ".join(f"{year}: {_number_text(number)}" for year, number in value.items())


def aandelen_text(value: object) -> str | None:
    """{"Tiwos": 375, "TBV Wonen": 500} as one cell: 'Tiwos: 375; TBV Wonen: 500'."""
    if not isinstance(value, dict):
        return None if value is None else str(value)
    return "; ".join(f"{name}: {_number_text(number)}" for name, number in value.items())


def _number_text(value: object) -> str:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).replace(".", ",")


def table_rows(data: dict, sheet: str, spec) -> list[dict[str, object]]:
    """The rows of a table of the set-up workbook for the config `data` (its YAML mapping):
    per row the value of each Field key, as the cell holds it."""
    if sheet == THEMAS:
        return _thema_rows(data, spec)
    if sheet == CORPORATIES:
        return _corporatie_rows(data)
    if sheet == PARTNERS:
        return [
            {"soort": PARTNER, **entry, "themas": join_list(entry.get("themas"))}
            for entry in data.get("partners") or []
        ] + [
            {"soort": soort, **entry, "corporaties": join_list(entry.get("corporaties"))}
            for soort in (VERBAND, FEDERATIE)
            for entry in data.get(SECTIONS[soort]) or []
        ]
    if sheet == LOPEND:
        return [
            {
                **entry,
                "trekker": join_list(entry.get("trekker")),
                "betrokken": join_list(entry.get("betrokken")),
                "mijlpalen": mijlpalen_text(entry.get("mijlpalen")),
                "aandelen": aandelen_text(entry.get("aandelen")),
            }
            for entry in data.get("lopende_afspraken") or []
        ]
    if sheet == INDICATOREN:
        return own_indicators(data, spec)
    raise KeyError(sheet)


def own_indicators(data: dict, spec) -> list[dict[str, object]]:
    """The indicators of the lopende afspraken that are not standard, each once, with the
    eenheid it is measured in."""
    found: dict[str, dict[str, object]] = {}
    for entry in data.get("lopende_afspraken") or []:
        naam = entry.get("indicator")
        if naam is None or spec.indicator(str(naam)) is not None or str(naam) in found:
            continue
        found[str(naam)] = {"naam": naam, "eenheid": entry.get("eenheid")}
    return list(found.values())


def _thema_rows(data: dict, spec) -> list[dict[str, object]]:
    standard = {thema.code: thema for thema in spec.themas}
    themas = data.get("themas")
    if themas is None:  # the standard set
        themas = [thema.code for thema in spec.themas]
    rows = []
    for entry in themas:
        if isinstance(entry, dict):
            rows.append(dict(entry))
        else:
            thema = standard.get(str(entry))
            rows.append({"code": entry, "naam": thema.naam if thema else None})
    return rows


def _corporatie_rows(data: dict) -> list[dict[str, object]]:
    rows = []
    for entry in data.get("corporaties") or []:
        row = {key: entry.get(key) for key in ("naam", "kort", "l_nummer")}
        listed = entry.get("huurdersorganisatie")
        huurders = listed if isinstance(listed, list) else [listed] if listed else []
        first = huurders[0] if huurders else {}
        rows.append(row | {"ho_naam": first.get("naam"), "ho_kort": first.get("kort")})
        # A second and further huurdersorganisatie: a row with only its own columns.
        rows += [{"ho_naam": ho.get("naam"), "ho_kort": ho.get("kort")} for ho in huurders[1:]]
    return rows


def form_values(data: dict) -> list[object]:
    """The values of the Gemeente form, a row each, in the order of GEMEENTE_FIELDS."""
    return [(data.get(section) or {}).get(field.key) for section, field in GEMEENTE_FIELDS]


def config_data(config, spec) -> dict:
    """A Config as the mapping of a YAML config: what the set-up workbook shows of a config
    made from last year's overview or jaarschijven (cycle/rollover.py config_from)."""
    data: dict = {
        "gemeente": {"naam": config.gemeente.naam, "code": config.gemeente.code},
        "periode": {"eerste_jaar": config.eerste_jaar, "laatste_jaar": config.laatste_jaar},
    }
    if config.gemeente.kort != "Gemeente":
        data["gemeente"]["kort"] = config.gemeente.kort
    termijnen = {
        key: day_month(getattr(config.termijnen, key))
        for key in ("bod", "afspraken")
        if getattr(config.termijnen, key) != getattr(WETTELIJK, key)
    }
    if termijnen:
        data["termijnen"] = termijnen
    standard = {thema.code: thema for thema in spec.themas}
    data["themas"] = [
        thema.code
        if thema.code in standard and standard[thema.code].naam == thema.naam
        else _own_thema(thema)
        for thema in config.themas
    ]
    data["corporaties"] = []
    for corporatie in config.corporaties:
        entry: dict = {
            "naam": corporatie.party.naam,
            "kort": corporatie.party.kort,
            "l_nummer": corporatie.party.code,
        }
        huurders = [{"naam": ho.naam, "kort": ho.kort} for ho in corporatie.huurdersorganisaties]
        if huurders:
            entry["huurdersorganisatie"] = huurders[0] if len(huurders) == 1 else huurders
        data["corporaties"].append(entry)
    if config.verbanden:
        data["samenwerkingsverbanden"] = [
            {"naam": v.naam, "kort": v.kort, "corporaties": list(v.leden or ())}
            for v in config.verbanden
        ]
    if config.federaties:
        data["huurdersfederaties"] = [
            {"naam": f.naam, "kort": f.kort, "corporaties": list(f.leden or ())}
            for f in config.federaties
        ]
    if config.partners:
        data["partners"] = [
            {"naam": p.naam, "kort": p.kort, "themas": list(p.themas or ())}
            for p in config.partners
        ]
    rows = [_lopend_data(row) for row in config.lopend]
    if rows:
        data["lopende_afspraken"] = rows
    return data


def _lopend_data(row) -> dict:
    """A lopende afspraak as its entry in a YAML config, its keys in the set-up workbook's
    order."""
    keys = [field.key for field in LOPEND_FIELDS]
    values = dict(row.values)
    entry = {"nummer": row.nummer, "corporatie": row.corporatie, "partij": row.partij}
    for key in keys:
        value = values.get(key)
        if key in entry or value is None:
            continue
        if key in ("trekker", "betrokken"):
            names = str(value).split(", ")
            value = names[0] if len(names) == 1 else names
        elif isinstance(value, float):  # read back from a workbook: 2025.0 is 2025
            value = _plain(value)
        entry[key] = value
    if row.mijlpalen:
        entry["mijlpalen"] = {year: _plain(value) for year, value in row.mijlpalen}
    if row.aandelen:
        entry["aandelen"] = {kort: _plain(value) for kort, value in row.aandelen}
    return {key: entry[key] for key in keys if key in entry}


def _own_thema(thema) -> dict:
    entry = {"code": thema.code, "naam": thema.naam}
    return entry | ({"omschrijving": thema.omschrijving} if thema.omschrijving else {})


def _plain(value: float) -> int | float:
    return int(value) if float(value).is_integer() else value


# ---------------------------------------------------------------------------------------------
# YAML.
# ---------------------------------------------------------------------------------------------


class _Dumper(yaml.SafeDumper):
    """A list of plain values on one line ([BS, BT]); everything else in block style."""


def _represent_list(dumper: yaml.SafeDumper, value: list) -> yaml.Node:
    flow = all(isinstance(item, str | int | float) for item in value)
    return dumper.represent_sequence("tag:yaml.org,2002:seq", value, flow_style=flow)


_Dumper.add_representer(list, _represent_list)

YAML_HEAD = (
    "# Gemeenteconfig van pa-sheets, geschreven door `pa-sheets opzet` uit {bron}.\n"
    "# De sleutels staan in docs/config.md.\n"
)


def yaml_text(data: dict, source: str) -> str:
    """The config mapping as YAML, in the order of the keys of a config."""
    body = yaml.dump(data, Dumper=_Dumper, allow_unicode=True, sort_keys=False, width=100, indent=2)
    return YAML_HEAD.format(bron=source) + body


# ---------------------------------------------------------------------------------------------
# Reading a set-up workbook.
# ---------------------------------------------------------------------------------------------


def is_setup_file(path: Path) -> bool:
    """Whether `path` is a workbook (told by its name or its first bytes), not a YAML file."""
    if path.suffix.lower() in (".xlsx", ".xlsm"):
        return True
    try:
        if not path.is_file():  # a FIFO would block the read; the YAML reader refuses it
            return False
        with path.open("rb") as handle:
            return handle.read(4) == b"PK\x03\x04"
    except OSError:
        return False


@dataclass
class Setup:
    """What a set-up workbook holds: the config mapping, the cell of every key path in it, and
    the mistakes found while reading (a value in the wrong column, a list that is no list)."""

    data: dict
    cells: dict[tuple, CellRef]
    problems: list[Problem]


def read_setup(path: Path, spec) -> Setup:
    """Read a set-up workbook into the mapping of a YAML config. Raises ConfigError when it is
    no set-up workbook at all; reports each value it cannot place as a Problem at its cell."""
    from pa_sheets.check.safety import open_xlsx, reader_failed, scan_file
    from pa_sheets.errors import ConfigError, UnusableWorkbook

    try:
        scan_file(path)
        workbook = open_xlsx(path)
        names = list(workbook.sheet_names)
        missing = [name for name in (GEMEENTE, CORPORATIES) if name not in names]
        if missing:
            raise ConfigError(
                f"{path}: dit is geen opzetwerkboek (geen blad {missing[0]}); maak er een met "
                "pa-sheets opzet --out opzet.xlsx, of geef een config in YAML."
            )
        lost = [name for name in SHEETS[1:] if name not in names]
        if lost:  # renamed or deleted: what it held would silently be gone
            raise ConfigError(
                f"{path}: het blad {', '.join(lost)} ontbreekt; het is hernoemd of verwijderd. "
                "Geef het zijn naam terug, of begin opnieuw met pa-sheets opzet."
            )
        grids = {
            name: workbook.get_sheet_by_name(name).to_python(skip_empty_area=False)
            for name in SHEETS[1:]
        }
    except (ConfigError, UnusableWorkbook):
        raise
    except BaseException as exc:  # a reader's panic (calamine) is a damaged file
        raise reader_failed(path, exc) from None
    return _Reader(grids, spec).read()


class _Reader:
    def __init__(self, grids: dict[str, list[list[object]]], spec):
        self.grids, self.spec = grids, spec
        self.cells: dict[tuple, CellRef] = {}
        self.problems: list[Problem] = []
        self.data: dict = {}

    def read(self) -> Setup:
        self._gemeente()
        self._themas()
        self._corporaties()
        self._partners()
        self._lopend()
        return Setup(self.data, self.cells, self.problems)

    # -- the sheets ---------------------------------------------------------------------------

    def _gemeente(self) -> None:
        grid = self.grids[GEMEENTE]
        for index, (section, field) in enumerate(GEMEENTE_FIELDS):
            row = FIRST_ROW + index
            ref = self._ref(GEMEENTE, row, 1, field.header)
            self.cells[(section, field.key)] = ref
            self.cells.setdefault((section,), self._ref(GEMEENTE, row, 1, field.header))
            value = self._value(grid, row, 1, field, ref)
            if value is not None:
                self.data.setdefault(section, {})[field.key] = value
        for section in ("gemeente", "periode"):
            self.data.setdefault(section, {})

    def _themas(self) -> None:
        standard = {thema.code: thema for thema in self.spec.themas}
        entries: list[object] = []
        self.cells[("themas",)] = self._ref(THEMAS, FIRST_ROW, 0, THEMA_FIELDS[0].header)
        for row, values in self._rows(THEMAS):
            at = ("themas", len(entries))
            self._place(THEMAS, row, at, THEMA_FIELDS)
            code, naam = values.get("code"), values.get("naam")
            thema = standard.get(str(code)) if code is not None else None
            if (
                thema is not None
                and naam in (None, thema.naam)
                and values.get("omschrijving") is None
            ):
                entries.append(code)
            else:
                entries.append(values)
        if entries or THEMAS in self.grids:
            self.data["themas"] = entries

    def _corporaties(self) -> None:
        # A mistake in the list as a whole (none at all): at its first row.
        self.cells[("corporaties",)] = self._ref(
            CORPORATIES, FIRST_ROW, 0, CORPORATIE_FIELDS[0].header
        )
        corporaties: list[dict] = []
        huurders: list[list[tuple[int, dict]]] = []  # per corporatie: (row, huurdersorganisatie)
        last = -1
        for row, values in self._rows(CORPORATIES):
            ho = {key: values[f"ho_{key}"] for key in ("naam", "kort") if f"ho_{key}" in values}
            own = {key: values[key] for key in ("naam", "kort", "l_nummer") if key in values}
            follows, last = row == last + 1, row
            if not own and corporaties and not follows:
                self._problem(
                    CORPORATIES,
                    row,
                    3,
                    "een huurdersorganisatie zonder corporatie: zet haar direct onder haar "
                    "corporatie (zonder lege regel ertussen), of vul de corporatie in",
                )
            elif not own and corporaties:  # a further huurdersorganisatie of the one above
                huurders[-1].append((row, ho))
            else:
                self._place(
                    CORPORATIES, row, ("corporaties", len(corporaties)), CORPORATIE_FIELDS[:3]
                )
                corporaties.append(own)
                huurders.append([(row, ho)] if ho else [])
        for i, (entry, listed) in enumerate(zip(corporaties, huurders, strict=True)):
            at = ("corporaties", i, "huurdersorganisatie")
            if len(listed) == 1:
                entry["huurdersorganisatie"] = listed[0][1]
                self._place_ho(listed[0][0], at)
            elif listed:
                entry["huurdersorganisatie"] = [ho for _, ho in listed]
                self._place_ho(listed[0][0], at)
                for j, (row, _) in enumerate(listed):
                    self._place_ho(row, (*at, j))
        self.data["corporaties"] = corporaties

    def _place_ho(self, row: int, at: tuple) -> None:
        self.cells[at] = self._ref(CORPORATIES, row, 3, CORPORATIE_FIELDS[3].header)
        for key, col in (("naam", 3), ("kort", 4)):
            self.cells[(*at, key)] = self._ref(CORPORATIES, row, col, CORPORATIE_FIELDS[col].header)

    def _partners(self) -> None:
        found: dict[str, list[dict]] = {soort: [] for soort in SOORTEN}
        for row, values in self._rows(PARTNERS):
            soort = values.pop("soort", None)
            if soort is None:
                soort = VERBAND if "corporaties" in values and "themas" not in values else PARTNER
            if soort not in SOORTEN:
                self._problem(
                    PARTNERS,
                    row,
                    0,
                    f"kies partner, samenwerkingsverband of huurdersfederatie, niet {soort!r}",
                )
                continue
            listed, other = found[soort], "corporaties" if soort == PARTNER else "themas"
            at = (SECTIONS[soort], len(listed))
            self._place(PARTNERS, row, at, PARTNER_FIELDS)
            if values.pop(other, None) is not None:
                col = [f.key for f in PARTNER_FIELDS].index(other)
                what = "thema's" if other == "themas" else "corporaties"
                self._problem(
                    PARTNERS, row, col, f"een {soort} heeft geen {what}; maak deze cel leeg"
                )
            listed.append(values)
        for soort, listed in found.items():
            if listed:
                self.data[SECTIONS[soort]] = listed

    def _lopend(self) -> None:
        own = self._own_indicators()
        rows: list[dict] = []
        eenheid = [field.key for field in LOPEND_FIELDS].index("eenheid")
        for row, values in self._rows(LOPEND):
            at = ("lopende_afspraken", len(rows))
            self._place(LOPEND, row, at, LOPEND_FIELDS)
            indicator = values.get("indicator")
            if indicator is not None and str(indicator) in own:
                if "eenheid" not in values:
                    values["eenheid"] = own[str(indicator)]
                elif values["eenheid"] != own[str(indicator)]:
                    self._problem(
                        LOPEND,
                        row,
                        eenheid,
                        f"{indicator} wordt volgens het blad {INDICATOREN} gemeten in "
                        f"{own[str(indicator)]}, niet in {values['eenheid']}; maak ze gelijk",
                    )
            rows.append(values)
        if rows:
            self.data["lopende_afspraken"] = rows

    def _own_indicators(self) -> dict[str, object]:
        """Own indicator -> its eenheid; one of the standard list, or without eenheid, is a
        mistake at its cell."""
        own = {}
        for row, values in self._rows(INDICATOREN):
            naam = values.get("naam")
            if naam is not None and self.spec.indicator(str(naam)) is not None:
                self._problem(
                    INDICATOREN, row, 0, f"{naam} staat al in de standaardlijst; haal hem hier weg"
                )
            elif naam is None:
                self._problem(INDICATOREN, row, 0, "deze cel is leeg; vul de naam in")
            elif "eenheid" not in values:
                self._problem(INDICATOREN, row, 1, "deze cel is leeg; kies de eenheid")
            else:
                own[str(naam)] = values["eenheid"]
        return own

    # -- cells --------------------------------------------------------------------------------

    def _rows(self, sheet: str):
        """(row, values) of each row of a table that holds anything, values by Field key."""
        grid = self.grids.get(sheet)
        if grid is None:
            return
        fields = TABLES[sheet]
        for row in range(FIRST_ROW, len(grid)):
            line = grid[row]
            if all(_empty(cell) for cell in line[: len(fields)]):
                continue
            values: dict[str, object] = {}
            for col, field in enumerate(fields):
                ref = self._ref(sheet, row, col, field.header)
                value = self._value(grid, row, col, field, ref)
                if value is not None:
                    values[field.key] = value
            if values:
                yield row, values

    def _place(self, sheet: str, row: int, at: tuple, fields) -> None:
        """The cells of a row's keys (also the empty ones: a missing key is shown there)."""
        self.cells[at] = self._ref(sheet, row, 0, fields[0].header)
        for col, field in enumerate(TABLES[sheet]):
            if field in fields:
                self.cells[(*at, field.key)] = self._ref(sheet, row, col, field.header)

    def _value(self, grid, row: int, col: int, field: Field, ref: CellRef) -> object:
        """A cell as the config holds it: text as text (a number typed as text stays one,
        pydantic says what it should be), a whole number as an int, a list split."""
        cell = grid[row][col] if row < len(grid) and col < len(grid[row]) else None
        if _empty(cell):
            return None
        if isinstance(cell, str):
            cell = cell.strip()
        if isinstance(cell, dt.datetime):
            cell = cell.date() if cell.time() == dt.time() else cell
        if isinstance(cell, float) and cell.is_integer() and abs(cell) < 2**53:
            cell = int(cell)
        if field.kind == "list":
            parts = [part.strip() for part in re.split(r"[,;]", str(cell)) if part.strip()]
            # One trekker is written as that one, as in YAML; a partner's themas stay a list.
            return parts[0] if len(parts) == 1 and field.key in ("trekker", "betrokken") else parts
        if field.kind == "planning" and isinstance(cell, int):
            return str(cell)
        if field.kind == "year" and isinstance(cell, str) and cell.isdigit():
            return int(cell)  # a year typed in a cell formatted as text
        if field.kind == "mijlpalen":
            return self._mijlpalen(cell, ref)
        if field.kind == "aandelen":
            return self._aandelen(cell, ref)
        if field.kind == "text" and isinstance(cell, float):
            return str(cell)  # a bronnummer 2.1, typed and read as a number
        return cell

    def _mijlpalen(self, cell: object, ref: CellRef) -> object:
        table: dict[int, int | float] = {}
        for part in str(cell).split(";"):
            match = re.fullmatch(r"\s*([0-9]{4})\s*:\s*(-?[0-9]+(?:[.,][0-9]+)?)\s*", part)
            if match is None:
                self.problems.append(
                    Problem(
                        "",
                        f"{str(cell)!r} is geen reeks mijlpalen: schrijf per jaar jaar en "
                        "waarde, met puntkomma's ertussen, bijv. 2026: 300; 2027: 620",
                        None,
                        ref,
                    )
                )
                return None
            table[int(match.group(1))] = _plain(float(match.group(2).replace(",", ".")))
        return table

    def _aandelen(self, cell: object, ref: CellRef) -> object:
        table: dict[str, int | float] = {}
        for part in str(cell).split(";"):
            match = re.fullmatch(r"\s*([^:;]*[^:;\s])\s*:\s*([0-9]+(?:[.,][0-9]+)?)\s*", part)
            if match is None:
                self.problems.append(
                    Problem(
                        "",
                        f"{str(cell)!r} is geen reeks aandelen: schrijf per corporatie naam en "
                        "deel, met puntkomma's ertussen, bijv. Tiwos: 375; TBV Wonen: 500",
                        None,
                        ref,
                    )
                )
                return None
            table[match.group(1)] = _plain(float(match.group(2).replace(",", ".")))
        return table

    def _ref(self, sheet: str, row: int, col: int, label: str) -> CellRef:
        return CellRef(sheet, cell_name(row, col), label, (SHEETS.index(sheet), row, col))

    def _problem(self, sheet: str, row: int, col: int, message: str) -> None:
        header = TABLES[sheet][col].header if sheet in TABLES else ""
        self.problems.append(Problem("", message, None, self._ref(sheet, row, col, header)))


def _empty(cell: object) -> bool:
    return cell is None or (isinstance(cell, str) and not cell.strip())
