"""Fill a generated workbook with realistic answers, as a careful corporatie would: for the demo,
the samples and the benchmarks. The cells are typed with openpyxl into the template itself, so
the result is exactly what comes back from a party (same _meta, same protection).

Careful means: every value lies inside its indicator's bereik and in its eenheid (whole where
the eenheid counts whole things); a streefwaarde lies in the indicator's richting from the
nulmeting; a realisatie lies near the path from nulmeting to streefwaarde and agrees with its
status (gerealiseerd meets the streefwaarde, rood clearly misses it, oranje lags); the nulmeting
was measured before the jaarschijf year; a new afspraak is planned in the period and not before
the jaarschijf year; the afspraak text says what its indicator measures; amounts stay between
thousands and a few million euro; a nummer carries the thema of its tab. Each jaarschijf gets a
few rood and oranje rows, each with a toelichting; a bod gets numbers for every one of its years.
"""

import datetime as dt
import random
from dataclasses import dataclass
from pathlib import Path

from pa_sheets.errors import SpecError
from pa_sheets.numbers import dutch_number, euro
from pa_sheets.spec.config import ALLE
from pa_sheets.spec.model import Indicator, Spec, load_spec
from pa_sheets.spec.names import CORPORATIE
from pa_sheets.spec.planning import planning_year
from pa_sheets.spec.yamlfile import load_yaml
from pa_sheets.workbook import meta
from pa_sheets.workbook.writer import LINE_10PT, row_height


@dataclass(frozen=True)
class Profiel:
    """What one corporatie in a middelgrote gemeente typically reports for an indicator."""

    nul: tuple[float, float]  # the nulmeting (for a stroom: the flow in the nulmeting year)
    doel: tuple[float, float] | None = None  # the streefwaarde, or else
    stap: tuple[float, float] | None = None  # its distance from the nulmeting, in the richting
    decimalen: int = 0  # for an eenheid that is not whole: 7,5 as rapportcijfer, 4,5%
    kosten: int | None = None  # EUR per unit, for a bijdrage or an investering


# Per standard indicator (templates/indicatoren.yaml): sensible magnitudes for one corporatie.
PROFIELEN: dict[str, Profiel] = {
    "BS01": Profiel(nul=(10, 30), doel=(15, 40), kosten=220_000),
    "BS02": Profiel(nul=(10, 30), doel=(20, 60), kosten=60_000),
    "BS03": Profiel(nul=(0, 10), doel=(8, 25), kosten=250_000),
    "BS04": Profiel(nul=(2_500, 6_000), stap=(20, 150)),
    "BS05": Profiel(nul=(10, 30), doel=(2, 12)),
    "BS06": Profiel(nul=(10, 25), doel=(2, 10)),
    "BS07": Profiel(nul=(0, 40), doel=(20, 60), kosten=30_000),
    "BS08": Profiel(nul=(0, 10), doel=(12, 40), kosten=90_000),
    "BT01": Profiel(nul=(3.5, 6.5), doel=(2.0, 4.5), decimalen=1),
    "BT02": Profiel(nul=(60, 75), stap=(1, 6)),
    "BT03": Profiel(nul=(88, 94), doel=(95, 98)),
    "BT04": Profiel(nul=(60, 140), stap=(15, 40)),
    "BT05": Profiel(nul=(4, 12), doel=(1, 4)),
    "BT06": Profiel(nul=(40, 90), doel=(80, 150)),
    "VD01": Profiel(nul=(40, 120), doel=(100, 250), kosten=25_000),
    "VD02": Profiel(nul=(60, 250), doel=(10, 40)),
    "VD03": Profiel(nul=(30, 100), doel=(80, 200), kosten=40_000),
    "VD04": Profiel(nul=(0, 40), doel=(50, 150), kosten=35_000),
    "VD05": Profiel(nul=(300, 1_200), stap=(50, 250)),
    "VD06": Profiel(nul=(40, 150), stap=(20, 35)),
    "VD07": Profiel(nul=(30, 80), doel=(60, 150), kosten=3_000),
    "VD08": Profiel(nul=(1_000_000, 3_000_000), doel=(2_000_000, 5_000_000)),
    "VD09": Profiel(nul=(50, 150), doel=(120, 300)),
    "WZ01": Profiel(nul=(400, 1_500), stap=(20, 120)),
    "WZ02": Profiel(nul=(0, 12), doel=(16, 40), kosten=180_000),
    "WZ03": Profiel(nul=(20, 60), doel=(40, 100), kosten=8_000),
    "AG01": Profiel(nul=(40, 120), doel=(80, 180)),
    "AG02": Profiel(nul=(20, 60), doel=(40, 110)),
    "AG03": Profiel(nul=(5, 15), doel=(12, 30)),
    "AG04": Profiel(nul=(15, 40), doel=(25, 60)),
    "AG05": Profiel(nul=(5, 12), doel=(7, 15)),
    "AG06": Profiel(nul=(0, 10), doel=(10, 30)),
    "LB01": Profiel(nul=(6.4, 7.3), stap=(0.2, 0.6), decimalen=1),
    "LB02": Profiel(nul=(150_000, 400_000), doel=(200_000, 500_000)),
    "LB03": Profiel(nul=(80, 200), stap=(15, 50)),
    "SW01": Profiel(nul=(3, 4), doel=(4, 6)),
    "SW02": Profiel(nul=(6.2, 7.2), stap=(0.2, 0.8), decimalen=1),
    "SW03": Profiel(nul=(6.8, 7.5), stap=(0.1, 0.5), decimalen=1),
}
# An indicator of the gemeente's own, or one added to the list later: by its eenheid.
PER_EENHEID: dict[str, Profiel] = {
    "%": Profiel(nul=(60, 80), stap=(2, 8)),
    "rapportcijfer": Profiel(nul=(6.5, 7.2), stap=(0.2, 0.5), decimalen=1),
    "EUR": Profiel(nul=(50_000, 200_000), doel=(100_000, 400_000)),
}
DEFAULT_PROFIEL = Profiel(nul=(10, 40), doel=(30, 80))

