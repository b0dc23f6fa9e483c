"""Tests for docgen.typography: rule tables per language, exceptions, idempotence, apply().

Expected strings spell the special spaces as escapes so that a reader can see them:
``\\u202f`` narrow no-break space, ``\\u00a0`` no-break space, ``\\u2009`` thin space.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import docx
import pdfplumber
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from docgen import api
from docgen.model import (
    Author,
    BulletList,
    Code,
    CodeBlock,
    Document,
    Emphasis,
    Figure,
    Footnote,
    FootnoteRef,
    Image,
    Inline,
    LineBreak,
    Link,
    ListItem,
    Localized,
    Metadata,
    Paragraph,
    PartialDate,
    RawBlock,
    RawInline,
    Section,
    Strong,
    Table,
    TableCell,
    Text,
    TimelineEntry,
)
from docgen.options import RenderOptions
from docgen.project import load_project
from docgen.typography import apply, fix_text
from docgen.typography.engine import Edit, Piece, Rule, run_rules
from docgen.typography.french import FRENCH_RULES, NUMBER_UNIT, UNITS
from docgen.typography.protected import Protected, email_spans
from tests.rendering import render_pdf, render_report

from .conftest import REPO, pdf_text

# --------------------------------------------------------------------------- French

FRENCH = [
    # ; ! ? take a narrow no-break space, replacing whatever space was typed.
    ("Quoi?", "Quoi\u202f?"),
    ("Quoi ?", "Quoi\u202f?"),
    ("Quoi\u00a0?", "Quoi\u202f?"),
    ("Quoi\u2009?", "Quoi\u202f?"),
    ("Quoi\n?", "Quoi\u202f?"),
    ("Attention!", "Attention\u202f!"),
    ("un point; puis", "un point\u202f; puis"),
    ("un point ; puis", "un point\u202f; puis"),
    # Runs of marks stay glued; no space after an opening bracket.
    ("Quoi?!", "Quoi\u202f?!"),
    ("Quoi ?!", "Quoi\u202f?!"),
    ("Quoi ? !", "Quoi\u202f?!"),
    ("Non!!!", "Non\u202f!!!"),
    ("(?)", "(?)"),
    ("[!]", "[!]"),
    ("?", "?"),
    ("(voir ci-dessus);", "(voir ci-dessus)\u202f;"),
    # Colon: no-break space, replacing a space, inserted after a word.
    ("Maroc–Kazakhstan : un partenariat", "Maroc–Kazakhstan\u00a0: un partenariat"),
    ("Note: voici", "Note\u00a0: voici"),
    ("Note\u202f: voici", "Note\u00a0: voici"),
    ("en 2025: bilan", "en 2025\u00a0: bilan"),
    ("Remarque:", "Remarque\u00a0:"),
    ("« Citation »: fin", "«\u202fCitation\u202f»\u00a0: fin"),
    # Apostrophe.
    ("l'homme", "l’homme"),
    ("aujourd'hui", "aujourd’hui"),
    ("qu'à l'État", "qu’à l’État"),
    ("'isolé'", "'isolé'"),
    # Quotes: straight pairs become guillemets, spaces typed inside are replaced.
    ('il a dit "bonjour"', "il a dit «\u202fbonjour\u202f»"),
    ('il a dit " bonjour "', "il a dit «\u202fbonjour\u202f»"),
    ('"un" et "deux"', "«\u202fun\u202f» et «\u202fdeux\u202f»"),
    ('"Quoi?"', "«\u202fQuoi\u202f?\u202f»"),
    ('le mot "paix".', "le mot «\u202fpaix\u202f»."),
    ('"a "b" c"', "«\u202fa “b” c\u202f»"),
    ('« il a dit "oui" »', "«\u202fil a dit “oui”\u202f»"),
    ("«bonjour»", "«\u202fbonjour\u202f»"),
    ("« bonjour »", "«\u202fbonjour\u202f»"),
    ("«\u00a0bonjour\u00a0»", "«\u202fbonjour\u202f»"),
    ('un seul " guillemet', 'un seul " guillemet'),
    ('5" de diagonale', '5" de diagonale'),
    # Ellipsis.
    ("Attendez...", "Attendez…"),
    ("Et puis... rien", "Et puis… rien"),
    ("Vraiment...?", "Vraiment…\u202f?"),
    ("....", "...."),
    # Numbers and units: no-break space, inserted when missing.
    ("10 km", "10\u00a0km"),
    ("10km", "10\u00a0km"),
    ("5 %", "5\u00a0%"),
    ("5%", "5\u00a0%"),
    ("3,5 %", "3,5\u00a0%"),
    ("20 €", "20\u00a0€"),
    ("20€", "20\u00a0€"),
    ("3 kg", "3\u00a0kg"),
    ("15 h", "15\u00a0h"),
    ("de 10h30 à 11h", "de 10h30 à 11\u00a0h"),
    ("90 km/h", "90\u00a0km/h"),
    ("20°C", "20\u00a0°C"),
    ("120 m²", "120\u00a0m²"),
    ("5 millions d'euros", "5\u00a0millions d’euros"),
    ("2 milliards", "2\u00a0milliards"),
    ("3 mois", "3 mois"),
    ("2 m'ont dit", "2 m’ont dit"),
    ("un angle de 90°", "un angle de 90°"),
    # Thousands: U+202F, 5 digits or more, or already grouped by the author.
    ("17400 habitants", "17\u202f400 habitants"),
    ("17 400 habitants", "17\u202f400 habitants"),
    ("17\u00a0400 habitants", "17\u202f400 habitants"),
    ("1234567", "1\u202f234\u202f567"),
    ("1 234 567", "1\u202f234\u202f567"),
    ("3 000 soldats", "3\u202f000 soldats"),
    ("17400 km", "17\u202f400\u00a0km"),
    ("17400km", "17\u202f400\u00a0km"),
    ("-12000 €", "-12\u202f000\u00a0€"),
    ("en 2025", "en 2025"),
    ("3000 soldats", "3000 soldats"),
    ("12345.67", "12345.67"),
    ("12345,67", "12345,67"),
    ("2025 200 personnes", "2025 200 personnes"),
    ("1 234 5678", "1 234 5678"),
    ("01234", "01234"),
    ("A320", "A320"),
    ("10000 Rabat", "10000 Rabat"),
    # A number grouped with U+202F takes its unit, even glued to a word or after "n°".
    ("1\u202f234\u202f567 km", "1\u202f234\u202f567\u00a0km"),
    ("A1\u202f234 km", "A1\u202f234\u00a0km"),
    ("1.5\u202f000 km", "1.5\u202f000\u00a0km"),
    # E-mail addresses end before sentence punctuation; "x@y" has no domain, it is prose.
    ("écrire à a.b+tag@example.org?", "écrire à a.b+tag@example.org\u202f?"),
    ("voir x@y?", "voir x@y\u202f?"),
    # Abbreviations: U+00A0 replaces the space typed after them.
    ("M. Dupont", "M.\u00a0Dupont"),
    ("MM. Dupont et Durand", "MM.\u00a0Dupont et Durand"),
    ("M. le ministre", "M.\u00a0le ministre"),
    ("Mme de Staël et Mmes Roy", "Mme\u00a0de Staël et Mmes\u00a0Roy"),
    ("Mlle Roy, Mlles Roy", "Mlle\u00a0Roy, Mlles\u00a0Roy"),
    ("le Dr Martin et le Pr Alami", "le Dr\u00a0Martin et le Pr\u00a0Alami"),
    ("Mgr Lustiger", "Mgr\u00a0Lustiger"),
    ("Me Martin plaide", "Me\u00a0Martin plaide"),
    ("voir l’art. 3, p. 45 et pp. 12-14", "voir l’art.\u00a03, p.\u00a045 et pp.\u00a012-14"),
    ("Art. 3 du chap. IV", "Art.\u00a03 du chap.\u00a0IV"),
    ("vol. 2, fig. 7", "vol.\u00a02, fig.\u00a07"),
    ("l’art. L. 121-1", "l’art.\u00a0L. 121-1"),
    ("cf. supra et cf. p. 3", "cf.\u00a0supra et cf.\u00a0p.\u00a03"),
    ("le n° 12", "le n°\u00a012"),
    ("le dossier n° 12345", "le dossier n°\u00a012345"),
    ("le dossier N°\u202f12345", "le dossier N°\u00a012345"),
    ("les n°s 3 et 4", "les n°s\u00a03 et 4"),
    ("le nº 7", "le nº\u00a07"),
    ("M.\nDupont", "M.\u00a0Dupont"),
    # Times: both spaces of "14 h 30" no-break; the hour 0-24, the minutes two digits.
    ("à 14 h 30 précises", "à 14\u00a0h\u00a030 précises"),
    ("de 9 h 05 à 14 h", "de 9\u00a0h\u00a005 à 14\u00a0h"),
    ("à 0 h 00", "à 0\u00a0h\u00a000"),
    ("à 24 h 00.", "à 24\u00a0h\u00a000."),
    ("30 h 30 de vol", "30\u00a0h 30 de vol"),
    ("14 h 75", "14\u00a0h 75"),
    ("14 h 305", "14\u00a0h 305"),
    # Incises: U+00A0 inside a pair of em dashes, the outer spaces stay.
    ("Il a — dit-on — refusé.", "Il a —\u00a0dit-on\u00a0— refusé."),
    ("Il a — dit-on —, refusé.", "Il a —\u00a0dit-on\u00a0—, refusé."),
    ("a — b — c — d — e", "a —\u00a0b\u00a0— c —\u00a0d\u00a0— e"),
    ("Il a — c'est sûr ! — refusé.", "Il a —\u00a0c’est sûr\u202f!\u00a0— refusé."),
    ("Il a\n— dit-on —\nrefusé.", "Il a\n—\u00a0dit-on\u00a0—\nrefusé."),
    ("Il a — selon M. Dupont — refusé.", "Il a —\u00a0selon M.\u00a0Dupont\u00a0— refusé."),
    ("« Il a — dit-il — refusé »", "«\u202fIl a —\u00a0dit-il\u00a0— refusé\u202f»"),
    ("— Oui, dit-il — enfin — peut-être.", "— Oui, dit-il —\u00a0enfin\u00a0— peut-être."),
]

# Text that must come back exactly as typed (exceptions and already-correct typography).
FRENCH_UNCHANGED = [
    "à 10:55",
    "à 10h30",
    "un format 16:9 ou 3:2",
    "voir https://example.org/a?b=1;c=2",
    "voir http://example.org/page:2",
    "écrire à mailto:contact@example.org",
    "voir www.example.org:8080/x?y",
    "écrire à prenom.nom@example.org",
    "écrire à prenom.nom+tag@sous-domaine.example.org",
    "a@b.c.+x@y.z",
    "le disque C:\\Temp\\x",
    "le dossier /usr/bin/python",
    "le fichier ./docs/guide.md",
    "la norme ISO 9001",
    "la norme ISO 14001",
    "la faille CVE-2024-12345",
    # Dashes whose role is not an incise keep the space typed after them.
    "— Bonjour, dit-il.",
    "  — Bonjour.",
    "Il dit\u00a0:\n— Bonjour.\n— Au revoir.",
    "— Tu viens\u202f? — Non. — Pourquoi\u202f?",
    "Il a refusé — dit-on.",
    "AMCAP — Bureau du président-fondateur",
    "Paris — la ville. Rabat — la capitale.",
    "Rabat — Maroc\nAstana — Kazakhstan",
    "Il a — c’est sûr\u202f! — Paris a refusé.",
    "a—b—c et a —b— c",
    "2020 – 2025 et 2026 – 2030",
    "— —",
    # Abbreviations only where they are unambiguous, and only as whole words.
    "Me voici",
    "dis-le-moi Me voici",
    "M.Dupont",
    "l’art. Nous",
    "de l'art. Nous".replace("'", "’"),
    "un p. ex. ici",
    "la FIG. 3",
    "nos 12 propositions",
    "un nom. Dupont",
    "le n°12",
    "à 14h30",
    "10:55 et 14 h30",
    "le +212 5 37 12 34 56",
    "le 06 12 34 56 78",
    "std::vector",
    "a:b",
    "l’homme\u00a0: «\u202fbonjour\u202f»\u202f!",
    "17\u202f400\u00a0km et 5\u00a0%",
    "Quoi\u202f?!",
    "Attendez…",
]

# --------------------------------------------------------------------------- English

ENGLISH = [
    ('he said "hello"', "he said “hello”"),
    ('"one" and "two"', "“one” and “two”"),
    ('"Why?" she asked.', "“Why?” she asked."),
    ("don't", "don’t"),
    ("the States' policy", "the States’ policy"),
    ("the '90s", "the ’90s"),
    ("a 'quoted' word", "a ‘quoted’ word"),
    ("('aside')", "(‘aside’)"),
    ('"It\'s fine"', "“It’s fine”"),
    ("Why ?", "Why?"),
    ("Stop !", "Stop!"),
    ("Note : this", "Note: this"),
    ("one ; two", "one; two"),
    ("Why\u00a0?", "Why?"),
    ("Why\u202f?", "Why?"),
    ("Wait...", "Wait…"),
    ("see https://example.org/a?b=1 ; ok", "see https://example.org/a?b=1; ok"),
    ('a lone " quote', 'a lone " quote'),
    # A number and its unit: a typed space becomes U+00A0.
    ("up 10.5 % on 12 km", "up 10.5\u00a0% on 12\u00a0km"),
    ("3.5 GW and 5 kg", "3.5\u00a0GW and 5\u00a0kg"),
    ("12,000 km", "12,000\u00a0km"),
    ("12\u2009kWh", "12\u00a0kWh"),
    ("20 °C", "20\u00a0°C"),
    ("17400 km and 5 %", "17400\u00a0km and 5\u00a0%"),
    # Elisions at a word's start: ’, not the opening quote.
    ("rock 'n' roll", "rock ’n’ roll"),
    ("rock 'n roll", "rock ’n roll"),
    ("'tis the season", "’tis the season"),
    ("'Twas the night", "’Twas the night"),
    ("let 'em go", "let ’em go"),
    ("wait 'til dawn, 'cause", "wait ’til dawn, ’cause"),
    ("the '90s and 'em", "the ’90s and ’em"),
    ('"\'tis so"', "“’tis so”"),
]

ENGLISH_UNCHANGED = [
    "at 10:55",
    "mail me at first.last@example.org",
    "C:\\Temp\\file",
    "“Fine,” he said; don’t.",
    "Morocco–Kazakhstan: a model partnership",
    "he is 5'10 tall",
    # No space is inserted between a number and its unit; a word is not a unit.
    "10% and 5kg",
    "in 3 miles, 2 mins",
    "in 2012 I left",
    "5\u202f%",
    # A quoted word is no elision.
    "the word ‘em’",
    "rock ’n’ roll",
]

ENGLISH_QUOTED = [
    ("the word 'em' here", "the word ‘em’ here"),
    ("an 'emblem'", "an ‘emblem’"),
    ("'Tisane' is French", "‘Tisane’ is French"),
]

# --------------------------------------------------------------------------- other languages

OTHER = [
    ("de", "Geht's...", "Geht’s…"),
    ("kk", "«Астана»", "«Астана»"),
    ("kk", "Quoi ? ok : 17400 km", "Quoi ? ok : 17400 km"),
    ("ar", 'un "test"', 'un "test"'),
    ("", "l'homme...", "l’homme…"),
]


# --------------------------------------------------------------------------- rule tables


@pytest.mark.parametrize(("text", "expected"), FRENCH)
def test_french(text: str, expected: str) -> None:
    assert fix_text(text, "fr") == expected
    assert fix_text(expected, "fr") == expected


@pytest.mark.parametrize("text", FRENCH_UNCHANGED)
def test_french_leaves_alone(text: str) -> None:
    assert fix_text(text, "fr") == text


@pytest.mark.parametrize(("text", "expected"), ENGLISH)
def test_english(text: str, expected: str) -> None:
    assert fix_text(text, "en") == expected
    assert fix_text(expected, "en") == expected


@pytest.mark.parametrize("text", ENGLISH_UNCHANGED)
def test_english_leaves_alone(text: str) -> None:
    assert fix_text(text, "en") == text


@pytest.mark.parametrize(("text", "expected"), ENGLISH_QUOTED)
def test_english_quoted_words_are_not_elisions(text: str, expected: str) -> None:
    assert fix_text(text, "en") == expected


def test_english_elisions_and_units_stay_english() -> None:
    # The French rules never see English text, and the other way round.
    assert fix_text("M. Dupont et Me Martin, rock 'n' roll", "en") == (
        "M. Dupont et Me Martin, rock ’n’ roll"
    )
    assert fix_text("à 14 h 30", "de") == "à 14 h 30"


@pytest.mark.parametrize(("lang", "text", "expected"), OTHER)
def test_other_languages(lang: str, text: str, expected: str) -> None:
    assert fix_text(text, lang) == expected
    assert fix_text(expected, lang) == expected


@pytest.mark.parametrize("lang", ["fr-FR", "fr_CA", "FR"])
def test_french_regional_codes(lang: str) -> None:
    assert fix_text("Quoi?", lang) == "Quoi\u202f?"


@pytest.mark.parametrize("lang", ["en-GB", "en_US"])
def test_english_regional_codes(lang: str) -> None:
    assert fix_text('"Why ?"', lang) == "“Why?”"


def test_empty_text() -> None:
    assert fix_text("", "fr") == ""


# --------------------------------------------------------------------------- idempotence

# Text made of the characters the rules care about, so that random strings hit them.
_TYPO_CHARS = [*"ab lÉ'\"!?;:.,«»“”‘’()-/hkm%€0123456789\n—", "\u00a0", "\u202f", "\u2009"]
_TYPO_TOKENS = [
    *("https://x.fr/", "www.", "@", "10:55", "10h30", "ISO ", "..."),
    *("M. ", "Me ", "art. ", "cf. ", "n° ", "n°s ", " h ", " — ", "'n' ", "'em", "'tis", " GW"),
]
_TYPO_TEXT = st.lists(st.sampled_from([*_TYPO_CHARS, *_TYPO_TOKENS]), max_size=40).map("".join)


@settings(max_examples=400, deadline=None)
@given(text=_TYPO_TEXT, lang=st.sampled_from(["fr", "en", "de"]))
def test_fix_text_is_idempotent(text: str, lang: str) -> None:
    once = fix_text(text, lang)
    assert fix_text(once, lang) == once


_INLINE = st.one_of(
    _TYPO_TEXT.map(Text),
    _TYPO_TEXT.map(lambda s: Emphasis((Text(s),))),
    _TYPO_TEXT.map(lambda s: Strong((Text("x"), Text(s)))),
    _TYPO_TEXT.map(lambda s: Link("https://example.org/a?b", (Text(s),))),
    st.just(Code('a "b" : c')),
    st.just(LineBreak()),
    st.just(FootnoteRef("n", 1)),
)


@settings(max_examples=300, deadline=None)
@given(children=st.lists(_INLINE, max_size=6), lang=st.sampled_from(["fr", "en"]))
def test_apply_is_idempotent_across_nodes(children: list[Inline], lang: str) -> None:
    doc = _document((Paragraph(tuple(children)),), lang=lang)
    once = apply(doc)
    assert apply(once) == once


# --------------------------------------------------------------------------- apply()


def _meta(**changes: object) -> Metadata:
    fields: dict[str, object] = {
        "title": Localized.of({"fr": "Titre: un essai", "en": "Title : a test"}),
        "author": Author("Jean d'Ormesson"),
        "date": dt.date(2025, 12, 1),
        "lang": "fr",
    }
    fields.update(changes)
    return Metadata(**fields)  # type: ignore[arg-type]


def _document(
    body: tuple[object, ...],
    *,
    lang: str = "fr",
    meta: Metadata | None = None,
    footnotes: tuple[Footnote, ...] = (),
) -> Document:
    return Document(
        path=Path("article.md"),
        meta=meta or _meta(),
        body=body,  # type: ignore[arg-type]
        footnotes=footnotes,
        lang=lang,
    )


def _first_paragraph(doc: Document) -> tuple[Inline, ...]:
    block = doc.body[0]
    assert isinstance(block, Paragraph)
    return block.children


def test_quotes_pair_across_emphasis() -> None:
    paragraph = Paragraph((Text('il a dit "très '), Emphasis((Text("bien"),)), Text('" hier')))
    fixed = _first_paragraph(apply(_document((paragraph,))))
    assert fixed == (
        Text("il a dit «\u202ftrès "),
        Emphasis((Text("bien"),)),
        Text("\u202f» hier"),
    )


def test_quotes_pair_when_both_sit_in_other_nodes() -> None:
    paragraph = Paragraph((Text('"'), Emphasis((Text("très"),)), Text(' bien"')))
    fixed = _first_paragraph(apply(_document((paragraph,), lang="en")))
    assert fixed == (Text("“"), Emphasis((Text("très"),)), Text(" bien”"))


def test_space_before_mark_goes_with_the_mark() -> None:
    paragraph = Paragraph((Strong((Text("Attention"),)), Text("! Et "), Emphasis((Text("ça"),))))
    fixed = _first_paragraph(apply(_document((paragraph,))))
    assert fixed == (Strong((Text("Attention"),)), Text("\u202f! Et "), Emphasis((Text("ça"),)))


def test_apostrophe_across_nodes() -> None:
    paragraph = Paragraph((Text("l'"), Emphasis((Text("homme"),))))
    assert _first_paragraph(apply(_document((paragraph,)))) == (
        Text("l’"),
        Emphasis((Text("homme"),)),
    )


def test_code_and_raw_inline_untouched() -> None:
    paragraph = Paragraph(
        (
            Text('Tapez "'),
            Code('print("x") ; a:b ...'),
            Text('" puis '),
            RawInline('<span title="a ; b">'),
            Text("Quoi?"),
        )
    )
    fixed = _first_paragraph(apply(_document((paragraph,))))
    assert fixed == (
        Text("Tapez «\u202f"),
        Code('print("x") ; a:b ...'),
        Text("\u202f» puis "),
        RawInline('<span title="a ; b">'),
        Text("Quoi\u202f?"),
    )


def test_code_counts_as_a_word_before_a_mark() -> None:
    paragraph = Paragraph((Text("Avez-vous lancé "), Code("make"), Text("?")))
    fixed = _first_paragraph(apply(_document((paragraph,))))
    assert fixed[2] == Text("\u202f?")


def test_line_break_is_not_replaced() -> None:
    paragraph = Paragraph((Text("Quoi"), LineBreak(), Text("?")))
    assert _first_paragraph(apply(_document((paragraph,)))) == paragraph.children


def test_code_and_raw_blocks_untouched() -> None:
    body = (CodeBlock('x = "a" ; y = 17400...\n', "python"), RawBlock("<p>Quoi?</p>"))
    assert apply(_document(body)).body == body


def test_link_text_fixed_href_untouched() -> None:
    link = Link("https://example.org/a?b=1;c=2", (Text("l'article"),), title="Quoi?")
    fixed = _first_paragraph(apply(_document((Paragraph((Text("Voir "), link)),))))
    assert fixed[1] == Link("https://example.org/a?b=1;c=2", (Text("l’article"),), "Quoi\u202f?")


def test_autolink_text_untouched() -> None:
    link = Link("https://example.org/x?y", (Text("https://example.org/x?y"),))
    paragraph = Paragraph((Text("Voir "), link, Text(" !")))
    fixed = _first_paragraph(apply(_document((paragraph,))))
    assert fixed == (Text("Voir "), link, Text("\u202f!"))


def test_image_alt_fixed_src_untouched() -> None:
    image = Image("images/l'carte...png", "La carte de l'Afrique", "Carte : 2025")
    figure = Figure(image, (Text("Carte : 2025"),))
    fixed = apply(_document((figure,))).body[0]
    assert fixed == Figure(
        Image("images/l'carte...png", "La carte de l’Afrique", "Carte\u00a0: 2025"),
        (Text("Carte\u00a0: 2025"),),
    )


def test_nested_blocks_sections_lists_tables_footnotes() -> None:
    section = Section(
        level=2,
        title=(Text("Bilan : 2025"),),
        children=(
            BulletList((ListItem((Paragraph((Text("17400 km"),)),)),)),
            Table(
                header=(TableCell((Text("Coût"),)), TableCell((Text("Part"),))),
                rows=((TableCell((Text("20€"),)), TableCell((Text("5%"),))),),
                aligns=("", "right"),
            ),
        ),
        ident="bilan-2025",
        number="1",
    )
    note = Footnote("n", 1, (Paragraph((Text("Voir l'annexe..."),)),))
    doc = apply(_document((section,), footnotes=(note,)))
    fixed = doc.body[0]
    assert isinstance(fixed, Section)
    assert fixed.title == (Text("Bilan\u00a0: 2025"),)
    assert fixed.ident == "bilan-2025"
    assert fixed.children[0] == BulletList(
        (ListItem((Paragraph((Text("17\u202f400\u00a0km"),)),)),)
    )
    table = fixed.children[1]
    assert isinstance(table, Table)
    assert table.rows == ((TableCell((Text("20\u00a0€"),)), TableCell((Text("5\u00a0%"),))),)
    assert doc.footnotes == (Footnote("n", 1, (Paragraph((Text("Voir l’annexe…"),)),)),)


def test_body_uses_document_language() -> None:
    paragraph = Paragraph((Text('He said "why ?"'),))
    doc = _document((paragraph,), lang="en")
    assert _first_paragraph(apply(doc)) == (Text("He said “why?”"),)


def test_body_falls_back_to_source_language() -> None:
    doc = _document((Paragraph((Text("Quoi?"),)),), lang="")
    assert _first_paragraph(apply(doc)) == (Text("Quoi\u202f?"),)


def test_metadata_fixed_per_language() -> None:
    meta = _meta(
        author=Author(
            "Jean d'Ormesson",
            role=Localized.of({"fr": "Président : fondateur", "en": "Founder : president"}),
            organization=Localized.plain("AMCAP : l'association"),
        ),
        subtitle=Localized.of({"fr": "Paix?", "en": "Peace ?"}),
        short_title=Localized.of({"fr": "Maroc...", "en": "Morocco..."}),
        classification=Localized.plain("NON CLASSIFIÉ"),
        keywords=("l'Afrique", "Accords : Abraham"),
        summary=Localized.of({"fr": 'Un "partenariat"', "en": 'A "partnership"'}),
        key_points=(Localized.of({"fr": "17400 km", "en": "17400 km"}),),
        timeline=(TimelineEntry(PartialDate(2025, 11), Localized.of({"fr": "Visite!"})),),
        contact=Localized.of({"fr": "Bureau : Rabat", "en": "Office : Rabat"}),
    )
    fixed = apply(_document((), meta=meta)).meta
    assert fixed.title == Localized.of({"fr": "Titre\u00a0: un essai", "en": "Title: a test"})
    assert fixed.subtitle == Localized.of({"fr": "Paix\u202f?", "en": "Peace?"})
    assert fixed.short_title == Localized.of({"fr": "Maroc…", "en": "Morocco…"})
    assert fixed.summary == Localized.of(
        {"fr": "Un «\u202fpartenariat\u202f»", "en": "A “partnership”"}
    )
    assert fixed.key_points == (Localized.of({"fr": "17\u202f400\u00a0km", "en": "17400\u00a0km"}),)
    assert fixed.timeline[0].text == Localized.of({"fr": "Visite\u202f!"})
    assert fixed.timeline[0].date == PartialDate(2025, 11)
    assert fixed.contact == Localized.of({"fr": "Bureau\u00a0: Rabat", "en": "Office: Rabat"})
    assert fixed.author.role == Localized.of(
        {"fr": "Président\u00a0: fondateur", "en": "Founder: president"}
    )
    # Universal texts ("*") are typed in the source language (meta.lang, here French).
    assert fixed.author.organization == Localized.plain("AMCAP\u00a0: l’association")
    assert fixed.classification == Localized.plain("NON CLASSIFIÉ")
    # Identifiers stay as typed.
    assert fixed.author.name == "Jean d'Ormesson"
    assert fixed.keywords == ("l'Afrique", "Accords : Abraham")


def test_universal_text_follows_source_language_not_body_language() -> None:
    meta = _meta(lang="en", contact=Localized.plain("Office : Rabat"))
    doc = _document((Paragraph((Text("Quoi?"),)),), lang="fr", meta=meta)
    fixed = apply(doc)
    assert fixed.meta.contact == Localized.plain("Office: Rabat")
    assert _first_paragraph(fixed) == (Text("Quoi\u202f?"),)


def test_apply_keeps_other_fields_and_is_idempotent() -> None:
    paragraph = Paragraph((Text('Il a dit "oui" : 17400 km...'),), line=7)
    doc = _document((paragraph,))
    once = apply(doc)
    assert once.path == doc.path
    assert once.lang == doc.lang
    assert once.body[0] == Paragraph(
        (Text("Il a dit «\u202foui\u202f»\u00a0: 17\u202f400\u00a0km…"),), line=7
    )
    assert apply(once) == once


def test_correct_document_comes_back_equal() -> None:
    paragraph = Paragraph(
        (Text("Déjà\u00a0: «\u202fl’homme\u202f» "), Emphasis((Text("ici"),)), Text("\u202f?"))
    )
    doc = _document((paragraph,), meta=_meta(title=Localized.plain("Titre\u00a0: bon")))
    assert apply(doc) == doc


# --------------------------------------------------------------------------- untrusted input

# The linear rewrites find exactly what the former, quadratic regexes found (kept here as
# references; only small strings are fed to them).
_EMAIL_REFERENCE = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
_NUMBER_UNIT_REFERENCE = re.compile(
    r"(?<![\w.,])\d+(?:[.,\u202f]\d+)*"
    r"(?P<space>[ \u00a0\u202f\u2009]?)"
    r"(?:" + "|".join(re.escape(u) for u in sorted(UNITS, key=len, reverse=True)) + r")"
    r"(?![\w'’])"
)

_EMAIL_TEXT = st.lists(
    st.sampled_from([*"ab1_.+-@ ,é:", "\u00a0", "a@b.c", "x.y@z", "@@", ".."]), max_size=40
).map("".join)
_NUMBER_TEXT = st.lists(
    st.sampled_from([*"1209.,aA_ %k'’m-²s", "\u00a0", "\u202f", "\u2009", "km", "millions"]),
    max_size=40,
).map("".join)


@settings(max_examples=500, deadline=None)
@given(text=_EMAIL_TEXT)
def test_email_spans_match_the_reference_regex(text: str) -> None:
    assert list(email_spans(text)) == [m.span() for m in _EMAIL_REFERENCE.finditer(text)]


@settings(max_examples=500, deadline=None)
@given(text=_NUMBER_TEXT)
def test_number_unit_matches_the_reference_regex(text: str) -> None:
    def found(pattern: re.Pattern[str]) -> list[tuple[int, int, int]]:
        return [(m.start("space"), m.end("space"), m.end()) for m in pattern.finditer(text)]

    assert found(NUMBER_UNIT) == found(_NUMBER_UNIT_REFERENCE)


# Articles come from outside, so no text may make typography slow. Each shape is a long run
# of one pattern, then a tail the rules must still fix. Several made the former version
# quadratic or worse: the e-mail regex read a word again from each of its letters (a 50 KB
# word took 25 s), the number-and-unit regex read a U+202F-grouped number again from each
# group, and every edit was checked against every protected span, placed by walking every
# node and spliced by copying the whole string. The others guard the patterns that read
# runs of spaces, quotes, colons or URLs.

KB = 1000
_SMALL = 10 * KB
"""The size of the linear baseline each shape is timed against."""

_TAIL = " Quoi ? 5%"
_TAIL_FR = " Quoi\u202f? 5\u00a0%"
_TAIL_EN = " Quoi? 5%"


def _same(run: str) -> str:
    return run


def _grouped(digits: str) -> str:
    """``digits`` with U+202F every three digits from the right."""
    head = len(digits) % 3 or 3
    groups = [digits[:head], *(digits[i : i + 3] for i in range(head, len(digits), 3))]
    return "\u202f".join(groups)


# name: (unit repeated, size in characters, what French makes of the run, what English does)
_SHAPES: dict[str, tuple[str, int, Callable[[str], str], Callable[[str], str]]] = {
    "one word": ("a", 200 * KB, _same, _same),
    "digits": ("1", 200 * KB, _grouped, _same),
    "a@": ("a@", 100 * KB, _same, _same),
    "dot space": (". ", 100 * KB, _same, _same),
    "apostrophes": ("'", 100 * KB, _same, _same),
    "double quotes": (
        '"',
        100 * KB,
        lambda run: run.replace('""', "«»"),
        lambda run: run.replace('""', "“”"),
    ),
    "colons": (":", 100 * KB, _same, _same),
    "http://": ("http://", 100 * KB, _same, _same),
    "spaces": (" ", 100 * KB, _same, _same),
    "no-break spaces": ("\u00a0", 100 * KB, _same, _same),
    "grouped digits": ("1\u202f", 100 * KB, _same, _same),
    "e-mails": ("a.b@c.d ", 100 * KB, _same, _same),
    "urls and marks": (
        "http://a ? ",
        100 * KB,
        lambda run: run.replace(" ?", "\u202f?"),
        lambda run: run.replace(" ?", "?"),
    ),
    "quoted words": (
        '"a" ',
        100 * KB,
        lambda run: run.replace('"a"', "«\u202fa\u202f»"),
        lambda run: run.replace('"a"', "“a”"),
    ),
    "dashes": ("— ", 100 * KB, _same, _same),
    "incises": (
        "a — b — ",
        100 * KB,
        lambda run: run.replace("— b —", "—\u00a0b\u00a0—"),
        _same,
    ),
    "sentences and dashes": (". A — ", 100 * KB, _same, _same),
    "titles": (
        "M. A ",
        100 * KB,
        lambda run: run.replace("M. A", "M.\u00a0A"),
        _same,
    ),
    "numeros": ("n° 1 ", 100 * KB, lambda run: run.replace("n° 1", "n°\u00a01"), _same),
    "times": (
        "14 h 30 ",
        100 * KB,
        lambda run: run.replace("14 h 30", "14\u00a0h\u00a030"),
        lambda run: run.replace("14 h 30", "14\u00a0h 30"),
    ),
    "units": (
        "1 km ",
        100 * KB,
        lambda run: run.replace("1 km", "1\u00a0km"),
        lambda run: run.replace("1 km", "1\u00a0km"),
    ),
    "elisions": ("rock 'n' ", 100 * KB, _same, lambda run: run.replace("'n'", "’n’")),
}


def _run_of(unit: str, size: int) -> str:
    """Whole ``unit``s up to ``size`` characters."""
    return unit * (size // len(unit))


def _chunked(text: str) -> Paragraph:
    """``text`` as a paragraph of many nodes: 100 characters each, every other emphasised."""
    chunks = [text[i : i + 100] for i in range(0, len(text), 100)]
    return Paragraph(
        tuple(Text(c) if i % 2 == 0 else Emphasis((Text(c),)) for i, c in enumerate(chunks))
    )


def _plain(inlines: tuple[Inline, ...]) -> str:
    """The text of a paragraph made by ``_chunked``."""
    return "".join(
        node.text if isinstance(node, Text) else _plain(getattr(node, "children", ()))
        for node in inlines
    )


@dataclass(frozen=True)
class _Run:
    """One shape at full size and what the rules made of it."""

    text: str
    fr: str
    en: str
    paragraph: str  # French, through apply() and many nodes


@pytest.fixture(scope="module")
def untrusted() -> dict[str, _Run]:
    """Every shape run once at full size. Their speed against a small baseline is measured
    by ``bench/bench_typography.py``, not asserted here: the suite runs on shared machines;
    a quadratic rule would still make this fixture take minutes instead of seconds."""
    runs: dict[str, _Run] = {}
    for name, (unit, size, _, _) in _SHAPES.items():
        text = _run_of(unit, size) + _TAIL
        paragraph = _plain(_first_paragraph(apply(_document((_chunked(text),)))))
        runs[name] = _Run(text, fix_text(text, "fr"), fix_text(text, "en"), paragraph)
    return runs


@pytest.mark.parametrize("name", list(_SHAPES))
def test_untrusted_input_is_fixed(untrusted: dict[str, _Run], name: str) -> None:
    unit, size, french, english = _SHAPES[name]
    run = untrusted[name]
    expected_fr = french(_run_of(unit, size)) + _TAIL_FR
    expected_en = english(_run_of(unit, size)) + _TAIL_EN
    # Compared by parts, so that a failure does not print 200 KB.
    assert run.fr.endswith(_TAIL_FR)
    assert run.en.endswith(_TAIL_EN)
    assert len(run.fr) == len(expected_fr)
    assert run.fr == expected_fr
    assert run.en == expected_en
    assert run.paragraph == run.fr
    assert fix_text(run.fr, "fr") == run.fr
    assert fix_text(run.en, "en") == run.en


def test_protected_spans_follow_the_edits() -> None:
    # "!" ends the URL until "..." becomes "…", which the URL then runs to: the spans are
    # those of the edited text, not of the text as typed.
    assert fix_text("https://x.fr/!...", "fr") == "https://x.fr/!…"


@pytest.mark.parametrize("name", list(_SHAPES))
def test_untrusted_input_is_read_at_most_twice_per_rule(name: str) -> None:
    # One pass fixes, a second one checks (cut short once every rule has seen the final
    # text): the passes never multiply the cost beyond that, even on these shapes.
    calls: dict[int, int] = {}

    def counted(index: int, rule: Rule) -> Rule:
        def run(text: str, protected: Protected) -> list[Edit]:
            calls[index] = calls.get(index, 0) + 1
            return rule(text, protected)

        return run

    unit = _SHAPES[name][0]
    text = _run_of(unit, _SMALL) + _TAIL
    rules = [counted(index, rule) for index, rule in enumerate(FRENCH_RULES)]
    assert run_rules([Piece(text, True)], rules) == [fix_text(text, "fr")]
    assert max(calls.values()) <= 2


# --------------------------------------------------------------------------- end to end

E2E_FRENCH = """\
M. Dupont et Me Martin ont lu l'art. 3, p. 45, le dossier n° 12 et cf. supra.

