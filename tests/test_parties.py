"""generate never writes what validate refuses (issue 26): a freshly generated jaarschijf,
filled in with a status for every lopende afspraak and nothing else, validates without an
error, with and without the gemeente's config. Over every config of the real corpus
(tests/real/) and over party structures drawn by hypothesis: several corporaties, one or more
huurdersorganisaties (one shared by several corporaties), a huurdersfederatie for some of
them, samenwerkingsverbanden, partners, and lopende afspraken for alle, for one corporatie or
for a named list of them, naming any party of the gemeente by rol, kort or naam."""

from pathlib import Path

import openpyxl
import pytest
import yaml
from conftest import CREATED
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from test_merge import cells as sheet_values
from test_real import BRONNEN, NOT_CONFIG, REAL, afspraken
from workbook_helpers import blocks

from pa_sheets.check.validate import validate_file
from pa_sheets.spec.config import load_config
from pa_sheets.workbook.generate import generate

THEMAS = ["BS", "BT", "VD", "LB"]
YEAR = 2027


def statuses_only(blank: Path, out: Path) -> Path:
    """The blank workbook with 'groen' for every lopende afspraak, nothing else typed in."""
    workbook = openpyxl.load_workbook(blank)
    for block in blocks(workbook):
        if block["sleutel"] != "going_concern":
            continue
        sheet = workbook[block["blad"]]
        column = block["kolommen"].split(",").index("status") + 1
        for row in range(block["eerste_rij"], block["laatste_rij"] + 1):
            if sheet.cell(row, 1).value:
                sheet.cell(row, column, "groen")
    out.parent.mkdir(parents=True, exist_ok=True)
    workbook.save(out)
    return out


def errors_of(config_path: Path, year: int, folder: Path, spec) -> list[tuple]:
    """Every error validate finds in each freshly generated, status-filled jaarschijf."""
    config = load_config(config_path, spec)
    found = []
    for blank in generate("jaarschijf", config_path, (year,), folder / "leeg", created=CREATED):
        filled = statuses_only(blank, folder / "terug" / blank.name)
        for with_config in (None, config):
            report = validate_file(filled, spec, config=with_config)
            assert report.unusable is None, report.unusable
            found += [(filled.name, f.code, f.sheet, f.cell, f.message) for f in report.errors]
    return found


# The real configs whose jaarschijven take longest (many corporaties or lopende afspraken): in
# the whole suite only. In the fast suite the others stand for them: a huurdersorganisatie shared
# by three corporaties (Tilburg), a samenwerkingsverband (Utrechtse Heuvelrug), partners (Veendam,
# Westerwolde); and test_real generates, fills and validates the jaarschijven of most real
# configs in the fast suite too (Arnhem and Haarlemmermeer among them).
SLOW_BRONNEN = {
    "heerlen-2024",
    "het-hogeland-2020-2023",
    "haarlemmermeer-2024-2027",
    "molenlanden-2021",
    "vijfheerenlanden-2024",
    "arnhem-2018",
}


@pytest.mark.parametrize(
    "bron",
    [pytest.param(b, marks=pytest.mark.slow) if b in SLOW_BRONNEN else b for b in BRONNEN],
)
def test_every_real_config_generates_what_it_validates(bron, tmp_path, spec):
    info = BRONNEN[bron]
    config = yaml.safe_load((REAL / info["config"]).read_text(encoding="utf-8"))
    config["lopende_afspraken"] = [
        {k: v for k, v in a.items() if k not in NOT_CONFIG} for a in afspraken(bron, "lopend")
    ]
    path = tmp_path / info["config"]
    path.write_text(yaml.safe_dump(config, allow_unicode=True), encoding="utf-8")
    assert errors_of(path, info["jaarschijf"], tmp_path, spec) == []


# -------------------------------------------------------------------------------------------------
# Party structures drawn by hypothesis
# -------------------------------------------------------------------------------------------------


