"""The demo's new afspraken: a few per block, each on an indicator of the tab's thema with a
text that says what it measures, a free nummer of the thema, and in a jaarschijf a target and
a bijdrage, in a bod its numbers for every year."""

from pa_sheets.demo.bod_years import BodYears
from pa_sheets.demo.texts import FALLBACK, GENERIC, PLEKKEN, TEKSTEN, TYPES, WIE, WIJKEN
from pa_sheets.demo.values import (
    DEFAULT_PROFIEL,
    FillFacts,
    Part,
    countable,
    euros,
    number_text,
    profiel_of,
)
from pa_sheets.spec.model import Indicator
from pa_sheets.workbook import meta

MAX_NEW_ROWS = 3  # faults.py writes its own rows further down a nieuw block (FAULT_ROW)


class NewAfspraken(Part):
    """Fills the nieuw blocks of one workbook; `used` holds the nummers taken so far."""

    def __init__(
        self, facts: FillFacts, parties: dict[str, str], used: set[str], bod_years: BodYears
    ):
        super().__init__(facts)
        self.parties, self.used, self.bod_years = parties, used, bod_years

    def rows(self, block: meta.MetaBlock) -> list[dict[str, object]]:
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
            indicators = [i for i in indicators if countable(self.spec, i.eenheid)]
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
        start, target = self.target(indicator)
        fields.update(streef=number_text(target, indicator), nul=number_text(start, indicator))
        values.update(
            nulmeting=start,
            nulmeting_jaar=self.year - self.rng.choice([1, 1, 1, 2]),
            streefwaarde=target,
        )
        return values

    def _bod_plan(
        self, block: meta.MetaBlock, indicator: Indicator | None, fields: dict, template: str
    ) -> dict[str, object]:
        """The yearly numbers of a new voornemen in a bod, and what its text says of them: the
        total of a flow over the years; the level of a stock or a share at the end, and of a
        flow that goes down 'tot ten hoogste' some number."""
        first, last = self.years[0], self.years[-1]
        fields.update(jaar=f"de jaren {first}-{last}", eind=last, streef="", nul="")
        eenheid = indicator.eenheid if indicator else None
        start, numbers = self.bod_years.numbers(indicator, eenheid)
        values = self.bod_years.per_year(block, indicator, eenheid, numbers)
        if indicator is None or start is None:
            return values
        counts = [n for n in numbers if n is not None]  # with a start: one for every year
        unit = self.spec.eenheid(indicator.eenheid)
        flow = indicator.soort == "stroom" and unit is not None and unit.geheel
        if flow and "tot ten hoogste" not in template:
            fields.update(streef=number_text(sum(counts), indicator))
        else:
            fields.update(streef=number_text(counts[-1], indicator))
        fields.update(nul=number_text(start, indicator))
        if block.thema == "BS" and block.rol == "corporatie" and self.rng.random() < 0.3:
            values["toelichting"] = "Onder voorbehoud van de omgevingsvergunning."
        return values

    def _bijdrage(self, rol: str, indicator: Indicator | None, values: dict) -> int | None:
        """What this party puts in, in euro: per unit where the indicator counts something
        that costs money, else a lump sum; often nothing."""
        if self.rng.random() < 0.4:
            return None
        profiel = profiel_of(indicator, indicator.eenheid) if indicator else DEFAULT_PROFIEL
        target = values.get("streefwaarde")
        stroom = indicator is not None and indicator.soort == "stroom"
        if rol == "corporatie" and profiel.kosten and stroom and isinstance(target, int | float):
            return euros(float(target) * profiel.kosten * self.rng.uniform(0.8, 1.1))
        lumps = {
            "corporatie": (25_000, 50_000, 100_000, 250_000),
            "gemeente": (25_000, 50_000, 75_000, 120_000, 250_000),
            "huurdersorganisatie": (2_500, 5_000, 10_000),
        }.get(rol, (10_000, 25_000))
        return self.rng.choice(lumps)

    def _nummer(self, thema: str) -> str:
        """The next free nummer of this thema in the workbook: BT-07 on a BT tab."""
        n = 1
        while f"{thema}-{n:02d}" in self.used:
            n += 1
        self.used.add(f"{thema}-{n:02d}")
        return f"{thema}-{n:02d}"
