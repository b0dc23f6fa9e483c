"""Signed outputs: PAdES on PDFs, a detached CMS on the manifest, and their verification.

A throwaway CA and its certificates are made here with ``cryptography``; every signature
is checked by docgen, by pyHanko's own validator, and by tools that share no code with
it: poppler's ``pdfsig`` and ``openssl cms -verify``.
"""

from __future__ import annotations

import datetime as dt
import os
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from docgen.errors import DocgenError
from docgen.signing.cms import sign_detached
from docgen.signing.pdf import sign_pdf
from docgen.signing.signer import (
    SigningConfig,
    config_from_table,
    key_file_problems,
    load_signer,
    password_from_env_or_prompt,
)
from docgen.signing.verify import verify_detached, verify_pdf

PASSWORD = b"correct horse"
NOW = dt.datetime.now(dt.UTC).replace(microsecond=0)
SIGNED_AT = NOW - dt.timedelta(hours=1)


@dataclass(frozen=True)
class Pki:
    """A CA, certificates it issued (as PKCS#12 files) and a CA nobody trusts."""

    ca_pem: Path
    other_ca_pem: Path
    good: Path
    expired: Path
    not_yet: Path
    no_signing_usage: Path
    no_key: Path
    signer_pem: Path
    tsa: tuple[Any, Any]
    """The timestamp authority's certificate and key (cryptography objects)."""


def _name(common: str) -> Any:
    from cryptography import x509
    from cryptography.x509.oid import NameOID

    return x509.Name(
        [
            x509.NameAttribute(NameOID.COUNTRY_NAME, "FR"),
            x509.NameAttribute(NameOID.ORGANIZATION_NAME, "Ambassade de test"),
            x509.NameAttribute(NameOID.COMMON_NAME, common),
        ]
    )


def _key() -> Any:
    from cryptography.hazmat.primitives.asymmetric import rsa

    return rsa.generate_private_key(public_exponent=65537, key_size=2048)


def _cert(
    subject: str,
    key: Any,
    issuer: str,
    issuer_key: Any,
    *,
    ca: bool = False,
    start: dt.datetime = NOW - dt.timedelta(days=30),
    end: dt.datetime = NOW + dt.timedelta(days=365),
    signing: bool = True,
    timestamping: bool = False,
) -> Any:
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes

    builder = (
        x509.CertificateBuilder()
        .subject_name(_name(subject))
        .issuer_name(_name(issuer))
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(start)
        .not_valid_after(end)
        .add_extension(x509.BasicConstraints(ca=ca, path_length=None), critical=True)
        .add_extension(
            x509.KeyUsage(
                digital_signature=signing and not ca,
                content_commitment=signing and not ca,
                key_encipherment=not signing,
                data_encipherment=False,
                key_agreement=False,
                key_cert_sign=ca,
                crl_sign=ca,
                encipher_only=False,
                decipher_only=False,
            ),
            critical=True,
        )
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False)
    )
    if timestamping:
        builder = builder.add_extension(
            x509.ExtendedKeyUsage([x509.oid.ExtendedKeyUsageOID.TIME_STAMPING]), critical=True
        )
    if not ca or subject != issuer:
        builder = builder.add_extension(
            x509.AuthorityKeyIdentifier.from_issuer_public_key(issuer_key.public_key()),
            critical=False,
        )
    return builder.sign(issuer_key, hashes.SHA256())


def _p12(path: Path, key: Any, cert: Any, chain: list[Any], password: bytes = PASSWORD) -> Path:
    from cryptography.hazmat.primitives.serialization import BestAvailableEncryption, pkcs12

    path.write_bytes(
        pkcs12.serialize_key_and_certificates(
            b"signer", key, cert, chain, BestAvailableEncryption(password)
        )
    )
    path.chmod(0o600)
    return path


def _pem(path: Path, cert: Any) -> Path:
    from cryptography.hazmat.primitives.serialization import Encoding

    path.write_bytes(cert.public_bytes(Encoding.PEM))
    return path


