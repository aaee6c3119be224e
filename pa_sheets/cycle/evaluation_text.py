"""The evaluation as text for the terminal: compact tables of the counts and the judgements,
where status and figures disagree, per indicator, the trend, what needs attention, the
signing, and per corporatie its section for the volkshuisvestingsverslag.
"""

from collections.abc import Callable

from pa_sheets.cycle.evaluate import MARK_HEADER, NO_STATUS, Evaluation
from pa_sheets.cycle.evaluation_tables import (
    CONFLICT_TITLE,
    GEDEELD_TITLE,
    TEGENSPRAAK_TITLE,
    count_note,
    count_rows,
    judgement_tables,
    judgement_text,
    shown,
    tables,
    target_shown,
)
from pa_sheets.cycle.evaluation_trend import history_lines
from pa_sheets.cycle.judgement import (
    GEEN_DOEL,
    JUDGEMENTS,
    NIET_TE_BEOORDELEN,
)
from pa_sheets.cycle.verslag import verslag_lines
from pa_sheets.merge.tables import Table


def text_evaluation(evaluation: Evaluation) -> str:
    """Compact tables for the terminal: counts, and the share of rood and oranje; the
    judgements; where status and figures disagree; the collective afspraken with different
    statuses; per indicator; and per corporatie its section for the volkshuisvestingsverslag."""
    lines = [evaluation.title, ""]
    short = {
        "niet gestart": "niet gest.",
        "gerealiseerd": "gereal.",
        "agree to disagree": "oneens",
        MARK_HEADER: "uiteenl.",
        NO_STATUS: "geen",
    }

    def lagging(total: int, counts: list[int]) -> str:  # the share of rood and oranje
        lag = sum(counts[evaluation.statuses.index(s)] for s in evaluation.attention_statuses)
        return f"{lag / total:.0%}" if total else "-"

    share = ("+".join(evaluation.attention_statuses), lagging)
    for table in tables(evaluation):
        lines += _count_lines(table, [short.get(s, s) for s in table.header[2:]], share)
    lines += [count_note(evaluation), ""]
    judged_short = {
        "niet gehaald": "niet geh.",
        NIET_TE_BEOORDELEN: "n.t.b.",
        GEEN_DOEL: "geen doel",
    }
    for table in judgement_tables(evaluation):
        lines.append(table.title)
        lines += _count_lines(table, [judged_short.get(j, j) for j in JUDGEMENTS])
    lines += _findings_lines(evaluation)
    lines += koers_lines(evaluation)
    if evaluation.historie is not None:
        lines += history_lines(evaluation.historie)
    lines += attention_lines(evaluation)
    return "\n".join(lines)


def _count_lines(
    table: Table, names: list[str], share: tuple[str, Callable[[int, list[int]], str]] | None = None
) -> list[str]:
    """A table of counts for the terminal: a label, the number of afspraken and a column per
    name; with `share` (a header and a function of the counts) a last column of that share."""
    rows = count_rows(table)
    width = max(len(label) for label in [table.header[0], *(label for label, _ in rows)])
    last = f" {share[0]:>11}" if share else ""
    lines = [
        f"{table.header[0]:<{width}}  {'afspr.':>6} " + " ".join(f"{n:>10}" for n in names) + last
    ]
    for label, (total, *counts) in rows:
        last = f" {share[1](total, counts):>11}" if share else ""
        lines.append(
            f"{label:<{width}}  {total:>6} " + " ".join(f"{count:>10}" for count in counts) + last
        )
    return [*lines, ""]


