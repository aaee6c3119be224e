"""The shape of a gemeente config, as a pydantic model: which keys there are, which are
required, what type each value has. Unknown keys are refused and every mistake is reported at
once, in Dutch, with its key path (`corporaties[1].l_nummer`) and its line in the YAML.

The same model gives the JSON Schema an editor uses to complete and check a config:
`python -m pa_sheets.spec.config_schema` writes schemas/config.schema.json (see docs/config.md).

What the model cannot see (a partner's thema that is not in `themas`, a kort used twice, a
trekker who is no party) is checked by spec/config.py when it builds the Config.
"""

import datetime as dt
import json
import re
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated, Any, get_args, get_origin

from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Discriminator,
    Field,
    Tag,
    ValidationError,
    ValidationInfo,
    WithJsonSchema,
    field_validator,
)
from pydantic_core import ErrorDetails, PydanticCustomError

from pa_sheets.numbers import dutch_number
from pa_sheets.spec.kalender import (
    ADVIES,
    GROND_AFSPRAKEN,
    GROND_BOD,
    WETTELIJK,
    day_month,
    parse_day_month,
)
from pa_sheets.spec.model import THEMA_CODE
from pa_sheets.spec.planning import planning_span
from pa_sheets.spec.yamlfile import found

# The CBS gemeentecode: GM + 4 digits. "0344" is also seen in the field and is normalised.
GEMEENTE_CODE = r"(GM)?[0-9]{4}"
# The Autoriteit woningcorporaties registers corporaties by L-number. The pattern L + 4 digits
# is how the field writes it, not an official definition: keep it here and nowhere else.
L_NUMMER = r"L[0-9]{4}"
# A short name becomes part of a sheet name ("BT " + kort): Excel allows 31 characters and
# refuses []:*?/\ ; an apostrophe would need quoting in every formula, so it is refused too.
KORT_MAX = 24
KORT_FORBIDDEN = "[]:*?/\\'"
YEARS = (2000, 2100)
# Excel holds at most this many characters in a cell: a longer text would be cut when written,
# and the workbook would fail its own check of the fixed texts (X005).
CELL_MAX = 32_767

SCHEMA_FILE = Path(__file__).resolve().parents[2] / "schemas" / "config.schema.json"


def problem(message: str) -> PydanticCustomError:
    """A mistake in Dutch; the message is passed as context so braces in it stay as written."""
    return PydanticCustomError("pa_sheets", "{melding}", {"melding": message})


# ---------------------------------------------------------------------------------------------
# Values: each checks its type itself, so the message is Dutch and says what was found.
# ---------------------------------------------------------------------------------------------


def _text(value: object) -> str:
    if value is None:
        raise problem("ontbreekt of is leeg")
    # A number is read as text (naam: 1880), a yes/no is not.
    if isinstance(value, bool) or not isinstance(value, str | int):
        raise problem(f"verwacht tekst, gevonden {found(value)}")
    text = str(value).strip()
    if not text:
        raise problem("mag niet leeg zijn")
    if len(text) > CELL_MAX:
        raise problem(
            f"de tekst is {dutch_number(len(text))} tekens lang; een cel in Excel houdt er "
            f"hoogstens {dutch_number(CELL_MAX)}. Maak hem korter"
        )
    return text


def _matching(value: str, pattern: str, hint: str) -> str:
    if not re.fullmatch(pattern, value):
        raise problem(f"{found(value)} is ongeldig: {hint}")
    return value


def _gemeente_code(value: object) -> str:
    if isinstance(value, int) and not isinstance(value, bool):
        # YAML reads 0344 as a number (even as octal): the leading zero would be lost.
        raise problem('zet de code tussen aanhalingstekens, bijv. "GM0344"')
    code = _matching(
        _text(value), GEMEENTE_CODE, "verwacht GM gevolgd door 4 cijfers, bijv. GM0344"
    )
    return "GM" + code[-4:]


