"""The documentation is generated from the spec and the CLI; these tests catch drift."""

from pathlib import Path

from conftest import ROOT

from pa_sheets.check.schemas import schema_yaml
from pa_sheets.docs import cli_reference, field_reference, findings_reference


def test_field_reference_is_up_to_date(spec):
    assert (ROOT / "docs" / "velden.md").read_text(encoding="utf-8") == field_reference(spec), (
        "docs/velden.md is verouderd: draai python -m pa_sheets.docs"
    )


def test_cli_reference_is_up_to_date():
    assert (ROOT / "docs" / "cli.md").read_text(encoding="utf-8") == cli_reference(), (
        "docs/cli.md is verouderd: draai python -m pa_sheets.docs"
    )


def test_every_column_of_every_block_is_documented_with_its_header(spec):
    text = field_reference(spec)
    for template in spec.templates.values():
        for block in template.blocks:
            assert f"`{block.key}`" in text
            for key in block.columns:
                assert f"| `{key}` | {spec.columns[key].header} |" in text


def test_readme_has_the_two_commands_and_links_the_references():
    readme = Path(ROOT / "README.md").read_text(encoding="utf-8")
    assert "pip install . && pa-sheets demo" in readme
    assert "pip install -e '.[test]' && pytest" in readme
    for doc in ("docs/velden.md", "docs/cli.md", "docs/bevindingen.md"):
        assert doc in readme


def test_findings_reference_is_up_to_date():
    assert (ROOT / "docs" / "bevindingen.md").read_text(encoding="utf-8") == (
        findings_reference()
    ), "docs/bevindingen.md is verouderd: draai python -m pa_sheets.docs"


def test_exported_schemas_are_up_to_date(spec):
    for template in spec.templates.values():
        for block in template.blocks:
            path = ROOT / "schemas" / f"{template.kind}-{block.key}.yaml"
            assert path.read_text(encoding="utf-8") == schema_yaml(spec, block), (
                f"{path.name} is verouderd: draai python -m pa_sheets.check.schemas"
            )


def test_every_spec_column_is_checked_by_its_schema(spec):
    """Spec -> schema: each required column is not nullable, each closed list an isin."""
    from pa_sheets.check.schemas import block_schema

    for template in spec.templates.values():
        for block in template.blocks:
            schema = block_schema(spec, block)
            for key in block.columns:
                column = spec.columns[key]
                name = rf"^{key}_\d{{4}}$" if column.per_jaar else key
                checked = schema.columns[name]
                assert checked.nullable == (not column.required), key
                checks = {check.error for check in checked.checks}
                if (
                    column.type == "enum"
                    and not column.open
                    and column.values
                    not in (
                        "partijen",
                        "gemeenten",
                    )
                ):
                    assert "V004" in checks, key
                if column.max_length:
                    assert "V005" in checks, key