# What the parties type: the texts of the afspraken, toelichtingen, activities, requests and
# signatures live in teksten.yaml (its comments say what each is and which fields a text has).
_TEKSTEN = load_yaml(Path(__file__).with_name("teksten.yaml"), SpecError)
TEKSTEN: dict[str, dict[str, list[str]]] = _TEKSTEN["afspraken"]  # standard indicator -> rol
TYPES: dict[str, str] = _TEKSTEN["types"]
GENERIC: list[str] = _TEKSTEN["eigen_thema"]
FALLBACK: str = _TEKSTEN["zonder_tekst"]
WIE: dict[str, str] = _TEKSTEN["wie"]
WIJKEN: list[str] = _TEKSTEN["wijken"]
PLEKKEN: list[str] = _TEKSTEN["plekken"]
TOELICHTINGEN: dict[str, dict[str, list[str]]] = _TEKSTEN["toelichtingen"]
TOELICHTING: dict[str, str] = _TEKSTEN["toelichting"]
GEREALISEERD: str = _TEKSTEN["gerealiseerd"]
ACTIVITEITEN: list[tuple[str, int, int]] = [tuple(a) for a in _TEKSTEN["activiteiten"]]
WIJK_NAMEN: list[str] = _TEKSTEN["wijk_namen"]
VRAGEN: dict[str, dict[str, list[str]]] = _TEKSTEN["vragen"]
TEKENAARS: dict[str, tuple[str, list[str]]] = {  # rol -> (functie, names)
    rol: (signer["functie"], signer["namen"]) for rol, signer in _TEKSTEN["tekenaars"].items()
}
VOORBEHOUD: str = _TEKSTEN["voorbehoud"]
NIET_GETEKEND: str = _TEKSTEN["niet_getekend"]
ONEENS: str = _TEKSTEN["oneens"]
# A party's statuses, by how often.
STATUSES = ["groen"] * 5 + ["oranje", "rood", "gerealiseerd", "niet gestart"]
FORCED = ("rood", "oranje")  # every jaarschijf shows one of each, if it has rows to show them
MAX_NEW_ROWS = 3  # faults.py writes its own rows further down a nieuw block (FAULT_ROW)
MAX_AMOUNT = 10_000_000  # a bijdrage or yearly investering: thousands to a few million


