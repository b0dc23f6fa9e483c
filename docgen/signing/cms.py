"""A detached CMS signature over the pack's ``manifest.json``.

The manifest lists every output with its hash, so signing it covers the Word files (which
carry no signature of their own) as well as the PDFs. The signature is DER, the form
``openssl cms -verify -binary -inform DER`` reads; PEM would need ``-inform PEM`` and
buys nothing. With an RSA key and the same ``signing_time`` the bytes are identical from
one build to the next (PKCS#1 v1.5 is deterministic; no timestamp is added).
"""

from __future__ import annotations

import asyncio
import datetime as dt
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .signer import Signer


def sign_detached(data: bytes, signer: Signer, *, signing_time: dt.datetime | None = None) -> bytes:
    """A DER CMS ``SignedData`` over ``data``, without the data (SHA-256; the signer's
    certificate and any intermediates from its PKCS#12 file included)."""
    from pyhanko.sign.signers.pdf_cms import PdfCMSSignedAttributes

    when = (signing_time or dt.datetime.now(dt.UTC)).astimezone(dt.UTC)
    attributes = PdfCMSSignedAttributes(signing_time=when)
    content = asyncio.run(
        signer.async_sign_general_data(
            data, "sha256", detached=True, signed_attr_settings=attributes
        )
    )
    der: bytes = content.dump()
    return der
