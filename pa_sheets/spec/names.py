"""Names more than one step must agree on, defined here once: every step may import spec/.

The roles of the parties, the sheets by which pa-sheets tells its own overview and evaluation
from a returned workbook, and the headers of the bod's Investeringen sheet that the rule X007
finds its tables by. The names of a workbook's own sheets live with `_meta` (workbook/meta.py).
"""

# The roles a party of the afspraken can have; a workbook is made for one corporatie.
CORPORATIE = "corporatie"
HUURDERSORGANISATIE = "huurdersorganisatie"
# A federatie (koepel) of huurdersorganisaties that speaks for the tenants of several
# corporaties, next to their own huurdersorganisaties: a party of each of their workbooks, its
# afspraken shared (counted once, named by its name), its signature one the law asks.
HUURDERSFEDERATIE = "huurdersfederatie"
ROLES = ("gemeente", CORPORATIE, HUURDERSORGANISATIE, HUURDERSFEDERATIE, "overig")
# How a role is written where a spec (older ones, or one that does not name it) has no text.
ROLE_TEXTS = {HUURDERSFEDERATIE: "Huurdersfederatie"}
# The parties the law has sign the prestatieafspraken (Woningwet art. 44; a koepel of
# huurdersorganisaties is one in the sense of the Wet op het overleg huurders verhuurder): a
# partner (overig) signs for its own themes, and its missing signature does not stop publication.
SIGNING_ROLES = ("gemeente", CORPORATIE, HUURDERSORGANISATIE, HUURDERSFEDERATIE)
# The roles whose tabs hold what tenants agree to: a federatie has the blocks of the
# huurdersorganisatie's tab (the templates name that role).
TAB_ROLES = {HUURDERSFEDERATIE: HUURDERSORGANISATIE}
# The roles whose parties are named by their kort (not their role) in a workbook's tabs.
NAMED_ROLES = ("overig", HUURDERSFEDERATIE)
# A corporatie's own parties: their tabs are the corporatie's, not shared with the others.
OWN_ROLES = (CORPORATIE, HUURDERSORGANISATIE)

# The kinds of workbook whose afspraken carry a status, streefwaarde and realisatie: the
# jaarschijf, and the monitor of the round after it (the bod plans numbers per year).
PROGRESS_KINDS = ("jaarschijf", "monitor")

# Fixed columns of a lopende afspraak that are each workbook's own, not the shared afspraak's:
# copies of one afspraak in several workbooks differ in them and are still one afspraak.
OWN_FIXED_COLUMNS = frozenset({"aandeel"})

# The gezamenlijk overzicht (merge): its summary, and the very hidden lines of its sources.
SUMMARY_SHEET = "Samenvatting"
SOURCES_SHEET = "_bronnen"
# The evaluation (evaluate): its tables and charts, and the afspraken that ask attention.
EVALUATION_SHEET = "Evaluatie"
ATTENTION_SHEET = "Aandacht"

# The bod's Investeringen sheet: the corporatie's own investments per thema, then what it asks
# of the other parties, per party; each table ends in a row of totals.
OWN_INVESTMENTS_HEADER = "Thema"
ASKED_INVESTMENTS_HEADER = "Gevraagd van"
TOTAL_LABEL = "Totaal"

# Columns of an afspraak (keys, a per-year column by its base) that are for the screen: on
# paper a jaarschijf's tab and the overview's sheet per thema show who does what, the target and
# how it stands; these details follow them on screen, and their print ends before them.
SCREEN_ONLY_COLUMNS = frozenset(
    {"bronnummer", "soort", "type", "betrokken", "scope", "kern", "kader", "nulmeting"}
    | {"nulmeting_jaar", "doelsoort", "mijlpaal", "planning_van", "planning_tot", "bijdrage"}
    | {"status_vorig", "realisatie_vorig"}
    # The target forms of spec 1.5, after the columns of 1.4: an afspraak's text says "1.900
    # tot 2.500" or "niet meer dan de inflatie" on paper; these cells say it to the tools.
    | {"streefwaarde_tot", "referentie", "doeltermijn", "referentiewaarde"}
    # Spec 1.6: a corporatie's aandeel in a joint target, after all columns of 1.5.
    | {"aandeel"}
    # A bod's investment per afspraak and year: their sums per thema and year print on the
    # overview's sheet Investeringen.
    | {"investering"}
)
# On a monitor's tab (a party's own afspraken, reported on) also who leads and the planning stay
# on screen: on paper the afspraak, its target and what is reported, one page wide.
MONITOR_SCREEN_ONLY_COLUMNS = SCREEN_ONLY_COLUMNS | {"trekker", "planning"}
