"""Signing a build: every PDF signed after layout, the manifest signed beside it.

The key is loaded and checked (password, validity, key usage) before anything is rendered
or written, so a wrong password or an expired certificate leaves the previous pack whole.
Signing happens in the coordinator, after the cache: cached renders stay unsigned bytes,
and the signature — the one part that varies with the signing time — is added last.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING

from ..errors import Problem
from .signer import SigningConfig, key_file_problems, load_signer, password_from_env_or_prompt

if TYPE_CHECKING:
    from ..engine.build import ArticlePlan
    from ..engine.job import Job
    from .signer import Signer


@dataclass(frozen=True)
class BuildSigner:
    """A loaded key and the settings every signature of one build shares."""

    config: SigningConfig
    signer: Signer
    signing_time: dt.datetime

    def sign_outputs(
        self, article: ArticlePlan, outputs: list[tuple[str, bytes, Job]]
    ) -> list[tuple[str, bytes, Job]]:
        """Every PDF of an article signed, in the language it is written in."""
        lang = article.doc.source_lang
        return [
            (name, self.sign_file(name, data, job.lang or lang), job) for name, data, job in outputs
        ]

    def sign_file(self, name: str, data: bytes, lang: str) -> bytes:
        """``data`` signed if ``name`` is a PDF (the signature box's words in ``lang``);
        other files as they are: the manifest's signature covers them."""
        from .pdf import sign_pdf

        if not name.endswith(".pdf"):
            return data
        return sign_pdf(
            data,
            self.signer,
            reason=self.config.reason,
            location=self.config.location,
            lang=lang,
            visible=self.config.visible,
            signing_time=self.signing_time,
            timestamp_url=self.config.timestamp_url,
        )

    def sign_manifest(self, data: bytes) -> bytes:
        from .cms import sign_detached

        return sign_detached(data, self.signer, signing_time=self.signing_time)


def prepare_signing(
    configured: SigningConfig | None, cert: Path | None
) -> tuple[BuildSigner | None, list[Problem]]:
    """The build's signer — from ``--sign CERT`` (the ``[signing]`` table's other settings
    kept) or the table alone — and a warning when the key file is readable by others."""
    if cert is not None:
        config = replace(configured, cert=cert) if configured else SigningConfig(cert=cert)
    elif configured is not None:
        config = configured
    else:
        return None, []
    signer = load_signer(config.cert, password_from_env_or_prompt(config.cert))
    now = dt.datetime.now(dt.UTC).replace(microsecond=0)
    return BuildSigner(config, signer, now), key_file_problems(config.cert)