def _kort(value: object) -> str:
    kort = _text(value)
    if len(kort) > KORT_MAX or any(ch in kort for ch in KORT_FORBIDDEN):
        raise problem(f"{found(kort)}: hoogstens {KORT_MAX} tekens, zonder {KORT_FORBIDDEN}")
    return kort


def _year(value: object) -> int:
    if value is None:
        raise problem("ontbreekt of is leeg")
    if isinstance(value, bool) or not isinstance(value, int):
        raise problem(f"verwacht een geheel getal, gevonden {found(value)}")
    if not YEARS[0] <= value <= YEARS[1]:
        raise problem(f"{value} ligt niet tussen {YEARS[0]} en {YEARS[1]}")
    return value


def _number(value: object) -> int | float:
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise problem(f"verwacht een getal, gevonden {found(value)}")
    return value


def _day_month(value: object) -> str:
    text = " ".join(_text(value).split())
    if parse_day_month(text) is None:
        raise problem(f"{found(text)} is geen dag van het jaar: schrijf dag en maand, bijv. 1 juli")
    return text


def _spec_version(value: object) -> str:
    """A spec version as written: 1.2 (a YAML number) or "1.2"."""
    text = str(value).strip()
    if not re.fullmatch(r"\d+\.\d+", text):
        raise problem(f'{found(value)} is geen specversie: schrijf bijv. "1.2"')
    return text


def _planning(value: object) -> str | dt.date:
    """A planning as validate reads it: a date, a quarter (Q3 2027), a year, a period
    (2024-2028), eind 2028, a deadline (uiterlijk 2028, tot 2030) or a frequency (jaarlijks,
    doorlopend). A lopende afspraak may have started before the period or aim past it: the
    gemeente's own words are kept."""
    if isinstance(value, dt.date):
        return value
    text = " ".join(str(value).split())
    if planning_span(text) is None:
        raise problem(
            f"{found(value)}: verwacht een datum (2027-12-31), kwartaal (Q3 2027), jaar (2027), "
            "periode (2024-2028), eind 2028, uiterlijk 2028, of hoe vaak (maandelijks, jaarlijks, "
            "doorlopend)"
        )
    return text


def _one_or_more(value: object) -> object:
    """A party or a list of parties (trekker: gemeente, or trekker: [gemeente, corporatie])."""
    return value if isinstance(value, list) else [value]


def _year_table(value: object) -> object:
    if not isinstance(value, dict):
        raise problem("verwacht per jaar een getal, bijv. {2025: 300, 2026: 620}")
    return value


def _milestone_year(value: object) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or not YEARS[0] <= value <= YEARS[1]:
        raise problem(f"{found(value)} is geen jaar")
    return value


def _spec(info: ValidationInfo):
    """The template spec the config is checked against (None: the shape only, as for the
    JSON Schema)."""
    return (info.context or {}).get("spec")


def _choice(list_name: str, synonyms: bool = False) -> BeforeValidator:
    """A value from one of the spec's lists (types, scopes, ...). With `synonyms` a synonym
    counts as its term (resultaatafspraak: written as its type)."""

    def check(value: object, info: ValidationInfo) -> str:
        text = _text(value)
        spec = _spec(info)
        if spec is None:
            return text
        if synonyms:
            text = spec.synonyms(list_name).get(text, text)
        allowed = spec.list_values(list_name)
        if text not in allowed:
            raise problem(f"{found(text)} is niet toegestaan (kies uit {', '.join(allowed)})")
        return text

    return BeforeValidator(check)


def _nummer(value: object, info: ValidationInfo) -> str:
    text = _text(value)
    spec = _spec(info)
    if spec is None:
        return text
    return _matching(
        text, spec.columns["nummer"].pattern, "verwacht themacode-volgnummer, bijv. BT-03"
    )