@pytest.fixture(scope="module")
def pki(tmp_path_factory: pytest.TempPathFactory) -> Pki:
    return make_pki(tmp_path_factory.mktemp("pki"))


def make_pki(folder: Path) -> Pki:
    """A throwaway CA and the keys it issued, written into ``folder``."""
    ca_key, other_key, key = _key(), _key(), _key()
    ca = _cert(
        "Test Root CA",
        ca_key,
        "Test Root CA",
        ca_key,
        ca=True,
        start=NOW - dt.timedelta(days=3650),
        end=NOW + dt.timedelta(days=3650),
    )
    other = _cert("Other CA", other_key, "Other CA", other_key, ca=True)
    good = _cert("Jeanne Martin", key, "Test Root CA", ca_key)
    expired = _cert(
        "Jeanne Martin",
        key,
        "Test Root CA",
        ca_key,
        start=NOW - dt.timedelta(days=400),
        end=NOW - dt.timedelta(days=1),
    )
    not_yet = _cert(
        "Jeanne Martin",
        key,
        "Test Root CA",
        ca_key,
        start=NOW + dt.timedelta(days=2),
        end=NOW + dt.timedelta(days=400),
    )
    tsa_key = _key()
    tsa = _cert("Test TSA", tsa_key, "Test Root CA", ca_key, timestamping=True)
    encipher = _cert("Jeanne Martin", key, "Test Root CA", ca_key, signing=False)
    from cryptography.hazmat.primitives.serialization import BestAvailableEncryption, pkcs12

    no_key = folder / "no-key.p12"
    no_key.write_bytes(
        pkcs12.serialize_key_and_certificates(
            b"x", None, None, [good], BestAvailableEncryption(PASSWORD)
        )
    )
    return Pki(
        ca_pem=_pem(folder / "ca.pem", ca),
        other_ca_pem=_pem(folder / "other-ca.pem", other),
        good=_p12(folder / "good.p12", key, good, [ca]),
        expired=_p12(folder / "expired.p12", key, expired, [ca]),
        not_yet=_p12(folder / "not-yet.p12", key, not_yet, [ca]),
        no_signing_usage=_p12(folder / "encipher.p12", key, encipher, [ca]),
        no_key=no_key,
        signer_pem=_pem(folder / "signer.pem", good),
        tsa=(tsa, tsa_key),
    )


@pytest.fixture(scope="module")
def plain_pdf() -> bytes:
    import weasyprint

    html = "<html lang='fr'><p>Bonjour</p><p style='page-break-before: always'>Fin</p></html>"
    data: bytes = weasyprint.HTML(string=html).write_pdf()
    return data


@pytest.fixture(scope="module")
def signed_pdf(pki: Pki, plain_pdf: bytes) -> bytes:
    signer = load_signer(pki.good, PASSWORD)
    return sign_pdf(
        plain_pdf,
        signer,
        reason="Approbation de la note",
        location="Astana",
        lang="fr",
        visible=True,
        signing_time=SIGNED_AT,
    )


def test_importing_the_signing_modules_loads_no_signing_library() -> None:
    """``docgen --help`` and ``docgen check`` must not pay for pyHanko."""
    code = (
        "import sys, docgen.signing.signer, docgen.signing.pdf, docgen.signing.cms, "
        "docgen.signing.verify; "
        "print(sorted(m for m in sys.modules if m.split('.')[0] in "
        "('pyhanko', 'pyhanko_certvalidator', 'cryptography', 'asn1crypto')))"
    )
    run = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        check=True,
        env={**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parent.parent)},
    )
    assert run.stdout.strip() == "[]"


# --- the key -----------------------------------------------------------------------------


def test_load_signer_reads_the_key_and_its_chain(pki: Pki) -> None:
    signer = load_signer(pki.good, PASSWORD)
    assert signer.signing_cert.subject.native["common_name"] == "Jeanne Martin"
    issuers = [c.subject.native["common_name"] for c in signer.cert_registry]
    assert "Test Root CA" in issuers


