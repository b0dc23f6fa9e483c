"""French typography: no-break spaces before ``; ! ? :`` and inside « », units, thousands,
after abbreviations, in times and inside incises.

Every pattern may start only where its token starts: a lookbehind rejects the positions
inside a run of spaces or digits that an attempt from the run's start has already read,
so a long run is read once, not once per character.

Abbreviations (U+00A0 replaces the space typed after them; none is inserted, so
"M.Dupont" stays as typed). Each must be a whole word (not after a letter, a digit, a
dot or a hyphen; "l’art. 3" is one):

* ``M.``, ``MM.``, ``Mme``, ``Mmes``, ``Mlle``, ``Mlles``, ``Dr``, ``Pr``, ``Mgr`` before
  a word ("M. Dupont", "M. le ministre", "Mme de Staël"): none of them is a French word.
* ``Me`` (maître) only before a capitalised word ("Me Martin"): "me" is also a pronoun,
  which never stands before a capitalised name.
* ``p.``, ``pp.``, ``art.``, ``chap.``, ``vol.``, ``fig.`` (or capitalised, "Art.") only
  before a number, a Roman numeral or a capital and a dot ("art. 3", "chap. IV",
  "art. L. 121-1"): before a word, "art." may end a sentence.
* ``cf.`` before a word or a number ("cf. supra", "cf. p. 12").
* ``n°``, ``nº``, ``nᵒ``, ``n°s``, ``nᵒˢ`` before a number ("n° 12"). The plain ``nos``
  is left alone: it is also the possessive ("nos 12 propositions"), so it is never
  unambiguous.

Times: in "14 h 30" both spaces are U+00A0 (hour 0 to 24, minutes two digits 00–59);
the first one, as in "14 h", comes from the unit rule. "14h30" is a time typed glued and
stays as typed.

Incises: two em dashes in one sentence, each with a space on its inner side, enclose an
incise: "Il a — dit-on — refusé" → "Il a —\\u00a0dit-on\\u00a0— refusé". The inner
spaces become U+00A0, so no line starts with the closing dash or ends with the opening
one; the outer spaces stay ordinary, the line may break there. A closing dash may be
followed by punctuation ("— dit-on —, refusé"). No space is inserted: dashes glued to
their words ("a—b—c") are left as typed. Every other dash is left as typed, with the
space the author put after it, because its role cannot be told from the characters:

* a dash opening a dialogue line: at the start of the paragraph, at the start of a line
  after a line ending in punctuation, or after the end of a sentence and before a
  capital ("— Tu viens ? — Non.");
* a lone dash in its sentence: a separator ("AMCAP — Bureau du président") or an incise
  whose closing dash is absorbed by the full stop ("Il a refusé — dit-on.").

Dashes pair within one sentence only: a sentence ends at ``. ! ? …`` (and closing quotes
or brackets) followed by a space and a capital, or at a line break followed by a capital;
so "Paris — la ville. Rabat — la capitale." pairs nothing. An incise holding its own "!"
or "?" still pairs when a lower-case word follows ("— c’est sûr ! — a refusé"). En
dashes (–) are left alone: they also mark ranges ("2020 – 2025").
"""

from __future__ import annotations

import re

from .common import COMMON_RULES
from .engine import NBSP, NNBSP, SP, Edit, Rule, regex_rule
from .protected import Protected
from .quotes import quote_rule

__all__ = ["FRENCH_RULES", "NUMBER_UNIT", "UNITS"]

# Capital letters that can start a name (Latin script; enough for French text).
_CAPITAL = "A-ZÀ-ÖØ-ÞŒŸ"

# An abbreviation is a whole word: not after a letter, a digit, a dot or a hyphen. After an
# apostrophe it is ("l’art. 3").
_WHOLE_WORD = r"(?<![\w.\-])"

# Titles before any word: "M. Dupont", "M. le ministre", "Mme de Staël", "Dr Martin".
_TITLE = re.compile(_WHOLE_WORD + rf"(?:MM?\.|Mmes?|Mlles?|Dr|Pr|Mgr)(?P<space>{SP}++)(?=[^\W\d_])")

