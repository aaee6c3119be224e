"""Load and check a gemeente config: the gemeente, the period, the parties, the themes and the
agreements that run on from earlier years. Every mistake is reported at once, each with the
file, its line and the exact key.

The shape (keys, types, patterns, the spec's lists) is the pydantic model of config_schema;
what needs the whole config (a partner's thema that is not in `themas`, a kort used twice, a
trekker who is no party) is checked here while the Config is built."""

from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pa_sheets.errors import ConfigError
from pa_sheets.numbers import dutch_number
from pa_sheets.spec.config_schema import (
    KORT_FORBIDDEN,
    KORT_MAX,
    CellRef,
    ConfigModel,
    CorporatieModel,
    LopendModel,
    Problem,
    check_shape,
    key_path,
    line_of,
    located,
)
from pa_sheets.spec.kalender import TERMIJN_GROND, WETTELIJK, Termijnen, parse_day_month
from pa_sheets.spec.model import Spec, Thema, bereik_text
from pa_sheets.spec.names import HUURDERSFEDERATIE
from pa_sheets.spec.targets import CONFIG_TEXTS, mistakes
from pa_sheets.spec.yamlfile import load_yaml_with_lines, read_text

ALLE = "alle"


@dataclass(frozen=True)
class Party:
    rol: str
    naam: str
    kort: str
    code: str | None = None
    themas: tuple[str, ...] | None = None  # partners (rol overig) sign for some themes only
    # A samenwerkingsverband (a federatie of corporaties, rol overig) or a huurdersfederatie
    # (rol huurdersfederatie): the korts of its corporaties. It is a party of its own in the
    # workbook of each of them.
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
    huurders: Party | None  # the (first) huurdersorganisatie; None: the corporatie has none
    meer_huurders: tuple[Party, ...] = ()  # a second and further one, each with a tab

    @property
    def huurdersorganisaties(self) -> tuple[Party, ...]:
        return (self.huurders, *self.meer_huurders) if self.huurders else ()


@dataclass(frozen=True)
class LopendeAfspraak:
    """An agreement from earlier years that comes back as a going-concern row."""

    nummer: str
    thema: str
    partij: str  # a rol (gemeente, corporatie, huurdersorganisatie) or a partner's kort
    corporatie: str  # a corporatie's kort, "alle", or the korts of `voor` joined
    values: dict[str, object]  # column key -> value, as written in the workbook
    # A target over several years: (year, what must be reached by the end of it), cumulative.
    mijlpalen: tuple[tuple[int, float], ...] = ()
    # For a named list of corporaties (3 of 7): their korts; empty for one or for alle.
    voor: tuple[str, ...] = ()
    # A joint target's aandelen (spec 1.6): (kort, what that corporatie takes on), in the
    # config's order. Each workbook shows its own in Aandeel deze corporatie.
    aandelen: tuple[tuple[str, float], ...] = ()

    def aandeel(self, kort: str) -> float | None:
        """The share of the corporatie `kort` in this joint target, if the config gives one."""
        return dict(self.aandelen).get(kort)

    def is_for(self, kort: str) -> bool:
        """Whether this afspraak stands in the workbook of the corporatie `kort`."""
        if self.voor:
            return kort in self.voor
        return self.corporatie in (ALLE, kort)


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
    termijnen: Termijnen = WETTELIJK  # the law's deadlines, or those the parties agreed
    # Federaties (koepels) of huurdersorganisaties, each for the tenants of its leden.
    federaties: tuple[Party, ...] = ()

    def corporatie(self, kort: str) -> Corporatie:
        """The corporatie with this short name (case-insensitive)."""
        for corporatie in self.corporaties:
            if corporatie.party.kort.casefold() == kort.strip().casefold():
                return corporatie
        known = ", ".join(c.party.kort for c in self.corporaties)
        raise ConfigError(f"{self.path}: geen corporatie {kort!r} (wel: {known}).")

    def parties(self, corporatie: Corporatie) -> tuple[Party, ...]:
        """The parties of one corporatie's workbook: its lokale driehoek (every
        huurdersorganisatie, then the huurdersfederaties that speak for its tenants), the
        samenwerkingsverbanden it is part of, then the partners."""
        kort = corporatie.party.kort
        federaties = tuple(f for f in self.federaties if kort in (f.leden or ()))
        verbanden = tuple(v for v in self.verbanden if kort in (v.leden or ()))
        return (
            self.gemeente,
            corporatie.party,
            *corporatie.huurdersorganisaties,
            *federaties,
            *verbanden,
            *self.partners,
        )

    def all_parties(self) -> tuple[Party, ...]:
        """Every party of the gemeente's afspraken, each once: the gemeente, each corporatie
        and its huurdersorganisaties, the huurdersfederaties, the samenwerkingsverbanden and the
        partners."""
        parties = [self.gemeente]
        for corporatie in self.corporaties:
            parties += [corporatie.party, *corporatie.huurdersorganisaties]
        return tuple(dict.fromkeys([*parties, *self.federaties, *self.verbanden, *self.partners]))

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


