"""Fill a generated workbook with realistic answers, as a corporatie would: for the demo, the
samples and the benchmarks. The cells are typed with openpyxl into the template itself, so the
result is exactly what comes back from a party (same _meta, same protection).
"""

import random
from pathlib import Path

from pa_sheets.spec.config import ALLE
from pa_sheets.spec.model import Spec, load_spec
from pa_sheets.workbook import meta

# What parties write, per thema: one sentence per new afspraak, picked by chance.
PHRASES = {
    "BS": [
        "Start bouw van {n} sociale huurwoningen aan de Stationsweg.",
        "Transformatie van een leegstaand kantoor tot {n} starterswoningen.",
        "Gemeente en corporatie maken een gezamenlijke locatiekaart voor {n} flexwoningen.",
    ],
    "BT": [
        "Huurders met een betaalachterstand worden binnen {n} dagen gebeld.",
        "Inzet van een schuldhulpmaatje voor {n} huishoudens.",
        "Huurbevriezing voor {n} woningen met een hoge energierekening.",
    ],
    "VD": [
        "Isolatie van {n} portiekwoningen in de Bloemenbuurt naar label B.",
        "Plaatsing van zonnepanelen op {n} eengezinswoningen.",
        "Energiecoaches bezoeken {n} huishoudens met hoge energielasten.",
    ],
    "WZ": [
        "Aanpassing van {n} woningen tot nultredenwoning.",
        "Een geclusterde woonvorm met {n} woningen voor ouderen met zorg.",
        "Een wijkverpleegkundige spreekuur in {n} seniorencomplexen.",
    ],
    "AG": [
        "Huisvesting van {n} statushouders volgens de taakstelling.",
        "Uitstroom van {n} cliënten uit beschermd wonen met begeleiding.",
        "Een skaeve huse-project met {n} woningen.",
    ],
    "LB": [
        "Buurtbeheerder in de Vogelwijk voor {n} uur per week.",
        "Schoonmaakacties met bewoners in {n} complexen.",
        "Wijkbudget voor {n} bewonersinitiatieven.",
    ],
    "SW": [
        "Evaluatie van de prestatieafspraken in {n} werksessies.",
        "Gezamenlijke monitor met {n} kernindicatoren.",
        "Scholing van {n} leden van de huurdersorganisatie.",
    ],
}
GENERIC = ["Gezamenlijke aanpak met {n} deelnemende partijen.", "Pilot in {n} complexen."]
STATUSES = ["groen"] * 5 + ["oranje", "rood", "gerealiseerd", "niet gestart"]
TOELICHTING = {
    "oranje": "Vertraging door lange vergunningprocedure; bijsturen in het volgende overleg.",
    "rood": "De locatie is vervallen; partijen zoeken samen een alternatief.",
}
WIJKEN = ["Vogelwijk", "Bloemenbuurt", "Centrum", "Stationskwartier", "De Hoven"]
VRAGEN = {
    "gemeente": [
        "Tijdig beschikbaar stellen van bouwlocaties tegen sociale grondprijs.",
        "Snellere vergunningverlening voor transformatieprojecten.",
    ],
    "huurdersorganisatie": [
        "Meedenken over het isolatieprogramma en huurders informeren.",
        "Signalen uit de achterban over overlast doorgeven.",
    ],
    "overig": ["Tijdig melden welke cliënten uitstromen, met begeleiding."],
}


def fill_workbook(source: Path, target: Path, seed: int = 0, spec: Spec | None = None) -> Path:
    """Write a filled copy of the blank workbook `source` to `target`."""
    import openpyxl

    spec = spec or load_spec()
    rng = random.Random(seed)
    workbook = openpyxl.load_workbook(source)
    info = meta.parse([list(row) for row in workbook[meta.SHEET].iter_rows(values_only=True)])
    kind = info.facts["soort"]
    years = [int(y) for y in info.facts["jaren"].split("-")]
    first, last = (int(y) for y in info.facts["periode"].split("-"))
    parties = {party["kort"]: party["naam"] for party in info.parties}
    used = {key.rpartition("/")[2] for (_sheet, key) in info.fixed}  # GM0344/BT-01 in a basisbod
    used |= set(info.closed)  # last year's finished afspraken keep their nummers
    marker = spec.templates[kind].gemeente_column
    fits = _gemeente_tabs(source, info, spec) if marker else {}
    for block in info.blocks:
        sheet = workbook[block.sheet]
        columns = {key: i + 1 for i, key in enumerate(block.columns)}
        context = _Context(rng, spec, kind, block, parties, years, (first, last), used)
        for offset, values in enumerate(context.rows(sheet, columns)):
            if marker and offset >= block.fixed_rows:  # a basisbod: for which gemeente
                ref = next(meta.party_ref(p) for p in info.parties if p["kort"] == block.partij)
                fitting = [code for code, tabs in fits.items() if (block.thema, ref) in tabs]
                values[marker] = rng.choice([ALLE, *fitting])
            for key, value in values.items():
                if key in columns and value is not None:
                    sheet.cell(block.first_row + offset, columns[key], value)
    target.parent.mkdir(parents=True, exist_ok=True)
    temp = target.with_name(f".{target.name}.tmp")
    workbook.save(temp)
    temp.replace(target)
    return target