@st.composite
def gemeenten(draw) -> dict:
    """A gemeente config with a drawn party structure and lopende afspraken naming them."""
    n = draw(st.integers(1, 4))
    korts = [f"Corp{i}" for i in range(n)]
    shared = n > 1 and draw(st.booleans())  # one huurdersorganisatie for all (SBO Tilburg)
    corporaties = []
    for i, kort in enumerate(korts):
        own = [{"naam": f"Huurders {kort}", "kort": f"HO {kort}"}]
        if draw(st.booleans()):
            own.append({"naam": f"Bewonersraad {kort}", "kort": f"BR {kort}"})
        if shared:
            own[0] = {"naam": "Huurdersfederatie Stad", "kort": "Federatie HO"}
        corporaties.append(
            {
                "naam": f"Woonstichting {kort}",
                "kort": kort,
                "l_nummer": f"L{9500 + i}",
                "huurdersorganisatie": own if len(own) > 1 else own[0],
            }
        )
    config: dict = {
        "gemeente": {"naam": "Proefstad", "code": "GM9999", "kort": "GPS"},
        "periode": {"eerste_jaar": 2026, "laatste_jaar": 2030},
        "themas": THEMAS,
        "corporaties": corporaties,
    }
    federatie = None
    if draw(st.booleans()):  # a koepel of huurdersorganisaties for some corporaties' tenants
        leden = draw(st.lists(st.sampled_from(korts), min_size=1, max_size=n, unique=True))
        federatie = {"naam": "Huurderskoepel Proefstad", "kort": "Koepel", "corporaties": leden}
        config["huurdersfederaties"] = [federatie]
    verband = None
    if n > 2 and draw(st.booleans()):
        leden = draw(st.lists(st.sampled_from(korts), min_size=2, max_size=n - 1, unique=True))
        verband = {"naam": "Samenwerkende corporaties", "kort": "Samen", "corporaties": leden}
        config["samenwerkingsverbanden"] = [verband]
    partner = None
    if draw(st.booleans()):
        themas = draw(st.lists(st.sampled_from(THEMAS), min_size=1, max_size=2, unique=True))
        partner = {"naam": "Zorgpartner Proefstad", "kort": "Zorg", "themas": themas}
        config["partners"] = [partner]
    # How a lopende afspraak may name a party: by rol, or any party by kort or naam.
    names = ["gemeente", "corporatie", "huurdersorganisatie", "GPS", "Gemeente Proefstad"]
    for corporatie in corporaties:
        names += [corporatie["kort"], corporatie["naam"]]
        listed = corporatie["huurdersorganisatie"]
        for ho in listed if isinstance(listed, list) else [listed]:
            names += [ho["kort"], ho["naam"]]
    names += [verband["kort"], verband["naam"]] if verband else []
    names += [federatie["kort"], federatie["naam"]] if federatie else []
    names += [partner["kort"], partner["naam"]] if partner else []
    lopend = []
    for number in range(draw(st.integers(1, 6))):
        thema = draw(st.sampled_from(THEMAS))
        voor = draw(
            st.one_of(
                st.just("alle"),
                st.sampled_from(korts),
                st.lists(st.sampled_from(korts), min_size=2, max_size=n, unique=True)
                if n > 1
                else st.just("alle"),
            )
        )
        tabs = ["gemeente", "corporatie", "huurdersorganisatie"]
        if partner and thema in partner["themas"]:
            tabs.append(partner["kort"])
        members = [voor] if isinstance(voor, str) else voor
        if verband and all(m in verband["corporaties"] for m in members) and voor != "alle":
            tabs.append(verband["kort"])
        # A federatie's afspraak for alle stands in the workbooks of its corporaties.
        if federatie and (voor == "alle" or all(m in federatie["corporaties"] for m in members)):
            tabs.append(federatie["kort"])
        row = {
            "nummer": f"{thema}-{number + 1:02d}",
            "corporatie": voor,
            "partij": draw(st.sampled_from(tabs)),
            "afspraak": f"Afspraak {number + 1} over {thema}.",
            "type": "procesafspraak",
            "trekker": draw(st.lists(st.sampled_from(names), min_size=1, max_size=3)),
            "planning": draw(st.sampled_from(["2027", "uiterlijk 2028", "tot 2030", "jaarlijks"])),
        }
        if draw(st.booleans()):
            row["betrokken"] = draw(st.lists(st.sampled_from(names), min_size=1, max_size=2))
        lopend.append(row)
    config["lopende_afspraken"] = lopend
    return config


