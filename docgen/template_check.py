"""``docgen check``'s look at the templates a build would use, before anything renders.

A project's own templates (its ``templates/`` folder) are parsed and compiled by Jinja, so a
syntax error names the template file and line, and a missing include the line naming it.
docgen's built-in templates are part of docgen, compiled by its test suite like its Python
code: they are only read for the templates they include, so that a project template they
pull in (``common/meta.html`` overridden by the project) is still checked. A project with no
template of its own is checked without loading Jinja at all, which keeps ``check`` light.
"""

from __future__ import annotations

import re
from pathlib import Path

from .errors import Location, Problem
from .project import Project, builtin_templates_dir

BUILTIN_REFERENCE = re.compile(
    r"""\{%-?\s*(?:include|extends|import|from)\s+(["'])(?P<name>[^"'{}]+)\1"""
)
"""How docgen's own templates name the templates they use: a literal name right after the
tag (a test checks that this finds what Jinja's parser finds, for every built-in)."""


def builtin_references(source: str) -> list[tuple[str, int]]:
    """The templates a built-in template uses, with the line naming each."""
    return [
        (m.group("name"), source.count("\n", 0, m.start()) + 1)
        for m in BUILTIN_REFERENCE.finditer(source)
    ]


def compile_templates(project: Project, names: list[str]) -> list[Problem]:
    """Check ``names`` and every template they include, extend or import, without
    rendering: ``docgen check`` finds a broken template before a build fails on it."""
    builtin = builtin_templates_dir()
    own = [d for d in project.template_dirs if d.resolve() != builtin.resolve()]
    problems: list[Problem] = []
    seen: set[str] = set()
    todo: list[tuple[str, Path | None, int]] = [(name, None, 0) for name in names]
    while todo:
        name, parent, line = todo.pop(0)
        if name in seen:
            continue
        seen.add(name)
        if any(_shadowed(folder, name) for folder in own):
            found = _compile_own(project, name, parent, line)
            if isinstance(found, Problem):
                problems.append(found)
            else:
                todo += found
            continue
        path = builtin / name
        if ".." in Path(name).parts or not path.is_file():
            problems.append(
                Problem(Location(parent or Path(name), line), f"template not found: {name}")
            )
            continue
        todo += [(ref, path, at) for ref, at in builtin_references(path.read_text("utf-8"))]
    return problems


def _shadowed(folder: Path, name: str) -> bool:
    """Whether the project's ``folder`` holds a template ``name`` (which then wins)."""
    return ".." not in Path(name).parts and (folder / name).is_file()


def _compile_own(
    project: Project, name: str, parent: Path | None, line: int
) -> Problem | list[tuple[str, Path | None, int]]:
    """Parse and compile one of the project's templates: a problem, or the templates it
    uses, with the line naming each."""
    import jinja2
    from jinja2 import nodes

    from .templates import environment

    env = environment(project)
    try:
        source, filename, _ = env.loader.get_source(env, name)  # type: ignore[union-attr]
        tree = env.parse(source, name, filename)
        env.compile(tree, name, filename)
    except jinja2.TemplateSyntaxError as exc:
        path = Path(exc.filename) if exc.filename else Path(name)
        return Problem(Location(path, exc.lineno or 0), f"template syntax error: {exc.message}")
    except jinja2.TemplateNotFound:
        return Problem(Location(parent or Path(name), line), f"template not found: {name}")
    used: list[tuple[str, Path | None, int]] = []
    for node in tree.find_all((nodes.Include, nodes.Extends, nodes.Import, nodes.FromImport)):
        template = getattr(node, "template", None)
        if isinstance(template, nodes.Const) and isinstance(template.value, str):
            used.append((template.value, Path(filename or name), node.lineno))
    return used
