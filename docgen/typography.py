"""Language-correct typography, applied to the document model once, before rendering.

Why a model transform: the PDF brief, the Word report and the bilingual sheet must show
the same characters. Fixing the tree once (``apply``) means no renderer has its own idea
of where a no-break space goes, and authors can type the source on a plain keyboard.

The language is the primary subtag of a code: "fr", "fr-FR", "fr_CA" are French.

French ("fr")
  * U+202F (narrow no-break space) before ``; ! ?`` and inside ``« »``. An ordinary space,
    a soft line break, a thin space or U+00A0 already there is replaced; a missing one is
    inserted ("Quoi?" → "Quoi\\u202f?"). None after another ``?``/``!`` or an opening
    bracket or quote: "Quoi?!" → "Quoi\\u202f?!"; a space typed inside "? !" is removed.
  * U+00A0 before ``:``: replaces a space typed there; inserted when missing after a letter,
    a digit or a closing bracket/quote, but only when the colon ends a word (followed by a
    space, the end, or a closing mark), so "10:55", "3:2", "C:\\", "std::x", "a:b" stay.
  * ’ for ' between a letter (or digit) and a letter: "l'homme" → "l’homme".
  * Straight "…" pairs → « … » (the spaces come from the rule above), or “ … ” when the
    pair stands inside an open « ». A straight quote that cannot be paired is left as is.
    Quotes typed with inner spaces (" mot ") pair too.
  * U+00A0 between a number and its unit or symbol (``_UNITS``: %, ‰, €, $, £, ¥, km,
    km², km/h, m, m², m³, cm, mm, kg, g, mg, t, Mt, Gt, ha, h, min, s, ms, °C, °F, kW, MW,
    GW, kWh, MWh, GWh, TWh, k€, M€, Md€, Md, Mds, Mrd, Mrds, million(s), milliard(s)),
    replacing one space or inserting it ("5%" → "5\\u00a0%"). "10h30" is a time, left.
  * Thousands separator: U+202F, as the Imprimerie nationale recommends (a no-break space
    that is also narrow). Plain integers of five digits or more are grouped
    ("17400" → "17\\u202f400"); a number the author already grouped with spaces or
    U+00A0 ("17 400", "3 000": 1–3 digits then groups of exactly three) gets U+202F
    separators. Left alone: 4-digit numbers and years, numbers with a decimal part
    ("12345.5", "12345,5"), numbers starting with 0 (codes, phone numbers), digits glued
    to letters ("A320"), numbers after an acronym or "n°" ("ISO 14001", "BP 12345"),
    phone numbers and 5-digit numbers followed by a capitalised word (postcodes).
  * "..." → "…".

English ("en")
  * Straight "…" pairs → “…”; ' → ’ as an apostrophe or closing quote ("don't", "'90s"),
    ‘ as an opening quote.
  * No space before ``; : ! ?``: an ordinary space, U+00A0 or U+202F there is removed.
  * "..." → "…".

Any other language: only the apostrophe (letter'letter → ’) and the ellipsis rules.

Exceptions, in every language: nothing is changed inside a URL (a token starting with
http://, https://, ftp://, mailto: or www.), an e-mail address, a file path ("C:\\x",
"/usr/bin", "./a", "~/a"), a time ("10:55", "10h30"), a phone number, an identifier
("ISO 14001", "n° 12345"), nor in code: ``Code``, ``CodeBlock``, ``RawInline``,
``RawBlock``, link targets and image sources are never touched.

Inline markup does not stop the rules: the Text nodes of one paragraph (heading, table
cell, caption…) are fixed as one stream, so in ``"il a dit *très* bien"`` the two quotes
pair although they sit in different nodes. Code, raw HTML, images and footnote calls stand
in the stream as one opaque character, a hard line break as a newline: rules see them but
never edit them (an image's alt text is a stream of its own).

Front matter: every ``Localized`` text is fixed in its own language code. A universal
text (key ``"*"``: a name, an acronym, a title typed once) is fixed in the source language
``doc.meta.lang``: the author typed it in that language, so that is the typography it
needs. Keywords and the author's name are identifiers and stay untouched.

Link and image titles are prose (a figure's title is its caption) and are fixed too.

The rules are written to be idempotent, and the stream is re-run until it stops changing
(a second pass is a check that finds nothing on real text), so
``apply(apply(d)) == apply(d)``; text already correctly typed comes back unchanged.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, replace

from .model import (
    Author,
    Block,
    BlockQuote,
    BulletList,
    Code,
    Document,
    Emphasis,
    Figure,
    Footnote,
    FootnoteRef,
    Heading,
    Image,
    Inline,
    LineBreak,
    Link,
    ListItem,
    Localized,
    Metadata,
    OrderedList,
    Paragraph,
    RawInline,
    Section,
    Strikethrough,
    Strong,
    Table,
    TableCell,
    Text,
)

__all__ = ["NBSP", "NNBSP", "apply", "fix_text"]

NBSP = "\u00a0"
"""No-break space: before a French colon, between a number and its unit."""

NNBSP = "\u202f"
"""Narrow no-break space: before French ; ! ?, inside « », between groups of digits."""

_ATOM = "\ufffc"
"""Stands in the text stream for a node the rules must see but never edit (code, image…)."""

# --------------------------------------------------------------------------- patterns

# Characters a spacing rule may replace: space, tab, soft line break, NBSP, NNBSP, thin space.
_SP = r"[ \t\n\u00a0\u202f\u2009]"

# Never edited: URL tokens.
_URL = re.compile(r"(?:https?://|ftp://|mailto:|www\.)[^\s<>\"«»“”\ufffc]*", re.IGNORECASE)

# Never edited: e-mail addresses.
_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")

# Never edited: Windows paths ("C:\Temp") and Unix-like paths with at least two parts or a
# relative start ("/usr/bin", "./a", "../a", "~/a"); "et/ou" and "24 h/24" are not paths.
_WIN_PATH = re.compile(r"(?<![\w])[A-Za-z]:\\[^\s\ufffc]*")
_UNIX_PATH = re.compile(r"(?<![\w/.~])(?:(?:~|\.{1,2})/[\w.-]+(?:/[\w.-]*)*|/[\w.-]+(?:/[\w.-]*)+)")

# Never edited: times and ratios "10:55", "10:55:02", "3:2", and French times "10h30".
_TIME = re.compile(r"(?<![\w:])\d{1,2}:\d{2}(?::\d{2})?(?!\w)|(?<!\w)\d{1,2}h\d{2}(?!\w)")

# Never edited: identifiers, a number after an acronym ("ISO 14001", "CVE-2024-12345",
# "BP 12345") or after "n°" / "#".
_IDENTIFIER = re.compile(
    r"\b[A-Z]{2,}[ \u00a0-]?\d[\w./:-]*|(?<!\w)[nN][°º][ \u00a0]?\d[\w./-]*|#\d[\w-]*"
)

# Never edited: phone numbers, international ("+212 5 37 12 34 56") or French
# ("06 12 34 56 78").
_PHONE = re.compile(
    r"\+\d{1,3}(?:[ \u00a0.()-]*\d){6,}|(?<![\w.,])0\d(?:[ .\u00a0-]?\d\d){4}(?!\d)"
)

_PROTECTED = (_URL, _EMAIL, _WIN_PATH, _UNIX_PATH, _TIME, _IDENTIFIER, _PHONE)

# Sentence punctuation ending a protected token is not part of it, so that in
# "voir https://x.fr/a?" or "(C:\Temp)" the "?" still gets its space and ")" is free.
_PROTECTED_TAIL = ".,;:!?)]}'’\""

# Exactly three dots (four or more are left: they are not an ellipsis typed by hand).
_ELLIPSIS = re.compile(r"(?<!\.)\.\.\.(?!\.)")

# A straight apostrophe between a letter or digit and a letter: l'homme, don't, 1990's.
_APOSTROPHE = re.compile(r"(?<=[^\W_])'(?=[^\W\d_])")

# English: an elided year after a space or an opening mark: '90s → ’90s.
_EN_ELIDED_YEAR = re.compile(r"(?<![^\s(\[{“‘\"—–])'(?=\d\d(?!\d))")

# English: an opening single quote, after a space or an opening mark, before a letter/digit.
_EN_OPEN_SINGLE = re.compile(r"(?<![^\s(\[{“\"—–])'(?=[^\W_])")

# English: a closing single quote (or apostrophe at a word's end: "the States' policy"),
# after a letter or a closing mark, before a space, punctuation or the end.
_EN_CLOSE_SINGLE = re.compile(r"(?<=[^\W\d_]|[.,!?…)\]”])'(?=[\s.,;:!?…)\]”\"\ufffc—–-]|$)")

# English: spaces before ; : ! ? (the rule removes them).
_EN_SPACE_BEFORE_PUNCT = re.compile(rf"(?<=\S){_SP}+(?=[;:!?])")

# French: spaces (or none) right after « when something follows.
_FR_AFTER_GUILLEMET = re.compile(rf"(?<=«){_SP}*(?=[^\s»])")

# French: spaces (or none) right before » when something precedes.
_FR_BEFORE_GUILLEMET = re.compile(rf"(?<=[^\s«]){_SP}*(?=»)")

# French: spaces typed inside "? !" / "! ?" (removed: the marks stay glued, "?!").
_FR_SPACE_INSIDE_MARKS = re.compile(rf"(?<=[!?]){_SP}+(?=[!?])")

# French: spaces (or none) before a run of ; ! ? — not at the start, not after another
# mark or an opening bracket/quote.
_FR_SPACE_BEFORE_HIGH_PUNCT = re.compile(rf"(?<=[^\s(\[{{«“‘!?;:¿¡]){_SP}*(?=[;!?])")

# French: spaces typed before a colon (not the "::" of code nor the "://" of a URL).
_FR_SPACE_BEFORE_COLON = re.compile(rf"(?<=[^\s(\[{{«“‘!?;:]){_SP}+(?=:(?![:/\\]))")

# French: a colon glued to a letter, digit or closing mark, and ending the word.
_FR_GLUED_COLON = re.compile(r"(?:(?<=[^\W_])|(?<=[)\]»”’…\ufffc]))(?=:(?:[\s»”)\]\ufffc]|$))")

# French: a number the author grouped: 1-3 digits, then groups of exactly 3 digits.
_FR_GROUPED_NUMBER = re.compile(
    r"(?<![\w.,/+#@])(?<!\w-)(?<!\d[ \u00a0\u202f])"
    r"\d{1,3}(?:[ \u00a0\u202f]\d{3})+"
    r"(?!\w|[.,]\d|[ \u00a0\u202f]\d)"
)

# French: a plain integer of 5+ digits, not starting with 0, standing alone.
_FR_LONG_NUMBER = re.compile(
    r"(?<![\w.,/+#@])(?<!\w-)(?<!\d[ \u00a0\u202f])"
    r"[1-9]\d{4,}"
    r"(?!\w|[.,:/-]\d|[ \u00a0\u202f]\d)"
)

# French: a 5-digit number followed by a capitalised word is a postcode ("10000 Rabat").
_FR_POSTCODE_TAIL = re.compile(r"[ \u00a0][A-ZÀ-Ý]")

_UNITS = (
    "%", "‰", "€", "$", "£", "¥",
    "km", "km²", "km/h", "m", "m²", "m³", "cm", "mm",
    "kg", "g", "mg", "t", "Mt", "Gt", "ha",
    "h", "min", "s", "ms", "°C", "°F",
    "kW", "MW", "GW", "kWh", "MWh", "GWh", "TWh",
    "k€", "M€", "Md€", "Md", "Mds", "Mrd", "Mrds",
    "million", "millions", "milliard", "milliards",
)  # fmt: skip
"""Units and symbols that take a no-break space after a number in French."""

# French: a standalone number (decimal comma/point and U+202F groups allowed), at most one
# space, a unit that ends the word (not "3 mois", not "2 m’ont").
_FR_NUMBER_UNIT = re.compile(
    r"(?<![\w.,])\d+(?:[.,\u202f]\d+)*"
    r"(?P<space>[ \u00a0\u202f\u2009]?)"
    r"(?:" + "|".join(re.escape(u) for u in sorted(_UNITS, key=len, reverse=True)) + r")"
    r"(?![\w'’])"
)

# Straight double quotes: what may stand before an opening one / after a closing one.
_OPEN_BEFORE = frozenset("([{«“‘'\"—–-/")
_CLOSE_AFTER = frozenset(".,;:!?…)]}»”’'\"—–-/" + _ATOM)

# --------------------------------------------------------------------------- edits


@dataclass(frozen=True)
class _Edit:
    """Replace ``text[start:end]`` by ``new``.

    ``right`` says where an insertion (``start == end``) goes when it falls between two
    nodes: into the node that follows (True) or the one before. A space before "?" belongs
    with the "?", a space after "«" with the "«".
    """

    start: int
    end: int
    new: str
    right: bool = True


_Rule = Callable[[str], list[_Edit]]
_Spans = list[tuple[int, int]]

_MAX_PASSES = 5
"""Safety bound on the passes of ``_run_rules``; real text settles after the first."""


def _regex_rule(
    pattern: re.Pattern[str], new: str, group: int | str = 0, *, right: bool = True
) -> _Rule:
    """A rule replacing ``group`` of every match of ``pattern`` by ``new``."""

    def rule(text: str) -> list[_Edit]:
        return [_Edit(m.start(group), m.end(group), new, right) for m in pattern.finditer(text)]

    return rule


def _protected_spans(text: str) -> _Spans:
    """Where nothing may change: URLs, e-mail addresses, paths, times, identifiers, phones."""
    spans: _Spans = []
    for pattern in _PROTECTED:
        for match in pattern.finditer(text):
            start = match.start()
            end = start + len(match.group().rstrip(_PROTECTED_TAIL))
            if end > start:
                spans.append((start, end))
    return spans


def _is_protected(edit: _Edit, spans: _Spans) -> bool:
    """True when ``edit`` would change a protected span (inserting at its edges is fine)."""
    if edit.start == edit.end:
        return any(start < edit.start < end for start, end in spans)
    return any(edit.start < end and start < edit.end for start, end in spans)


# --------------------------------------------------------------------------- text stream


@dataclass(frozen=True)
class _Piece:
    """One run of the stream: a Text node's text (editable) or an opaque stand-in."""

    text: str
    editable: bool


