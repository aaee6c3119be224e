"""Fill a generated monitor as a corporatie reports in the monitoring round: for the tests and
the demo. As fill.py, the cells are typed with openpyxl into the monitor itself, so the result
is what comes back from a party (same _meta, same protection).

The answers are realistic: a realisatie in the row's eenheid and bereik (whole where the
eenheid counts whole things), near the yardstick of the year evaluate judges by (the mijlpaal,
else the streefwaarde: a stroom pro rata over its planning), in the direction of its
indicator; for a shared afspraak only this corporatie's contribution, a part of the shared
target. Most afspraken are on track (groen); about one in four is behind and says so (oranje
or rood, with a toelichting): an afspraak of its own gets the status its figures earn (judged
as evaluate judges), so that only the party that disagrees contradicts its numbers. A party
that `disagrees` calls its afspraken groen whatever its numbers say: the first of its own (not
joint) afspraken that is behind is reported groen, without a toelichting, at half the way from
the nulmeting to the yardstick. Each realisatie has a peildatum: 31 december
of the year, or for a stand sometimes a day in the first quarter after.
"""

import datetime as dt
import random
from pathlib import Path

from pa_sheets.cycle import judgement
from pa_sheets.cycle.judgement import doel_of, judge
from pa_sheets.demo.fill import fit_row
from pa_sheets.spec.model import Spec, load_spec
from pa_sheets.spec.targets import meets
from pa_sheets.workbook import meta

BEHIND = 0.25  # the share of measured afspraken behind their mijlpaal
# The judgements of figures that are behind what was agreed: oranje or rood.
JUDGED_BEHIND = (judgement.ACHTER, judgement.NIET_GEHAALD, judgement.AFWIJKEND)
ACHTER = (
    "De bouw is door stikstofregels een half jaar later gestart; de rest volgt in het "
    "tweede kwartaal.",
    "Minder mutaties dan verwacht, dus minder woningen om passend toe te wijzen. We sturen bij "
    "met de gemeente.",
    "De aannemer kon de planning niet halen; een tweede aannemer is gecontracteerd.",
    "Bewoners stemden in een complex niet in met de renovatie; nieuwe ronde in het voorjaar.",
    "Vertraging in de vergunningverlening; het project ligt nu bij de gemeente.",
)
ROOD = " De achterstand is dit jaar niet meer in te halen."
# An afspraak without a measure: a status, and a toelichting that says the same. Three a
# status, so the draws after it are those of the demo before the texts went with the status.
GEEN_INDICATOR = {
    "groen": (
        "Loopt volgens plan; de eerste bijeenkomst was in november.",
        "Loopt; de voortgang staat op de agenda van het bestuurlijk overleg.",
        "Loopt volgens plan; de werkgroep is na de zomer gestart.",
    ),
    "gerealiseerd": (
        "Uitgevoerd zoals afgesproken; verslag in het bestuurlijk overleg.",
        "Afgerond, de resultaten staan in het jaarverslag.",
        "Afgerond; het plan is in oktober vastgesteld.",
    ),
    "niet gestart": (
        "Nog niet gestart: we wachten op het besluit van de gemeenteraad.",
        "Uitgesteld tot volgend jaar, in overleg met de gemeente.",
        "Nog niet gestart; de start is gepland in het eerste kwartaal.",
    ),
}


def fill_monitor(
    source: Path,
    target: Path,
    seed: int = 0,
    spec: Spec | None = None,
    *,
    disagrees: bool | None = None,
) -> Path:
    """Write a filled copy of the blank monitor `source` to `target`; `disagrees` (by default
    for seed 1, 4, 7, ...) makes this party's stoplicht disagree with its numbers."""
    import openpyxl

    spec = spec or load_spec()
    rng = random.Random(f"monitor-{seed}")
    disagrees = seed % 3 == 1 if disagrees is None else disagrees
    workbook = openpyxl.load_workbook(source)
    info = meta.parse([list(row) for row in workbook[meta.SHEET].iter_rows(values_only=True)])
    facts = meta.Facts.from_texts(info.facts)
    filler = _Filler(rng, spec, facts, set(info.shared), disagrees)
    for block in info.blocks:
        sheet = workbook[block.sheet]
        columns = {key: i + 1 for i, key in enumerate(block.columns)}
        for row in range(block.first_row, block.first_row + block.fixed_rows):
            fixed: dict[str, object] = {k: sheet.cell(row, c).value for k, c in columns.items()}
            for key, value in filler.answer(fixed).items():
                # What the filler writes: texts, numbers and dates.
                if key in columns and isinstance(value, str | int | float | dt.date):
                    cell = sheet.cell(row, columns[key], value)
                    if key == "peildatum":
                        cell.number_format = "dd-mm-yyyy"
            fit_row(sheet, row, columns)  # a toelichting of three lines: a row of three
    target.parent.mkdir(parents=True, exist_ok=True)
    temp = target.with_name(f".{target.name}.tmp")
    workbook.save(temp)
    temp.replace(target)
    return target


