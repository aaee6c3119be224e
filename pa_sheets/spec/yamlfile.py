"""Read a YAML file into plain data, with Dutch errors that name the file and the line.

A config may be hostile (it can come from a returned workbook: a basisbod keeps the configs of
its gemeenten), so what is read is bounded before anything looks at it: a regular file of at
most MAX_BYTES, no anchors or aliases (a few hundred bytes of aliases inside aliases expand to
billions of values the moment anything turns them into text), no key written twice, and at most
MAX_VALUES values."""

import os
import re
import reprlib
import stat
from pathlib import Path
from typing import Any

import yaml

from pa_sheets.errors import PaSheetsError
from pa_sheets.numbers import dutch_number

# libyaml's safe loader where PyYAML was built with it (several times faster), else pure Python.
SAFE_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

# The largest config in use is about 40 kB (a gemeente with 70 lopende afspraken): a limit 25
# times that keeps a mistaken or hostile file (a FIFO, /dev/zero, a log) from filling memory.
MAX_BYTES = 1_000_000


def read_text(path: Path, error: type[PaSheetsError], limit: int = MAX_BYTES) -> str:
    """A YAML file's text, or raise `error` naming the file. Only a regular file of at most
    `limit` bytes is opened: a FIFO would block for ever, a device never end."""
    try:
        found = os.stat(path)
    except FileNotFoundError:
        raise error(f"{path}: bestand niet gevonden.") from None
    except (OSError, ValueError) as exc:  # ValueError: a NUL byte in the name
        raise error(
            f"{path}: kan het bestand niet lezen ({getattr(exc, 'strerror', None) or exc})."
        ) from None
    _check_regular(path, found, error, limit)
    try:
        # O_NONBLOCK: should the name now be a FIFO after all, opening it does not wait.
        handle = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
        with os.fdopen(handle, "rb") as file:
            _check_regular(path, os.fstat(file.fileno()), error, limit)
            data = file.read(limit + 1)
    except OSError as exc:
        raise error(f"{path}: kan het bestand niet lezen ({exc.strerror or exc}).") from None
    if len(data) > limit:  # it grew after it was measured
        raise error(_too_big(path, limit))
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise error(f"{path}: kan het bestand niet lezen ({exc}).") from None
    return text.replace("\r\n", "\n").replace("\r", "\n")  # as open() in text mode reads it


def _check_regular(
    path: Path, found: os.stat_result, error: type[PaSheetsError], limit: int
) -> None:
    if stat.S_ISDIR(found.st_mode):
        raise error(f"{path}: dit is een map, geen YAML-bestand.")
    if not stat.S_ISREG(found.st_mode):
        kind = "een pipe (FIFO)" if stat.S_ISFIFO(found.st_mode) else "een apparaat of socket"
        raise error(f"{path}: dit is {kind}, geen gewoon bestand; geef een YAML-bestand.")
    if found.st_size > limit:
        raise error(_too_big(path, limit))


def _too_big(path: Path, limit: int, unit: str = "bytes") -> str:
    return f"{path}: te groot voor pa-sheets (meer dan {dutch_number(limit)} {unit})."


def _short_repr() -> reprlib.Repr:
    short = reprlib.Repr()
    short.maxlevel, short.maxlist, short.maxdict, short.maxstring = 2, 6, 6, 80
    short.maxother = 80
    return short


_SHORT = _short_repr()


def found(value: object) -> str:
    """A value read from YAML as a message shows it: its repr, cut short (a list of thousands
    of values, or a text of thousands of characters, is not written out in full)."""
    return _SHORT.repr(value)


def load_yaml(path: Path, error: type[PaSheetsError], text: str | None = None) -> dict:
    """Return the mapping at the top of a YAML file (or of `text`, read from where `path`
    says), or raise `error` naming the file."""
    return load_yaml_with_lines(path, error, text)[0]


# A config has hundreds of values; even without aliases a file of a million `[1,1,1,...]` would
# have the checks walk them all. Refused before anything walks it.
MAX_VALUES = 100_000