def _run_rules(pieces: Sequence[_Piece], rules: Sequence[_Rule]) -> list[str]:
    """The pieces' texts once every rule holds, each rule seeing the whole stream at once.

    One pass is almost always enough, but rules can wake each other up (a quote turned
    into « changes what its straight neighbour looks like), so passes repeat until nothing
    changes: the result is then a fixed point, which is what makes ``apply`` idempotent.
    """
    texts = [piece.text for piece in pieces]
    editable = [piece.editable for piece in pieces]
    for _ in range(_MAX_PASSES):
        before = texts
        for rule in rules:
            joined = "".join(texts)
            edits = rule(joined)
            if edits:
                texts = _apply_edits(texts, editable, joined, edits)
        if texts == before:
            break
    return texts


def _apply_edits(
    texts: list[str], editable: list[bool], joined: str, edits: list[_Edit]
) -> list[str]:
    """Spread ``edits`` over the pieces; skip no-ops, protected and non-editable spots."""
    protected = _protected_spans(joined)
    starts: list[int] = []
    offset = 0
    for text in texts:
        starts.append(offset)
        offset += len(text)
    changes: dict[int, list[tuple[int, int, str]]] = {}
    last_end = -1
    for edit in sorted(edits, key=lambda e: (e.start, e.end)):
        if edit.start < last_end or joined[edit.start : edit.end] == edit.new:
            continue
        if _is_protected(edit, protected):
            continue
        located = _locate(edit, texts, editable, starts)
        if located is None:
            continue
        for index, start, end, new in located:
            changes.setdefault(index, []).append((start, end, new))
        last_end = edit.end
    out = list(texts)
    for index, local in changes.items():
        text = out[index]
        for start, end, new in reversed(local):
            text = text[:start] + new + text[end:]
        out[index] = text
    return out