def fill_workbook(source: Path, target: Path, seed: int = 0, spec: Spec | None = None) -> Path:
    """Write a filled copy of the blank workbook `source` to `target`."""
    import openpyxl

    spec = spec or load_spec()
    workbook = openpyxl.load_workbook(source)
    info = meta.parse([list(row) for row in workbook[meta.SHEET].iter_rows(values_only=True)])
    filler = _Filler(random.Random(seed), spec, workbook, info, seed)
    marker = spec.templates[filler.kind].gemeente_column
    fits = _gemeente_tabs(source, info, spec) if marker else {}
    for block in info.blocks:
        sheet = workbook[block.sheet]
        columns = {key: i + 1 for i, key in enumerate(block.columns)}
        for offset, values in enumerate(filler.rows(block, sheet, columns)):
            if marker and offset >= block.fixed_rows:  # a basisbod: for which gemeente
                ref = next(meta.party_ref(p) for p in info.parties if p["kort"] == block.partij)
                fitting = [code for code, tabs in fits.items() if (block.thema, ref) in tabs]
                values[marker] = filler.rng.choice([ALLE, *fitting])
            row = block.first_row + offset
            for key, value in values.items():
                # What the filler writes: texts, numbers and dates; None leaves the cell.
                if key in columns and isinstance(value, str | int | float | dt.date):
                    sheet.cell(row, columns[key], value)
            _fit_row(sheet, row, columns)
    if info.signing is not None:
        _sign(workbook, info, spec, seed)
        if seed % 3 == 1:
            _agree_to_disagree(workbook, info, spec)
    target.parent.mkdir(parents=True, exist_ok=True)
    temp = target.with_name(f".{target.name}.tmp")
    workbook.save(temp)
    temp.replace(target)
    return target


def _column_widths(sheet) -> dict[int, float]:
    """Column number -> width. openpyxl keeps a run of equal columns (xlsxwriter writes
    `<col min="1" max="2">`) under its first letter only: asked for B it would say 13."""
    widths = {}
    for dimension in sheet.column_dimensions.values():
        if dimension.width and dimension.min and dimension.max:
            for col in range(dimension.min, dimension.max + 1):
                widths[col] = dimension.width
    return widths


def _fit_row(sheet, row: int, columns: dict[str, int]) -> None:
    """A person who types a long text sees the row grow: as high as its longest wrapped text."""
    widths = _column_widths(sheet)
    cells = []
    for col in columns.values():
        cell = sheet.cell(row, col)
        if isinstance(cell.value, str) and cell.alignment.wrap_text:
            cells.append((cell.value, widths.get(col, 8.43)))
    height = row_height(cells, size=10)
    if height > LINE_10PT:
        sheet.row_dimensions[row].height = height


def _sign(workbook, info: meta.Meta, spec: Spec, seed: int) -> None:
    """Every party signs in the first half of december of the year before the jaarschijf. A
    separate random source, so the rest of the workbook stays as it was before spec 1.4."""
    rng = random.Random(f"ondertekening-{seed}")
    block, year = info.signing, meta.Facts.from_texts(info.facts).years[0]
    assert block is not None
    sheet = workbook[block.sheet]
    columns = {key: i + 1 for i, key in enumerate(block.columns)}
    day = dt.datetime(year - 1, 12, rng.randint(1, 12))
    for offset, party in enumerate(info.parties):
        functie, names = TEKENAARS[party["rol"]]
        values: dict[str, object] = {"akkoord": "akkoord", "datum": day, "naam": rng.choice(names)}
        values["functie"] = functie
        if party["rol"] == "huurdersorganisatie" and seed % 3 == 2:
            values |= {"akkoord": spec.akkoord[1].naam, "voorbehoud": VOORBEHOUD}
            values["niet_getekend"] = NIET_GETEKEND
        for key, value in values.items():
            if key in columns:
                sheet.cell(block.first_row + offset, columns[key], value)


def _agree_to_disagree(workbook, info: meta.Meta, spec: Spec) -> None:
    """The first new afspraak on a corporatie tab becomes one the parties agree to disagree on."""
    status = spec.disagreeing_statuses()[0]
    for block in info.blocks:
        if block.key != "nieuw" or block.rol != CORPORATIE or "status" not in block.columns:
            continue
        sheet = workbook[block.sheet]
        columns = {key: i + 1 for i, key in enumerate(block.columns)}
        if sheet.cell(block.first_row, columns["nummer"]).value is None:
            continue
        for key, value in {"status": status, "toelichting": ONEENS, "realisatie": None}.items():
            if key in columns:
                sheet.cell(block.first_row, columns[key], value)
        return


