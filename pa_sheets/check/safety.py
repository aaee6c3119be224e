"""Look at a returned file before any spreadsheet library parses it.

Workbooks come back by e-mail from many organisations. Before reading one we check, on the raw
bytes, that it is an .xlsx of a sane size: not an old .xls, not encrypted, not a macro workbook,
not another format with a workbook part added, not a zip bomb, and without XML document type
declarations (the way entity-expansion attacks start). What the file is follows from its
content, never from its name, and `open_xlsx` hands it to calamine's xlsx reader only. Nothing
in the file is executed or kept.
"""

import contextlib
import os
import shutil
import struct
import tempfile
import zipfile
import zlib
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from xml.etree import ElementTree

from pa_sheets.check.sheet_xml import (
    SHAPE,
    SMALL_AREA,
    MarkedCells,
    exact_area,
    marked_cells,
    percent_styles,
    within_small_area,
)
from pa_sheets.errors import UnusableWorkbook
from pa_sheets.numbers import dutch_number
from pa_sheets.spec.names import (
    ATTENTION_SHEET,
    EVALUATION_SHEET,
    SOURCES_SHEET,
    SUMMARY_SHEET,
)

# Compound File Binary: the container of old .xls files and of password-protected .xlsx files.
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
ZIP_MAGIC = b"PK\x03\x04"
PDF_MAGIC = b"%PDF"
SAVE_AS_XLSX = "Sla het op als Excel-werkmap (.xlsx) en stuur het opnieuw."
# The content types an .xlsx (or an Excel template) gives its workbook part.
XLSX_MAIN = (
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.template.main+xml",
)
# A zip that is another format, told by a part only that format has.
OTHER_FORMATS = (
    ("xl/workbook.bin", "een binaire Excel-werkmap (.xlsb)"),
    ("mimetype", "een OpenDocument-bestand (.ods, LibreOffice of OpenOffice)"),
    ("content.xml", "een OpenDocument-bestand (.ods, LibreOffice of OpenOffice)"),
    ("word/document.xml", "een Word-document (.docx)"),
    ("ppt/presentation.xml", "een PowerPoint-presentatie (.pptx)"),
)
# Anywhere in a part, in any case, also as UTF-16: the start of a document type declaration or
# of an entity. XML forbids NUL bytes, so a part in UTF-16 or UTF-32 is refused outright.
_WORDS = (b"<!doctype", b"<!entity")
# Lower case, and without NUL bytes: UTF-16 and UTF-32 text becomes ASCII. One pass in C.
_LOWER = bytes(range(256)).lower()
_LONGEST = max(map(len, _WORDS))
_LT = ord("<")
_OVERLAP = len("<!doctype".encode("utf-32"))  # a declaration split over two chunks
_CHUNK = 1024 * 1024
_STYLES = "xl/styles.xml"  # where Excel keeps the cell styles, and so the percentages
_LOCAL_HEADER = struct.Struct("<4s5H3L2H")  # a zip member's local file header, 30 bytes
_CONTENT_TYPES = "{http://schemas.openxmlformats.org/package/2006/content-types}"


@dataclass(frozen=True)
class Limits:
    """Bounds on what pa-sheets reads; the defaults suit a gemeente's workbooks with room.

    A pa-sheets workbook holds a few hundred rows per sheet and at most 2,000 characters per
    text cell: a filled sheet is about 40 KB of XML, and even 500 rows of 20 columns of 2,000
    characters stay under 32 MB. The shared strings (the texts of all sheets, as Excel and
    LibreOffice write them) are bounded the same way. Each part is measured while it is
    inflated, before any parser sees it, so its declared size cannot lie either."""

    max_file_bytes: int = 100 * 1024 * 1024
    max_unpacked_bytes: int = 1024 * 1024 * 1024
    max_ratio: int = 200  # unpacked / packed size of one part; real sheets stay under 100
    max_members: int = 10_000
    max_sheet_bytes: int = 32 * 1024 * 1024  # inflated XML of one worksheet
    max_shared_strings_bytes: int = 32 * 1024 * 1024  # inflated xl/sharedStrings.xml
    max_part_bytes: int = 64 * 1024 * 1024  # any other part (a pasted logo, ...)
    # Rows x columns a sheet reaches: calamine holds that whole area in memory (32 bytes a
    # cell), so one cell in XFD1048576 asks for 549 GB. A pa-sheets sheet reaches ~60 x 20,
    # the large benchmark's sheets 228 x 20.
    max_sheet_cells: int = 1_000_000


