"""One palette of statuses, for every step that shows them: the overview, the evaluation and
the web page.

The stoplicht and the other monitoring states take their colour from the spec (statussen,
`kleur`). Two marks are no status of the spec and must never look like one: "uiteenlopend" (the
corporaties give a shared afspraak different statuses) is hatched, "geen status" is white
with a dashed edge. In the old charts the first was dark pink beside rood's pink and the second
green beside groen (Excel's own series colours); the overview drew both white.
"""

from dataclasses import dataclass

from pa_sheets.spec.model import Spec

# A shared afspraak whose corporaties give it different statuses: an extra mark.
UITEENLOPEND = "uiteenlopend"
# No status, or one the spec does not know; the overview's tables call it the second way.
GEEN_STATUS = "geen status"
GEEN_OF_ONBEKEND = "geen of onbekend"

EDGE = "#7F7F7F"  # the edge of a stoplicht bar
DARK = "#404040"  # hatch and edge of the marks that are no status
WHITE = "#FFFFFF"


@dataclass(frozen=True)
class Swatch:
    """How a status looks: its fill, its edge, and a hatch for a mark that is no status."""

    fill: str  # #RRGGBB
    edge: str = EDGE
    hatch: str | None = None  # the colour of diagonal lines over the fill
    dashed: bool = False  # the edge dashed: nothing to show

    def chart(self) -> dict[str, object]:
        """An XlsxWriter chart series' fill and border."""
        border: dict[str, object] = {"color": self.edge}
        if self.dashed:
            border |= {"dash_type": "dash", "width": 1.25}
        if self.hatch:
            pattern = {"pattern": "wide_upward_diagonal", "fg_color": self.hatch}
            return {"pattern": pattern | {"bg_color": self.fill}, "border": border}
        return {"fill": {"color": self.fill}, "border": border}

    def cell(self) -> dict[str, object]:
        """An XlsxWriter cell format's fill (pattern 14: thin diagonal lines)."""
        if self.hatch:
            return {"pattern": 14, "bg_color": self.fill, "fg_color": self.hatch}
        style: dict[str, object] = {"bg_color": self.fill}
        return style | ({"border": 3, "border_color": self.edge} if self.dashed else {})

    def css(self) -> str:
        """The same for the web page: a style attribute's text."""
        if self.hatch:
            return (
                f"background: repeating-linear-gradient(135deg, {self.fill} 0 4px, "
                f"{self.hatch} 4px 5px); color: #000"
            )
        edge = f"; border: 1px dashed {self.edge}" if self.dashed else ""
        return f"background: {self.fill}{edge}"


MARKS = {
    UITEENLOPEND: Swatch(WHITE, DARK, hatch=DARK),
    GEEN_STATUS: Swatch(WHITE, DARK, dashed=True),
    GEEN_OF_ONBEKEND: Swatch(WHITE, DARK, dashed=True),
}


def palette(spec: Spec) -> dict[str, Swatch]:
    """Every status of the spec with its colour, then the marks that are no status."""
    colours = {term.naam: Swatch(term.kleur or WHITE) for term in spec.statussen}
    return colours | MARKS


def swatch(spec: Spec, status: object) -> Swatch | None:
    """The swatch of a status as a cell gives it; None for an empty cell."""
    if status in (None, ""):
        return None
    return palette(spec).get(str(status), MARKS[GEEN_OF_ONBEKEND])
