"""The mistakes people really make when they fill in a workbook, each as a small edit of a
filled jaarschijf, with the finding it must produce. Used by the demo, by
tests/make_samples.py (samples/fouten/) and by the tests that assert each finding exactly.

Every fault works on the jaarschijf of corporatie Linde from the sample gemeente. Rows that a
fault writes go to row 11 of a nieuw block and below, past what fill.py writes (at most 3).
"""

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from openpyxl.utils import get_column_letter

from pa_sheets.demo.fill import fit_row
from pa_sheets.workbook import meta

FAULT_ROW = 10  # offset inside a nieuw block where faults write their own rows


@dataclass(frozen=True)
class Fault:
    name: str
    description: str
    edit: Callable  # (workbook, Meta) -> list of expected (code, sheet, cell or None)


class Book:
    """A filled workbook with its _meta, and the cell of any block column."""

    def __init__(self, workbook):
        self.workbook = workbook
        self.info = meta.parse(
            [list(row) for row in workbook[meta.SHEET].iter_rows(values_only=True)]
        )

    def block(self, sheet: str, key: str) -> meta.MetaBlock:
        return next(b for b in self.info.blocks if b.sheet == sheet and b.key == key)

    def cell(self, sheet: str, key: str, column: str, offset: int = 0) -> str:
        block = self.block(sheet, key)
        return f"{get_column_letter(block.columns.index(column) + 1)}{block.first_row + offset}"

    def put(self, sheet: str, key: str, column: str, value: object, offset: int = 0) -> str:
        ref = self.cell(sheet, key, column, offset)
        self.workbook[sheet][ref] = value
        return ref

    def number_format(self, sheet: str, key: str, column: str, fmt: str, offset: int = 0) -> str:
        """Show a cell in `fmt`, as a party does by typing 95% in Excel."""
        ref = self.cell(sheet, key, column, offset)
        self.workbook[sheet][ref].number_format = fmt
        return ref

    def new_row(self, sheet: str, offset: int = FAULT_ROW, **values: object) -> None:
        """A complete, valid new afspraak; keyword arguments replace fields (None clears)."""
        row = {
            "nummer": f"{sheet[:2]}-{90 + offset % 10}",
            "afspraak": "Gezamenlijke aanpak van achterstallig onderhoud in de Vogelwijk.",
            "soort": "nieuw",
            "type": "handelingsafspraak",
            "trekker": self.info.parties[1]["naam"],
            "indicator": "Woningen verduurzaamd naar label B of beter",
            "eenheid": "woningen",
            "nulmeting": 0,
            "nulmeting_jaar": 2025,
            "streefwaarde": 40,
            "planning": "Q4 2027",
            "status": "niet gestart",
        }
        row.update(values)
        for column, value in row.items():
            self.put(sheet, "nieuw", column, value, offset)
        block = self.block(sheet, "nieuw")  # as high as its texts, as a filled row
        columns = {key: i + 1 for i, key in enumerate(block.columns)}
        fit_row(self.workbook[sheet], block.first_row + offset, columns)


def _type(book: Book):
    book.new_row("BT Linde", type="garantie")
    return [("V004", "BT Linde", book.cell("BT Linde", "nieuw", "type", FAULT_ROW))]


def _number_as_text(book: Book):
    book.new_row("BT Linde", bijdrage="1.234,5")
    return [("T001", "BT Linde", book.cell("BT Linde", "nieuw", "bijdrage", FAULT_ROW))]


def _ambiguous_number(book: Book):
    book.new_row("BT Linde", streefwaarde="1.234")
    return [("V002", "BT Linde", book.cell("BT Linde", "nieuw", "streefwaarde", FAULT_ROW))]


def _negative_amount(book: Book):
    book.new_row("BT Linde", bijdrage=-5000)
    return [("V003", "BT Linde", book.cell("BT Linde", "nieuw", "bijdrage", FAULT_ROW))]


def _broken_year(book: Book):
    book.new_row("BT Linde", nulmeting_jaar=2025.5)
    return [("V011", "BT Linde", book.cell("BT Linde", "nieuw", "nulmeting_jaar", FAULT_ROW))]


def _required_empty(book: Book):
    book.new_row("VD Linde", afspraak=None)
    return [("V001", "VD Linde", book.cell("VD Linde", "nieuw", "afspraak", FAULT_ROW))]


def _red_without_explanation(book: Book):
    book.put("BS Linde", "going_concern", "status", "rood")
    book.put("BS Linde", "going_concern", "toelichting", None)
    book.put("BS Linde", "going_concern", "realisatie", None)  # rood, whatever it realised
    return [("V009", "BS Linde", book.cell("BS Linde", "going_concern", "toelichting"))]