def _findings_lines(evaluation: Evaluation) -> list[str]:
    """Where status and figures disagree, the collective afspraken with different statuses,
    and the joint targets, for the terminal."""
    lines: list[str] = []
    lines.append(f"{TEGENSPRAAK_TITLE}: {len(evaluation.tegenspraak)}")
    for found in evaluation.tegenspraak:
        lines.append(f"  {found.nummer:<7} {found.corporatie}: {found.tekst}")
    lines.append("")
    if evaluation.conflicts:
        lines.append(f"{CONFLICT_TITLE} (elke status geteld bij haar corporatie):")
        for conflict in evaluation.conflicts:
            said = "; ".join(f"{c}: {status}" for c, status in conflict.statuses)
            lines.append(f"  {conflict.nummer:<7} {conflict.partij}: {said}")
        lines.append("")
    if evaluation.gedeeld:
        lines.append(f"{GEDEELD_TITLE}:")
        for shared in evaluation.gedeeld:
            lines.append(f"  {shared.nummer:<7} {shared.oordeel.oordeel}: {shared.oordeel.uitleg}")
            lines.append(
                "          "
                + "; ".join(
                    f"{c}: {shown(r)}"
                    + (f" van aandeel {shown(a)}" if a is not None else "")
                    + f" ({status})"
                    for (c, r, status), a in zip(
                        shared.bijdragen,
                        shared.aandelen or (None,) * len(shared.bijdragen),
                        strict=True,
                    )
                )
            )
        lines.append("")
    return lines


def attention_lines(evaluation: Evaluation) -> list[str]:
    """Every rood and oranje afspraak, the SMART warnings, the signing, and per corporatie
    its section for the volkshuisvestingsverslag: the end of the text."""
    lines: list[str] = []
    attention = evaluation.attention()
    lines.append(f"Aandacht nodig: {len(attention)} afspraak/afspraken (rood eerst)")
    for item in attention:
        who = f"{item.corporatie} (gezamenlijke afspraak)" if item.collectief else item.corporatie
        lines.append(f"  {item.status:<6} {item.nummer:<7} {who}: {item.afspraak}")
        lines.append(
            f"         trekker: {item.trekker or '-'}; {item.toelichting or 'geen toelichting'}"
        )
        lines.append(f"         oordeel: {judgement_text(item)}")
    lines.append(f"SMART-waarschuwingen nog open: {evaluation.smart_warnings}")
    lines += signing_lines(evaluation)
    return lines + verslag_lines(evaluation)


def koers_lines(evaluation: Evaluation) -> list[str]:
    """Per indicator the realisatie and judgements, for the terminal; none without one."""
    lines: list[str] = []
    if evaluation.koers:
        lines.append("Per indicator (realisatie van de afspraken met een realisatie; oordelen)")
        # A bandbreedte's target is 1.900 tot 2.500: as wide as the widest.
        width = max(10, *(len(target_shown(k)) for k in evaluation.koers))
        lines.append(
            f"{'code':<5} {'indicator':<40} {'gemeten':>7} {'streefw.':>{width}} "
            f"{'realisatie':>10}  oordelen"
        )
        for k in evaluation.koers:
            naam = k.naam if len(k.naam) <= 40 else k.naam[:39] + "…"
            verdicts = ", ".join(
                f"{j} {n}" for j, n in zip(JUDGEMENTS, k.oordelen, strict=True) if n
            )
            lines.append(
                f"{k.code:<5} {naam:<40} {f'{k.gemeten}/{k.afspraken}':>7} "
                f"{target_shown(k):>{width}} {shown(k.realisatie):>10}  {verdicts}"
                + (" (gemiddelde)" if k.gemeten and k.berekend != "som" else "")
                + (
                    f"; geteld: termijn {k.termijn or 'geen'}, {k.andere_termijn} met een "
                    "andere termijn of vorm niet"
                    if k.andere_termijn
                    else ""
                )
            )
        lines.append("")
    return lines


def signing_lines(evaluation: Evaluation) -> list[str]:
    """Per corporatie whether its jaarschijf was signed, and by whom not."""
    table = evaluation.signing
    if table is None:
        return []
    lines = ["Ondertekening van de jaarschijf:"]
    for corporatie, getekend, count, akkoord, voorbehoud, nee, open_ in table.rows:
        line = f"  {corporatie}: getekend {getekend} ({akkoord} van {count} partijen akkoord)"
        extra = [f"met voorbehoud: {voorbehoud}"] if voorbehoud else []
        extra += [f"geen akkoord: {nee}"] if nee else []
        extra += [f"nog open: {open_}"] if open_ else []
        lines.append(line + ("; " + "; ".join(extra) if extra else ""))
    return lines