DEFAULT_LIMITS = Limits()


def scan_file(path: Path, limits: Limits = DEFAULT_LIMITS) -> dict[str, MarkedCells]:
    """Raise UnusableWorkbook with a Dutch message when `path` is not a safe .xlsx. Return,
    per worksheet part that has any, the cells holding a formula or shown as a percentage
    (seen on the way: the reader need not inflate a sheet again to look)."""
    if not path.exists():
        raise UnusableWorkbook(f"{path}: bestand niet gevonden.")
    if path.is_dir():
        raise UnusableWorkbook(f"{path}: dit is een map, geen werkboek.")
    size = path.stat().st_size
    if size == 0:
        raise UnusableWorkbook(f"{path}: het bestand is leeg (0 bytes).")
    if size > limits.max_file_bytes:
        raise UnusableWorkbook(
            f"{path}: het bestand is {_megabytes(size)} MB; de grens is "
            f"{_megabytes(limits.max_file_bytes)} MB."
        )
    with path.open("rb") as handle:
        magic = handle.read(8)
    if magic == OLE_MAGIC:
        raise UnusableWorkbook(
            f"{path}: dit is een oud Excel-bestand (.xls) of een werkboek met een wachtwoord. "
            "Sla het op als Excel-werkmap (.xlsx) zonder wachtwoord en stuur het opnieuw."
        )
    if magic.startswith(PDF_MAGIC):
        raise UnusableWorkbook(f"{path}: dit is een PDF-bestand, geen werkboek. {SAVE_AS_XLSX}")
    if not magic.startswith(ZIP_MAGIC):
        raise UnusableWorkbook(
            f"{path}: dit is geen Excel-werkmap (.xlsx); misschien een ander bestand met een "
            "andere extensie."
        )
    try:
        with zipfile.ZipFile(path) as archive, path.open("rb") as raw:
            return _check_archive(path, archive, raw, limits)
    except UnusableWorkbook:
        raise
    except Exception as exc:  # zipfile, zlib, struct and ElementTree on a damaged file
        raise UnusableWorkbook(
            f"{path}: het bestand is beschadigd of onvolledig ({_damage(exc)})."
        ) from None


def _damage(exc: Exception) -> str:
    """What went wrong, in Dutch, without the library's own English."""
    if isinstance(exc, zlib.error):
        return "een onderdeel is niet uit te pakken"
    if isinstance(exc, ElementTree.ParseError):
        return "een XML-onderdeel is onleesbaar"
    return "de inhoudsopgave van het zip-bestand klopt niet"