# "Me" (maître) before a capitalised name only: "me" is also a pronoun.
_MAITRE = re.compile(_WHOLE_WORD + rf"Me(?P<space>{SP}++)(?=[{_CAPITAL}])")

# References before a number, a Roman numeral or a capital and a dot: "art. 3", "p. 45",
# "chap. IV", "art. L. 121-1".
_REFERENCE = re.compile(
    _WHOLE_WORD + rf"(?:[Pp]p?|[Aa]rt|[Cc]hap|[Vv]ol|[Ff]ig)\.(?P<space>{SP}++)"
    r"(?=\d|[IVXLCDM]++(?![\w’'])|[A-Z]\.)"
)

# "cf." before a word or a number.
_CONFER = re.compile(_WHOLE_WORD + rf"[Cc]f\.(?P<space>{SP}++)(?=[^\W_])")

# "n°" and its variants before a number: "n° 12", "n°s 3 et 4".
_NUMERO = re.compile(r"(?<!\w)[nN](?:[°ºᵒ]|°s|ºs|ᵒˢ)" + rf"(?P<space>{SP}++)(?=\d)")

# The space between "h" and the minutes of a time: "14 h 30" (the first space is the
# unit rule's). The hour starts where its digits start.
_TIME_MINUTES = re.compile(
    r"(?<![\w.,\u202f])(?:[01]?\d|2[0-4])[ \t\n\u00a0\u202f\u2009]h"
    rf"(?P<space>{SP}++)(?=[0-5]\d(?!\w))"
)

# The end of a sentence between two dashes: final punctuation, closers, a breaking space
# and a capital; or a line break and a capital. Not a no-break space: "M.\u00a0Dupont" (the
# abbreviation rules run first) ends no sentence.
_SENTENCE_END = re.compile(
    rf"[.!?…][»”’)\]\"]*+[ \t\n]++(?=[{_CAPITAL}])"
    rf"|\n[ \t\u00a0\u202f\u2009]*+(?=[{_CAPITAL}—])"
)

# A run of spaces, read forwards after a dash, or backwards (on the reversed text) before.
_SPACES = re.compile(rf"{SP}++")

# What may follow a closing dash besides a space.
_AFTER_CLOSING = frozenset(".,;:!?…)]}»”\ufffc")

# What a line ends with before a dialogue dash on the next line.
_LINE_END = frozenset(".!?…:»”)]\ufffc")

# Final punctuation and what may close after it.
_FINAL = frozenset(".!?…")
_CLOSERS = frozenset('»”’)]"')

# Spaces (or none) right after « when something follows.
_AFTER_GUILLEMET = re.compile(rf"(?<=«){SP}*(?=[^\s»])")

# Spaces (or none) right before » when something precedes.
_BEFORE_GUILLEMET = re.compile(rf"(?<=[^\s«]){SP}*(?=»)")

# Spaces typed inside "? !" / "! ?" (removed: the marks stay glued, "?!").
_SPACE_INSIDE_MARKS = re.compile(rf"(?<=[!?]){SP}+(?=[!?])")

# Spaces (or none) before a run of ; ! ? — not at the start, not after another mark or an
# opening bracket/quote.
_SPACE_BEFORE_HIGH_PUNCT = re.compile(rf"(?<=[^\s(\[{{«“‘!?;:¿¡]){SP}*(?=[;!?])")

# Spaces typed before a colon (not the "::" of code nor the "://" of a URL).
_SPACE_BEFORE_COLON = re.compile(rf"(?<=[^\s(\[{{«“‘!?;:]){SP}+(?=:(?![:/\\]))")

# A colon glued to a letter, digit or closing mark, and ending the word.
_GLUED_COLON = re.compile(r"(?:(?<=[^\W_])|(?<=[)\]»”’…\ufffc]))(?=:(?:[\s»”)\]\ufffc]|$))")

