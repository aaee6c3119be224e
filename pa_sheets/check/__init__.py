"""A returned workbook from file to findings: open it safely, read its blocks, normalise the
values, run pandera and the rules, and report as text, JSON or an annotated copy."""
