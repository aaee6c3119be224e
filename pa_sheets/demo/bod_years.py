"""The demo's numbers for every year of a bod: planned counts and shares in the Aantal
columns, investments for the corporatie."""

from pa_sheets.demo.values import (
    DEFAULT_PROFIEL,
    Part,
    Profiel,
    countable,
    euros,
    profiel_of,
    rounded,
)
from pa_sheets.spec.model import Indicator
from pa_sheets.workbook import meta


class BodYears(Part):
    """The numbers of a row for each of the bod's years (none in a jaarschijf)."""

    def per_year(
        self, block: meta.MetaBlock, indicator, eenheid, numbers: list | None = None
    ) -> dict[str, object]:
        """The bod's planned numbers and investments for every one of its years (none in a
        jaarschijf): counts and shares in the Aantal columns, money only for the corporatie."""
        if self.kind == "jaarschijf":
            return {}
        values: dict[str, object] = {}
        if numbers is None:
            numbers = self.numbers(indicator, eenheid)[1]
        for year, number in zip(self.years, numbers, strict=True):
            values[f"aantal_{year}"] = number
        if block.rol == "corporatie":
            profiel = profiel_of(indicator, eenheid) if indicator else DEFAULT_PROFIEL
            costly = indicator is not None and indicator.soort == "stroom" and profiel.kosten
            lump = None if self.rng.random() < 0.5 else self.rng.choice((25_000, 60_000, 150_000))
            for year, number in zip(self.years, numbers, strict=True):
                if costly and number:
                    amount = number * profiel.kosten * self.rng.uniform(0.9, 1.1)
                    values[f"investering_{year}"] = euros(amount)
                elif eenheid == "EUR" and indicator is not None:
                    values[f"investering_{year}"] = self.amount(indicator)
                else:
                    values[f"investering_{year}"] = lump
        return values

    def numbers(self, indicator, eenheid) -> tuple[float | None, list[int | None]]:
        """Where the row starts (its nulmeting), and a number for every year in its eenheid:
        a flow per year and the level of a stock at the end of each year, both moving in the
        indicator's richting; a share the same each year. Nothing for an eenheid that does
        not fit the whole-number Aantal columns."""
        count = len(self.years)
        if indicator is None or eenheid != indicator.eenheid or not countable(self.spec, eenheid):
            return None, [None] * count
        low, high = self.spec.bereik(eenheid, indicator)

        def whole(value: float) -> int:
            return int(rounded(self.spec, round(value), eenheid, Profiel(nul=(0, 0)), low, high))

        start, target = self.target(indicator)
        if eenheid == "%":
            return start, [whole(target)] * count
        path = [start + (target - start) * (i + 1) / count for i in range(count)]
        if indicator.soort == "stroom":  # a flow varies from year to year around its path
            return start, [whole(value * self.rng.uniform(0.85, 1.15)) for value in path]
        return start, [whole(value) for value in path]

    def amount(self, indicator: Indicator) -> int:
        _, target = self.target(indicator)
        return euros(float(target))
