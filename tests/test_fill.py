"""fill.py fills like a careful corporatie: a property test over seeds. Every random fill, of a
jaarschijf (three years, two gemeenten), a bod and a basisbod, is read back as validation reads
it and must have no finding at all (so none of the plausibility checks P001-P011 either), and its
values are checked here directly as well: inside each indicator's bereik and in its eenheid,
whole where the eenheid counts whole things, the streefwaarde in the indicator's richting, a
realisatie that agrees with its status, years in order, texts that belong to their indicator,
every year of a bod filled, sensible amounts."""

import re
from collections import Counter
from pathlib import Path

import openpyxl
import pytest
from conftest import CREATED, ROOT, SAMPLE

from pa_sheets.check.read import read_workbook
from pa_sheets.check.validate import check_workbook, validate_file
from pa_sheets.demo.faults import FAULTS, apply_fault
from pa_sheets.demo.fill import fill_workbook
from pa_sheets.demo.texts import afspraak_texts
from pa_sheets.spec.planning import planning_year
from pa_sheets.workbook.generate import generate

ANDERDORP = ROOT / "samples" / "anderdorp.yaml"
MEASURES = ("nulmeting", "streefwaarde", "realisatie")
BAKEN = "jaarschijf-2027-voorbeeldstad-baken.xlsx"  # the session filled it with seed 1
FAST_SEED = 1  # the demo's jaarschijf with mistakes; its basisbod is filled with seed 7
SLOW_SEEDS = (0, 2, 3, *range(4, 40))
LOWEST, HIGHEST = 1_000, 10_000_000  # amounts: thousands to a few million euro


@pytest.fixture(scope="module")
def blanks(generated, basisbod, tmp_path_factory, spec) -> list[Path]:
    """Blank workbooks of every kind: jaarschijven at the start, in the middle and in the last
    year of an agreement period, in two gemeenten; a bod; a basisbod for both gemeenten."""
    out = tmp_path_factory.mktemp("leeg")

    def make(kind, config, years, folder, names=()):
        return generate(
            kind, config, years, out / folder, names, spec=spec, created=CREATED, force=True
        )

    paths = [path for path in generated.values() if path.name.startswith("jaarschijf-")]
    paths += make("jaarschijf", SAMPLE, (2030,), "2030", ["Linde"])
    paths += make("jaarschijf", ANDERDORP, (2028,), "anderdorp")
    paths += [path for path in generated.values() if path.name.startswith("bod-")]
    paths.append(basisbod)
    return paths


def test_random_fills_are_plausible(blanks, filled, spec, tmp_path):
    # The session's fills stand for the jaarschijven 2027 (Baken's, seed 1; alike but for their
    # corporatie) and the bod (seed 0); the slow test fills every blank with every seed.
    assert problems(filled[BAKEN], spec) == [], BAKEN
    bod = next(name for name in filled if name.startswith("bod-"))
    assert problems(filled[bod], spec) == [], bod
    made = {path.name for path in filled.values()}
    others = [path for path in blanks if path.name not in made]
    assert len(others) == 3  # 2030, Anderdorp 2028 and the basisbod
    check_fills(
        FAST_SEED, [path for path in others if path.name.startswith("jaarschijf-")], spec, tmp_path
    )


def test_the_demos_basisbod_fill_is_plausible(filled_basisbod, spec):
    """Seed 7 (the session's fill) on every other blank runs with the slow seeds."""
    assert problems(filled_basisbod, spec) == []


def check_fills(seed: int, blanks: list[Path], spec, folder: Path) -> None:
    assert blanks
    for blank in blanks:
        filled = fill_workbook(blank, folder / blank.name, seed=seed, spec=spec)
        assert problems(filled, spec) == [], f"{blank.name}, seed {seed}"


@pytest.mark.slow
@pytest.mark.parametrize("seed", SLOW_SEEDS)
def test_many_more_random_fills_are_plausible(seed, blanks, spec, tmp_path):
    check_fills(seed, blanks, spec, tmp_path)


def test_the_same_seed_fills_the_same(generated, filled, spec, tmp_path):
    """The session filled the bod with seed 0; once more gives the same cells."""
    bod = next(name for name in generated if name.startswith("bod-"))
    again = fill_workbook(generated[bod], tmp_path / bod, seed=0, spec=spec)
    assert values(filled[bod], spec) == values(again, spec)


@pytest.mark.slow
@pytest.mark.parametrize("seed", (0, 4, 5, 6, 8))
def test_each_fault_still_gives_exactly_its_findings_on_other_fills(seed, blanks, spec, tmp_path):
    """faults.py writes into a filled jaarschijf; whatever the fill, the mistakes give exactly
    their findings (no plausibility finding on top, e.g. a rood over a realisatie that meets)."""
    linde = next(p for p in blanks if p.name == "jaarschijf-2027-voorbeeldstad-linde.xlsx")
    filled = fill_workbook(linde, tmp_path / "ingevuld.xlsx", seed=seed, spec=spec)
    for fault in FAULTS:
        target = tmp_path / f"{fault.name}.xlsx"
        expected = apply_fault(fault, filled, target)
        found = sorted((f.code, f.sheet, f.cell) for f in validate_file(target, spec).findings)
        assert found == sorted(expected, key=lambda i: (i[0], i[1], i[2] or "")), fault.name


