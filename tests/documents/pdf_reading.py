"""Reading generated PDFs in tests: their text (pypdf) and whether every font is embedded (pikepdf)."""

from __future__ import annotations

import io

import pikepdf
from pypdf import PdfReader


def pdf_text(content: bytes) -> str:
    """The text of every page, with the layout's spaces and line breaks removed (CJK has no spaces)."""
    reader = PdfReader(io.BytesIO(content))
    return "".join("".join((page.extract_text() or "").split()) for page in reader.pages)


def pdf_fonts(content: bytes) -> dict[str, bool]:
    """Each font of the pages (descendants of Type0 fonts included): base name → embedded (a FontFile,
    FontFile2 or FontFile3 stream in its descriptor), as `pdffonts` reports emb yes/no."""
    fonts: dict[str, bool] = {}
    with pikepdf.open(io.BytesIO(content)) as pdf:
        for page in pdf.pages:
            resources = page.obj.get("/Resources", {})
            for font in dict(resources.get("/Font", {})).values():
                for item in [font, *list(font.get("/DescendantFonts", []))]:
                    descriptor = item.get("/FontDescriptor")
                    if descriptor is None:
                        continue
                    embedded = any(k in descriptor for k in ("/FontFile", "/FontFile2", "/FontFile3"))
                    fonts[str(item.get("/BaseFont"))] = embedded
    return fonts