def _locate(
    edit: _Edit, texts: list[str], editable: list[bool], starts: list[int]
) -> list[tuple[int, int, int, str]] | None:
    """``edit`` as (piece, local start, local end, new text) changes, or None if impossible.

    A span crossing pieces puts the new text in the first one and empties the others; an
    insertion on a boundary goes to the side ``edit.right`` asks for, if that side can be
    edited, else to the other.
    """
    if edit.start == edit.end:
        return _locate_insertion(edit, texts, editable, starts)
    out: list[tuple[int, int, int, str]] = []
    for index, text in enumerate(texts):
        start, end = starts[index], starts[index] + len(text)
        if start >= edit.end or end <= edit.start:
            continue
        if not editable[index]:
            return None
        new = "" if out else edit.new
        out.append((index, max(edit.start, start) - start, min(edit.end, end) - start, new))
    return out or None


def _locate_insertion(
    edit: _Edit, texts: list[str], editable: list[bool], starts: list[int]
) -> list[tuple[int, int, int, str]] | None:
    """Where an insertion at ``edit.start`` goes (see ``_locate``)."""
    at = edit.start
    left: int | None = None
    right: int | None = None
    for index, text in enumerate(texts):
        start, end = starts[index], starts[index] + len(text)
        if not text:
            continue
        if start < at < end:
            return [(index, at - start, at - start, edit.new)] if editable[index] else None
        if end == at:
            left = index
        elif start == at and right is None:
            right = index
    order = (right, left) if edit.right else (left, right)
    for side in order:
        if side is not None and editable[side]:
            local = at - starts[side]
            return [(side, local, local, edit.new)]
    return None


