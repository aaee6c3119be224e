"""The monitoring round: from the signed jaarschijven of year Y (or their gezamenlijk overzicht),
one monitoring workbook per corporatie for the round in the first quarter of Y+1.

Every afspraak of a corporatie's signed jaarschijf stands in its monitor, on the tab of its
thema and party, with its fixed text, indicator, eenheid, nulmeting, streefwaarde, doelsoort, the
mijlpaal of the year, scope and planning, all locked (templates/monitor.yaml). The party fills
in realisatie, peildatum, status and toelichting. The signed workbooks are only read (through
load_merged, as evaluate reads them): the round reports beside them, never in them.

The monitor is planned as a WorkbookPlan and written by the same writers as a jaarschijf
(generate.write_workbooks): the cover, the tabs with their guidance and protection, `_meta`
with the fingerprints of every fixed row (so validate checks the fixed text as in a jaarschijf)
and `_vaste_tekst`. What the signed workbook says about its parties and tabs stands in for the
gemeente's config, which the monitor does not need.
"""

import datetime as dt
import hashlib
from collections.abc import Callable, Iterable
from pathlib import Path

from pa_sheets.errors import UsageError
from pa_sheets.merge.combine import Merged
from pa_sheets.merge.read_overview import load_merged
from pa_sheets.merge.sources import Source
from pa_sheets.spec.config import Config, Corporatie, Party
from pa_sheets.spec.kalender import default_deadline, monitor_round
from pa_sheets.spec.model import Spec, Thema, load_spec
from pa_sheets.spec.names import HUURDERSFEDERATIE, OWN_ROLES
from pa_sheets.workbook.generate import write_workbooks
from pa_sheets.workbook.layout import (
    BLOCK_HEAD_ROWS,
    TOP_ROWS,
    PlacedBlock,
    SheetPlan,
    WorkbookPlan,
    place_columns,
    sheet_name,
)
from pa_sheets.workbook.meta import MONITOR
from pa_sheets.workbook.writer import now

SIGNED_KIND = "jaarschijf"  # what a monitor reports on


def generate_monitor(
    paths: Iterable[Path],
    out_dir: Path,
    corporaties: Iterable[str] = (),
    *,
    force: bool = False,
    deadline: dt.date | None = None,
    spec: Spec | None = None,
    created: dt.datetime | None = None,
    progress: Callable[[Path], None] = lambda path: None,
) -> list[Path]:
    """One monitor per corporatie (all, or those named by kort or L-nummer) of the signed
    jaarschijven in `paths` (files, a folder, or one gezamenlijk overzicht) into `out_dir`.

    Example: generate_monitor([Path("getekend-2027/")], Path("monitoring-2027"))
    """
    spec = spec or load_spec()
    paths = list(paths)
    loaded = load_merged(paths, spec)
    merged = loaded.merged
    if merged.kind != SIGNED_KIND:
        raise UsageError(
            f"{', '.join(map(str, paths))}: dit is een {merged.kind}, geen jaarschijf. De "
            "monitoring rapporteert over de getekende jaarschijven: geef die (of hun "
            "gezamenlijk overzicht)."
        )
    unsigned = [s for s in merged.sources if s.report.signing is not None and not s.report.getekend]
    if unsigned:
        names = ", ".join(str(source.path) for source in unsigned)
        raise UsageError(
            f"{names}: niet getekend (blad Ondertekening). De monitoring rapporteert over "
            "getekende afspraken: laat eerst alle partijen tekenen."
        )
    chosen = _chosen(merged.sources, list(corporaties))
    overview = (loaded.overview.name, _sha256(loaded.overview)) if loaded.overview else None
    plans = [plan_monitor(spec, merged, source, deadline, overview) for source in chosen]
    return write_workbooks(plans, out_dir, force, created or now(), progress, inputs=loaded.inputs)


def plan_monitor(
    spec: Spec,
    merged: Merged,
    source: Source,
    deadline: dt.date | None = None,
    overview: tuple[str, str] | None = None,
) -> WorkbookPlan:
    """The monitor of one corporatie's signed jaarschijf (`source`, one of `merged`), its tabs
    those of the jaarschijf that hold afspraken, in the same order and with the same names.
    `overview`: (name, sha256) of the gezamenlijk overzicht it was read from, if it was."""
    facts = source.facts
    year = facts.years[0]
    template = spec.templates[MONITOR]
    block = template.blocks[0]
    config, corporatie, parties = _config(source, spec)
    by_kort = {party.kort: party for party in parties}
    themas = {thema.code: thema for thema in config.themas}
    rows = _afspraken(spec, merged, source)
    columns = place_columns(spec, block, (year,))
    sheets = []
    for thema_code, _rol, kort in source.tabs:
        party = by_kort.get(kort)
        found = rows.get((thema_code, party.display if party else ""), [])
        if party is None or not found:
            continue
        header = TOP_ROWS + BLOCK_HEAD_ROWS
        placed = PlacedBlock(block, TOP_ROWS, header, tuple(found), len(found), columns)
        thema = themas[thema_code]
        sheets.append(SheetPlan(sheet_name(thema, party), thema, party, (placed,)))
    if not sheets:
        raise UsageError(f"{source.path}: de jaarschijf heeft geen afspraken om te monitoren.")
    if overview is not None:
        signed = (f"{overview[0]} ({source.path.name})", overview[1])
    else:
        signed = (source.path.name, source.sha256)
    return WorkbookPlan(
        template,
        spec,
        config,
        corporatie,
        (year,),
        deadline or default_deadline(MONITOR, year, facts.termijnen),
        parties,
        tuple(sheets),
        round=monitor_round(year),
        signed=signed,
        shared=frozenset(_shared(spec, merged, source)),
    )