@pytest.mark.parametrize(
    ("which", "password", "message"),
    [
        ("good", b"wrong", "wrong password"),
        ("good", None, "wrong password (set DOCGEN_SIGN_PASSWORD)"),
        ("expired", PASSWORD, "expired on"),
        ("not_yet", PASSWORD, "is not valid yet"),
        ("no_signing_usage", PASSWORD, "neither digitalSignature nor nonRepudiation"),
        ("no_key", PASSWORD, "holds no private key"),
        ("ca_pem", PASSWORD, "not a PKCS#12 file"),
    ],
)
def test_load_signer_refuses_unusable_keys(
    pki: Pki, which: str, password: bytes | None, message: str
) -> None:
    path = getattr(pki, which)
    with pytest.raises(DocgenError) as caught:
        load_signer(path, password)
    assert caught.value.exit_code == 2
    [problem] = caught.value.problems
    assert problem.location.path == path
    assert message in problem.message


def test_a_missing_key_file_is_named(tmp_path: Path) -> None:
    with pytest.raises(DocgenError, match="cannot read the signing key") as caught:
        load_signer(tmp_path / "absent.p12", PASSWORD)
    assert caught.value.problems[0].location.path == tmp_path / "absent.p12"


def test_a_key_file_others_can_read_gets_a_warning(pki: Pki, tmp_path: Path) -> None:
    assert key_file_problems(pki.good) == []
    shared = tmp_path / "shared.p12"
    shutil.copy(pki.good, shared)
    shared.chmod(0o644)
    [warning] = key_file_problems(shared)
    assert warning.severity == "warning"
    assert "chmod 600" in warning.message