# --------------------------------------------------------------------------- quotes


def _quote_rule(opening: str, closing: str, nested: tuple[str, str] | None = None) -> _Rule:
    """A rule pairing straight double quotes into ``opening``/``closing``.

    ``nested`` is used instead for a pair standing inside another pair, straight or
    already typed as « » (French “ ” inside « »).
    """

    def rule(text: str) -> list[_Edit]:
        if '"' not in text:
            return []
        edits: list[_Edit] = []
        for first, last, depth in _pair_quotes(text, _protected_spans(text)):
            pair = (opening, closing)
            if nested is not None:
                guillemets = text.count("«", 0, first) - text.count("»", 0, first)
                pair = nested if depth + guillemets > 0 else pair
            edits += [_Edit(first, first + 1, pair[0]), _Edit(last, last + 1, pair[1])]
        return edits

    return rule


def _pair_quotes(text: str, protected: _Spans) -> list[tuple[int, int, int]]:
    """(opening, closing, depth) of the straight double quotes that pair up.

    Straight quotes look alike, so their role comes from their neighbours: a quote after a
    space or an opening mark may open, one before a space or punctuation may close. They
    pair like brackets (a stack), so that ``"a "b" c"`` reads as an outer and an inner
    quotation. A quote with spaces on both sides (typed as « mot ») closes if a quotation
    is open and opens otherwise. Quotes left on the stack stay straight.
    """
    pairs: list[tuple[int, int, int]] = []
    stack: list[int] = []
    for index, char in enumerate(text):
        if char != '"' or any(start <= index < end for start, end in protected):
            continue
        if stack and _may_close(text, index):
            pairs.append((stack.pop(), index, len(stack)))
        elif _may_open(text, index):
            stack.append(index)
    return pairs