def _thema_code(value: object, info: ValidationInfo) -> str:
    code = _text(value)
    spec = _spec(info)
    known = [thema.code for thema in spec.themas] if spec is not None else None
    if known is not None and code not in known:
        raise problem(
            f"onbekend thema {found(code)}; kies uit {', '.join(known)} of geef code en naam "
            "van een eigen thema"
        )
    return code


def _pattern_schema(pattern: str) -> dict[str, str]:
    return {"pattern": f"^{pattern}$"}


Text = Annotated[str, BeforeValidator(_text)]
Kort = Annotated[
    str,
    BeforeValidator(_kort),
    Field(
        max_length=KORT_MAX,
        json_schema_extra=_pattern_schema(f"[^{re.escape(KORT_FORBIDDEN)}]+"),
        description="Korte naam, wordt deel van bladnamen (standaard: afgeleid van de naam).",
    ),
]
GemeenteCode = Annotated[
    str,
    BeforeValidator(_gemeente_code),
    Field(json_schema_extra=_pattern_schema(GEMEENTE_CODE), examples=["GM0344"]),
]
LNummer = Annotated[
    str,
    BeforeValidator(
        lambda v: _matching(_text(v), L_NUMMER, "verwacht L gevolgd door 4 cijfers, bijv. L1234")
    ),
    Field(json_schema_extra=_pattern_schema(L_NUMMER), examples=["L1234"]),
]
Year = Annotated[int, BeforeValidator(_year), Field(ge=YEARS[0], le=YEARS[1])]
Number = Annotated[int | float, BeforeValidator(_number)]
DayMonth = Annotated[
    str,
    BeforeValidator(_day_month),
    Field(
        json_schema_extra=_pattern_schema(
            r"[0-9]{1,2} (januari|februari|maart|april|mei|juni|juli|augustus|september"
            r"|oktober|november|december)"
        ),
        examples=["1 juli", "15 december"],
    ),
]
Planning = Annotated[
    str | dt.date,
    BeforeValidator(_planning),
    WithJsonSchema(
        {
            "type": ["string", "integer"],
            "description": "Een datum (2027-12-31), kwartaal (Q3 2027), jaar (2027), periode "
            "(2024-2028), eind 2028, of hoe vaak (maandelijks, jaarlijks, doorlopend).",
        }
    ),
]
Refs = Annotated[
    list[Text],
    BeforeValidator(_one_or_more),
    WithJsonSchema({"anyOf": [{"type": "string"}, {"type": "array", "items": {"type": "string"}}]}),
]
Mijlpalen = Annotated[
    dict[Annotated[int, BeforeValidator(_milestone_year)], Number],
    BeforeValidator(_year_table),
    WithJsonSchema(
        {
            "type": "object",
            "patternProperties": {"^[0-9]{4}$": {"type": "number"}},
            "additionalProperties": False,
            "description": "Per jaar wat dan bereikt moet zijn (cumulatief), "
            "bijv. {2025: 300, 2026: 620}.",
        }
    ),
]


# ---------------------------------------------------------------------------------------------
# The parts of a config.
# ---------------------------------------------------------------------------------------------


class Part(BaseModel):
    """A mapping in the config: unknown keys are refused (a typo would else go unseen)."""

    model_config = ConfigDict(extra="forbid", frozen=True)


class GemeenteModel(Part):
    """De gemeente."""

    naam: Text = Field(description="Naam van de gemeente, bijv. Voorbeeldstad.")
    code: GemeenteCode = Field(description="CBS-code: GM gevolgd door 4 cijfers, bijv. GM0344.")
    kort: Kort | None = None


class PeriodeModel(Part):
    """De jaren waarover de prestatieafspraken gaan (hoogstens 11 jaar)."""

    eerste_jaar: Year
    laatste_jaar: Year

    @field_validator("laatste_jaar")
    @classmethod
    def _after_first(cls, last: int, info: ValidationInfo) -> int:
        first = info.data.get("eerste_jaar")
        if first is not None and not first <= last <= first + 10:
            raise problem(f"{last} moet tussen {first} en {first + 10} liggen")
        return last


