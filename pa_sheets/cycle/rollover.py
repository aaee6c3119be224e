"""Rollover: next year's jaarschijven from this year's returned ones.

Each afspraak of year Y is accounted for in Y+1. A new afspraak that is not `gerealiseerd` or
`vervallen` becomes a lopende afspraak (its text fixed, its nummer kept), a lopende afspraak
continues, and both show last year's status and realisatie as reference; their status is
empty again. Finished and dropped afspraken are listed on the cover sheet.

The gemeente, the parties and the period come from the returned workbooks' _meta, so no config
is needed: the coordinator rolls over exactly what was agreed.
"""

import datetime as dt
from collections.abc import Callable, Iterable
from pathlib import Path

from pa_sheets.check.source import SentWorkbooks
from pa_sheets.errors import UsageError
from pa_sheets.merge.combine import Merged
from pa_sheets.merge.read_overview import load_merged
from pa_sheets.merge.sources import Record, Source
from pa_sheets.spec.config import Config, Corporatie, LopendeAfspraak, Party, renamed_parties
from pa_sheets.spec.kalender import default_deadline
from pa_sheets.spec.model import Spec, Thema, load_spec
from pa_sheets.workbook.generate import write_workbooks
from pa_sheets.workbook.layout import ClosedAfspraak, plan_workbook
from pa_sheets.workbook.meta import party_ref
from pa_sheets.workbook.writer import now

KIND = "jaarschijf"
# Going-concern columns that are not carried as they were: the soort is the block's, and last
# year's reference columns are filled from last year's status and realisatie.
# A milestone is this year's; next year's comes from the gemeente's config, not this workbook.
NOT_CARRIED = ("soort", "status_vorig", "realisatie_vorig", "mijlpaal")


def rollover(
    paths: Iterable[Path],
    year: int,
    out_dir: Path,
    *,
    force: bool = False,
    spec: Spec | None = None,
    deadline: dt.date | None = None,
    created: dt.datetime | None = None,
    progress: Callable[[Path], None] = lambda path: None,
    gemeente_config: Config | None = None,
    sent: SentWorkbooks | None = None,
) -> list[Path]:
    """Write next year's jaarschijf for every corporatie of the returned jaarschijven (with
    `gemeente_config`, the config they were made from, or the workbooks as `sent`, checked
    against it first).

    Example: rollover([Path("terug-2027/")], 2028, Path("jaarschijf-2028"))
    """
    spec = spec or load_spec()
    merged, inputs = _returned(list(paths), spec, gemeente_config, sent)
    if merged.kind != KIND:
        raise UsageError(
            f"{merged.sources[0].path} is een {merged.kind}; rollover maakt de jaarschijf van "
            "volgend jaar uit de teruggestuurde jaarschijven."
        )
    last, (first_year, last_year) = merged.years[0], merged.template.period
    if year <= last:
        raise UsageError(f"jaar {year} ligt niet na {last}, het jaar van de jaarschijven.")
    if year > last_year:
        raise UsageError(
            f"jaar {year} ligt na de periode {first_year}-{last_year} van de afspraken; maak "
            "voor een nieuwe periode nieuwe afspraken met een gemeenteconfig."
        )
    config = config_from(merged, spec)
    deadline = deadline or default_deadline(KIND, year)
    plans = [
        plan_workbook(
            spec, config, KIND, corporatie, (year,), deadline, closed_afspraken(source, spec)
        )
        for corporatie, source in zip(config.corporaties, merged.sources, strict=True)
    ]
    return write_workbooks(plans, out_dir, force, created or now(), progress, inputs=inputs)


def _returned(
    paths: list[Path],
    spec: Spec,
    gemeente_config: Config | None = None,
    sent: SentWorkbooks | None = None,
) -> tuple[Merged, list[Path]]:
    """Last year's afspraken: from the returned jaarschijven, validated, one gemeente and one
    year and one per corporatie, as merge takes them; or from the overview merge made. And
    the files they were read from."""
    loaded = load_merged(paths, spec, config=gemeente_config, sent=sent)
    refused = [source.path.name for source in loaded.merged.sources if source.note]
    if loaded.overview is not None and refused:
        raise UsageError(
            f"{loaded.overview}: {', '.join(refused)} waren niet in orde bij het samenvoegen. "
            "Rollover begint alleen bij werkboeken die in orde zijn."
        )
    return loaded.merged, loaded.inputs