def _may_open(text: str, index: int) -> bool:
    """A quote opens after a space, the start or an opening mark, and before something."""
    before = text[index - 1] if index else " "
    return index + 1 < len(text) and (before.isspace() or before in _OPEN_BEFORE)


def _may_close(text: str, index: int) -> bool:
    """A quote closes after something, before a space, the end or punctuation."""
    after = text[index + 1] if index + 1 < len(text) else " "
    return index > 0 and (after.isspace() or after in _CLOSE_AFTER)


# --------------------------------------------------------------------------- grouping


def _french_grouped_number(text: str) -> list[_Edit]:
    """U+202F between the groups of a number the author grouped with another space."""
    return [
        _Edit(m.start() + i, m.start() + i + 1, NNBSP)
        for m in _FR_GROUPED_NUMBER.finditer(text)
        for i, char in enumerate(m.group())
        if char in " \u00a0"
    ]


def _french_long_number(text: str) -> list[_Edit]:
    """U+202F every three digits, from the right, in an integer of five digits or more."""
    edits: list[_Edit] = []
    for m in _FR_LONG_NUMBER.finditer(text):
        digits = m.group()
        if len(digits) == 5 and _FR_POSTCODE_TAIL.match(text, m.end()):
            continue
        edits += [_Edit(m.start() + i, m.start() + i, NNBSP) for i in _group_starts(len(digits))]
    return edits


