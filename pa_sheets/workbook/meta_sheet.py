"""The very hidden sheets for the reader: `_meta` (the facts about the workbook and where every
block is, meta.py) and the fixed texts of the going-concern rows."""

import datetime as dt
from itertools import islice

from xlsxwriter.worksheet import Worksheet

from pa_sheets import __version__
from pa_sheets.spec.model import NUMERIC_TYPES
from pa_sheets.workbook import meta
from pa_sheets.workbook.layout import WorkbookPlan
from pa_sheets.workbook.styles import NUMBER_FORMATS, PROTECTION, Styles


def write_meta(worksheet: Worksheet, plan: WorkbookPlan, created: dt.datetime) -> None:
    """Facts about the workbook and where every block is, for the reader (meta.py)."""
    for row, values in enumerate(meta.to_rows(meta_of(plan, created))):
        if values:
            worksheet.write_row(row, 0, values)
    worksheet.protect("", PROTECTION)
    worksheet.very_hidden()


def write_fixed_texts(worksheets: list[Worksheet], plan: WorkbookPlan, styles: Styles) -> None:
    """The fixed cells of every going-concern row as written on its tab, a row each, at most
    meta.FIXED_TEXT_ROWS to a sheet (meta.py): validate reads them only to show a changed
    text as it should be."""
    marker = plan.template.gemeente_column
    blocks = [
        (sheet.name, block) for sheet in plan.sheets for block in sheet.blocks if block.fixed_rows
    ]
    keys = list(dict.fromkeys(p.key for _, block in blocks for p in block.columns if p.fixed))

    def cells(block) -> list[tuple[int, str, bool]]:
        """(column, key, is a number) of the block's fixed columns on this sheet."""
        numeric = {p.key: p.column.type in NUMERIC_TYPES for p in block.columns if p.fixed}
        return [(col, key, numeric[key]) for col, key in enumerate(keys, 2) if key in numeric]

    rows = (
        (name, columns, values)
        for name, block in blocks
        for columns in [cells(block)]
        for values in block.rows[: block.fixed_rows]
    )
    date_format = styles.format(num_format=NUMBER_FORMATS["date"])
    for worksheet in worksheets:
        worksheet.write_row(0, 0, meta.fixed_text_header(keys))
        write_string, write_number = worksheet.write_string, worksheet.write_number
        for row, (name, columns, values) in enumerate(islice(rows, meta.FIXED_TEXT_ROWS), 1):
            write_string(row, 0, name)
            write_string(row, 1, meta.row_key(values["nummer"], values.get(marker or "")))
            for col, key, is_number in columns:
                value = values.get(key)
                # As _write_rows writes it on the tab, without its format.
                if value is None or value == "":
                    continue
                if isinstance(value, str):
                    write_string(row, col, value)
                elif is_number and isinstance(value, int | float) and not isinstance(value, bool):
                    write_number(row, col, value)
                elif isinstance(value, dt.date):
                    worksheet.write_datetime(row, col, value, date_format)
                else:
                    write_string(row, col, str(value))
        worksheet.protect("", PROTECTION)
        worksheet.very_hidden()


def meta_of(plan: WorkbookPlan, created: dt.datetime) -> meta.Meta:
    facts = facts_of(plan, created)
    info = meta.Meta(
        facts.to_texts(),
        parties=[
            dict(zip(meta.PARTY_FIELDS, (p.rol, p.display, p.kort, p.code or ""), strict=True))
            for p in plan.parties
        ],
        themas={t.code: t.naam for t in dict.fromkeys(sheet.thema for sheet in plan.sheets)},
        closed={item.nummer: item.status for item in plan.closed},
        gemeenten={g.code: (g.naam, g.config_text) for g in plan.gemeenten},
        shared=sorted(plan.shared),
    )
    if plan.signing is not None and plan.template.signing is not None:
        block = plan.signing
        info.signing = meta.MetaBlock(
            plan.template.signing.sheet,
            "",
            "",
            "",
            block.block.key,
            block.header_row + 1,
            block.first_row + 1,
            block.last_row + 1,
            0,
            tuple(p.key for p in block.columns),
        )
    marker = plan.template.gemeente_column
    for sheet in plan.sheets:
        for block in sheet.blocks:
            info.blocks.append(
                meta.MetaBlock(
                    sheet.name,
                    sheet.thema.code,
                    sheet.party.rol,
                    sheet.party.kort,
                    block.block.key,
                    block.header_row + 1,  # _meta counts rows as Excel shows them
                    block.first_row + 1,
                    block.last_row + 1,
                    block.fixed_rows,
                    tuple(p.key for p in block.columns),
                )
            )
            # Pre-filled fixed cells: fingerprinted per row and as a whole.
            rows = list(block.rows[: block.fixed_rows])
            keys = [p.key for p in block.columns if p.fixed]
            if rows and keys:
                prints = meta.row_fingerprints(rows, keys, marker)
                info.fixed.update({(sheet.name, k): v for k, v in prints.items()})
                columns = [[values.get(key) for values in rows] for key in keys]
                info.block_prints[sheet.name] = meta.block_fingerprint(columns)
    return info


def facts_of(plan: WorkbookPlan, created: dt.datetime) -> meta.Facts:
    """What the planned workbook says about itself, for `_meta`."""
    config = plan.config
    party = plan.corporatie.party
    return meta.Facts(
        kind=plan.kind,
        spec_version=plan.spec.version,
        spec_hash=plan.spec.hash,
        tool_version=__version__,
        created=created.isoformat(timespec="seconds"),
        gemeente=", ".join(g.naam for g in plan.gemeenten) or config.gemeente.naam,
        gemeente_code=plan.gemeente_codes,
        corporatie=party.naam,
        corporatie_kort=party.kort,
        l_nummer=party.code or "",
        years=tuple(plan.years),
        period=(config.eerste_jaar, config.laatste_jaar),
        deadline=plan.deadline.isoformat(),
        termijnen=config.termijnen,
        round=plan.round,
        signed_source=plan.signed[0],
        signed_sha256=plan.signed[1],
    )
