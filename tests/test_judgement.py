"""The judgement of an afspraak against what was agreed: one row of the table per case, stand
and stroom, each richting and doelsoort, with and without mijlpaal, single and shared."""

import pytest

from pa_sheets.cycle.judgement import (
    ACHTER,
    AFWIJKEND,
    GEEN_DOEL,
    GEHAALD,
    NIET_GEHAALD,
    NIET_TE_BEOORDELEN,
    OP_KOERS,
    Doel,
    combined,
    contradicts,
    doel_of,
    finding,
    judge,
)

YEAR = 2027
STROOM = {"soort": "stroom", "richting": "hoger"}
STAND = {"soort": "stand", "richting": "hoger"}
LAGER_STAND = {"soort": "stand", "richting": "lager"}
LAGER_STROOM = {"soort": "stroom", "richting": "lager"}

# (id, Doel's fields, realisatie, judgement, words the explanation holds)
TABLE = [
    # A stroom with a mijlpaal: the mijlpaal of the year decides, the example.
    (
        "stroom-mijlpaal-achter",
        dict(STROOM, streefwaarde=60, mijlpaal=50, planning="2025-2028"),
        30,
        ACHTER,
        "30 van 60 gerealiseerd, mijlpaal 50",
    ),
    (
        "stroom-mijlpaal-op-koers",
        dict(STROOM, streefwaarde=60, mijlpaal=50, planning="2025-2028"),
        52,
        OP_KOERS,
        "mijlpaal 50",
    ),
    # Without one: pro rata over the planning, a period or from the year after the nulmeting.
    (
        "stroom-pro-rata-achter",
        dict(STROOM, streefwaarde=60, planning="2025-2028"),
        30,
        ACHTER,
        "pro rata 45 (3 van 4 jaar)",
    ),
    (
        "stroom-pro-rata-op-koers",
        dict(STROOM, streefwaarde=60, planning="2025-2028"),
        47,
        OP_KOERS,
        "47 van 60 gerealiseerd, pro rata 45",
    ),
    (
        "stroom-pro-rata-nulmeting-jaar",
        dict(STROOM, streefwaarde=60, planning=2030, nulmeting=0, nulmeting_jaar=2025),
        25,
        OP_KOERS,
        "pro rata 24 (2 van 5 jaar)",
    ),
    (
        "stroom-begin-onbekend",
        dict(STROOM, streefwaarde=60, planning=2030, nulmeting=0),
        47,
        NIET_TE_BEOORDELEN,
        "geen begin van de planning",
    ),
    (
        "stroom-begint-later",
        dict(STROOM, streefwaarde=60, planning="2029-2030"),
        0,
        NIET_TE_BEOORDELEN,
        "begint pas in 2029",
    ),
    (
        "stroom-geen-planning",
        dict(STROOM, streefwaarde=60),
        10,
        NIET_TE_BEOORDELEN,
        "geef een mijlpaal",
    ),
    (
        "stroom-minimum-al-gehaald",
        dict(STROOM, streefwaarde=60, planning="2025-2030"),
        61,
        GEHAALD,
        "61 van 60 gerealiseerd",
    ),
    # At the end of its planning the streefwaarde itself decides.
    (
        "stroom-einde-gehaald",
        dict(STROOM, streefwaarde=150, planning=2026),
        153,
        GEHAALD,
        "153 van 150",
    ),
    (
        "stroom-einde-niet-gehaald",
        dict(STROOM, streefwaarde=150, planning="Q3 2027"),
        120,
        NIET_GEHAALD,
        "120 van 150 gerealiseerd, streefwaarde 150 (Q3 2027)",
    ),
    (
        "stroom-jaarlijks",
        dict(STROOM, streefwaarde=4, planning="jaarlijks"),
        3,
        NIET_GEHAALD,
        "3 van 4",
    ),
    # Lager: an empty doelsoort is a maximum; a flow over its maximum cannot come back.
    (
        "stroom-lager-op-koers",
        dict(LAGER_STROOM, streefwaarde=10, planning="2026-2030"),
        3,
        OP_KOERS,
        "pro rata ten hoogste 4 (2 van 5 jaar)",
    ),
    (
        "stroom-lager-achter",
        dict(LAGER_STROOM, streefwaarde=10, planning="2026-2030"),
        6,
        ACHTER,
        "6 gerealiseerd, pro rata ten hoogste 4",
    ),
    (
        "stroom-lager-al-over",
        dict(LAGER_STROOM, streefwaarde=10, planning="2026-2030"),
        11,
        NIET_GEHAALD,
        "ten hoogste 10",
    ),
    (
        "stroom-maximaal-einde",
        dict(STROOM, doelsoort="maximaal", streefwaarde=10, planning=2027),
        9,
        GEHAALD,
        "ten hoogste 10",
    ),
    # Ongeveer (10%) and exact, counted up from zero.
    (
        "stroom-ongeveer-gehaald",
        dict(STROOM, doelsoort="ongeveer", streefwaarde=125, planning=2027),
        118,
        GEHAALD,
        "ongeveer 125",
    ),
    (
        "stroom-ongeveer-te-veel",
        dict(STROOM, doelsoort="ongeveer", streefwaarde=125, planning=2027),
        160,
        AFWIJKEND,
        "ongeveer 125",
    ),
    (
        "stroom-ongeveer-voor",
        dict(STROOM, doelsoort="ongeveer", streefwaarde=100, planning="2026-2029"),
        70,
        OP_KOERS,
        "pro rata ongeveer 50",
    ),
    (
        "stroom-ongeveer-achter",
        dict(STROOM, doelsoort="ongeveer", streefwaarde=100, planning="2026-2029"),
        30,
        ACHTER,
        "pro rata ongeveer 50",
    ),
    (
        "stroom-exact-einde",
        dict(STROOM, doelsoort="exact", streefwaarde=12, planning=2027),
        12,
        GEHAALD,
        "precies 12",
    ),
    (
        "stroom-exact-te-veel",
        dict(STROOM, doelsoort="exact", streefwaarde=12, planning="2026-2028"),
        13,
        NIET_GEHAALD,
        "precies 12",
    ),
    (
        "stroom-exact-einde-mis",
        dict(STROOM, doelsoort="exact", streefwaarde=12, planning=2027),
        11,
        NIET_GEHAALD,
        "precies 12",
    ),
    # Neutraal with no doelsoort: at least the streefwaarde (the spec's default).
    (
        "stroom-neutraal",
        {"soort": "stroom", "streefwaarde": 4, "planning": 2026},
        3,
        NIET_GEHAALD,
        "3 van 4",
    ),
    # A stand: the target itself, or its mijlpaal; the nulmeting alone never says op koers.
    (
        "stand-onder-doel",
        dict(STAND, streefwaarde=95, planning=2028, nulmeting=93),
        94,
        ACHTER,
        "94 gemeten, streefwaarde 95",
    ),
    (
        "stand-einde-niet-gehaald",
        dict(STAND, streefwaarde=95, planning=2026, nulmeting=93),
        94,
        NIET_GEHAALD,
        "94 gemeten, streefwaarde 95 (2026)",
    ),
    (
        "stand-gehaald-voor-het-einde",
        dict(STAND, streefwaarde=7, planning=2029),
        7.2,
        GEHAALD,
        "7,2 gemeten",
    ),
    (
        "stand-mijlpaal-op-koers",
        dict(STAND, streefwaarde=1035, mijlpaal=980, planning=2029),
        990,
        OP_KOERS,
        "990 gemeten, mijlpaal 980",
    ),
    (
        "stand-mijlpaal-achter",
        dict(STAND, streefwaarde=1035, mijlpaal=980, planning=2029),
        950,
        ACHTER,
        "mijlpaal 980",
    ),
    ("stand-geen-planning", dict(STAND, streefwaarde=7.5), 7.1, ACHTER, "streefwaarde 7,5"),
    (
        "stand-lager-gehaald",
        dict(LAGER_STAND, streefwaarde=39, planning="Q2 2027"),
        38,
        GEHAALD,
        "ten hoogste 39",
    ),
    (
        "stand-lager-achter",
        dict(LAGER_STAND, streefwaarde=39, planning=2029, nulmeting=61),
        50,
        ACHTER,
        "streefwaarde ten hoogste 39",
    ),
    (
        "stand-lager-mijlpaal",
        dict(LAGER_STAND, streefwaarde=39, mijlpaal=55, planning=2029),
        50,
        OP_KOERS,
        "mijlpaal ten hoogste 55",
    ),
    (
        "stand-minimaal-bij-lager",
        dict(LAGER_STAND, doelsoort="minimaal", streefwaarde=39, planning=2027),
        50,
        GEHAALD,
        "streefwaarde 39",
    ),
    (
        "stand-ongeveer-omlaag-voorbij",
        dict(STAND, doelsoort="ongeveer", streefwaarde=100, planning=2027, nulmeting=140),
        80,
        AFWIJKEND,
        "ongeveer 100",
    ),
    (
        "stand-ongeveer-omlaag-niet",
        dict(STAND, doelsoort="ongeveer", streefwaarde=100, planning=2027, nulmeting=140),
        120,
        NIET_GEHAALD,
        "ongeveer 100",
    ),
    (
        "stand-ongeveer-mijlpaal",
        dict(
            STAND, doelsoort="ongeveer", streefwaarde=100, mijlpaal=90, planning=2029, nulmeting=60
        ),
        70,
        ACHTER,
        "mijlpaal ongeveer 90",
    ),
    (
        "stand-exact-gehaald",
        dict(STAND, doelsoort="exact", streefwaarde=3, planning=2029),
        3,
        GEHAALD,
        "precies 3",
    ),
    # An own indicator: stand or stroom is not known, so a mijlpaal is needed before the end.
    (
        "eigen-indicator-einde",
        {"soort": None, "streefwaarde": 10, "planning": 2027},
        12,
        GEHAALD,
        "12 gemeten",
    ),
    (
        "eigen-indicator-mijlpaal",
        {"soort": None, "streefwaarde": 10, "mijlpaal": 5, "planning": 2029},
        4,
        ACHTER,
        "mijlpaal 5",
    ),
    (
        "eigen-indicator-geen-mijlpaal",
        {"soort": None, "streefwaarde": 10, "planning": 2029},
        4,
        NIET_TE_BEOORDELEN,
        "stand of een stroom",
    ),
    # Nothing to judge.
    (
        "geen-realisatie",
        dict(STROOM, streefwaarde=60, planning=2027),
        None,
        NIET_TE_BEOORDELEN,
        "geen realisatie",
    ),
    (
        "geen-doel",
        dict(STROOM, streefwaarde=None, planning=2027),
        5,
        GEEN_DOEL,
        "geen streefwaarde",
    ),
    (
        "alleen-mijlpaal",
        dict(STROOM, streefwaarde=None, mijlpaal=5, planning=2029),
        6,
        OP_KOERS,
        "mijlpaal 5",
    ),
    # A shared target: the sum of the contributions (or the mean of a %) against it.
    (
        "gedeeld-som-achter",
        dict(STROOM, streefwaarde=60, mijlpaal=50, planning="2025-2030"),
        combined([18, 15, 14], True),
        ACHTER,
        "47 van 60 gerealiseerd, mijlpaal 50",
    ),
    (
        "gedeeld-som-op-koers",
        dict(STROOM, streefwaarde=60, planning="2026-2029"),
        combined([18, 15, 14], True),
        OP_KOERS,
        "pro rata 30 (2 van 4 jaar)",
    ),
    (
        "gedeeld-gemiddelde",
        dict(STAND, streefwaarde=95, planning=2027),
        combined([94.0, 96.0, 98.0], False),
        GEHAALD,
        "96 gemeten",
    ),
    (
        "gedeeld-deel-ontbreekt",
        dict(STROOM, streefwaarde=60, planning=2027),
        combined([18, None, 14], True),
        NIET_TE_BEOORDELEN,
        "geen realisatie",
    ),
]