def test_the_password_comes_from_the_environment_never_a_hang(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("DOCGEN_SIGN_PASSWORD", "s3cret é")
    assert password_from_env_or_prompt(tmp_path / "k.p12") == "s3cret é".encode()
    monkeypatch.delenv("DOCGEN_SIGN_PASSWORD")
    monkeypatch.setattr("sys.stdin", open(os.devnull))  # noqa: SIM115  (not a terminal)
    with pytest.raises(DocgenError, match="set DOCGEN_SIGN_PASSWORD"):
        password_from_env_or_prompt(tmp_path / "k.p12")


def test_the_signing_table_is_checked_and_refuses_a_password(tmp_path: Path) -> None:
    toml = tmp_path / "docgen.toml"
    config = config_from_table(
        {"cert": "keys/me.p12", "reason": "Approbation", "visible": True}, toml, tmp_path
    )
    assert config == SigningConfig(
        cert=tmp_path / "keys" / "me.p12", reason="Approbation", visible=True
    )
    with pytest.raises(DocgenError) as caught:
        config_from_table({"password": "x", "visible": "yes", "colour": 1}, toml, tmp_path)
    messages = [p.message for p in caught.value.problems]
    assert any("never put the password" in m for m in messages)
    assert any("visible must be true or false" in m for m in messages)
    assert any("unknown setting 'colour'" in m for m in messages)
    assert any("cert is missing" in m for m in messages)


# --- PDF ---------------------------------------------------------------------------------


def test_a_signed_pdf_verifies_against_its_ca(pki: Pki, signed_pdf: bytes) -> None:
    assert verify_pdf(signed_pdf, "brief.fr.pdf", [pki.ca_pem]) == []
    # pinning the signer's own certificate works too
    assert verify_pdf(signed_pdf, "brief.fr.pdf", [pki.signer_pem]) == []


def test_signing_appends_and_never_changes_the_rendered_bytes(
    plain_pdf: bytes, signed_pdf: bytes
) -> None:
    assert signed_pdf.startswith(plain_pdf)
    assert len(signed_pdf) > len(plain_pdf)


def test_pyhanko_validator_agrees(pki: Pki, signed_pdf: bytes) -> None:
    from io import BytesIO

    from asn1crypto import pem, x509
    from pyhanko.pdf_utils.reader import PdfFileReader
    from pyhanko.sign.validation import validate_pdf_signature
    from pyhanko.sign.validation.status import SignatureCoverageLevel
    from pyhanko_certvalidator import ValidationContext

    _t, _h, der = pem.unarmor(pki.ca_pem.read_bytes())
    context = ValidationContext(trust_roots=[x509.Certificate.load(der)])
    [signature] = PdfFileReader(BytesIO(signed_pdf)).embedded_signatures
    status = validate_pdf_signature(signature, context)
    assert status.bottom_line
    assert status.coverage == SignatureCoverageLevel.ENTIRE_FILE
    assert status.signer_reported_dt == SIGNED_AT
    assert signature.sig_object["/SubFilter"] == "/ETSI.CAdES.detached"
    assert signature.sig_object["/Reason"] == "Approbation de la note"
    assert signature.sig_object["/Location"] == "Astana"


@pytest.mark.skipif(shutil.which("pdfsig") is None, reason="poppler-utils not installed")
def test_poppler_pdfsig_agrees(pki: Pki, signed_pdf: bytes, tmp_path: Path) -> None:
    path = tmp_path / "brief.fr.pdf"
    path.write_bytes(signed_pdf)
    # pdfsig reads trust from an NSS database; without one it can only judge integrity
    run = subprocess.run(
        ["pdfsig", "-nocert", str(path)], capture_output=True, text=True, check=False
    )
    assert run.returncode == 0, run.stderr
    assert "Signature Validation: Signature is Valid." in run.stdout
    assert "Total document signed" in run.stdout
    assert "Signer Certificate Common Name: Jeanne Martin" in run.stdout
    assert "Signature Type: ETSI.CAdES.detached" in run.stdout


@pytest.mark.skipif(
    shutil.which("pdfsig") is None or shutil.which("certutil") is None,
    reason="poppler-utils or libnss3-tools not installed",
)
def test_pdfsig_trusts_the_chain_once_the_ca_is_in_its_nss_database(
    pki: Pki, signed_pdf: bytes, tmp_path: Path
) -> None:
    path = tmp_path / "brief.fr.pdf"
    path.write_bytes(signed_pdf)
    nss = tmp_path / "nss"
    nss.mkdir()

    def pdfsig() -> str:
        # no -no-ocsp: poppler 22.12 then reports "Unknown issue"; these certificates
        # name no OCSP responder, so nothing is fetched anyway
        command = ["pdfsig", "-nssdir", str(nss), str(path)]
        return subprocess.run(command, capture_output=True, text=True, check=True).stdout

    subprocess.run(["certutil", "-N", "-d", f"sql:{nss}", "--empty-password"], check=True)
    assert "Certificate issuer isn't Trusted" in pdfsig()
    add = ["certutil", "-A", "-d", f"sql:{nss}", "-n", "test CA", "-t", ",C,", "-i"]
    subprocess.run([*add, str(pki.ca_pem)], check=True)
    assert "Certificate Validation: Certificate is Trusted." in pdfsig()


@pytest.mark.skipif(shutil.which("pdfsig") is None, reason="poppler-utils not installed")
def test_pdfsig_sees_a_flipped_byte(signed_pdf: bytes, tmp_path: Path) -> None:
    path = tmp_path / "brief.fr.pdf"
    path.write_bytes(_flip_in_content(signed_pdf))
    run = subprocess.run(
        ["pdfsig", "-nocert", str(path)], capture_output=True, text=True, check=False
    )
    assert "Signature is Valid" not in run.stdout


def _flip_in_content(data: bytes) -> bytes:
    """One byte of the rendered page changed: inside the first page's content stream."""
    at = data.index(b"stream\n", data.index(b"/Length")) + 20
    return data[:at] + bytes([data[at] ^ 0x01]) + data[at + 1 :]


def test_a_flipped_byte_fails_verification(pki: Pki, signed_pdf: bytes) -> None:
    problems = verify_pdf(_flip_in_content(signed_pdf), "brief.fr.pdf", [pki.ca_pem])
    assert problems
    assert any("changed after signing" in p.message for p in problems)
    assert all(p.severity == "error" for p in problems)


def test_bytes_appended_after_signing_are_caught(pki: Pki, signed_pdf: bytes) -> None:
    from io import BytesIO

    from pyhanko.pdf_utils import generic
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter

    writer = IncrementalPdfFileWriter(BytesIO(signed_pdf))
    writer.root["/Lang"] = generic.TextStringObject("en")
    writer.update_root()
    out = BytesIO()
    writer.write(out)
    problems = verify_pdf(out.getvalue(), "brief.fr.pdf", [pki.ca_pem])
    assert any("does not cover the whole file" in p.message for p in problems)


def test_an_untrusted_root_fails(pki: Pki, signed_pdf: bytes) -> None:
    [problem] = verify_pdf(signed_pdf, "brief.fr.pdf", [pki.other_ca_pem])
    assert "not trusted" in problem.message
    assert "Jeanne Martin" in problem.message
    assert problem.location.path == Path("brief.fr.pdf")


def test_no_trust_root_is_an_error_naming_the_certificate(signed_pdf: bytes) -> None:
    [problem] = verify_pdf(signed_pdf, "brief.fr.pdf", [])
    assert problem.severity == "error"
    assert "no trust root given" in problem.message
    assert "SHA-256" in problem.message


def test_an_unsigned_pdf_fails(pki: Pki, plain_pdf: bytes) -> None:
    [problem] = verify_pdf(plain_pdf, "brief.fr.pdf", [pki.ca_pem])
    assert problem.message == "the PDF is not signed"


def test_the_visible_box_is_on_the_last_page_in_the_documents_language(
    signed_pdf: bytes, tmp_path: Path
) -> None:
    from pypdf import PdfReader

    path = tmp_path / "brief.fr.pdf"
    path.write_bytes(signed_pdf)
    # poppler draws the box as a reader does: on the last page only, accents intact
    assert "Signé par" not in _page_text(signed_pdf, 1, tmp_path)
    last = _page_text(signed_pdf, 2, tmp_path)
    assert "Signé par : Jeanne Martin" in last
    assert "Motif : Approbation de la note" in last
    assert "Lieu : Astana" in last
    assert "Fin" in last
    reader = PdfReader(path)
    widget = reader.pages[-1]["/Annots"][0].get_object()
    assert widget["/FT"] == "/Sig"
    _x0, y0, x1, y1 = (float(v) for v in widget["/Rect"])
    width = float(reader.pages[-1].mediabox.width)
    assert x1 <= width - 40 and y0 >= 0 and y1 <= 46  # inside the bottom margin
    assert "/Annots" not in reader.pages[0]


def _page_text(data: bytes, number: int, folder: Path) -> str:
    """What poppler shows on page ``number`` (1-based; -1 the last), annotations included."""
    path = folder / "page.pdf"
    path.write_bytes(data)
    if number < 0:
        info = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True, check=True)
        number = int(info.stdout.split("Pages:")[1].split()[0])
    command = ["pdftotext", "-f", str(number), "-l", str(number), str(path), "-"]
    return subprocess.run(command, capture_output=True, text=True, check=True).stdout