def _group_starts(length: int) -> range:
    """Offsets where a separator goes in a run of ``length`` digits: 5 → 2; 7 → 1, 4."""
    return range(length % 3 or 3, length, 3)


# --------------------------------------------------------------------------- rule sets

_COMMON_RULES: tuple[_Rule, ...] = (
    _regex_rule(_ELLIPSIS, "…"),
    _regex_rule(_APOSTROPHE, "’"),
)

_FRENCH_RULES: tuple[_Rule, ...] = (
    *_COMMON_RULES,
    _quote_rule("«", "»", nested=("“", "”")),
    _regex_rule(_FR_AFTER_GUILLEMET, NNBSP, right=False),
    _regex_rule(_FR_BEFORE_GUILLEMET, NNBSP),
    _regex_rule(_FR_NUMBER_UNIT, NBSP, "space"),  # first: "17400km" is a number once spaced
    _french_grouped_number,
    _french_long_number,
    _regex_rule(_FR_SPACE_INSIDE_MARKS, ""),
    _regex_rule(_FR_SPACE_BEFORE_HIGH_PUNCT, NNBSP),
    _regex_rule(_FR_SPACE_BEFORE_COLON, NBSP),
    _regex_rule(_FR_GLUED_COLON, NBSP),
)

_ENGLISH_RULES: tuple[_Rule, ...] = (
    *_COMMON_RULES,
    _quote_rule("“", "”"),
    _regex_rule(_EN_ELIDED_YEAR, "’"),
    _regex_rule(_EN_OPEN_SINGLE, "‘"),
    _regex_rule(_EN_CLOSE_SINGLE, "’"),
    _regex_rule(_EN_SPACE_BEFORE_PUNCT, ""),
)


def _rules_for(lang: str) -> tuple[_Rule, ...]:
    """The rules for a language code; its primary subtag decides ("fr-CA" is French)."""
    primary = re.split(r"[-_]", lang.strip().lower(), maxsplit=1)[0]
    if primary == "fr":
        return _FRENCH_RULES
    if primary == "en":
        return _ENGLISH_RULES
    return _COMMON_RULES


# --------------------------------------------------------------------------- public API


def fix_text(text: str, lang: str) -> str:
    """``text`` with the typography of ``lang`` (front-matter fields, alt texts, titles)."""
    if not text:
        return text
    return _run_rules([_Piece(text, True)], _rules_for(lang))[0]


def apply(doc: Document) -> Document:
    """A copy of ``doc`` with typography fixed in the body, footnotes and front matter.

    The body and footnotes are in ``doc.lang`` (the source language when empty); each
    front-matter text is in its own language code.
    """
    lang = doc.lang or doc.meta.lang
    return replace(
        doc,
        meta=_fix_metadata(doc.meta),
        body=_fix_blocks(doc.body, lang),
        footnotes=tuple(_fix_footnote(note, lang) for note in doc.footnotes),
    )


# --------------------------------------------------------------------------- front matter


def _fix_metadata(meta: Metadata) -> Metadata:
    """Every Localized text of the front matter; keywords and the author's name untouched."""

    def fix(localized: Localized) -> Localized:
        return localized.map(lambda text, code: fix_text(text, meta.lang if code == "*" else code))

    def fix_optional(localized: Localized | None) -> Localized | None:
        return None if localized is None else fix(localized)

    author: Author = replace(
        meta.author,
        role=fix_optional(meta.author.role),
        organization=fix_optional(meta.author.organization),
    )
    timeline = tuple(replace(entry, text=fix(entry.text)) for entry in meta.timeline)
    return replace(
        meta,
        title=fix(meta.title),
        author=author,
        subtitle=fix_optional(meta.subtitle),
        short_title=fix_optional(meta.short_title),
        classification=fix_optional(meta.classification),
        summary=fix_optional(meta.summary),
        key_points=tuple(fix(point) for point in meta.key_points),
        timeline=timeline,
        contact=fix_optional(meta.contact),
    )


