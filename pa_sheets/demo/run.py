"""The demo: the whole cycle on the sample gemeente, so a new user sees what pa-sheets does.

Start as a coordinator does, from a set-up workbook (made here from the built-in sample
config; a coordinator fills in an empty one), and take it as the config throughout. Generate
blank workbooks, fill them in as the parties would, make one copy with the mistakes
people really make, validate everything, annotate the copy with mistakes, and merge the valid
jaarschijven of the three corporaties into the gezamenlijk overzicht. One corporatie that
also works in a second gemeente fills one basisbod and splits it into a bod per gemeente. Last,
every party has signed the jaarschijven (the Ondertekening is filled in), and the afspraken are
published as a web page with open data. Then the monitoring round over the year, a step of its
own: a monitor per corporatie from the signed jaarschijven (which stay as they are), filled in as
the parties report (realistic contributions, some behind their mijlpaal, one party whose
stoplicht disagrees with its numbers), validated and evaluated against what was agreed. And
the cycle starts again: next year's jaarschijven rolled over from the signed ones, with last
year's status and realisatie from the monitors.
"""

import datetime as dt
from collections.abc import Callable
from importlib.resources import files
from pathlib import Path

from pa_sheets.check.findings import Report
from pa_sheets.check.report import annotate
from pa_sheets.check.validate import validate_paths
from pa_sheets.cycle.basisbod import generate_basisbod, split_bod
from pa_sheets.cycle.evaluate import evaluate_paths
from pa_sheets.cycle.evaluation_workbook import write_evaluation
from pa_sheets.cycle.monitor import generate_monitor
from pa_sheets.cycle.publish import publish_paths
from pa_sheets.cycle.rollover import rollover
from pa_sheets.demo.faults import apply_faults, fault
from pa_sheets.demo.fill import fill_workbook
from pa_sheets.demo.monitor import fill_monitor
from pa_sheets.errors import ConfigError
from pa_sheets.merge.combine import merge_paths
from pa_sheets.merge.overview import write_overview
from pa_sheets.spec.config import load_config
from pa_sheets.spec.model import load_spec
from pa_sheets.spec.yamlfile import load_yaml
from pa_sheets.workbook.generate import generate
from pa_sheets.workbook.opzet import write_setup
from pa_sheets.workbook.writer import now

SAMPLE_CONFIG = "voorbeeldstad.yaml"
SECOND_GEMEENTE = "anderdorp.yaml"  # De Linde works here too: the basisbod
DEMO_YEAR = 2027
DEMO_FAULTS = [
    "ongeldig-type",
    "verplicht-leeg",
    "rood-zonder-toelichting",
    "vaste-tekst-gewijzigd",
    "planning-buiten-periode",
    "niet-smart",
    "hoofdletters-in-lijst",
]


def sample_config(name: str = SAMPLE_CONFIG) -> Path:
    return Path(str(files("pa_sheets.samples") / name))


def _set_up(folder: Path, spec, created, echo: Callable[[str], None]) -> Path:
    """The gemeente's set-up workbook, as a coordinator fills it in: here written from the
    sample config. It is the config of every step after it."""
    folder.mkdir(parents=True, exist_ok=True)
    path = write_setup(
        load_yaml(sample_config(), ConfigError),
        folder / f"opzet-{DEMO_YEAR}-voorbeeldstad.xlsx",
        spec,
        source=SAMPLE_CONFIG,
        force=True,
        created=created,
    )
    echo(f"0. De afspraken van de gemeente opgezet in een werkboek (pa-sheets opzet): {path}")
    return path