# A number the author grouped: 1-3 digits, then groups of exactly 3 digits.
_GROUPED_NUMBER = re.compile(
    r"(?<![\w.,/+#@])(?<!\w-)(?<!\d[ \u00a0\u202f])"
    r"\d{1,3}(?:[ \u00a0\u202f]\d{3})+"
    r"(?!\w|[.,]\d|[ \u00a0\u202f]\d)"
)

# A plain integer of 5+ digits, not starting with 0, standing alone.
_LONG_NUMBER = re.compile(
    r"(?<![\w.,/+#@])(?<!\w-)(?<!\d[ \u00a0\u202f])"
    r"[1-9]\d{4,}"
    r"(?!\w|[.,:/-]\d|[ \u00a0\u202f]\d)"
)

# A 5-digit number followed by a capitalised word is a postcode ("10000 Rabat").
_POSTCODE_TAIL = re.compile(r"[ \u00a0][A-ZÀ-Ý]")

UNITS = (
    "%", "‰", "€", "$", "£", "¥",
    "km", "km²", "km/h", "m", "m²", "m³", "cm", "mm",
    "kg", "g", "mg", "t", "Mt", "Gt", "ha",
    "h", "min", "s", "ms", "°C", "°F",
    "kW", "MW", "GW", "kWh", "MWh", "GWh", "TWh",
    "k€", "M€", "Md€", "Md", "Mds", "Mrd", "Mrds",
    "million", "millions", "milliard", "milliards",
)  # fmt: skip
"""Units and symbols that take a no-break space after a number in French."""

# A standalone number (decimal comma/point and U+202F groups allowed), at most one space, a
# unit that ends the word (not "3 mois", not "2 m’ont"). The number may start at a digit
# not glued to a word or a decimal mark (``(?<![\w.,])``), which, inside "1 234 567"
# grouped with U+202F, is every group: tried from each, the regex would read the rest of
# the number again and again. The unit can only follow the number's last digit, so every
# start inside one number succeeds or fails alike, and only the first start that passes
# is tried: the number's first digit, or, when that one is glued to a word ("A1 234 km"),
# the group after its first U+202F, reached by skipping the glued part. The match then
# starts at the number's first digit, which changes nothing: only ``space`` is edited.
NUMBER_UNIT = re.compile(
    r"(?<!\d)(?<!\d[.,\u202f])"  # the first digit of a number
    r"(?:(?<=[\w.,])\d++(?:[.,]\d++)*+\u202f)?+"  # glued to a word: skip to a U+202F group
    r"(?<![\w.,])\d++(?:[.,\u202f]\d++)*+"
    r"(?P<space>[ \u00a0\u202f\u2009]?)"
    r"(?:" + "|".join(re.escape(u) for u in sorted(UNITS, key=len, reverse=True)) + r")"
    r"(?![\w'’])"
)


def _grouped_number(text: str, protected: Protected) -> list[Edit]:
    """U+202F between the groups of a number the author grouped with another space."""
    return [
        Edit(m.start() + i, m.start() + i + 1, NNBSP)
        for m in _GROUPED_NUMBER.finditer(text)
        for i, char in enumerate(m.group())
        if char in " \u00a0"
    ]


def _long_number(text: str, protected: Protected) -> list[Edit]:
    """U+202F every three digits, from the right, in an integer of five digits or more."""
    edits: list[Edit] = []
    for m in _LONG_NUMBER.finditer(text):
        digits = m.group()
        if len(digits) == 5 and _POSTCODE_TAIL.match(text, m.end()):
            continue
        edits += [Edit(m.start() + i, m.start() + i, NNBSP) for i in _group_starts(len(digits))]
    return edits


def _group_starts(length: int) -> range:
    """Offsets where a separator goes in a run of ``length`` digits: 5 → 2; 7 → 1, 4."""
    return range(length % 3 or 3, length, 3)


