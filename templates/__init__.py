"""Template spec (YAML), shipped inside the package as pa_sheets.templates."""
