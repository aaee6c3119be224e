"""Generate the reference documentation from the spec and the CLI, never by hand.

`python -m pa_sheets.docs` rewrites docs/velden.md (every column, block and list),
docs/cli.md (the help of every command) and docs/bevindingen.md (every finding code);
tests/test_docs.py fails when any has drifted.
"""

import sys
from pathlib import Path

import click

from pa_sheets.spec.model import Spec, Template, bereik_text, load_spec
from pa_sheets.spec.types import TYPES

TYPE_NAMES = {name: kind.dutch for name, kind in TYPES.items()}


def field_reference(spec: Spec) -> str:
    """The field reference in Markdown: blocks per template, then every column and list."""
    lines = [
        "# Veldenreferentie",
        "",
        f"Gegenereerd uit `templates/` (spec {spec.version}) door `python -m pa_sheets.docs`; "
        "niet met de hand bewerken.",
        "",
    ]
    for template in spec.templates.values():
        lines += _template_lines(template)
    lines += _column_lines(spec)
    lines += _list_lines(spec)
    lines += _indicator_lines(spec)
    return "\n".join(lines) + "\n"


def _template_lines(template: Template) -> list[str]:
    """A template's title and explanation, then its blocks and signing sheet with their
    columns."""
    lines = [f"## {template.titel} (`{template.kind}`)", "", template.uitleg, ""]
    for block in template.blocks:
        where = []
        if block.roles:
            where.append("rollen: " + ", ".join(block.roles))
        if block.themas:
            where.append("thema's: " + ", ".join(block.themas))
        lines.append(
            f"- **{block.titel}** (`{block.key}`" + (f"; {'; '.join(where)}" if where else "") + ")"
        )
        fixed = [key for key in block.columns if key in block.fixed]
        lines.append("  - kolommen: " + ", ".join(f"`{key}`" for key in block.columns))
        if fixed:
            lines.append(
                "  - vast (ingevuld en beschermd): " + ", ".join(f"`{key}`" for key in fixed)
            )
    if template.signing is not None:
        signing = template.signing
        lines.append(f"- **{signing.titel}** (blad `{signing.sheet}`): een rij per partij")
        lines.append("  - kolommen: " + ", ".join(f"`{key}`" for key in signing.columns))
        fixed = [key for key in signing.columns if key in signing.fixed]
        lines.append("  - vast (ingevuld en beschermd): " + ", ".join(f"`{key}`" for key in fixed))
    lines.append("")
    return lines


def _column_lines(spec: Spec) -> list[str]:
    """A table of every column: key, header, type, required, limits, input message."""
    lines = [
        "## Kolommen",
        "",
        "| sleutel | kop | type | verplicht | waarden en grenzen | uitleg in Excel |",
        "|---|---|---|---|---|---|",
    ]
    for column in spec.columns.values():
        lines.append(
            f"| `{column.key}` | {column.header} | {TYPE_NAMES[column.type]}"
            f"{' per jaar' if column.per_jaar else ''} | {'ja' if column.required else 'nee'} | "
            f"{_limits(column)} | {column.message.replace('|', '/')} |"
        )
    return lines


def _list_lines(spec: Spec) -> list[str]:
    """The fixed lists, the eenheden with their bereik, and where the partijen come from."""
    lines = ["", "## Lijsten", ""]
    names = ("types", "soorten", "statussen", "akkoord", "scopes", "doelsoorten")
    for name in (*names, "referenties", "doeltermijnen"):
        lines.append(f"- **{name}**: " + ", ".join(f"`{v}`" for v in spec.list_values(name)))
    units = [f"`{e.naam}` ({bereik_text(e.min, e.max, e.geheel)})" for e in spec.eenheden]
    lines.append("- **eenheden**, met hun bereik: " + ", ".join(units))
    lines.append(
        "- **partijen**: de partijen van het werkboek (gemeente, corporatie, "
        "huurdersorganisatie, overige partners)"
    )
    return lines


def _indicator_lines(spec: Spec) -> list[str]:
    """A table of the standard indicators, after what a stand and a stroom are."""
    lines = [
        "",
        "## Standaardindicatoren",
        "",
        "Een **stand** is een voorraad op een peildatum en wordt nooit over jaren opgeteld; een",
        "**stroom** is wat er in een jaar gebeurt. De richting zegt wat beter is (neutraal: een",
        "keuze, geen doel). *Optellen* nee: de indicator is zelf een gemiddelde of verhouding en",
        "wordt nooit opgeteld, net als een percentage of rapportcijfer.",
        "",
        "| code | indicator | thema | eenheid | bereik | soort | richting | optellen | bron |",
        "|---|---|---|---|---|---|---|---|---|",
    ]
    for i in spec.indicators:
        unit = spec.eenheid(i.eenheid)
        low, high = spec.bereik(i.eenheid, i)
        bereik = bereik_text(low, high, unit.geheel if unit else False)
        adds = "ja" if i.additive and i.eenheid not in ("%", "rapportcijfer") else "nee"
        lines.append(
            f"| {i.code} | {i.naam} | {i.thema} | {i.eenheid} | {bereik} | {i.soort} | "
            f"{i.richting} | {adds} | {i.bron} |"
        )
    lines += [
        "",
        "Codes zijn voor altijd: wat een code tot en met spec 1.2 betekende (spec 1.3 nummerde",
        "opnieuw), en welke code dat nu is. Een werkboek of config van toen wordt zo gelezen.",
        "",
        "| code | tot en met spec | betekende | eenheid | nu |",
        "|---|---|---|---|---|",
    ]
    for m in spec.earlier:
        lines.append(f"| {m.code} | {m.up_to} | {m.naam} | {m.eenheid} | {m.now or '(geen)'} |")
    if spec.retired:
        lines += ["", "Vervallen codes, nooit opnieuw gebruikt:", ""]
        lines += [f"- {r.code} (sinds spec {r.since}): {r.naam}" for r in spec.retired]
    return lines


