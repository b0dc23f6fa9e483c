"""Creating a publishing project, and copying built-in templates into one to customize.

``init`` writes a project that builds at once (``docgen build`` in it works), and never
overwrites a file: running it in an existing project is an error, not a reset.
"""

from __future__ import annotations

import shlex
import shutil
import sys
from dataclasses import dataclass
from pathlib import Path

from .errors import ConfigError, TemplateError
from .project import CONFIG_NAME, Project, builtin_templates_dir

CONFIG_TEXT = """\
# docgen project settings. Every setting is optional; the values shown are the defaults.
[docgen]
# Folder of the articles (NAME.md, translations NAME.LANG.md).
source = "source"
# Folder the outputs are written to (output/NAME/…).
output = "output"
# Folder of template overrides: a file here replaces the built-in of the same name
# (see `docgen templates list`).
templates = "templates"
# Products built by `docgen build` without --product: brief, report, sheet.
products = ["brief", "report", "sheet"]
# Formats built without --format (pdf, docx); empty: each product's own
# (brief: pdf, report: docx, sheet: pdf and docx).
formats = []
# Languages rendered without --lang ("all" for every translation); empty: the source's.
languages = []
# Paper size: "A4" or "Letter".
paper = "A4"
# The theme: colours, fonts and logo in the brand.yml format (used when the file exists).
theme = "_brand.yml"
# Raw HTML in articles is shown as text unless this is true (trusted authors only).
allow_raw_html = false
# Images and fonts from http(s) URLs are refused unless this is true.
allow_remote_resources = false
# Seconds one output may take to render before it is stopped (0: no limit).
time_limit = 120
"""

EXAMPLE_ARTICLE = """\
---
# An example article showing every field. Copy it to start a new one.
title:
  fr: "Exemple : une note de synthèse bilingue"
  en: "Example: a bilingual briefing note"
subtitle:
  fr: Ce que docgen fait d’une source Markdown
  en: What docgen makes of one Markdown source
short_title: {fr: Exemple, en: Example}
author:
  name: Camille Durand
  role: {fr: Conseillère politique, en: Political Adviser}
  organization: {fr: Ambassade de France, en: Embassy of France}
date: 2026-03-14
lang: fr
classification: {fr: DIFFUSION RESTREINTE, en: RESTRICTED}
keywords: [exemple, docgen]
summary:
  fr: >-
    Une source, trois sorties : la note PDF, le rapport Word et la fiche bilingue,
    toujours d’accord entre elles.
  en: >-
    One source, three outputs: the PDF brief, the Word report and the bilingual sheet,
    always in agreement.
key_points:
  - fr: Le texte est écrit une seule fois, en Markdown.
    en: The text is written once, in Markdown.
  - fr: La typographie française est appliquée partout.
    en: French typography is applied everywhere.
timeline:
  - date: 2026-01
    text: {fr: Premier projet., en: First draft.}
  - date: 2026-03-14
    text: {fr: Publication., en: Publication.}
contact: {fr: "Service de presse — presse@example.org", en: "Press office — press@example.org"}
---

Les paragraphes avant le premier titre forment l’introduction.

## Première partie

Un paragraphe avec de l’*emphase*, du **gras** et une note[^1].

- Une liste,
- à puces.

## Deuxième partie

| Pays   | Capitale |
|--------|----------|
| Maroc  | Rabat    |
| France | Paris    |

[^1]: Le texte de la note.
"""

EXAMPLE_TRANSLATION = """\
The paragraphs before the first heading are the introduction.

## Part one

A paragraph with *emphasis*, **bold** and a note[^1].

- A list,
- with bullets.

## Part two

| Country | Capital |
|---------|---------|
| Morocco | Rabat   |
| France  | Paris   |

[^1]: The text of the note.
"""

GITIGNORE = "/output/\n/.docgen/\n/translations/\n"