# -------------------------------------------------------------------------------------------------
# What a careful corporatie's workbook looks like, checked value by value.
# -------------------------------------------------------------------------------------------------


def rows(path: Path, spec, key: str | None = None) -> list[dict[str, object]]:
    """Every non-empty row of the workbook as validation normalised it, with its block."""
    data = read_workbook(path, spec)
    return _rows(data, check_workbook(data, spec)[1], key)


def _rows(data, clean, key: str | None = None) -> list[dict[str, object]]:
    found = []
    for block, columns in zip(data.blocks, clean, strict=True):
        if key is not None and block.key != key:
            continue
        for index in range(len(block.rows)):
            row = {k: v[index] for k, v in columns.items() if v[index] not in (None, "")}
            if row:
                found.append(row | {"_block": block, "_cell": f"{block.sheet}!{block.rows[index]}"})
    return found


def values(path: Path, spec) -> list[dict[str, object]]:
    return [{k: v for k, v in row.items() if k != "_block"} for row in rows(path, spec)]


def problems(path: Path, spec) -> list[str]:
    """Everything that a careful corporatie would not have sent, in words."""
    data = read_workbook(path, spec)
    findings, clean = check_workbook(data, spec)
    found = [f"{f.code} {f.sheet} {f.cell}: {f.message}" for f in findings]
    template = data.template
    kind = spec.templates[template.kind]
    year, (first, last) = template.years[0], template.period
    statuses, measurable = Counter(), 0
    for row in _rows(data, clean):
        block, where = row["_block"], row["_cell"]
        spec_block = kind.block(block.key)
        found += [f"{where}: {text}" for text in _amounts(row, spec)]
        if block.key == "leefbaarheid":
            empty = [y for y in template.years if f"budget_{y}" not in row]
            if empty:
                found.append(f"{where}: no budget for {empty}")
        if not spec_block.holds_afspraken:
            continue
        indicator = spec.indicator(str(row["indicator"])) if "indicator" in row else None
        eenheid = row.get("eenheid")
        if indicator is not None and eenheid != indicator.eenheid:
            found.append(f"{where}: {indicator.code} in {eenheid}, not {indicator.eenheid}")
        found += [f"{where}: {text}" for text in _measures(row, spec, indicator, eenheid)]
        found += [f"{where}: {text}" for text in _status(row, spec, indicator, block.key)]
        start = row.get("nulmeting_jaar")
        planned = planning_year(row["planning"]) if "planning" in row else None
        if start is not None and (start >= year or (planned is not None and start >= planned)):
            found.append(f"{where}: nulmeting {start:g} not before {year} and {planned}")
        if spec_block.is_new:
            letters = str(row.get("nummer", "")).partition("-")[0]
            if letters != block.meta.thema:
                found.append(f"{where}: nummer {row.get('nummer')} on a {block.meta.thema} tab")
            if planned is not None and not max(year, first) <= planned <= max(last, year):
                found.append(f"{where}: planning {planned} outside {year}-{last}")
            if indicator is not None and not _matches(indicator.code, str(row["afspraak"])):
                found.append(f"{where}: text not about {indicator.naam}: {row['afspraak']}")
            if template.kind == "jaarschijf" and (indicator is None or "streefwaarde" not in row):
                found.append(f"{where}: a new afspraak without indicator and streefwaarde")
        if template.kind == "jaarschijf" and spec_block.lopend:
            statuses[row.get("status")] += 1
            measurable += (
                "streefwaarde" in row and indicator is not None and indicator.richting != "neutraal"
            )
            if "status" not in row:
                found.append(f"{where}: a lopende afspraak without status")
        if template.kind != "jaarschijf" and indicator is not None:
            countable = indicator.eenheid == "%" or spec.eenheid(indicator.eenheid).geheel
            empty = [y for y in template.years if f"aantal_{y}" not in row]
            if countable and empty:
                found.append(f"{where}: no aantal for {empty}")
    if measurable >= 2 and not (statuses["rood"] and statuses["oranje"]):
        found.append(f"no rood and oranje among the lopende afspraken: {dict(statuses)}")
    return found


def _amounts(row: dict, spec) -> list[str]:
    """Money (bijdrage, investering, budget) in thousands to a few million euro."""
    found = []
    for key, value in row.items():
        if key.startswith("_") or spec.column_for(key).type != "money":
            continue
        if not LOWEST <= value <= HIGHEST:
            found.append(f"{key} {value:,.0f} EUR")
    return found


