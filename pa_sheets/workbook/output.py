"""Writing output files safely. Every writer first asks `guard_output` whether it may write a
target at all (never over one of its own inputs, over an existing file only when forced, only
into a folder that exists), then writes into a temporary file next to the target, renamed over
it only when complete, so an interrupted run never leaves half a workbook where a whole one was.
A CSV file's cells go through `csv_safe`, so opening one in a spreadsheet program runs nothing.

A name a writer makes itself (generate's, publish's, an annotated copy's, a parquet partition's)
is built here from parts that cannot leave the output folder: `name_part` and `fit_name` make a
name of bounded length from any text, `checked_part` refuses a workbook's fact that is not what
it should be, and `output_path` joins the parts to the folder only when the result stays inside
it. `refuse_same_names` makes sure no two targets of one run are the same file."""

import contextlib
import hashlib
import os
import re
import unicodedata
from collections.abc import Iterable, Iterator
from pathlib import Path

from pa_sheets.errors import OutputError

# A spreadsheet program runs a CSV cell that starts with one of these as a formula.
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def guard_output(path: Path, inputs: Iterable[Path] = (), *, force: bool = False) -> None:
    """Refuse, before any work is done, to write `path` over one of the `inputs` (even with
    `force`: a returned workbook is never changed), over an existing file unless `force`, or
    into a folder that does not exist.

    Example: guard_output(Path("evaluatie.xlsx"), [Path("terug/linde.xlsx")], force=True)
    """
    if path.name not in ("", ".."):  # those are folders, said below
        output_path(path.parent, path.name)  # a name too long: a message, not an OSError
    if any(_same_file(path, source) for source in inputs):
        raise OutputError(f"{path}: is een van de invoerbestanden; kies een andere naam.")
    if path.is_dir():
        raise OutputError(f"{path} is een map; geef de naam van een bestand.")
    if path.exists() and not force:
        raise OutputError(f"{path} bestaat al; gebruik --force om te overschrijven.")
    if not path.parent.is_dir():
        raise OutputError(f"{path.parent}: de map bestaat niet.")


# Most file systems allow 255 bytes for a name; atomic_path's temporary name adds a dot, a
# process id and ".tmp", and some (encrypted home folders) allow less: stay well below.
NAME_BYTES = 160
FILE_SYSTEM_NAME_BYTES = 255  # what ext4, APFS and NTFS allow; a longer name given is refused
PART_BYTES = 60  # one name's share of a file name made of several (gemeente, corporatie)
HASH_CHARS = 8  # a short stable hash that keeps names apart once they are cut or folded


def short_hash(text: str) -> str:
    """Eight hex digits of a text's sha256: stable across runs and machines."""
    data = unicodedata.normalize("NFC", text).encode("utf-8", "surrogateescape")
    return hashlib.sha256(data).hexdigest()[:HASH_CHARS]


