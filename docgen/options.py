"""What a format backend is told besides the edition: the project, theme and variants."""

from __future__ import annotations

from dataclasses import dataclass

from .project import Project
from .theme import DEFAULT, Theme

PDF_VARIANTS = (
    "pdf/a-1b",
    "pdf/a-2b",
    "pdf/a-3b",
    "pdf/a-2u",
    "pdf/a-3u",
    "pdf/a-4u",
    "pdf/a-1a",
    "pdf/a-2a",
    "pdf/a-3a",
    "pdf/ua-1",
    "pdf/ua-2",
)
"""WeasyPrint's archival (PDF/A) and accessibility (PDF/UA) variants offered by --pdf-variant.
Kept here, not read from WeasyPrint, so that ``docgen --help`` does not import it."""


@dataclass(frozen=True)
class RenderOptions:
    """Options shared by every format backend. Backends return their outputs and warnings
    (``docgen.formats.RenderResult``) and never write files themselves."""

    project: Project
    draft: bool = False
    pdf_variant: str | None = None
    theme: Theme = DEFAULT
    source_date_epoch: int | None = None
    """``SOURCE_DATE_EPOCH`` as the coordinator read it: the time stamped into zip
    entries (else the article's date). Read once, so a job never looks at the clock."""
