"""Look at a returned file before any spreadsheet library parses it.

Workbooks come back by e-mail from many organisations. Before reading one we check, on the raw
bytes and the zip directory only, that it is an .xlsx of a sane size: not an old .xls, not
encrypted, not a macro workbook, not a zip bomb, and without XML document type declarations
(the way entity-expansion attacks start). Nothing in the file is executed or kept.
"""

import zipfile
import zlib
from dataclasses import dataclass
from pathlib import Path

from pa_sheets.errors import UnusableWorkbook

# Compound File Binary: the container of old .xls files and of password-protected .xlsx files.
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
ZIP_MAGIC = b"PK\x03\x04"
# Only the prolog of an XML part can hold a document type declaration.
PROLOG_BYTES = 2048


@dataclass(frozen=True)
class Limits:
    """Bounds on what pa-sheets reads; the defaults suit a gemeente's workbooks with room."""

    max_file_bytes: int = 100 * 1024 * 1024
    max_unpacked_bytes: int = 1024 * 1024 * 1024
    max_ratio: int = 200  # unpacked / packed size of one part; real sheets stay under 100
    max_members: int = 10_000


DEFAULT_LIMITS = Limits()


def check_file(path: Path, limits: Limits = DEFAULT_LIMITS) -> None:
    """Raise UnusableWorkbook with a Dutch message when `path` is not a safe .xlsx."""
    if not path.exists():
        raise UnusableWorkbook(f"{path}: bestand niet gevonden.")
    if path.is_dir():
        raise UnusableWorkbook(f"{path}: dit is een map, geen werkboek.")
    size = path.stat().st_size
    if size == 0:
        raise UnusableWorkbook(f"{path}: het bestand is leeg (0 bytes).")
    if size > limits.max_file_bytes:
        raise UnusableWorkbook(
            f"{path}: het bestand is {size / 2**20:.0f} MB; de grens is "
            f"{limits.max_file_bytes / 2**20:.0f} MB."
        )
    with path.open("rb") as handle:
        magic = handle.read(8)
    if magic == OLE_MAGIC:
        raise UnusableWorkbook(
            f"{path}: dit is een oud Excel-bestand (.xls) of een werkboek met een wachtwoord. "
            "Sla het op als Excel-werkmap (.xlsx) zonder wachtwoord en stuur het opnieuw."
        )
    if not magic.startswith(ZIP_MAGIC):
        raise UnusableWorkbook(
            f"{path}: dit is geen Excel-werkmap (.xlsx); misschien een ander bestand met een "
            "andere extensie."
        )
    try:
        with zipfile.ZipFile(path) as archive:
            _check_archive(path, archive, limits)
    except (
        zipfile.BadZipFile,
        zipfile.LargeZipFile,
        zlib.error,  # a damaged compressed part
        NotImplementedError,  # a compression method zipfile does not know
        EOFError,
        ValueError,
        OSError,
    ) as exc:
        raise UnusableWorkbook(
            f"{path}: het bestand is beschadigd of onvolledig (zip: {exc})."
        ) from None


def _check_archive(path: Path, archive: zipfile.ZipFile, limits: Limits) -> None:
    members = archive.infolist()
    if len(members) > limits.max_members:
        raise UnusableWorkbook(f"{path}: te veel onderdelen in het bestand ({len(members)}).")
    names = {member.filename for member in members}
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
            f"{path}: uitgepakt zou het bestand {unpacked / 2**20:.0f} MB zijn; de grens is "
            f"{limits.max_unpacked_bytes / 2**20:.0f} MB."
        )
    for member in members:
        packed = max(member.compress_size, 1)
        if member.file_size > 1024 * 1024 and member.file_size / packed > limits.max_ratio:
            raise UnusableWorkbook(
                f"{path}: onderdeel {member.filename} pakt verdacht sterk uit "
                f"({member.file_size / packed:.0f}x); het bestand wordt niet gelezen."
            )
        if member.filename.endswith((".xml", ".rels")):
            with archive.open(member) as part:
                prolog = part.read(PROLOG_BYTES)
            if b"<!DOCTYPE" in prolog or b"<!ENTITY" in prolog:
                raise UnusableWorkbook(
                    f"{path}: onderdeel {member.filename} bevat een DOCTYPE-declaratie; zulke "
                    "bestanden worden om veiligheidsredenen niet gelezen."
                )
