"""Load and check a gemeente config: the gemeente, the period, the parties, the themes and the
agreements that run on from earlier years. Every error names the file and the exact key."""

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

from pa_sheets.errors import ConfigError
from pa_sheets.spec.model import THEMA_CODE, Spec, Thema, bereik_text
from pa_sheets.spec.planning import planning_span
from pa_sheets.spec.yamlfile import Section, load_yaml

# The CBS gemeentecode: GM + 4 digits. "0344" is also seen in the field and is normalised.
GEMEENTE_CODE = r"(GM)?[0-9]{4}"
# The Autoriteit woningcorporaties registers corporaties by L-number. The pattern L + 4 digits
# is how the field writes it, not an official definition: keep it here and nowhere else.
L_NUMMER = r"L[0-9]{4}"
# A short name becomes part of a sheet name ("BT " + kort): Excel allows 31 characters and
# refuses []:*?/\ ; an apostrophe would need quoting in every formula, so it is refused too.
KORT_MAX = 24
KORT_FORBIDDEN = "[]:*?/\\'"
YEARS = (2000, 2100)
ALLE = "alle"


@dataclass(frozen=True)
class Party:
    rol: str
    naam: str
    kort: str
    code: str | None = None
    themas: tuple[str, ...] | None = None  # partners (rol overig) sign for some themes only
    # A samenwerkingsverband (a federatie of corporaties): the korts of its corporaties. It is a
    # party of its own (rol overig) in the workbook of each of them.
    leden: tuple[str, ...] | None = None

    @property
    def display(self) -> str:
        """The name as a trekker dropdown and the cover sheet show it."""
        if self.rol == "gemeente" and not self.naam.casefold().startswith("gemeente"):
            return f"Gemeente {self.naam}"
        return self.naam


@dataclass(frozen=True)
class Corporatie:
    party: Party
    huurders: Party  # the (first) huurdersorganisatie
    meer_huurders: tuple[Party, ...] = ()  # a second and further one, each with a tab

    @property
    def huurdersorganisaties(self) -> tuple[Party, ...]:
        return (self.huurders, *self.meer_huurders)


@dataclass(frozen=True)
class LopendeAfspraak:
    """An agreement from earlier years that comes back as a going-concern row."""

    nummer: str
    thema: str
    partij: str  # a rol (gemeente, corporatie, huurdersorganisatie) or a partner's kort
    corporatie: str  # a corporatie's kort, or "alle"
    values: dict[str, object]  # column key -> value, as written in the workbook
    # A target over several years: (year, what must be reached by the end of it), cumulative.
    mijlpalen: tuple[tuple[int, float], ...] = ()


@dataclass(frozen=True)
class Config:
    path: Path
    gemeente: Party
    eerste_jaar: int
    laatste_jaar: int
    themas: tuple[Thema, ...]
    corporaties: tuple[Corporatie, ...]
    partners: tuple[Party, ...]
    lopend: tuple[LopendeAfspraak, ...]
    verbanden: tuple[Party, ...] = ()  # samenwerkingsverbanden of corporaties

    def corporatie(self, kort: str) -> Corporatie:
        """The corporatie with this short name (case-insensitive)."""
        for corporatie in self.corporaties:
            if corporatie.party.kort.casefold() == kort.strip().casefold():
                return corporatie
        known = ", ".join(c.party.kort for c in self.corporaties)
        raise ConfigError(f"{self.path}: geen corporatie {kort!r} (wel: {known}).")

    def parties(self, corporatie: Corporatie) -> tuple[Party, ...]:
        """The parties of one corporatie's workbook: its lokale driehoek (every
        huurdersorganisatie), the samenwerkingsverbanden it is part of, then the partners."""
        kort = corporatie.party.kort
        verbanden = tuple(v for v in self.verbanden if kort in (v.leden or ()))
        return (
            self.gemeente,
            corporatie.party,
            *corporatie.huurdersorganisaties,
            *verbanden,
            *self.partners,
        )

    def check_year(self, year: int, what: str = "jaar") -> None:
        if not self.eerste_jaar <= year <= self.laatste_jaar:
            raise ConfigError(
                f"{what} {year} ligt buiten de periode {self.eerste_jaar}-{self.laatste_jaar} "
                f"van {self.path} (periode.eerste_jaar en periode.laatste_jaar)."
            )


