"""Publish the signed prestatieafspraken: one static, self-contained HTML page per gemeente and
year (and per corporatie on request), with the same rows as open data (CSV and JSON) next to it.

The corporatie publishes the afspraken by 15 december (Woningwet art. 44a). The page is made
from the returned jaarschijven or from a gezamenlijk overzicht, through Jinja2 with autoescape:
every text from a workbook is escaped, nothing in it runs. No scripts, no external resources:
the folder works offline and on any web server. Only valid, signed workbooks are published,
unless `concept`.
"""

import datetime as dt
import json
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TypedDict

from pa_sheets import __version__
from pa_sheets.check.source import SentWorkbooks
from pa_sheets.cycle.opendata import (
    PACKAGE_FILE,
    RESOURCES,
    afspraak_columns,
    afspraak_rows,
    package,
    to_csv,
    write_bytes,
    write_package,
)
from pa_sheets.errors import PaSheetsError, UsageError
from pa_sheets.merge.agreed import MERGE_CODES
from pa_sheets.merge.combine import ALL_OF_ROLE, COLLECTIVE, DIFFERENT_STATUS, Merged
from pa_sheets.merge.fold import Folded, fold
from pa_sheets.merge.read_overview import load_merged
from pa_sheets.merge.sources import Source
from pa_sheets.numbers import dutch_number
from pa_sheets.spec.config import Config
from pa_sheets.spec.kalender import dutch_date
from pa_sheets.spec.model import Spec, load_spec
from pa_sheets.spec.names import SIGNING_ROLES
from pa_sheets.spec.palette import palette
from pa_sheets.workbook.output import (
    atomic_path,
    guard_output,
    make_folder,
    name_part,
    output_path,
    refuse_same_names,
)
from pa_sheets.workbook.writer import now

# The columns of an afspraak on the page, in order (nummer, afspraak, ... status vorig jaar).
PAGE_COLUMNS: tuple[str, ...] = ("nummer", "afspraak", "type", "trekker", "indicator", "nulmeting")
PAGE_COLUMNS += ("streefwaarde", "planning", "status_vorig")
# Shown under an afspraak's text when it has them: where it comes from and what it takes.
DETAIL_COLUMNS: tuple[str, ...] = ("kader", "doelsoort", "mijlpaal", "bijdrage")
ALL_CORPORATIES = ALL_OF_ROLE["corporatie"]  # a collective afspraak, shown once
SHOWN_WITH: tuple[str, ...] = (
    "eenheid",
    "nulmeting_jaar",
)  # what a cell of PAGE_COLUMNS is shown with
# The target forms of spec 1.5, shown in the streefwaarde's cell: "1.900 tot 2.500 woningen per
# jaar", "niet meer dan inflatie".
SHOWN_WITH += ("streefwaarde_tot", "referentie", "doeltermijn")
# How a target relative to a reference reads, by its doelsoort (empty: ten opzichte van).
RELATIVE_WORDS = {
    "minimaal": "op of boven",
    "maximaal": "niet meer dan",
    "ongeveer": "ongeveer",
    "exact": "gelijk aan",
}


class NotPublishable(PaSheetsError):
    """Workbooks that are not valid or not signed: published only as a concept."""

    def __init__(self, message: str, problems: list[str]):
        super().__init__(message)
        self.problems = problems


@dataclass
class Published:
    pages: list[Path] = field(default_factory=list)
    data: list[Path] = field(default_factory=list)  # the CSV and JSON next to each page
    problems: list[str] = field(default_factory=list)  # why it is a concept, if it is


def publish_paths(
    paths: Iterable[Path],
    out_dir: Path,
    *,
    concept: bool = False,
    per_corporatie: bool = False,
    force: bool = False,
    spec: Spec | None = None,
    created: dt.datetime | None = None,
    config: Config | None = None,
    sent: SentWorkbooks | None = None,
    contact: str = "",
    toelichting: bool = False,
    herkomst: bool = False,
) -> Published:
    """Write the page(s) and open data for the jaarschijven in `paths` (or one overview) into
    `out_dir`, made when all may be published.

    Example: publish_paths([Path("gezamenlijk-jaarschijf-2027.xlsx")], Path("website"))
    """
    spec = spec or load_spec()
    paths = list(paths)
    merged = _merged(paths, spec, config, sent)
    return publish_merged(
        merged,
        out_dir,
        paths,
        concept=concept,
        per_corporatie=per_corporatie,
        force=force,
        created=created,
        contact=contact,
        toelichting=toelichting,
        herkomst=herkomst,
    )