def _duplicate_nummer(book: Book):
    book.new_row("LB Linde", nummer="LB-77")
    book.new_row("LB Gemeente", nummer="LB-77")
    return [
        ("X001", "LB Gemeente", book.cell("LB Gemeente", "nieuw", "nummer", FAULT_ROW)),
        ("X001", "LB Linde", book.cell("LB Linde", "nieuw", "nummer", FAULT_ROW)),
    ]


def _fixed_text_changed(book: Book):
    ref = book.cell("BS Linde", "going_concern", "afspraak")
    book.workbook["BS Linde"][ref] = "De corporatie levert zoveel mogelijk woningen op."
    return [("X005", "BS Linde", ref)]


def _planning_outside_period(book: Book):
    book.new_row("AG Linde", planning="Q2 2035")
    # A planning past the period without a kader (X003 until issue 26): an ambition for later
    # belongs in Kader.
    return [("X016", "AG Linde", book.cell("AG Linde", "nieuw", "planning", FAULT_ROW))]


def _planning_unreadable(book: Book):
    book.new_row("AG Linde", planning="Q5 2027")
    return [("V007", "AG Linde", book.cell("AG Linde", "nieuw", "planning", FAULT_ROW))]


def _baseline_after_target(book: Book):
    book.new_row("VD Linde", nulmeting_jaar=2029, planning="2027")
    ref = book.cell("VD Linde", "nieuw", "nulmeting_jaar", FAULT_ROW)
    return [("X004", "VD Linde", ref), ("P004", "VD Linde", ref)]  # and after 2027 itself


def _unknown_trekker(book: Book):
    book.new_row("WZ Linde", trekker="Welzijnsorganisatie Noord")
    return [("X002", "WZ Linde", book.cell("WZ Linde", "nieuw", "trekker", FAULT_ROW))]


def _formula(book: Book):
    book.new_row("SW Linde", bijdrage="=1000*12")
    return [("V010", "SW Linde", book.cell("SW Linde", "nieuw", "bijdrage", FAULT_ROW))]


def _case_in_list(book: Book):
    book.new_row("SW Linde", status="  Groen ")
    return [("T002", "SW Linde", book.cell("SW Linde", "nieuw", "status", FAULT_ROW))]


def _not_smart(book: Book):
    book.new_row("LB Linde", trekker=None, planning=None, streefwaarde=None)
    return [
        ("M001", "LB Linde", book.cell("LB Linde", "nieuw", "trekker", FAULT_ROW)),
        ("M002", "LB Linde", book.cell("LB Linde", "nieuw", "planning", FAULT_ROW)),
        ("M003", "LB Linde", book.cell("LB Linde", "nieuw", "streefwaarde", FAULT_ROW)),
    ]


def _rapportcijfer_out_of_range(book: Book):
    book.new_row(
        "LB Linde",
        indicator="Huurdersoordeel over de woonomgeving",
        eenheid="rapportcijfer",
        nulmeting=6.5,
        streefwaarde=52,
    )
    return [("P001", "LB Linde", book.cell("LB Linde", "nieuw", "streefwaarde", FAULT_ROW))]


def _percentage_out_of_range(book: Book):
    book.new_row(
        "BT Linde",
        indicator="Passend toegewezen woningen",
        eenheid="%",
        nulmeting=93,
        streefwaarde=250,
    )
    return [("P001", "BT Linde", book.cell("BT Linde", "nieuw", "streefwaarde", FAULT_ROW))]


def _half_a_house(book: Book):
    book.new_row("VD Linde", streefwaarde=12.5)
    return [("P002", "VD Linde", book.cell("VD Linde", "nieuw", "streefwaarde", FAULT_ROW))]


def _wrong_eenheid(book: Book):
    book.new_row(
        "LB Linde",
        indicator="Huurdersoordeel over de woonomgeving",
        eenheid="EUR",
        nulmeting=None,
        streefwaarde=150000,
    )
    return [("P003", "LB Linde", book.cell("LB Linde", "nieuw", "eenheid", FAULT_ROW))]


def _baseline_in_the_future(book: Book):
    book.new_row("WZ Linde", nulmeting_jaar=2029, planning="Q4 2030")
    return [("P004", "WZ Linde", book.cell("WZ Linde", "nieuw", "nulmeting_jaar", FAULT_ROW))]


def _planning_in_the_past(book: Book):
    book.new_row("AG Linde", planning="Q2 2026")
    return [("P005", "AG Linde", book.cell("AG Linde", "nieuw", "planning", FAULT_ROW))]