def cli_reference() -> str:
    """The --help text of every command, in Markdown."""
    from pa_sheets.cli import cli

    lines = ["# Commando's", "", "Gegenereerd uit `--help` door `python -m pa_sheets.docs`.", ""]
    for path, help_text in _help_texts(cli, "pa-sheets", None):
        lines += [f"## {path}", "", "```", help_text, "```", ""]
    return "\n".join(lines)


def findings_reference() -> str:
    """Every finding code with its severity, the step that gives it, what it checks (for a
    rule: from the list of rules) and its message, as validate reports it."""
    from pa_sheets.check.findings import CODES
    from pa_sheets.check.normalise import NORMALISE_CODES
    from pa_sheets.check.read import READ_CODES
    from pa_sheets.check.rules import RULES
    from pa_sheets.check.schemas import SCHEMA_CODES
    from pa_sheets.cycle.basisbod import SPLIT_CODES
    from pa_sheets.merge.agreed import MERGE_CODES

    steps = {code: ("lezen", "") for code in READ_CODES}
    steps |= {code: ("in vorm brengen", "") for code in NORMALISE_CODES}
    steps |= {code: ("schema", "") for code in SCHEMA_CODES}
    steps |= {rule.code: ("regel", rule.controle) for rule in RULES}
    steps |= {code: ("split-bod", "") for code in SPLIT_CODES}
    steps |= {code: ("samenvoegen", "") for code in MERGE_CODES}
    lines = [
        "# Bevindingen",
        "",
        "Gegenereerd uit `pa_sheets/check/` door `python -m pa_sheets.docs`. De codes zijn",
        "vast: programma's en mensen mogen ernaar verwijzen. S = structuur, V = waarde,",
        "T = getolereerd (gelezen, maar gemeld), X = samenhang, P = aannemelijkheid, M = SMART,",
        "O = ondertekening, R = monitoringronde (een monitor: realisatie, status, peildatum).",
        "",
        "De stappen, in volgorde: **lezen** (`read.py`: tabbladen, blokken, kopregels),",
        "**in vorm brengen** (`normalise.py`: getallen, datums en keuzes zoals mensen ze typen),",
        "**schema** (`schemas.py`: de pandera-schema's uit de spec), en de **regels**",
        "(`rules.py`: elke regel een functie met één code).",
        "`split-bod` geeft zijn eigen bevinding bij het splitsen van een basisbod, `merge`",
        "(**samenvoegen**) de zijne bij het vergelijken van de werkboeken onderling.",
        "",
        "| code | ernst | stap | controle | melding |",
        "|---|---|---|---|---|",
    ]
    for code, (severity, template) in CODES.items():
        word = "fout" if severity == "error" else "waarschuwing"
        step, controle = steps[code]
        lines.append(f"| {code} | {word} | {step} | {controle} | {template.replace('|', '/')} |")
    return "\n".join(lines) + "\n"


def write_docs(directory: Path) -> list[Path]:
    """Rewrite the reference files in `directory`."""
    directory.mkdir(parents=True, exist_ok=True)
    files = {
        "velden.md": field_reference(load_spec()),
        "cli.md": cli_reference(),
        "bevindingen.md": findings_reference(),
    }
    for name, text in files.items():
        (directory / name).write_text(text, encoding="utf-8")
    return [directory / name for name in files]


def _limits(column) -> str:
    parts = []
    if column.values:
        parts.append(f"lijst `{column.values}`" + (" (open)" if column.open else ""))
    if column.min is not None:
        parts.append(f"min {column.min:g}")
    if column.max is not None:
        parts.append(f"max {column.max:g}")
    if column.max_length:
        parts.append(f"max {column.max_length} tekens")
    if column.pattern:
        parts.append(f"patroon `{column.pattern}`")
    return ", ".join(parts)


def _help_texts(command: click.Command, name: str, parent: click.Context | None):
    """(command path, help) for a command and its subcommands. make_context applies the
    context settings (-h) as a real run would; a fixed width keeps the text independent of the
    terminal it is made in."""
    ctx = command.make_context(
        name, [], parent=parent, resilient_parsing=True, terminal_width=100, max_content_width=100
    )
    with ctx:
        yield ctx.command_path, command.get_help(ctx)
        if isinstance(command, click.Group):
            for sub in sorted(command.commands):
                yield from _help_texts(command.commands[sub], sub, ctx)


if __name__ == "__main__":
    for written in write_docs(Path(sys.argv[1] if len(sys.argv) > 1 else "docs")):
        print(written)
