"""Re-reading a translation file before it is written: does it still pair with the source?

A translated text goes into ``NAME.LANG.md`` as Markdown. ``escape`` defuses the common
block starts, but Markdown has more ways to open a block than can be escaped without
changing what a text says (raw HTML, a ``[label]: url`` definition, a footnote definition,
a table…). An import that wrote such a text would report success and leave a file that
``docgen check`` then rejects. So the new text is parsed the way ``check`` will parse it and
compared with the source, unit for unit, before anything is written.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..markdown import parse_body
from .record import Article, compare_bodies, group_name
from .units import Body, body_units

if TYPE_CHECKING:
    from .write_back import BodyEdit

STRUCTURE = "changes the document's structure (a code fence, a list, raw HTML, a definition…)"

_SHOWN = 60


def structure_errors(
    article: Article, lang: str, texts: dict[str, str], edit: BodyEdit
) -> dict[str, str]:
    """Unit id → why its translation would break ``NAME.LANG.md`` (``STRUCTURE``, then the
    reason); empty when ``edit`` (writing all of ``texts``) leaves a file that pairs with
    the source.

    The whole edit is checked first, with one parse. Only when it fails is each written
    unit tried alone (the rest of the file as it is), so that every culprit is named and
    no innocent unit is: one bad unit renumbers the sections after it, so the combined
    result can't tell who did it.
    """
    whole = _fault(article, lang, edit)
    if whole is None:
        return {}
    from .write_back import body_edit  # ruamel.yaml: only when a translation is written back

    found: dict[str, str] = {}
    for ident in edit.rendered:
        reason = _fault(article, lang, body_edit(article, lang, {ident: texts[ident]}))
        if reason is not None:
            found[ident] = f"{STRUCTURE}: {reason}"
    if not found:  # only the translations together break it: name the first one
        ident = next(iter(edit.rendered), "body")
        found[ident] = f"{STRUCTURE}: {whole} (with the other units imported)"
    return found


def _fault(article: Article, lang: str, edit: BodyEdit) -> str | None:
    """Why the file ``edit`` would write doesn't pair with the source, or None if it does
    (or the edit changes nothing). Groups that already didn't pair and that the edit
    doesn't touch may stay so: the import only answers for what it writes."""
    if edit.text is None:
        return None
    parsed = parse_body(edit.text, edit.path)
    errors = [problem.message for problem in parsed.problems if problem.severity == "error"]
    if errors:
        return errors[0]
    new = body_units(parsed.blocks, parsed.footnotes, edit.text, 1)
    bad, _ = compare_bodies(article.path, article.body, edit.path, new)
    before = article.translations.get(lang)
    kept = before.mismatched if before is not None else frozenset()
    touched = {unit.group for unit in article.body.units if unit.id in edit.rendered}
    for group in dict.fromkeys([*article.body.starts, *new.starts]):
        if group in bad and (group in touched or group not in kept):
            return _miscount(article, new, group)
    by_id = {unit.id: unit for unit in new.units}
    for ident, markdown in edit.rendered.items():
        unit = by_id.get(ident)
        if unit is None or unit.span is None:
            return f"{ident} would no longer be a unit of its own"
        if edit.text[unit.span.start : unit.span.end] != markdown:
            return f"{ident} would read back as {_shorten(unit.text)!r}"
    return None


def _miscount(article: Article, new: Body, group: str) -> str:
    name, source = group_name(group), article.path.name
    if group not in article.body.starts:
        return f"it would add {name}, which {source} doesn't have"
    if group not in new.starts:
        return f"{name} would be gone"
    ours, theirs = article.body.counts()[group], new.counts()[group]
    return f"{name} would have {theirs} unit(s), {ours} in {source}"


def _shorten(text: str) -> str:
    return text if len(text) <= _SHOWN else text[: _SHOWN - 1] + "…"