def abbreviate(naam: str) -> str:
    """A short name from a full name, the same every time: drop characters Excel refuses in
    sheet names, then cut at the last whole word within KORT_MAX characters."""
    clean = " ".join("".join(" " if ch in KORT_FORBIDDEN else ch for ch in naam).split())
    if len(clean) <= KORT_MAX:
        return clean
    cut = clean[: KORT_MAX + 1].rsplit(" ", 1)[0]
    return cut if cut and len(cut) <= KORT_MAX else clean[:KORT_MAX]


def load_config(path: Path, spec: Spec, text: str | None = None) -> Config:
    """Read a gemeente config (YAML) and check it against the spec. `text`: the config as
    kept elsewhere (a basisbod keeps those of its gemeenten), `path` then says where."""
    path = Path(path)
    top = Section(load_yaml(path, ConfigError, text), "", path, ConfigError)
    top.only(
        [
            "gemeente",
            "periode",
            "themas",
            "corporaties",
            "samenwerkingsverbanden",
            "partners",
            "lopende_afspraken",
        ],
        required=("gemeente", "periode", "corporaties"),
    )
    gemeente = _gemeente(top.section("gemeente"))
    periode = top.section("periode")
    periode.only(["eerste_jaar", "laatste_jaar"], required=("eerste_jaar", "laatste_jaar"))
    first = periode.integer("eerste_jaar", low=YEARS[0], high=YEARS[1])
    last = periode.integer("laatste_jaar", low=YEARS[0], high=YEARS[1])
    if not first <= last <= first + 10:
        raise periode.fail("laatste_jaar", f"{last} moet tussen {first} en {first + 10} liggen")
    themas = _themas(top, spec)
    codes = [thema.code for thema in themas]
    corporaties = tuple(_corporatie(entry) for entry in top.sections("corporaties"))
    if not corporaties:
        raise top.fail("corporaties", "noem minstens een corporatie")
    partners = tuple(_partner(entry, codes) for entry in top.sections("partners", []))
    korts = [c.party.kort for c in corporaties]
    verbanden = tuple(
        _verband(entry, korts) for entry in top.sections("samenwerkingsverbanden", [])
    )
    _check_unique(top, corporaties, partners, verbanden)
    config = Config(path, gemeente, first, last, themas, corporaties, partners, (), verbanden)
    lopend = tuple(_lopend(entry, config, spec) for entry in top.sections("lopende_afspraken", []))
    _check_unique_nummers(top, config, lopend)
    return Config(path, gemeente, first, last, themas, corporaties, partners, lopend, verbanden)


# ---------------------------------------------------------------------------------------------
# Private helpers: one per part of the config.
# ---------------------------------------------------------------------------------------------


def _gemeente(section: Section) -> Party:
    section.only(["naam", "code", "kort"], required=("naam", "code"))
    if isinstance(section.raw("code"), int):
        # YAML reads 0344 as a number (even as octal): the leading zero would be lost.
        raise section.fail("code", 'zet de code tussen aanhalingstekens, bijv. "GM0344"')
    code = section.text(
        "code", pattern=GEMEENTE_CODE, hint="verwacht GM gevolgd door 4 cijfers, bijv. GM0344"
    )
    naam = section.text("naam")
    return Party("gemeente", naam, _kort(section, "Gemeente"), "GM" + code[-4:])


def _kort(section: Section, default: str) -> str:
    kort = section.text("kort", abbreviate(default))
    if len(kort) > KORT_MAX or any(ch in kort for ch in KORT_FORBIDDEN):
        raise section.fail(
            "kort", f"{kort!r}: hoogstens {KORT_MAX} tekens, zonder {KORT_FORBIDDEN}"
        )
    return kort


def _corporatie(section: Section) -> Corporatie:
    section.only(
        ["naam", "kort", "l_nummer", "huurdersorganisatie"],
        required=("naam", "l_nummer", "huurdersorganisatie"),
    )
    naam = section.text("naam")
    kort = _kort(section, naam)
    party = Party(
        "corporatie",
        naam,
        kort,
        section.text(
            "l_nummer", pattern=L_NUMMER, hint="verwacht L gevolgd door 4 cijfers, bijv. L1234"
        ),
    )
    # One huurdersorganisatie, or a list when the corporatie has several (each gets its tabs).
    if isinstance(section.raw("huurdersorganisatie"), list):
        entries = section.sections("huurdersorganisatie")
        if not entries:
            raise section.fail("huurdersorganisatie", "noem minstens een huurdersorganisatie")
    else:
        entries = [section.section("huurdersorganisatie")]
    huurders = []
    for i, ho in enumerate(entries):
        ho.only(["naam", "kort"], required=("naam",))
        default = f"HO {kort}" if i == 0 else ho.text("naam")
        huurders.append(Party("huurdersorganisatie", ho.text("naam"), _kort(ho, default)))
    return Corporatie(party, huurders[0], tuple(huurders[1:]))


