"""The spec (templates/*.yaml), a gemeente's config and the legal calendar: what every workbook is
made from. Nothing here knows about spreadsheets."""