def publish_merged(
    merged: Merged,
    out_dir: Path,
    paths: Iterable[Path] = (),
    *,
    concept: bool = False,
    per_corporatie: bool = False,
    force: bool = False,
    created: dt.datetime | None = None,
    contact: str = "",
    toelichting: bool = False,
    herkomst: bool = False,
) -> Published:
    """publish_paths for workbooks merged already; `paths`: what was given, never overwritten."""
    when = created or now()
    problems = publication_problems(merged, when.date())
    if problems and not concept:
        raise NotPublishable(
            "niet alles is in orde en door iedereen getekend (zie hierboven): niets "
            "gepubliceerd. Publiceer toch, als concept, met --concept.",
            problems,
        )
    make_folder(out_dir)  # only now: a refused publication leaves no empty folder behind
    inputs = [s.path for s in merged.sources + merged.set_aside] + list(paths)
    targets = _targets(merged, out_dir, inputs, per_corporatie=per_corporatie, force=force)
    published = Published(problems=problems)
    chosen = {"toelichting": toelichting, "herkomst": herkomst}
    for index, (part, name, files) in enumerate(targets):
        html, json_path, csv_path = files[:3]
        page = build_page(part, concept=concept, created=when, contact=contact)
        page.data_files = (csv_path.name, json_path.name)
        if index == 0:
            made = package(part, page, name, **chosen)
            rows = made[0].rows
            written = write_package(out_dir, name, made, page.title)
            page.package_file = PACKAGE_FILE
        else:
            rows = afspraak_rows(part, page, **chosen)
            written = [csv_path]
            write_bytes(csv_path, to_csv(rows, afspraak_columns(**chosen)))
        _write(html, render(page))
        _write(json_path, json.dumps(page.json(rows), ensure_ascii=False, indent=2) + "\n")
        published.pages.append(html)
        published.data += [json_path, *written]
    return published


def _targets(
    merged: Merged, out_dir: Path, inputs: list[Path], *, per_corporatie: bool, force: bool
) -> list[tuple[Merged, str, list[Path]]]:
    """What publish writes: the whole gemeente (and with `per_corporatie` each corporatie), its
    name and its files, each checked against the inputs before anything is written."""
    parts = [(merged, "")]
    if per_corporatie:
        parts += [
            (Merged(merged.spec, [source], []), name_part(kort, keep_apart=True))
            for source in merged.sources
            for kort in [source.template.corporatie_kort]  # type: ignore[union-attr]
        ]
    template = merged.template
    stem = f"prestatieafspraken-{int(template.years[0])}-{name_part(template.gemeente)}"
    targets = []
    for part, suffix in parts:
        name = f"{stem}-{suffix}" if suffix else stem
        files = [output_path(out_dir, f"{name}{end}") for end in (".html", ".json")]
        # The gemeente's page has the whole Data Package beside it; a corporatie's page its
        # afspraken (the same columns).
        names = RESOURCES if not suffix else RESOURCES[:1]
        files += [output_path(out_dir, f"{name}-{resource}.csv") for resource in names]
        if not suffix:
            files.append(output_path(out_dir, PACKAGE_FILE))
        for path in files:
            guard_output(path, inputs, force=force)
        targets.append((part, name, files))
    # Two corporaties whose names make one file name (Linde, LINDE) are refused, not merged.
    refuse_same_names(
        (path, part.sources[0].path.name if suffix else "de hele gemeente")
        for (part, _, files), (_, suffix) in zip(targets, parts, strict=True)
        for path in files
    )
    return targets


