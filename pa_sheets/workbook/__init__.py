"""Plan a workbook (layout), write it (generate, through the one text-safe writer) and describe it
in its hidden _meta sheet, which check/ reads back."""
