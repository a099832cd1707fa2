"""Plain spreadsheet helpers with no models: bounded reading of uploads (reading), sheets,
columns and cell parsing (cells), streamed writing and the template (writing)."""