def fit_name(stem: str, suffix: str = "", limit: int = NAME_BYTES) -> str:
    """`stem + suffix` when it is at most `limit` bytes; otherwise the stem cut at a character
    and followed by a short hash of the whole stem, so two long names that start alike stay two.

    Example: fit_name("x" * 300, "-controle.xlsx") -> "xxx...x-5f3e9a1c-controle.xlsx"
    """
    if _size(stem + suffix) <= limit:
        return stem + suffix
    tag = f"-{short_hash(stem)}"
    room = limit - _size(tag + suffix)
    cut = stem
    while cut and _size(cut) > room:
        cut = cut[: min(len(cut) - 1, (len(cut) * room) // _size(cut))]
    return cut.rstrip("-. ") + tag + suffix


def _size(name: str) -> int:
    return len(os.fsencode(name))


def slug(text: str) -> str:
    """Lower-case ASCII with dashes, for file names: 'Het Baken' -> 'het-baken'."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")


def name_part(text: str, *, keep_apart: bool = False, limit: int = PART_BYTES) -> str:
    """A name as part of a file name: its slug, never empty, at most `limit` bytes. A name the
    slug leaves nothing of (a CJK name), or with `keep_apart` one with letters the slug drops
    (Lindé, so that it does not become Linde's file), gets a short hash of itself.

    Example: name_part("Lindé", keep_apart=True) -> "linde-" + short_hash("Lindé")
    """
    part = slug(text)
    dropped = any(ch.isalnum() and not ch.isascii() for ch in text)
    if not part or (keep_apart and dropped):
        part = f"{part}-{short_hash(text)}".lstrip("-")
    return fit_name(part, limit=limit)


def checked_part(value: object, pattern: str, what: str, source: Path, hint: str) -> str:
    """A fact of a workbook that becomes part of a path, refused unless it is exactly
    `pattern` (an L-nummer, a gemeente code): the workbook itself decides nothing about where
    a file goes.

    Example: checked_part("L1234", r"L[0-9]{4}", "het L-nummer", Path("linde.xlsx"), "L1234")
    """
    if isinstance(value, str) and re.fullmatch(pattern, value):
        return value
    shown = repr(value if not isinstance(value, str) or len(value) <= 60 else value[:60] + "...")
    raise OutputError(
        f"{source}: {what} in _meta is {shown}, verwacht {hint}; er is niets geschreven. "
        "Gebruik het werkboek dat de gemeente heeft gestuurd."
    )


def output_path(folder: Path, *parts: str) -> Path:
    """`folder / parts...`, refused unless each part is one plain name (no separator, no '..')
    and the folder it lands in, with links resolved, is inside `folder`. The name itself may
    be a link: atomic_path replaces a link, it never writes through one (and guard_output
    refuses one that leads to an input).

    Example: output_path(Path("landelijk"), "jaar=2027", "gemeente=GM0344", "L1234.parquet")
    """
    for part in parts:
        if part in ("", ".", "..") or re.search(r"[/\\\x00]", part):
            raise OutputError(f"{folder}: {part!r} is geen bruikbare bestandsnaam.")
        if _size(part) > FILE_SYSTEM_NAME_BYTES:
            raise OutputError(
                f"{folder}: de naam {part[:40]!r}... is {_size(part)} bytes lang; een "
                f"bestandssysteem staat hoogstens {FILE_SYSTEM_NAME_BYTES} toe. Kies een kortere."
            )
    path = folder.joinpath(*parts)
    try:
        inside = path.parent.resolve().is_relative_to(folder.resolve())
    except (OSError, RuntimeError) as exc:  # a loop of links, a name too long after all
        raise OutputError(f"{path}: kan hier niet schrijven ({exc}).") from None
    if not inside:
        raise OutputError(f"{path}: komt buiten de map {folder} uit; er is niets geschreven.")
    return path


def refuse_same_names(targets: Iterable[tuple[Path, str]]) -> None:
    """Refuse a run in which two targets are one file: (path, what it is for) pairs compared
    as a file system that ignores case would (Linde.xlsx is linde.xlsx there).

    Example: refuse_same_names([(Path("uit/a.xlsx"), "Linde"), (Path("uit/A.xlsx"), "LINDE")])
    """
    seen: dict[str, str] = {}
    for path, what in targets:
        key = os.path.normcase(os.path.abspath(path)).casefold()
        if key in seen:
            raise OutputError(
                f"{path.name}: {seen[key]} en {what} krijgen dezelfde bestandsnaam; er is niets "
                "geschreven. Geef ze namen die ook zonder accenten en hoofdletters verschillen."
            )
        seen[key] = what


def make_folder(path: Path) -> None:
    """Make an output folder (and its parents) once the work is known to be allowed; a file
    in its place or a folder that cannot be made is an OutputError, not a traceback."""
    if path.exists() and not path.is_dir():
        raise OutputError(f"{path} is een bestand; geef de naam van een map.")
    try:
        path.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise OutputError(f"{path}: kan de map niet maken ({exc.strerror or exc}).") from None


def _same_file(path: Path, other: Path) -> bool:
    """The same file by resolved path, or, when both exist, by the file system itself (which
    also knows that Linde.xlsx is linde.xlsx where case does not count)."""
    if path.resolve() == other.resolve():
        return True
    try:
        return path.exists() and other.exists() and os.path.samefile(path, other)
    except OSError:
        return False


@contextlib.contextmanager
def atomic_path(path: Path, *errors: type[Exception]) -> Iterator[Path]:
    """Yield a temporary path to write to; on success it replaces `path`. An OSError (or one
    of `errors`, a writer's own) becomes an OutputError naming `path`. Every writer comes
    through here, so every file written is checked by output_path, a name given on the
    command line too."""
    output_path(path.parent, path.name)
    temp = path.with_name(fit_name(f".{path.name}", f".{os.getpid()}.tmp", 240))
    caught: tuple[type[Exception], ...] = (OSError, *errors)
    try:
        yield temp
        os.replace(temp, path)
    except caught as exc:
        reason = getattr(exc, "strerror", None) or exc
        raise OutputError(f"{path}: kan het bestand niet schrijven ({reason}).") from None
    finally:
        temp.unlink(missing_ok=True)


def csv_safe(value: object) -> object:
    """`value` for a CSV cell: a text a spreadsheet program would run as a formula (=, +, -, @)
    gets a leading apostrophe (OWASP: CSV injection); anything else stays as it is."""
    if isinstance(value, str) and value.startswith(FORMULA_START):
        return f"'{value}"
    return value