def afspraak_texts(code: str) -> tuple[str, ...]:
    """The texts an afspraak on standard indicator `code` may have (with their fields)."""
    return tuple(
        text.partition("|")[2] for texts in TEKSTEN.get(code, {}).values() for text in texts
    )


def _gemeente_tabs(source: Path, info: meta.Meta, spec: Spec) -> dict[str, set[tuple[str, str]]]:
    """A basisbod's gemeenten, each with the tabs of its own bod: a row for one gemeente only
    goes on a tab that gemeente has."""
    from pa_sheets.cycle.basisbod import gemeente_configs, tab_refs

    configs = gemeente_configs(source, info, spec)
    return {code: tab_refs(*config) for code, config in configs.items()}


@dataclass
class _Lopend:
    """The fixed values of a going-concern row, as generated from the gemeente's config."""

    indicator: Indicator | None
    eenheid: str | None
    nul: float | None
    nul_jaar: int | None
    streef: float | None
    planning: int | None
    started: bool = False  # last year's status says it was under way (after a rollover)

    def richting(self) -> str:
        if self.indicator is not None:
            return self.indicator.richting
        if self.nul is not None and self.streef is not None and self.streef < self.nul:
            return "lager"
        return "hoger"

    def measurable(self) -> bool:
        """A streefwaarde with a richting: a status can say whether it is met."""
        return self.streef is not None and self.richting() != "neutraal"


