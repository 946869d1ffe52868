"""Uploaded PDFs stripped of active content with pikepdf (qpdf), or refused.

A PDF can act when it is opened: JavaScript (/JS, the /JavaScript name tree), actions run on opening or
on events (/OpenAction, /AA), programs launched (/Launch), data sent or fetched (/SubmitForm, /ImportData,
/GoToR, /GoToE), XFA forms that script themselves, and files carried inside (/EmbeddedFiles, file
attachment annotations). Reviewers open evidence on office computers, so all of that is removed; the
pages, text, pictures and plain links stay.

Every PDF is written again from what qpdf parsed, even when nothing was removed: what is stored is what
was checked, never bytes a more forgiving viewer might read differently. Streams are copied without
decoding (no decompression bomb is inflated here); encryption without a password is removed. A PDF that
cannot be opened (damaged, or locked with a password) is refused.
"""

from __future__ import annotations

import io
import logging

# pikepdf announces its logging bridge at INFO when imported: not news for the server's log (nor for
# `jixing check`, whose output must stay clean). qpdf's own warnings (a damaged file rebuilt) still pass.
logging.getLogger("pikepdf._core").setLevel(logging.WARNING)

import pikepdf  # noqa: E402 — after quietening its logger
from pikepdf import Array, Dictionary, Name, Stream  # noqa: E402

from jixing.refusals import Refused  # noqa: E402

# Keys whose value is active content wherever they appear.
ACTIVE_KEYS = (
    "/OpenAction",
    "/AA",
    "/JS",
    "/JavaScript",
    "/EmbeddedFiles",
    "/XFA",
    "/EF",
    "/RichMediaContent",
)
# Action types (/S) that run code, start programs, send or fetch data, or open other files.
ACTIVE_ACTIONS = {
    "/JavaScript",
    "/Launch",
    "/SubmitForm",
    "/ImportData",
    "/ResetForm",
    "/GoToR",
    "/GoToE",
    "/RichMediaExecute",
    "/Rendition",
    "/Movie",
    "/Sound",
}
# Annotations that carry files, media or scripts.
ACTIVE_ANNOTATIONS = {"/FileAttachment", "/RichMedia", "/Screen", "/Movie", "/Sound", "/3D"}


class PdfRefused(Refused):
    """A PDF that is not stored; the message says why, in Chinese."""


def sanitised_pdf(data: bytes) -> bytes:
    """`data` written again without active content (see the module's docstring). Raises PdfRefused."""
    try:
        with pikepdf.open(io.BytesIO(data)) as pdf:
            _clean(pdf.trailer)
            out = io.BytesIO()
            pdf.save(out, encryption=False, stream_decode_level=pikepdf.StreamDecodeLevel.none)
    except pikepdf.PasswordError as exc:
        raise PdfRefused("PDF 文件设有打开密码，无法检查，请去除密码后重新上传") from exc
    except (pikepdf.PdfError, ValueError) as exc:
        raise PdfRefused("PDF 文件已损坏或无法读取，请重新导出后上传") from exc
    return out.getvalue()


def is_active(value: object) -> bool:
    """An action or annotation to remove (see ACTIVE_ACTIONS, ACTIVE_ANNOTATIONS)."""
    if not isinstance(value, Dictionary | Stream):
        return False
    action, subtype = value.get("/S"), value.get("/Subtype")
    return (isinstance(action, Name) and str(action) in ACTIVE_ACTIONS) or (
        isinstance(subtype, Name) and str(subtype) in ACTIVE_ANNOTATIONS
    )


def _clean(root: pikepdf.Object) -> None:
    """Visit every object reachable from `root` once (a stack, not recursion: outlines chain thousands of
    items), removing active keys, actions and annotations."""
    seen: set[tuple[int, int]] = set()
    stack: list[pikepdf.Object] = [root]
    while stack:
        node = stack.pop()
        if node.is_indirect:
            if node.objgen in seen:
                continue
            seen.add(node.objgen)
        if isinstance(node, Array):
            for index in reversed(range(len(node))):
                item = node[index]
                if is_active(item):
                    del node[index]
                elif isinstance(item, Dictionary | Stream | Array):
                    stack.append(item)
            continue
        for key in list(node.keys()):
            value = node[key]
            if key in ACTIVE_KEYS or is_active(value):
                del node[key]
            elif isinstance(value, Dictionary | Stream | Array):
                stack.append(value)