@pytest.mark.parametrize(
    ("fields", "realisatie", "expected", "words"),
    [pytest.param(*row[1:], id=row[0]) for row in TABLE],
)
def test_judgement(fields, realisatie, expected, words):
    oordeel = judge(Doel(**fields), realisatie, YEAR)
    assert oordeel.oordeel == expected, oordeel.uitleg
    assert words in oordeel.uitleg


@pytest.mark.parametrize(
    ("status", "figures", "contradicted"),
    [
        ("groen", ACHTER, True),
        ("groen", NIET_GEHAALD, True),
        ("groen", OP_KOERS, False),
        ("rood", OP_KOERS, True),
        ("rood", GEHAALD, True),
        ("rood", NIET_GEHAALD, False),
        ("oranje", GEHAALD, True),
        ("oranje", ACHTER, False),
        ("gerealiseerd", OP_KOERS, True),
        ("gerealiseerd", GEHAALD, False),
        ("niet gestart", ACHTER, False),
        ("groen", NIET_TE_BEOORDELEN, False),
        (None, ACHTER, False),
    ],
)
def test_a_status_that_says_otherwise_is_a_finding(status, figures, contradicted):
    from pa_sheets.cycle.judgement import Oordeel

    assert contradicts(status, Oordeel(figures, "")) is contradicted


