"""What the parties type in the demo: the texts of the afspraken, toelichtingen, activities,
requests and signatures, from teksten.yaml (its comments say what each is and which fields a
text has)."""

from pathlib import Path

from pa_sheets.errors import SpecError
from pa_sheets.spec.yamlfile import load_yaml

_TEKSTEN = load_yaml(Path(__file__).with_name("teksten.yaml"), SpecError)
TEKSTEN: dict[str, dict[str, list[str]]] = _TEKSTEN["afspraken"]  # standard indicator -> rol
TYPES: dict[str, str] = _TEKSTEN["types"]
GENERIC: list[str] = _TEKSTEN["eigen_thema"]
FALLBACK: str = _TEKSTEN["zonder_tekst"]
WIE: dict[str, str] = _TEKSTEN["wie"]
WIJKEN: list[str] = _TEKSTEN["wijken"]
PLEKKEN: list[str] = _TEKSTEN["plekken"]
TOELICHTINGEN: dict[str, dict[str, list[str]]] = _TEKSTEN["toelichtingen"]
TOELICHTING: dict[str, str] = _TEKSTEN["toelichting"]
GEREALISEERD: str = _TEKSTEN["gerealiseerd"]
ACTIVITEITEN: list[tuple[str, int, int]] = [tuple(a) for a in _TEKSTEN["activiteiten"]]
WIJK_NAMEN: list[str] = _TEKSTEN["wijk_namen"]
VRAGEN: dict[str, dict[str, list[str]]] = _TEKSTEN["vragen"]
TEKENAARS: dict[str, tuple[str, list[str]]] = {  # rol -> (functie, names)
    rol: (signer["functie"], signer["namen"]) for rol, signer in _TEKSTEN["tekenaars"].items()
}
VOORBEHOUD: str = _TEKSTEN["voorbehoud"]
NIET_GETEKEND: str = _TEKSTEN["niet_getekend"]
ONEENS: str = _TEKSTEN["oneens"]


def afspraak_texts(code: str) -> tuple[str, ...]:
    """The texts an afspraak on standard indicator `code` may have (with their fields)."""
    return tuple(
        text.partition("|")[2] for texts in TEKSTEN.get(code, {}).values() for text in texts
    )
