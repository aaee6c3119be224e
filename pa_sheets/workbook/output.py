"""Writing output files safely. Every writer first asks `check_output` whether it may write a
target at all (never over one of its own inputs, over an existing file only when forced, only
into a folder that exists), then writes into a temporary file next to the target, renamed over
it only when complete, so an interrupted run never leaves half a workbook where a whole one was.
A CSV file's cells go through `csv_safe`, so opening one in a spreadsheet program runs nothing."""

import contextlib
import os
from collections.abc import Iterable, Iterator
from pathlib import Path

from pa_sheets.errors import OutputError

# A spreadsheet program runs a CSV cell that starts with one of these as a formula.
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def check_output(path: Path, inputs: Iterable[Path] = (), *, force: bool = False) -> None:
    """Refuse, before any work is done, to write `path` over one of the `inputs` (even with
    `force`: a returned workbook is never changed), over an existing file unless `force`, or
    into a folder that does not exist.

    Example: check_output(Path("evaluatie.xlsx"), [Path("terug/linde.xlsx")], force=True)
    """
    if any(_same_file(path, source) for source in inputs):
        raise OutputError(f"{path}: is een van de invoerbestanden; kies een andere naam.")
    if path.is_dir():
        raise OutputError(f"{path} is een map; geef de naam van een bestand.")
    if path.exists() and not force:
        raise OutputError(f"{path} bestaat al; gebruik --force om te overschrijven.")
    if not path.parent.is_dir():
        raise OutputError(f"{path.parent}: de map bestaat niet.")


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
    of `errors`, a writer's own) becomes an OutputError naming `path`."""
    temp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
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
