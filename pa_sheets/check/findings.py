"""Findings: what validation says about a returned workbook, each pointing at a sheet and cell.

Every finding has a stable code from CODES, with its severity and a Dutch message that says what
is wrong and what to do. Validation failures are results, never exceptions: a FileReport holds
the findings of one file, a Report those of a whole run.
"""

from dataclasses import asdict, dataclass, field
from pathlib import Path

from pa_sheets.numbers import shown

ERROR, WARNING = "error", "warning"
NOTHING_FILLED_IN = "S040"  # a workbook as it was sent: said once, and in the verdict
# What a report says once when no config was given (validate --config; check/source.py).
OWN_RECORD_ONLY = (
    "Let op: vaste teksten, partijen en ondertekening zijn alleen vergeleken met wat elk "
    "werkboek zelf vastlegt. Geef --config (de config van de gemeente) of --verzonden (de map "
    "met de verzonden werkboeken) om ze met de bron te vergelijken."
)

# code: (severity, message template). Templates use the finding's fields ({value}, {column})
# and extra details passed to finding(). Codes are stable: tools and people refer to them.
CODES: dict[str, tuple[str, str]] = {
    # Structure: can the workbook be read as it was made?
    "S001": (
        ERROR,
        "Het tabblad {sheet!r} ontbreekt. Zet het terug of gebruik het werkboek "
        "dat de gemeente heeft gestuurd.",
    ),
    "S002": (
        WARNING,
        "Dit tabblad heette {value!r}. De gegevens zijn gelezen; geef het "
        "tabblad zijn oude naam terug.",
    ),
    "S003": (
        WARNING,
        "Extra tabblad: de inhoud wordt niet verwerkt. Zet afspraken op het "
        "tabblad van hun thema en partij.",
    ),
    "S010": (
        ERROR,
        "Het blok {value!r} is niet gevonden: de kopregel is gewijzigd of "
        "verwijderd. Zet de kopregel terug.",
    ),
    "S011": (ERROR, "De kolom {column!r} ontbreekt of de kop is gewijzigd. Zet de kop terug."),
    "S012": (
        WARNING,
        "Kolommen staan op een andere plaats ({value}). De gegevens zijn op de kop "
        "gelezen; zet de kolommen liever terug.",
    ),
    "S013": (WARNING, "Onbekende kolom {value!r}: de inhoud wordt niet verwerkt."),
    "S020": (
        WARNING,
        "Deze regel staat tussen twee blokken en wordt niet verwerkt. Hoort hij bij "
        "een afspraak, zet hem dan in het blok zelf.",
    ),
    "S030": (
        ERROR,
        "Het werkboek heeft een koppeling naar een ander bestand ({value}). pa-sheets volgt "
        "die niet; verbreek de koppeling (Gegevens > Koppelingen bewerken) en stuur het opnieuw.",
    ),
    "S040": (
        WARNING,
        "Er is niets ingevuld: elke cel die de partijen invullen is leeg. Is dit het werkboek "
        "zoals het verstuurd is? Stuur het naar de partijen om in te vullen, of vraag om het "
        "ingevulde werkboek.",
    ),
    # Values, per cell.
    "V001": (ERROR, "Dit veld is verplicht maar leeg. Vul het in."),
    "V002": (ERROR, "{value!r} is geen getal. Vul een getal in, zonder tekst."),
    "V003": (ERROR, "{value} ligt buiten het toegestane bereik ({detail})."),
    "V004": (ERROR, "{value!r} staat niet in de keuzelijst. Kies uit: {detail}."),
    "V005": (ERROR, "De tekst is {detail} tekens lang; hoogstens {limit} mag."),
    "V006": (
        ERROR,
        "{value!r} is geen geldig nummer. Gebruik de themacode, een streepje en "
        "een volgnummer, bijv. {detail}-03.",
    ),
    "V007": (
        ERROR,
        "{value!r} is geen planning. Schrijf een datum (31-12-2027), een kwartaal "
        "(Q3 2027), een jaar (2027), een periode (2024-2028), een termijn (uiterlijk 2028, "
        "tot 2030) of hoe vaak (jaarlijks).",
    ),
    "V008": (ERROR, "{value!r} is geen datum. Schrijf bijv. 31-12-2027."),
    "V009": (
        ERROR,
        "Bij status {value!r} is een toelichting verplicht: wat gaat er mis en "
        "wat wordt eraan gedaan?",
    ),
    "V010": (ERROR, "In deze cel staat een formule. Vul hier een waarde in."),
    "V011": (ERROR, "{value!r} is geen geheel getal."),
    "V012": (
        ERROR,
        "De tekst bevat {detail}: onzichtbaar, maar het verandert hoe de tekst wordt getoond "
        "of laat twee verschillende teksten gelijk lijken. Typ de tekst opnieuw, zonder dit teken.",
    ),
    "V013": (
        ERROR,
        "{value!r} is het nummer van een afspraak, geen tijd. Schrijf hier wanneer: een datum "
        "(31-12-2027), een kwartaal (Q3 2027) of een jaar (2027); noem de afspraak in de tekst.",
    ),
    # Tolerated: read, but said.
    "T001": (
        WARNING,
        "{value!r} is als tekst ingevuld en gelezen als {detail}. Vul getallen in als getal.",
    ),
    "T002": (WARNING, "{value!r} is gelezen als {detail!r} uit de keuzelijst."),
    "T003": (WARNING, "{value!r} is als tekst ingevuld en gelezen als de datum {detail}."),
    "T004": (
        WARNING,
        "De cel is opgemaakt als percentage en bevat {value}; gelezen als {detail} (procent). "
        "Vul percentages in als getal, bijv. 95 voor 95%.",
    ),
    # Across cells and sheets.
    "X001": (
        ERROR,
        "Nummer {value} komt vaker voor in dit werkboek (ook op {detail}). "
        "Geef elke afspraak een eigen nummer (in een basisbod: per gemeente).",
    ),
    "X002": (ERROR, "{value!r} is geen partij van dit werkboek. Kies uit: {detail}."),
    "X003": (ERROR, "{detail} ligt buiten de periode van de afspraken ({limit})."),
    "X004": (
        ERROR,
        "Het jaar van de nulmeting ({value}) ligt niet voor het jaar van de planning ({detail}).",
    ),
    "X005": (
        ERROR,
        "De vaste tekst van lopende afspraak {nummer} is gewijzigd{detail}. Zet hem terug; "
        "een wijziging bespreekt u als nieuwe afspraak.",
    ),
    "X006": (
        ERROR,
        "Lopende afspraak {value} ontbreekt. Zet de regel terug en vul de voortgang in.",
    ),
    "X007": (
        ERROR,
        "Het blad Investeringen toont {value} voor {detail}, maar de tabbladen "
        "tellen op tot {limit}. Herstel de formule.",
    ),
    "X016": (
        ERROR,
        "De planning ({value}) ligt na de periode van de afspraken ({limit}). Is het een ambitie "
        "voor de lange termijn (aardgasvrij in 2050), zet die dan als kader in de kolom Kader: "
        "met een kader mag deze planning blijven staan. Anders: een planning binnen de periode.",
    ),
    "X010": (
        WARNING,
        "Nummer {value} hoorde vorig jaar bij een afspraak die {detail} is (zie het "
        "voorblad). Geef een nieuwe afspraak een eigen nummer.",
    ),
    # Across the workbooks of a merge.
    "X020": (
        ERROR,
        "Lopende afspraak {nummer} staat ook in andere werkboeken, maar {column} is hier "
        "{found} en daar anders ({detail}). Een gedeelde afspraak is voor iedereen dezelfde: "
        "zet de vaste tekst terug zoals de gemeente hem stuurde.",
    ),
    "X021": (
        ERROR,
        "Lopende afspraak {value} is volgens de gemeente voor alle corporaties en staat in de "
        "werkboeken van {detail}, maar niet in dit werkboek. Zet de regel terug.",
    ),
    # Checked against the source: the gemeente's config (--config) or the workbook as sent
    # (--verzonden), not the workbook's own record; {limit} names the source.
    "X011": (
        ERROR,
        "De vaste tekst van lopende afspraak {nummer} is niet wat de gemeente stuurde: er staat "
        "{found}; volgens {limit} hoort er {detail} te staan. Zet hem terug; "
        "een wijziging bespreekt u als nieuwe afspraak.",
    ),
    "X012": (
        ERROR,
        "Lopende afspraak {value} uit {limit} ontbreekt op dit tabblad. Zet "
        "de regel terug zoals de gemeente hem stuurde en vul de voortgang in.",
    ),
    "X013": (
        ERROR,
        "Lopende afspraak {value} staat niet in {limit}. Zet een nieuwe "
        "afspraak in het blok met nieuwe afspraken.",
    ),
    "X014": (
        ERROR,
        "In _meta staat bij {column} {value!r}, maar {limit} zegt {detail!r}. "
        "Gebruik het werkboek dat de gemeente stuurde.",
    ),
    "X015": (
        ERROR,
        "Dit werkboek hoort niet bij {limit}: het noemt {value}; daar staat: {detail}."
        " Het is voor een andere gemeente of corporatie gemaakt, of omgelabeld; "
        "gebruik het werkboek dat de gemeente stuurde.",
    ),
    # A basisbod: one bod for several gemeenten.
    "X008": (
        ERROR,
        "{value!r} is geen gemeente van dit basisbod. Kies 'alle' of een code: {detail}.",
    ),
    "X009": (
        ERROR,
        "Deze rij is voor {value}, maar {detail}. Kies 'alle' of een andere gemeente.",
    ),
    # Plausibility: a number that cannot be right, or is unlikely to be.
    "P001": (
        ERROR,
        "{value} ligt buiten het bereik van {detail} ({limit}). Controleer de waarde en de "
        "eenheid.",
    ),
    "P002": (ERROR, "{value} is geen heel aantal {detail}. Vul een geheel getal in."),
    "P003": (
        ERROR,
        "De indicator {value!r} wordt gemeten in {detail}, niet in {limit!r}. Kies de eenheid "
        "{detail}, of een eigen indicator.",
    ),
    "P004": (
        ERROR,
        "Het jaar van de nulmeting ({value}) ligt na {detail}, het jaar van dit werkboek: een "
        "nulmeting is al gemeten.",
    ),
    "P005": (
        WARNING,
        "De planning ({value}) ligt voor {detail}, het jaar van de jaarschijf. Is de afspraak "
        "al klaar, of hoort er een later jaar bij?",
    ),
    "P006": (
        WARNING,
        "Status {value!r}, maar de realisatie ({detail}) haalt de streefwaarde ({limit}) niet. "
        "Controleer de status of de realisatie.",
    ),
    "P007": (
        WARNING,
        "Status {value!r}, maar de realisatie ({detail}) haalt de streefwaarde ({limit}) al. "
        "Controleer de status of de realisatie.",
    ),
    "P008": (
        WARNING,
        "De realisatie ({value}) en de streefwaarde ({detail}) verschillen meer dan 100 keer. "
        "Controleer beide en de eenheid.",
    ),
    "P009": (WARNING, "€ {value} is meer dan 1 miljard euro. Controleer het bedrag."),
    "P010": (
        WARNING,
        "Nummer {value} hoort niet bij het thema van dit tabblad ({detail}). Geef de afspraak "
        "een nummer als {detail}-07, of zet haar op het tabblad van haar thema.",
    ),
    "P011": (
        WARNING,
        "Lopende afspraak {value} heeft geen status. Vul de voortgang in met de keuzelijst.",
    ),
    # The monitoring round (a monitor workbook): every afspraak reported on, measured in the round.
    "R001": (
        ERROR,
        "Afspraak {value} heeft een indicator maar geen realisatie. Vul de gemeten waarde in "
        "(bij een gedeelde afspraak alleen de bijdrage van uw corporatie).",
    ),
    "R002": (
        ERROR,
        "Afspraak {value} heeft geen status. Kies de status uit de keuzelijst (groen, oranje, "
        "rood, ...).",
    ),
    "R003": (
        ERROR,
        "Bij de realisatie van afspraak {value} hoort een peildatum: de datum waarop zij "
        "gemeten is, bijv. {detail}.",
    ),
    "R004": (
        ERROR,
        "De peildatum {value} ligt buiten de monitoringronde: van {detail} tot en met {limit}. "
        "Meet op het eind van het jaar van de afspraken of in de eerste helft van het jaar erna.",
    ),
    "P012": (
        WARNING,
        "{value!r} is geschreven als de code van een standaardindicator, maar die code bestaat "
        "niet. {detail}Kies de indicator uit de keuzelijst, of geef een eigen indicator een "
        "naam en een eenheid.",
    ),
    # Ondertekening (spec 1.4): who agrees, and who signs.
    "O001": (
        ERROR,
        "Bij {value!r} hoort het voorbehoud in woorden. Vul de kolom Voorbehoud in, of kies "
        "'akkoord'.",
    ),
    "O002": (
        ERROR,
        "{value} heeft gekozen voor {detail!r}, maar niet wie tekent. Vul de naam in.",
    ),
    "O003": (
        ERROR,
        "{value} heeft gekozen voor {detail!r}, maar zonder datum. Vul de datum van "
        "ondertekening in.",
    ),
    "O004": (
        ERROR,
        "De datum {value} ligt niet in {detail} of {limit}: de afspraken voor {limit} worden "
        "eind {detail} getekend (te laat kan nog, in {limit}). Controleer het jaar.",
    ),
    "O005": (
        WARNING,
        "De datum {value} ligt na {detail}: de corporatie publiceert de afspraken uiterlijk "
        "{detail} ({limit}). Te laat getekend kan nog gepubliceerd worden; klopt de datum?",
    ),
    "O006": (
        ERROR,
        "{value!r} is geen thema van dit werkboek. Noem themacodes, gescheiden door komma's: "
        "{detail}.",
    ),
    "O007": (
        ERROR,
        "Alleen de huurdersorganisatie kan thema's noemen die zij niet mee tekent (Handreiking, "
        "hoofdstuk 2); {value} tekent de afspraken of niet. Maak de cel leeg.",
    ),
    "O008": (
        WARNING,
        "Er staat een voorbehoud, maar de keuze is {value!r}. Kies 'akkoord met voorbehoud', of "
        "haal het voorbehoud weg.",
    ),
    "O009": (
        WARNING,
        "{value} heeft een naam of datum ingevuld, maar niet gekozen of het akkoord is. Kies "
        "in de kolom Akkoord.",
    ),
    "O010": (
        ERROR,
        "{value!r} staat niet in de keuzelijst. Kies uit: {detail}; leeg zolang er onderhandeld "
        "wordt.",
    ),
    "O011": (
        ERROR,
        "De rij van {value} ontbreekt op de Ondertekening. Zet de rij terug zoals de gemeente "
        "hem stuurde; zonder die rij is het werkboek niet getekend.",
    ),
    "O012": (
        ERROR,
        "{value} staat meer dan eens op de Ondertekening (ook op regel {detail}). Elke partij "
        "heeft één rij; haal de kopie weg.",
    ),
    "O013": (
        ERROR,
        "In deze vaste cel staat {value!r}, maar de gemeente stuurde {detail}. Zet de gestuurde "
        "tekst terug; zo is het werkboek niet getekend.",
    ),
    # The forms of a target (spec 1.5): a bandbreedte, a target relative to a reference, per
    # jaar or in totaal (spec/targets.py says which mistake is which).
    "D001": (
        ERROR,
        "Streefwaarde tot ({value}) ligt onder de streefwaarde ({detail}). Bij een bandbreedte "
        "is de Streefwaarde de ondergrens en Streefwaarde tot de bovengrens, bijv. 1.900 tot "
        "2.500.",
    ),
    "D002": (
        ERROR,
        "Bij een bandbreedte horen twee getallen: de ondergrens in Streefwaarde en de "
        "bovengrens in Streefwaarde tot. Vul {column} in, of kies een andere 'Streefwaarde is'.",
    ),
    "D003": (
        ERROR,
        "Streefwaarde tot ({value}) hoort bij een bandbreedte, maar de streefwaarde is "
        "{detail!r}. Kies bij 'Streefwaarde is' bandbreedte, of maak Streefwaarde tot leeg.",
    ),
    "D004": (
        ERROR,
        "Dit doel geldt ten opzichte van {detail!r} en heeft dus geen getal: maak {column} "
        "leeg. Is er wel een getal, maak dan 'Ten opzichte van' leeg.",
    ),
    "D005": (
        WARNING,
        "{detail} is een stand (een voorraad op een peildatum), geen hoeveelheid per jaar. "
        "Kies 'in totaal' of laat 'Streefwaarde geldt' leeg; per jaar past bij een stroom "
        "(opgeleverd, toegewezen).",
    ),
    "D006": (
        WARNING,
        "Waarde referentie ({value}) zonder iets om ten opzichte van te meten: deze afspraak "
        "heeft geen 'Ten opzichte van'. De waarde wordt niet gebruikt.",
    ),
    # SMART: the Handreiking asks every afspraak to say who does what, and when.
    "M001": (WARNING, "Nieuwe afspraak zonder trekker: welke partij trekt dit?"),
    "M002": (WARNING, "Nieuwe afspraak zonder planning: wanneer is het klaar?"),
    "M003": (
        WARNING,
        "Nieuwe afspraak zonder meetbaar doel: een {detail} vraagt om een indicator en een "
        "streefwaarde. Vul ze in.",
    ),
    "M004": (
        WARNING,
        "Planning {value!r} zegt niet wanneer het klaar is. Schrijf een datum, kwartaal, jaar, "
        "periode (2024-2028), eind 2028, uiterlijk 2028 of hoe vaak (maandelijks, jaarlijks, "
        "doorlopend).",
    ),
}


