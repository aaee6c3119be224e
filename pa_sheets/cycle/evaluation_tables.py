"""The evaluation as tables and words: what the text report and the workbooks both show (the
counts per thema, partij and corporatie, the judgements, per indicator), with the titles and
notes that say what they count.
"""

from pa_sheets.cycle.evaluate import MARK_HEADER, Afspraak, Evaluation, Koers
from pa_sheets.cycle.judgement import (
    GEEN_DOEL,
    JUDGEMENTS,
)
from pa_sheets.merge.tables import Table
from pa_sheets.numbers import dutch_number
from pa_sheets.spec.targets import BANDBREEDTE, target_words


def tables(evaluation: Evaluation) -> list[Table]:
    """The stoplicht per thema, partij and corporatie: every corporatie row once."""
    return [
        evaluation.by("thema", lambda a: a.thema),
        evaluation.by("partij", lambda a: a.partij),
        evaluation.by("corporatie", lambda a: a.corporatie),
    ]


def judgement_tables(evaluation: Evaluation) -> list[Table]:
    """The judgements per thema and corporatie: every afspraak once."""
    return [
        evaluation.judged_by("thema", lambda a: a.thema),
        evaluation.judged_by("corporatie", lambda a: a.corporatie),
    ]


def count_rows(table: Table) -> list[tuple[str, list[int]]]:
    """The rows of a count table (Evaluation.by, judged_by), then its totals: each as its
    label and its counts (the afspraken, then one per column; nothing counted is 0)."""
    rows = table.rows if table.totals is None else [*table.rows, table.totals]
    return [(str(r[0]), [c if isinstance(c, int) else 0 for c in r[1:]]) for r in rows]


KOERS_HEADER = [
    "Code",
    "Indicator",
    "Eenheid",
    "Soort",
    "Richting",
    "Afspraken",
    "Met realisatie",
    "Streefwaarde",
    "Realisatie",
    "Berekend als",
    *(j.capitalize() for j in JUDGEMENTS),
    "Niet meegeteld (andere eenheid, termijn of vorm)",
]
# Beside the Streefwaarde when an indicator counts bandbreedtes: their upper bounds.
TOT_HEADER = "Streefwaarde tot"
CONFLICT_TITLE = "Gezamenlijke afspraken met een verschillende status per corporatie"
COUNT_NOTE = (
    "Elke status telt één keer per corporatie: een gezamenlijke afspraak bij elke corporatie, "
    "met de status die zij geeft."
)
MARK_NOTE = (
    f"'{MARK_HEADER}': hoeveel daarvan bij een gezamenlijke afspraak horen die de corporaties "
    "een verschillende status geven; een extra teken, geen status."
)


def count_note(evaluation: "Evaluation") -> str:
    """What the stoplicht tables count, and their extra column when they have one."""
    return COUNT_NOTE + (" " + MARK_NOTE if evaluation.conflicts else "")


JUDGEMENT_NOTE = (
    "Oordeel: de realisatie tegen wat is afgesproken: de mijlpaal van het jaar, anders de "
    "streefwaarde (een stroom naar rato van de planning, een stand het doel zelf), naar "
    "doelsoort en richting; na het einde van de planning de streefwaarde zelf. De nulmeting "
    "alleen zegt niets. Elke corporatie één keer; een gezamenlijk doel (scope alle "
    "corporaties): de bijdragen samen tegen dat doel, bij elke corporatie."
)
TEGENSPRAAK_TITLE = "Status en cijfers spreken elkaar tegen"
GEDEELD_TITLE = "Gezamenlijke doelen: de bijdragen samen tegen het doel, per corporatie haar status"


def ranged_koers(evaluation: Evaluation) -> bool:
    """Whether an indicator counts bandbreedtes: then the tables have a TOT_HEADER column."""
    return any(k.streefwaarde_tot is not None for k in evaluation.koers)


def koers_header(evaluation: Evaluation) -> list[str]:
    """KOERS_HEADER, with TOT_HEADER beside the Streefwaarde when an indicator counts
    bandbreedtes (as the overview's Kengetallen have a row Streefwaarde tot then)."""
    header = list(KOERS_HEADER)
    if ranged_koers(evaluation):
        header.insert(header.index("Streefwaarde") + 1, TOT_HEADER)
    return header


def koers_rows(evaluation: Evaluation) -> list[list[object]]:
    """The realisatie and judgements per indicator as rows under koers_header."""
    tot = ranged_koers(evaluation)
    return [
        [
            k.code,
            k.naam,
            k.eenheid,
            k.soort,
            k.richting,
            k.afspraken,
            k.gemeten,
            k.streefwaarde,
            *([k.streefwaarde_tot] if tot else []),
            k.realisatie,
            f"{k.berekend}, doelen {k.termijn}" if k.termijn else k.berekend,
            *k.oordelen,
            k.andere_eenheid + k.andere_termijn,
        ]
        for k in evaluation.koers
    ]


def judgement_text(item: Afspraak) -> str:
    """'achter: 30 van 60 gerealiseerd, mijlpaal 50'; only the judgement when nothing was
    measured against."""
    oordeel = item.oordeel
    if oordeel.oordeel == GEEN_DOEL:
        return oordeel.oordeel
    return f"{oordeel.oordeel}: {oordeel.uitleg}" if oordeel.uitleg else oordeel.oordeel


def target_shown(koers: Koers) -> str:
    """What was agreed, added up: '2200', of bandbreedtes '2200 tot 2900'; '-' for nothing."""
    if koers.streefwaarde_tot is None:
        return shown(koers.streefwaarde)
    return f"{shown(koers.streefwaarde)} tot {shown(koers.streefwaarde_tot)}"


def target_cell(streefwaarde: float | None, tot: float | None) -> float | str | None:
    """A target for a cell: the number, or of a bandbreedte its text ('100 tot 150', '2,25
    tot 2,75': to two decimals, as the cells beside it show a number): a report that shows
    the lower bound as the Streefwaarde says less was agreed."""
    if tot is None:
        return streefwaarde
    if streefwaarde is None:  # a bandbreedte without its lower bound (D002): what is there
        return f"- tot {target_words(tot, '')}"
    return target_words(streefwaarde, BANDBREEDTE, tot)  # as the judgement words it


def shown(value: float | None) -> str:
    """12345.67 as 12.345,7, the Dutch way to one decimal; '-' for nothing."""
    return "-" if value is None else dutch_number(round(value, 1))