def _verband(section: Section, korts: list[str]) -> Party:
    """A samenwerkingsverband: corporaties that act as one party next to their own tabs."""
    section.only(["naam", "kort", "corporaties"], required=("naam", "corporaties"))
    leden = _listed(section, "corporaties", korts, "geen corporatie")
    if len(leden) < 2:
        raise section.fail(
            "corporaties", "een samenwerkingsverband heeft minstens twee corporaties"
        )
    naam = section.text("naam")
    return Party("overig", naam, _kort(section, naam), leden=leden)


def _partner(section: Section, codes: list[str]) -> Party:
    section.only(["naam", "kort", "themas"], required=("naam", "themas"))
    themas = _listed(section, "themas", codes, "onbekend thema")
    naam = section.text("naam")
    return Party("overig", naam, _kort(section, naam), themas=themas)


def _listed(section: Section, key: str, known: list[str], unknown: str) -> tuple[str, ...]:
    """The list at `key`, each entry one of `known` (else: '<unknown> 'X' (wel: ...)')."""
    entries = tuple(str(entry) for entry in section.items(key))
    for entry in entries:
        if entry not in known:
            raise section.fail(key, f"{unknown} {entry!r} (wel: {', '.join(known)})")
    return entries


def _themas(top: Section, spec: Spec) -> tuple[Thema, ...]:
    defaults = {thema.code: thema for thema in spec.themas}
    if not top.has("themas"):
        return spec.themas
    themas = []
    for i, entry in enumerate(top.items("themas")):
        if isinstance(entry, str):
            if entry not in defaults:
                raise top.fail(
                    f"themas[{i}]",
                    f"onbekend thema {entry!r}; kies uit "
                    f"{', '.join(defaults)} of geef code en naam van een eigen thema",
                )
            themas.append(defaults[entry])
            continue
        own = Section(entry, f"themas[{i}]", top.file, ConfigError)
        own.only(["code", "naam", "omschrijving"], required=("code", "naam"))
        themas.append(
            Thema(
                own.text(
                    "code",
                    pattern=THEMA_CODE,
                    hint="2 tot 4 hoofdletters of cijfers, bijv. BT of T1",
                ),
                own.text("naam"),
                own.text("omschrijving", ""),
            )
        )
    codes = [thema.code for thema in themas]
    if not codes:
        raise top.fail("themas", "noem minstens een thema")
    if len(set(codes)) != len(codes):
        raise top.fail("themas", "een themacode komt twee keer voor")
    return tuple(themas)


def _check_unique(
    top: Section,
    corporaties: tuple[Corporatie, ...],
    partners: tuple[Party, ...],
    verbanden: tuple[Party, ...] = (),
) -> None:
    """Short names become sheet names and L-numbers identify corporaties: both must be unique.
    A huurdersorganisatie of several corporaties is named for each, with the same naam."""
    seen: dict[str, str] = {"gemeente": "de gemeente"}
    entries = [(f"corporaties[{i}]", c.party) for i, c in enumerate(corporaties)]
    shared: dict[str, str] = {}  # kort -> naam of the huurdersorganisaties
    for i, c in enumerate(corporaties):
        for j, ho in enumerate(c.huurdersorganisaties):
            where = f"corporaties[{i}].huurdersorganisatie" + (f"[{j}]" if c.meer_huurders else "")
            if shared.get(ho.kort.casefold()) == ho.naam:
                continue  # the same huurdersorganisatie, for another corporatie
            shared[ho.kort.casefold()] = ho.naam
            entries.append((where, ho))
    entries += [(f"samenwerkingsverbanden[{i}]", v) for i, v in enumerate(verbanden)]
    entries += [(f"partners[{i}]", p) for i, p in enumerate(partners)]
    for where, party in entries:
        key = party.kort.casefold()
        if key in seen or key in ("corporatie", "huurdersorganisatie", ALLE):
            raise top.fail(
                f"{where}.kort",
                f"{party.kort!r} is al in gebruik "
                f"({seen.get(key, 'gereserveerd woord')}); kies een andere korte naam",
            )
        seen[key] = where
    numbers = [c.party.code for c in corporaties]
    for i, number in enumerate(numbers):
        if numbers.index(number) != i:
            raise top.fail(f"corporaties[{i}].l_nummer", f"{number} komt twee keer voor")