def _check_archive(
    path: Path, archive: zipfile.ZipFile, raw, limits: Limits
) -> dict[str, MarkedCells]:
    members = archive.infolist()
    if len(members) > limits.max_members:
        raise UnusableWorkbook(f"{path}: te veel onderdelen in het bestand ({len(members)}).")
    names = {member.filename for member in members}
    for part, kind in OTHER_FORMATS:
        if part in names:
            raise UnusableWorkbook(f"{path}: dit is {kind}, geen Excel-werkmap. {SAVE_AS_XLSX}")
    if "xl/workbook.xml" not in names:
        raise UnusableWorkbook(f"{path}: geen Excel-werkmap (xl/workbook.xml ontbreekt).")
    if any(name.lower().endswith("vbaproject.bin") for name in names):
        raise UnusableWorkbook(
            f"{path}: het werkboek bevat macro's. Sla het op als Excel-werkmap (.xlsx) zonder "
            "macro's en stuur het opnieuw."
        )
    unpacked = sum(member.file_size for member in members)
    if unpacked > limits.max_unpacked_bytes:
        raise UnusableWorkbook(
            f"{path}: uitgepakt zou het bestand {_megabytes(unpacked)} MB zijn; de grens is "
            f"{_megabytes(limits.max_unpacked_bytes)} MB."
        )
    for member in members:  # the directory alone, before anything is inflated
        if member.flag_bits & 0x1:
            raise UnusableWorkbook(
                f"{path}: onderdeel {member.filename} is versleuteld. Sla het werkboek op als "
                "Excel-werkmap (.xlsx) zonder wachtwoord en stuur het opnieuw."
            )
        if member.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED):
            raise UnusableWorkbook(
                f"{path}: onderdeel {member.filename} is ingepakt op een manier die Excel niet "
                f"gebruikt; het bestand is beschadigd of niet door Excel gemaakt. {SAVE_AS_XLSX}"
            )
        packed = max(member.compress_size, 1)
        if member.file_size > 1024 * 1024 and member.file_size / packed > limits.max_ratio:
            raise UnusableWorkbook(
                f"{path}: onderdeel {member.filename} pakt verdacht sterk uit "
                f"({_ratio(member.file_size / packed)}x); het bestand wordt niet gelezen."
            )
        _check_size(path, member.filename, member.file_size, limits)
    percents: frozenset[int] = frozenset()
    marked = {}
    # The styles first: which of them show a percentage, to know those cells in each sheet.
    for member in sorted(members, key=lambda member: member.filename != _STYLES):
        content = _inflate(path, raw, member, limits)
        if member.filename == _STYLES:
            percents = percent_styles(content)  # safe to parse: inflated without a DOCTYPE
        elif member.filename.startswith("xl/worksheets/"):
            shape = content.translate(SHAPE)
            _check_area(path, member.filename, content, shape, limits)
            cells = marked_cells(content, shape, percents)
            if cells:
                marked[member.filename] = cells
    _check_content_types(path, archive)
    _check_sheet_places(path, archive)
    return marked


def _ratio(value: float) -> str:
    return dutch_number(round(value))


def _megabytes(size: int) -> str:
    return dutch_number(round(size / 2**20))


def _size_limit(name: str, limits: Limits) -> tuple[int, str]:
    if name == "xl/sharedStrings.xml":
        return limits.max_shared_strings_bytes, f"onderdeel {name} (de gedeelde teksten)"
    if name.startswith("xl/worksheets/"):
        return limits.max_sheet_bytes, f"onderdeel {name} (een werkblad)"
    return limits.max_part_bytes, f"onderdeel {name}"


def _check_size(path: Path, name: str, size: int, limits: Limits) -> None:
    limit, what = _size_limit(name, limits)
    if size > limit:
        raise UnusableWorkbook(
            f"{path}: {what} pakt uit tot meer dan {limit // 2**20} MB; zo groot wordt een "
            "werkboek van pa-sheets nooit. Het bestand wordt niet gelezen."
        )