@dataclass(frozen=True)
class Finding:
    severity: str
    code: str
    message: str
    sheet: str | None = None
    cell: str | None = None
    row: int | None = None
    column: str | None = None
    value: object = None

    def to_dict(self) -> dict[str, object]:
        return {
            "severity": self.severity,
            "code": self.code,
            "sheet": self.sheet,
            "cell": self.cell,
            "row": self.row,
            "column": self.column,
            "value": _json_value(self.value),
            "message": self.message,
        }


@dataclass(frozen=True)
class PartySigning:
    """One party's row of the Ondertekening: its fields as the sheet's columns name them (and
    the JSON report and an overview's `_bronnen` write them, in this order)."""

    partij: str | None
    rol: str | None
    tekent_voor: str | None
    akkoord: str | None  # None: not chosen yet
    datum: str | None  # ISO, 2026-12-10
    naam: str | None
    functie: str | None
    voorbehoud: str | None
    niet_getekend: tuple[str, ...] = ()  # the themas this party does not sign

    def to_dict(self) -> dict[str, object]:
        return {**asdict(self), "niet_getekend": list(self.niet_getekend)}


@dataclass(frozen=True)
class Signing:
    """Who agreed, and whether the workbook is getekend: every party chose an akkoord that
    signs, and the Ondertekening has no errors."""

    signed: bool
    parties: tuple[PartySigning, ...]