def _realised_but_missed(book: Book):
    book.new_row("VD Linde", status="gerealiseerd", realisatie=20, streefwaarde=40)
    return [("P006", "VD Linde", book.cell("VD Linde", "nieuw", "status", FAULT_ROW))]


def _red_but_met(book: Book):
    book.new_row(
        "BS Linde",
        indicator="Nieuwbouw sociale huurwoningen opgeleverd",
        status="rood",
        realisatie=45,
        streefwaarde=40,
        toelichting="De bouw loopt vertraging op.",
    )
    return [("P007", "BS Linde", book.cell("BS Linde", "nieuw", "status", FAULT_ROW))]


def _hundredfold(book: Book):
    book.new_row("WZ Linde", offset=FAULT_ROW + 1, status="groen", realisatie=4500)
    return [("P008", "WZ Linde", book.cell("WZ Linde", "nieuw", "realisatie", FAULT_ROW + 1))]


def _a_trillion(book: Book):
    book.new_row("SW Linde", offset=FAULT_ROW + 1, bijdrage=1e12)
    return [("P009", "SW Linde", book.cell("SW Linde", "nieuw", "bijdrage", FAULT_ROW + 1))]


def _nummer_of_another_thema(book: Book):
    book.new_row("BT Linde", offset=FAULT_ROW + 1, nummer="VD-93")
    return [("P010", "BT Linde", book.cell("BT Linde", "nieuw", "nummer", FAULT_ROW + 1))]


def _lopende_afspraak_without_status(book: Book):
    book.put("VD Linde", "going_concern", "status", None)
    return [("P011", "VD Linde", book.cell("VD Linde", "going_concern", "status"))]


def _percent_format(book: Book):
    book.new_row(
        "BT Linde",
        offset=FAULT_ROW + 2,
        indicator="Passend toegewezen woningen",
        eenheid="%",
        nulmeting=93,
        streefwaarde=0.95,
    )
    ref = book.number_format("BT Linde", "nieuw", "streefwaarde", "0%", FAULT_ROW + 2)
    return [("T004", "BT Linde", ref)]


def _sheet_renamed(book: Book):
    book.workbook["SW Linde"].title = "Samenwerking"
    return [("S002", "Samenwerking", None)]


def _sheet_deleted(book: Book):
    del book.workbook["SW HV Linde"]
    return [("S001", "SW HV Linde", None)]


def _sheet_added(book: Book):
    book.workbook.create_sheet("Aantekeningen")["A1"] = "Nog bespreken met de wethouder"
    return [("S003", "Aantekeningen", None)]


def _column_inserted(book: Book):
    book.workbook["BT Gemeente"].insert_cols(3)
    # Every block of the tab with a third column (the afspraken, the verzoeken) is moved.
    return [
        ("S012", "BT Gemeente", f"D{block.header_row}")
        for block in book.info.blocks
        if block.sheet == "BT Gemeente" and len(block.columns) >= 3
    ]


def _header_changed(book: Book):
    block = book.block("VD Gemeente", "nieuw")
    column = block.columns.index("eenheid") + 1
    book.workbook["VD Gemeente"].cell(block.header_row, column, "Meeteenheid")
    return [
        ("S011", "VD Gemeente", None),
        ("S013", "VD Gemeente", f"{get_column_letter(column)}{block.header_row}"),
    ]


def _text_between_blocks(book: Book):
    block = book.block("BS Gemeente", "going_concern")
    book.workbook["BS Gemeente"].cell(block.last_row + 2, 2, "Zie ook de notitie van maart.")
    return [("S020", "BS Gemeente", f"A{block.last_row + 2}")]


def _going_concern_deleted(book: Book):
    block = book.block("BS Linde", "going_concern")
    book.workbook["BS Linde"].delete_rows(block.first_row)
    return [("X006", "BS Linde", f"A{block.header_row}")]


def _rows_inserted(book: Book):
    """Not a mistake: rows inserted inside a block are read as part of it."""
    block = book.block("BT Linde", "going_concern")
    book.workbook["BT Linde"].insert_rows(block.first_row + 1, 3)
    book.new_row("BT Linde", offset=FAULT_ROW + 3)
    return []


