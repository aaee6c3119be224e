"""One bod for several gemeenten: the basisbod, and splitting it into a bod per gemeente.

A corporatie that works in several gemeenten fills one basisbod. It is the bod with a column
`Voor gemeente` in front of every block: `alle` puts a row in the bod of every gemeente, a
gemeente code in that gemeente's bod only. The tabs are per thema and party as in a bod; the
gemeente tab and the huurdersorganisatie tab stand for each gemeente's own.

The basisbod keeps the config of every gemeente in its _meta, so `split_bod` makes each bod
exactly as `generate bod` would from that config, with the corporatie's answers filled in.
"""

import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, replace
from pathlib import Path

from pa_sheets.check.findings import FileReport, Finding, Report, finding
from pa_sheets.check.read import FoundBlock
from pa_sheets.check.validate import Inspection, inspect_file
from pa_sheets.errors import ConfigError, InvalidInputs, UnusableWorkbook, UsageError
from pa_sheets.spec.config import (
    ALLE,
    Config,
    Corporatie,
    LopendeAfspraak,
    Party,
    load_config,
    load_config_text,
    party_names,
)
from pa_sheets.spec.kalender import default_deadline
from pa_sheets.spec.model import BASISBOD, Spec, Thema, base_key, load_spec
from pa_sheets.workbook import meta
from pa_sheets.workbook.generate import check_bod_years, write_workbooks
from pa_sheets.workbook.layout import BasisGemeente, WorkbookPlan, party_ref, plan_workbook, tabs
from pa_sheets.workbook.writer import now

# The finding split-bod gives for a row that cannot go into the bod of its gemeente.
SPLIT_CODES = ("X009",)
KIND = "bod"
# The parties of a basisbod that stand for each gemeente's own.
GEMEENTE = Party("gemeente", "Gemeente", "Gemeente")
HUURDERS = Party("huurdersorganisatie", "Huurdersorganisatie", "Huurders")


def generate_basisbod(
    config_paths: Iterable[Path],
    corporatie: str,
    years: tuple[int, ...],
    out_dir: Path,
    *,
    force: bool = False,
    deadline: dt.date | None = None,
    spec: Spec | None = None,
    created: dt.datetime | None = None,
    progress: Callable[[Path], None] = lambda path: None,
) -> Path:
    """Write the basisbod of one corporatie (short name or L-nummer) for the gemeenten of
    `config_paths`.

    Example: generate_basisbod([Path("a.yaml"), Path("b.yaml")], "Linde", (2027, ..., 2031),
    Path("uit"))
    """
    spec = spec or load_spec()
    config_paths = [Path(path) for path in config_paths]
    configs = []
    for path in config_paths:
        config, text = load_config_text(Path(path), spec)
        check_bod_years(spec, config, years, path)
        configs.append((config, text))
    plan = plan_basisbod(
        spec, configs, corporatie, years, deadline or default_deadline(KIND, years[0])
    )
    written = write_workbooks(
        [plan], out_dir, force, created or now(), progress, inputs=config_paths
    )
    return written[0]


def plan_basisbod(
    spec: Spec,
    configs: list[tuple[Config, str]],
    corporatie: str,
    years: tuple[int, ...],
    deadline: dt.date,
) -> WorkbookPlan:
    """Lay out the basisbod: the union of the gemeenten's themes and partners, and every
    gemeente's lopende afspraken of this corporatie, each marked with its gemeente."""
    codes = [config.gemeente.code for config, _ in configs]
    for config, _ in configs:
        if codes.count(config.gemeente.code) > 1:
            raise ConfigError(
                f"{config.path}: gemeente {config.gemeente.code} komt twee keer voor."
            )
    found = [_corporatie(config, corporatie) for config, _ in configs]
    numbers = {c.party.code for c in found}
    if len(numbers) > 1:
        raise ConfigError(
            f"{corporatie!r} heeft verschillende L-nummers in de configs "
            f"({', '.join(sorted(map(str, numbers)))}); noem de corporatie bij haar L-nummer."
        )
    own = found[0]
    names = {c.huurders.naam.casefold() if c.huurders else None for c in found}
    # One huurdersorganisatie (or none) everywhere: that one; else a tab for each gemeente's own.
    basis = Corporatie(own.party, found[0].huurders if len(names) == 1 else HUURDERS)
    themas: dict[str, Thema] = {}
    marker = spec.templates[BASISBOD].gemeente_column
    assert marker is not None  # the basisbod's template names a row's gemeente
    for config, _ in configs:
        themas.update({t.code: t for t in config.themas if t.code not in themas})
    lopend = tuple(
        LopendeAfspraak(
            row.nummer,
            row.thema,
            row.partij,
            own.party.kort,
            {**row.values, marker: config.gemeente.code},
        )
        for (config, _), corporatie_here in zip(configs, found, strict=True)
        for row in config.lopend
        if row.is_for(corporatie_here.party.kort)
    )
    config = Config(
        path=configs[0][0].path,
        gemeente=GEMEENTE,
        eerste_jaar=min(config.eerste_jaar for config, _ in configs),
        laatste_jaar=max(config.laatste_jaar for config, _ in configs),
        themas=tuple(themas.values()),
        corporaties=(basis,),
        partners=_partners([config for config, _ in configs]),
        lopend=lopend,
    )
    gemeenten = tuple(
        BasisGemeente(config.gemeente.code or "", config.gemeente.naam, text)
        for config, text in configs
    )
    return plan_workbook(spec, config, BASISBOD, basis, years, deadline, gemeenten=gemeenten)


