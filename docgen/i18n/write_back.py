"""Writing translations back: into the source's front matter, and into ``NAME.LANG.md``.

Both edits touch only what changed. The front matter goes through ruamel.yaml's round trip
(comments, key order, quoting styles and indentation kept as the author wrote them); the
body translation is edited as text, replacing each changed unit's exact character range, so
every other byte of the file stays as it was. The Markdown a translation becomes is
``escape``'s business; whether the new file still pairs with the source, ``verify``'s.
"""

from __future__ import annotations

import io
import itertools
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.scalarstring import (
    DoubleQuotedScalarString,
    FoldedScalarString,
    LiteralScalarString,
    SingleQuotedScalarString,
)

from ..errors import DocgenError
from ..source import read_text, split
from .escape import clean_body, render
from .record import Article
from .units import Body, Unit

_FIELD = re.compile(r"^(?P<key>\w+)(?:\[(?P<index>\d+)\])?(?:\.(?P<sub>\w+))?$")


# --------------------------------------------------------------------------- front matter


def front_matter_edit(
    path: Path, lang: str, source_lang: str, texts: dict[str, str]
) -> tuple[str | None, list[str]]:
    """The source file's text with the ``lang`` text of each field in ``texts`` set (None
    when all are there already) and the fields changed. Every other YAML line stays."""
    original = read_text(path)
    source = split(path, original)
    yaml = _yaml(source.front_matter)
    data = yaml.load(source.front_matter)
    changed: list[str] = []
    for ident, new in texts.items():
        container, key = _locate(data, ident, path)
        value = container[key]
        if isinstance(value, CommentedMap):
            old = value.get(lang)
            if old is not None and _plain(old) == new:
                continue
            styled = _styled(new, old if old is not None else value.get(source_lang))
            if old is not None:
                value[lang] = styled
            else:
                _append(value, lang, styled)
        else:
            if _plain(value) == new:
                continue
            container[key] = CommentedMap([(source_lang, value), (lang, _styled(new, value))])
        changed.append(ident)
    if not changed:
        return None, []
    buffer = io.StringIO()
    yaml.dump(data, buffer)
    lines = original.split("\n")
    rest = "\n".join(lines[source.body_line - 2 :])
    return lines[0] + "\n" + buffer.getvalue() + rest, changed


def _yaml(text: str) -> YAML:
    """A round-trip YAML that writes back the way this front matter is written."""
    mapping, sequence, offset = _indents(text)
    yaml = YAML(typ="rt", pure=True)
    yaml.preserve_quotes = True
    yaml.width = 4096
    yaml.indent(mapping=mapping, sequence=sequence, offset=offset)
    return yaml


def _indents(text: str) -> tuple[int, int, int]:
    """The mapping indent, sequence indent and dash offset the author used (2, 4, 2 when
    the file doesn't show them)."""
    found: dict[str, int] = {}
    lines = [
        line for line in text.split("\n") if line.strip() and not line.lstrip().startswith("#")
    ]
    for parent, child in itertools.pairwise(lines):
        if not parent.rstrip().endswith(":"):
            continue
        depth = len(parent) - len(parent.lstrip(" -"))
        inner = len(child) - len(child.lstrip(" "))
        if child.lstrip().startswith("- "):
            found.setdefault("offset", max(inner - depth, 0))
        elif inner > depth:
            found.setdefault("mapping", inner - depth)
    offset = found.get("offset", 2)
    return found.get("mapping", 2), offset + 2, offset


def _locate(data: Any, ident: str, path: Path) -> tuple[Any, Any]:
    """The container and key holding field ``ident`` (``key_points[2]``, ``author.role``)."""
    match = _FIELD.match(ident)
    try:
        assert match is not None
        node = data[match["key"]]
        container, key = data, match["key"]
        if match["index"] is not None:
            assert isinstance(node, CommentedSeq)
            container, key = node, int(match["index"])
            node = node[key]
        if match["sub"] is not None:
            assert isinstance(node, CommentedMap)
            container, key = node, match["sub"]
        container[key]  # must exist
    except (AssertionError, KeyError, IndexError, TypeError):
        raise DocgenError.at(path, f"{ident}: no such field in the front matter") from None
    return container, key


def _plain(value: object) -> str:
    return str(value).replace("\a", "").strip()


def _styled(text: str, like: object) -> str:
    """``text`` in the YAML style of ``like`` (the old translation, or the source text)."""
    if isinstance(like, FoldedScalarString):
        folded: str = FoldedScalarString(text)
        folded.fold_pos = _folds(text, _fold_width(like))  # type: ignore[attr-defined]
        return folded
    for style in (LiteralScalarString, DoubleQuotedScalarString, SingleQuotedScalarString):
        if isinstance(like, style):
            styled: str = style(text)
            return styled
    return text


def _fold_width(folded: FoldedScalarString) -> int:
    points = [-1, *getattr(folded, "fold_pos", []), len(folded)]
    widths = [b - a - 1 for a, b in itertools.pairwise(points)]
    return max(widths) if len(widths) > 1 else 80