def cell_name(row: int, col: int) -> str | None:
    """'C7' for Excel row 7 (1-based) and column 2 (0-based); None outside the sheet. Written
    out here rather than imported from xlsxwriter, whose import slows down `validate`'s start."""
    if row < 1 or col < 0:
        return None
    letters = ""
    col += 1
    while col:
        col, rest = divmod(col - 1, 26)
        letters = chr(ord("A") + rest) + letters
    return f"{letters}{row}"


def finding(
    code: str,
    *,
    sheet: str | None = None,
    row: int | None = None,
    col: int | None = None,
    column: str | None = None,
    value: object = None,
    **details: object,
) -> Finding:
    """A finding of `code`; `row` is the Excel row (1-based), `col` the 0-based column."""
    severity, template = CODES[code]
    cell = cell_name(row, col) if row is not None and col is not None else None
    details = {key: shown(detail) for key, detail in details.items()}  # numbers the Dutch way
    message = template.format(sheet=sheet, column=column, value=shown(value), **details)
    return Finding(severity, code, message, sheet, cell, row, column, value)


@dataclass
class FileReport:
    """The outcome for one file: its template, its findings, or why it could not be used."""

    path: Path
    template: dict[str, object] | None = None
    findings: list[Finding] = field(default_factory=list)
    unusable: str | None = None  # the Dutch reason, when the file could not be read at all
    # The Ondertekening; None for a workbook without one (a bod, or a jaarschijf made before
    # spec 1.4).
    signing: Signing | None = None

    @property
    def getekend(self) -> bool:
        """Every party signed (akkoord, or akkoord met voorbehoud)."""
        return self.signing is not None and self.signing.signed

    @property
    def empty(self) -> bool:
        """Nothing is filled in (S040): valid, but not a returned workbook yet."""
        return any(f.code == NOTHING_FILLED_IN for f in self.findings)

    @property
    def errors(self) -> list[Finding]:
        return [f for f in self.findings if f.severity == ERROR]

    @property
    def warnings(self) -> list[Finding]:
        return [f for f in self.findings if f.severity == WARNING]

    def valid(self, strict: bool = False) -> bool:
        return self.unusable is None and not self.errors and not (strict and self.warnings)

    def to_dict(self, strict: bool = False) -> dict[str, object]:
        return {
            "path": str(self.path),
            "valid": self.valid(strict),
            "unusable": self.unusable,
            "template": self.template,
            "getekend": self.getekend if self.signing is not None else None,
            "ondertekening": (
                [party.to_dict() for party in self.signing.parties]
                if self.signing is not None
                else None
            ),
            "findings": [f.to_dict() for f in self.findings],
        }