def test_the_finding_reads_as_the_coordinator_says_it():
    oordeel = judge(Doel(60, mijlpaal=50, planning="2025-2028", soort="stroom"), 30, YEAR)
    assert finding("groen", oordeel) == "groen gemeld, 30 van 60 gerealiseerd, mijlpaal 50"


def test_the_doel_of_a_row_takes_the_indicator_in_its_own_eenheid(spec):
    row = {"indicator": "BT05", "eenheid": "aantal", "streefwaarde": 5.0, "planning": "2028"}
    indicator = spec.indicator("BT05")
    doel = doel_of(row, spec)
    assert (doel.soort, doel.richting, doel.kind) == (indicator.soort, "lager", "maximaal")
    other = doel_of(dict(row, eenheid="EUR"), spec)  # another eenheid: not the indicator's
    assert (other.soort, other.richting, other.kind) == (None, "neutraal", "minimaal")
    share = doel_of(dict(row, indicator="BT03", eenheid="%"), spec)  # a stroom in %: a level
    assert (spec.indicator("BT03").soort, share.soort) == ("stroom", "stand")
    assert doel_of(dict(row, doelsoort="ongeveer", nulmeting_jaar=2025.0), spec).nulmeting_jaar == (
        2025
    )


def test_the_nulmeting_alone_never_decides():
    """Issue 24: 93 -> 94 towards 95 read 'op koers'. Over many random cases: for a
    minimum or a maximum the nulmeting changes no judgement, and a judgement always says
    what it was measured against."""
    import random

    rng = random.Random(24)
    plannings = [None, 2026, 2027, 2029, "Q3 2027", "2025-2029", "2028-2030", "jaarlijks"]
    for _ in range(3000):
        fields = {
            "streefwaarde": rng.choice([None, 0.0, 5.0, 60.0, 95.0, 240.0]),
            "mijlpaal": rng.choice([None, None, 3.0, 50.0]),
            "soort": rng.choice(["stand", "stroom", None]),
            "richting": rng.choice(["hoger", "lager", "neutraal"]),
            "doelsoort": rng.choice([None, "minimaal", "maximaal"]),
            "planning": rng.choice(plannings),
            "nulmeting_jaar": rng.choice([None, 2024, 2025]),
        }
        realisatie = rng.choice([None, 0.0, 3.0, 30.0, 47.0, 94.0, 100.0, 300.0])
        judged = {
            judge(Doel(**fields, nulmeting=nulmeting), realisatie, YEAR).oordeel
            for nulmeting in (None, 0.0, 93.0, 500.0)
        }
        assert len(judged) == 1, (fields, realisatie, judged)
        oordeel = judge(Doel(**fields), realisatie, YEAR)
        assert oordeel.oordeel in (
            GEHAALD,
            OP_KOERS,
            ACHTER,
            NIET_GEHAALD,
            AFWIJKEND,
            NIET_TE_BEOORDELEN,
            GEEN_DOEL,
        )
        assert oordeel.uitleg
        if oordeel.oordeel == OP_KOERS:
            assert oordeel.maatstaf is not None and oordeel.maatstaf_naam