def test_english_labels(pki: Pki, plain_pdf: bytes, tmp_path: Path) -> None:
    signer = load_signer(pki.good, PASSWORD)
    data = sign_pdf(
        plain_pdf,
        signer,
        reason="Approval",
        location="",
        lang="en",
        visible=True,
        signing_time=dt.datetime(2026, 3, 14, 9, 30, tzinfo=dt.UTC),
    )
    text = _page_text(data, -1, tmp_path)
    assert "Signed by: Jeanne Martin" in text
    assert "Date: 14 March 2026 09:30 UTC" in text
    assert "Reason: Approval" in text
    assert "Location" not in text


def test_same_key_and_time_give_the_same_bytes(pki: Pki, plain_pdf: bytes) -> None:
    signer = load_signer(pki.good, PASSWORD)
    runs = [
        sign_pdf(
            plain_pdf,
            signer,
            reason="R",
            location="L",
            lang="fr",
            visible=visible,
            signing_time=SIGNED_AT,
        )
        for visible in (True, True, False, False)
    ]
    assert runs[0] == runs[1]
    assert runs[2] == runs[3]
    later = sign_pdf(
        plain_pdf,
        signer,
        reason="R",
        location="L",
        lang="fr",
        visible=False,
        signing_time=SIGNED_AT + dt.timedelta(seconds=1),
    )
    assert later != runs[2]