def _gemeente_tabs(source: Path, info: meta.Meta, spec: Spec) -> dict[str, set[tuple[str, str]]]:
    """A basisbod's gemeenten, each with the tabs of its own bod: a row for one gemeente only
    goes on a tab that gemeente has."""
    from pa_sheets.cycle.basisbod import gemeente_configs, tab_refs

    configs = gemeente_configs(source, info, spec)
    return {code: tab_refs(*config) for code, config in configs.items()}


class _Context:
    """Makes up the answers for one block."""

    def __init__(self, rng, spec, kind, block, parties, years, period, used):
        self.rng, self.spec, self.kind, self.block = rng, spec, kind, block
        self.parties, self.years, self.period, self.used = parties, years, period, used
        self.party = parties.get(block.partij, block.partij)

    def rows(self, sheet, columns) -> list[dict[str, object]]:
        if self.block.key == "going_concern":
            return [
                self._progress(sheet, columns, row)
                for row in range(self.block.first_row, self.block.first_row + self.block.fixed_rows)
            ]
        if self.block.key == "nieuw":
            return [self._new() for _ in range(self.rng.randint(0, 3))]
        if self.block.key == "leefbaarheid":
            return [self._activity() for _ in range(self.rng.randint(1, 3))]
        if self.block.key == "wederkerigheid":
            options = VRAGEN.get(self.block.rol, VRAGEN["overig"])
            return [
                {"vraag": self.rng.choice(options), "gevraagd_voor": f"Q{q} {self.years[0]}"}
                for q in range(1, self.rng.randint(1, 2) + 1)
            ]
        return []

    def _progress(self, sheet, columns, row) -> dict[str, object]:
        values: dict[str, object] = {}
        if "status" in columns:
            status = self.rng.choice(STATUSES)
            values["status"] = status
            values["toelichting"] = TOELICHTING.get(status)
            target = sheet.cell(row, columns["streefwaarde"]).value
            if isinstance(target, int | float) and status != "niet gestart":
                values["realisatie"] = round(target * self.rng.uniform(0.3, 1.0))
        values.update(self._per_year())
        return values

    def _new(self) -> dict[str, object]:
        thema = self.block.thema
        indicators = [i for i in self.spec.indicators if i.thema == thema]
        indicator = self.rng.choice(indicators) if indicators else None
        n = self.rng.randint(4, 60)
        values: dict[str, object] = {
            "nummer": self._nummer(thema),
            "afspraak": self.rng.choice(PHRASES.get(thema, GENERIC)).format(n=n),
            "soort": "nieuw",
            "type": self.rng.choice(self.spec.list_values("types")),
            "trekker": self.party,
            "indicator": indicator.naam if indicator else None,
            "eenheid": indicator.eenheid if indicator else None,
            "streefwaarde": n if indicator else None,
            "nulmeting": 0 if indicator else None,
            "nulmeting_jaar": self.period[0] - 1 if indicator else None,
            "planning": f"Q{self.rng.randint(1, 4)} {self.rng.randint(*self.period)}",
            "bijdrage": self.rng.choice([None, 25_000, 150_000, 1_200_000]),
            "status": "niet gestart",
        }
        values.update(self._per_year())
        return values

    def _activity(self) -> dict[str, object]:
        values: dict[str, object] = {
            "activiteit": self.rng.choice(PHRASES["LB"]).format(n=self.rng.randint(2, 12)),
            "wijk": self.rng.choice(WIJKEN),
        }
        for year in self.years:
            values[f"budget_{year}"] = self.rng.choice([15_000, 40_000, 75_000])
        return values

    def _per_year(self) -> dict[str, object]:
        """The bod's planned quantities and investments per year (none in a jaarschijf)."""
        if self.kind == "jaarschijf":
            return {}
        values: dict[str, object] = {}
        corporatie = self.block.rol == "corporatie"
        for year in self.years:
            values[f"aantal_{year}"] = self.rng.randint(0, 80)
            values[f"investering_{year}"] = (
                self.rng.randint(0, 40) * 100_000 if corporatie else None
            )
        return values

    def _nummer(self, thema: str) -> str:
        """The next free nummer of this thema in the workbook."""
        n = 1
        while f"{thema}-{n:02d}" in self.used:
            n += 1
        self.used.add(f"{thema}-{n:02d}")
        return f"{thema}-{n:02d}"