@dataclass
class Report:
    files: list[FileReport]
    strict: bool = False
    config: Path | None = None  # the gemeente's config the workbooks were compared with
    sent: Path | None = None  # the folder of the workbooks as sent (--verzonden), if given

    @property
    def source_note(self) -> str | None:
        """What the report says once about what fixed texts were compared with: None when
        they were compared with the config or the sent workbooks."""
        return None if self.config is not None or self.sent is not None else OWN_RECORD_ONLY

    @property
    def exit_code(self) -> int:
        """0 all valid, 1 findings that count, 2 a file could not be used at all."""
        if any(f.unusable for f in self.files):
            return 2
        return 0 if all(f.valid(self.strict) for f in self.files) else 1

    def to_dict(self) -> dict[str, object]:
        return {
            "files": [f.to_dict(self.strict) for f in self.files],
            # With what the fixed texts were compared: the config, or each workbook's own record.
            "bron": {
                "config": str(self.config) if self.config is not None else None,
                "verzonden": str(self.sent) if self.sent is not None else None,
                "melding": self.source_note,
            },
            "summary": {
                "files": len(self.files),
                "valid": sum(f.valid(self.strict) for f in self.files),
                "unusable": sum(f.unusable is not None for f in self.files),
                "errors": sum(len(f.errors) for f in self.files),
                "warnings": sum(len(f.warnings) for f in self.files),
                "strict": self.strict,
                "exit_code": self.exit_code,
            },
        }


def _json_value(value: object) -> object:
    if value is None or isinstance(value, bool | int | float | str):
        return value
    return str(value)