@pytest.mark.slow  # 12 gemeenten of up to 4 corporaties: about half a minute of CPU
@settings(
    max_examples=12,
    deadline=None,
    derandomize=True,  # the same examples every run: a test that fails, fails again
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(config=gemeenten())
def test_drawn_party_structures_generate_what_they_validate(config, tmp_path_factory, spec):
    folder = tmp_path_factory.mktemp("partijen")
    path = folder / "proefstad.yaml"
    path.write_text(yaml.safe_dump(config, allow_unicode=True), encoding="utf-8")
    assert errors_of(path, YEAR, folder, spec) == [], yaml.safe_dump(config, allow_unicode=True)


SUBSET = {
    "gemeente": {"naam": "Proefstad", "code": "GM9999", "kort": "GPS"},
    "periode": {"eerste_jaar": 2026, "laatste_jaar": 2030},
    "themas": ["BS", "VD"],
    "corporaties": [
        {"naam": f"Woonstichting {kort}", "kort": kort, "l_nummer": f"L95{i:02d}"}
        | {"huurdersorganisatie": {"naam": f"Huurders {kort}", "kort": f"HO {kort}"}}
        for i, kort in enumerate(["Eik", "Beuk", "Linde", "Wilg"])
    ],
    "lopende_afspraken": [
        {
            "nummer": "VD-01",
            "corporatie": ["Eik", "Linde", "Wilg"],
            "partij": "corporatie",
            "afspraak": "Drie corporaties verduurzamen samen 600 woningen.",
            "type": "handelingsafspraak",
            "trekker": ["Eik", "Woonstichting Linde", "wilg"],  # kort, naam, any case
            "betrokken": ["GPS", "HO Beuk"],  # the gemeente by kort; a party outside these three
            "scope": "alle corporaties",
            "indicator": "VD01",
            "eenheid": "woningen",
            "streefwaarde": 600,
            "planning": "uiterlijk 2030",
        }
    ],
}


def test_a_lopende_afspraak_for_a_named_list_of_corporaties(tmp_path, spec):
    # Issue 26: "3 of 7" was refused (only one corporatie or all). It stands in the workbooks
    # of those three, names its parties as the gemeente wrote them, validates and merges as one.
    from pa_sheets.merge.combine import merge_paths

    path = tmp_path / "proefstad.yaml"
    path.write_text(yaml.safe_dump(SUBSET, allow_unicode=True), encoding="utf-8")
    config = load_config(path, spec)
    (row,) = config.lopend
    assert row.voor == ("Eik", "Linde", "Wilg") and not row.is_for("Beuk")
    assert (
        row.values["trekker"] == "Eik, Linde, Wilg"
        and row.values["betrokken"] == "gemeente, HO Beuk"
    )
    assert errors_of(path, YEAR, tmp_path, spec) == []
    having = {}
    for filled in sorted((tmp_path / "terug").glob("*.xlsx")):
        cells = [value for rows in sheet_values(filled).values() for row in rows for value in row]
        having[filled.name] = "Drie corporaties verduurzamen samen 600 woningen." in cells
        if having[filled.name]:
            trekker = "Woonstichting Eik, Woonstichting Linde, Woonstichting Wilg"
            assert trekker in cells and "Gemeente Proefstad, Huurders Beuk" in cells
    assert having == {
        "jaarschijf-2027-proefstad-beuk.xlsx": False,
        "jaarschijf-2027-proefstad-eik.xlsx": True,
        "jaarschijf-2027-proefstad-linde.xlsx": True,
        "jaarschijf-2027-proefstad-wilg.xlsx": True,
    }
    merged = merge_paths(sorted((tmp_path / "terug").glob("*.xlsx")), spec=spec, workers=1)
    assert [c.nummer for c in merged.collectives] == ["VD-01"]  # one afspraak, counted once


@pytest.mark.parametrize(
    ("corporatie", "message"),
    [
        (["Eik", "Eikel"], "lopende_afspraken[0].corporatie: geen corporatie 'Eikel'"),
        (["alle", "Eik"], "lopende_afspraken[0].corporatie: noem alle, of de corporaties"),
    ],
)
def test_a_named_list_of_corporaties_names_corporaties(tmp_path, spec, corporatie, message):
    from pa_sheets.errors import ConfigError

    config = {
        **SUBSET,
        "lopende_afspraken": [{**SUBSET["lopende_afspraken"][0], "corporatie": corporatie}],
    }
    path = tmp_path / "proefstad.yaml"
    path.write_text(yaml.safe_dump(config, allow_unicode=True), encoding="utf-8")
    with pytest.raises(ConfigError, match=message.replace("[", r"\[").replace("]", r"\]")):
        load_config(path, spec)


# -------------------------------------------------------------------------------------------------
# A huurdersfederatie: a koepel of huurdersorganisaties for the tenants of several corporaties
# -------------------------------------------------------------------------------------------------

FEDERATIE = {
    "gemeente": {"naam": "Proefstad", "code": "GM9999", "kort": "GPS"},
    "periode": {"eerste_jaar": 2026, "laatste_jaar": 2030},
    "themas": ["BT", "LB"],
    "corporaties": [
        {"naam": "Woonstichting Eik", "kort": "Eik", "l_nummer": "L9500"}
        | {"huurdersorganisatie": {"naam": "Huurders Eik", "kort": "HO Eik"}},
        {"naam": "Woonstichting Beuk", "kort": "Beuk", "l_nummer": "L9501"}
        | {"huurdersorganisatie": {"naam": "Huurders Beuk", "kort": "HO Beuk"}},
        {"naam": "Woonstichting Wilg", "kort": "Wilg", "l_nummer": "L9502"},
    ],
    "huurdersfederaties": [
        {"naam": "Huurdersfederatie Proefstad", "kort": "Federatie", "corporaties": ["Eik", "Beuk"]}
    ],
    "lopende_afspraken": [
        {
            "nummer": "BT-01",
            "partij": "Federatie",
            "afspraak": "De federatie adviseert jaarlijks over de huuraanpassing.",
            "type": "procesafspraak",
            "trekker": "Federatie",
            "betrokken": ["corporatie"],
            "planning": "jaarlijks",
        },
        {
            "nummer": "LB-01",
            "partij": "gemeente",
            "afspraak": "Gemeente en huurdersfederatie houden samen een wijkschouw.",
            "type": "handelingsafspraak",
            "trekker": ["gemeente", "Huurdersfederatie Proefstad"],
            "planning": "2027",
        },
    ],
}


def _signed(path: Path, unsigned: str | None = None) -> Path:
    """Every party of the Ondertekening akkoord on 10 December, but `unsigned`."""
    import datetime as dt

    workbook = openpyxl.load_workbook(path)
    sheet = workbook["Ondertekening"]
    header = next(r for r in range(1, 20) if sheet.cell(r, 1).value == "Partij")
    for row in range(header + 1, sheet.max_row + 1):
        party = sheet.cell(row, 1).value
        if party and party != unsigned:
            sheet.cell(row, 4, "akkoord")
            sheet.cell(row, 5, dt.datetime(2026, 12, 10))
            sheet.cell(row, 6, f"Voorzitter {party}")
    workbook.save(path)
    return path


@pytest.fixture(scope="module")
def federatie(tmp_path_factory, spec) -> tuple[Path, Path]:
    """The config, and the folder of its jaarschijven 2027 filled with statuses and signed."""
    folder = tmp_path_factory.mktemp("federatie")
    path = folder / "proefstad.yaml"
    path.write_text(yaml.safe_dump(FEDERATIE, allow_unicode=True), encoding="utf-8")
    assert errors_of(path, YEAR, folder, spec) == []
    for filled in (folder / "terug").glob("*.xlsx"):
        _signed(filled)
    return path, folder / "terug"


def test_a_huurdersfederatie_has_its_tabs_and_signs_in_the_workbooks_of_its_corporaties(
    federatie, spec
):
    path, folder = federatie
    config = load_config(path, spec)
    (koepel,) = config.federaties
    assert (koepel.rol, koepel.leden) == ("huurdersfederatie", ("Eik", "Beuk"))
    assert [row.voor for row in config.lopend] == [("Eik", "Beuk"), ()]
    seen, loaded = {}, {}
    for name in ("eik", "beuk", "wilg"):
        workbook = openpyxl.load_workbook(folder / f"jaarschijf-2027-proefstad-{name}.xlsx")
        loaded[name] = workbook
        cells = [c.value for sheet in workbook.worksheets for r in sheet.iter_rows() for c in r]
        sheet = workbook["Ondertekening"]
        signing = [
            tuple(c.value for c in row[:3]) for row in sheet.iter_rows(min_row=7) if row[0].value
        ]
        seen[name] = (
            [s for s in workbook.sheetnames if s.endswith("Federatie")],
            ("Huurdersfederatie Proefstad", "Huurdersfederatie", "alle thema's") in signing,
            "De federatie adviseert jaarlijks over de huuraanpassing." in cells,
        )
        # Its name where the gemeente's text names it, also where it does not sign.
        assert "Gemeente Proefstad, Huurdersfederatie Proefstad" in cells
    assert seen == {
        "eik": (["BT Federatie", "LB Federatie"], True, True),
        "beuk": (["BT Federatie", "LB Federatie"], True, True),
        "wilg": ([], False, False),
    }
    workbook = loaded["eik"]
    cover = {row[0]: row[1] for row in workbook.worksheets[0].iter_rows(values_only=True)}
    assert cover["Huurdersfederatie"] == "Huurdersfederatie Proefstad"
    assert "Samenwerkingsverband" not in cover  # it is no verband of corporaties
    tab = [[c.value for c in row] for row in workbook["BT Federatie"].iter_rows(max_row=8)]
    header = next(row for row in tab if row[0] == "Nummer")
    row = next(row for row in tab if row[0] == "BT-01")
    assert row[header.index("Trekker")] == "Huurdersfederatie Proefstad"
    assert "Woonstichting Eik" in row  # betrokken: the rol corporatie, here Eik


def test_validate_asks_the_huurdersfederaties_signature(federatie, spec, tmp_path):
    import shutil

    path, folder = federatie
    config = load_config(path, spec)
    signed = validate_file(folder / "jaarschijf-2027-proefstad-eik.xlsx", spec, config=config)
    assert signed.errors == [] and signed.signing is not None and signed.signing.signed
    copy = tmp_path / "jaarschijf-2027-proefstad-eik.xlsx"
    shutil.copyfile(folder / copy.name, copy)
    workbook = openpyxl.load_workbook(copy)
    sheet = workbook["Ondertekening"]
    row = next(r for r in sheet.iter_rows(min_row=7) if r[0].value == "Huurdersfederatie Proefstad")
    for cell in row[3:6]:
        cell.value = None
    workbook.save(copy)
    report = validate_file(copy, spec, config=config)
    assert report.signing is not None and not report.signing.signed
    (open_,) = [p for p in report.signing.parties if p.akkoord is None]
    assert (open_.partij, open_.rol) == ("Huurdersfederatie Proefstad", "Huurdersfederatie")


def test_a_huurdersfederatie_is_one_party_in_the_overview_and_on_the_page(
    federatie, spec, tmp_path
):
    import datetime as dt

    from pa_sheets.cycle.publish import publish_paths
    from pa_sheets.merge.combine import merge_paths
    from pa_sheets.merge.fold import fold

    path, folder = federatie
    config = load_config(path, spec)
    paths = sorted(folder.glob("*.xlsx"))
    merged = merge_paths(paths, spec=spec, workers=1, config=config)
    assert merged.set_aside == []
    assert merged.parties().count(("huurdersfederatie", "Huurdersfederatie Proefstad")) == 1
    folded = {f.agreed["nummer"]: f for f in fold(merged)}
    assert len(folded) == 2  # BT-01 and LB-01, each once
    bt = folded["BT-01"]
    assert {share.corporatie for share in bt.shares} == {"Woonstichting Beuk", "Woonstichting Eik"}
    assert (
        bt.partij == "Huurdersfederatie Proefstad"
        and bt.agreed["trekker"] == "Huurdersfederatie Proefstad"
    )
    assert bt.agreed["betrokken"] == "Alle corporaties"
    web = tmp_path / "web"
    published = publish_paths(
        paths, web, spec=spec, config=config, created=dt.datetime(2026, 12, 12, 12)
    )
    assert published.problems == []
    (page,) = published.pages
    text = page.read_text(encoding="utf-8")
    partijen = text.split("Partijen", 1)[1].split("</dd>", 1)[0]
    assert partijen.count("Huurdersfederatie Proefstad") == 1
    # Traceable: the page says for which corporaties its afspraak is, not "Alle corporaties".
    assert ", ".join(share.corporatie for share in bt.shares) in text
    rows = [
        line
        for line in (web / "prestatieafspraken-2027-proefstad-partijen.csv")
        .read_text(encoding="utf-8-sig")
        .splitlines()
        if "Huurdersfederatie" in line
    ]
    assert rows == ["GM9999,Proefstad,2027,huurdersfederatie,Huurdersfederatie Proefstad,"]


def test_publish_waits_for_the_huurdersfederatie(federatie, spec, tmp_path):
    import shutil

    from pa_sheets.cycle.publish import NotPublishable, publish_paths

    _, folder = federatie
    for source in folder.glob("*.xlsx"):
        shutil.copyfile(source, tmp_path / source.name)
    eik = tmp_path / "jaarschijf-2027-proefstad-eik.xlsx"
    workbook = openpyxl.load_workbook(eik)
    sheet = workbook["Ondertekening"]
    row = next(r for r in sheet.iter_rows(min_row=7) if r[0].value == "Huurdersfederatie Proefstad")
    row[3].value = "geen akkoord"
    workbook.save(eik)
    with pytest.raises(NotPublishable) as refused:
        publish_paths(sorted(tmp_path.glob("*.xlsx")), tmp_path / "web", spec=spec)
    assert "Huurdersfederatie Proefstad" in " ".join(refused.value.problems)


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (
            {"huurdersfederaties": [{"naam": "Koepel", "corporaties": ["Eik", "Es"]}]},
            "huurdersfederaties[0].corporaties: geen corporatie 'Es'",
        ),
        (
            {"huurdersfederaties": [{"naam": "Koepel", "kort": "HO Eik", "corporaties": ["Eik"]}]},
            "huurdersfederaties[0].kort: 'HO Eik' is al in gebruik",
        ),
        (
            {"lopende_afspraken": [{**FEDERATIE["lopende_afspraken"][0], "corporatie": "Wilg"}]},
            "Federatie is geen partij in het werkboek van Wilg",
        ),
    ],
)
def test_a_huurdersfederatie_names_corporaties_of_the_gemeente(tmp_path, spec, change, message):
    from pa_sheets.errors import ConfigError

    path = tmp_path / "proefstad.yaml"
    path.write_text(yaml.safe_dump({**FEDERATIE, **change}, allow_unicode=True), encoding="utf-8")
    with pytest.raises(ConfigError, match=message.replace("[", r"\[").replace("]", r"\]")):
        load_config(path, spec)


def test_a_huurdersfederatie_goes_on_to_next_year_and_into_the_monitor(federatie, spec, tmp_path):
    from pa_sheets.cycle.monitor import generate_monitor
    from pa_sheets.cycle.rollover import config_from
    from pa_sheets.merge.combine import merge_paths

    _, folder = federatie
    merged = merge_paths(sorted(folder.glob("*.xlsx")), spec=spec, workers=1)
    (koepel,) = config_from(merged, spec).federaties
    assert (koepel.rol, koepel.naam, koepel.kort) == (
        "huurdersfederatie",
        "Huurdersfederatie Proefstad",
        "Federatie",
    )
    assert sorted(koepel.leden or ()) == ["Beuk", "Eik"]
    monitors = generate_monitor([folder], tmp_path / "monitor", spec=spec)
    eik = next(p for p in monitors if p.name.endswith("-eik.xlsx"))
    workbook = openpyxl.load_workbook(eik)
    assert "BT Federatie" in workbook.sheetnames
    cells = [c.value for r in workbook["BT Federatie"].iter_rows() for c in r]
    assert "De federatie adviseert jaarlijks over de huuraanpassing." in cells
    assert validate_file(eik, spec).unusable is None