@dataclass
class Split:
    """The bods written, and the rows for `alle` that a gemeente has no tab for."""

    paths: list[Path]
    notes: list[str] = field(default_factory=list)


def split_bod(
    path: Path,
    out_dir: Path,
    *,
    force: bool = False,
    spec: Spec | None = None,
    created: dt.datetime | None = None,
    progress: Callable[[Path], None] = lambda path: None,
) -> Split:
    """Make the bod of every gemeente of a filled basisbod. The basisbod must be valid; a row
    for one gemeente on a tab that gemeente does not have is refused (X009).

    Example: split_bod(Path("basisbod-2027-2031-linde.xlsx"), Path("boden"))
    """
    spec = spec or load_spec()
    inspection = inspect_file(Path(path), spec)
    report, data = inspection.report, inspection.data
    if report.unusable or data is None:
        raise UnusableWorkbook(report.unusable or f"{path}: kan het werkboek niet lezen.")
    if data.template.kind != BASISBOD:
        raise UsageError(
            f"{path} is een {data.template.kind}, geen basisbod. split-bod maakt de boden per "
            "gemeente uit een basisbod (pa-sheets generate bod met meer dan één --config)."
        )
    if report.errors:
        raise InvalidInputs(f"{path} heeft fouten; niets gesplitst.", Report([report]))
    targets = {
        code: _Target(config, corporatie, tab_refs(config, corporatie))
        for code, (config, corporatie) in gemeente_configs(path, data.meta, spec).items()
    }
    split = Split([])
    problems = _distribute(inspection, targets, spec, split.notes)
    if problems:
        refused = FileReport(Path(path), report.template, problems)
        raise InvalidInputs(
            f"{path}: niet elke rij past in het bod van haar gemeente; niets gesplitst.",
            Report([refused]),
        )
    deadline = _deadline(data.meta.facts.get("inleverdatum", ""), data.template.years[0])
    plans = [
        plan_workbook(
            spec,
            target.config,
            KIND,
            target.corporatie,
            data.template.years,
            deadline,
            answers=target.answers,
        )
        for target in targets.values()
    ]
    split.paths = write_workbooks(
        plans, out_dir, force, created or now(), progress, inputs=[Path(path)]
    )
    return split


def gemeente_configs(
    path: Path, info: meta.Meta, spec: Spec
) -> dict[str, tuple[Config, Corporatie]]:
    """The config of every gemeente of a basisbod as its _meta keeps it, with the basisbod's
    corporatie in it."""
    l_nummer = info.facts.get("l_nummer", "")
    configs = {}
    for code, (_, text) in info.gemeenten.items():
        config = load_config(Path(f"{path} (_meta, gemeente {code})"), spec, text)
        configs[code] = (config, _corporatie(config, l_nummer))
    return configs


def tab_refs(config: Config, corporatie: Corporatie) -> set[tuple[str, str]]:
    """The tabs of a bod as (thema code, party ref)."""
    return {(thema.code, party_ref(party)) for thema, party in tabs(config, corporatie)}


# ---------------------------------------------------------------------------------------------
# Private helpers.
# ---------------------------------------------------------------------------------------------


