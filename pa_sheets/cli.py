"""The pa-sheets command line: click and nothing else. Each command parses its options, calls
one library function and turns the library's errors into a Dutch message with exit code 2."""

import datetime as dt
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import NoReturn

import click
from click.exceptions import NoArgsIsHelpError

from pa_sheets import __version__
from pa_sheets.display import lines, name, one_line
from pa_sheets.errors import PaSheetsError
from pa_sheets.i18n import install_click_catalog
from pa_sheets.spec.kalender import WETTELIJK
from pa_sheets.spec.types import OUTPUT_FORMATS

install_click_catalog()  # before any command is defined: click reads some texts right then

EXIT_UNUSABLE = 2


class UnusableInput(click.ClickException):
    """Input or output pa-sheets cannot work with: message in Dutch, exit code 2."""

    exit_code = EXIT_UNUSABLE

    def show(self, file=None) -> None:
        # A message may name a file, whose name may hold a control character: shown escaped.
        click.echo(f"Fout: {lines(self.format_message())}", err=True)


class DutchUsageError(click.UsageError):
    """A usage error, in Dutch through click's catalog (pa_sheets/i18n.py), with where to find
    help; exit code 2."""

    def show(self, file=None) -> None:
        if self.ctx is not None:
            click.echo(self.ctx.get_usage(), err=True)
            click.echo(f"Hulp: {self.ctx.command_path} --help\n", err=True)
        click.echo(f"Fout: {lines(self.format_message())}", err=True)


class _YearRange(click.IntRange):
    """A year between two years, described the Dutch way in the help and the error."""

    def _describe_range(self) -> str:  # click's own "2000<=x<=2100"
        return f"{self.min} tot en met {self.max}"


class _Command(click.Command):
    def __init__(self, *args, **kwargs):
        kwargs.setdefault("options_metavar", "[OPTIES]")
        super().__init__(*args, **kwargs)


class _Group(click.Group):
    """Runs a command and turns every PaSheetsError into UnusableInput and click's usage
    errors into Dutch ones: one clear message, never a traceback."""

    command_class = _Command

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("options_metavar", "[OPTIES]")
        kwargs.setdefault("subcommand_metavar", "COMMANDO [ARGUMENTEN]...")
        super().__init__(*args, **kwargs)

    def invoke(self, ctx: click.Context):
        try:
            return super().invoke(ctx)
        except PaSheetsError as exc:
            raise UnusableInput(str(exc)) from None
        except (DutchUsageError, NoArgsIsHelpError):
            raise  # already Dutch, or the help text itself
        except click.UsageError as exc:
            raise DutchUsageError(exc.format_message(), exc.ctx) from None


# Returned workbooks: files, or folders whose workbooks are all taken.
paths_argument = click.argument(
    "paths", nargs=-1, required=True, type=click.Path(path_type=Path), metavar="BESTAND_OF_MAP..."
)


def config_option(command: Callable) -> Callable:
    return click.option(
        "--config",
        "config_path",
        required=True,
        type=click.Path(path_type=Path, dir_okay=False),
        help="De gemeenteconfig: een opzetwerkboek (pa-sheets opzet) of YAML, bijv. "
        "samples/voorbeeldstad.yaml.",
    )(command)


# Options that several commands share: made by one factory each, so they read the same everywhere.


def source_config_option() -> Callable:
    """--config for the commands that read returned workbooks: compare them with the source."""
    return click.option(
        "--config",
        "config_path",
        type=click.Path(path_type=Path, dir_okay=False),
        help="De config van de gemeente (opzetwerkboek of YAML) waaruit de werkboeken zijn "
        "gemaakt: vaste teksten, partijen, ondertekening en _meta worden ermee vergeleken; elk "
        "verschil is een fout. Zonder: alleen met wat elk werkboek zelf vastlegt.",
    )


def sent_option() -> Callable:
    """--verzonden for the commands that read returned workbooks: compare them with the
    workbooks as sent, which hold what a rollover carried (check/source.py)."""
    return click.option(
        "--verzonden",
        "sent_dir",
        type=click.Path(path_type=Path, file_okay=False, exists=True),
        metavar="MAP",
        help="De map met de werkboeken zoals de gemeente ze stuurde (de map --out van generate "
        "of rollover; bewaar die), bijv. --verzonden jaarschijf-2028/. Elk teruggestuurd "
        "werkboek wordt vergeleken met het verzonden werkboek van dezelfde soort, jaren, "
        "gemeente en corporatie: vaste teksten van lopende afspraken (ook die een rollover "
        "meenam, met status en realisatie van vorig jaar), partijen, ondertekening en _meta; "
        "elk verschil is een fout, een werkboek dat niet verzonden is ook. Met --config erbij "
        "is het verzonden werkboek de bron (de config kent de meegenomen afspraken niet).",
    )


def _sent(folder: Path | None, spec=None):
    """The sent workbooks of --verzonden, their _meta read once; None without it."""
    if folder is None:
        return None
    from pa_sheets.check.source import SentWorkbooks
    from pa_sheets.check.validate import expand_paths
    from pa_sheets.spec.model import load_spec

    return SentWorkbooks.read(folder, spec or load_spec(), expand_paths([folder]))


