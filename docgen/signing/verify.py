"""Checking signed outputs as their recipient does: offline, against trust roots they chose.

Every signature must be intact (the bytes hash to what was signed), cover the whole file
(nothing appended after signing), come from a certificate that chains to one of the
``trust`` roots and was valid when it signed, and carry a plausible signing time (not in
the future; inside a timestamp token's time when there is one).

Without trust roots the signer cannot be told from anyone who made their own
certificate with the same name, so that is an **error**, not a warning: the message names
the signer and the certificate's SHA-256 fingerprint, and says to pass ``--trust``
(a CA certificate, or the signer's own certificate to pin it). Nothing is fetched from the
network (no OCSP, no CRL, no AIA): revocation is not checked.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import logging
from io import BytesIO
from pathlib import Path
from typing import Any

from ..errors import Location, Problem

CLOCK_SKEW = dt.timedelta(minutes=5)
"""How far in the future a signing time may lie before it is suspicious (clock drift)."""


def verify_pdf(data: bytes, name: str, trust: list[Path]) -> list[Problem]:
    """Every problem with the PDF signatures of ``data`` (read from ``name``); an unsigned
    PDF is a problem too."""
    from pyhanko.pdf_utils.misc import PdfReadError
    from pyhanko.pdf_utils.reader import PdfFileReader
    from pyhanko.sign.validation import async_validate_pdf_signature
    from pyhanko.sign.validation.status import SignatureCoverageLevel

    _quiet()
    where = Location(Path(name))
    roots, problems = _roots(trust)
    try:
        reader = PdfFileReader(BytesIO(data), strict=False)
        signatures = reader.embedded_regular_signatures
    except (PdfReadError, ValueError) as exc:
        return [*problems, Problem(where, f"not a readable PDF: {exc}")]
    if not signatures:
        return [*problems, Problem(where, "the PDF is not signed")]
    for signature in signatures:
        field = signature.field_name
        try:
            status = asyncio.run(
                async_validate_pdf_signature(
                    signature,
                    signer_validation_context=_context(roots),
                    key_usage_settings=_key_usage(),
                )
            )
        except (PdfReadError, ValueError) as exc:
            problems.append(Problem(where, f"signature {field}: unreadable: {exc}"))
            continue
        label = f"signature {field} ({_who(status.signing_cert)})"
        if not status.intact:
            problems.append(Problem(where, f"{label}: the document was changed after signing"))
        elif not status.valid:
            problems.append(Problem(where, f"{label}: the signature value is not valid"))
        if status.coverage != SignatureCoverageLevel.ENTIRE_FILE:
            problems.append(
                Problem(where, f"{label}: does not cover the whole file (bytes added after it)")
            )
        problems.extend(_trust_problems(status, label, where, trust))
        problems.extend(_time_problems(status, label, where))
    return problems


def verify_detached(data: bytes, signature: bytes, name: str, trust: list[Path]) -> list[Problem]:
    """Every problem with the detached CMS ``signature`` of ``data`` (read from ``name``,
    the signed file; problems point at it)."""
    from asn1crypto import cms
    from pyhanko.sign.validation import async_validate_detached_cms

    _quiet()
    where = Location(Path(name))
    try:
        content = cms.ContentInfo.load(signature, strict=True)
        if content["content_type"].native != "signed_data":
            raise ValueError("not a CMS SignedData")
        signed = content["content"]
        signed.native  # noqa: B018  (parse it all now, not halfway through validation)
    except ValueError as exc:
        return [Problem(where, f"unreadable signature: {exc}")]
    roots, problems = _roots(trust)
    try:
        status = asyncio.run(
            async_validate_detached_cms(
                data,
                signed,
                signer_validation_context=_context(roots),
                key_usage_settings=_key_usage(),
            )
        )
    except (ValueError, KeyError) as exc:
        return [*problems, Problem(where, f"unreadable signature: {exc}")]
    label = f"signature ({_who(status.signing_cert)})"
    if not status.intact:
        problems.append(Problem(where, f"{label}: the file was changed after signing"))
    elif not status.valid:
        problems.append(Problem(where, f"{label}: the signature value is not valid"))
    problems.extend(_trust_problems(status, label, where, trust))
    problems.extend(_time_problems(status, label, where))
    return problems


def _roots(trust: list[Path]) -> tuple[list[Any], list[Problem]]:
    """The certificates of every trust file, and a problem for each unreadable file."""
    roots: list[Any] = []
    problems: list[Problem] = []
    for path in trust:
        try:
            roots.extend(_load_certificates(path))
        except (OSError, ValueError) as exc:
            problems.append(Problem(Location(path), f"cannot read trust root: {exc}"))
    return roots, problems


def _context(roots: list[Any]) -> Any:
    """A new offline ``ValidationContext`` (one per signature: they cache results).

    An empty list of roots trusts nothing; ``None`` would mean the system's TLS roots,
    which say nothing about who may sign a brief."""
    from pyhanko_certvalidator import ValidationContext

    return ValidationContext(trust_roots=roots, allow_fetching=False)


def _load_certificates(path: Path) -> list[Any]:
    """Every certificate of a PEM (one or several) or DER file."""
    from asn1crypto import pem, x509

    data = path.read_bytes()
    if pem.detect(data):
        found = [x509.Certificate.load(der) for _t, _h, der in pem.unarmor(data, multiple=True)]
    else:
        found = [x509.Certificate.load(data, strict=True)]
    for cert in found:
        cert.native  # noqa: B018  (fail here on a malformed certificate)
    if not found:
        raise ValueError("no certificate in it")
    return found


def _key_usage() -> Any:
    """A signing certificate needs digitalSignature or nonRepudiation, as at signing."""
    from pyhanko.sign.validation.settings import KeyUsageConstraints

    return KeyUsageConstraints(key_usage={"digital_signature", "non_repudiation"})


def _who(cert: Any) -> str:
    """The certificate's common name, else its whole subject."""
    return str(cert.subject.native.get("common_name") or cert.subject.human_friendly)


