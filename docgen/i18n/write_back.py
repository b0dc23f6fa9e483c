"""Writing translations back: into the source's front matter, and into ``NAME.LANG.md``.

Both edits touch only what changed. The front matter goes through ruamel.yaml's round trip
(comments, key order, quoting styles and indentation kept as the author wrote them); the
body translation is edited as text, replacing each changed unit's exact character range, so
every other byte of the file stays as it was.
"""

from __future__ import annotations

import io
import itertools
import re
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
from .record import Article
from .units import Body, Unit, join_lines, normalize

_FIELD = re.compile(r"^(?P<key>\w+)(?:\[(?P<index>\d+)\])?(?:\.(?P<sub>\w+))?$")
_UNESCAPED_PIPE = re.compile(r"(?<!\\)\|")
_BLOCK_START = re.compile(r"^(?:#{1,6}|[-+*]|\d{1,9}[.)]|>)(?=\s|$)|^(?:=+|-+)\s*$")


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


def render(text: str, unit: Unit) -> str:
    """A translated text as it goes into the unit's place in a Markdown file."""
    assert unit.span is not None
    if unit.span.cell:
        return _UNESCAPED_PIPE.sub(r"\\|", normalize(text))
    if unit.kind == "heading":
        return normalize(text)
    lines = [_escape_start(line) for line in clean_body(text).split("\n")]
    return ("\n" + unit.span.cont).join(lines)


def clean_body(text: str) -> str:
    """A body text as a unit holds it: one line, hard breaks as ``\\`` + newline."""
    return join_lines(text.strip().split("\n"))


def _escape_start(line: str) -> str:
    """A backslash before a leading ``#``, ``-``, ``1.`` or ``>`` that would start a block."""
    match = _BLOCK_START.match(line)
    if not match:
        return line
    at = match.end() - 1 if line[0].isdigit() else 0
    return line[:at] + "\\" + line[at:]


def body_edit(
    article: Article, lang: str, texts: dict[str, str]
) -> tuple[Path, str | None, list[str], list[str]]:
    """The translation file, its new text (None: unchanged), the units written, and the
    units that got the source text as a placeholder to keep the structure."""
    path = article.path.with_name(f"{article.path.stem}.{lang}{article.path.suffix}")
    source = article.body
    translation = article.translations.get(lang)
    if translation is None:
        if not texts:
            return path, None, [], []
        start, _ = source.region("intro")
        new, kept = _fill(source, start, len(source.text), texts)
        order = [unit.id for unit in source.units if unit.id in texts]
        return path, new.strip("\n") + "\n", order, kept
    theirs = translation.body
    by_id = {unit.id: unit for unit in theirs.units}
    edits: list[tuple[int, int, str]] = []
    written: list[str] = []
    placeholders: list[str] = []
    for group in source.starts:
        wanted = [u for u in source.units if u.group == group and u.id in texts]
        if not wanted:
            continue
        if group not in translation.mismatched:
            for unit in wanted:
                old = by_id[unit.id]
                if clean_body(texts[unit.id]) != old.text:
                    assert old.span is not None
                    edits.append((old.span.start, old.span.end, render(texts[unit.id], old)))
                    written.append(unit.id)
            continue
        start, end = source.region(group)
        content, missing = _fill(source, start, end, texts)
        at = theirs.region(group) if group in theirs.starts else _insertion(source, theirs, group)
        content = _separated(theirs.text, at, content)
        edits.append((*at, content))
        written.extend(u.id for u in wanted)
        placeholders.extend(missing)
    text = theirs.text
    for start, end, new in sorted(edits, reverse=True):
        text = text[:start] + new + text[end:]
    return path, (None if text == theirs.text else text), written, placeholders


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


def _fill(body: Body, start: int, end: int, texts: dict[str, str]) -> tuple[str, list[str]]:
    """The source text from ``start`` to ``end`` with each unit's text replaced by its
    translation; units without one keep the source text (and are listed)."""
    out: list[str] = []
    missing: list[str] = []
    at = start
    inside = [u for u in body.units if u.span and start <= u.span.start and u.span.end <= end]
    for unit in sorted(inside, key=lambda u: u.span.start if u.span else 0):
        span = unit.span
        assert span is not None
        out.append(body.text[at : span.start])
        if unit.id in texts:
            out.append(render(texts[unit.id], unit))
        else:
            out.append(body.text[span.start : span.end])
            missing.append(unit.id)
        at = span.end
    out.append(body.text[at:end])
    return "".join(out), missing