_LOPEND_KEYS = [
    "nummer",
    "bronnummer",
    "corporatie",
    "partij",
    "afspraak",
    "type",
    "trekker",
    "betrokken",
    "scope",
    "kern",
    "kader",
    "doelsoort",
    "mijlpalen",
    "indicator",
    "eenheid",
    "nulmeting",
    "nulmeting_jaar",
    "streefwaarde",
    "planning",
    "bijdrage",
]


def _lopend(section: Section, config: Config, spec: Spec) -> LopendeAfspraak:
    section.only(_LOPEND_KEYS, required=("nummer", "partij", "afspraak", "type"))
    nummer = section.text(
        "nummer",
        pattern=spec.columns["nummer"].pattern,
        hint="verwacht themacode-volgnummer, bijv. BT-03",
    )
    thema = nummer.split("-")[0]
    if thema not in {t.code for t in config.themas}:
        raise section.fail("nummer", f"thema {thema!r} van {nummer} staat niet in themas")
    refs = ["gemeente", "corporatie", "huurdersorganisatie"]
    refs += [ho.kort for c in config.corporaties for ho in c.meer_huurders]
    refs += [p.kort for p in (*config.verbanden, *config.partners)]
    refs = list(dict.fromkeys(refs))
    partij = section.text("partij")
    if partij not in refs:
        raise section.fail(
            "partij", f"{partij!r} is geen rol of partner (kies uit {', '.join(refs)})"
        )
    partner = next((p for p in config.partners if p.kort == partij), None)
    if partner is not None and thema not in (partner.themas or ()):
        raise section.fail("partij", f"{partij} tekent niet voor thema {thema}")
    corporatie = section.text("corporatie", ALLE)
    if corporatie != ALLE:
        corporatie = config.corporatie(corporatie).party.kort
    values: dict[str, object] = {"nummer": nummer, "afspraak": section.text("afspraak")}
    for key in ("trekker", "betrokken"):
        values[key] = _refs(section, key, refs)
    for key in ("bronnummer", "kern", "kader"):
        values[key] = section.text(key, None)
    values["scope"] = _enum(section, "scope", spec.list_values("scopes"))
    values["doelsoort"] = _enum(section, "doelsoort", spec.list_values("doelsoorten"))
    synonyms = spec.synonyms("types")
    if section.text("type", None) in synonyms:  # resultaatafspraak: written as its type
        values["type"] = synonyms[section.text("type")]
    else:
        values["type"] = _enum(section, "type", spec.list_values("types"))
    values["eenheid"] = _enum(section, "eenheid", spec.list_values("eenheden"))
    if section.has("indicator"):
        indicator = spec.indicator(section.text("indicator"))
        if indicator is None and values["eenheid"] is None:
            raise section.fail(
                "indicator",
                "geen standaardindicator (zie indicatoren.yaml, of gebruik de code, bijv. BS01); "
                "een eigen indicator mag, met een eenheid",
            )
        # An own indicator keeps its name: the merge adds it up with the same name and eenheid.
        values["indicator"] = indicator.naam if indicator else section.text("indicator")
    for key in ("nulmeting", "streefwaarde", "bijdrage"):
        values[key] = _number(section, key)
    _check_measures(section, spec, values)
    values["nulmeting_jaar"] = section.integer("nulmeting_jaar", None, *YEARS)
    values["planning"] = _planning(section, config)
    return LopendeAfspraak(
        nummer,
        thema,
        partij,
        corporatie,
        {k: v for k, v in values.items() if v is not None},
        _mijlpalen(section),
    )


def _mijlpalen(section: Section) -> tuple[tuple[int, float], ...]:
    """Yearly milestones of a target over the period: {2025: 300, 2026: 620}."""
    if not section.has("mijlpalen"):
        return ()
    table = section.section("mijlpalen")
    if not isinstance(table.data, dict):
        raise section.fail("mijlpalen", "verwacht per jaar een getal, bijv. {2025: 300, 2026: 620}")
    found = []
    for year, value in table.data.items():
        if not isinstance(year, int) or not YEARS[0] <= year <= YEARS[1]:
            raise section.fail("mijlpalen", f"{year!r} is geen jaar")
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise table.fail(str(year), f"verwacht een getal, gevonden {value!r}")
        found.append((year, float(value)))
    return tuple(sorted(found))