def _incises(text: str, protected: Protected) -> list[Edit]:
    """U+00A0 on the inner side of each pair of em dashes enclosing an incise.

    One walk over the dashes; the text between two dashes is searched once for the end of
    a sentence, and the spaces around a dash are read from the dash, so the text is read a
    bounded number of times. See the module docstring for which dashes pair.
    """
    if "—" not in text:
        return []
    edits: list[Edit] = []
    reversed_text = text[::-1]
    size = len(text)
    pending: tuple[int, int] | None = None  # an opening dash: where its spaces run
    searched = 0  # the text before this was searched for the end of a sentence
    index = text.find("—")
    while index >= 0:
        following = text.find("—", index + 1)
        if protected.covers(index):
            index = following
            continue
        if pending is not None and _SENTENCE_END.search(text, searched, index):
            pending = None
        searched = index + 1
        after = _SPACES.match(text, index + 1)
        after_end = after.end() if after else index + 1
        before = _SPACES.match(reversed_text, size - index)
        before_start = size - before.end() if before else index
        if _opens_dialogue(text, before_start, after_end, before is not None):
            pending = None
        elif before is None and before_start > 0:
            pass  # glued to the word before it: not an incise dash
        elif pending is not None and pending[1] < before_start and _may_close(text, index):
            edits += [
                Edit(pending[0], pending[1], NBSP, right=False),
                Edit(before_start, index, NBSP),
            ]
            pending = None
        elif after is not None and after_end < size:
            pending = (index + 1, after_end)
        index = following
    return edits


def _opens_dialogue(text: str, before_start: int, after_end: int, spaced: bool) -> bool:
    """A dash (its spaces ``[before_start, after_end)``) opens a line of dialogue: it is
    first in the text, first on a line after one ending in punctuation, or it follows the
    end of a sentence and comes before a capital."""
    if before_start == 0:
        return True
    if not spaced:
        return False
    if "\n" in text[before_start:after_end] and text[before_start - 1] in _LINE_END:
        return True
    last = before_start - 1
    while last > 0 and text[last] in _CLOSERS and last > before_start - 4:
        last -= 1
    return (
        text[last] in _FINAL
        and after_end < len(text)
        and after_end > before_start
        and text[after_end].isupper()
    )


def _may_close(text: str, index: int) -> bool:
    """The dash at ``index`` may close an incise: a space, punctuation or the end follows."""
    return (
        index + 1 == len(text)
        or text[index + 1] in _AFTER_CLOSING
        or bool(_SPACES.match(text, index + 1))
    )


FRENCH_RULES: tuple[Rule, ...] = (
    *COMMON_RULES,
    # Abbreviations first: after "n°" the number is protected once its space is a U+00A0.
    regex_rule(_TITLE, NBSP, "space", needs=("M", "D", "P")),
    regex_rule(_MAITRE, NBSP, "space", needs=("Me",)),
    regex_rule(_REFERENCE, NBSP, "space", needs=(".",)),
    regex_rule(_CONFER, NBSP, "space", needs=("f.",)),
    regex_rule(_NUMERO, NBSP, "space", needs=("°", "º", "ᵒ")),
    regex_rule(_TIME_MINUTES, NBSP, "space", needs=("h",)),
    _incises,
    quote_rule("«", "»", nested=("“", "”")),
    regex_rule(_AFTER_GUILLEMET, NNBSP, right=False, needs=("«",)),
    regex_rule(_BEFORE_GUILLEMET, NNBSP, needs=("»",)),
    regex_rule(NUMBER_UNIT, NBSP, "space"),  # first: "17400km" is a number once spaced
    _grouped_number,
    _long_number,
    regex_rule(_SPACE_INSIDE_MARKS, "", needs=("!", "?")),
    regex_rule(_SPACE_BEFORE_HIGH_PUNCT, NNBSP, needs=(";", "!", "?")),
    regex_rule(_SPACE_BEFORE_COLON, NBSP, needs=(":",)),
    regex_rule(_GLUED_COLON, NBSP, needs=(":",)),
)