def _termijnen(config_path: Path | None):
    """The deadlines of --config: those the parties agreed, else the law's."""
    config = _source_config(config_path)
    return config.termijnen if config is not None else WETTELIJK


def _source_config(path: Path | None, spec=None):
    """The gemeente's config of --config, read and checked once; None without it."""
    if path is None:
        return None
    from pa_sheets.spec.config import load_config
    from pa_sheets.spec.model import load_spec

    return load_config(path, spec or load_spec())


def force_option() -> Callable:
    return click.option("--force", is_flag=True, help="Overschrijf bestaande bestanden.")


def out_option(
    help: str, *, dest: str = "out_dir", file_okay: bool = False, dir_okay: bool = True, **extra
) -> Callable:
    """--out: a folder (the default), a file (dir_okay=False) or either (merge: parquet is a
    folder); required unless `extra` says otherwise."""
    extra.setdefault("required", True)
    kind = click.Path(path_type=Path, file_okay=file_okay, dir_okay=dir_okay)
    return click.option("--out", dest, type=kind, help=help, **extra)


def inleverdatum_option() -> Callable:
    return click.option(
        "--inleverdatum",
        type=click.DateTime(["%d-%m-%Y", "%Y-%m-%d"]),
        metavar="DD-MM-JJJJ",
        callback=lambda ctx, param, value: value and value.date(),
        help="Terugstuurdatum op het voorblad (31-12-2026). Standaard: 1 oktober (jaarschijf) "
        f"of de termijn van het bod ({WETTELIJK.bod_text}, of termijnen.bod uit de config) van "
        "het jaar ervoor; bij een monitor de laatste dag van februari na het jaar van de "
        "jaarschijf.",
    )


def output_options(command: Callable) -> Callable:
    """The options of `generate`: where, for whom, by when, and whether to overwrite."""
    command = force_option()(command)
    command = inleverdatum_option()(command)
    command = click.option(
        "--corporatie",
        "corporaties",
        multiple=True,
        metavar="KORT",
        help="Alleen voor deze corporatie (korte naam); mag vaker. "
        "Standaard: alle corporaties uit de config.",
    )(command)
    return out_option("De map waarin de werkboeken komen.")(command)


@click.group(cls=_Group, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="pa-sheets", message="%(prog)s %(version)s")
def cli() -> None:
    """Werkbladen voor prestatieafspraken: genereren, controleren en samenvoegen.

    Elk commando heeft eigen hulp: pa-sheets generate jaarschijf --help
    """


@cli.group(cls=_Group)
def generate() -> None:
    """Maak lege werkboeken (jaarschijf, bod of monitor) per corporatie."""


@generate.command()
@config_option
@click.option(
    "--year", "year", required=True, type=int, metavar="JAAR", help="Het jaar van de jaarschijf."
)
@output_options
def jaarschijf(
    config_path: Path,
    year: int,
    out_dir: Path,
    corporaties: tuple[str, ...],
    inleverdatum: dt.date | None,
    force: bool,
) -> None:
    """Maak de jaarschijf: per corporatie een werkboek met een tabblad per thema en partij,
    lopende afspraken (going concern) bovenaan en ruimte voor nieuwe afspraken.

    Voorbeeld:

        \b
        pa-sheets generate jaarschijf --config samples/voorbeeldstad.yaml --year 2027 --out uit
    """
    from pa_sheets.workbook.generate import generate as generate_workbooks

    paths = generate_workbooks(
        "jaarschijf",
        config_path,
        (year,),
        out_dir,
        corporaties,
        force=force,
        deadline=inleverdatum,
        progress=_report_written,
    )
    _warn_when_past("jaarschijf", year, inleverdatum, config_path)
    click.echo(f"{len(paths)} jaarschijf-werkboek(en) in {name(out_dir)}")


