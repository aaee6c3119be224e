"""The Ondertekening sheet of a template with signing: one block with a fixed row per party,
akkoord, voorbehoud and signature to fill in."""

from xlsxwriter.worksheet import Worksheet

from pa_sheets.spec.kalender import legal_deadline
from pa_sheets.workbook.styles import PAGE_FOOTER, PROTECTION, page_header, years_text
from pa_sheets.workbook.tabs import BlockWriter
from pa_sheets.workbook.writer import print_setup


def write_signing(worksheet: Worksheet, blocks: BlockWriter) -> None:
    """The Ondertekening sheet: a block with a fixed row per party, akkoord to fill in."""
    plan, styles, block = blocks.plan, blocks.styles, blocks.plan.signing
    assert block is not None
    worksheet.write_string(
        0,
        0,
        f"{block.block.titel} {plan.template.titel.lower()} {years_text(plan)}",
        styles.format(bold=True, font_size=14),
    )
    worksheet.write_string(
        1,
        0,
        f"{plan.gemeente_names} en {plan.corporatie.party.naam} · "
        f"{legal_deadline(plan.kind, plan.years[0], plan.config.termijnen)}",
        styles.format(italic=True, font_color="#595959"),
    )
    blocks.write(worksheet, block)
    for placed in block.columns:
        worksheet.set_column(placed.index, placed.index, placed.column.width)
    for row in range(block.first_row, block.last_row + 1):
        worksheet.set_row(row, 45)  # room for a voorbehoud of a few lines
    worksheet.freeze_panes(block.header_row + 1, 1)
    name = worksheet.get_name()
    print_setup(
        worksheet,
        repeat_row=block.header_row,
        header=page_header(name, plan),
        footer=PAGE_FOOTER,
    )
    worksheet.protect("", PROTECTION)
