"""The documentation is generated from the spec and the CLI; these tests catch drift."""

import re
from pathlib import Path

import pytest
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


README_MAX_LINES = 350  # a user guide; reference belongs in docs/ (issue 22)


def _anchor(heading: str) -> str:
    """The anchor GitHub gives a heading: lower case, punctuation dropped, spaces as dashes."""
    text = re.sub(r"[^\w\- ]", "", heading.strip().lower())
    return text.replace(" ", "-")


def _links(path: Path) -> list[str]:
    """The relative links of a Markdown file, pictures included, web addresses left out."""
    text = path.read_text(encoding="utf-8")
    text = re.sub(r"```.*?```", "", text, flags=re.S)  # code blocks hold no links
    return [t for t in re.findall(r"\]\(([^)\s]+)\)", text) if not re.match(r"[a-z]+:", t)]


def test_the_readme_is_a_user_guide_of_at_most_350_lines():
    lines = (ROOT / "README.md").read_text(encoding="utf-8").splitlines()
    assert len(lines) <= README_MAX_LINES, f"README.md heeft {len(lines)} regels"


@pytest.mark.parametrize(
    "page", ["README.md", *sorted(p.relative_to(ROOT).as_posix() for p in ROOT.glob("docs/*.md"))]
)
def test_every_link_resolves_to_a_file_and_heading(page):
    source = ROOT / page
    links = _links(source)
    if page == "README.md":
        assert sum(link.startswith("docs/") for link in links) >= 10
    for link in links:
        target, _, anchor = link.partition("#")
        path = (source.parent / target).resolve() if target else source
        assert path.exists(), f"{page}: {link} bestaat niet"
        if anchor:
            headings = re.findall(r"^#+ (.+)$", path.read_text(encoding="utf-8"), flags=re.M)
            assert anchor in {_anchor(h) for h in headings}, f"{page}: {link}: geen kop {anchor}"