class ConfigProblems(ConfigError):
    """A config with mistakes: all of them, in the order of the file, each with its line and
    key (`problems` for a program, the message for a person)."""

    def __init__(self, path: Path, problems: list[Problem]):
        self.problems = sorted(problems, key=lambda found: found.order)
        if len(self.problems) == 1:
            text = f"{path}: {self.problems[0]}"
        else:
            listed = "\n".join(f"  {found}" for found in self.problems)
            text = f"{path}: {len(self.problems)} fouten:\n{listed}"
        super().__init__(text)


@dataclass
class _Problems:
    """The mistakes found while the Config is built, each at its location in the data."""

    data: dict
    lines: dict[tuple, Any]  # the line (YAML) or cell (set-up workbook) of each key path
    found: list[Problem] = field(default_factory=list)

    def add(self, loc: tuple, message: str) -> None:
        self.found.append(located(self.data, self.lines, loc, message))

    def name(self, loc: tuple) -> str:
        """How a message names the place of `loc`: its key path, or its sheet and cell."""
        where = line_of(self.lines, loc)
        if isinstance(where, CellRef):
            return f"blad {where.sheet}, cel {where.cell}"
        return key_path(self.data, loc)


def load_config(path: Path, spec: Spec, text: str | None = None) -> Config:
    """Read a gemeente config and check it against the spec: a YAML file, or a set-up workbook
    (spec/opzet.py, told by its name or content) with the same meaning. `text`: a YAML config
    as kept elsewhere (a basisbod keeps those of its gemeenten), `path` then says where.
    Raises ConfigProblems with every mistake: first those in its shape, then (when the shape
    is right) those that need the whole config; in a set-up workbook each at its sheet and
    cell."""
    path = Path(path)
    data, lines, read = config_mapping(path, spec, text)
    model, problems = check_shape(data, lines, spec)
    if model is None:
        raise ConfigProblems(path, read + problems)
    found = _Problems(data, lines, list(read))
    config = _build(path, model, spec, found)
    if found.found:
        raise ConfigProblems(path, found.found)
    return config


def config_mapping(
    path: Path, spec: Spec, text: str | None = None
) -> tuple[dict, dict[tuple, Any], list[Problem]]:
    """A config's mapping as YAML holds it, where each key stands (a line, or a set-up
    workbook's cell), and what a set-up workbook held that has no place in it."""
    from pa_sheets.spec import opzet

    if text is None and opzet.is_setup_file(path):
        setup = opzet.read_setup(path, spec)
        return setup.data, dict(setup.cells), setup.problems
    data, lines = load_yaml_with_lines(path, ConfigError, text)
    return data, dict(lines), []


def load_config_text(path: Path, spec: Spec) -> tuple[Config, str]:
    """A config and its YAML text, which a basisbod keeps: the file's, read once, or that of a
    set-up workbook (checked first, so its mistakes are named by sheet and cell)."""
    from pa_sheets.spec import opzet

    if opzet.is_setup_file(path):
        config = load_config(path, spec)
        return config, opzet.yaml_text(opzet.read_setup(path, spec).data, path.name)
    text = read_text(path, ConfigError)
    return load_config(path, spec, text), text


# ---------------------------------------------------------------------------------------------
# Private helpers: from the checked shape to the Config, with the checks across its parts.
# ---------------------------------------------------------------------------------------------