@generate.command()
@click.option(
    "--config",
    "config_paths",
    required=True,
    multiple=True,
    type=click.Path(path_type=Path, dir_okay=False),
    help="De gemeenteconfig (opzetwerkboek of YAML). Vaker: één basisbod voor een corporatie "
    "die in al deze gemeenten werkt.",
)
@click.option(
    "--years",
    "years",
    required=True,
    metavar="JAAR-JAAR",
    help="De jaren van het bod, bijv. 2027-2031 (of 2027: vijf jaar vanaf 2027).",
)
@output_options
def bod(
    config_paths: tuple[Path, ...],
    years: str,
    out_dir: Path,
    corporaties: tuple[str, ...],
    inleverdatum: dt.date | None,
    force: bool,
) -> None:
    """Maak het bod (overzicht van voorgenomen werkzaamheden): per thema en partij de lopende en
    nieuwe werkzaamheden met aantallen en investeringen per jaar, leefbaarheidsactiviteiten, wat
    de corporatie van de andere partijen vraagt, en een blad Investeringen met totalen.

    Met meer dan één --config: het basisbod van één corporatie (--corporatie, korte naam of
    L-nummer) voor al die gemeenten. Elke rij zegt voor welke gemeente hij is (of 'alle');
    pa-sheets split-bod maakt er daarna het bod per gemeente van.

    Voorbeeld:

        \b
        pa-sheets generate bod --config samples/voorbeeldstad.yaml --corporatie Linde \\
        --years 2027-2031 --out uit

        \b
        pa-sheets generate bod --config samples/voorbeeldstad.yaml \\
        --config samples/anderdorp.yaml --corporatie L1234 --years 2027-2031 --out uit
    """
    from pa_sheets.spec.model import load_spec
    from pa_sheets.workbook.generate import generate as generate_workbooks
    from pa_sheets.workbook.generate import parse_years

    spec = load_spec()
    chosen_years = parse_years(years, spec.templates["bod"].years or 5)
    if len(config_paths) > 1:
        from pa_sheets.cycle.basisbod import generate_basisbod

        if len(corporaties) != 1:
            raise DutchUsageError(
                "een basisbod (meer dan één --config) is van één corporatie: "
                "noem haar met --corporatie (korte naam of L-nummer)."
            )
        path = generate_basisbod(
            config_paths,
            corporaties[0],
            chosen_years,
            out_dir,
            force=force,
            spec=spec,
            deadline=inleverdatum,
            progress=_report_written,
        )
        _warn_when_past("bod", chosen_years[0], inleverdatum)
        click.echo(f"Basisbod voor {len(config_paths)} gemeenten: {name(path)}")
        click.echo(
            f"Ingevuld? Maak het bod per gemeente: pa-sheets split-bod {name(path)} --out boden"
        )
        return
    paths = generate_workbooks(
        "bod",
        config_paths[0],
        chosen_years,
        out_dir,
        corporaties,
        force=force,
        spec=spec,
        deadline=inleverdatum,
        progress=_report_written,
    )
    _warn_when_past("bod", chosen_years[0], inleverdatum, config_paths[0])
    click.echo(f"{len(paths)} bod-werkboek(en) in {name(out_dir)}")


@generate.command()
@paths_argument
@out_option("De map waarin de monitors komen.")
@click.option(
    "--corporatie",
    "corporaties",
    multiple=True,
    metavar="KORT",
    help="Alleen voor deze corporatie (korte naam of L-nummer); mag vaker. Standaard: elke "
    "corporatie met een getekende jaarschijf.",
)
@inleverdatum_option()
@force_option()
def monitor(
    paths: tuple[Path, ...],
    out_dir: Path,
    corporaties: tuple[str, ...],
    inleverdatum: dt.date | None,
    force: bool,
) -> None:
    """Maak de monitors van de monitoringronde: uit de getekende jaarschijven van een jaar
    (of hun gezamenlijk overzicht) per corporatie een werkboek waarin elke afspraak vast
    staat, met indicator, streefwaarde en mijlpaal van dat jaar. De partijen vullen
    realisatie, peildatum, status en toelichting in; bij een gedeelde afspraak alleen de
    eigen bijdrage. De getekende jaarschijven worden alleen gelezen, nooit gewijzigd.

    Voorbeeld:

        \b
        pa-sheets generate monitor getekend-2027/ --out monitoring-2027/

        \b
        pa-sheets generate monitor gezamenlijk-2027.xlsx --corporatie Linde \\
        --out monitoring-2027/
    """
    from pa_sheets.cycle.monitor import generate_monitor
    from pa_sheets.errors import InvalidInputs

    _say_skipped(paths)
    try:
        written = generate_monitor(
            paths,
            out_dir,
            corporaties,
            force=force,
            deadline=inleverdatum,
            progress=_report_written,
        )
    except InvalidInputs as exc:
        _refuse(exc, "Niets geschreven.")
    if written:
        _warn_when_past("monitor", _monitor_year(written[0]), inleverdatum)
    click.echo(f"{len(written)} monitor-werkboek(en) in {name(out_dir)}")


def _monitor_year(path: Path) -> int:
    """The jaarschijf year a written monitor reports on (from its name: monitor-2027-...)."""
    return int(path.name.split("-")[1])


@cli.command("split-bod")
@click.argument("basisbod", type=click.Path(path_type=Path, dir_okay=False), metavar="BASISBOD")
@out_option("De map voor het bod per gemeente.")
@force_option()
def split_bod(basisbod: Path, out_dir: Path, force: bool) -> None:
    """Maak van een ingevuld basisbod het bod per gemeente: rijen met 'alle' komen in het bod
    van elke gemeente, rijen met een gemeentecode alleen in het bod van die gemeente. Het
    basisbod moet in orde zijn; elk bod wordt na het schrijven gecontroleerd. Exitcode 0:
    geschreven, 1: het basisbod heeft fouten (niets geschreven), 2: onbruikbare invoer.

    Voorbeeld:

        \b
        pa-sheets split-bod basisbod-2027-2031-linde.xlsx --out boden/
    """
    from pa_sheets.check.report import text_report
    from pa_sheets.check.validate import validate_paths
    from pa_sheets.cycle.basisbod import split_bod as split
    from pa_sheets.errors import InvalidInputs

    try:
        result = split(basisbod, out_dir, force=force, progress=_report_written)
    except InvalidInputs as exc:
        _refuse(exc, "Herstel het basisbod en split opnieuw.")
    for note in result.notes:
        click.echo(f"Let op: {one_line(note)}")
    report = validate_paths(result.paths)
    if report.exit_code != 0:  # never expected: a split bod is made as generate makes it
        click.echo(text_report(report, color=True))
        sys.exit(report.exit_code)
    click.echo(f"{len(result.paths)} bod-werkboek(en) in {name(out_dir)}, alle in orde.")