@pytest.mark.parametrize("variant", [None, "pdf/a-3b"])
def test_signing_keeps_the_rendered_metadata(pki: Pki, variant: str | None) -> None:
    from io import BytesIO

    import weasyprint
    from pypdf import PdfReader

    rendered = weasyprint.HTML(string="<p>Bonjour</p>").write_pdf(pdf_variant=variant)
    signed = sign_pdf(
        rendered,
        load_signer(pki.good, PASSWORD),
        reason="",
        location="",
        lang="fr",
        visible=False,
        signing_time=SIGNED_AT,
    )
    before, after = PdfReader(BytesIO(rendered)), PdfReader(BytesIO(signed))
    update = b"\n" + signed[len(rendered) :]
    kept = [before.trailer.raw_get("/Info")]
    if "/Metadata" in before.root_object:
        kept.append(before.root_object.raw_get("/Metadata"))
    for ref in kept:  # neither the info dictionary nor the XMP stream is rewritten
        assert f"\n{ref.idnum} {ref.generation} obj".encode() not in update
    assert b"/ModDate" not in update
    assert dict(after.metadata or {}) == dict(before.metadata or {})
    if "/ID" in before.trailer:  # the document's identity stays; the revision's is new
        assert after.trailer["/ID"][0] == before.trailer["/ID"][0]
    assert after.trailer["/ID"][1] != after.trailer["/ID"][0]


@pytest.fixture
def tsa_url(pki: Pki) -> Any:
    """A real RFC 3161 exchange over HTTP on localhost, answered by pyHanko's test TSA."""
    import http.server
    import threading

    from asn1crypto import keys, tsp, x509
    from cryptography.hazmat.primitives import serialization
    from pyhanko.sign.timestamps import DummyTimeStamper

    cert, key = pki.tsa
    stamper = DummyTimeStamper(
        tsa_cert=x509.Certificate.load(cert.public_bytes(serialization.Encoding.DER)),
        tsa_key=keys.PrivateKeyInfo.load(
            key.private_bytes(
                serialization.Encoding.DER,
                serialization.PrivateFormat.PKCS8,
                serialization.NoEncryption(),
            )
        ),
    )

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            request = tsp.TimeStampReq.load(self.rfile.read(int(self.headers["Content-Length"])))
            body = stamper.request_tsa_response(request).dump()
            self.send_response(200)
            self.send_header("Content-Type", "application/timestamp-reply")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args: Any) -> None:
            pass

    server = http.server.HTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/tsr"
    server.shutdown()
    server.server_close()


def test_a_timestamp_server_makes_it_pades_b_t(pki: Pki, plain_pdf: bytes, tsa_url: str) -> None:
    from io import BytesIO

    from asn1crypto import pem, x509
    from pyhanko.pdf_utils.reader import PdfFileReader
    from pyhanko.sign.validation import validate_pdf_signature
    from pyhanko_certvalidator import ValidationContext

    signer = load_signer(pki.good, PASSWORD)
    data = sign_pdf(
        plain_pdf, signer, reason="", location="", lang="fr", visible=False, timestamp_url=tsa_url
    )
    assert verify_pdf(data, "brief.fr.pdf", [pki.ca_pem]) == []
    # trusting the signer alone is not trusting the timestamp authority
    [problem] = verify_pdf(data, "brief.fr.pdf", [pki.signer_pem])
    assert "timestamp is not valid or not trusted" in problem.message
    _t, _h, der = pem.unarmor(pki.ca_pem.read_bytes())
    context = ValidationContext(trust_roots=[x509.Certificate.load(der)])
    [signature] = PdfFileReader(BytesIO(data)).embedded_signatures
    status = validate_pdf_signature(signature, context)
    assert status.bottom_line
    assert status.timestamp_validity is not None and status.timestamp_validity.trusted