class TermijnenModel(Part):
    """Afgesproken termijnen in plaats van die van de wet of het advies, als dag en maand."""

    bod: DayMonth | None = Field(
        None,
        description=f"Wanneer het bod er is ({GROND_BOD}: {day_month(WETTELIJK.bod)}).",
    )
    afspraken: DayMonth | None = Field(
        None,
        description="Wanneer de afspraken getekend en gepubliceerd zijn "
        f"({GROND_AFSPRAKEN}: {day_month(WETTELIJK.afspraken)}).",
    )
    monitor: DayMonth | None = Field(
        None,
        description="Wanneer de monitorwerkboeken van vorig jaar terug zijn "
        f"({ADVIES}: {day_month(WETTELIJK.monitor)}).",
    )


class EigenThemaModel(Part):
    """Een eigen thema naast de standaardthema's."""

    code: Annotated[
        str,
        BeforeValidator(
            lambda v: _matching(
                _text(v), THEMA_CODE, "2 tot 4 hoofdletters of cijfers, bijv. BT of T1"
            )
        ),
        Field(json_schema_extra=_pattern_schema(THEMA_CODE)),
    ]
    naam: Text
    omschrijving: Text | None = None


# Tags name the branch of a choice in pydantic's error locations; they are no keys of the YAML.
THEMA_TAG, EIGEN_TAG, ONE_TAG, LIST_TAG = "‹code›", "‹eigen›", "‹een›", "‹lijst›"
TAGS = {THEMA_TAG, EIGEN_TAG, ONE_TAG, LIST_TAG, "[key]"}

ThemaKeuze = Annotated[
    Annotated[str, BeforeValidator(_thema_code), Tag(THEMA_TAG)]
    | Annotated[EigenThemaModel, Tag(EIGEN_TAG)],
    Discriminator(lambda v: THEMA_TAG if isinstance(v, str) else EIGEN_TAG),
]


class HuurdersModel(Part):
    """Een huurdersorganisatie."""

    naam: Text
    kort: Kort | None = None


class CorporatieModel(Part):
    """Een woningcorporatie, met haar huurdersorganisatie(s); sommige hebben er geen."""

    naam: Text
    kort: Kort | None = None
    l_nummer: LNummer = Field(description="Nummer bij de Autoriteit woningcorporaties.")
    huurdersorganisatie: (
        Annotated[
            Annotated[HuurdersModel, Tag(ONE_TAG)]
            | Annotated[
                list[HuurdersModel], Tag(LIST_TAG), Field(json_schema_extra={"minItems": 1})
            ],
            Discriminator(lambda v: LIST_TAG if isinstance(v, list) else ONE_TAG),
        ]
        | None
    ) = Field(
        None,
        description="Een huurdersorganisatie, of een lijst als het er meer zijn; weglaten als "
        "de corporatie er geen heeft.",
    )

    @field_validator("huurdersorganisatie")
    @classmethod
    def _at_least_one(cls, value: object) -> object:
        if value == []:
            raise problem(
                "noem minstens een huurdersorganisatie, of laat de sleutel weg als de "
                "corporatie er geen heeft"
            )
        return value


class VerbandModel(Part):
    """Een samenwerkingsverband van corporaties: een eigen partij in hun werkboeken."""

    naam: Text
    kort: Kort | None = None
    corporaties: list[Text] = Field(description="De korte namen van minstens twee corporaties.")


class FederatieModel(Part):
    """Een federatie (koepel) van huurdersorganisaties die de huurders van een of meer
    corporaties vertegenwoordigt, naast hun eigen huurdersorganisaties: een eigen partij in
    hun werkboeken, die tekent zoals een huurdersorganisatie."""

    naam: Text
    kort: Kort | None = None
    corporaties: list[Text] = Field(
        description="De korte namen van de corporaties wier huurders zij vertegenwoordigt."
    )