@cli.command()
@paths_argument
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["text", "json"]),
    default="text",
    show_default=True,
    help="Uitvoer voor mensen (text) of voor programma's (json).",
)
@click.option(
    "--annotate",
    "annotate_dir",
    type=click.Path(path_type=Path, file_okay=False),
    help="Schrijf in deze map een kopie van elk werkboek met de bevindingen in de "
    "cellen en een blad Controle.",
)
@click.option("--strict", is_flag=True, help="Waarschuwingen tellen ook als fout.")
@source_config_option()
@sent_option()
def validate(
    paths: tuple[Path, ...],
    fmt: str,
    annotate_dir: Path | None,
    strict: bool,
    config_path: Path | None,
    sent_dir: Path | None,
) -> None:
    """Controleer ingevulde werkboeken: structuur, waarden, samenhang en SMART. Elke bevinding
    noemt tabblad en cel. Exitcode 0: in orde (waarschuwingen mogen), 1: fouten,
    2: een bestand is onbruikbaar of het commando is verkeerd gebruikt. Van een map worden de
    werkmappen direct in die map gelezen, een submap (zoals oud/) alleen als u hem noemt.

    Voorbeeld:

        \b
        pa-sheets validate terug/ --annotate controle/

        \b
        pa-sheets validate terug/ --config voorbeeldstad.yaml

        \b
        pa-sheets validate terug-2028/ --verzonden jaarschijf-2028/
    """
    from pa_sheets.check.report import annotate, json_report, text_report
    from pa_sheets.check.validate import validate_paths, workbook_files
    from pa_sheets.errors import OutputError, UnusableWorkbook

    _say_skipped(paths)
    files = workbook_files(paths)
    config, sent = _source_config(config_path), _sent(sent_dir)
    with click.progressbar(
        length=len(files), label="Controleren", file=sys.stderr, hidden=len(files) < 2
    ) as bar:
        report = validate_paths(
            files, strict=strict, progress=lambda path: bar.update(1), config=config, sent=sent
        )
    if fmt == "json":
        click.echo(json_report(report))
    else:
        click.echo(text_report(report, color=True))
    refused = False  # a copy that would replace a file not ours: exit 2, never a silent loss
    if annotate_dir is not None:
        for file in report.files:
            try:
                written = annotate(file, annotate_dir, inputs=files)
            except (UnusableWorkbook, OutputError) as exc:  # the other copies still get made
                click.echo(f"Let op: {lines(exc)}", err=True)
                refused = refused or isinstance(exc, OutputError)
                continue
            if written is not None:
                click.echo(f"Kopie met bevindingen: {name(written)}", err=True)
    sys.exit(EXIT_UNUSABLE if refused else report.exit_code)


@cli.command()
@paths_argument
@out_option(
    "Het gezamenlijk overzicht, bijv. gezamenlijk.xlsx; bij parquet een map.",
    dest="out_path",
    file_okay=True,
)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(OUTPUT_FORMATS),
    help="xlsx: het overzicht voor mensen; csv of parquet: één rij per afspraak met herkomst, "
    "voor analyse. parquet schrijft een dataset in de map --out, per jaar, gemeente en werkboek "
    "(jaar=2027/gemeente=GM0344/soort_werkboek=jaarschijf/), waar alle gemeenten en jaren samen in "
    "passen. Standaard: volgens de extensie van --out, een bestaande map: parquet, anders xlsx.",
)
@click.option(
    "--allow-invalid",
    is_flag=True,
    help="Voeg ook werkboeken met fouten samen; hun rijen worden gemarkeerd.",
)
@click.option(
    "--latest",
    is_flag=True,
    help="Twee werkboeken van één corporatie: neem het nieuwste (wijzigingsdatum).",
)
@force_option()
@source_config_option()
@sent_option()
def merge(
    paths: tuple[Path, ...],
    out_path: Path,
    fmt: str | None,
    allow_invalid: bool,
    latest: bool,
    force: bool,
    config_path: Path | None,
    sent_dir: Path | None,
) -> None:
    """Voeg de ingevulde werkboeken van alle corporaties in een gemeente samen tot het
    gezamenlijk overzicht. Elk werkboek wordt eerst gecontroleerd zoals bij validate; elke rij
    blijft herleidbaar tot corporatie, bestand, tabblad en regel. Exitcode 0: geschreven,
    1: een werkboek heeft fouten (niets geschreven), 2: onbruikbare invoer of verkeerd gebruik.
    Van een map worden de werkmappen direct in die map gelezen, een submap alleen als u hem
    noemt; wat niet gelezen wordt, staat in één regel.

    Voorbeeld:

        \b
        pa-sheets merge terug/ --out gezamenlijk.xlsx --latest

        \b
        pa-sheets merge terug-2028/ --out gezamenlijk.xlsx --verzonden jaarschijf-2028/
    """
    from pa_sheets.check.validate import workbook_files
    from pa_sheets.errors import InvalidInputs
    from pa_sheets.merge.overview import merge_to, output_format

    _say_skipped(paths)
    files = workbook_files(paths)
    config, sent = _source_config(config_path), _sent(sent_dir)
    with click.progressbar(
        length=len(files), label="Controleren", file=sys.stderr, hidden=len(files) < 2
    ) as bar:
        try:
            merged, written = merge_to(
                files,
                out_path,
                output_format(out_path, fmt),
                allow_invalid=allow_invalid,
                latest=latest,
                force=force,
                progress=lambda path: bar.update(1),
                writing=lambda path: _after_bar(bar, f"Overzicht schrijven: {path} ..."),
                config=config,
                sent=sent,
            )
        except InvalidInputs as exc:
            # --allow-invalid helps a workbook with mistakes, not a file that is no workbook.
            mendable = any(not file.unusable for file in exc.report.files)
            hint = " Voeg toch samen met --allow-invalid." if mendable else ""
            _refuse(exc, "Niets samengevoegd." + hint)
    for source in merged.sources:
        if not source.valid:
            errors = len(source.report.errors)
            click.echo(f"Let op: {name(source.path)} heeft {errors} fout(en); rijen gemarkeerd.")
    for source in merged.set_aside:
        click.echo(f"Niet samengevoegd: {name(source.path)}: {one_line(source.note)}.")
    rows = sum(source.row_count for source in merged.sources)
    where = written[0] if len(written) == 1 else written[0].parent
    click.echo(f"{len(merged.sources)} werkboek(en) samengevoegd, {rows} rijen: {name(where)}")
    signable = [s for s in merged.sources if s.report.signing is not None]
    if signable:
        unsigned = [s.corporatie for s in signable if not s.report.getekend]
        line = f"Getekend: {len(signable) - len(unsigned)} van {len(signable)} jaarschijven"
        click.echo(line + (f"; nog niet: {one_line(', '.join(unsigned))}." if unsigned else "."))


