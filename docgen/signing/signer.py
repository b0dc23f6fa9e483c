"""The signing key: a PKCS#12 file read once, checked before anything is signed.

Every reason a signature would be worthless or refused by a reader (wrong password, an
expired certificate, a certificate not meant for signing, a key that does not match) is
caught here, before the build writes a file, and reported as a ``DocgenError`` naming the
file. The password never comes from ``docgen.toml``: only from the environment or a prompt.
"""

from __future__ import annotations

import datetime as dt
import os
import stat
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeAlias

from ..errors import ConfigError, DocgenError, Location, Problem

if TYPE_CHECKING:
    from pyhanko.sign.signers import SimpleSigner

    Signer: TypeAlias = SimpleSigner
    """A pyHanko signer holding the key and certificate of a PKCS#12 file."""

PASSWORD_VARIABLE = "DOCGEN_SIGN_PASSWORD"
MAX_KEY_FILE_BYTES = 1_000_000
"""A PKCS#12 file holds a key and a few certificates: a few kilobytes. Refuse anything huge."""


class SigningError(DocgenError):
    """The signing key or certificate cannot be used; the CLI exits with status 2."""


@dataclass(frozen=True)
class SigningConfig:
    """How to sign a pack: from ``docgen build --sign`` or the ``[signing]`` table.

    ``timestamp_url`` is off by default: signing never touches the network unless asked.
    """

    cert: Path
    reason: str = ""
    location: str = ""
    visible: bool = False
    timestamp_url: str | None = None


_CONFIG_KEYS: dict[str, tuple[Callable[[Any], bool], str]] = {
    "cert": (lambda v: isinstance(v, str) and bool(v), "a path to a PKCS#12 file (.p12)"),
    "reason": (lambda v: isinstance(v, str), "a text"),
    "location": (lambda v: isinstance(v, str), "a text"),
    "visible": (lambda v: isinstance(v, bool), "true or false"),
    "timestamp_url": (
        lambda v: isinstance(v, str) and v.startswith(("http://", "https://")),
        "an http:// or https:// URL",
    ),
}


def config_from_table(table: dict[str, Any], config_path: Path, root: Path) -> SigningConfig:
    """A ``SigningConfig`` from the ``[signing]`` table of ``docgen.toml``.

    ``cert`` is relative to the project ``root``. A ``password`` key is refused: a password
    written in a file that travels with the project is no longer a secret.
    """
    problems: list[Problem] = []
    where = Location(config_path)
    for key, value in table.items():
        if key == "password":
            problems.append(
                Problem(
                    where,
                    f"signing: never put the password in {config_path.name}; "
                    f"set {PASSWORD_VARIABLE} or type it when asked",
                )
            )
        elif key not in _CONFIG_KEYS:
            problems.append(
                Problem(
                    where, f"signing: unknown setting {key!r}; known: {', '.join(_CONFIG_KEYS)}"
                )
            )
        elif not _CONFIG_KEYS[key][0](value):
            problems.append(Problem(where, f"signing: {key} must be {_CONFIG_KEYS[key][1]}"))
    if "cert" not in table:
        problems.append(Problem(where, "signing: cert is missing (the PKCS#12 file to sign with)"))
    if problems:
        raise ConfigError(problems)
    return SigningConfig(
        cert=(root / table["cert"]).resolve(),
        reason=table.get("reason", ""),
        location=table.get("location", ""),
        visible=table.get("visible", False),
        timestamp_url=table.get("timestamp_url"),
    )


def password_from_env_or_prompt(cert: Path) -> bytes | None:
    """The PKCS#12 password: ``DOCGEN_SIGN_PASSWORD``, else a prompt on a terminal.

    Without a terminal (CI, a pipe) there is nobody to ask, so that is an error rather
    than a hang. An empty variable means "no password" (``None``), as ``openssl pkcs12
    -passout pass:`` writes such files.
    """
    value = os.environ.get(PASSWORD_VARIABLE)
    if value is not None:
        return value.encode("utf-8") if value else None
    if sys.stdin.isatty():
        import getpass

        typed = getpass.getpass(f"Password for {cert.name}: ")
        return typed.encode("utf-8") if typed else None
    raise SigningError.at(cert, f"no password: set {PASSWORD_VARIABLE} (no terminal to ask on)")


