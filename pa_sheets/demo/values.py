"""The numbers the demo types, as a careful corporatie would: per indicator sensible
magnitudes (`Profiel`), a value rounded as a party types it in its eenheid and inside its
bereik, amounts as budgets are written, and `Part`, what every part of the filler draws on."""

import random
from dataclasses import dataclass

from pa_sheets.numbers import dutch_number, euro
from pa_sheets.spec.model import Indicator, Spec


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

MAX_AMOUNT = 10_000_000  # a bijdrage or yearly investering: thousands to a few million


@dataclass(frozen=True)
class FillFacts:
    """What the whole fill of one workbook shares: one random source (the order of its draws
    makes the fill, so the parts draw in a fixed order), the spec and the workbook's facts."""

    rng: random.Random
    spec: Spec
    kind: str
    years: tuple[int, ...]
    period: tuple[int, int]
    seed: int


class Part:
    """A part of the filler (going concern, new afspraken, the bod's years): the shared facts
    at hand, and a nulmeting with its streefwaarde for an indicator."""

    def __init__(self, facts: FillFacts):
        self.rng, self.spec, self.kind = facts.rng, facts.spec, facts.kind
        self.years, self.period, self.seed = facts.years, facts.period, facts.seed
        self.year = self.years[0]  # the jaarschijf year; a bod's first year

    def target(self, indicator: Indicator) -> tuple[float | int, float | int]:
        """A nulmeting and a streefwaarde that lies in the indicator's richting from it."""
        eenheid = indicator.eenheid
        profiel = profiel_of(indicator, eenheid)
        low, high = self.spec.bereik(eenheid, indicator)
        start = rounded(self.spec, self.rng.uniform(*profiel.nul), eenheid, profiel, low, high)
        if profiel.doel is not None:
            target = self.rng.uniform(*profiel.doel)
        else:
            distance = self.rng.uniform(*(profiel.stap or (1, 10)))
            target = start - distance if indicator.richting == "lager" else start + distance
        target = rounded(self.spec, target, eenheid, profiel, low, high)
        sign = {"hoger": 1, "lager": -1}.get(indicator.richting, 0)
        if (target - start) * sign < 0:
            start, target = target, start
        return start, target


def profiel_of(indicator: Indicator | None, eenheid: str) -> Profiel:
    if indicator is not None and indicator.code in PROFIELEN and indicator.eenheid == eenheid:
        return PROFIELEN[indicator.code]
    return PER_EENHEID.get(eenheid, DEFAULT_PROFIEL)


def countable(spec: Spec, eenheid: str) -> bool:
    """An eenheid whose yearly numbers fit the bod's whole-number Aantal columns."""
    unit = spec.eenheid(eenheid)
    return eenheid == "%" or (unit is not None and unit.geheel)


def rounded(spec: Spec, value: float, eenheid: str, profiel: Profiel, low, high) -> float | int:
    """A value as a party types it in `eenheid`, inside the bereik (low, high)."""
    unit = spec.eenheid(eenheid)
    if low is not None:
        value = max(value, low)
    if high is not None:
        value = min(value, high)
    if eenheid == "EUR":
        return euros(value)
    if (unit is not None and unit.geheel) or profiel.decimalen == 0:
        whole = round(value)
        if low is not None and whole < low:
            whole += 1
        if high is not None and whole > high:
            whole -= 1
        return int(whole)
    return round(value, profiel.decimalen)


def smallest_step(spec: Spec, eenheid: str, profiel: Profiel) -> float:
    """The smallest clear difference in `eenheid`: one woning, one point, 0,1 rapportpunt."""
    if eenheid == "EUR":
        return 10_000
    unit = spec.eenheid(eenheid)
    if (unit is not None and unit.geheel) or profiel.decimalen == 0:
        return 1
    return 10**-profiel.decimalen


def euros(value: float) -> int:
    """An amount as budgets are written: rounded to thousands, at most a few million."""
    step = 10_000 if value >= 100_000 else 1_000
    return int(min(max(round(value / step) * step, 1_000), MAX_AMOUNT))


def number_text(value: float | int, indicator: Indicator) -> str:
    """A number as a Dutch text writes it (numbers.py): 1250 woningen, 7,0 as rapportcijfer,
    € 2.400.000."""
    if indicator.eenheid == "EUR":
        return euro(value)
    decimalen = profiel_of(indicator, indicator.eenheid).decimalen
    if decimalen and (indicator.eenheid == "rapportcijfer" or not float(value).is_integer()):
        return dutch_number(value, decimalen)
    return dutch_number(int(value))


def as_number(value: object) -> float | None:
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    return float(value)