class PartnerModel(Part):
    """Een partner die voor een of meer thema's tekent (rol overig)."""

    naam: Text
    kort: Kort | None = None
    themas: list[Text] = Field(description="De themacodes waarvoor de partner tekent.")


class LopendModel(Part):
    """Een afspraak uit eerdere jaren die doorloopt (going concern)."""

    nummer: Annotated[str, BeforeValidator(_nummer)] = Field(
        description="Themacode en volgnummer, bijv. BT-03.", examples=["BT-03"]
    )
    bronnummer: Text | None = None
    corporatie: Text | list[Text] | None = Field(
        None,
        description="Korte naam van een corporatie, een lijst van corporaties (3 van de 7), "
        "of alle (standaard).",
    )
    partij: Text = Field(
        description="Een rol (gemeente, corporatie, huurdersorganisatie) of de "
        "korte naam van een partner, samenwerkingsverband of huurdersfederatie."
    )
    afspraak: Text
    type: Annotated[str, _choice("types", synonyms=True)]
    trekker: Refs | None = None
    betrokken: Refs | None = None
    scope: Annotated[str, _choice("scopes")] | None = None
    kern: Text | None = None
    kader: Text | None = None
    doelsoort: Annotated[str, _choice("doelsoorten")] | None = None
    mijlpalen: Mijlpalen | None = None
    indicator: Text | None = Field(
        None, description="Een standaardindicator (naam of code, bijv. BS01) of een eigen."
    )
    eenheid: Annotated[str, _choice("eenheden")] | None = None
    nulmeting: Number | None = None
    nulmeting_jaar: Year | None = None
    streefwaarde: Number | None = None
    streefwaarde_tot: Number | None = Field(
        None,
        description="Bij een bandbreedte (1.900 tot 2.500): de bovengrens; streefwaarde is dan "
        "de ondergrens.",
    )
    referentie: Text | None = Field(
        None,
        description="Bij een doel zonder getal: waartegen het gemeten wordt, bijv. inflatie of "
        "landelijk gemiddelde. Geen streefwaarde dan; doelsoort zegt de richting (maximaal: "
        "niet meer dan).",
    )
    doeltermijn: Annotated[str, _choice("doeltermijnen")] | None = Field(
        None,
        description="per jaar (elk jaar van de planning opnieuw) of in totaal over de planning "
        "(standaard).",
    )
    planning: Planning | None = None
    bijdrage: Number | None = None
    aandelen: dict[Text, Number] | None = Field(
        None,
        description="Bij een doel van de corporaties samen (scope alle corporaties): het deel "
        "dat een corporatie op zich neemt, per corporatie (korte of volledige naam), bijv. "
        "{Tiwos: 375} van samen 1.500. Telt niet op bij het gezamenlijke doel.",
        examples=[{"Tiwos": 375, "TBV Wonen": 500}],
    )


class ConfigModel(Part):
    """Een gemeenteconfig van pa-sheets: de gemeente, de periode, de partijen, de thema's en
    de afspraken die doorlopen."""

    model_config = ConfigDict(extra="forbid", frozen=True, title="pa-sheets gemeenteconfig")

    spec_versie: Annotated[str, BeforeValidator(_spec_version)] | None = Field(
        None,
        description='De spec waarvoor deze config geschreven is, bijv. "1.2": een '
        "indicatorcode betekent wat zij toen betekende (VD04 in 1.2: woningen met "
        "zonnepanelen). Weglaten: de huidige spec.",
    )
    gemeente: GemeenteModel
    periode: PeriodeModel
    termijnen: TermijnenModel | None = None
    themas: list[ThemaKeuze] | None = Field(
        None,
        description="Weglaten voor alle standaardthema's; anders de codes, en eventueel eigen "
        "thema's met code en naam.",
    )
    corporaties: Annotated[list[CorporatieModel], Field(json_schema_extra={"minItems": 1})]
    samenwerkingsverbanden: list[VerbandModel] | None = None
    huurdersfederaties: list[FederatieModel] | None = None
    partners: list[PartnerModel] | None = None
    lopende_afspraken: list[LopendModel] | None = None

    @field_validator("themas")
    @classmethod
    def _themas_named_once(cls, themas: list | None) -> list | None:
        if themas is None:
            return None
        codes = [t if isinstance(t, str) else t.code for t in themas]
        if not codes:
            raise problem("noem minstens een thema")
        if len(set(codes)) != len(codes):
            raise problem("een themacode komt twee keer voor")
        return themas

    @field_validator("corporaties")
    @classmethod
    def _at_least_one(cls, corporaties: list) -> list:
        if not corporaties:
            raise problem("noem minstens een corporatie")
        return corporaties