# --------------------------------------------------------------------------- blocks


def _fix_footnote(note: Footnote, lang: str) -> Footnote:
    return replace(note, children=_fix_blocks(note.children, lang))


def _fix_blocks(blocks: tuple[Block, ...], lang: str) -> tuple[Block, ...]:
    return tuple(_fix_block(block, lang) for block in blocks)


def _fix_block(block: Block, lang: str) -> Block:
    """One block with its text fixed; code and raw blocks come back as they are."""
    if isinstance(block, (Paragraph, Heading)):
        return replace(block, children=_fix_inlines(block.children, lang))
    if isinstance(block, Section):
        return replace(
            block,
            title=_fix_inlines(block.title, lang),
            children=_fix_blocks(block.children, lang),
        )
    if isinstance(block, (BulletList, OrderedList)):
        return replace(block, items=tuple(_fix_item(item, lang) for item in block.items))
    if isinstance(block, BlockQuote):
        return replace(block, children=_fix_blocks(block.children, lang))
    if isinstance(block, Figure):
        return replace(
            block, image=_fix_image(block.image, lang), caption=_fix_inlines(block.caption, lang)
        )
    return _fix_table(block, lang) if isinstance(block, Table) else block  # code, raw, rule


def _fix_table(table: Table, lang: str) -> Table:
    """Each cell is its own stream: a quote never pairs across cells."""
    return replace(
        table,
        header=_fix_row(table.header, lang),
        rows=tuple(_fix_row(row, lang) for row in table.rows),
    )


def _fix_item(item: ListItem, lang: str) -> ListItem:
    return replace(item, children=_fix_blocks(item.children, lang))


def _fix_row(cells: tuple[TableCell, ...], lang: str) -> tuple[TableCell, ...]:
    return tuple(TableCell(_fix_inlines(cell.children, lang)) for cell in cells)


def _fix_image(image: Image, lang: str) -> Image:
    """Alt text and title are prose (the title is a figure's caption); ``src`` is not."""
    return replace(image, alt=fix_text(image.alt, lang), title=fix_text(image.title, lang))


# --------------------------------------------------------------------------- inlines


def _fix_inlines(inlines: tuple[Inline, ...], lang: str) -> tuple[Inline, ...]:
    """Fix the Text nodes of one paragraph-like run as a single stream, then put them back."""
    if not inlines:
        return inlines
    pieces: list[_Piece] = []
    _collect(inlines, pieces)
    texts = _run_rules(pieces, _rules_for(lang))
    fixed = iter([text for text, piece in zip(texts, pieces, strict=True) if piece.editable])
    return _rebuild(inlines, fixed, lang)


def _collect(inlines: tuple[Inline, ...], pieces: list[_Piece]) -> None:
    """Append the stream pieces of ``inlines`` in reading order (one per Text node)."""
    for node in inlines:
        if isinstance(node, Text):
            pieces.append(_Piece(node.text, True))
        elif isinstance(node, (Emphasis, Strong, Strikethrough, Link)):
            _collect(node.children, pieces)
        elif isinstance(node, LineBreak):
            pieces.append(_Piece("\n", False))
        elif isinstance(node, (Code, RawInline, Image, FootnoteRef)):
            pieces.append(_Piece(_ATOM, False))


def _rebuild(inlines: tuple[Inline, ...], fixed: Iterator[str], lang: str) -> tuple[Inline, ...]:
    """``inlines`` with each Text node's text taken, in order, from ``fixed``."""
    out: list[Inline] = []
    for node in inlines:
        if isinstance(node, Text):
            text = next(fixed)
            out.append(node if text == node.text else Text(text))
        elif isinstance(node, (Emphasis, Strong, Strikethrough)):
            out.append(replace(node, children=_rebuild(node.children, fixed, lang)))
        elif isinstance(node, Link):
            children = _rebuild(node.children, fixed, lang)
            out.append(replace(node, children=children, title=fix_text(node.title, lang)))
        elif isinstance(node, Image):
            out.append(_fix_image(node, lang))
        else:
            out.append(node)  # Code, RawInline, LineBreak, FootnoteRef
    return tuple(out)
