"""Text from outside (a file name, a cell of a returned workbook) as it is safe to show.

A name or a cell can hold characters that are not seen but change what is seen: a newline that
starts a line of its own ("... in orde"), an escape sequence that moves the cursor, a
right-to-left override that shows "6" where "60" was agreed backwards, a zero-width space that
makes two different texts look the same. pa-sheets prints such text only through these helpers.
"""

import re
from pathlib import Path

# Characters that change how the text around them is shown, or are not shown at all: the bidi
# embeddings and overrides (U+202A-202E), the bidi isolates (U+2066-2069), the zero-width
# space, joiners and direction marks (U+200B-200F), the word joiner (U+2060) and the byte
# order mark used as a zero-width no-break space (U+FEFF).
HIDDEN_NAMES = {
    "\u200b": "spatie zonder breedte",
    "\u200c": "niet-verbinder zonder breedte",
    "\u200d": "verbinder zonder breedte",
    "\u200e": "links-naar-rechtsteken",
    "\u200f": "rechts-naar-linksteken",
    "\u202a": "links-naar-rechts inbedding",
    "\u202b": "rechts-naar-links inbedding",
    "\u202c": "einde richting",
    "\u202d": "links-naar-rechts forcering",
    "\u202e": "rechts-naar-links forcering",
    "\u2060": "woordverbinder",
    "\u2066": "links-naar-rechts isolatie",
    "\u2067": "rechts-naar-links isolatie",
    "\u2068": "eerste-sterke isolatie",
    "\u2069": "einde isolatie",
    "\ufeff": "spatie zonder breedte (BOM)",
}
HIDDEN = re.compile("[" + "".join(HIDDEN_NAMES) + "]")


def has_hidden(text: str) -> bool:
    """Whether `text` holds a hidden character. Each lies beyond U+00FF, so a text that Latin-1
    can hold (nearly every Dutch text) has none: that answer costs a copy, not a search."""
    try:
        text.encode("latin-1")
    except UnicodeEncodeError:
        return HIDDEN.search(text) is not None
    return False


def marked(text: str) -> str:
    """`text` with every hidden character written out between guillemets, e.g. «U+202E»."""
    return HIDDEN.sub(lambda match: f"«U+{ord(match.group()):04X}»", text)


def hidden_in(text: str) -> list[str]:
    """The hidden characters in `text`, each once, as «U+202E» (rechts-naar-links forcering)."""
    found = dict.fromkeys(HIDDEN.findall(text))
    return [f"«U+{ord(char):04X}» ({HIDDEN_NAMES[char]})" for char in found]


def one_line(text: object) -> str:
    """`text` on one line as a terminal shows it: every character that is not printable (a
    newline, a carriage return, an escape, a bidi control, a byte that was no UTF-8) as an
    escape like repr writes it (\\n, \\x1b, \\u202e), the rest as it is."""
    text = str(text)
    if text.isprintable():
        return text
    return "".join(char if char.isprintable() else _escaped(char) for char in text)


def name(path: Path | str) -> str:
    """A file name or path as it is printed: on one line, see one_line."""
    return one_line(path)


def lines(text: object) -> str:
    """A message of one or more lines: each line as one_line shows it, the newlines kept."""
    return "\n".join(one_line(line) for line in str(text).split("\n"))


def _escaped(char: str) -> str:
    simple = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}
    if char in simple:
        return simple[char]
    code = ord(char)
    return (
        f"\\x{code:02x}"
        if code < 0x100
        else f"\\u{code:04x}"
        if code < 0x10000
        else f"\\U{code:08x}"
    )