@cli.command()
@paths_argument
@click.option(
    "--year", required=True, type=int, metavar="JAAR", help="Het nieuwe jaar, bijv. 2028."
)
@out_option("De map voor de nieuwe jaarschijven.")
@click.option(
    "--monitor",
    "monitor_paths",
    multiple=True,
    type=click.Path(path_type=Path, exists=True),
    metavar="MAP",
    help="De ingevulde monitors van de monitoringronde over dit jaar (een map of bestanden; "
    "mag vaker): status en realisatie vorig jaar komen dan uit de monitor, niet uit de "
    "getekende jaarschijf. De monitors worden eerst gecontroleerd.",
)
@inleverdatum_option()
@force_option()
@source_config_option()
@sent_option()
def rollover(
    paths: tuple[Path, ...],
    year: int,
    out_dir: Path,
    monitor_paths: tuple[Path, ...],
    inleverdatum: dt.date | None,
    force: bool,
    config_path: Path | None,
    sent_dir: Path | None,
) -> None:
    """Maak de jaarschijven van volgend jaar uit de teruggestuurde jaarschijven van dit jaar,
    of uit het gezamenlijk overzicht dat merge ervan maakte. Nieuwe afspraken die niet
    gerealiseerd of vervallen zijn worden lopende afspraken (tekst vast, nummer gelijk), ook
    een terugkerende afspraak (jaarlijks, of over een periode die doorloopt) die gerealiseerd
    is; de status van vorig jaar blijft ter vergelijking zichtbaar. Een afspraak met agree to
    disagree wordt geen vaste tekst: hij staat weer open bij de nieuwe afspraken. Afgeronde,
    vervallen en open afspraken staan op het voorblad; het rapport (ook rollover-JAAR.txt in
    de map) zegt per corporatie wat doorloopt, wat open is en wat stopt, en waarom. De
    werkboeken moeten in orde zijn. Met --monitor komen status en realisatie van vorig jaar
    uit de ingevulde monitors van de monitoringronde.

    Voorbeeld:

        \b
        pa-sheets rollover getekend-2027/ --monitor monitoring-2027-terug/ --year 2028 \\
        --out jaarschijf-2028/

        \b
        pa-sheets rollover terug-2027/ --year 2028 --out jaarschijf-2028/

        \b
        pa-sheets rollover gezamenlijk-2027.xlsx --year 2028 --out jaarschijf-2028/

        \b
        pa-sheets rollover terug-2028/ --year 2029 --out jaarschijf-2029/ \\
        --verzonden jaarschijf-2028/
    """
    from pa_sheets.cycle.rollover import rollover as roll
    from pa_sheets.errors import InvalidInputs

    _say_skipped(paths)
    try:
        written = roll(
            paths,
            year,
            out_dir,
            force=force,
            deadline=inleverdatum,
            progress=_report_written,
            gemeente_config=_source_config(config_path),
            sent=_sent(sent_dir),
            report=click.echo,
            monitors=monitor_paths,
        )
    except InvalidInputs as exc:
        _refuse(exc, "Niets geschreven.")
    _warn_when_late("jaarschijf", year, inleverdatum, _termijnen(config_path))
    click.echo(f"{len(written)} jaarschijf-werkboek(en) voor {year} in {name(out_dir)}")