def config_from(merged: Merged, spec: Spec) -> Config:
    """The gemeente config the returned workbooks were made from, as far as next year needs
    it: the parties, the themes, the period, and the afspraken that go on."""
    template = merged.template
    first = merged.sources[0]
    gemeente = _party(first, "gemeente", code=template.gemeente_code, naam=template.gemeente)
    corporaties = tuple(
        Corporatie(
            _party(source, "corporatie", code=source.facts.l_nummer),
            *_huurders(source),
        )
        for source in merged.sources
    )
    partners, verbanden = _partners(merged, corporaties)
    names = {thema.code: thema.naam for thema in spec.themas}
    for source in merged.sources:
        names.update(source.themas)
    codes = dict.fromkeys(thema for source in merged.sources for thema, _, _ in source.tabs)
    lopend = tuple(
        row
        for corporatie, source in zip(corporaties, merged.sources, strict=True)
        for row in _carried(source, corporatie.party.kort, spec)
    )
    return Config(
        path=first.path,
        gemeente=gemeente,
        eerste_jaar=template.period[0],
        laatste_jaar=template.period[1],
        themas=tuple(Thema(code, names.get(code, code)) for code in codes),
        corporaties=corporaties,
        partners=partners,
        lopend=lopend,
        verbanden=verbanden,
    )


def closed_afspraken(source: Source, spec: Spec) -> tuple[ClosedAfspraak, ...]:
    closing = spec.closing_statuses()
    return tuple(
        ClosedAfspraak(
            str(record.values.get("nummer") or ""),
            record.sheet,
            str(record.values.get("afspraak") or ""),
            str(record.values.get("status")),
            str(record.values.get("toelichting") or ""),
        )
        for record in _afspraken(source, spec)
        if record.values.get("status") in closing
    )


def _afspraken(source: Source, spec: Spec) -> list[Record]:
    blocks = {block.key for block in spec.templates[KIND].blocks if block.holds_afspraken}
    return [record for record in source.records if record.block in blocks]


def _carried(source: Source, corporatie: str, spec: Spec) -> list[LopendeAfspraak]:
    """The afspraken of one workbook that go on, as lopende afspraken of its corporatie: what
    the spec fixes in a going-concern row is what they keep."""
    block = spec.templates[KIND].lopend_block
    assert block is not None  # a jaarschijf has lopende afspraken
    fixed = [key for key in block.columns if key in block.fixed and key not in NOT_CARRIED]
    closing = spec.closing_statuses()
    refs = {party["naam"]: _ref(source, party) for party in source.parties}
    rows = []
    for record in _afspraken(source, spec):
        values = record.values
        if values.get("status") in closing:
            continue
        carried = {key: values.get(key) for key in fixed if values.get(key) is not None}
        for key in ("trekker", "betrokken"):  # validated: the names of parties
            if key in carried:
                carried[key] = renamed_parties(carried[key], refs)
        carried["status_vorig"] = values.get("status")
        carried["realisatie_vorig"] = values.get("realisatie")
        party = next(p for p in source.parties if p["naam"] == record.partij)
        rows.append(
            LopendeAfspraak(
                str(values["nummer"]), record.thema, refs[party["naam"]], corporatie, carried
            )
        )
    return rows


def _party(source: Source, rol: str, *, code: str | None = None, naam: str | None = None) -> Party:
    found = next(p for p in source.parties if p["rol"] == rol)
    return Party(rol, naam or found["naam"], found["kort"], code or found["code"] or None)


def _huurders(source: Source) -> tuple[Party | None, tuple[Party, ...]]:
    """A corporatie's huurdersorganisaties, in the order of its workbook: the first (None when
    it has none), the rest."""
    found = [
        Party("huurdersorganisatie", p["naam"], p["kort"])
        for p in source.parties
        if p["rol"] == "huurdersorganisatie"
    ]
    return (found[0] if found else None), tuple(found[1:])


def _ref(source: Source, party: dict[str, str]) -> str:
    """How the config names a party of this workbook: a second huurdersorganisatie by its kort,
    as a partner; the others by role (layout.party_ref)."""
    first = next((p for p in source.parties if p["rol"] == "huurdersorganisatie"), None)
    if party["rol"] == "huurdersorganisatie" and party is not first:
        return party["kort"]
    return party_ref(party)


def _partners(
    merged: Merged, corporaties: tuple[Corporatie, ...]
) -> tuple[tuple[Party, ...], tuple[Party, ...]]:
    """The other partners, each with the themes it has a tab for; and the
    samenwerkingsverbanden: a party of rol overig in the workbooks of some corporaties only."""
    names: dict[str, str] = {}
    themes: dict[str, dict[str, None]] = {}
    members: dict[str, list[str]] = {}
    for source, corporatie in zip(merged.sources, corporaties, strict=True):
        for party in source.parties:
            if party["rol"] == "overig":
                names[party["kort"]] = party["naam"]
                members.setdefault(party["kort"], []).append(corporatie.party.kort)
        for thema, rol, kort in source.tabs:
            if rol == "overig":
                themes.setdefault(kort, {})[thema] = None
    everyone = len(corporaties)
    partners = tuple(
        Party("overig", names[kort], kort, None, tuple(themes.get(kort, {})))
        for kort in names
        if len(members[kort]) == everyone
    )
    verbanden = tuple(
        Party("overig", names[kort], kort, leden=tuple(members[kort]))
        for kort in names
        if len(members[kort]) < everyone
    )
    return partners, verbanden