def _inflate(path: Path, raw, member: zipfile.ZipInfo, limits: Limits) -> bytes:
    """Inflate one part in chunks, in one pass: every byte is searched for a declaration, its
    real size may not pass its limit nor differ from the directory, and its checksum must hold.
    Our own reading of the zip, so the declared size bounds what is inflated. Returns a
    worksheet or the styles whole (at most their limit), any other part as b"" (not kept)."""
    raw.seek(member.header_offset)
    header = _LOCAL_HEADER.unpack(raw.read(_LOCAL_HEADER.size))
    if header[0] != ZIP_MAGIC:
        raise zipfile.BadZipFile("local header")
    raw.seek(header[-2] + header[-1], os.SEEK_CUR)  # the name and extra field
    inflate = zlib.decompressobj(-15) if member.compress_type == zipfile.ZIP_DEFLATED else None
    xml = member.filename.endswith((".xml", ".rels"))
    limit = _size_limit(member.filename, limits)[0]
    left, total, crc, tail = member.compress_size, 0, 0, b""
    # A worksheet is kept whole (at most max_sheet_bytes) to be read once at the end; the
    # styles too, to know which of them show a percentage.
    keep = member.filename.startswith("xl/worksheets/") or member.filename == _STYLES
    kept: list[bytes] | None = [] if keep else None

    def inspect(data: bytes) -> None:
        nonlocal total, crc, tail
        if kept is not None:
            kept.append(data)
        total += len(data)
        if total > member.file_size:
            raise zipfile.BadZipFile("size")
        crc = zlib.crc32(data, crc)
        if xml and b"\0" in data:
            raise UnusableWorkbook(
                f"{path}: onderdeel {member.filename} is geen gewone XML (UTF-8); het bestand "
                f"is beschadigd of niet door Excel gemaakt. {SAVE_AS_XLSX}"
            )
        # The chunk, and its start after the end of the one before (no copy of the chunk).
        if _declares(data) or _declares(tail + data[:_OVERLAP]):
            raise UnusableWorkbook(
                f"{path}: onderdeel {member.filename} bevat een DOCTYPE-declaratie; zulke "
                "bestanden worden om veiligheidsredenen niet gelezen."
            )
        tail = (tail + data[-_OVERLAP:])[-_OVERLAP:]

    while left > 0:
        packed = raw.read(min(_CHUNK, left))
        if not packed:
            raise zipfile.BadZipFile("truncated")
        left -= len(packed)
        if inflate is None:
            inspect(packed)
            continue
        while packed:
            inspect(inflate.decompress(packed, _CHUNK))
            packed = inflate.unconsumed_tail
    if inflate is not None:
        inspect(inflate.flush())
        if not inflate.eof or inflate.unused_data:
            raise zipfile.BadZipFile("deflate")
    if total != member.file_size or crc != member.CRC or total > limit:
        raise zipfile.BadZipFile("size or checksum")
    return b"".join(kept) if kept is not None else b""


def _check_area(path: Path, name: str, sheet: bytes, shape: bytes, limits: Limits) -> None:
    """Refuse a sheet whose cells reach further than calamine should hold in memory."""
    if limits.max_sheet_cells >= SMALL_AREA and within_small_area(sheet, shape):
        return
    rows, columns, unplaced = exact_area(sheet)
    if unplaced:
        raise UnusableWorkbook(
            f"{path}: werkblad {name} heeft cellen zonder plaats; het bestand "
            f"is niet door Excel gemaakt. {SAVE_AS_XLSX}"
        )
    if rows * columns > limits.max_sheet_cells:
        raise UnusableWorkbook(
            f"{path}: werkblad {name} reikt tot rij {dutch_number(rows)} en kolom "
            f"{dutch_number(columns)}; zo groot wordt een werkboek van pa-sheets nooit. Het "
            "bestand wordt niet gelezen."
        )


def _declares(window: bytes) -> bool:
    """Whether `window` holds the start of a declaration, in any case, also in UTF-16. Fast on
    the usual part, which has no "!" or only a few (a sheet's data validations name another
    sheet, _lijsten!$A$2): each "!" is found in C (memchr), and only a "<!" is looked at.
    Never slower than two searches per byte."""
    if b"\0" in window:  # binary, or UTF-16 in a part that is not XML by its name
        low = window.translate(_LOWER, b"\0")
        return any(word in low for word in _WORDS)
    bang = window.find(b"!")
    for _ in range(64):  # a comment, CDATA or a reference to a sheet now and then: each
        if bang < 0:
            return False
        at = bang - 1
        if at >= 0 and window[at] == _LT and window[at : at + _LONGEST].lower().startswith(_WORDS):
            return True
        bang = window.find(b"!", bang + 1)
    low = window.translate(_LOWER)  # many: a part made to slow this down
    return any(word in low for word in _WORDS)


def _check_content_types(path: Path, archive: zipfile.ZipFile) -> None:
    """The package must say its workbook part is an Excel workbook (safe to parse: no part
    holds a declaration)."""
    try:
        types = ElementTree.fromstring(archive.read("[Content_Types].xml"))
    except KeyError:
        types = None
    main = ""
    for override in types.iter(f"{_CONTENT_TYPES}Override") if types is not None else ():
        if override.get("PartName", "").lower() == "/xl/workbook.xml":
            main = override.get("ContentType", "")
    if main.split(";")[0].strip() not in XLSX_MAIN:
        raise UnusableWorkbook(
            f"{path}: geen gewone Excel-werkmap (het werkboek heeft het type "
            f"'{main or 'onbekend'}'). {SAVE_AS_XLSX}"
        )