def signing_copy(
    paths: Iterable[Path],
    out_dir: Path,
    *,
    force: bool = False,
    spec: Spec | None = None,
    created: dt.datetime | None = None,
    config: Config | None = None,
    sent: SentWorkbooks | None = None,
    contact: str = "",
) -> Path:
    """The copy the parties sign: the page's content as one document, with a signature block
    per party of every corporatie's jaarschijf, clean on A4 from a browser's print. Made before
    anyone signs, so only what is not in order refuses it (NotPublishable).

    Example: signing_copy([Path("gezamenlijk-jaarschijf-2027.xlsx")], Path("tekenen"))
    """
    spec = spec or load_spec()
    paths = list(paths)
    merged = _merged(paths, spec, config, sent)
    when = created or now()
    problems = publication_problems(merged, when.date(), signed=False)
    if problems:
        raise NotPublishable(
            "niet alles is in orde (zie hierboven): geen versie ter ondertekening gemaakt.",
            problems,
        )
    make_folder(out_dir)
    template = merged.template
    name = f"prestatieafspraken-{int(template.years[0])}-{name_part(template.gemeente)}"
    path = output_path(out_dir, f"{name}-ter-ondertekening.html")
    guard_output(path, [s.path for s in merged.sources + merged.set_aside] + paths, force=force)
    page = build_page(merged, concept=False, created=when, contact=contact)
    page.for_signing, page.signed_on = True, None
    page.title = f"Ter ondertekening: {page.title}"
    _write(path, render(page))
    return path


def publication_problems(
    merged: Merged, today: dt.date | None = None, *, signed: bool = True
) -> list[str]:
    """Why the workbooks may not be published yet: one line per workbook not in order, set
    aside, not signed by a party the law has sign (gemeente, corporatie, huurdersorganisatie:
    a partner that has not signed is shown on the page, but does not stop it), or signed on a
    day after `today` (the day the page is made). A late signature is validate's warning
    (O005): it is published. `signed` False: the copy the parties are about to sign, which
    needs everything but the signatures."""
    today = today or now().date()
    problems = []
    for source in merged.sources:
        differing = [f for f in source.report.errors if f.code in MERGE_CODES]
        if differing:  # found only by comparing the workbooks: validate alone does not show it
            cells = "; ".join(f"{f.sheet}!{f.cell}: {f.message}" for f in differing)
            problems.append(
                f"{source.path}: een gedeelde afspraak staat er anders in dan in de andere "
                f"werkboeken, dus niet zoals afgesproken: {cells}"
            )
        elif not source.valid or source.note:
            why = source.note or f"{len(source.report.errors)} fout(en)"
            problems.append(f"{source.path}: niet in orde ({why}); zie pa-sheets validate.")
        signing = source.report.signing
        if signing is None and signed:
            problems.append(
                f"{source.path}: heeft geen blad Ondertekening (gemaakt met spec "
                f"{source.template.spec_version if source.template else '?'}); niet getekend."
            )
            continue
        if signing is None:
            continue
        legal = _legal_roles(merged.spec)
        signs = merged.spec.signing_akkoord()
        must = [p for p in signing.parties if p.rol in legal]
        open_ = [str(p.partij) for p in must if not p.akkoord]
        nee = [str(p.partij) for p in must if p.akkoord and p.akkoord not in signs]
        who = ([f"geen akkoord van {', '.join(nee)}"] if nee else []) + (
            [f"nog niet getekend door {', '.join(open_)}"] if open_ else []
        )
        if who and signed:
            problems.append(f"{source.path}: {'; '.join(who)}.")
        future = [
            f"{p.partij} op {dutch_date(day)}"
            for p in signing.parties
            if (day := _day(p.datum)) is not None and day > today
        ]
        if future and signed:
            problems.append(
                f"{source.path}: getekend na vandaag ({dutch_date(today)}): "
                f"{', '.join(future)}. Klopt de datum? Publiceer na de laatste handtekening."
            )
    for source in merged.set_aside:
        problems.append(f"{source.path}: niet gepubliceerd ({source.note}).")
    return problems


def _legal_roles(spec: Spec) -> set[str]:
    """The roles the law has sign, as the Ondertekening writes them (Gemeente, Corporatie...)."""
    return {spec.roles.get(rol, rol) for rol in SIGNING_ROLES} | set(SIGNING_ROLES)


def _day(text: str | None) -> dt.date | None:
    """A signing date as stored (2026-12-10), or None when there is none or it is not one."""
    try:
        return dt.date.fromisoformat(text) if text and len(text) == 10 else None
    except ValueError:
        return None


def signed_on(merged: Merged) -> dt.date | None:
    """The day the afspraken were signed: the last signature of a party that must sign."""
    legal = _legal_roles(merged.spec)
    days = [
        day
        for source in merged.sources
        if source.report.signing is not None
        for p in source.report.signing.parties
        if p.rol in legal and (day := _day(p.datum)) is not None
    ]
    return max(days, default=None)


