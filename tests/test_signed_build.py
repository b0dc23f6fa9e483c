"""Signed packs end to end: ``docgen build --sign`` (or ``[signing]``), then ``docgen
verify``, checked independently with poppler's ``pdfsig`` and ``openssl cms -verify``,
against a throwaway CA made by the test (``tests/test_signing.py``'s ``pki``)."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest
from click.testing import CliRunner

from docgen.cli import main

from .conftest import MINIMAL_FRONT
from .test_signing import PASSWORD, Pki, make_pki

FRONT = MINIMAL_FRONT.replace(
    "date: 2026-03-14\n", "date: 2026-03-14\nsummary: {fr: Résumé., en: Summary.}\n"
)


def run(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(main, list(args))
    return result.exit_code, result.output


@pytest.fixture(scope="module")
def pki(tmp_path_factory: pytest.TempPathFactory) -> Pki:
    return make_pki(tmp_path_factory.mktemp("pki"))


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    (tmp_path / "docgen.toml").write_text("[docgen]\n", encoding="utf-8")
    (tmp_path / "source").mkdir()
    (tmp_path / "source" / "a.md").write_text(FRONT + "## Un\n\nTexte.\n", encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("DOCGEN_SIGN_PASSWORD", PASSWORD.decode())
    return tmp_path


@pytest.mark.slow
def test_a_signed_pack_verifies_with_docgen_pdfsig_and_openssl(project: Path, pki: Pki) -> None:
    code, out = run("build", "--sign", str(pki.good), "-q")
    assert code == 0, out
    pack = project / "output" / "a"
    assert (pack / "manifest.json.p7s").is_file()
    code, out = run("verify", "output/a", "--trust", str(pki.ca_pem))
    assert (code, out.strip()) == (0, "output/a: intact")
    for name in ("brief.fr.pdf", "summary.pdf"):
        checked = subprocess.run(
            ["pdfsig", str(pack / name)], capture_output=True, text=True, check=False
        )
        assert "Signature is Valid" in checked.stdout, checked.stdout
        assert "Total document signed" in checked.stdout
        assert "Jeanne Martin" in checked.stdout
    cms = subprocess.run(
        [
            "openssl", "cms", "-verify", "-binary", "-inform", "DER",
            "-content", str(pack / "manifest.json"), "-in", str(pack / "manifest.json.p7s"),
            "-CAfile", str(pki.ca_pem), "-purpose", "any", "-out", "/dev/null",
        ],
        capture_output=True,
        text=True,
        check=False,
    )  # fmt: skip
    assert cms.returncode == 0, cms.stderr


@pytest.mark.slow
def test_a_changed_word_file_or_an_untrusted_signer_fails(project: Path, pki: Pki) -> None:
    assert run("build", "--sign", str(pki.good), "-q")[0] == 0
    code, out = run("verify", "output/a", "--trust", str(pki.other_ca_pem))
    assert code == 2 and "output/a" in out
    code, out = run("verify", "output/a")
    assert code == 2, out  # signed, but nobody said whom to trust
    report = project / "output" / "a" / "report.fr.docx"
    data = bytearray(report.read_bytes())
    data[len(data) // 2] ^= 0xFF
    report.write_bytes(bytes(data))
    code, out = run("verify", "output/a", "--trust", str(pki.ca_pem))
    assert code == 2 and "report.fr.docx" in out


@pytest.mark.slow
def test_bad_keys_are_refused_before_anything_is_written(
    project: Path, pki: Pki, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert run("build", "-q", "-p", "brief")[0] == 0
    brief = project / "output" / "a" / "brief.fr.pdf"
    before = brief.read_bytes()
    (project / "source" / "a.md").write_text(FRONT + "## Deux\n\nAutre.\n", encoding="utf-8")
    code, out = run("build", "--sign", str(pki.expired), "-p", "brief")
    assert code == 2 and "expired.p12" in out
    monkeypatch.setenv("DOCGEN_SIGN_PASSWORD", "wrong")
    code, out = run("build", "--sign", str(pki.good), "-p", "brief")
    assert code == 2 and "good.p12" in out
    assert brief.read_bytes() == before


@pytest.mark.slow
def test_the_signing_table_signs_and_an_unsigned_rebuild_drops_the_signature(
    project: Path, pki: Pki
) -> None:
    (project / "docgen.toml").write_text(
        f'[docgen]\n\n[signing]\ncert = "{pki.good}"\nreason = "Diffusion"\nvisible = true\n',
        encoding="utf-8",
    )
    assert run("build", "-q", "-p", "brief")[0] == 0
    signature = project / "output" / "a" / "manifest.json.p7s"
    assert signature.is_file()
    assert run("verify", "output/a", "--trust", str(pki.ca_pem))[0] == 0
    (project / "docgen.toml").write_text("[docgen]\n", encoding="utf-8")
    assert run("build", "-q", "-p", "brief")[0] == 0
    assert not signature.exists()
    assert run("verify", "output/a")[0] == 0


def test_a_password_in_docgen_toml_is_refused(project: Path, pki: Pki) -> None:
    (project / "docgen.toml").write_text(
        f'[docgen]\n\n[signing]\ncert = "{pki.good}"\npassword = "secret"\n', encoding="utf-8"
    )
    code, out = run("check")
    assert code == 2 and "never put the password in docgen.toml" in out


def test_a_partial_build_keeps_the_pack_verifiable(project: Path) -> None:
    assert run("build", "-q")[0] == 0
    assert run("build", "-q", "-p", "brief", "--force")[0] == 0
    code, out = run("verify", "output/a")
    assert code == 0, out


@pytest.mark.slow
def test_a_signed_build_signs_the_binders_too(project: Path, pki: Pki) -> None:
    """``--sign`` with a pack: the binder and the sheets are signed PDFs, and the pack's
    manifest has its signature, checked by ``docgen verify`` and by pdfsig."""
    (project / "source" / "b.md").write_text(FRONT + "## Deux\n\nAutre texte.\n", encoding="utf-8")
    (project / "docgen.toml").write_text(
        '[docgen]\n\n[packs.visite]\ntitle = {fr = "Visite", en = "Visit"}\n'
        'date = 2026-03-14\narticles = ["a", "b"]\nlanguages = ["fr"]\n',
        encoding="utf-8",
    )
    code, out = run("build", "--pack", "visite", "--sign", str(pki.good), "-q")
    assert code == 0, out
    pack = project / "output" / "packs" / "visite"
    assert (pack / "manifest.json.p7s").is_file()
    code, out = run("verify", "output/packs/visite", "--trust", str(pki.ca_pem))
    assert (code, out.strip()) == (0, "output/packs/visite: intact"), out
    for name in ("binder.fr.pdf", "sheets.pdf"):
        checked = subprocess.run(
            ["pdfsig", str(pack / name)], capture_output=True, text=True, check=False
        )
        assert "Signature is Valid" in checked.stdout, (name, checked.stdout)
    code, out = run("build", "--pack", "visite", "-q")  # unsigned: the signature goes
    assert code == 0, out
    assert not (pack / "manifest.json.p7s").exists()
    assert run("verify", "output/packs/visite")[0] == 0