def run_demo(
    out_dir: Path, echo: Callable[[str], None] = print
) -> tuple[Report, list[Path], Path, Path]:
    """Run the cycle into `out_dir`; return the validation report, the annotated copies, the
    gezamenlijk overzicht and the published page."""
    spec = load_spec()
    created = now()
    config = _set_up(out_dir / "0-opzet", spec, created, echo)
    blank_dir, filled_dir = out_dir / "1-leeg", out_dir / "2-ingevuld"
    faults_dir, control_dir = out_dir / "3-met-fouten", out_dir / "4-controle"
    merged_dir = out_dir / "5-gezamenlijk"
    years = tuple(range(DEMO_YEAR, DEMO_YEAR + 5))
    blank = generate(
        "jaarschijf", config, (DEMO_YEAR,), blank_dir, force=True, spec=spec, created=created
    )
    blank += generate(
        "bod", config, years, blank_dir, ["Linde"], force=True, spec=spec, created=created
    )
    echo(f"1. {len(blank)} lege werkboeken gemaakt in {blank_dir}")
    filled = [
        fill_workbook(path, filled_dir / path.name, seed=i, spec=spec)
        for i, path in enumerate(blank)
    ]
    echo(f"2. Ingevuld zoals de partijen dat doen, in {filled_dir}")
    linde = next(
        path
        for path in filled
        if path.name.startswith("jaarschijf-") and path.stem.endswith("-linde")
    )
    with_faults = faults_dir / linde.name
    apply_faults([fault(name) for name in DEMO_FAULTS], linde, with_faults)
    echo(f"3. Een kopie met {len(DEMO_FAULTS)} veelgemaakte fouten: {with_faults}")
    # Checked against the source, as a coordinator does: the config the workbooks came from.
    gemeente = load_config(config, spec)
    report = validate_paths([filled_dir, faults_dir], spec=spec, config=gemeente)
    # Only the faulty copy is annotated, into a folder of its own: the valid linde.xlsx of
    # the same name is no other copy of this run, so its name need not be kept apart.
    faulty = [file for file in report.files if not file.valid()]
    annotated = [annotate(f, control_dir, [g.path for g in faulty]) for f in faulty]
    echo(f"4. Gecontroleerd; de kopie met opmerkingen voor de corporatie staat in {control_dir}")
    jaarschijven = [path for path in filled if path.name.startswith("jaarschijf-")]
    merged = merge_paths(jaarschijven, spec=spec, config=gemeente)
    merged_dir.mkdir(parents=True, exist_ok=True)
    overview = write_overview(
        merged, merged_dir / f"gezamenlijk-jaarschijf-{DEMO_YEAR}.xlsx", force=True
    )
    rows = sum(len(source.records) for source in merged.sources)
    echo(f"5. {len(jaarschijven)} jaarschijven samengevoegd ({rows} rijen): {overview}")
    _basisbod(out_dir / "6-basisbod", [config, sample_config(SECOND_GEMEENTE)], echo, spec, created)
    site_dir = out_dir / "7-publicatie"
    site_dir.mkdir(parents=True, exist_ok=True)
    signed = sum(f.getekend for f in report.files if f.path.parent == filled_dir)
    # From the overview: its workbooks were compared with the config when it was merged.
    # The demo's story: the parties sign in the first half of december of the year before
    # (fill.py), and the page is made after the last signature. Run before that day, the demo
    # publishes as on the day after it, not on a day before the signatures it shows.
    story = dt.datetime(DEMO_YEAR - 1, 12, 14, 12, 0)
    published = publish_paths(
        [overview], site_dir, force=True, spec=spec, created=max(created, story)
    )
    page = published.pages[0]
    echo(
        f"7. {signed} jaarschijven getekend door alle partijen en gepubliceerd: {page} "
        "(met de open data als Data Package ernaast)"
    )
    monitoring = out_dir / "8-monitoring"
    monitoring_round(jaarschijven, monitoring, echo, spec=spec, created=created)
    _next_year(jaarschijven, monitoring / "ingevuld", out_dir / "9-rollover", echo, spec, created)
    return report, [path for path in annotated if path is not None], overview, page


def _basisbod(basis_dir: Path, configs: list[Path], echo, spec, created) -> None:
    """De Linde's basisbod for both gemeenten, filled and split into a bod per gemeente."""
    years = tuple(range(DEMO_YEAR, DEMO_YEAR + 5))
    basisbod = generate_basisbod(
        configs, "Linde", years, basis_dir, force=True, spec=spec, created=created
    )
    basisbod = fill_workbook(basisbod, basis_dir / "ingevuld" / basisbod.name, seed=7, spec=spec)
    split = split_bod(basisbod, basis_dir / "boden", force=True, spec=spec, created=created)
    echo(
        f"6. De Linde werkt ook in Anderdorp: één basisbod ({basisbod}), "
        f"gesplitst in {len(split.paths)} boden in {basis_dir / 'boden'}"
    )


def monitoring_round(
    signed: list[Path],
    out_dir: Path,
    echo: Callable[[str], None] = print,
    *,
    spec=None,
    created=None,
) -> Path:
    """The monitoring round over the signed jaarschijven `signed`, into `out_dir`: blank
    monitors in leeg/, filled in ingevuld/ (the first corporatie's stoplicht disagrees with
    its numbers), validated, and the evaluation; returns the evaluation workbook."""
    spec = spec or load_spec()
    blank = generate_monitor(signed, out_dir / "leeg", force=True, spec=spec, created=created)
    returned = [
        fill_monitor(path, out_dir / "ingevuld" / path.name, seed=seed, spec=spec)
        for seed, path in enumerate(blank, start=1)
    ]
    report = validate_paths(returned, spec=spec)
    in_order = sum(file.valid() for file in report.files)
    evaluation = evaluate_paths(returned, spec=spec)
    behind = sum(a.oordeel.oordeel in ("achter", "niet gehaald") for a in evaluation.afspraken)
    written = write_evaluation(
        evaluation, out_dir / f"evaluatie-{evaluation.year}.xlsx", spec, force=True, created=created
    )
    echo(
        f"8. Monitoringronde {evaluation.year}: {len(blank)} monitors uit de getekende "
        f"jaarschijven ({out_dir / 'leeg'}), ingevuld en gecontroleerd ({in_order} van "
        f"{len(returned)} in orde); {behind} afspraken achter op wat is afgesproken, "
        f"{len(evaluation.tegenspraak)} keer status en cijfers in tegenspraak. "
        f"Evaluatie: {written}; ernaast per corporatie haar deel voor het "
        f"volkshuisvestingsverslag ({written.stem}-verslag-*.xlsx)"
    )
    return written


def _next_year(signed: list[Path], monitors: Path, out_dir: Path, echo, spec, created) -> None:
    """Next year's jaarschijven from the signed ones, with status and realisatie from the
    monitors (rollover --monitor)."""
    year = DEMO_YEAR + 1
    written = rollover(
        signed, year, out_dir, force=True, spec=spec, created=created, monitors=[monitors]
    )
    echo(
        f"9. Rollover naar {year}: {len(written)} jaarschijven uit de getekende, met status en "
        f"realisatie {DEMO_YEAR} uit de monitors, in {out_dir}; wat doorloopt, open blijft of "
        f"stopt, en waarom: {out_dir / f'rollover-{year}.txt'}"
    )