# ---------------------------------------------------------------------------------------------
# The page as data: what the template shows, nothing worked out in the template itself.
# ---------------------------------------------------------------------------------------------


@dataclass
class Row:
    corporatie: str
    cells: dict[str, str]  # PAGE_COLUMNS -> text as shown
    status_kleur: str | None = None
    toelichting: str = ""
    thema: str = ""
    folded: Folded | None = None
    # A shared afspraak: what each corporatie reports, side by side (corporatie, status,
    # its colour); empty when every corporatie gives the same status.
    statuses: list[tuple[str, str, str | None]] = field(default_factory=list)


class Thema(TypedDict):
    """A thema on the page and its afspraken, in the order shown."""

    code: str
    naam: str
    rows: list[Row]


@dataclass
class Page:
    title: str
    gemeente: str
    year: int
    period: str
    concept: bool
    created: dt.datetime
    corporaties: list[str]
    parties: list[tuple[str, str]]  # (rol, naam)
    signing: list[dict[str, object]]  # per corporatie: naam, getekend, partijen
    themas: list[Thema]
    disagreed: list[Row]
    sources: list[dict[str, str]]
    headers: dict[str, str]
    data_files: tuple[str, str] = ("", "")  # the afspraken as CSV, the page as JSON
    package_file: str = ""  # the Data Package beside the gemeente's page
    signed_on: dt.date | None = None  # the last signature of a party that must sign
    for_signing: bool = False  # the copy the parties sign: signature blocks, no open data
    contact: str = ""

    @property
    def rows(self) -> list[Row]:
        """Every afspraak on the page once, in the order it is shown."""
        return [row for thema in self.themas for row in thema["rows"]] + self.disagreed

    def json(self, rows: list[dict[str, object]]) -> dict[str, object]:
        return {
            "titel": self.title,
            "gemeente": self.gemeente,
            "jaar": self.year,
            "concept": self.concept,
            "looptijd": self.period,
            "getekend": self.signed_on.isoformat() if self.signed_on else None,
            "gemaakt": self.created.isoformat(timespec="seconds"),
            "contact": self.contact,
            "ondertekening": self.signing,
            "bronnen": self.sources,
            "afspraken": [{k: _json_value(v) for k, v in row.items()} for row in rows],
        }


def build_page(merged: Merged, *, concept: bool, created: dt.datetime, contact: str = "") -> Page:
    spec, template = merged.spec, merged.template
    year = template.years[0]
    themas, disagreed = _rows_per_thema(merged)
    names = merged.themas()
    one = len(merged.sources) == 1
    corporaties = [s.corporatie for s in merged.sources]
    title = f"Prestatieafspraken {year} gemeente {template.gemeente}"
    if one:
        title += f" en {corporaties[0]}"
    return Page(
        title=title,
        gemeente=template.gemeente,
        year=year,
        period=f"{template.period[0]}-{template.period[1]}",
        concept=concept,
        created=created,
        corporaties=corporaties,
        parties=merged.parties(),
        signing=[_signing(source, spec) for source in merged.sources],
        themas=[
            {"code": code, "naam": names.get(code, code), "rows": rows}
            for code, rows in themas.items()
            if rows
        ],
        disagreed=disagreed,
        sources=[_source_line(source) for source in merged.sources],
        headers={key: spec.header_for(key) for key in (*PAGE_COLUMNS, *DETAIL_COLUMNS)},
        signed_on=signed_on(merged),
        contact=contact or _contact(merged),
    )


def _contact(merged: Merged) -> str:
    """Who answers questions when the coordinator names no one: the gemeente, and each
    corporatie for its own afspraken."""
    gemeente = next((naam for rol, naam in merged.parties() if rol == "gemeente"), "")
    return f"{gemeente}; voor de afspraken van een corporatie: die corporatie."


def _corporaties_of(folded: Folded, merged: Merged) -> str:
    """For whom an afspraak is: its corporatie; one shared by every corporatie 'Alle
    corporaties'; one shared by some (a huurdersfederatie's, a named list) those by name."""
    if folded.column != COLLECTIVE:
        return folded.column
    if len(folded.shares) < len(merged.sources):
        return ", ".join(share.corporatie for share in folded.shares)
    return ALL_CORPORATIES