# ---------------------------------------------------------------------------------------------
# Private helpers.
# ---------------------------------------------------------------------------------------------


def _chosen(sources: list[Source], wanted: list[str]) -> list[Source]:
    """The sources of the corporaties named (kort or L-nummer, any case), or all."""
    if not wanted:
        return sources
    chosen = []
    for name in wanted:
        key = name.strip().casefold()
        found = [
            s
            for s in sources
            if key in (s.facts.corporatie_kort.casefold(), s.facts.l_nummer.casefold())
        ]
        if not found:
            known = ", ".join(s.facts.corporatie_kort for s in sources)
            raise UsageError(f"geen getekende jaarschijf van corporatie {name!r} (wel: {known}).")
        chosen += [s for s in found if s not in chosen]
    return chosen


def _config(source: Source, spec: Spec) -> tuple[Config, Corporatie, tuple[Party, ...]]:
    """What the cover, the lists and `_meta` need of the gemeente's config, from what the
    signed workbook says about itself: its parties (in their order), tabs and themas."""
    facts = source.facts
    parties = []
    for entry in source.parties:
        rol, kort, code = entry["rol"], entry["kort"], entry.get("code") or None
        naam = facts.gemeente if rol == "gemeente" else entry["naam"]
        themas = None
        if rol == "overig":  # a partner signs for the themes of its tabs
            themas = tuple(dict.fromkeys(t for t, r, k in source.tabs if k == kort))
        parties.append(Party(rol, naam, kort, code, themas))
    by_rol: dict[str, list[Party]] = {}
    for party in parties:
        by_rol.setdefault(party.rol, []).append(party)
    gemeente = by_rol.get("gemeente", [Party("gemeente", facts.gemeente, "Gemeente")])[0]
    gemeente = Party("gemeente", gemeente.naam, gemeente.kort, facts.gemeente_code)
    own = Party("corporatie", facts.corporatie, facts.corporatie_kort, facts.l_nummer)
    huurders = by_rol.get("huurdersorganisatie") or [Party("huurdersorganisatie", "geen", "")]
    corporatie = Corporatie(own, huurders[0], tuple(huurders[1:]))
    names = {thema.code: thema for thema in spec.themas}
    tab_themas = tuple(
        Thema(code, source.themas.get(code) or (names[code].naam if code in names else code))
        for code in dict.fromkeys(thema for thema, _, _ in source.tabs)
    )
    config = Config(
        path=source.path,
        gemeente=gemeente,
        eerste_jaar=facts.period[0],
        laatste_jaar=facts.period[1],
        themas=tab_themas,
        corporaties=(corporatie,),
        partners=tuple(by_rol.get("overig", [])),
        lopend=(),
        termijnen=facts.termijnen,
        federaties=tuple(
            Party(p.rol, p.naam, p.kort, leden=(own.kort,))
            for p in by_rol.get(HUURDERSFEDERATIE, [])
        ),
    )
    # The parties as the signed workbook has them, the gemeente and corporatie as the facts say.
    ordered = tuple(
        gemeente if p.rol == "gemeente" else own if p.rol == "corporatie" else p for p in parties
    )
    return config, corporatie, ordered


def _afspraken(
    spec: Spec, merged: Merged, source: Source
) -> dict[tuple[str, str], list[dict[str, object]]]:
    """The afspraken of one signed jaarschijf per tab (thema, party name), going concern first
    and then the new ones, each as the monitor's fixed cells show it. An agree-to-disagree
    point is no agreed text: it goes to the next negotiation, not into the monitor."""
    template = spec.templates[MONITOR].blocks[0]
    fixed = [key for key in template.columns if key in template.fixed]
    blocks = [block.key for block in merged.afspraak_blocks()]
    disagree = set(spec.disagreeing_statuses())
    default_soort = next(term.naam for term in spec.soorten if not term.lopend)
    ordered = sorted(
        (r for r in source.records if r.block in blocks),
        key=lambda r: (blocks.index(r.block), r.sheet, r.row),
    )
    rows: dict[tuple[str, str], list[dict[str, object]]] = {}
    for record in ordered:
        values = record.values
        if not values.get("nummer") and not values.get("afspraak"):
            continue  # an empty input row
        if values.get("status") in disagree:
            continue
        row = {key: _cell(values.get(key)) for key in fixed}
        row["soort"] = row.get("soort") or default_soort
        rows.setdefault((record.thema, record.partij), []).append(row)
    return rows


def _cell(value: object) -> object:
    """A value as the monitor writes it: whole numbers as whole numbers (2025, not 2025.0)."""
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value


def _shared(spec: Spec, merged: Merged, source: Source) -> set[str]:
    """The nummers of this corporatie's afspraken whose target is shared: a scope of several
    parties (alle corporaties, gemeente) on a corporatie's own tabs, or a lopende afspraak that
    stands in the workbook of every corporatie (`corporatie: alle`). Each corporatie reports
    its own contribution to it."""
    joint = set(spec.joint_scopes())
    nummers = {
        str(record.values.get("nummer"))
        for record in source.records
        if record.rol in OWN_ROLES and record.values.get("scope") in joint
    }
    for collective in merged.collectives:
        if collective.shared:
            continue  # the gemeente's or a partner's own afspraak, the same in every workbook
        if any(member is source for member, _ in collective.members):
            nummers.add(collective.nummer)
    return nummers


def _sha256(path: Path) -> str:
    with path.open("rb") as file:
        return hashlib.file_digest(file, "sha256").hexdigest()