# ---------------------------------------------------------------------------------------------
# Mistakes, in Dutch, with their key path and line.
# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class CellRef:
    """Where a value of a set-up workbook stands: its sheet, its cell and the header of its
    column (or label of its row); `rank` orders the cells as the workbook does."""

    sheet: str
    cell: str
    label: str
    rank: tuple[int, int, int]

    def __str__(self) -> str:
        return f"blad {self.sheet}, cel {self.cell} ({self.label})"


@dataclass(frozen=True)
class Problem:
    path: str  # corporaties[1].l_nummer, or (bovenaan)
    message: str
    line: int | None  # in the YAML file; None when the text has no lines (never in practice)
    cell: CellRef | None = None  # in a set-up workbook (spec/opzet.py): the cell instead

    def __str__(self) -> str:
        if self.cell is not None:
            return f"{self.cell}: {self.message}."
        where = f"regel {self.line}: " if self.line else ""
        return f"{where}{self.path}: {self.message}."

    @property
    def order(self) -> tuple:
        """Problems are listed in the order of the file: by line, or by sheet and cell."""
        if self.cell is not None:
            return (0, 0, self.cell.rank)
        return (self.line is None, self.line or 0, ())


def located(data: object, lines: dict[tuple, Any], loc: tuple, message: str) -> Problem:
    """A problem at `loc`, placed at the line (YAML) or cell (set-up workbook) `lines` gives
    for it or for the nearest key around it."""
    where = line_of(lines, loc)
    if isinstance(where, CellRef):
        if message in ("ontbreekt", "ontbreekt of is leeg"):
            message = "deze cel is leeg; vul hem in"
        return Problem(key_path(data, loc), message, None, where)
    return Problem(key_path(data, loc), message, where)


def key_path(data: object, loc: tuple) -> str:
    """`corporaties[1].l_nummer`, `lopende_afspraken[0].mijlpalen.2024`: a list's entries by
    index, a mapping's by key (also a year key, which is a number)."""
    text = ""
    for part in loc:
        if isinstance(data, list) and isinstance(part, int):
            text += f"[{part}]"
            data = data[part] if 0 <= part < len(data) else None
        else:
            text += f".{part}" if text else str(part)
            data = data.get(part) if isinstance(data, dict) else None
    return text or "(bovenaan)"


def line_of(lines: dict[tuple, Any], loc: tuple) -> Any:
    """The line of the key at `loc`, or of the nearest key around it (a missing key: the line
    of the mapping that lacks it)."""
    for end in range(len(loc), -1, -1):
        if loc[:end] in lines:
            return lines[loc[:end]]
    return None


def _unwrap(kind: Any) -> Any:
    """The type inside Annotated[...] and inside X | None."""
    while True:
        if get_origin(kind) is Annotated:
            kind = get_args(kind)[0]
        elif get_origin(kind) is not None and type(None) in get_args(kind):
            kind = next(arg for arg in get_args(kind) if arg is not type(None))
        else:
            return kind