def _quiet() -> None:
    """pyHanko logs each failed path search with a traceback; without a handler of the
    application's, Python would print those to stderr next to docgen's own message."""
    for name in ("pyhanko", "pyhanko_certvalidator"):
        logger = logging.getLogger(name)
        if not any(isinstance(h, logging.NullHandler) for h in logger.handlers):
            logger.addHandler(logging.NullHandler())


def _fingerprint(cert: Any) -> str:
    return ":".join(f"{b:02X}" for b in cert.sha256)


def _trust_problems(status: Any, label: str, where: Location, trust: list[Path]) -> list[Problem]:
    if not status.intact or not status.valid:
        return []
    if not trust:
        return [
            Problem(
                where,
                f"{label}: no trust root given, so who signed cannot be checked "
                f"(certificate SHA-256 {_fingerprint(status.signing_cert)}); "
                "pass --trust CA.pem",
            )
        ]
    if status.trusted:
        return []
    reason = status.trust_problem_indic.name if status.trust_problem_indic else "no path"
    explain = {
        "NO_CERTIFICATE_CHAIN_FOUND": "does not chain to the given trust roots",
        "OUT_OF_BOUNDS_NO_POE": "the certificate was expired or not yet valid",
        "OUT_OF_BOUNDS_NOT_REVOKED": "the certificate was expired or not yet valid",
        "EXPIRED": "the certificate has expired",
        "NOT_YET_VALID": "the certificate is not valid yet",
        "REVOKED_NO_POE": "the certificate was revoked",
        "CHAIN_CONSTRAINTS_FAILURE": "the certificate chain breaks its constraints",
        "SIG_CONSTRAINTS_FAILURE": "the certificate is not for signing (key usage)",
    }.get(reason, reason.replace("_", " ").lower())
    return [Problem(where, f"{label}: not trusted: {explain}")]


def _time_problems(status: Any, label: str, where: Location) -> list[Problem]:
    problems: list[Problem] = []
    claimed = status.signer_reported_dt
    if claimed is not None and claimed > dt.datetime.now(dt.UTC) + CLOCK_SKEW:
        problems.append(
            Problem(where, f"{label}: signing time {claimed:%Y-%m-%d %H:%M} UTC is in the future")
        )
    stamp = status.timestamp_validity
    if stamp is not None:
        if not (stamp.intact and stamp.valid and stamp.trusted):
            problems.append(Problem(where, f"{label}: its timestamp is not valid or not trusted"))
        elif claimed is not None and claimed > stamp.timestamp + CLOCK_SKEW:
            problems.append(Problem(where, f"{label}: signing time is after its timestamp"))
    return problems
