"""The demo's answers on the going-concern rows of last year: a status for every row, planned
for the workbook at once, a realisatie that agrees with it, and a toelichting where one is
due."""

import random
from dataclasses import dataclass

from pa_sheets.demo.bod_years import BodYears
from pa_sheets.demo.texts import GEREALISEERD, TOELICHTING, TOELICHTINGEN
from pa_sheets.demo.values import FillFacts, Part, as_number, profiel_of, rounded, smallest_step
from pa_sheets.spec.model import Indicator
from pa_sheets.spec.planning import planning_year
from pa_sheets.workbook import meta

FORCED = ("rood", "oranje")  # every jaarschijf shows one of each, if it has rows to show them


@dataclass
class Lopend:
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


class GoingConcern(Part):
    """Fills the going-concern rows of one workbook."""

    def __init__(self, facts: FillFacts, info: meta.Meta, workbook, bod_years: BodYears):
        super().__init__(facts)
        self.info, self.bod_years = info, bod_years
        self.statuses = self._plan_statuses(workbook)

    def rows(self, block: meta.MetaBlock, sheet, columns) -> list[dict[str, object]]:
        return [
            self._progress(block, sheet, columns, row)
            for row in range(block.first_row, block.first_row + block.fixed_rows)
        ]

    def _lopend(self, block: meta.MetaBlock, sheet, columns, row: int) -> Lopend:
        def cell(key: str) -> object:
            return sheet.cell(row, columns[key]).value if key in columns else None

        name = cell("indicator")
        planned = cell("planning")
        start = as_number(cell("nulmeting_jaar"))
        return Lopend(
            indicator=self.spec.indicator(str(name)) if name else None,
            eenheid=str(cell("eenheid")) if cell("eenheid") else None,
            nul=as_number(cell("nulmeting")),
            nul_jaar=int(start) if start is not None else None,
            streef=as_number(cell("streefwaarde")),
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
        values.update(self.bod_years.per_year(block, lopend.indicator, lopend.eenheid))
        return values

    def _fraction(self, lopend: Lopend) -> float:
        """How far along the path from nulmeting to streefwaarde the afspraak should be at the
        end of the jaarschijf year: 1 when it is due."""
        end = lopend.planning or self.period[1]
        start = lopend.nul_jaar if lopend.nul_jaar is not None else self.year - 1
        if end <= self.year or end <= start:
            return 1.0
        return min(1.0, max(0.0, (self.year - start) / (end - start)))

    def _realisatie(self, lopend: Lopend, status: str) -> float | int | None:
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
        profiel = profiel_of(lopend.indicator, eenheid)
        low, high = self.spec.bereik(eenheid, lopend.indicator)
        value = rounded(self.spec, value, eenheid, profiel, low, high)
        step = smallest_step(self.spec, eenheid, profiel)
        if richting == "neutraal":
            return rounded(self.spec, target, eenheid, profiel, low, high) if meets else value
        better = 1 if richting == "hoger" else -1
        met = (value - target) * better >= 0
        if meets and not met:
            value = target
        elif not meets and met:
            value = rounded(self.spec, target - better * step, eenheid, profiel, low, high)
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