@cli.command()
@paths_argument
@out_option(
    "Schrijf de evaluatie ook als werkboek, met een grafiek, en ernaast per corporatie een "
    "werkboek voor haar volkshuisvestingsverslag (BESTAND-verslag-CORPORATIE.xlsx).",
    dest="out_path",
    file_okay=True,
    dir_okay=False,
    required=False,
)
@click.option(
    "--historie",
    "history_dir",
    type=click.Path(path_type=Path, file_okay=False),
    metavar="MAP",
    help="De historie: de lange tabel als parquet per jaar (zoals merge --format parquet hem "
    "schrijft). Deze ronde komt erbij (een jaar dat er al staat alleen met --force), en de "
    "eerdere jaren van deze gemeente geven per indicator de trend: een tabel hier, een "
    "grafiek per indicator en elke afspraak per jaar (gevolgd op haar nummer) in het werkboek.",
)
@force_option()
@source_config_option()
@sent_option()
def evaluate(
    paths: tuple[Path, ...],
    out_path: Path | None,
    history_dir: Path | None,
    force: bool,
    config_path: Path | None,
    sent_dir: Path | None,
) -> None:
    """De voorjaarsevaluatie: het stoplicht per thema, partij en corporatie, naast het oordeel
    uit de cijfers tegen wat is afgesproken (mijlpaal, anders streefwaarde), waar die twee
    elkaar tegenspreken, elke rode en oranje afspraak met trekker en toelichting (rood eerst),
    hoeveel SMART-waarschuwingen er nog open staan, en per corporatie een deel voor haar
    volkshuisvestingsverslag. Werkt op teruggestuurde jaarschijven en op een gezamenlijk
    overzicht.

    Voorbeeld:

        \b
        pa-sheets evaluate terug-2027/ --out evaluatie-2027.xlsx

        \b
        pa-sheets evaluate terug-2028/ --verzonden jaarschijf-2028/

        \b
        pa-sheets evaluate monitoring-2028-terug/ --historie historie/ \\
        --out evaluatie-2028.xlsx
    """
    from pa_sheets.check.validate import expand_paths
    from pa_sheets.cycle.evaluate import evaluate_paths
    from pa_sheets.cycle.evaluation_text import text_evaluation
    from pa_sheets.cycle.evaluation_workbook import write_evaluation
    from pa_sheets.cycle.verslag import verslag_paths
    from pa_sheets.spec.model import load_spec
    from pa_sheets.workbook.output import guard_output

    _say_skipped(paths)
    if out_path is not None:  # before the work: never over a returned workbook
        guard_output(out_path, expand_paths(paths), force=force)
    spec = load_spec()
    evaluation = evaluate_paths(
        paths,
        spec=spec,
        config=_source_config(config_path, spec),
        sent=_sent(sent_dir, spec),
        historie=history_dir,
        force=force,
    )
    click.echo(text_evaluation(evaluation))
    if out_path is not None:
        written = write_evaluation(evaluation, out_path, spec, force=force)
        click.echo(f"Evaluatie geschreven: {name(written)}")
        click.echo("Per corporatie haar deel voor het volkshuisvestingsverslag, ernaast:")
        for corporatie, path in verslag_paths(evaluation, written).items():
            click.echo(f"  {corporatie}: {name(path)}")


@contextmanager
def _publishable() -> Iterator[None]:
    """A refused publication: each of its problems on a line, then exit 1."""
    from pa_sheets.cycle.publish import NotPublishable

    try:
        yield
    except NotPublishable as exc:
        for problem in exc.problems:
            click.echo(f"  {one_line(problem)}")
        click.echo(f"Fout: {lines(exc)}", err=True)
        sys.exit(1)


@cli.command()
@paths_argument
@out_option("De map voor de webpagina en de open data (CSV en JSON).")
@click.option(
    "--concept",
    is_flag=True,
    help="Publiceer ook wat nog niet getekend of niet in orde is, met 'Concept' op elke pagina.",
)
@click.option(
    "--per-corporatie",
    is_flag=True,
    help="Maak ook een pagina per corporatie, naast die van de gemeente.",
)
@click.option(
    "--ter-ondertekening",
    "for_signing",
    is_flag=True,
    help="Maak in plaats van de webpagina de versie die de partijen tekenen: dezelfde "
    "afspraken, met per partij een vak voor naam, functie, datum en handtekening (A4).",
)
@click.option(
    "--toelichting",
    is_flag=True,
    help="Publiceer ook de toelichting bij elke afspraak in de open data (een keuze van de "
    "coördinator: de toelichting is vrije tekst van de partijen).",
)
@click.option(
    "--herkomst",
    is_flag=True,
    help="Zet in de open data ook waar elke rij vandaan komt (bronbestand, bronblad, "
    "bronregel): voor wie het werkboek moet terugvinden.",
)
@click.option(
    "--contact",
    default="",
    help="Wie vragen over de afspraken beantwoordt, zoals op de pagina (standaard: de gemeente).",
)
@force_option()
@source_config_option()
@sent_option()
def publish(
    paths: tuple[Path, ...],
    out_dir: Path,
    concept: bool,
    per_corporatie: bool,
    for_signing: bool,
    toelichting: bool,
    herkomst: bool,
    contact: str,
    force: bool,
    config_path: Path | None,
    sent_dir: Path | None,
) -> None:
    """Maak de getekende prestatieafspraken klaar voor de website: één losse HTML-pagina per
    gemeente en jaar (met --per-corporatie ook per corporatie), met ondertekening, per thema
    de afspraken, de afspraken waarover partijen het niet eens zijn en de bronnen, en de
    afspraken als open data (CSV en JSON) ernaast. Geen scripts, geen externe bestanden:
    de map werkt offline en op elke webserver. Werkt op teruggestuurde jaarschijven en op
    een gezamenlijk overzicht. Weigert (exit 1) wat niet in orde of niet getekend is, tenzij
    --concept.

    Voorbeeld:

        \b
        pa-sheets publish gezamenlijk-jaarschijf-2027.xlsx --out website/

        \b
        pa-sheets publish terug-2028/ --out website/ --verzonden jaarschijf-2028/
    """
    from pa_sheets.cycle.publish import publish_paths, signing_copy

    _say_skipped(paths)
    if for_signing:
        with _publishable():
            copy = signing_copy(
                paths,
                out_dir,
                force=force,
                config=_source_config(config_path),
                sent=_sent(sent_dir),
                contact=contact,
            )
        click.echo(f"Ter ondertekening: {name(copy)} (druk af op A4, of bewaar als PDF)")
        return
    with _publishable():
        published = publish_paths(
            paths,
            out_dir,
            concept=concept,
            per_corporatie=per_corporatie,
            force=force,
            config=_source_config(config_path),
            sent=_sent(sent_dir),
            contact=contact,
            toelichting=toelichting,
            herkomst=herkomst,
        )
    for problem in published.problems:
        click.echo(f"Concept: {one_line(problem)}")
    for page in published.pages:
        click.echo(f"Pagina: {name(page)}")
    click.echo(f"Open data: {', '.join(name(path) for path in published.data)}")


