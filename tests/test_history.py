"""The history's trend and table per afspraak, counted on a small long table worked out by
hand: the same whether the texts come as plain text or as parquet's dictionaries, in one file
a year or several, and when the combinations of texts are numbered anew (history.ROOM)."""

import pyarrow as pa
import pyarrow.parquet as pq

from pa_sheets.cycle import history
from pa_sheets.cycle.history import COLUMNS, NUMBERS, TOGETHER, Trend, read_history, trend_of

WONINGEN = "Nieuwbouw sociale huurwoningen opgeleverd"  # BS01 by its name
HUURSOM = "Huursomstijging"  # BT01, a %: the mean


def _row(jaar, l_nummer, rol, nummer, afspraak, indicator, eenheid, realisatie, status="groen"):
    return {
        "corporatie": f"Woonstichting {l_nummer}",
        "l_nummer": l_nummer,
        "thema": "Bouwen",
        "rol": rol,
        "nummer": nummer,
        "afspraak": afspraak,
        "indicator": indicator,
        "eenheid": eenheid,
        "realisatie": realisatie,
        "status": status,
        "jaar": jaar,
    }


ROWS = [
    # 2025, BS01: a collective afspraak on the corporaties' own tabs, the parts together: 15.
    _row(2025, "L1", "corporatie", "BS-01", "Bouwen A", "BS01", "woningen", 10.0),
    _row(2025, "L2", "corporatie", "BS-01", "Bouwen A", "BS01", "woningen", 5.0),
    # The gemeente's afspraak, the one figure both give: 7.
    _row(2025, "L1", "gemeente", "G-01", "Grond", "BS01", "woningen", 7.0),
    _row(2025, "L2", "gemeente", "G-01", "Grond", "BS01", "woningen", 7.0, "oranje"),
    # Two figures for one afspraak of the gemeente, a part missing, another eenheid: none.
    _row(2025, "L1", "gemeente", "G-02", "Vergunnen", "BS01", "woningen", 3.0),
    _row(2025, "L2", "gemeente", "G-02", "Vergunnen", "BS01", "woningen", 4.0),
    _row(2025, "L1", "corporatie", "BS-02", "Bouwen B", "BS01", "woningen", 20.0),
    _row(2025, "L2", "corporatie", "BS-02", "Bouwen B", "BS01", "woningen", None, "rood"),
    _row(2025, "L1", "corporatie", "BS-03", "Bouwen C", "BS01", "%", 9.0),
    # BT01, a %: the mean of the parts (3) and the gemeente's figure (5): 4.
    _row(2025, "L1", "corporatie", "BT-01", "Huur", "BT01", "%", 2.0),
    _row(2025, "L2", "corporatie", "BT-01", "Huur", "BT01", "%", 4.0),
    _row(2025, "L1", "gemeente", "G-03", "Huur gemeente", HUURSOM, "%", 5.0),
    # No standard indicator: not in the trend. Without a nummer: counted, but not followed.
    _row(2025, "L1", "corporatie", "X-01", "Eigen", "XX99", "woningen", 1.0),
    _row(2025, "L1", "corporatie", None, "Zonder nummer", "BS01", "woningen", 100.0),
    # 2026: BS01 by its code and by its name, 12 + 1; the afspraak's text changed.
    _row(2026, "L1", "corporatie", "BS-01", "Bouwen A, herzien", "BS01", "woningen", 12.0),
    _row(2026, "L1", "huurdersorganisatie", "H-01", "Huurders", WONINGEN, "woningen", 1.0),
    _row(2026, "L2", "corporatie", "BT-01", "Huur", "BT01", "%", None, "oranje"),
]


def _table(rows: list[dict]) -> pa.Table:
    schema = pa.schema(
        [pa.field(key, pa.float64() if key in NUMBERS else pa.string()) for key in COLUMNS]
    )
    return pa.Table.from_pylist(rows, schema=schema.append(pa.field("jaar", pa.int64())))


def _expected(spec) -> list[Trend]:
    bs01, bt01 = spec.indicator("BS01"), spec.indicator("BT01")
    return [
        Trend("BS01", bs01.naam, "woningen", "som", (122.0, 13.0)),
        Trend("BT01", bt01.naam, "%", "gemiddelde (ongewogen)", (4.0, None)),
    ]