def init(folder: Path) -> list[Path]:
    """Create a project in ``folder`` (created if missing); returns the files written."""
    folder = folder.resolve()
    if (folder / CONFIG_NAME).exists():
        raise ConfigError.at(folder / CONFIG_NAME, "already a docgen project; nothing changed")
    files = {
        folder / CONFIG_NAME: CONFIG_TEXT,
        folder / "source" / "example.md": EXAMPLE_ARTICLE,
        folder / "source" / "example.en.md": EXAMPLE_TRANSLATION,
        folder / "templates" / ".gitkeep": "",
    }
    existing = [path for path in files if path.exists()]
    if existing:
        raise ConfigError.at(existing[0], "already exists; init never overwrites a file")
    for path, text in files.items():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    gitignore = folder / ".gitignore"
    if not gitignore.exists():
        gitignore.write_text(GITIGNORE, encoding="utf-8")
        files[gitignore] = GITIGNORE
    from .i18n import accept

    # The example's translation is accepted as written, so that editing the French text
    # shows at once what stale translations look like.
    record = accept(folder / "source" / "example.md")
    return sorted([*files, record])


@dataclass(frozen=True)
class TemplateFile:
    """A template name, the file it resolves to, and whether the project overrides it."""

    name: str
    path: Path
    overridden: bool


def list_templates(project: Project) -> list[TemplateFile]:
    """Every built-in template file and where it resolves from, plus project-only files."""
    builtin = builtin_templates_dir()
    names = {p.relative_to(builtin).as_posix() for p in builtin.rglob("*") if p.is_file()}
    own = project.templates_dir
    if own.is_dir() and own.resolve() != builtin.resolve():
        names |= {
            p.relative_to(own).as_posix()
            for p in own.rglob("*")
            if p.is_file() and p.name != ".gitkeep"
        }
    found = []
    for name in sorted(names):
        local = own / name
        overridden = local.is_file() and own.resolve() != builtin.resolve()
        found.append(TemplateFile(name, local if overridden else builtin / name, overridden))
    return found


def eject(project: Project, name: str, force: bool = False) -> list[Path]:
    """Copy a built-in template file, or a whole folder (``brief``), into the project."""
    builtin = builtin_templates_dir()
    source = (builtin / name).resolve()
    if source == builtin.resolve():
        raise TemplateError.at(
            Path(name),
            "name a template or a folder (brief, summary, report, fonts) to eject;"
            " ejecting everything would cut the project off from future built-in fixes",
        )
    if not source.is_relative_to(builtin.resolve()) or not source.exists():
        known = sorted({t.name.split("/", 1)[0] for t in list_templates(project)})
        raise TemplateError.at(
            Path(name), f"no built-in template of that name; try one of {', '.join(known)}"
        )
    if project.templates_dir.resolve() == builtin.resolve():
        raise TemplateError.at(
            project.templates_dir, "this project's templates are the built-ins themselves"
        )
    files = [source] if source.is_file() else sorted(p for p in source.rglob("*") if p.is_file())
    targets = [project.templates_dir / p.relative_to(builtin.resolve()) for p in files]
    clashes = [t for t in targets if t.exists()]
    if clashes and not force:
        raise TemplateError.at(clashes[0], "already exists; use --force to overwrite it")
    for file, target in zip(files, targets, strict=True):
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(file, target)
    return targets


def docgen_command() -> str:
    """How to run this docgen again, for the next steps ``init`` prints: ``docgen`` when
    that name on the PATH is this program, else the running program's own path (a
    virtual environment's ``.venv/bin/docgen`` not activated), or ``python -m docgen``."""
    argv0 = Path(sys.argv[0])
    if argv0.suffix == ".py" or argv0.name == "-m":
        return f"{shlex.quote(sys.executable)} -m docgen"
    running = shutil.which(str(argv0)) if argv0.parent == Path() else str(argv0)
    on_path = shutil.which("docgen")
    if running and on_path and Path(on_path).absolute() == Path(running).absolute():
        return "docgen"
    if running and Path(running).is_file():
        return shlex.quote(str(Path(running).absolute()))
    return f"{shlex.quote(sys.executable)} -m docgen"