def key_file_problems(path: Path) -> list[Problem]:
    """A warning when other users may read the key file (``chmod 600`` fixes it)."""
    try:
        mode = path.stat().st_mode
    except OSError:
        return []
    if mode & (stat.S_IRWXG | stat.S_IRWXO):
        return [
            Problem(
                Location(path),
                f"the signing key is readable by other users (mode {stat.S_IMODE(mode):o}); "
                "run: chmod 600 " + path.name,
                "warning",
            )
        ]
    return []


def load_signer(path: Path, password: bytes | None, now: dt.datetime | None = None) -> Signer:
    """A pyHanko signer from the PKCS#12 file ``path``, after every check a reader makes.

    ``now`` (default: the current time) is the moment the certificate must be valid at.
    """
    from asn1crypto import keys as asn1_keys
    from asn1crypto import pkcs12 as asn1_pkcs12
    from asn1crypto import x509 as asn1_x509
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.serialization import pkcs12
    from pyhanko.sign.signers import SimpleSigner
    from pyhanko_certvalidator.registry import SimpleCertificateStore

    try:
        if path.stat().st_size > MAX_KEY_FILE_BYTES:
            raise SigningError.at(path, "not a PKCS#12 file (far too large)")
        data = path.read_bytes()
    except OSError as exc:
        raise SigningError.at(path, f"cannot read the signing key: {exc.strerror}") from None
    try:
        asn1_pkcs12.Pfx.load(data, strict=True)["version"].native  # noqa: B018
    except ValueError:
        raise SigningError.at(
            path, "not a PKCS#12 file (.p12/.pfx holding a key and its certificate)"
        ) from None
    try:
        key, cert, others = pkcs12.load_key_and_certificates(data, password)
    except ValueError:
        hint = f"set {PASSWORD_VARIABLE}" if password is None else "check the password"
        raise SigningError.at(
            path, f"cannot open the PKCS#12 file: wrong password ({hint})"
        ) from None
    if key is None:
        raise SigningError.at(path, "the PKCS#12 file holds no private key")
    if cert is None:
        raise SigningError.at(path, "the PKCS#12 file holds no certificate for its key")
    _check_certificate(path, key, cert, now or dt.datetime.now(dt.UTC))

    key_der = key.private_bytes(
        serialization.Encoding.DER,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )
    registry = SimpleCertificateStore()  # type: ignore[no-untyped-call]
    registry.register_multiple(
        asn1_x509.Certificate.load(c.public_bytes(serialization.Encoding.DER)) for c in others
    )
    return SimpleSigner(
        signing_key=asn1_keys.PrivateKeyInfo.load(key_der),
        signing_cert=asn1_x509.Certificate.load(cert.public_bytes(serialization.Encoding.DER)),
        cert_registry=registry,
    )


def _check_certificate(path: Path, key: Any, cert: Any, now: dt.datetime) -> None:
    """Refuse a certificate a reader would reject: out of date, not for signing, not ours."""
    from cryptography import x509
    from cryptography.hazmat.primitives import serialization

    subject = cert.subject.rfc4514_string()
    if now < cert.not_valid_before_utc:
        raise SigningError.at(
            path,
            f"the certificate ({subject}) is not valid yet: from "
            f"{cert.not_valid_before_utc:%Y-%m-%d %H:%M} UTC",
        )
    if now > cert.not_valid_after_utc:
        raise SigningError.at(
            path,
            f"the certificate ({subject}) expired on {cert.not_valid_after_utc:%Y-%m-%d %H:%M} UTC",
        )
    try:
        usage = cert.extensions.get_extension_for_class(x509.KeyUsage).value
    except x509.ExtensionNotFound:
        usage = None
    if usage is not None and not (usage.digital_signature or usage.content_commitment):
        raise SigningError.at(
            path,
            f"the certificate ({subject}) is not for signing: its key usage has neither "
            "digitalSignature nor nonRepudiation",
        )
    public = serialization.PublicFormat.SubjectPublicKeyInfo
    if key.public_key().public_bytes(
        serialization.Encoding.DER, public
    ) != cert.public_key().public_bytes(serialization.Encoding.DER, public):
        raise SigningError.at(path, "the private key does not match the certificate")


def signer_name(signer: Signer) -> str:
    """The signer's common name (else the whole subject), as a reader shows it."""
    cert = signer.signing_cert
    if cert is None:
        return "?"
    return str(cert.subject.native.get("common_name") or cert.subject.human_friendly)
