"""Sample gemeente config, shipped inside the package as pa_sheets.samples."""
