"""The gezamenlijk overzicht: combine validated workbooks into rows with provenance and totals,
write them (xlsx, csv, parquet) and read an overview back."""