class _Filler:
    """The answers of one party, row by row, from one random source."""

    def __init__(
        self, rng: random.Random, spec: Spec, facts: meta.Facts, shared: set[str], disagrees: bool
    ):
        self.rng, self.spec, self.shared, self.disagrees = rng, spec, shared, disagrees
        self.joint = set(spec.joint_scopes())
        self.year = facts.years[0]
        self.closing = dt.date(self.year, 12, 31)

    def answer(self, row: dict[str, object]) -> dict[str, object]:
        """Realisatie, peildatum, status and toelichting of one afspraak."""
        rng = self.rng
        target = _number(row.get("mijlpaal"))
        target = target if target is not None else _number(row.get("streefwaarde"))
        doel = doel_of(row, self.spec)
        if target is not None:  # the yardstick of the year, as evaluate judges
            yardstick = judge(doel, target, self.year).maatstaf
            target = yardstick if yardstick is not None else target
        if not row.get("indicator") or target is None:
            status = rng.choice(["groen", "groen", "gerealiseerd", "niet gestart"])
            return {"status": status, "toelichting": rng.choice(GEEN_INDICATOR[status])}
        indicator = self.spec.indicator(str(row["indicator"]))
        richting = indicator.richting if indicator else "hoger"
        unit = self.spec.eenheid(str(row.get("eenheid") or ""))
        low, high = self.spec.bereik(str(row.get("eenheid") or ""), indicator)
        start = _number(row.get("nulmeting"))
        nummer = str(row.get("nummer"))
        # A shared target of things counted (woningen, euro) is reached together: this party's
        # part of it. A share or a rapportcijfer each party measures for itself.
        additive = unit is None or unit.max is None
        # Evaluate judges a joint target (scope alle corporaties) on the parts together, any
        # other row on its own figure against its own target.
        joint = nummer in self.shared and row.get("scope") in self.joint
        part = rng.uniform(0.25, 0.45) if joint and additive else 1.0
        behind = rng.random() < BEHIND
        # Clearly behind, on its own target: half way from a low nulmeting (or too high).
        clear = richting == "lager" or start is None or start <= 0.5 * target
        optimist = behind and self.disagrees and clear and not joint
        if optimist:
            self.disagrees = False  # one such row is enough to see it
        value = self._realisatie(target * part, start, richting, behind, optimist)
        if low is not None:
            value = max(value, low)
        if high is not None:
            value = min(value, high)
        value = round(value) if unit is None or unit.geheel else round(value, 1)
        answer: dict[str, object] = {"realisatie": value, "peildatum": self._peildatum(indicator)}
        if not joint:  # its own target: the status its figures earn
            behind = judge(doel, value, self.year).oordeel in JUDGED_BEHIND
            if optimist and not behind:  # not behind after all: the next one says groen
                optimist, self.disagrees = False, True
        if optimist or not behind:
            answer["status"] = "groen"
            if not optimist and rng.random() < 0.3:
                answer["toelichting"] = "Op schema."
            return answer
        # Rood says the streefwaarde will not be met: never when it is met already (P007).
        final = doel.streefwaarde
        met = final is not None and meets(float(value), final, doel.kind, doel.tot) == 0
        status = "rood" if rng.random() < 0.35 and not met else "oranje"
        answer["status"] = status
        answer["toelichting"] = rng.choice(ACHTER) + (ROOD if status == "rood" else "")
        return answer

    def _realisatie(
        self, target: float, start: float | None, richting: str, behind: bool, optimist: bool
    ) -> float:
        """A value near `target` in the direction that is better, or behind it."""
        rng = self.rng
        if richting == "lager":
            base = start if start is not None and start > target else target * 1.3
            if optimist:
                return target + (base - target) * 0.6
            if behind:
                return target + (base - target) * rng.uniform(0.2, 0.5)
            return target * rng.uniform(0.9, 1.0)
        base = start if start is not None and start < target else 0.0
        if optimist:
            return base + (target - base) * 0.5
        if behind:
            return base + (target - base) * rng.uniform(0.55, 0.85)
        return target * rng.uniform(1.0, 1.06)

    def _peildatum(self, indicator) -> dt.date:
        """31 december; a stand sometimes counted in the first quarter after."""
        if indicator is not None and indicator.soort == "stand" and self.rng.random() < 0.3:
            return dt.date(self.year + 1, self.rng.choice([1, 2, 3]), 1)
        return self.closing


def _number(value: object) -> float | None:
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    return float(value)
