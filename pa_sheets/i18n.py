"""click's own texts in Dutch, through a gettext message catalog.

click marks every text it shows ("Usage:", "Options", "Show this message and exit.",
"[required]", its errors) for gettext, with `from gettext import gettext as _` in each of its
modules. `install_click_catalog()` binds those names to the catalog in
pa_sheets/locale/nl/LC_MESSAGES/click.mo before any command is defined, whatever the user's
language settings: pa-sheets speaks Dutch only. A text click adds later simply stays English
until it gets a line in click.po; nothing is guessed from the English wording.

`python -m pa_sheets.i18n` writes click.mo from click.po (no gettext tools needed).
"""

import ast
import gettext
import struct
import sys
from pathlib import Path

LOCALE = Path(__file__).resolve().parent / "locale"
DOMAIN = "click"
PO = LOCALE / "nl" / "LC_MESSAGES" / f"{DOMAIN}.po"
MO = PO.with_suffix(".mo")


def install_click_catalog() -> gettext.NullTranslations:
    """Point the `_` and `ngettext` of every loaded click module at the Dutch catalog."""
    import click  # loads click.core, .types, .exceptions, .formatting, ...
    import click.decorators
    import click.termui  # noqa: F401

    dutch = gettext.translation(DOMAIN, localedir=LOCALE, languages=["nl"], fallback=True)
    for name, module in list(sys.modules.items()):
        if name != "click" and not name.startswith("click."):
            continue
        names = vars(module)  # the module's globals, which its functions look up
        if names.get("_") is gettext.gettext:
            names["_"] = dutch.gettext
        if names.get("ngettext") is gettext.ngettext:
            names["ngettext"] = dutch.ngettext
    return dutch


def read_po(text: str) -> dict[str, str]:
    """The catalog of a .po file as a .mo holds it: msgid (msgid NUL plural) -> msgstr (the
    forms joined by NUL). Only what click.po uses: msgid, msgid_plural, msgstr, msgstr[n]."""
    entries: list[dict[str, list[str]]] = []
    field = ""  # the keyword of the lines that follow
    for line in text.splitlines():
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        if line.startswith('"'):
            entries[-1][field].append(ast.literal_eval(line))
            continue
        keyword, _, value = line.partition(" ")
        if keyword == "msgid":
            entries.append({})
        field = keyword
        entries[-1][field] = [ast.literal_eval(value)]
    catalog = {}
    for entry in entries:
        key = "".join(entry["msgid"])
        if "msgid_plural" in entry:
            key += "\0" + "".join(entry["msgid_plural"])
            forms = sorted(k for k in entry if k.startswith("msgstr["))
            value = "\0".join("".join(entry[k]) for k in forms)
        else:
            value = "".join(entry["msgstr"])
        if value:
            catalog[key] = value
    return catalog


def write_mo(catalog: dict[str, str]) -> bytes:
    """The GNU .mo file of `catalog` (no hash table; gettext does not need one)."""
    keys = sorted(catalog)
    ids = [key.encode() for key in keys]
    strs = [catalog[key].encode() for key in keys]
    start = 7 * 4 + 16 * len(keys)
    table, data = [], b""
    for blob in ids + strs:
        table.append((len(blob), start + len(data)))
        data += blob + b"\0"
    header = struct.pack("<7I", 0x950412DE, 0, len(keys), 28, 28 + 8 * len(keys), 0, 0)
    return header + b"".join(struct.pack("<2I", *entry) for entry in table) + data


if __name__ == "__main__":
    MO.write_bytes(write_mo(read_po(PO.read_text(encoding="utf-8"))))
    print(f"Geschreven: {MO}")