def _build(path: Path, model: ConfigModel, spec: Spec, problems: _Problems) -> Config:
    gemeente = Party(
        "gemeente",
        model.gemeente.naam,
        model.gemeente.kort or abbreviate("Gemeente"),
        model.gemeente.code,
    )
    themas = _themas(model, spec)
    codes = [thema.code for thema in themas]
    corporaties = tuple(_corporatie(entry) for entry in model.corporaties)
    partners = tuple(
        Party(
            "overig", entry.naam, entry.kort or abbreviate(entry.naam), themas=tuple(entry.themas)
        )
        for entry in model.partners or []
    )
    for i, partner in enumerate(model.partners or []):
        _listed(problems, ("partners", i, "themas"), partner.themas, codes, "onbekend thema")
    korts = [c.party.kort for c in corporaties]
    verbanden = []
    for i, entry in enumerate(model.samenwerkingsverbanden or []):
        at = ("samenwerkingsverbanden", i, "corporaties")
        _listed(problems, at, entry.corporaties, korts, "geen corporatie")
        if len(entry.corporaties) < 2:
            problems.add(at, "een samenwerkingsverband heeft minstens twee corporaties")
        kort = entry.kort or abbreviate(entry.naam)
        verbanden.append(Party("overig", entry.naam, kort, leden=tuple(entry.corporaties)))
    federaties = []
    for i, federatie in enumerate(model.huurdersfederaties or []):
        at = ("huurdersfederaties", i, "corporaties")
        _listed(problems, at, federatie.corporaties, korts, "geen corporatie")
        if not federatie.corporaties:
            problems.add(at, "een huurdersfederatie spreekt voor minstens een corporatie")
        kort = federatie.kort or abbreviate(federatie.naam)
        leden = tuple(dict.fromkeys(federatie.corporaties))
        federaties.append(Party(HUURDERSFEDERATIE, federatie.naam, kort, leden=leden))
    _check_unique(problems, corporaties, partners, tuple(verbanden), tuple(federaties))
    config = Config(
        path,
        gemeente,
        model.periode.eerste_jaar,
        model.periode.laatste_jaar,
        themas,
        corporaties,
        partners,
        (),
        tuple(verbanden),
        _termijnen(model),
        tuple(federaties),
    )
    lopend = tuple(
        _lopend(problems, ("lopende_afspraken", i), entry, config, spec, model.spec_versie)
        for i, entry in enumerate(model.lopende_afspraken or [])
    )
    _check_unique_nummers(problems, config, lopend)
    return Config(
        path,
        gemeente,
        config.eerste_jaar,
        config.laatste_jaar,
        themas,
        corporaties,
        partners,
        lopend,
        config.verbanden,
        config.termijnen,
        config.federaties,
    )


def _termijnen(model: ConfigModel) -> Termijnen:
    """The deadlines the parties agreed, each one the default when not named."""
    agreed = model.termijnen
    if agreed is None:
        return WETTELIJK
    return Termijnen(
        **{
            which: parse_day_month(getattr(agreed, which) or "") or getattr(WETTELIJK, which)
            for which in TERMIJN_GROND
        }
    )


def _themas(model: ConfigModel, spec: Spec) -> tuple[Thema, ...]:
    """The spec's themes, a subset named by code, and themes of the gemeente's own."""
    if model.themas is None:
        return spec.themas
    defaults = {thema.code: thema for thema in spec.themas}
    return tuple(
        defaults[entry]
        if isinstance(entry, str)
        else Thema(entry.code, entry.naam, entry.omschrijving or "")
        for entry in model.themas
    )


def _corporatie(entry: CorporatieModel) -> Corporatie:
    kort = entry.kort or abbreviate(entry.naam)
    party = Party("corporatie", entry.naam, kort, entry.l_nummer)
    # One huurdersorganisatie, a list when the corporatie has several (each gets its tabs), or
    # none: the corporatie's workbook then has no huurdersorganisatie tabs nor signing row.
    listed = entry.huurdersorganisatie
    if listed is None:
        return Corporatie(party, None)
    huurders = listed if isinstance(listed, list) else [listed]
    parties = [
        Party(
            "huurdersorganisatie",
            ho.naam,
            ho.kort or abbreviate(f"HO {kort}" if i == 0 else ho.naam),
        )
        for i, ho in enumerate(huurders)
    ]
    return Corporatie(party, parties[0], tuple(parties[1:]))


