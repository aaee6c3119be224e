"""Writing output files safely: into a temporary file next to the target, renamed over it only
when complete, so an interrupted run never leaves half a workbook where a whole one was."""

import contextlib
import os
from collections.abc import Iterator
from pathlib import Path

from pa_sheets.errors import OutputError


@contextlib.contextmanager
def atomic_path(path: Path, *errors: type[Exception]) -> Iterator[Path]:
    """Yield a temporary path to write to; on success it replaces `path`. An OSError (or one
    of `errors`, a writer's own) becomes an OutputError naming `path`."""
    temp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        yield temp
        os.replace(temp, path)
    except (OSError, *errors) as exc:
        reason = getattr(exc, "strerror", None) or exc
        raise OutputError(f"{path}: kan het bestand niet schrijven ({reason}).") from None
    finally:
        temp.unlink(missing_ok=True)