def _rows_per_thema(merged: Merged) -> tuple[dict[str, list[Row]], list[Row]]:
    """The page's rows: per thema what the parties agreed, the afspraken for all corporaties
    first, then per corporatie, by nummer; apart, what they do not agree on."""
    spec = merged.spec
    oneens = set(spec.disagreeing_statuses())
    colours = {name: look.fill for name, look in palette(spec).items()}
    themas: dict[str, list[Row]] = {code: [] for code in merged.themas()}
    disagreed = []
    # A copy of a shared afspraak that differs from the others' (a concept only): not agreed.
    differing = {
        (id(source), item.sheet, item.row): item.message
        for source in merged.sources
        for item in source.report.findings
        if item.code in MERGE_CODES
    }
    for folded in fold(merged):
        status = folded.status("status_vorig")
        shown = (*PAGE_COLUMNS, *DETAIL_COLUMNS)
        values = {key: folded.value(key) for key in (*shown, *SHOWN_WITH)}
        cells = {key: _shown(values, key) for key in shown}
        if waarvan := _waarvan(folded):  # a joint target with its corporaties' aandelen
            cells["streefwaarde"] = ", ".join(t for t in (cells["streefwaarde"], waarvan) if t)
        row = Row(
            _corporaties_of(folded, merged),
            cells,
            colours.get(str(status)),
            "; ".join(_toelichtingen(folded)),
            folded.thema,
            folded,
        )
        if status == DIFFERENT_STATUS:
            row.cells["status_vorig"] = ""
            row.statuses = [
                (share.corporatie, str(value or "geen"), colours.get(str(value)))
                for share, value in zip(
                    folded.shares, folded.per_corporatie("status_vorig").values(), strict=True
                )
            ]
        not_agreed = [
            differing[key]
            for share in folded.shares
            if (key := (id(share.source), share.record.sheet, share.record.row)) in differing
        ]
        if not_agreed:
            row.toelichting = "; ".join(not_agreed)
            disagreed.append(row)
        elif any(s.record.values.get("status") in oneens for s in folded.shares):
            disagreed.append(row)
        else:
            themas.setdefault(folded.thema, []).append(row)
    # Per thema: the afspraken for all corporaties first, then those some of them share, then
    # per corporatie, by nummer.
    order = {name: i + 2 for i, name in enumerate(merged.corporaties)} | {ALL_CORPORATIES: 0}
    for rows in themas.values():
        rows.sort(key=lambda row: (order.get(row.corporatie, 1), row.cells["nummer"]))
    return themas, disagreed


def _waarvan(folded: Folded) -> str:
    """The aandelen of a shared afspraak's corporaties (spec 1.6), after its joint target:
    'waarvan Tiwos 375, TBV Wonen 500'; empty when none gives one."""
    given = {
        corporatie: value
        for corporatie, value in folded.per_corporatie("aandeel").items()
        if isinstance(value, int | float) and not isinstance(value, bool)
    }
    if not folded.shared or not given:
        return ""
    return "waarvan " + ", ".join(f"{c} {dutch_number(v)}" for c, v in given.items())


def _toelichtingen(folded: Folded) -> list[str]:
    """The toelichting of an afspraak: of a shared one each corporatie's own, by name."""
    said = {c: str(v) for c, v in folded.per_corporatie("toelichting").items() if v}
    if not folded.shared or len(set(said.values())) <= 1:
        return list(dict.fromkeys(said.values()))
    return [f"{corporatie}: {text}" for corporatie, text in said.items()]


def _source_line(source: Source) -> dict[str, str]:
    """A returned workbook as the page's list of sources names it."""
    return {
        "bestand": source.path.name,
        "corporatie": source.corporatie,
        "specversie": source.template.spec_version if source.template else "",
        "aangemaakt": (source.template.created if source.template else "")[:10],
        "oordeel": source.verdict,
        "sha256": source.sha256,
    }