def _model_at(loc: tuple) -> type[BaseModel] | None:
    """The model of the mapping at pydantic's location `loc` (tags included): to name the keys
    it allows."""
    kind: Any = ConfigModel
    for part in loc:
        kind = _unwrap(kind)
        if isinstance(kind, type) and issubclass(kind, BaseModel) and part in kind.model_fields:
            kind = kind.model_fields[part].annotation
        elif get_origin(kind) is list and isinstance(part, int):
            kind = get_args(kind)[0]
        else:  # a tagged choice: the branch whose Tag the location names
            kind = next(
                (
                    branch
                    for branch in get_args(kind)
                    if get_origin(branch) is Annotated
                    and any(getattr(m, "tag", None) == part for m in branch.__metadata__)
                ),
                None,
            )
            if kind is None:
                return None
    kind = _unwrap(kind)
    return kind if isinstance(kind, type) and issubclass(kind, BaseModel) else None


def _message(error: ErrorDetails, full_loc: tuple) -> str:
    kind = error["type"]
    if kind == "pa_sheets":
        return str(error.get("ctx", {}).get("melding", error["msg"]))
    if kind == "missing":
        return "ontbreekt"
    if kind == "extra_forbidden":
        model = _model_at(full_loc[:-1])
        allowed = ", ".join(model.model_fields) if model else ""
        return f"onbekende sleutel (toegestaan: {allowed})"
    if error.get("input") is None:
        return "ontbreekt of is leeg"
    if kind in ("model_type", "model_attributes_type", "dict_type"):
        return "verwacht sleutels met waarden (een mapping)"
    if kind in ("list_type", "tuple_type"):
        return "verwacht een lijst"
    return error["msg"]


def problems_in(error: ValidationError, data: object, lines: dict[tuple, Any]) -> list[Problem]:
    """Every mistake pydantic found, in the order of the file."""
    found = []
    for item in error.errors(include_url=False):
        loc = tuple(part for part in item["loc"] if part not in TAGS)
        found.append(located(data, lines, loc, _message(item, item["loc"])))
    return found


def check_shape(
    data: dict, lines: dict[tuple, Any], spec: object
) -> tuple[ConfigModel | None, list[Problem]]:
    """The config as the model reads it, or None with every mistake in its shape."""
    try:
        return ConfigModel.model_validate(data, context={"spec": spec}), []
    except ValidationError as error:
        return None, problems_in(error, data, lines)


# ---------------------------------------------------------------------------------------------
# The JSON Schema for editors.
# ---------------------------------------------------------------------------------------------


def json_schema() -> dict:
    """The JSON Schema of a config, with the choices of the standard spec filled in."""
    from pa_sheets.spec.model import load_spec

    schema = ConfigModel.model_json_schema()
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    spec = load_spec()
    lopend = schema["$defs"]["LopendModel"]["properties"]
    for key, list_name in (
        ("type", "types"),
        ("scope", "scopes"),
        ("doelsoort", "doelsoorten"),
        ("doeltermijn", "doeltermijnen"),
        ("eenheid", "eenheden"),
    ):
        values = spec.list_values(list_name)
        if key == "type":
            values = [*values, *spec.synonyms(list_name)]
        target = lopend[key]
        options = target["anyOf"][0] if "anyOf" in target else target
        options["enum"] = values
    nummer = spec.columns["nummer"].pattern or ""
    lopend["nummer"]["pattern"] = nummer if nummer.startswith("^") else f"^{nummer}$"
    # A thema named by its code is one of the standard themes; an own one has code and naam.
    choice = schema["properties"]["themas"]["anyOf"][0]["items"]["oneOf"][0]
    choice["enum"] = [thema.code for thema in spec.themas]
    return schema


def schema_text() -> str:
    return json.dumps(json_schema(), ensure_ascii=False, indent=2) + "\n"


def main() -> None:
    """Write schemas/config.schema.json (or the path given) from the model."""
    target = Path(sys.argv[1]) if len(sys.argv) > 1 else SCHEMA_FILE
    target.write_text(schema_text(), encoding="utf-8")
    print(f"Geschreven: {target}")


if __name__ == "__main__":
    main()
