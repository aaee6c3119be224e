"""The documentation is generated from the spec and the CLI; these tests catch drift."""

from pathlib import Path

from conftest import ROOT

from pa_sheets.docs import cli_reference, field_reference


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
    assert "pip install . && pa-sheets" in readme
    assert "pip install -e '.[test]' && pytest" in readme
    assert "docs/velden.md" in readme and "docs/cli.md" in readme