def _folds(text: str, width: int) -> list[int]:
    """Where to fold a ``>`` scalar so that its lines stay within ``width`` columns."""
    if "\n" in text:
        return []
    folds: list[int] = []
    start = 0
    for word in re.finditer(r"\S+", text):
        at = word.start()
        if word.end() - start > width and at > start + 1 and text[at - 2] != " ":
            folds.append(at - 1)
            start = at
    return folds


def _append(mapping: CommentedMap, key: str, value: str) -> None:
    """Add a key at the end; comment lines that followed the old last value follow the new."""
    last = next(reversed(mapping), None)
    mapping[key] = value
    comments = mapping.ca.items.get(last)
    after = comments[2] if comments and len(comments) > 2 else None
    if after is not None and after.value.startswith("\n"):
        mapping.ca.items[key] = [None, None, after, None]
        comments[2] = None


# --------------------------------------------------------------------------- body


@dataclass
class BodyEdit:
    """A planned edit of ``NAME.LANG.md`` at ``path``: its new ``text`` (None: unchanged),
    the units ``written``, the units given the source text as a ``placeholder`` to keep the
    structure, and the Markdown ``rendered`` in each written unit's place (what re-reading
    the new text must find there)."""

    path: Path
    text: str | None = None
    written: list[str] = field(default_factory=list)
    placeholders: list[str] = field(default_factory=list)
    rendered: dict[str, str] = field(default_factory=dict)


def body_edit(article: Article, lang: str, texts: dict[str, str]) -> BodyEdit:
    """The edit that writes the body ``texts`` (unit id → translation) into ``NAME.LANG.md``,
    touching only the units that changed (or creating the file from the source's structure).
    Nothing is written here: ``verify`` checks the result first."""
    path = article.path.with_name(f"{article.path.stem}.{lang}{article.path.suffix}")
    out = BodyEdit(path)
    source = article.body
    translation = article.translations.get(lang)
    if translation is None:
        if not texts:
            return out
        start, _ = source.region("intro")
        new, out.placeholders = _fill(source, start, len(source.text), texts, out.rendered)
        out.written = [unit.id for unit in source.units if unit.id in texts]
        out.text = new.strip("\n") + "\n"
        return out
    theirs = translation.body
    by_id = {unit.id: unit for unit in theirs.units}
    edits: list[tuple[int, int, str]] = []
    written, placeholders, rendered = out.written, out.placeholders, out.rendered
    for group in source.starts:
        wanted = [u for u in source.units if u.group == group and u.id in texts]
        if not wanted:
            continue
        if group not in translation.mismatched:
            for unit in wanted:
                old = by_id[unit.id]
                assert old.span is not None
                new = render(texts[unit.id], old)  # as escaped: "***" may be there as "\***"
                if clean_body(texts[unit.id]) != old.text and new != _raw(theirs, old):
                    rendered[unit.id] = new
                    edits.append((old.span.start, old.span.end, new))
                    written.append(unit.id)
            continue
        start, end = source.region(group)
        content, missing = _fill(source, start, end, texts, rendered)
        at = theirs.region(group) if group in theirs.starts else _insertion(source, theirs, group)
        content = _separated(theirs.text, at, content)
        edits.append((*at, content))
        written.extend(u.id for u in wanted)
        placeholders.extend(missing)
    text = theirs.text
    for start, end, new in sorted(edits, reverse=True):
        text = text[:start] + new + text[end:]
    out.text = None if text == theirs.text else text
    return out


def _raw(body: Body, unit: Unit) -> str:
    assert unit.span is not None
    return body.text[unit.span.start : unit.span.end]


def _separated(text: str, at: tuple[int, int], content: str) -> str:
    """``content`` with the blank lines it needs to stand apart from its neighbours."""
    before = text[: at[0]]
    if before and not before.endswith("\n\n"):
        content = "\n" * (2 - (len(before) - len(before.rstrip("\n")))) + content
    if at[1] < len(text) and not content.endswith("\n\n"):
        content = content.rstrip("\n") + "\n\n"
    return content


def _insertion(source: Body, theirs: Body, group: str) -> tuple[int, int]:
    """Where a group missing from a translation goes: after the last group before it in
    the source that the translation has (footnotes aside, since they may stand anywhere)."""
    order = [name for name in source.starts if not name.startswith("fn")]
    for earlier in reversed(order[: order.index(group)]):
        if earlier in theirs.starts:
            _, end = theirs.region(earlier)
            return end, end
    return 0, 0


def _fill(
    body: Body, start: int, end: int, texts: dict[str, str], rendered: dict[str, str]
) -> tuple[str, list[str]]:
    """The source text from ``start`` to ``end`` with each unit's text replaced by its
    translation (noted in ``rendered``); units without one keep the source text (and are
    listed)."""
    out: list[str] = []
    missing: list[str] = []
    at = start
    inside = [u for u in body.units if u.span and start <= u.span.start and u.span.end <= end]
    for unit in sorted(inside, key=lambda u: u.span.start if u.span else 0):
        span = unit.span
        assert span is not None
        out.append(body.text[at : span.start])
        if unit.id in texts:
            rendered[unit.id] = render(texts[unit.id], unit)
            out.append(rendered[unit.id])
        else:
            out.append(body.text[span.start : span.end])
            missing.append(unit.id)
        at = span.end
    out.append(body.text[at:end])
    return "".join(out), missing
