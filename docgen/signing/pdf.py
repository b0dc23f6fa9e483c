"""PAdES signatures on finished PDFs, as an incremental update.

Signing comes after layout: the rendered bytes are kept as they are and the signature is
appended after them (an incremental update), so a reader shows exactly what was rendered,
and the signature's byte range covers the whole file.

Reproducibility. Given the same input bytes, key, certificate and ``signing_time``, the
output is byte-identical when the key is RSA (PKCS#1 v1.5 signatures, pyHanko's default
for RSA keys, are deterministic) and no timestamp server is used. pyHanko would otherwise
put three moments of "now" into the file; each is fixed here:

- the trailer's ``/ID`` (``os.urandom``): the first half, the document's permanent
  identity, is kept as ISO 32000 asks, or when the rendered file has none (WeasyPrint
  writes one only for PDF/A and PDF/UA) taken from a hash of the input, as is the second;
- ``/ModDate`` and the producer in ``/Info`` and XMP (rewritten on every save): left
  untouched, so the rendered document's metadata, PDF/A declarations included, stay as
  rendered;
- the signing time (signed attribute, ``/M``, the visible box): ``signing_time``.

What still varies: ECDSA signatures (randomized), and with a timestamp server (PAdES B-T)
the token (the server's time, serial number and a random nonce).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import unicodedata
from io import BytesIO
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from ..errors import Location, Problem
from .signer import SigningError, signer_name

if TYPE_CHECKING:
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter

    from .signer import Signer

SIGNATURE_LABELS: dict[str, dict[str, str]] = {
    "signed_by": {"fr": "Signé par", "en": "Signed by"},
    "date": {"fr": "Date", "en": "Date"},
    "reason": {"fr": "Motif", "en": "Reason"},
    "location": {"fr": "Lieu", "en": "Location"},
}
"""The visible box's labels; other languages fall back to English."""

BOX_WIDTH = 170
BOX_HEIGHT = 34
BOX_INSET = (42, 6)
"""Points from the page's left and bottom edges: inside the bottom margin of the brief
(22 mm) and of the summary sheet (16 mm), left of their centred footer and clear of the
page number on the right. Longer texts shrink to fit the box."""


def sign_pdf(
    data: bytes,
    signer: Signer,
    *,
    reason: str,
    location: str,
    lang: str,
    visible: bool,
    field_name: str = "Signature1",
    signing_time: dt.datetime | None = None,
    timestamp_url: str | None = None,
) -> bytes:
    """``data`` signed PAdES B-B (B-T with ``timestamp_url``), the signature covering
    the whole file; with ``visible``, a box on the last page shows the signer, the date
    and the reason, labelled in ``lang``."""
    from pyhanko.pdf_utils.reader import PdfFileReader
    from pyhanko.sign import fields, signers
    from pyhanko.sign.fields import SigSeedSubFilter
    from pyhanko.sign.timestamps import TimestampRequestError

    when = (signing_time or dt.datetime.now(dt.UTC)).astimezone(dt.UTC)
    writer = _writer(data)
    spec = None
    style = None
    params: dict[str, str] = {}
    if visible:
        pages = PdfFileReader(BytesIO(data), strict=False).root["/Pages"]
        box = _box(_last_page_box(pages))
        spec = fields.SigFieldSpec(field_name, on_page=pages["/Count"] - 1, box=box)
        style, params = _stamp(signer, reason, location, lang, when)
    meta = signers.PdfSignatureMetadata(
        field_name=field_name,
        reason=reason or None,
        location=location or None,
        subfilter=SigSeedSubFilter.PADES,
        md_algorithm="sha256",
    )
    timestamper = None
    if timestamp_url is not None:
        from pyhanko.sign.timestamps import HTTPTimeStamper

        timestamper = HTTPTimeStamper(timestamp_url, timeout=20)
    pdf_signer = _fixed_time_signer_class()(
        when, meta, signer, timestamper=timestamper, stamp_style=style, new_field_spec=spec
    )
    output = BytesIO()
    try:
        pdf_signer.sign_pdf(writer, appearance_text_params=params or None, output=output)
    except TimestampRequestError as exc:
        raise _timestamp_error(timestamp_url or "", exc) from None
    return output.getvalue()


def _timestamp_error(url: str, exc: Exception) -> SigningError:
    """The timestamp server failed: named by its host, as the place to look at."""
    host = urlsplit(url).netloc or url
    cause = exc.__cause__ or exc
    return SigningError(
        Problem(Location(Path(host)), f"the timestamp server {url} did not answer: {cause}")
    )