class _Filler:
    """Makes up the answers for one workbook, block by block."""

    def __init__(self, rng: random.Random, spec: Spec, workbook, info: meta.Meta, seed: int = 0):
        self.rng, self.spec, self.info, self.seed = rng, spec, info, seed
        facts = meta.Facts.from_texts(info.facts)
        self.kind, self.years, self.period = facts.kind, facts.years, facts.period
        self.year = self.years[0]  # the jaarschijf year; a bod's first year
        self.parties = {party["kort"]: party["naam"] for party in info.parties}
        # Nummers in use: GM0344/BT-01 in a basisbod; last year's finished afspraken keep theirs.
        self.used = {key.rpartition("/")[2] for (_sheet, key) in info.fixed} | set(info.closed)
        self.statuses = self._plan_statuses(workbook)

    # -- per block ----------------------------------------------------------------------------

    def rows(self, block: meta.MetaBlock, sheet, columns) -> list[dict[str, object]]:
        if block.key == "going_concern":
            return [
                self._progress(block, sheet, columns, row)
                for row in range(block.first_row, block.first_row + block.fixed_rows)
            ]
        if block.key == "nieuw":
            return self._new_rows(block)
        if block.key == "leefbaarheid":
            return [self._activity() for _ in range(self.rng.randint(1, 3))]
        if block.key == "wederkerigheid":
            per_thema = VRAGEN.get(block.rol, VRAGEN["overig"])
            options = per_thema.get(block.thema) or per_thema.get("") or VRAGEN["overig"][""]
            asked = self.rng.sample(options, min(len(options), self.rng.randint(1, 2)))
            return [
                {"vraag": vraag, "gevraagd_voor": f"Q{q} {self.year}"}
                for q, vraag in enumerate(asked, start=1)
            ]
        return []

    # -- going concern ------------------------------------------------------------------------

    def _lopend(self, block: meta.MetaBlock, sheet, columns, row: int) -> _Lopend:
        def cell(key: str) -> object:
            return sheet.cell(row, columns[key]).value if key in columns else None

        name = cell("indicator")
        planned = cell("planning")
        start = _number(cell("nulmeting_jaar"))
        return _Lopend(
            indicator=self.spec.indicator(str(name)) if name else None,
            eenheid=str(cell("eenheid")) if cell("eenheid") else None,
            nul=_number(cell("nulmeting")),
            nul_jaar=int(start) if start is not None else None,
            streef=_number(cell("streefwaarde")),
            planning=planning_year(planned) if planned is not None else None,
            started=cell("status_vorig") in ("groen", "oranje", "rood"),
        )

    def _plan_statuses(self, workbook) -> dict[tuple[str, int], str]:
        """The status of every going-concern row of a jaarschijf, decided for the workbook at
        once: one rood and one oranje among the rows with a measurable streefwaarde, the rest
        mostly groen or, when due, gerealiseerd. A collective afspraak is in every corporatie's
        workbook: careful corporaties mostly agree on how it goes, so a row's status follows
        from the row (its nummer and text), not from the workbook; only one workbook in three
        sees one of them differently, as the overview's 'uiteenlopend' must show."""
        rows = []
        for block in self.info.blocks:
            if block.key != "going_concern" or "status" not in block.columns:
                continue
            columns = {key: i + 1 for i, key in enumerate(block.columns)}
            sheet = workbook[block.sheet]
            for row in range(block.first_row, block.first_row + block.fixed_rows):
                lopend = self._lopend(block, sheet, columns, row)
                text = [sheet.cell(row, columns[k]).value for k in ("nummer", "afspraak")]
                rows.append((block.sheet, row, lopend, "|".join(map(str, text))))
        statuses = {}
        for sheet, row, lopend, key in rows:
            due = self._fraction(lopend) >= 1
            if due:
                options = {"gerealiseerd": 5, "groen": 3, "oranje": 1}
            elif lopend.started:
                options = {"groen": 9, "oranje": 1}
            else:
                options = {"groen": 8, "oranje": 1, "niet gestart": 1}
            shared = random.Random(f"status|{key}")  # the same row: the same status
            statuses[(sheet, row)] = shared.choices(list(options), list(options.values()))[0]
        # The forced statuses on the same rows in every workbook: ordered by the row alone.
        measurable = sorted(
            (
                (random.Random(f"volgorde|{key}").random(), sheet, row)
                for sheet, row, lopend, key in rows
                if lopend.measurable()
            ),
        )
        places = [(sheet, row) for _, sheet, row in measurable]
        for place, status in zip(places, FORCED, strict=False):
            statuses[place] = status
        if self.seed % 3 == 2 and len(places) > len(FORCED):
            place = places[len(FORCED)]
            statuses[place] = "oranje" if statuses[place] != "oranje" else "groen"
        return statuses

    def _progress(self, block: meta.MetaBlock, sheet, columns, row: int) -> dict[str, object]:
        values: dict[str, object] = {}
        lopend = self._lopend(block, sheet, columns, row)
        if "status" in columns:
            status = self.statuses.get((block.sheet, row), "groen")
            done = self._realisatie(lopend, status)
            if done is None and status in ("gerealiseerd", "rood") and lopend.measurable():
                status = "groen"  # the streefwaarde cannot be missed (or met) within its bereik
            values["status"] = status
            values["realisatie"] = done if "realisatie" in columns else None
            values["toelichting"] = self._toelichting(block.thema, status)
        values.update(self._per_year(block, lopend.indicator, lopend.eenheid))
        return values

    def _fraction(self, lopend: _Lopend) -> float:
        """How far along the path from nulmeting to streefwaarde the afspraak should be at the
        end of the jaarschijf year: 1 when it is due."""
        end = lopend.planning or self.period[1]
        start = lopend.nul_jaar if lopend.nul_jaar is not None else self.year - 1
        if end <= self.year or end <= start:
            return 1.0
        return min(1.0, max(0.0, (self.year - start) / (end - start)))

    def _realisatie(self, lopend: _Lopend, status: str) -> float | int | None:
        """A realisatie near the path that agrees with the status; None where there is none."""
        target = lopend.streef
        if target is None or status == "niet gestart":
            return None
        richting = lopend.richting()
        eenheid = lopend.eenheid or (lopend.indicator.eenheid if lopend.indicator else "")
        start = lopend.nul
        if start is None:  # a stroom without nulmeting starts at nothing; a stand from above
            start = target * 1.5 + 1 if richting == "lager" else 0
        fraction = self._fraction(lopend)
        gap = target - start
        meets = status == "gerealiseerd" or (status == "groen" and fraction >= 1)
        if meets:
            value = target + gap * self.rng.uniform(0, 0.1)
        else:
            share = {"groen": (0.9, 1.0), "oranje": (0.55, 0.8), "rood": (0.2, 0.5)}[status]
            value = start + gap * fraction * self.rng.uniform(*share)
        profiel = _profiel(lopend.indicator, eenheid)
        low, high = self.spec.bereik(eenheid, lopend.indicator)
        value = _round(self.spec, value, eenheid, profiel, low, high)
        step = _step(self.spec, eenheid, profiel)
        if richting == "neutraal":
            return _round(self.spec, target, eenheid, profiel, low, high) if meets else value
        better = 1 if richting == "hoger" else -1
        met = (value - target) * better >= 0
        if meets and not met:
            value = target
        elif not meets and met:
            value = _round(self.spec, target - better * step, eenheid, profiel, low, high)
            if (value - target) * better >= 0:
                return None  # at the edge of its bereik: it cannot be missed
        return value

    def _toelichting(self, thema: str, status: str) -> str | None:
        if status in TOELICHTINGEN:
            texts = TOELICHTINGEN[status].get(thema) or (TOELICHTING[status],)
            return self.rng.choice(texts)
        if status == "gerealiseerd" and self.rng.random() < 0.3:
            return GEREALISEERD
        return None

    # -- new afspraken ------------------------------------------------------------------------

    def _new_rows(self, block: meta.MetaBlock) -> list[dict[str, object]]:
        options = self._options(block)
        count = min(self.rng.randint(0, MAX_NEW_ROWS), len(options))
        chosen: list[tuple[Indicator | None, str]] = []
        for _ in range(count):  # a new indicator where there is one, never the same text
            left = [option for option in options if option not in chosen]
            fresh = [option for option in left if option[0] not in {c[0] for c in chosen}]
            chosen.append(self.rng.choice(fresh or left))
        return [self._new(block, indicator, text) for indicator, text in chosen]

    def _options(self, block: meta.MetaBlock) -> list[tuple[Indicator | None, str]]:
        """(indicator, text) pairs that fit this tab's thema and rol; in a bod only indicators
        whose yearly numbers are counts or shares (the Aantal columns are whole numbers)."""
        indicators = [i for i in self.spec.indicators if i.thema == block.thema]
        if self.kind != "jaarschijf":
            indicators = [i for i in indicators if _countable(self.spec, i.eenheid)]
        options: list[tuple[Indicator | None, str]] = [
            (indicator, text)
            for indicator in indicators
            for text in TEKSTEN.get(indicator.code, {}).get(block.rol, ())
        ]
        if options:
            return options
        if indicators:
            return [(indicator, FALLBACK) for indicator in indicators]
        return [(None, text) for text in GENERIC]

    def _new(self, block: meta.MetaBlock, indicator: Indicator | None, text: str):
        code, _, template = text.partition("|")
        party = self.parties.get(block.partij, block.partij)
        fields = {
            "wie": WIE.get(block.rol, party),
            "wijk": self.rng.choice(WIJKEN),
            "plek": self.rng.choice(PLEKKEN),
            "naam": indicator.naam.lower() if indicator else "",
        }
        values: dict[str, object] = {
            "nummer": self._nummer(block.thema),
            "soort": "nieuw",
            "type": TYPES[code],
            "trekker": party,
            "indicator": indicator.naam if indicator else None,
            "eenheid": indicator.eenheid if indicator else None,
        }
        if self.kind == "jaarschijf":
            values.update(self._jaarschijf_target(indicator, fields))
        else:
            values.update(self._bod_plan(block, indicator, fields, template))
        values["afspraak"] = template.format(**fields)
        values["bijdrage"] = (
            self._bijdrage(block.rol, indicator, values) if self.kind == "jaarschijf" else None
        )
        return values

    def _jaarschijf_target(self, indicator: Indicator | None, fields: dict) -> dict[str, object]:
        """Nulmeting, streefwaarde, planning and status of a new afspraak in a jaarschijf."""
        first, last = self.period
        low_year = max(self.year, first)
        planned = low_year
        if last > low_year and self.rng.random() < 0.4:
            planned = self.rng.randint(low_year + 1, last)
        planning = (
            f"Q{self.rng.randint(1, 4)} {planned}" if self.rng.random() < 0.7 else str(planned)
        )
        fields.update(jaar=planned, eind=planned, streef="", nul="")
        values: dict[str, object] = {
            "planning": planning,
            "status": self.rng.choice(["niet gestart", "niet gestart", "groen"]),
        }
        if indicator is None:
            return values
        start, target = self._target(indicator)
        fields.update(streef=_text(target, indicator), nul=_text(start, indicator))
        values.update(
            nulmeting=start,
            nulmeting_jaar=self.year - self.rng.choice([1, 1, 1, 2]),
            streefwaarde=target,
        )
        return values

    def _target(self, indicator: Indicator) -> tuple[float | int, float | int]:
        """A nulmeting and a streefwaarde that lies in the indicator's richting from it."""
        eenheid = indicator.eenheid
        profiel = _profiel(indicator, eenheid)
        low, high = self.spec.bereik(eenheid, indicator)
        start = _round(self.spec, self.rng.uniform(*profiel.nul), eenheid, profiel, low, high)
        if profiel.doel is not None:
            target = self.rng.uniform(*profiel.doel)
        else:
            distance = self.rng.uniform(*(profiel.stap or (1, 10)))
            target = start - distance if indicator.richting == "lager" else start + distance
        target = _round(self.spec, target, eenheid, profiel, low, high)
        sign = {"hoger": 1, "lager": -1}.get(indicator.richting, 0)
        if (target - start) * sign < 0:
            start, target = target, start
        return start, target

    def _bod_plan(
        self, block: meta.MetaBlock, indicator: Indicator | None, fields: dict, template: str
    ) -> dict[str, object]:
        """The yearly numbers of a new voornemen in a bod, and what its text says of them: the
        total of a flow over the years; the level of a stock or a share at the end, and of a
        flow that goes down 'tot ten hoogste' some number."""
        first, last = self.years[0], self.years[-1]
        fields.update(jaar=f"de jaren {first}-{last}", eind=last, streef="", nul="")
        eenheid = indicator.eenheid if indicator else None
        start, numbers = self._yearly_numbers(indicator, eenheid)
        values = self._per_year(block, indicator, eenheid, numbers)
        if indicator is None or start is None:
            return values
        counts = [n for n in numbers if n is not None]  # with a start: one for every year
        unit = self.spec.eenheid(indicator.eenheid)
        flow = indicator.soort == "stroom" and unit is not None and unit.geheel
        if flow and "tot ten hoogste" not in template:
            fields.update(streef=_text(sum(counts), indicator))
        else:
            fields.update(streef=_text(counts[-1], indicator))
        fields.update(nul=_text(start, indicator))
        if block.thema == "BS" and block.rol == "corporatie" and self.rng.random() < 0.3:
            values["toelichting"] = "Onder voorbehoud van de omgevingsvergunning."
        return values

    def _bijdrage(self, rol: str, indicator: Indicator | None, values: dict) -> int | None:
        """What this party puts in, in euro: per unit where the indicator counts something
        that costs money, else a lump sum; often nothing."""
        if self.rng.random() < 0.4:
            return None
        profiel = _profiel(indicator, indicator.eenheid) if indicator else DEFAULT_PROFIEL
        target = values.get("streefwaarde")
        stroom = indicator is not None and indicator.soort == "stroom"
        if rol == "corporatie" and profiel.kosten and stroom and isinstance(target, int | float):
            return _euros(float(target) * profiel.kosten * self.rng.uniform(0.8, 1.1))
        lumps = {
            "corporatie": (25_000, 50_000, 100_000, 250_000),
            "gemeente": (25_000, 50_000, 75_000, 120_000, 250_000),
            "huurdersorganisatie": (2_500, 5_000, 10_000),
        }.get(rol, (10_000, 25_000))
        return self.rng.choice(lumps)

    # -- the bod's years ----------------------------------------------------------------------

    def _per_year(
        self, block: meta.MetaBlock, indicator, eenheid, numbers: list | None = None
    ) -> dict[str, object]:
        """The bod's planned numbers and investments for every one of its years (none in a
        jaarschijf): counts and shares in the Aantal columns, money only for the corporatie."""
        if self.kind == "jaarschijf":
            return {}
        values: dict[str, object] = {}
        if numbers is None:
            numbers = self._yearly_numbers(indicator, eenheid)[1]
        for year, number in zip(self.years, numbers, strict=True):
            values[f"aantal_{year}"] = number
        if block.rol == "corporatie":
            profiel = _profiel(indicator, eenheid) if indicator else DEFAULT_PROFIEL
            costly = indicator is not None and indicator.soort == "stroom" and profiel.kosten
            lump = None if self.rng.random() < 0.5 else self.rng.choice((25_000, 60_000, 150_000))
            for year, number in zip(self.years, numbers, strict=True):
                if costly and number:
                    amount = number * profiel.kosten * self.rng.uniform(0.9, 1.1)
                    values[f"investering_{year}"] = _euros(amount)
                elif eenheid == "EUR" and indicator is not None:
                    values[f"investering_{year}"] = self._amount(indicator)
                else:
                    values[f"investering_{year}"] = lump
        return values

    def _yearly_numbers(self, indicator, eenheid) -> tuple[float | None, list[int | None]]:
        """Where the row starts (its nulmeting), and a number for every year in its eenheid:
        a flow per year and the level of a stock at the end of each year, both moving in the
        indicator's richting; a share the same each year. Nothing for an eenheid that does
        not fit the whole-number Aantal columns."""
        count = len(self.years)
        if indicator is None or eenheid != indicator.eenheid or not _countable(self.spec, eenheid):
            return None, [None] * count
        low, high = self.spec.bereik(eenheid, indicator)

        def whole(value: float) -> int:
            return int(_round(self.spec, round(value), eenheid, Profiel(nul=(0, 0)), low, high))

        start, target = self._target(indicator)
        if eenheid == "%":
            return start, [whole(target)] * count
        path = [start + (target - start) * (i + 1) / count for i in range(count)]
        if indicator.soort == "stroom":  # a flow varies from year to year around its path
            return start, [whole(value * self.rng.uniform(0.85, 1.15)) for value in path]
        return start, [whole(value) for value in path]

    def _amount(self, indicator: Indicator) -> int:
        _, target = self._target(indicator)
        return _euros(float(target))

    def _activity(self) -> dict[str, object]:
        activiteit, low, high = self.rng.choice(ACTIVITEITEN)
        base = self.rng.uniform(low, high)
        values: dict[str, object] = {"activiteit": activiteit, "wijk": self.rng.choice(WIJK_NAMEN)}
        for year in self.years:
            values[f"budget_{year}"] = int(round(base * self.rng.uniform(0.95, 1.1), -3))
        return values

    def _nummer(self, thema: str) -> str:
        """The next free nummer of this thema in the workbook: BT-07 on a BT tab."""
        n = 1
        while f"{thema}-{n:02d}" in self.used:
            n += 1
        self.used.add(f"{thema}-{n:02d}")
        return f"{thema}-{n:02d}"