def load_yaml_with_lines(
    path: Path, error: type[PaSheetsError], text: str | None = None
) -> tuple[dict, dict[tuple, int]]:
    """As load_yaml, and the line (from 1) of every key and list entry, by its path:
    ("corporaties", 1, "l_nummer") -> 23. A message can then say where a mistake is.
    `text` kept elsewhere (a basisbod's _meta) is held to the limits of a file."""
    if text is None:
        text = read_text(path, error)
    elif len(text) > MAX_BYTES:
        raise error(_too_big(path, MAX_BYTES, "tekens"))
    _refuse_anchors(path, error, text)
    loader = SAFE_LOADER(text)
    try:
        node = loader.get_single_node()
        lines: dict[tuple, int] = {}
        if node is not None:
            walk = _Walk(loader)
            walk.visit(node, (), "")
            if walk.values > MAX_VALUES:
                raise error(f"{path}: te groot: meer dan {MAX_VALUES} waarden.")
            if walk.twice:
                raise error(_listed(path, walk.twice))
            lines = walk.lines
        data = loader.construct_document(node) if node is not None else None
    except yaml.YAMLError as exc:
        raise _invalid(path, error, exc) from None
    except RecursionError:
        raise error(f"{path}: te diep genest om te lezen.") from None
    except ValueError:  # a number of more than 4300 digits, a date like 2027-02-31
        raise error(
            f"{path}: een waarde is onleesbaar: een getal van duizenden cijfers, of een datum "
            "die niet bestaat (zoals 2027-02-31)."
        ) from None
    finally:
        loader.dispose()
    if not isinstance(data, dict):
        raise error(f"{path}: verwacht een lijst van sleutels en waarden bovenaan het bestand.")
    return data, lines


def _refuse_anchors(path: Path, error: type[PaSheetsError], text: str) -> None:
    """Refuse an anchor (&naam) or alias (*naam) before the document is built: 565 bytes of
    aliases inside aliases are billions of values once written out, and anything that turns
    the data into text (a message, a check) writes them out. No config needs them."""
    loader = SAFE_LOADER(text)
    try:
        while loader.check_event():
            event = loader.get_event()
            if isinstance(event, yaml.AliasEvent) or getattr(event, "anchor", None) is not None:
                raise error(
                    f"{path}: regel {event.start_mark.line + 1}: een anker (&) of verwijzing (*) "
                    "mag hier niet; schrijf de waarde zelf uit."
                )
    except yaml.YAMLError as exc:
        raise _invalid(path, error, exc) from None
    finally:
        loader.dispose()


class _Walk:
    """One pass over the composed document (before it is built into data): the line of every
    key and list entry, the keys written twice in one mapping, and how many values there are."""

    def __init__(self, loader: Any) -> None:  # yaml.SafeLoader or CSafeLoader
        self.loader = loader
        self.lines: dict[tuple, int] = {}
        self.twice: list[str] = []
        self.values = 0

    def visit(self, node: yaml.Node, where: tuple, named: str) -> None:
        self.values += 1
        if self.values > MAX_VALUES:
            return
        if isinstance(node, yaml.MappingNode):
            first: dict[object, int] = {}
            for key_node, value_node in node.value:
                if not isinstance(key_node, yaml.ScalarNode):
                    continue  # a key that is itself a list or mapping: nothing a config uses
                key = self.loader.construct_object(key_node)  # as the data has it: 2025 a number
                line = key_node.start_mark.line + 1
                at = f"{named}.{key}" if named else str(key)
                if key in first:  # the data would keep the last one without a word
                    self.twice.append(
                        f"regel {line}: {at}: staat er twee keer (ook op regel {first[key]}); "
                        "de tweede zou de eerste stil vervangen"
                    )
                    continue
                first[key] = line
                self.lines[(*where, key)] = line
                self.visit(value_node, (*where, key), at)
        elif isinstance(node, yaml.SequenceNode):
            for index, item in enumerate(node.value):
                self.lines[(*where, index)] = item.start_mark.line + 1
                self.visit(item, (*where, index), f"{named}[{index}]")


def _listed(path: Path, problems: list[str]) -> str:
    """Every problem, as a config's mistakes are listed (see ConfigProblems)."""
    if len(problems) == 1:
        return f"{path}: {problems[0]}."
    listed = "\n".join(f"  {found}." for found in problems)
    return f"{path}: {len(problems)} fouten:\n{listed}"