def _writer(data: bytes) -> IncrementalPdfFileWriter:
    """An incremental writer that adds nothing but the signature (see the module doc)."""
    from pyhanko.pdf_utils import generic
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter

    class QuietWriter(IncrementalPdfFileWriter):
        def _update_meta(self) -> None:
            """Keep ``/Info`` and XMP as rendered: no ``/ModDate`` of "now"."""

    writer = QuietWriter(BytesIO(data), strict=False)
    digest = hashlib.sha256(data).digest()
    try:
        first = writer.prev.trailer["/ID"][0]
    except (KeyError, IndexError, TypeError):
        first = generic.ByteStringObject(digest[:16])
    writer._document_id = generic.ArrayObject([first, generic.ByteStringObject(digest[16:])])
    return writer


def _fixed_time_signer_class() -> type[Any]:
    from pyhanko.sign import signers

    class FixedTimeSigner(signers.PdfSigner):
        """A ``PdfSigner`` whose clock reads ``signing_time``."""

        def __init__(self, when: dt.datetime, *args: Any, **kwargs: Any) -> None:
            super().__init__(*args, **kwargs)
            self._when = when

        def init_signing_session(self, *args: Any, **kwargs: Any) -> Any:
            session = super().init_signing_session(*args, **kwargs)
            session.system_time = self._when
            return session

    return FixedTimeSigner


def _last_page_box(pages: Any) -> tuple[float, float, float, float]:
    """The media box of the last page (inherited boxes included)."""
    node = pages
    while "/Kids" in node:
        node = node["/Kids"][-1]
    while "/MediaBox" not in node and "/Parent" in node:
        node = node["/Parent"]
    x0, y0, x1, y1 = (float(v) for v in node["/MediaBox"])
    return x0, y0, x1, y1


def _box(media: tuple[float, float, float, float]) -> tuple[int, int, int, int]:
    x0, y0, _x1, _y1 = media
    left = int(x0) + BOX_INSET[0]
    bottom = int(y0) + BOX_INSET[1]
    return left, bottom, left + BOX_WIDTH, bottom + BOX_HEIGHT


def _stamp(
    signer: Signer, reason: str, location: str, lang: str, when: dt.datetime
) -> tuple[Any, dict[str, str]]:
    """The stamp style and its text: three or four labelled lines."""
    from pyhanko.pdf_utils import layout
    from pyhanko.pdf_utils.text import TextBoxStyle
    from pyhanko.stamp import TextStampStyle

    from ..labels import format_long_date

    def label(key: str) -> str:
        texts = SIGNATURE_LABELS[key]
        return texts.get(lang) or texts.get(lang.split("-", 1)[0]) or texts["en"]

    colon = " : " if lang.split("-", 1)[0] == "fr" else ": "
    lines = [
        f"{label('signed_by')}{colon}%(name)s",
        f"{label('date')}{colon}%(date)s",
    ]
    params = {
        "name": _winansi(signer_name(signer)),
        "date": _winansi(f"{format_long_date(when.date(), lang)} {when:%H:%M} UTC"),
    }
    if reason:
        lines.append(f"{label('reason')}{colon}%(why)s")
        params["why"] = _winansi(reason)
    if location:
        lines.append(f"{label('location')}{colon}%(where)s")
        params["where"] = _winansi(location)
    style = TextStampStyle(
        stamp_text=_winansi("\n".join(lines)),
        text_box_style=TextBoxStyle(font_size=7, leading=8),
        inner_content_layout=layout.SimpleBoxLayoutRule(
            x_align=layout.AxisAlignment.ALIGN_MIN,
            y_align=layout.AxisAlignment.ALIGN_MID,
            margins=layout.Margins(4, 4, 4, 4),
        ),
        border_width=1,
        background=None,
    )
    return style, params


_SAFE = {chr(c) for c in range(0x20, 0x7F)} | {chr(c) for c in range(0xA1, 0x100)} - {"\xad"}
_PLAIN = str.maketrans({"’": "'", "‘": "'", "“": '"', "”": '"', "–": "-", "—": "-", "…": "..."})


def _winansi(text: str) -> str:
    """``text`` in the characters the box's standard Courier font shows the same under
    PDFDocEncoding and WinAnsi (Latin-1 less controls); others become ``?``. The box is a
    courtesy: the signed name, reason and location are exact in the signature itself."""
    text = unicodedata.normalize("NFC", text).translate(_PLAIN)
    text = "".join(" " if unicodedata.category(c) == "Zs" else c for c in text)
    return "".join(c if c in _SAFE or c == "\n" else "?" for c in text)