def _listed(
    problems: _Problems, at: tuple, entries: list[str], known: list[str], unknown: str
) -> None:
    """Each entry of the list at `at` is one of `known` (else: '<unknown> 'X' (wel: ...)')."""
    for entry in entries:
        if entry not in known:
            problems.add(at, f"{unknown} {entry!r} (wel: {', '.join(known)})")


def _check_unique(
    problems: _Problems,
    corporaties: tuple[Corporatie, ...],
    partners: tuple[Party, ...],
    verbanden: tuple[Party, ...] = (),
    federaties: tuple[Party, ...] = (),
) -> None:
    """Short names become sheet names and L-numbers identify corporaties: both must be unique.
    A huurdersorganisatie of several corporaties is named for each, with the same naam."""
    seen: dict[str, str] = {"gemeente": "de gemeente"}
    entries: list[tuple[tuple, Party]] = [
        (("corporaties", i), c.party) for i, c in enumerate(corporaties)
    ]
    shared: dict[str, str] = {}  # kort -> naam of the huurdersorganisaties
    for i, c in enumerate(corporaties):
        for j, ho in enumerate(c.huurdersorganisaties):
            where = ("corporaties", i, "huurdersorganisatie") + ((j,) if c.meer_huurders else ())
            if shared.get(ho.kort.casefold()) == ho.naam:
                continue  # the same huurdersorganisatie, for another corporatie
            shared[ho.kort.casefold()] = ho.naam
            entries.append((where, ho))
    entries += [(("huurdersfederaties", i), f) for i, f in enumerate(federaties)]
    entries += [(("samenwerkingsverbanden", i), v) for i, v in enumerate(verbanden)]
    entries += [(("partners", i), p) for i, p in enumerate(partners)]
    for where, party in entries:
        key = party.kort.casefold()
        if key in seen or key in ("corporatie", "huurdersorganisatie", ALLE):
            problems.add(
                (*where, "kort"),
                f"{party.kort!r} is al in gebruik "
                f"({seen.get(key, 'gereserveerd woord')}); kies een andere korte naam",
            )
            continue
        seen[key] = problems.name(where)
    numbers = [c.party.code for c in corporaties]
    for i, number in enumerate(numbers):
        if numbers.index(number) != i:
            problems.add(("corporaties", i, "l_nummer"), f"{number} komt twee keer voor")


def _lopend(
    problems: _Problems,
    at: tuple,
    row: LopendModel,
    config: Config,
    spec: Spec,
    version: str | None = None,
) -> LopendeAfspraak:
    nummer = row.nummer
    thema = nummer.split("-")[0]
    if thema not in {t.code for t in config.themas}:
        problems.add((*at, "nummer"), f"thema {thema!r} van {nummer} staat niet in themas")
    refs = ["gemeente", "corporatie", "huurdersorganisatie"]
    refs += [ho.kort for c in config.corporaties for ho in c.meer_huurders]
    refs += [p.kort for p in (*config.federaties, *config.verbanden, *config.partners)]
    refs = list(dict.fromkeys(refs))
    named = _named_parties(config)
    partij = row.partij
    corporatie, voor = _for_whom(problems, at, row, config, thema, refs)
    values: dict[str, object] = {"nummer": nummer, "afspraak": row.afspraak}
    for key in ("trekker", "betrokken"):
        values[key] = _party_names(problems, (*at, key), getattr(row, key) or (), refs, named)
    _check_without_huurders(problems, at, row, corporatie, config)
    values |= {"bronnummer": row.bronnummer, "kern": row.kern, "kader": row.kader}
    values |= {"scope": row.scope, "doelsoort": row.doelsoort, "type": row.type}
    values["eenheid"] = row.eenheid
    if row.indicator is not None:
        values |= _indicator(problems, (*at, "indicator"), row, spec, version)
    values |= {"nulmeting": row.nulmeting, "streefwaarde": row.streefwaarde}
    values |= {"streefwaarde_tot": row.streefwaarde_tot, "referentie": row.referentie}
    values |= {"doeltermijn": row.doeltermijn, "bijdrage": row.bijdrage}
    _check_measures(problems, at, spec, values)
    _check_form(problems, at, spec, values, row)
    aandelen = _aandelen(problems, (*at, "aandelen"), row, config, spec, voor or (corporatie,))
    values["nulmeting_jaar"] = row.nulmeting_jaar
    values["planning"] = row.planning
    # Yearly milestones of a target over the period: {2025: 300, 2026: 620}.
    mijlpalen = tuple(sorted((year, float(value)) for year, value in (row.mijlpalen or {}).items()))
    return LopendeAfspraak(
        nummer,
        thema,
        partij,
        corporatie,
        {k: v for k, v in values.items() if v is not None},
        mijlpalen,
        voor,
        aandelen,
    )