La séance s'ouvre à 14 h 30 : elle a — dit-on — duré longtemps.
"""

E2E_ENGLISH = """\
Output rose 10.5 % to 3.5 GW; rock 'n' roll, 'tis true.
"""

# Fragments each output must carry, U+00A0 where the rules put it. Each is held together
# by no-break spaces only, so no line can end inside it.
E2E_CASES = [
    (
        "fr",
        E2E_FRENCH,
        [
            "M.\u00a0Dupont",
            "Me\u00a0Martin",
            "l’art.\u00a03",
            "p.\u00a045",
            "n°\u00a012",
            "cf.\u00a0supra",
            "14\u00a0h\u00a030\u00a0:",
            "—\u00a0dit-on\u00a0—",
        ],
    ),
    ("en", E2E_ENGLISH, ["10.5\u00a0%", "3.5\u00a0GW", "’n’", "’tis"]),
]


@pytest.mark.parametrize(("lang", "body", "fragments"), E2E_CASES, ids=["fr", "en"])
def test_no_break_spaces_reach_pdf_and_docx(
    tmp_path: Path, lang: str, body: str, fragments: list[str]
) -> None:
    """An article built for real: the brief's PDF and the report's Word runs carry them.

    pdftotext (poppler) prints U+00A0 as an ordinary space (it reads it as a word break),
    so it checks the words and their order, and the PDF's glyphs, read by pdfplumber,
    check the no-break spaces themselves.
    """
    source = tmp_path / "article.md"
    front = (
        f"---\ntitle: {{fr: Titre, en: Title}}\nauthor: A\ndate: 2026-01-02\nlang: {lang}\n---\n"
    )
    source.write_text(front + "\n" + body, encoding="utf-8")
    doc = api.load(source)
    options = RenderOptions(load_project(REPO))
    pdf = render_pdf(doc, options, tmp_path / "pdf")[0]
    report = render_report(doc, options, tmp_path / "docx")[0]

    words = " ".join(pdf_text(pdf).split())
    with pdfplumber.open(pdf) as opened:
        glyphs = "".join(str(char["text"]) for page in opened.pages for char in page.chars)
    runs = ["".join(run.text for run in p.runs) for p in docx.Document(str(report)).paragraphs]
    for fragment in fragments:
        assert fragment.replace("\u00a0", " ") in words
        assert fragment in glyphs
        assert any(fragment in paragraph for paragraph in runs), fragment