def _distribute(
    inspection: Inspection, targets: dict[str, "_Target"], spec: Spec, notes: list[str]
) -> list[Finding]:
    """Give every row of the basisbod to the bods of its gemeenten. A row for one gemeente
    that does not fit there is a finding (X009); a row for `alle` that does not fit in one of
    them is a note."""
    assert inspection.data is not None  # split_bod only distributes what it could read
    basis_parties = {party["naam"]: party for party in inspection.data.meta.parties}
    marker = spec.templates[BASISBOD].gemeente_column or ""
    lopend = spec.templates[KIND].lopend_block
    assert lopend is not None  # a bod has lopende afspraken
    problems: list[Finding] = []
    for block, clean in zip(inspection.data.blocks, inspection.clean, strict=True):
        for index in range(len(block.rows)):
            values = {key: _cell(spec, key, column[index]) for key, column in clean.items()}
            values = {key: value for key, value in values.items() if value is not None}
            wanted = str(values.pop(marker, ALLE))
            if block.key == lopend.key:  # only the cells the corporatie fills in
                values = {
                    k: v
                    for k, v in values.items()
                    if k == "nummer" or base_key(k) not in lopend.fixed
                }
            for code in targets if wanted == ALLE else [wanted]:
                why = targets[code].place(block, values, basis_parties)
                if why is None:
                    continue
                if wanted != ALLE:
                    who = f"{targets[code].config.gemeente.naam} ({code})"
                    problems.append(_misplaced(spec, block, index, marker, who, why))
                else:
                    notes.append(
                        f"{block.sheet} regel {block.rows[index]} (alle) staat niet in het bod "
                        f"voor {targets[code].config.gemeente.naam}: {why}."
                    )
    return problems


@dataclass
class _Target:
    """One gemeente's bod while the basisbod is split: its config and the rows it gets."""

    config: Config
    corporatie: Corporatie
    tabs: set[tuple[str, str]]  # (thema code, party ref)
    answers: dict[tuple[str, str, str], list[dict[str, object]]] = field(default_factory=dict)

    def place(
        self, block: FoundBlock, values: dict[str, object], basis_parties: dict[str, dict[str, str]]
    ) -> str | None:
        """Add a row of the basisbod to this bod; or say why it has no place here."""
        basis_party = next(
            (p for p in basis_parties.values() if p["kort"] == block.meta.partij), None
        )
        ref = meta.party_ref(basis_party) if basis_party else block.meta.partij
        gemeente, thema = self.config.gemeente.naam, block.meta.thema
        if thema not in {t.code for t in self.config.themas}:
            return f"{gemeente} heeft geen thema {thema}"
        if (thema, ref) not in self.tabs:
            return f"{block.meta.partij} is in {gemeente} geen partner voor thema {thema}"
        row = dict(values)
        if "trekker" in row:  # one party, or several: 'Gemeente, Linde'
            names = {party_ref(p): p.display for p in self.config.parties(self.corporatie)}
            found = []
            for name in party_names(row["trekker"]):
                trekker = basis_parties.get(name)
                if trekker is None or meta.party_ref(trekker) not in names:
                    return f"trekker {name} is geen partij in {gemeente}"
                found.append(names[meta.party_ref(trekker)])
            row["trekker"] = ", ".join(found)
        self.answers.setdefault((block.meta.thema, ref, block.key), []).append(row)
        return None


def _corporatie(config: Config, wanted: str) -> Corporatie:
    """A corporatie by short name or L-nummer: the same corporatie may be called differently
    in two gemeenten, its L-nummer is the same."""
    for corporatie in config.corporaties:
        if wanted.strip().casefold() in (
            corporatie.party.kort.casefold(),
            str(corporatie.party.code).casefold(),
        ):
            return corporatie
    known = ", ".join(f"{c.party.kort} ({c.party.code})" for c in config.corporaties)
    raise ConfigError(f"{config.path}: geen corporatie {wanted!r} (wel: {known}).")


def _partners(configs: list[Config]) -> tuple[Party, ...]:
    """Every partner of every gemeente once, with all the themes it signs for somewhere."""
    partners: dict[str, Party] = {}
    for config in configs:
        for partner in config.partners:
            key = partner.kort.casefold()
            known = partners.setdefault(key, partner)
            if known.naam != partner.naam:
                raise ConfigError(
                    f"{config.path}: partner {partner.kort!r} is {partner.naam!r}, in een andere "
                    f"gemeente {known.naam!r}; geef een van beide een andere 'kort'."
                )
            themas = dict.fromkeys((*(known.themas or ()), *(partner.themas or ())))
            partners[key] = replace(known, themas=tuple(themas))
    return tuple(partners.values())


def _cell(spec: Spec, key: str, value: object) -> object:
    """A value as validation read it, ready to be written again: a whole number in a text or
    planning column (a planning typed as 2028) goes back as 2028, not 2028.0."""
    column = spec.column_for(key)
    if isinstance(value, float) and value != value:  # NaN: empty
        return None
    if (
        isinstance(value, float)
        and value.is_integer()
        and column.type in ("text", "planning", "enum")
    ):
        return int(value)
    return value


def _misplaced(
    spec: Spec, block: FoundBlock, index: int, marker: str, who: str, why: str
) -> Finding:
    return finding(
        "X009",
        sheet=block.sheet,
        row=block.rows[index],
        col=block.columns.get(marker, 0),
        column=spec.header_for(marker),
        value=who,
        detail=why,
    )


def _deadline(text: str, first_year: int) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        return default_deadline(KIND, first_year)