def _for_whom(
    problems: _Problems, at: tuple, row: LopendModel, config: Config, thema: str, refs: list[str]
) -> tuple[str, tuple[str, ...]]:
    """The party that makes a lopende afspraak (a rol, federatie, verband or partner) checked,
    and the corporaties it is for: one (or alle), or a named list; a federatie's or verband's
    own afspraak for alle stands in its members' workbooks only."""
    partij = row.partij
    if partij not in refs:
        problems.add(
            (*at, "partij"), f"{partij!r} is geen rol of partner (kies uit {', '.join(refs)})"
        )
    partner = next((p for p in config.partners if p.kort == partij), None)
    if partner is not None and thema not in (partner.themas or ()):
        problems.add((*at, "partij"), f"{partij} tekent niet voor thema {thema}")
    listed = row.corporatie if isinstance(row.corporatie, list) else [row.corporatie]
    voor = tuple(
        dict.fromkeys(_corporatie_kort(problems, (*at, "corporatie"), n, config) for n in listed)
    )
    if len(voor) > 1 and ALLE in voor:
        problems.add((*at, "corporatie"), "noem alle, of de corporaties, niet allebei")
    speaker = next((p for p in (*config.federaties, *config.verbanden) if p.kort == partij), None)
    if speaker is not None and voor == (ALLE,):  # its afspraak stands where it is a party
        voor = speaker.leden or voor
    elif speaker is not None and (outside := [k for k in voor if k not in (speaker.leden or ())]):
        problems.add(
            (*at, "corporatie"),
            f"{partij} is geen partij in het werkboek van {', '.join(outside)} (wel van "
            f"{', '.join(speaker.leden or ())}); kies alle of een van die corporaties",
        )
    corporatie = voor[0] if len(voor) == 1 else ", ".join(voor)
    voor = voor if len(voor) > 1 else ()
    return corporatie, voor


def _party_names(
    problems: _Problems, at: tuple, given: Iterable[str], refs: list[str], named: dict[str, str]
) -> str | None:
    """A trekker or betrokken: a rol, or any party of the gemeente by its kort or naam (GUH,
    SBO Tilburg), each written as that party's kort, which a workbook shows by its name."""
    names = [n if n in refs else named.get(n.casefold(), n) for n in given]
    for name in names:
        if name not in refs and name not in named.values():
            problems.add(
                at,
                f"{name!r} is geen rol of partij (kies uit {', '.join(refs)}, of de korte "
                "naam of naam van een partij)",
            )
    return ", ".join(dict.fromkeys(names)) if names else None


def _indicator(
    problems: _Problems, at: tuple, row: LopendModel, spec: Spec, version: str | None
) -> dict[str, object]:
    """The indicator (and eenheid) of a lopende afspraak, read with the meaning its code had
    in the spec the config was written for."""
    code = str(row.indicator)
    indicator = spec.indicator_as_of(code, version)
    meant = spec.earlier_meaning(code, version)
    if meant is not None and indicator is None:  # a meaning no standard indicator has now
        return {"indicator": meant.naam, "eenheid": row.eenheid or meant.eenheid}
    if indicator is None and (spec.unknown_code(code) or row.eenheid is None):
        problems.add(at, _unknown_indicator(spec, code))
    # An own indicator keeps its name: the merge adds it up with the same name and eenheid.
    return {"indicator": indicator.naam if indicator else code}


