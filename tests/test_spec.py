"""The template spec: the shipped one is consistent, and a broken one is refused by name."""

import shutil

import pytest

from pa_sheets.errors import SpecError
from pa_sheets.spec.model import default_spec_dir, load_spec


def test_shipped_spec(spec):
    assert spec.version == "1.6"
    # Spec 1.6 (issue 26): a corporatie's aandeel in a joint target, a column after all others,
    # locked wherever it stands (the config gives it).
    assert spec.columns["aandeel"].header == "Aandeel deze corporatie"
    assert spec.columns["aandeel"].in_eenheid
    for kind in ("jaarschijf", "monitor"):
        for block in spec.templates[kind].blocks:
            if "aandeel" in block.columns:
                assert block.columns[-1] == "aandeel" and "aandeel" in block.fixed
    # Spec 1.5 (issue 26): the target forms are new values and columns; the doelsoorten of
    # 1.4 keep their place and meaning, a bandbreedte comes after them.
    assert spec.list_values("doelsoorten") == [
        "minimaal",
        "maximaal",
        "ongeveer",
        "exact",
        "bandbreedte",
    ]
    assert spec.range_doelsoorten() == ("bandbreedte",)
    assert spec.list_values("doeltermijnen") == ["in totaal", "per jaar"]
    assert spec.yearly_doeltermijnen() == ("per jaar",)
    assert "inflatie" in spec.list_values("referenties")
    assert spec.columns["referentie"].open and spec.columns["streefwaarde_tot"].in_eenheid
    # Short enough to pick from; 1.4 added the measures real afspraken use (issue 17), and
    # issue 26 what gemeenten and corporaties measure besides (slaagkans, wachttijd, ...).
    assert 30 <= len(spec.indicators) <= 65
    # Issue 26: verkoop and liberalisatie are instruments; Housing First-plekken a capacity;
    # an amount per woning per maand is never summed.
    assert {spec.indicator(c).richting for c in ("BS05", "BS06")} == {"neutraal"}
    assert spec.indicator("AG08").soort == "stand" and not spec.indicator("BT07").additive
    assert all(i.soort in ("stand", "stroom") and i.bron for i in spec.indicators)
    assert spec.indicator("BS04").soort == "stand" and spec.indicator("BS01").soort == "stroom"
    assert spec.indicator("BT05").richting == "lager"
    assert spec.bereik("rapportcijfer") == (1, 10)
    assert spec.bereik("%") == (0, 100) and spec.bereik("%", spec.indicator("BT01")) == (-10, 25)
    assert spec.eenheid("woningen").geheel and not spec.eenheid("EUR").geheel
    assert {i.thema for i in spec.indicators} >= {t.code for t in spec.themas} - {"SW"}
    assert [t.naam for t in spec.types] == [
        "procesafspraak",
        "beschrijvende afspraak",
        "intentieafspraak",
        "handelingsafspraak",
        "garantieafspraak",
        "transactieafspraak",
    ]
    assert set(spec.templates) == {"jaarschijf", "bod", "basisbod", "monitor"}
    assert spec.templates["bod"].years == 5
    # Spec 1.4: the jaarschijf is signed on its own sheet; a bod is not signed.
    signing = spec.templates["jaarschijf"].signing
    assert signing is not None and signing.sheet == "Ondertekening"
    assert {"partij", "akkoord", "datum", "naam", "voorbehoud"} <= set(signing.columns)
    assert spec.templates["bod"].signing is None
    assert spec.list_values("akkoord") == ["akkoord", "akkoord met voorbehoud", "geen akkoord"]
    assert spec.signing_akkoord() == ("akkoord", "akkoord met voorbehoud")
    assert spec.disagreeing_statuses() == ("agree to disagree",)