def _check_sheet_places(path: Path, archive: zipfile.ZipFile) -> None:
    """Every worksheet in xl/worksheets/, where Excel puts them and where _scan bounds them."""
    try:
        rels = ElementTree.fromstring(archive.read("xl/_rels/workbook.xml.rels"))
    except KeyError:
        return  # the reader finds no sheets at all
    for rel in rels:
        if not rel.get("Type", "").endswith("/worksheet"):
            continue
        target = rel.get("Target", "")
        target = target.lstrip("/") if target.startswith("/") else f"xl/{target}"
        parts: list[str] = []
        for piece in target.split("/"):
            if piece == "..":
                parts = parts[:-1]
            elif piece not in ("", "."):
                parts.append(piece)
        if not "/".join(parts).startswith("xl/worksheets/"):
            raise UnusableWorkbook(
                f"{path}: een werkblad staat op een onverwachte plaats ({target}); het bestand "
                f"is niet door Excel gemaakt. {SAVE_AS_XLSX}"
            )


@contextlib.contextmanager
def as_xlsx(path: Path) -> Iterator[str]:
    """A name for `path` that ends in .xlsx, for the duration of the block: calamine chooses
    its reader from the extension, and only its xlsx reader may see a returned file (scan_file
    has decided from the content that it is one)."""
    if path.suffix == ".xlsx":
        yield str(path)
        return
    folder = tempfile.mkdtemp(prefix="pa-sheets-")
    name = os.path.join(folder, "werkboek.xlsx")
    try:
        try:
            os.symlink(path.resolve(), name)
        except OSError:  # no symbolic links here (Windows without the right)
            shutil.copyfile(path, name)
        yield name
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def open_xlsx(path: Path):
    """Open a file scan_file passed with calamine's xlsx reader, whatever its name."""
    import python_calamine

    with as_xlsx(path) as name:
        return python_calamine.CalamineWorkbook.from_path(name)


def reader_failed(path: Path, exc: BaseException) -> UnusableWorkbook:
    """Any failure of a reader, a Rust panic included (a BaseException), as UnusableWorkbook
    naming the file; an interrupt or exit goes on as it was."""
    if isinstance(exc, KeyboardInterrupt | SystemExit | GeneratorExit):
        raise exc
    if isinstance(exc, UnusableWorkbook):
        return exc
    return UnusableWorkbook(
        f"{path}: het werkboek kan niet worden gelezen; het bestand is beschadigd. {SAVE_AS_XLSX}"
    )


# What pa-sheets itself writes besides the workbooks it sends out, told by their sheets.
OVERVIEW_SHEETS = (SUMMARY_SHEET, SOURCES_SHEET)  # merge
EVALUATION_SHEETS = (EVALUATION_SHEET, ATTENTION_SHEET)  # evaluate


def not_returned(path: Path, sheets: list[str]) -> UnusableWorkbook:
    """Why a workbook without _meta cannot be validated, and what to do instead: pa-sheets'
    own overview or evaluation, or a workbook that did not come from pa-sheets."""
    if all(name in sheets for name in OVERVIEW_SHEETS):
        return UnusableWorkbook(
            f"{path}: dit is een gezamenlijk overzicht (gemaakt door pa-sheets merge), geen "
            "teruggestuurd werkboek. Controleer de werkboeken van de corporaties zelf; het "
            "overzicht kunt u gebruiken met pa-sheets evaluate of pa-sheets rollover."
        )
    if all(name in sheets for name in EVALUATION_SHEETS):
        return UnusableWorkbook(
            f"{path}: dit is een evaluatie (gemaakt door pa-sheets evaluate), geen teruggestuurd "
            "werkboek; er valt niets aan te controleren. Controleer de werkboeken van de "
            "corporaties zelf."
        )
    return UnusableWorkbook(
        f"{path}: geen werkboek van pa-sheets (het verborgen blad _meta ontbreekt). "
        "Gebruik het werkboek dat de gemeente heeft gestuurd."
    )