def _named_parties(config: Config) -> dict[str, str]:
    """Every party of the gemeente by its kort and naam (casefolded) -> how a lopende afspraak
    refers to it: the gemeente by its rol, any other party by its kort."""
    named: dict[str, str] = {}
    for party in config.all_parties():
        ref = "gemeente" if party.rol == "gemeente" else party.kort
        for text in (party.kort, party.naam, party.display):
            named.setdefault(text.casefold(), ref)
    return named


def _unknown_indicator(spec: Spec, named: str) -> str:
    """Why `named` is refused as an indicator, with the standard one it most likely meant."""
    nearest = spec.nearest_indicator(named)
    meant = f"; bedoelt u {nearest.code} ({nearest.naam})?" if nearest else ""
    if (gone := spec.retired_code(named)) is not None:
        meant = f"; {gone.code} is vervallen sinds spec {gone.since} ({gone.naam})."
    if spec.unknown_code(named):
        return (
            f"{named} is geen code van een standaardindicator (zie indicatoren.yaml){meant} "
            "Een eigen indicator schrijft u met haar naam en een eenheid, niet als code"
        )
    closest = (
        f"; de naaste standaardindicator is {nearest.code} ({nearest.naam})" if nearest else ""
    )
    return (
        "geen standaardindicator (zie indicatoren.yaml, of gebruik de code, bijv. BS01); een "
        f"eigen indicator mag, met een eenheid{closest}"
    )


def _check_without_huurders(
    problems: _Problems, at: tuple, row: LopendModel, corporatie: str, config: Config
) -> None:
    """A corporatie without a huurdersorganisatie has no tab and no party by that rol: an
    afspraak of the huurdersorganisatie for all corporaties stands only where there is one, but
    one for that corporatie alone, or one naming the huurdersorganisatie as trekker or
    betrokken in its workbook, cannot stand."""
    without = [
        c.party.kort
        for c in config.corporaties
        if c.huurders is None and corporatie in (ALLE, c.party.kort)
    ]
    if not without:
        return
    named = ", ".join(without)
    if row.partij == "huurdersorganisatie":
        if corporatie != ALLE or len(without) == len(config.corporaties):
            problems.add(
                (*at, "partij"),
                f"{named} heeft geen huurdersorganisatie; kies een andere partij, of noem de "
                "huurdersorganisatie bij de corporatie",
            )
        return
    for key in ("trekker", "betrokken"):
        if "huurdersorganisatie" in (getattr(row, key) or ()):
            problems.add(
                (*at, key),
                f"{named} heeft geen huurdersorganisatie; noem die hier niet, of zet de "
                "afspraak per corporatie",
            )


def _corporatie_kort(problems: _Problems, at: tuple, named: str | None, config: Config) -> str:
    """The corporatie a lopende afspraak is for, as its kort is written; or "alle"."""
    if named is None or named == ALLE:
        return ALLE
    for corporatie in config.corporaties:
        if corporatie.party.kort.casefold() == named.casefold():
            return corporatie.party.kort
    known = ", ".join(c.party.kort for c in config.corporaties)
    problems.add(at, f"geen corporatie {named!r} (wel: {known})")
    return named


def _check_measures(problems: _Problems, at: tuple, spec: Spec, values: dict[str, object]) -> None:
    """A lopende afspraak's numbers mean what they say, as validate asks of a party's own
    (P001-P003): a standard indicator in its own eenheid, each value inside its bereik."""
    indicator = spec.indicator(str(values["indicator"])) if values.get("indicator") else None
    eenheid = values.get("eenheid")
    if indicator is not None and eenheid is not None and eenheid != indicator.eenheid:
        problems.add(
            (*at, "eenheid"),
            f"{indicator.naam} wordt gemeten in {indicator.eenheid}, niet in {eenheid}",
        )
        return
    unit = spec.eenheid(str(eenheid)) if eenheid is not None else None
    low, high = spec.bereik(str(eenheid), indicator) if eenheid is not None else (None, None)
    for key in ("nulmeting", "streefwaarde", "streefwaarde_tot"):
        value = values.get(key)
        if not isinstance(value, int | float):
            continue
        if (low is not None and value < low) or (high is not None and value > high):
            problems.add((*at, key), f"{value} ligt buiten het bereik {bereik_text(low, high)}")
        elif unit is not None and unit.geheel and not float(value).is_integer():
            problems.add((*at, key), f"{value} is geen heel aantal {unit.naam}")