def _invalid(path: Path, error: type[PaSheetsError], exc: yaml.YAMLError) -> PaSheetsError:
    mark = getattr(exc, "problem_mark", None)
    where = f" (regel {mark.line + 1}, kolom {mark.column + 1})" if mark else ""
    return error(f"{path}: geen geldige YAML{where}.")


_MISSING = object()


class Section:
    """A mapping read from a YAML file that knows its own key path, so every error names it.

    `Section(data, "corporaties[1]", path, ConfigError).text("l_nummer", pattern=...)` fails with
    "voorbeeldstad.yaml: corporaties[1].l_nummer: ...".
    """

    def __init__(self, data: object, where: str, file: Path, error: type[PaSheetsError]):
        self.where, self.file, self.error = where, file, error
        if not isinstance(data, dict):
            raise self.fail("", "verwacht sleutels met waarden (een mapping)")
        self.data = data

    def fail(self, key: str, message: str) -> PaSheetsError:
        """The error to raise for `key` (or this section itself when key is empty)."""
        path = ".".join(part for part in (self.where, key) if part) or "(bovenaan)"
        return self.error(f"{self.file}: {path}: {message}.")

    def only(self, allowed: list[str], required: tuple[str, ...] = ()) -> None:
        """Refuse unknown keys and missing required keys."""
        for key in self.data:
            if key not in allowed:
                known = ", ".join(allowed)
                raise self.fail(str(key), f"onbekende sleutel (toegestaan: {known})")
        for key in required:
            if key not in self.data:
                raise self.fail(key, "ontbreekt")

    def has(self, key: str) -> bool:
        return self.data.get(key) is not None

    def raw(self, key: str, default: object = _MISSING) -> object:
        value = self.data.get(key)
        if value is None:
            if default is _MISSING:
                raise self.fail(key, "ontbreekt of is leeg")
            return default
        return value

    def text(
        self, key: str, default: object = _MISSING, pattern: str | None = None, hint: str = ""
    ) -> str:
        value = self.raw(key, default)
        if value is default:
            return value  # type: ignore[return-value]
        if isinstance(value, bool) or not isinstance(value, str | int):
            raise self.fail(key, f"verwacht tekst, gevonden {found(value)}")
        value = str(value).strip()
        if not value:
            raise self.fail(key, "mag niet leeg zijn")
        if pattern is not None and not re.fullmatch(pattern, value):
            raise self.fail(key, f"{value!r} is ongeldig{': ' + hint if hint else ''}")
        return value

    def integer(
        self, key: str, default: object = _MISSING, low: int | None = None, high: int | None = None
    ) -> int:
        value = self.raw(key, default)
        if value is default:
            return value  # type: ignore[return-value]
        if isinstance(value, bool) or not isinstance(value, int):
            raise self.fail(key, f"verwacht een geheel getal, gevonden {found(value)}")
        if (low is not None and value < low) or (high is not None and value > high):
            raise self.fail(key, f"{value} ligt niet tussen {low} en {high}")
        return value

    def number(self, key: str, default: object = _MISSING) -> float:
        value = self.raw(key, default)
        if value is default:
            return value  # type: ignore[return-value]
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise self.fail(key, f"verwacht een getal, gevonden {found(value)}")
        return float(value)

    def flag(self, key: str) -> bool:
        """A yes/no setting, no by default."""
        value = self.raw(key, False)
        if not isinstance(value, bool):
            raise self.fail(key, f"verwacht true of false, gevonden {found(value)}")
        return value

    def items(self, key: str, default: object = _MISSING) -> list:
        value = self.raw(key, default)
        if value is default:
            return value  # type: ignore[return-value]
        if not isinstance(value, list):
            raise self.fail(key, "verwacht een lijst")
        return value

    def sections(self, key: str, default: object = _MISSING) -> list["Section"]:
        """The list under `key`, each entry a Section named `key[i]`."""
        return [
            Section(entry, f"{self.join(key)}[{i}]", self.file, self.error)
            for i, entry in enumerate(self.items(key, default))
        ]

    def section(self, key: str) -> "Section":
        return Section(self.raw(key), self.join(key), self.file, self.error)

    def join(self, key: str) -> str:
        return f"{self.where}.{key}" if self.where else key