def test_an_unreachable_timestamp_server_is_a_clear_error(pki: Pki, plain_pdf: bytes) -> None:
    import socket

    with socket.socket() as probe:  # a port nobody listens on
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    url = f"http://127.0.0.1:{port}/tsr"
    with pytest.raises(DocgenError, match="did not answer") as caught:
        sign_pdf(
            plain_pdf,
            load_signer(pki.good, PASSWORD),
            reason="",
            location="",
            lang="fr",
            visible=False,
            timestamp_url=url,
        )
    assert caught.value.exit_code == 2
    assert str(caught.value.problems[0].location) == f"127.0.0.1:{port}"


# --- manifest ----------------------------------------------------------------------------

MANIFEST = b'{"files": {"report.fr.docx": "sha256:0f1e"}}\n'


def test_manifest_signature_verifies(pki: Pki) -> None:
    signature = sign_detached(MANIFEST, load_signer(pki.good, PASSWORD))
    assert verify_detached(MANIFEST, signature, "manifest.json", [pki.ca_pem]) == []


def test_a_changed_manifest_fails(pki: Pki) -> None:
    signature = sign_detached(MANIFEST, load_signer(pki.good, PASSWORD))
    changed = MANIFEST.replace(b"0f1e", b"0f1f")
    [problem] = verify_detached(changed, signature, "manifest.json", [pki.ca_pem])
    assert "changed after signing" in problem.message
    [problem] = verify_detached(MANIFEST, signature, "manifest.json", [pki.other_ca_pem])
    assert "not trusted" in problem.message
    [problem] = verify_detached(MANIFEST, b"garbage", "manifest.json", [pki.ca_pem])
    assert "unreadable signature" in problem.message


def test_manifest_signature_is_reproducible(pki: Pki) -> None:
    signer = load_signer(pki.good, PASSWORD)
    first = sign_detached(MANIFEST, signer, signing_time=SIGNED_AT)
    assert sign_detached(MANIFEST, signer, signing_time=SIGNED_AT) == first


@pytest.mark.skipif(shutil.which("openssl") is None, reason="openssl not installed")
def test_openssl_cms_verify_accepts_the_manifest_signature(pki: Pki, tmp_path: Path) -> None:
    manifest = tmp_path / "manifest.json"
    manifest.write_bytes(MANIFEST)
    p7s = tmp_path / "manifest.json.p7s"
    p7s.write_bytes(sign_detached(MANIFEST, load_signer(pki.good, PASSWORD)))
    command = [
        "openssl",
        "cms",
        "-verify",
        "-binary",
        "-content",
        str(manifest),
        "-inform",
        "DER",
        "-in",
        str(p7s),
        "-CAfile",
        str(pki.ca_pem),
        "-out",
        os.devnull,
    ]
    run = subprocess.run(command, capture_output=True, text=True, check=False)
    assert run.returncode == 0, run.stderr
    assert "Verification successful" in run.stderr
    manifest.write_bytes(MANIFEST.replace(b"0f1e", b"0f1f"))
    run = subprocess.run(command, capture_output=True, text=True, check=False)
    assert run.returncode != 0
    assert "Verification failure" in run.stderr


def test_a_signature_by_a_now_expired_certificate_fails(pki: Pki, plain_pdf: bytes) -> None:
    """Without a timestamp nothing proves the signature was made while the certificate was
    valid (B-B), so once it has expired verification fails."""
    then = NOW - dt.timedelta(days=100)
    signer = load_signer(pki.expired, PASSWORD, now=then)
    data = sign_pdf(
        plain_pdf, signer, reason="", location="", lang="fr", visible=False, signing_time=then
    )
    [problem] = verify_pdf(data, "brief.fr.pdf", [pki.ca_pem])
    assert "not trusted" in problem.message
    assert "expired" in problem.message


def test_the_box_text_keeps_what_its_font_can_show() -> None:
    from docgen.signing.pdf import _winansi

    assert _winansi("Signé par\u202f: Élodie “N’Diaye”") == 'Signé par : Élodie "N\'Diaye"'
    assert _winansi("Айгерим Ахметова") == "??????? ????????"
