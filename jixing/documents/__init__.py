"""Documents (xlsx, docx, pdf) built from plain data: no database access here."""