def _check(found, spec) -> None:
    assert found.years == [2025, 2026]
    assert found.trend == _expected(spec)
    followed = {(g.l_nummer, g.nummer): g for g in found.afspraken}
    assert len(followed) == 14  # each nummer once per corporatie: L1 has 9, L2 5
    bouwen = followed[("L1", "BS-01")]
    assert bouwen.afspraak == "Bouwen A, herzien"  # its text in the latest year
    assert (bouwen.realisatie, bouwen.status) == ((10.0, 12.0), ("groen", "groen"))
    assert followed[("L2", "BS-01")].realisatie == (5.0, None)
    assert followed[("L2", "BS-01")].status == ("groen", "")
    assert followed[("L2", "BT-01")].realisatie == (4.0, None)
    assert followed[("L2", "BT-01")].status == ("groen", "oranje")
    assert followed[("L2", "G-01")].status == ("oranje", "")
    assert [(g.corporatie, g.nummer) for g in found.afspraken] == sorted(
        (g.corporatie, g.nummer) for g in found.afspraken
    )


def test_the_trend_counts_as_evaluate_counts_a_year(spec):
    _check(trend_of(_table(ROWS), spec), spec)


def test_the_same_when_the_combinations_are_numbered_anew(spec, monkeypatch):
    monkeypatch.setattr(history, "ROOM", 5)  # renumbered at every step
    _check(trend_of(_table(ROWS), spec), spec)


def test_read_history_reads_parquet_however_it_was_written(spec, tmp_path):
    """2025 as merge writes a year (a file per corporatie), here without dictionaries; 2026
    as evaluate --historie writes a round (one file); 2027 and another gemeente not read."""

    def place(year: int, gemeente: str = "GM0001"):
        folder = tmp_path / f"jaar={year}" / f"gemeente={gemeente}" / "soort_werkboek=monitor"
        folder.mkdir(parents=True, exist_ok=True)
        return folder

    def columns(rows):
        return _table(rows).drop_columns(["jaar"])

    for l_nummer in ("L1", "L2"):
        rows = [r for r in ROWS if r["jaar"] == 2025 and r["l_nummer"] == l_nummer]
        pq.write_table(columns(rows), place(2025) / f"{l_nummer}.parquet", use_dictionary=False)
    pq.write_table(columns([r for r in ROWS if r["jaar"] == 2026]), place(2026) / "ronde.parquet")
    pq.write_table(columns(ROWS), place(2027) / "ronde.parquet")
    pq.write_table(columns(ROWS), place(2024, "GM0002") / "ronde.parquet")
    rows = read_history(tmp_path, "GM0001", "monitor", 2027)
    assert rows.num_rows == len(ROWS)
    assert sorted(rows["nummer"].to_pylist(), key=str) == sorted(
        (r["nummer"] for r in ROWS), key=str
    )
    _check(trend_of(rows, spec), spec)


def test_no_rows_no_trend(spec, tmp_path):
    rows = read_history(tmp_path, "GM0001", "monitor", 2027)
    assert rows.num_rows == 0
    found = trend_of(rows, spec)
    assert (found.years, found.trend, found.afspraken) == ([], [], [])


def test_a_trend_only_where_an_indicator_is_counted(spec):
    one = trend_of(_table(ROWS[:1]), spec)
    assert one.trend == [Trend("BS01", WONINGEN, "woningen", "som", (10.0,))]
    assert trend_of(_table([r for r in ROWS if r["indicator"] == "XX99"]), spec).trend == []


def test_a_round_as_evaluate_grouped_it_not_by_its_text(spec):
    """The rows of a round evaluate --historie wrote say which collective afspraak each is
    (TOGETHER): two corporaties' afspraken of their own on the gemeente's tab, alike in text
    and target (their type differs), are two, while AFSPRAAK would make them one figure; the
    same nummer is a collective afspraak in the next years, counted once in each (its number
    is a number within its round). A year without the column is told apart by AFSPRAAK, in
    the same history."""
    own = [
        _row(2025, "L1", "gemeente", "G-01", "Grond", "BS01", "woningen", 7.0),
        _row(2025, "L2", "gemeente", "G-01", "Grond", "BS01", "woningen", 7.0),
    ]
    collective = [{**row, "jaar": year, TOGETHER: 1.0} for row in own for year in (2026, 2027)]
    older = [{**row, "jaar": 2024} for row in own]  # written before: no TOGETHER
    rows = [{**row, TOGETHER: 0.0} for row in own] + collective + older
    (trend,) = trend_of(_table(rows), spec).trend
    assert trend.waarden == (7.0, 14.0, 7.0, 7.0)
    # Two collective afspraken in one year: each its own figure, however alike their text,
    # whatever numbers a file gives them.
    two = [{**row, TOGETHER: number} for row in own for number in (1.5, 1e19)]
    assert trend_of(_table(two), spec).trend[0].waarden == (14.0,)
