"""The web edition (format ``html``), read back by real tools: the Nu HTML Checker (0
errors), axe-core in headless Chromium (0 WCAG 2.1 AA violations, light and dark, 1280 and
360 px wide), and the page's own structure, safety and reproducibility."""

from __future__ import annotations

import dataclasses
import io
import re
import shutil
import textwrap
from collections.abc import Iterator
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest

from docgen import api
from docgen.formats.html.embed import image_uri
from docgen.formats.html.webwriter import valid_web_url
from docgen.loading import edition_of
from docgen.markdown import parse_body
from docgen.model import Block, Document, Section, Text
from docgen.options import RenderOptions
from docgen.project import load_project
from docgen.source import load
from docgen.theme import load_theme
from docgen.typography import apply

from .commonmark import examples
from .conftest import ARTICLE, MINIMAL_FRONT, REPO
from .web import axe_violations, launch_browser, vnu_errors

SEED_PAGES = ("brief.fr.html", "brief.en.html", "summary.html")


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    with launch_browser() as launched:
        yield launched


@pytest.fixture(scope="module")
def seed(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The seed article's web edition, built as ``docgen build -f html --lang all``."""
    out = tmp_path_factory.mktemp("web") / "out"
    result = api.build([ARTICLE], formats=["html"], languages=["all"], output=out, use_cache=False)
    assert sorted(p.name for p in result.files if p.suffix == ".html") == sorted(SEED_PAGES)
    return out / "maroc-kazakhstan"


def _shifted(block: Block, number: int) -> Block:
    """A section of an example one level down and with an id of its own: each example is
    parsed alone, so its ``sec-1`` would clash with the next one's."""
    if isinstance(block, Section):
        return dataclasses.replace(
            block,
            level=block.level + 1,
            ident=f"ex{number}-{block.ident}",
            children=tuple(_shifted(child, number) for child in block.children),
        )
    return block


@pytest.fixture(scope="module")
def commonmark_page(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """An article holding every CommonMark spec example, one section each, as a web page."""
    base, _ = load(ARTICLE)
    sections = []
    for example in examples():
        parsed = parse_body(example.markdown, Path("spec.md"))
        blocks = tuple(_shifted(block, example.number) for block in parsed.blocks)
        sections.append(
            Section(1, (Text(f"Example {example.number}"),), blocks, f"ex-{example.number}")
        )
    doc = apply(Document(base.path, base.meta, tuple(sections), lang="en"))
    project = load_project(REPO)
    options = RenderOptions(project, theme=load_theme(project))
    result = api.render(edition_of(doc, "brief", project), "html", options)
    (output,) = result.outputs
    assert output.name == "brief.en.html"
    path = tmp_path_factory.mktemp("commonmark") / output.name
    path.write_bytes(output.data)
    return path


# -- the validators --------------------------------------------------------------------


def test_nu_html_checker_finds_no_error(seed: Path, commonmark_page: Path) -> None:
    assert vnu_errors(*(seed / name for name in SEED_PAGES), commonmark_page) == ""


def test_nu_html_checker_does_report_errors(tmp_path: Path) -> None:
    """The checker is really run: a page with a duplicate id fails."""
    bad = tmp_path / "bad.html"
    bad.write_text(
        '<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>x</title></head>'
        '<body><p id="a">1</p><p id="a">2</p></body></html>',
        encoding="utf-8",
    )
    assert "Duplicate ID" in vnu_errors(bad)


@pytest.mark.parametrize("width", [1280, 360])
@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_axe_finds_no_wcag_aa_violation(
    browser: Any, seed: Path, commonmark_page: Path, width: int, scheme: str
) -> None:
    for path in [*(seed / name for name in SEED_PAGES), commonmark_page]:
        page = browser.new_page(viewport={"width": width, "height": 900}, color_scheme=scheme)
        try:
            page.goto(path.as_uri())
            assert axe_violations(page) == [], path.name
        finally:
            page.close()


def test_axe_does_report_violations(browser: Any, tmp_path: Path) -> None:
    """axe is really run: grey on white and an image without alt text are reported."""
    bad = tmp_path / "bad.html"
    bad.write_text(
        '<!DOCTYPE html><html lang="en"><head><title>x</title></head><body><main>'
        '<p style="color:#bbb">faint</p><img src="data:image/png;base64,iVBORw0KGgo=">'
        "</main></body></html>",
        encoding="utf-8",
    )
    page = browser.new_page()
    try:
        page.goto(bad.as_uri())
        assert {v["id"] for v in axe_violations(page)} >= {"color-contrast", "image-alt"}
    finally:
        page.close()


# -- what the page is made of ------------------------------------------------------------


class _Outline(HTMLParser):
    """Headings, landmarks, ids, links, images and every attribute that loads something."""

    def __init__(self) -> None:
        super().__init__()
        self.headings: list[int] = []
        self.tags: list[str] = []
        self.ids: list[str] = []
        self.hrefs: list[str] = []
        self.loads: list[str] = []
        self.images: list[dict[str, str | None]] = []
        self.html_attrs: dict[str, str | None] = {}
        self.langs: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = dict(attrs)
        self.tags.append(tag)
        if tag == "html":
            self.html_attrs = found
        if re.fullmatch(r"h[1-6]", tag):
            self.headings.append(int(tag[1]))
        if found.get("id"):
            self.ids.append(str(found["id"]))
        if found.get("lang"):
            self.langs.append(str(found["lang"]))
        if tag == "a" and found.get("href"):
            self.hrefs.append(str(found["href"]))
        if tag == "img":
            self.images.append(found)
        for name in ("src", "srcset", "poster", "data", "action", "formaction"):
            if found.get(name):
                self.loads.append(str(found[name]))
        if tag == "link" and found.get("href"):
            self.loads.append(str(found["href"]))


def outline(path: Path) -> _Outline:
    parser = _Outline()
    parser.feed(path.read_text(encoding="utf-8"))
    return parser


@pytest.mark.parametrize("name", SEED_PAGES)
def test_landmarks_language_headings_and_skip_link(seed: Path, name: str) -> None:
    page = outline(seed / name)
    lang = "en" if ".en." in name else "fr"
    assert page.html_attrs["lang"] == lang
    assert {"header", "main", "footer"} <= set(page.tags)
    if name.startswith("brief"):
        assert "nav" in page.tags
    assert page.hrefs[0] == "#main" and "main" in page.ids
    assert page.headings.count(1) == 1
    assert page.headings[0] == 1 or name.startswith("brief") is False
    for before, after in zip(page.headings, page.headings[1:], strict=False):
        assert after <= before + 1, page.headings
    assert len(page.ids) == len(set(page.ids))
    assert all(href.lstrip("#") in page.ids for href in page.hrefs if href.startswith("#"))
    text = (seed / name).read_text(encoding="utf-8")
    assert "<script" not in text.lower()
    assert re.search(r'class="marking"[^>]*>.*(NON CLASSIFIÉ|UNCLASSIFIED)', text)


def test_the_sheet_tags_each_language(seed: Path) -> None:
    page = outline(seed / "summary.html")
    assert page.langs.count("fr") >= 8 and page.langs.count("en") >= 8
    text = (seed / "summary.html").read_text(encoding="utf-8")
    assert re.search(r'lang="en"[^>]*>Morocco–Kazakhstan: a model partnership', text)


@pytest.mark.parametrize("name", SEED_PAGES)
def test_self_contained(seed: Path, name: str) -> None:
    """Everything the page loads is inline, and no path of the build machine shows."""
    page = outline(seed / name)
    assert all(uri.startswith("data:") for uri in page.loads), page.loads
    text = (seed / name).read_text(encoding="utf-8")
    css_urls = re.findall(r"url\(([^)]{0,40})", text)
    assert css_urls and all(u.startswith("data:") for u in css_urls)
    assert "file:" not in text and str(REPO) not in text and "/tmp" not in text


def test_reproducible_across_folders(seed: Path, tmp_path: Path) -> None:
    """The same project elsewhere, at another time, gives the same bytes."""
    copy = tmp_path / "elsewhere"
    shutil.copytree(REPO / "source", copy / "source")
    shutil.copy(REPO / "docgen.toml", copy / "docgen.toml")
    api.build(
        formats=["html"],
        languages=["all"],
        project=load_project(copy),
        output=copy / "out",
        use_cache=False,
    )
    for name in SEED_PAGES:
        assert (copy / "out" / "maroc-kazakhstan" / name).read_bytes() == (seed / name).read_bytes()


def test_nothing_is_fetched_in_the_browser(browser: Any, seed: Path) -> None:
    requested: list[str] = []
    page = browser.new_page()
    try:
        page.on("request", lambda request: requested.append(request.url))
        page.goto((seed / "brief.fr.html").as_uri())
        page.wait_for_load_state("networkidle")
        fonts = page.evaluate(
            "async () => { await document.fonts.ready;"
            " return [...document.fonts].filter(f => f.status === 'loaded').map(f => f.family); }"
        )
    finally:
        page.close()
    assert [u for u in requested if not u.startswith("data:")] == [
        (seed / "brief.fr.html").as_uri()
    ]
    assert {'"Docgen Serif"', '"Docgen Sans"'} <= set(fonts) or {
        "Docgen Serif",
        "Docgen Sans",
    } <= set(fonts)


@pytest.mark.parametrize("name", SEED_PAGES)
def test_readable_at_360_px(browser: Any, seed: Path, name: str) -> None:
    page = browser.new_page(viewport={"width": 360, "height": 800})
    try:
        page.goto((seed / name).as_uri())
        assert page.evaluate("document.documentElement.scrollWidth") <= 360
        size = page.evaluate(
            "parseFloat(getComputedStyle(document.querySelector('main p')).fontSize)"
        )
        assert size >= 16
    finally:
        page.close()


def test_the_sheet_columns_stack_on_a_narrow_screen(browser: Any, seed: Path) -> None:
    script = """() => [...document.querySelectorAll('#row-summary .cell')]
        .map(c => { const r = c.getBoundingClientRect(); return [r.left, r.top]; })"""
    lefts = {}
    for width in (1280, 360):
        page = browser.new_page(viewport={"width": width, "height": 800})
        try:
            page.goto((seed / "summary.html").as_uri())
            lefts[width] = page.evaluate(script)
        finally:
            page.close()
    (fr_wide, en_wide), (fr_narrow, en_narrow) = lefts[1280], lefts[360]
    assert en_wide[0] > fr_wide[0] + 300 and en_wide[1] == fr_wide[1]  # side by side
    assert en_narrow[0] == fr_narrow[0] and en_narrow[1] > fr_narrow[1]  # stacked


def test_a_dark_colour_scheme_is_respected(browser: Any, seed: Path) -> None:
    colours = {}
    for scheme in ("light", "dark"):
        page = browser.new_page(color_scheme=scheme)
        try:
            page.goto((seed / "brief.fr.html").as_uri())
            colours[scheme] = page.evaluate(
                "[getComputedStyle(document.documentElement).backgroundColor,"
                " getComputedStyle(document.querySelector('h1')).color]"
            )
        finally:
            page.close()
    assert colours["light"][0] == "rgb(255, 255, 255)"
    assert colours["dark"][0] != colours["light"][0] and colours["dark"][1] != colours["light"][1]


# -- a small article: footnotes, images, raw HTML, links ---------------------------------


def _png(note: bytes) -> bytes:
    """A small PNG carrying a text chunk, which the embedded copy must not keep."""
    from PIL import Image, PngImagePlugin

    info = PngImagePlugin.PngInfo()
    info.add_text("Comment", note.decode())
    out = io.BytesIO()
    Image.new("RGB", (40, 20), (20, 40, 75)).save(out, format="PNG", pnginfo=info)
    return out.getvalue()


@pytest.fixture
def small(tmp_path: Path) -> Path:
    """A project with one article that has what the seed lacks."""
    (tmp_path / "docgen.toml").write_text("[docgen]\n", encoding="utf-8")
    source = tmp_path / "source"
    source.mkdir()
    (source / "chart.png").write_bytes(_png(b"GPS 48.85N 2.35E"))
    body = textwrap.dedent(
        """\
        # Premier point

        Un texte[^a] qui cite deux fois la même note[^a], et une autre[^b].

        ![Un graphique des échanges](chart.png)

        <script>alert(1)</script>

        Un [lien](https://example.org/page) et [un faux](https://../) et [un
        script](javascript:alert(1)).

        [^a]: La note A.
        [^b]: La note B.
        """
    )
    (source / "a.md").write_text(MINIMAL_FRONT + body, encoding="utf-8")
    return tmp_path


def test_endnotes_images_raw_html_and_links(small: Path, browser: Any) -> None:
    project = load_project(small)
    api.build(formats=["html"], products=["brief"], project=project, output=small / "out")
    path = small / "out" / "a" / "brief.fr.html"
    text = path.read_text(encoding="utf-8")
    page = outline(path)
    # Notes: every reference has its own id, every note links back to each.
    assert re.findall(r'id="(fnref-[^"]+)"', text) == ["fnref-1", "fnref-1-2", "fnref-2"]
    assert re.search(r'<li id="fn-1"[^>]*>.*href="#fnref-1".*href="#fnref-1-2"', text, re.S)
    assert re.search(r'href="#fnref-2" role="doc-backlink" aria-label="[^"]+ 2">↑</a>', text)
    assert len(page.ids) == len(set(page.ids))
    assert all(h.lstrip("#") in page.ids for h in page.hrefs if h.startswith("#"))
    # The image is embedded, with its alt text, without its text chunk.
    (image,) = page.images
    assert image["alt"] == "Un graphique des échanges"
    assert str(image["src"]).startswith("data:image/png;base64,")
    import base64

    data = base64.b64decode(str(image["src"]).split(",", 1)[1])
    assert data.startswith(b"\x89PNG") and b"GPS" not in data
    # Raw HTML is shown as text; unsafe or invalid links are not links.
    assert "<script" not in text and "&lt;script&gt;alert(1)&lt;/script&gt;" in text
    assert "https://example.org/page" in page.hrefs
    assert not [h for h in page.hrefs if "javascript" in h or h == "https://../"]
    assert vnu_errors(path) == ""
    tab = browser.new_page()
    try:
        tab.goto(path.as_uri())
        assert axe_violations(tab) == []
        tab.click("sup.fnref a >> nth=1")
        assert tab.evaluate("location.hash") == "#fn-1"
        tab.click("#fn-1 a.backref >> nth=1")
        assert tab.evaluate("location.hash") == "#fnref-1-2"
    finally:
        tab.close()


def test_the_image_policy_applies(small: Path, tmp_path_factory: pytest.TempPathFactory) -> None:
    outside = tmp_path_factory.mktemp("outside") / "secret.png"
    outside.write_bytes(_png(b"x"))
    project = load_project(small)
    base = small / "source"
    assert image_uri("chart.png", base, project).uri.startswith("data:image/png;base64,")
    refused = image_uri(str(outside), base, project)
    assert refused.uri == "" and "outside" in refused.reason
    assert image_uri("https://example.org/x.png", base, project).uri == ""
    assert image_uri("missing.png", base, project).quiet


def test_invalid_web_urls() -> None:
    assert valid_web_url("https://example.org/a?b#c")
    assert valid_web_url("mailto:x@example.org")
    assert valid_web_url("http://[::1]:8080/")
    assert not valid_web_url("https://../")
    assert not valid_web_url("https://")
    assert not valid_web_url("http://example.org:port/")


# -- the format in the registry ------------------------------------------------------------


def test_html_is_opt_in() -> None:
    project = load_project(REPO)
    assert "html" not in {fmt for _product, fmt in api.selection(project)}
    assert {(p.name, f) for p, f in api.selection(project, chosen_formats=["html"])} == {
        ("brief", "html"),
        ("sheet", "html"),
    }


def test_importing_the_context_does_not_load_the_web_edition() -> None:
    import subprocess
    import sys

    code = (
        "import sys, docgen.formats.html.context;"
        "print(any(m.startswith('docgen.formats.html.page') or m.startswith('fontTools')"
        " for m in sys.modules))"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=REPO
    )
    assert done.stdout.strip() == "False"