def test_the_basisbod_is_the_bod_with_a_gemeente_column_in_front(spec):
    bod, basis = spec.templates["bod"], spec.templates["basisbod"]
    assert basis.gemeente_column == "gemeente" and bod.gemeente_column is None
    assert (basis.years, basis.investment_columns) == (bod.years, bod.investment_columns)
    for plain, marked in zip(bod.blocks, basis.blocks, strict=True):
        assert marked.columns == ("gemeente", *plain.columns)
        # Fixed only where the block has fixed text: a lopende afspraak is of one gemeente.
        assert marked.fixed == (plain.fixed | {"gemeente"} if plain.fixed else frozenset())
        assert (marked.key, marked.roles, marked.themas) == (plain.key, plain.roles, plain.themas)


def test_hash_follows_the_files(tmp_path, spec):
    copy = tmp_path / "templates"
    shutil.copytree(default_spec_dir(), copy)
    assert load_spec(copy).hash == spec.hash
    path = copy / "kolommen.yaml"
    path.write_text(
        path.read_text(encoding="utf-8").replace("width: 50", "width: 51"), encoding="utf-8"
    )
    assert load_spec(copy).hash != spec.hash


def test_the_same_files_give_the_spec_read_before_and_an_edit_is_read_anew(tmp_path):
    """load_spec keeps what it built by the files' contents: asked again it gives the same
    Spec, a file changed since is read again (and refused when it is broken)."""
    copy = tmp_path / "templates"
    shutil.copytree(default_spec_dir(), copy)
    first = load_spec(copy)
    assert load_spec(copy) is first
    path = copy / "spec.yaml"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace('versie: "1.6"', 'versie: "een"'), encoding="utf-8")
    with pytest.raises(SpecError, match="versie"):
        load_spec(copy)
    path.write_text(text, encoding="utf-8")
    assert load_spec(copy) is first


@pytest.mark.parametrize(
    ("file", "old", "new", "message"),
    [
        (
            "jaarschijf.yaml",
            "kolommen: [nummer, afspraak, trekker, indicator,",
            "kolommen: [nummer, afspraak, trekkr, indicator,",
            "jaarschijf.yaml: blokken[0].kolommen: onbekende kolom 'trekkr' (zie kolommen.yaml).",
        ),
        (
            "kolommen.yaml",
            "    values: types\n",
            "",
            "kolommen.yaml: kolommen.type.values: een enum-kolom heeft values nodig, een andere "
            "kolom niet.",
        ),
        (
            "kolommen.yaml",
            "message: De eenheid van",
            "message: " + "x" * 250 + " De eenheid van",
            "kolommen.yaml: kolommen.eenheid.message: langer dan 255 tekens (Excel-grens).",
        ),
        (
            "indicatoren.yaml",
            "{code: BS01, thema: BS, eenheid: woningen",
            "{code: BS01, thema: BS, eenheid: stuks",
            "indicatoren.yaml: indicatoren[0].eenheid: 'stuks' staat niet in eenheden.",
        ),
        (
            "bod.yaml",
            "investeringen: [investering, budget]",
            "investeringen: [aantal]",
            "bod.yaml: investeringen: 'aantal' is geen geldkolom per jaar.",
        ),
        (
            "bod.yaml",
            "  kolom: gemeente",
            "  kolom: trekker",
            "bod.yaml: basisbod.kolom: 'trekker' is geen kolom met values: gemeenten.",
        ),
    ],
)
def test_a_broken_spec_is_refused_by_file_and_key(tmp_path, file, old, new, message):
    copy = tmp_path / "templates"
    shutil.copytree(default_spec_dir(), copy)
    path = copy / file
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    with pytest.raises(SpecError) as error:
        load_spec(copy)
    assert str(error.value) == f"{copy}/{message}"


def test_the_spec_says_which_statuses_need_a_toelichting_and_which_close(spec):
    assert spec.statuses_needing_toelichting() == ("oranje", "rood", "agree to disagree")
    assert spec.closing_statuses() == ("gerealiseerd", "vervallen")
    lopend = {kind: template.lopend_block for kind, template in spec.templates.items()}
    assert {kind: block.key for kind, block in lopend.items() if block} == {
        "jaarschijf": "going_concern",
        "bod": "going_concern",
        "basisbod": "going_concern",
        "monitor": "monitor",  # every afspraak of the signed jaarschijf, its text fixed
    }