def _check_form(
    problems: _Problems, at: tuple, spec: Spec, values: dict[str, object], row: LopendModel
) -> None:
    """A lopende afspraak's target form is what validate asks of a party's own (D001-D006):
    a bandbreedte with two bounds in order, a relative target without a number."""
    indicator = spec.indicator(str(values["indicator"])) if values.get("indicator") else None
    given = dict(values)
    if row.mijlpalen:
        given["mijlpaal"] = next(iter(row.mijlpalen.values()))
    for code, key, value, detail in mistakes(given, spec, indicator.soort if indicator else None):
        where = "mijlpalen" if key == "mijlpaal" else key
        problems.add((*at, where), CONFIG_TEXTS[code].format(value=value, detail=detail))


def _aandelen(
    problems: _Problems,
    at: tuple,
    row: LopendModel,
    config: Config,
    spec: Spec,
    voor: tuple[str, ...],
) -> tuple[tuple[str, float], ...]:
    """A joint target's aandelen per corporatie (kort, share), checked: only on a joint scope
    with a target, each a corporatie whose workbook holds the afspraak, at least 0, and together
    not beyond what a maximaal, exact or bandbreedte target allows (above a minimaal target
    they are more than the minimum: allowed, the joint target is still what is judged)."""
    if not row.aandelen:
        return ()
    if row.scope not in spec.joint_scopes():
        problems.add(
            at,
            f"een aandeel hoort bij een doel van de corporaties samen (scope "
            f"{' of '.join(spec.joint_scopes())}), niet bij scope {row.scope or 'leeg'}",
        )
        return ()
    if row.streefwaarde is None:
        problems.add(at, "een aandeel is een deel van een streefwaarde: geef die streefwaarde")
        return ()
    known = {
        text.casefold(): c.party.kort
        for c in config.corporaties
        for text in (c.party.kort, c.party.naam, c.party.display)
    }
    shares: dict[str, float] = {}
    for named, value in row.aandelen.items():
        kort = known.get(named.strip().casefold())
        if kort is None:
            listed = ", ".join(c.party.kort for c in config.corporaties)
            problems.add((*at, named), f"geen corporatie {named!r} (wel: {listed})")
        elif ALLE not in voor and kort not in voor:
            problems.add((*at, named), f"deze afspraak staat niet in het werkboek van {kort}")
        elif kort in shares:
            problems.add((*at, named), f"{kort} heeft al een aandeel")
        elif value < 0:
            problems.add((*at, named), f"een aandeel is niet negatief ({value})")
        else:
            shares[kort] = float(value)
    upper = row.streefwaarde_tot if row.streefwaarde_tot is not None else row.streefwaarde
    capped = row.doelsoort in ("maximaal", "exact") or row.streefwaarde_tot is not None
    if capped and upper is not None and sum(shares.values()) > upper:
        problems.add(
            at,
            f"de aandelen samen ({dutch_number(sum(shares.values()))}) zijn meer dan het "
            f"gezamenlijke doel ({row.doelsoort or 'bandbreedte'} {dutch_number(upper)})",
        )
    return tuple(shares.items())


def _check_unique_nummers(
    problems: _Problems, config: Config, lopend: tuple[LopendeAfspraak, ...]
) -> None:
    """A nummer is unique within each corporatie's workbook; a row for "alle" is in all."""
    # Each workbook once, also when two corporaties share a kort (reported on its own).
    everyone = list(dict.fromkeys(c.party.kort for c in config.corporaties))
    seen: set[tuple[str, str]] = set()
    for i, row in enumerate(lopend):
        for kort in [kort for kort in everyone if row.is_for(kort)]:
            if (row.nummer, kort) in seen:
                problems.add(
                    ("lopende_afspraken", i, "nummer"),
                    f"{row.nummer} komt al voor in het werkboek van {kort}",
                )
                break
            seen.add((row.nummer, kort))


def party_names(cell: object) -> list[str]:
    """The parties a trekker or betrokken cell names: one, or several as 'Gemeente, Linde'."""
    return str(cell).split(", ")


def renamed_parties(cell: object, names: dict[str, str]) -> str:
    """The cell with each party it names as `names` calls it (a name not in it stays)."""
    return ", ".join(names.get(name, name) for name in party_names(cell))