def _profiel(indicator: Indicator | None, eenheid: str) -> Profiel:
    if indicator is not None and indicator.code in PROFIELEN and indicator.eenheid == eenheid:
        return PROFIELEN[indicator.code]
    return PER_EENHEID.get(eenheid, DEFAULT_PROFIEL)


def _countable(spec: Spec, eenheid: str) -> bool:
    """An eenheid whose yearly numbers fit the bod's whole-number Aantal columns."""
    unit = spec.eenheid(eenheid)
    return eenheid == "%" or (unit is not None and unit.geheel)


def _round(spec: Spec, value: float, eenheid: str, profiel: Profiel, low, high) -> float | int:
    """A value as a party types it in `eenheid`, inside the bereik (low, high)."""
    unit = spec.eenheid(eenheid)
    if low is not None:
        value = max(value, low)
    if high is not None:
        value = min(value, high)
    if eenheid == "EUR":
        return _euros(value)
    if (unit is not None and unit.geheel) or profiel.decimalen == 0:
        whole = round(value)
        if low is not None and whole < low:
            whole += 1
        if high is not None and whole > high:
            whole -= 1
        return int(whole)
    return round(value, profiel.decimalen)


def _step(spec: Spec, eenheid: str, profiel: Profiel) -> float:
    """The smallest clear difference in `eenheid`: one woning, one point, 0,1 rapportpunt."""
    if eenheid == "EUR":
        return 10_000
    unit = spec.eenheid(eenheid)
    if (unit is not None and unit.geheel) or profiel.decimalen == 0:
        return 1
    return 10**-profiel.decimalen


def _euros(value: float) -> int:
    """An amount as budgets are written: rounded to thousands, at most a few million."""
    step = 10_000 if value >= 100_000 else 1_000
    return int(min(max(round(value / step) * step, 1_000), MAX_AMOUNT))


def _text(value: float | int, indicator: Indicator) -> str:
    """A number as a Dutch text writes it (numbers.py): 1250 woningen, 7,0 as rapportcijfer,
    € 2.400.000."""
    if indicator.eenheid == "EUR":
        return euro(value)
    decimalen = _profiel(indicator, indicator.eenheid).decimalen
    if decimalen and (indicator.eenheid == "rapportcijfer" or not float(value).is_integer()):
        return dutch_number(value, decimalen)
    return dutch_number(int(value))


def _number(value: object) -> float | None:
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    return float(value)