def _measures(row: dict, spec, indicator, eenheid) -> list[str]:
    """In bereik, whole where the eenheid counts whole things, in the indicator's richting."""
    found = []
    unit = spec.eenheid(eenheid) if eenheid else None
    low, high = spec.bereik(eenheid or "", indicator)
    for key in MEASURES:
        value = row.get(key)
        if value is None:
            continue
        if (low is not None and value < low) or (high is not None and value > high):
            bereik = "-".join("" if end is None else f"{end:g}" for end in (low, high))
            found.append(f"{key} {value:g} outside {bereik} {eenheid}")
        if unit is not None and unit.geheel and not float(value).is_integer():
            found.append(f"{key} {value:g} is not a whole number of {eenheid}")
    start, target = row.get("nulmeting"), row.get("streefwaarde")
    sign = {"hoger": 1, "lager": -1}.get(indicator.richting, 0) if indicator else 0
    if start is not None and target is not None and (target - start) * sign < 0:
        found.append(f"streefwaarde {target:g} against {indicator.richting} from {start:g}")
    return found


def _status(row: dict, spec, indicator, block_key: str) -> list[str]:
    """A realisatie that agrees with the status; a toelichting where the status needs one."""
    found = []
    status, done, target = row.get("status"), row.get("realisatie"), row.get("streefwaarde")
    if status in spec.statuses_needing_toelichting() and not row.get("toelichting"):
        found.append(f"status {status} without toelichting")
    small, large = sorted((abs(done or 0), abs(target or 0)))
    if small and large > 100 * small:
        found.append(f"realisatie {done:g} against streefwaarde {target:g}")
    if block_key == "nieuw" and done is not None:
        found.append("a realisatie for an afspraak that is new this year")
    if indicator is None or indicator.richting == "neutraal" or done is None or target is None:
        return found
    met = done >= target if indicator.richting == "hoger" else done <= target
    if status == "gerealiseerd" and not met:
        found.append(f"gerealiseerd, but {done:g} misses {target:g}")
    if status in ("rood", "oranje") and met:
        found.append(f"{status}, but {done:g} meets {target:g}")
    return found


def _matches(code: str, text: str) -> bool:
    """Whether `text` is one of the afspraak texts fill.py has for indicator `code`."""
    for template in afspraak_texts(code):
        pattern = re.sub(r"\\\{\w+\\\}", ".+?", re.escape(template))
        if re.fullmatch(pattern, text):
            return True
    return False


def test_a_text_that_belongs_to_another_indicator_is_noticed():
    text = "De corporatie levert in 2027 40 sociale huurwoningen op aan de Stationsweg."
    assert _matches("BS01", text)
    assert not _matches("BT02", text)


def test_the_checks_here_notice_what_a_careless_fill_does(filled, spec, tmp_path):
    """The checks above can fail: a rapportcijfer of 52, a streefwaarde against the richting,
    a nummer of another thema, a text about something else, a bod year left empty."""
    jaarschijf = filled[BAKEN]
    workbook = openpyxl.load_workbook(jaarschijf)
    block = next(
        b
        for b in read_workbook(jaarschijf, spec).meta.blocks
        if b.key == "nieuw" and b.sheet.startswith("LB ")
    )
    careless = {
        "nummer": "BT-40",
        "afspraak": "De corporatie levert in 2027 40 sociale huurwoningen op.",
        "type": "handelingsafspraak",
        "indicator": "Huurdersoordeel over de woonomgeving",
        "eenheid": "rapportcijfer",
        "nulmeting": 7,
        "nulmeting_jaar": 2026,
        "streefwaarde": 5.5,
        "planning": "2027",
    }
    for offset, changes in ((5, {}), (6, {"nummer": "LB-41", "streefwaarde": 52})):
        for key, value in (careless | changes).items():
            column = block.columns.index(key) + 1
            workbook[block.sheet].cell(block.first_row + offset, column, value)
    workbook.save(tmp_path / "slordig.xlsx")
    found = problems(tmp_path / "slordig.xlsx", spec)
    assert any("streefwaarde 5.5 against hoger from 7" in text for text in found), found
    assert any("nummer BT-40 on a LB tab" in text for text in found), found
    assert any("text not about Huurdersoordeel" in text for text in found), found
    assert any("streefwaarde 52 outside 1-10 rapportcijfer" in text for text in found), found

    bod = filled[next(name for name in filled if name.startswith("bod-"))]
    workbook = openpyxl.load_workbook(bod)
    block = next(
        b
        for b in read_workbook(bod, spec).meta.blocks
        if b.key == "going_concern" and b.sheet == "BS Linde"
    )
    workbook[block.sheet].cell(block.first_row, block.columns.index("aantal_2029") + 1).value = None
    workbook.save(tmp_path / "leeg-jaar.xlsx")
    found = problems(tmp_path / "leeg-jaar.xlsx", spec)
    assert any("no aantal for [2029]" in text for text in found), found