FAULTS = [
    Fault("ongeldig-type", "Type afspraak met een waarde die niet in de lijst staat", _type),
    Fault(
        "getal-als-tekst", "Bijdrage als tekst met Nederlandse notatie (1.234,5)", _number_as_text
    ),
    Fault("dubbelzinnig-getal", "Streefwaarde 1.234: duizendtal of decimalen?", _ambiguous_number),
    Fault("negatief-bedrag", "Een negatieve bijdrage", _negative_amount),
    Fault("jaar-met-decimalen", "Jaar van de nulmeting als 2025,5", _broken_year),
    Fault("verplicht-leeg", "Nieuwe afspraak zonder afspraaktekst", _required_empty),
    Fault("rood-zonder-toelichting", "Status rood zonder toelichting", _red_without_explanation),
    Fault("dubbel-nummer", "Twee afspraken met hetzelfde nummer", _duplicate_nummer),
    Fault(
        "vaste-tekst-gewijzigd",
        "De vaste tekst van een lopende afspraak is veranderd",
        _fixed_text_changed,
    ),
    Fault(
        "planning-buiten-periode", "Planning na het einde van de periode", _planning_outside_period
    ),
    Fault("onleesbare-planning", "Planning als vrije tekst", _planning_unreadable),
    Fault("nulmeting-na-planning", "Jaar van de nulmeting na de planning", _baseline_after_target),
    Fault("onbekende-trekker", "Trekker die geen partij van het werkboek is", _unknown_trekker),
    Fault("formule-in-invoercel", "Formule waar een bedrag hoort", _formula),
    Fault("hoofdletters-in-lijst", "Status met hoofdletter en spaties", _case_in_list),
    Fault("niet-smart", "Nieuwe afspraak zonder trekker, planning en streefwaarde", _not_smart),
    Fault("blad-hernoemd", "Tabblad hernoemd", _sheet_renamed),
    Fault("blad-verwijderd", "Tabblad verwijderd", _sheet_deleted),
    Fault("blad-toegevoegd", "Eigen tabblad toegevoegd", _sheet_added),
    Fault("kolom-ingevoegd", "Kolom ingevoegd", _column_inserted),
    Fault("kop-gewijzigd", "Kolomkop veranderd", _header_changed),
    Fault("tekst-tussen-blokken", "Tekst getypt tussen twee blokken", _text_between_blocks),
    Fault(
        "lopende-afspraak-verwijderd",
        "Regel van een lopende afspraak verwijderd",
        _going_concern_deleted,
    ),
    Fault("rijen-ingevoegd", "Rijen ingevoegd binnen een blok (geen fout)", _rows_inserted),
    Fault(
        "rapportcijfer-buiten-bereik",
        "Rapportcijfer 52 als streefwaarde",
        _rapportcijfer_out_of_range,
    ),
    Fault("percentage-buiten-bereik", "Streefwaarde van 250%", _percentage_out_of_range),
    Fault("halve-woning", "Streefwaarde van 12,5 woningen", _half_a_house),
    Fault("verkeerde-eenheid", "Een rapportcijfer gemeten in euro's", _wrong_eenheid),
    Fault(
        "nulmeting-in-de-toekomst",
        "Jaar van de nulmeting na het jaar van de jaarschijf",
        _baseline_in_the_future,
    ),
    Fault(
        "planning-al-voorbij",
        "Nieuwe afspraak met een planning voor het jaar van de jaarschijf",
        _planning_in_the_past,
    ),
    Fault(
        "gerealiseerd-niet-gehaald",
        "Gerealiseerd, terwijl de realisatie de streefwaarde niet haalt",
        _realised_but_missed,
    ),
    Fault("rood-wel-gehaald", "Rood, terwijl de realisatie de streefwaarde haalt", _red_but_met),
    Fault(
        "realisatie-honderd-keer",
        "Realisatie ruim 100 keer de streefwaarde",
        _hundredfold,
    ),
    Fault("bedrag-boven-miljard", "Een bijdrage van 1.000 miljard euro", _a_trillion),
    Fault(
        "nummer-ander-thema",
        "Nummer met de themacode van een ander tabblad",
        _nummer_of_another_thema,
    ),
    Fault(
        "lopende-afspraak-zonder-status",
        "Lopende afspraak zonder status teruggestuurd",
        _lopende_afspraak_without_status,
    ),
    Fault(
        "percentage-als-opmaak",
        "95% getypt in Excel: 0,95 in een cel met procentopmaak",
        _percent_format,
    ),
]


def apply_fault(fault: Fault, source: Path, target: Path) -> list[tuple[str, str, str | None]]:
    """Write `source` with `fault` applied to `target`; return the expected findings."""
    return apply_faults([fault], source, target)


def apply_faults(faults: list[Fault], source: Path, target: Path) -> list[tuple]:
    """Several faults in one workbook (they must touch different cells)."""
    import openpyxl

    book = Book(openpyxl.load_workbook(source))
    expected = [item for fault in faults for item in fault.edit(book)]
    target.parent.mkdir(parents=True, exist_ok=True)
    book.workbook.save(target)
    return expected


def fault(name: str) -> Fault:
    return next(f for f in FAULTS if f.name == name)