def _check_measures(section: Section, spec: Spec, values: dict[str, object]) -> None:
    """A lopende afspraak's numbers mean what they say, as validate asks of a party's own
    (P001-P003): a standard indicator in its own eenheid, each value inside its bereik."""
    indicator = spec.indicator(str(values["indicator"])) if values.get("indicator") else None
    eenheid = values.get("eenheid")
    if indicator is not None and eenheid is not None and eenheid != indicator.eenheid:
        raise section.fail(
            "eenheid", f"{indicator.naam} wordt gemeten in {indicator.eenheid}, niet in {eenheid}"
        )
    unit = spec.eenheid(str(eenheid)) if eenheid is not None else None
    low, high = spec.bereik(str(eenheid), indicator) if eenheid is not None else (None, None)
    for key in ("nulmeting", "streefwaarde"):
        value = values.get(key)
        if not isinstance(value, int | float):
            continue
        if (low is not None and value < low) or (high is not None and value > high):
            raise section.fail(key, f"{value} ligt buiten het bereik {bereik_text(low, high)}")
        if unit is not None and unit.geheel and not float(value).is_integer():
            raise section.fail(key, f"{value} is geen heel aantal {unit.naam}")


def _enum(section: Section, key: str, allowed: list[str]) -> str | None:
    value = section.text(key, None)
    if value is not None and value not in allowed:
        raise section.fail(key, f"{value!r} is niet toegestaan (kies uit {', '.join(allowed)})")
    return value


def _number(section: Section, key: str) -> float | int | None:
    value = section.raw(key, None)
    if value is not None and (isinstance(value, bool) or not isinstance(value, int | float)):
        raise section.fail(key, f"verwacht een getal, gevonden {value!r}")
    return value  # type: ignore[return-value]


def _planning(section: Section, config: Config) -> str | dt.date | None:
    """A planning as validate reads it: a date, a quarter (Q3 2027), a year, a period
    (2024-2028), eind 2028 or a frequency (jaarlijks, doorlopend). A lopende afspraak may have
    started before the period or aim past it: the gemeente's own words are kept."""
    value = section.raw("planning", None)
    if value is None:
        return None
    if isinstance(value, dt.date):
        return value
    text = " ".join(str(value).split())
    if planning_span(text) is None:
        raise section.fail(
            "planning",
            f"{value!r}: verwacht een datum (2027-12-31), kwartaal (Q3 2027), jaar (2027), "
            "periode (2024-2028), eind 2028, of hoe vaak (maandelijks, jaarlijks, doorlopend)",
        )
    return text


def party_names(cell: object) -> list[str]:
    """The parties a trekker or betrokken cell names: one, or several as 'Gemeente, Linde'."""
    return str(cell).split(", ")


def renamed_parties(cell: object, names: dict[str, str]) -> str:
    """The cell with each party it names as `names` calls it (a name not in it stays)."""
    return ", ".join(names.get(name, name) for name in party_names(cell))


def _refs(section: Section, key: str, refs: list[str]) -> str | None:
    """Parties a lopende afspraak names (trekker, betrokken): one, or a list of several."""
    value = section.raw(key, None)
    if value is None:
        return None
    names = [str(v) for v in value] if isinstance(value, list) else [section.text(key)]
    for name in names:
        if name not in refs:
            raise section.fail(key, f"{name!r} is geen rol of partner (kies uit {', '.join(refs)})")
    return ", ".join(names)


def _check_unique_nummers(
    top: Section, config: Config, lopend: tuple[LopendeAfspraak, ...]
) -> None:
    """A nummer is unique within each corporatie's workbook; a row for "alle" is in all."""
    everyone = [c.party.kort for c in config.corporaties]
    seen: set[tuple[str, str]] = set()
    for i, row in enumerate(lopend):
        for kort in everyone if row.corporatie == ALLE else [row.corporatie]:
            if (row.nummer, kort) in seen:
                raise top.fail(
                    f"lopende_afspraken[{i}].nummer",
                    f"{row.nummer} komt al voor in het werkboek van {kort}",
                )
            seen.add((row.nummer, kort))
