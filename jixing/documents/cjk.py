"""What every Chinese Word and PDF document shares: fonts set for East Asian text, and the PDF renderer.

Word: python-docx sets only the Latin font name (w:ascii/w:hAnsi); Word and WPS then pick the East Asian
font themselves and fall back oddly, so every style and run gets `w:eastAsia` too.
PDF: WeasyPrint lays out an HTML template with Noto CJK (Debian fonts-noto-cjk) and embeds the fonts
subset (libharfbuzz-subset0 makes that fast); never `full_fonts`, which writes 20–34 MB per file.
"""

from __future__ import annotations

import io

from docx.document import Document as DocxDocument
from docx.oxml.ns import qn
from docx.shared import Pt
from docx.text.run import Run

BODY_FONT = "仿宋"  # 仿宋_GB2312 in offices; 仿宋 is what Word and WPS install
HEADING_FONT = "宋体"
LATIN_FONT = "Times New Roman"
# The PDF templates' font stack: Noto CJK (embedded), then whatever the machine has.
PDF_FONTS = '"Noto Serif CJK SC", "Noto Sans CJK SC", "Source Han Serif SC", serif'


def set_east_asian_font(element, name: str, *, latin: str = LATIN_FONT) -> None:
    """Set the fonts of a style's or a run's rPr: Latin, complex script and East Asian (w:eastAsia)."""
    rpr = element.get_or_add_rPr()
    fonts = rpr.get_or_add_rFonts()
    fonts.set(qn("w:ascii"), latin)
    fonts.set(qn("w:hAnsi"), latin)
    fonts.set(qn("w:cs"), latin)
    fonts.set(qn("w:eastAsia"), name)


def prepare_document(document: DocxDocument, *, size: float = 14) -> None:
    """A4, the body in 仿宋 and headings in 宋体, with w:eastAsia on every style the builders use."""
    section = document.sections[0]
    section.page_width, section.page_height = Pt(595.3), Pt(841.9)
    for side in ("left_margin", "right_margin"):
        setattr(section, side, Pt(72))
    section.top_margin, section.bottom_margin = Pt(72), Pt(64)
    for style_name in ("Normal", "Table Grid", "Title", "Heading 1"):
        style = document.styles[style_name]
        set_east_asian_font(
            style.element, HEADING_FONT if style_name in ("Title", "Heading 1") else BODY_FONT
        )
        if style_name == "Normal":
            style.font.size = Pt(size)


def styled_run(run: Run, *, font: str = BODY_FONT, size: float | None = None, bold: bool = False) -> Run:
    """A run with its own fonts set (East Asian included), so a pasted or restyled paragraph keeps them."""
    set_east_asian_font(run._element, font)
    if size is not None:
        run.font.size = Pt(size)
    run.bold = bold
    return run


def docx_bytes(document: DocxDocument) -> bytes:
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def render_pdf(html: str) -> bytes:
    """A PDF from an HTML string whose CSS names PDF_FONTS; the fonts are embedded and subset."""
    # Imported here: WeasyPrint loads Pango at import, which only the PDF builders need.
    from weasyprint import HTML  # type: ignore[import-untyped]  # no stubs, no py.typed

    return HTML(string=html).write_pdf()
