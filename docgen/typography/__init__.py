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
  * U+00A0 replacing the space typed after an abbreviation: ``M.``, ``MM.``, ``Mme(s)``,
    ``Mlle(s)``, ``Dr``, ``Pr``, ``Mgr`` before a word; ``Me`` before a capitalised name;
    ``p.``, ``pp.``, ``art.``, ``chap.``, ``vol.``, ``fig.`` before a number or a Roman
    numeral; ``cf.`` before a word; ``n°`` / ``n°s`` before a number ("n° 12"). None is
    inserted; plain "nos" is also the possessive and is left.
  * "14 h 30": both spaces U+00A0 (hour 0–24, minutes 00–59).
  * Incises: in "— dit-on —" (two em dashes in one sentence) the inner spaces become
    U+00A0. A dialogue dash, a lone dash and dashes glued to words are left as typed
    (``french`` says how each is told apart).
  * "..." → "…".

English ("en")
  * Straight "…" pairs → “…”; ' → ’ as an apostrophe or closing quote ("don't", "'90s"),
    ‘ as an opening quote; ’ for an elision opening a word ("'tis", "'em", "rock 'n' roll").
  * No space before ``; : ! ?``: an ordinary space, U+00A0 or U+202F there is removed.
  * U+00A0 replacing the space typed between a number and its unit or % ("12 km",
    "10.5 %"); none inserted ("10%" stays). Units: ``english.UNITS``.
  * "..." → "…".

Any other language: only the apostrophe (letter'letter → ’) and the ellipsis rules.

Exceptions, in every language: nothing is changed inside a URL (a token starting with
http://, https://, ftp://, mailto: or www.), an e-mail address, a file path ("C:\\x",
"/usr/bin", "./a", "~/a"), a time ("10:55", "10h30"), a phone number, an identifier
("ISO 14001", the number of "n° 12345"), nor in code: ``Code``, ``CodeBlock``, ``RawInline``,
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

Untrusted input: articles come from outside, so the time taken is linear in the length of
the text, whatever the text (a 200 KB word, 100 KB of quotes or of "a@"): no pattern
reads a run again from each of its characters, protected spans are found once per state
of the text, edits are placed by binary search, and the passes are at most five
(``engine.MAX_PASSES``), each linear. ``tests/test_typography.py`` checks this against a
linear baseline.

Modules: ``engine`` (pieces, edits, passes), ``protected`` (what is never edited),
``common`` / ``french`` / ``english`` (the rules of each language), ``quotes`` (pairing
straight double quotes, French and English), ``document`` (the walk over the model).
"""

from __future__ import annotations

from .document import apply, fix_text
from .engine import NBSP, NNBSP

__all__ = ["NBSP", "NNBSP", "apply", "fix_text"]