def _signing(source: Source, spec: Spec) -> dict[str, object]:
    signing = source.report.signing
    parties = []
    for party in signing.parties if signing is not None else ():
        day = party.datum or ""
        shown = dutch_date(dt.date.fromisoformat(day)) if len(day) == 10 else day
        parties.append({**party.to_dict(), "datum_tekst": shown})
    legal = _legal_roles(spec)
    must = [p for p in signing.parties if p.rol in legal] if signing is not None else []
    signs = spec.signing_akkoord()
    return {
        "corporatie": source.corporatie,
        "getekend": signing is not None and signing.signed,
        "wettelijk_getekend": bool(must) and all(p.akkoord in signs for p in must),
        "partners_open": [
            str(p.partij)
            for p in (signing.parties if signing is not None else ())
            if p.rol not in legal and p.akkoord not in signs
        ],
        "bekend": signing is not None,
        "partijen": parties,
    }


def _shown(values: dict[str, object], key: str) -> str:
    """A cell as a person reads it: numbers the Dutch way with their eenheid, a date as
    31-12-2027, the year of a nulmeting after it."""
    value = values.get(key)
    if key == "streefwaarde" and any(
        values.get(k) not in (None, "") for k in ("streefwaarde_tot", "referentie", "doeltermijn")
    ):
        return _target_shown(values)
    if value is None or value == "":
        return ""
    if isinstance(value, dt.datetime | dt.date):
        return value.strftime("%d-%m-%Y")
    if isinstance(value, float | int) and not isinstance(value, bool):
        text = dutch_number(value)
        if key == "planning":
            return text
        eenheid = values.get("eenheid")
        if eenheid and eenheid != "aantal" and key in ("nulmeting", "streefwaarde"):
            text = f"{text} {eenheid}"  # 12 woningen, 95 %; a bare count stays 12
        year = values.get("nulmeting_jaar")
        if key == "nulmeting" and year and isinstance(year, float | int):
            text += f" ({dutch_number(year)})"
        return text
    return str(value)


def _target_shown(values: dict[str, object]) -> str:
    """A target in one of the forms of spec 1.5 as a person reads it: '1.900 tot 2.500
    woningen per jaar', 'niet meer dan inflatie', '1.250 woningen in totaal'."""
    referentie = values.get("referentie")
    if referentie not in (None, ""):
        words = RELATIVE_WORDS.get(str(values.get("doelsoort") or ""), "ten opzichte van")
        text = f"{words} {referentie}"
    else:
        low = _shown({**values, "streefwaarde_tot": None, "doeltermijn": None}, "streefwaarde")
        high = values.get("streefwaarde_tot")
        if isinstance(high, float | int) and not isinstance(high, bool) and low:
            number, _, unit = low.partition(" ")
            text = f"{number} tot {dutch_number(high)}" + (f" {unit}" if unit else "")
        else:
            text = low
    doeltermijn = values.get("doeltermijn")  # the words say it: per jaar, in totaal
    return f"{text} {doeltermijn}" if text and doeltermijn not in (None, "") else text


def _json_value(value: object) -> object:
    """A value for the page's JSON: a date as 2027-12-31, a whole number without .0."""
    if isinstance(value, dt.datetime | dt.date):
        return value.strftime("%Y-%m-%d")
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value


def render(page: Page) -> str:
    import jinja2

    loader = jinja2.PackageLoader("pa_sheets.cycle", "html")
    environment = jinja2.Environment(
        loader=loader,
        autoescape=True,  # every text from a workbook is escaped: a <script> is shown as text
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    css = loader.get_source(environment, "pagina.css")[0]
    return environment.get_template("pagina.html.j2").render(
        page=page,
        css=css,
        version=__version__,
        created=dutch_date(page.created.date()),
        signed=dutch_date(page.signed_on) if page.signed_on else "",
        details=DETAIL_COLUMNS,
    )


def _write(path: Path, text: str) -> None:
    with atomic_path(path) as temp:
        temp.write_text(text, encoding="utf-8")


def _merged(
    paths: list[Path],
    spec: Spec,
    config: Config | None = None,
    sent: SentWorkbooks | None = None,
) -> Merged:
    """One overview, or the returned jaarschijven (validated and merged, errors allowed: the
    refusal names them)."""
    merged = load_merged(paths, spec, allow_invalid=True, config=config, sent=sent).merged
    if merged.kind != "jaarschijf":
        raise UsageError(
            f"alleen jaarschijven worden gepubliceerd, dit is een {merged.kind}: de "
            "prestatieafspraken van een jaar staan in de jaarschijf."
        )
    return merged