@cli.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path), metavar="MAP...")
@out_option("De map voor de parquet-dataset (per resource, per jaar en gemeente).")
@click.option(
    "--grondig",
    is_flag=True,
    help="Controleer elk pakket ook met frictionless zelf (ongeveer een seconde per pakket).",
)
@force_option()
def verzamel(paths: tuple[Path, ...], out_dir: Path, grondig: bool, force: bool) -> None:
    """Stapel de gepubliceerde open data van vele gemeenten (de mappen die publish schreef,
    met datapackage.json; ook dieper) tot één parquet-dataset per resource (afspraken,
    partijen, ondertekening, indicatoren), gepartitioneerd naar jaar en gemeente: DuckDB,
    Spark en polars lezen elk als één tabel. Weigert (exit 2, niets geschreven) een pakket met
    een andere schemaversie of met waarden die niet aan zijn schema voldoen; telt de rijen
    die erin gaan en eruit komen.

    Voorbeeld:

        \b
        pa-sheets verzamel websites/ --out landelijk/
    """
    from pa_sheets.cycle.verzamel import verzamel as stack

    stacked = stack(paths, out_dir, force=force, grondig=grondig)
    counts = ", ".join(f"{rows} {resource}" for resource, rows in stacked.rows.items())
    click.echo(f"{len(stacked.packages)} pakket(ten) verzameld in {name(out_dir)}: {counts}.")


@cli.command()
@click.option(
    "--van",
    "sources",
    multiple=True,
    type=click.Path(path_type=Path, exists=True),
    metavar="BESTAND_OF_MAP",
    help="Begin bij wat er is: een config (opzetwerkboek of YAML), of het getekende "
    "gezamenlijk overzicht of de teruggestuurde jaarschijven van vorig jaar (partijen, thema's "
    "en de afspraken die doorlopen; mag vaker, of een map). Zonder: een leeg opzetwerkboek.",
)
@out_option(
    "Het bestand: .xlsx voor een opzetwerkboek, .yaml voor dezelfde config als tekst.",
    dest="out_path",
    file_okay=True,
    dir_okay=False,
)
@force_option()
def opzet(sources: tuple[Path, ...], out_path: Path, force: bool) -> None:
    """Zet de afspraken van een gemeente op in een werkboek, zonder YAML te schrijven: de
    gemeente en de periode, de corporaties met hun huurdersorganisaties, partners, thema's,
    lopende afspraken en eigen indicatoren. Elk commando met --config leest het opzetwerkboek
    zoals een config in YAML; fouten staan er met blad en cel. Ook van opzetwerkboek naar YAML
    en terug.

    Voorbeeld:

        \b
        pa-sheets opzet --out opzet-2027.xlsx
        pa-sheets opzet --van samples/voorbeeldstad.yaml --out opzet-2027.xlsx
        pa-sheets opzet --van gezamenlijk-2027.xlsx --out opzet-2028.xlsx
        pa-sheets opzet --van opzet-2027.xlsx --out voorbeeldstad.yaml
    """
    from pa_sheets.cycle.opzet import make_setup

    path = make_setup(sources, out_path, force=force)
    click.echo(f"Geschreven: {name(path)}")


