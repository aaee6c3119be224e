"""Read a YAML file into plain data, with Dutch errors that name the file and the line."""

import re
from pathlib import Path

import yaml

from pa_sheets.errors import PaSheetsError

# libyaml's safe loader where PyYAML was built with it (several times faster), else pure Python.
SAFE_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def read_text(path: Path, error: type[PaSheetsError]) -> str:
    """A YAML file's text, or raise `error` naming the file."""
    try:
        return path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise error(f"{path}: bestand niet gevonden.") from None
    except IsADirectoryError:
        raise error(f"{path}: dit is een map, geen YAML-bestand.") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise error(f"{path}: kan het bestand niet lezen ({exc}).") from None


def load_yaml(path: Path, error: type[PaSheetsError], text: str | None = None) -> dict:
    """Return the mapping at the top of a YAML file (or of `text`, read from where `path`
    says), or raise `error` naming the file."""
    if text is None:
        text = read_text(path, error)
    try:
        data = yaml.load(text, Loader=SAFE_LOADER)
    except yaml.YAMLError as exc:
        raise _invalid(path, error, exc) from None
    if not isinstance(data, dict):
        raise error(f"{path}: verwacht een lijst van sleutels en waarden bovenaan het bestand.")
    return data


# A config has hundreds of values; an alias repeated inside aliases ("billion laughs") would
# have the checks walk billions. A config may come from a returned workbook (a basisbod keeps
# those of its gemeenten), so this is refused before anything walks it.
MAX_VALUES = 100_000


def load_yaml_with_lines(
    path: Path, error: type[PaSheetsError], text: str | None = None
) -> tuple[dict, dict[tuple, int]]:
    """As load_yaml, and the line (from 1) of every key and list entry, by its path:
    ("corporaties", 1, "l_nummer") -> 23. A message can then say where a mistake is."""
    if text is None:
        text = read_text(path, error)
    loader = SAFE_LOADER(text)
    try:
        node = loader.get_single_node()
        if node is not None and _expanded_size(node, {}, set()) > MAX_VALUES:
            raise error(f"{path}: te groot: meer dan {MAX_VALUES} waarden (ook via aliassen).")
        data = loader.construct_document(node) if node is not None else None
        lines: dict[tuple, int] = {}
        if node is not None:
            _collect_lines(loader, node, (), lines, set())
    except yaml.YAMLError as exc:
        raise _invalid(path, error, exc) from None
    except RecursionError:
        raise error(f"{path}: te diep genest om te lezen.") from None
    finally:
        loader.dispose()
    if not isinstance(data, dict):
        raise error(f"{path}: verwacht een lijst van sleutels en waarden bovenaan het bestand.")
    return data, lines


def _expanded_size(node: yaml.Node, sizes: dict[int, int], around: set[int]) -> int:
    """How many values the data holds once every alias is written out (each node counted
    once per place it is used; an alias to a node around it counts once)."""
    if id(node) in sizes:
        return sizes[id(node)]
    if id(node) in around:
        return 1
    around.add(id(node))
    children: list[yaml.Node] = []
    if isinstance(node, yaml.MappingNode):
        children = [part for pair in node.value for part in pair]
    elif isinstance(node, yaml.SequenceNode):
        children = list(node.value)
    size = 1 + sum(_expanded_size(child, sizes, around) for child in children)
    around.discard(id(node))
    sizes[id(node)] = size
    return size


def _collect_lines(
    loader, node: yaml.Node, where: tuple, lines: dict[tuple, int], seen: set[int]
) -> None:
    if id(node) in seen:
        return  # an alias (*x): what it holds has the lines of where it was written (&x)
    seen.add(id(node))
    if isinstance(node, yaml.MappingNode):
        for key_node, value_node in node.value:
            if not isinstance(key_node, yaml.ScalarNode):
                continue  # a key that is itself a list or mapping: nothing a config uses
            key = loader.construct_object(key_node)  # as the data has it: 2025 is a number
            lines.setdefault((*where, key), key_node.start_mark.line + 1)
            _collect_lines(loader, value_node, (*where, key), lines, seen)
    elif isinstance(node, yaml.SequenceNode):
        for index, item in enumerate(node.value):
            lines[(*where, index)] = item.start_mark.line + 1
            _collect_lines(loader, item, (*where, index), lines, seen)


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
            raise self.fail(key, f"verwacht tekst, gevonden {value!r}")
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
            raise self.fail(key, f"verwacht een geheel getal, gevonden {value!r}")
        if (low is not None and value < low) or (high is not None and value > high):
            raise self.fail(key, f"{value} ligt niet tussen {low} en {high}")
        return value

    def number(self, key: str, default: object = _MISSING) -> float:
        value = self.raw(key, default)
        if value is default:
            return value  # type: ignore[return-value]
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise self.fail(key, f"verwacht een getal, gevonden {value!r}")
        return float(value)

    def flag(self, key: str) -> bool:
        """A yes/no setting, no by default."""
        value = self.raw(key, False)
        if not isinstance(value, bool):
            raise self.fail(key, f"verwacht true of false, gevonden {value!r}")
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
