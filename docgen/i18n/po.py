"""Gettext PO exchange, for translators working in Poedit, Weblate, Lokalize or an editor.

``msgctxt`` carries the unit id (two units may share a text), ``msgid`` the source text,
``msgstr`` the translation. The fingerprint travels as an extracted comment (``#.``), which
tools show and never edit; a stale translation is flagged ``fuzzy``, which is how gettext
says "translated once, to be reviewed". The header's dates are the article's, so that two
exports of the same article are identical. A stale unit carries the source text its
translation was made for as ``#| msgid`` (when the record kept it), as ``msgmerge`` does:
Poedit, Lokalize and Weblate show the translator what changed.
"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import polib

from ..errors import DocgenError
from .record import Entry
from .units import FINGERPRINT_NOTE
from .xliff import Exchange, Imported, describe

MAX_BYTES = 16 * 1024 * 1024
_ARTICLE_LINE = re.compile(r'^"X-Docgen-Article:', re.MULTILINE)
_SYNTAX_LINE = re.compile(r"\(line (\d+)\)")


def write(
    original: str, source_lang: str, lang: str, items: list[Entry], date: dt.date | None = None
) -> str:
    """The PO file for ``items``: one entry per unit, in document order. The header is
    complete (tools such as msgfmt and Poedit expect every field); its dates are the
    article's ``date``, never the clock's, so two exports of one article are identical."""
    po = polib.POFile(wrapwidth=78)
    stamp = f"{date.isoformat()} 00:00+0000" if date else "YEAR-MO-DA HO:MI+ZONE"
    po.header = (
        f"Translation of {original} from {source_lang!r} into {lang!r}, exported by docgen.\n"
        "Keep msgctxt and the '#. fingerprint' comments; unflag 'fuzzy' once reviewed."
    )
    po.metadata = {
        "Project-Id-Version": Path(original).stem,
        "POT-Creation-Date": stamp,
        "PO-Revision-Date": stamp,
        "Last-Translator": "FULL NAME <EMAIL@ADDRESS>",
        "Language-Team": f"{_language_name(lang)} <LL@li.org>",
        "Language": lang,
        "MIME-Version": "1.0",
        "Content-Type": "text/plain; charset=UTF-8",
        "Content-Transfer-Encoding": "8bit",
        "X-Generator": "docgen",
        "X-Source-Language": source_lang,
        "X-Docgen-Article": original,
    }
    for item in items:
        unit = item.unit
        po.append(
            polib.POEntry(
                msgctxt=unit.id,
                msgid=unit.text,
                msgstr=item.target,
                comment=f"fingerprint: {unit.fingerprint}\n{describe(unit)}",
                occurrences=[(original, str(unit.line))],
                flags=["fuzzy"] if item.state == "stale" else [],
                previous_msgid=item.previous,
            )
        )
    return str(po)


def _language_name(code: str) -> str:
    """``English`` for ``en``: the team named in the header, as gettext tools write it."""
    from babel import Locale, UnknownLocaleError

    try:
        return str(Locale.parse(code.replace("-", "_")).get_display_name("en"))
    except (UnknownLocaleError, ValueError):
        return code


def read(path: Path) -> Exchange:
    """Parse a PO file (UTF-8); a syntax error raises ``DocgenError`` at its line."""
    if path.stat().st_size > MAX_BYTES:
        raise DocgenError.at(path, f"file is larger than {MAX_BYTES:,} bytes")
    try:
        text = path.read_bytes().decode("utf-8")
    except UnicodeDecodeError as exc:
        raise DocgenError.at(path, f"not valid UTF-8 ({exc.reason}); save it as UTF-8") from None
    # polib takes a string naming an existing file as that file's path, not as PO text: a
    # file whose text is another file's path would import that file. So always hand it the
    # path of the file we checked (it is read again, strictly as UTF-8).
    try:
        po = polib.pofile(str(path), encoding="utf-8", wrapwidth=0)
    except (OSError, ValueError) as exc:
        error = str(exc).replace(str(path), "")
        match = _SYNTAX_LINE.search(error)
        line = int(match.group(1)) if match else 0
        message = _SYNTAX_LINE.sub("", error).replace("Syntax error in po file", "")
        reason = message.strip(" :") or "syntax error"
        raise DocgenError.at(path, f"invalid PO file: {reason}", line) from None
    meta = po.metadata
    named = _ARTICLE_LINE.search(text)
    exchange = Exchange(
        meta.get("X-Docgen-Article", ""),
        meta.get("X-Source-Language", ""),
        meta.get("Language", ""),
        1,
        original_line=text.count("\n", 0, named.start()) + 1 if named else 0,
    )
    for entry in po:
        if entry.obsolete:
            continue
        found = FINGERPRINT_NOTE.search(entry.comment or "")
        exchange.units.append(
            Imported(
                entry.msgctxt or "",
                entry.msgid,
                entry.msgstr,
                found.group(1) if found else "",
                bool(entry.msgstr.strip()) and "fuzzy" not in entry.flags,
                entry.linenum,
            )
        )
    return exchange