@cli.command()
@click.option(
    "--year",
    type=_YearRange(2000, 2100),
    metavar="JAAR",
    help="Het kalenderjaar. Standaard: dit jaar.",
)
@click.option(
    "--config",
    "config_path",
    type=click.Path(path_type=Path, dir_okay=False),
    help="Een gemeenteconfig (opzetwerkboek of YAML) met afgesproken termijnen; zonder: die "
    "van de wet.",
)
def kalender(year: int | None, config_path: Path | None) -> None:
    """Toon de vaste momenten van de jaarcyclus in een jaar, in volgorde: monitoringronde
    over vorig jaar (januari, terug 15 februari), evaluatie (maart), volkshuisvestingsverslag
    en zienswijzen, uitnodiging (1 april), goedkeuring van het bod door de raad van
    commissarissen, bod (1 juli), jaarschijven van volgend jaar met rollover (1 september) en
    terug (1 oktober), ondertekenen en publiceren (15 december) en de geschillenroute, met de
    wet of het advies erachter en het pa-sheets-commando dat erbij hoort. Met --config gelden
    de termijnen die de gemeente daarin afsprak.

    Voorbeeld:

        \b
        pa-sheets kalender --year 2027 --config samples/voorbeeldstad.yaml
    """
    from pa_sheets.spec.kalender import moments

    termijnen = _termijnen(config_path)
    year = year or dt.date.today().year
    click.echo(f"De cyclus van de prestatieafspraken in {year}")
    for moment in moments(year, termijnen):
        click.echo(f"\n{moment.when}")
        click.echo(f"  {moment.what}")
        click.echo(f"  Grond: {moment.basis}")
        if moment.command:
            click.echo(f"  $ {moment.command}")


@cli.command()
@out_option(
    "De map voor alle bestanden van de demo.",
    required=False,
    default=Path("pa-sheets-demo"),
    show_default=True,
)
def demo(out_dir: Path) -> None:
    """Laat de hele cyclus zien op de voorbeeldgemeente: lege werkboeken maken, invullen zoals
    de partijen dat doen, een kopie met veelgemaakte fouten, alles controleren, de
    jaarschijven samenvoegen tot het gezamenlijk overzicht, een basisbod voor twee gemeenten
    splitsen in een bod per gemeente, de getekende afspraken publiceren als webpagina, de
    monitoringronde (monitors maken, invullen, controleren en evalueren) en de jaarschijven
    van volgend jaar maken met rollover.

    Voorbeeld:

        \b
        pa-sheets demo --out demo
    """
    from pa_sheets.check.report import text_report
    from pa_sheets.demo.run import run_demo

    report, annotated, overview, page = run_demo(out_dir, echo=click.echo)
    click.echo("")
    click.echo(text_report(report, color=True))
    for path in annotated:
        click.echo(f"Open {name(path)} om te zien wat de corporatie terugkrijgt.")
    click.echo(f"Open {name(overview)} voor het gezamenlijk overzicht van de drie corporaties.")
    click.echo(
        f"Open {name(page)} in een browser: de getekende afspraken zoals ze op de website komen."
    )


def _refuse(exc, what_now: str) -> NoReturn:
    """Inputs with errors: what to fix, per file, then why nothing was written."""
    from pa_sheets.check.report import text_report

    click.echo(text_report(exc.report, color=True))
    click.echo(f"Fout: {lines(exc)} {what_now}", err=True)
    sys.exit(exc.report.exit_code)


def _say_skipped(paths: tuple[Path, ...]) -> None:
    """What the folders hold that is not read, in one line: so nothing goes unseen."""
    from pa_sheets.check.validate import skipped_in

    skipped = skipped_in(paths)
    if skipped:
        listed = ", ".join(one_line(entry) for entry in skipped)
        click.echo(f"Niet gelezen (geen werkmap, of een submap): {listed}", err=True)


def _warn_when_past(
    kind: str, first_year: int, inleverdatum: dt.date | None, config_path: Path | None = None
) -> None:
    """A cover sheet whose date has passed asks the impossible of a party: say so. Without
    --inleverdatum the date is the default, by the termijnen of the config if it names them."""
    from pa_sheets.spec.kalender import dutch_date, passed_deadline

    termijnen = _termijnen(config_path)
    deadline = passed_deadline(kind, first_year, inleverdatum, termijnen=termijnen)
    if deadline is not None:
        click.echo(
            f"Let op: de inleverdatum {dutch_date(deadline)} op het voorblad is al voorbij; "
            "geef met --inleverdatum een datum die de partijen nog kunnen halen.",
            err=True,
        )
    _warn_when_late(kind, first_year, inleverdatum, termijnen)


def _warn_when_late(kind: str, first_year: int, inleverdatum: dt.date | None, termijnen) -> None:
    """An inleverdatum after the bod's termijn, or after the afspraken are to be signed, leaves
    no time for what the law asks: say so (a warning; the coordinator may have reasons)."""
    from pa_sheets.spec.kalender import dutch_date, late_deadline

    late = late_deadline(kind, first_year, inleverdatum, termijnen)
    if late is not None and inleverdatum is not None:
        due, basis = late
        what = (
            "ligt het bod bij gemeente en huurdersorganisatie"
            if kind == "bod"
            else f"zijn de afspraken voor {first_year} getekend en gepubliceerd"
        )
        click.echo(
            f"Let op: de inleverdatum {dutch_date(inleverdatum)} ligt na {dutch_date(due)}: "
            f"uiterlijk dan {what} ({basis}). Geef met --inleverdatum een eerdere datum.",
            err=True,
        )


def _after_bar(bar, line: str) -> None:
    """Say `line` on stderr once the bar is done, on a line of its own."""
    bar.render_finish()
    bar.hidden = True  # ended here: leaving the `with` must not end its line again
    click.echo(one_line(line), err=True)


def _report_written(path: Path) -> None:
    click.echo(f"Geschreven: {name(path)}")


def main() -> None:
    cli(prog_name="pa-sheets")
