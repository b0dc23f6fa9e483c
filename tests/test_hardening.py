"""Untrusted sources: no file outside the project, no network, no hang, nothing lost."""

from __future__ import annotations

import http.server
import re
import struct
import threading
import zlib
from collections.abc import Callable, Iterator
from dataclasses import replace
from pathlib import Path
from typing import ClassVar

import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from docgen import api
from docgen.cli import main
from docgen.errors import DocgenError, RenderError
from docgen.formats.html.writer import HtmlWriter
from docgen.options import RenderOptions
from docgen.output import safe_output_dir, write_atomic
from docgen.project import load_project
from docgen.source import load
from tests.rendering import brief_html

from .conftest import MINIMAL_FRONT


class _Counter(http.server.BaseHTTPRequestHandler):
    hits: ClassVar[list[str]] = []

    def do_GET(self) -> None:
        type(self).hits.append(self.path)
        self.send_response(200)
        self.end_headers()
        self.wfile.write(b"GIF89a")

    def log_message(self, *_args: object) -> None:
        pass


@pytest.fixture
def server() -> Iterator[tuple[str, list[str]]]:
    """A local HTTP server that records every request it receives."""
    _Counter.hits = []
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Counter)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{httpd.server_address[1]}", _Counter.hits
    finally:
        httpd.shutdown()
        httpd.server_close()


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    (tmp_path / "source").mkdir()
    monkeypatch.chdir(tmp_path)
    return tmp_path


def write(project: Path, body: str, name: str = "a.md") -> Path:
    path = project / "source" / name
    path.write_text(MINIMAL_FRONT + body, encoding="utf-8")
    return path


def run(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(main, list(args))
    return result.exit_code, result.output


def test_no_network_request_is_made(project: Path, server: tuple[str, list[str]]) -> None:
    url, hits = server
    write(
        project,
        f'![carte]({url}/image.png)\n\n<img src="{url}/raw.png">\n\n'
        f'<link rel="stylesheet" href="{url}/x.css">\n\n[lien]({url}/page)\n',
    )
    code, out = run("build", "-q")
    assert code == 2, out  # an image not loaded stops a build…
    assert "error: remote image" in out and "not loaded" in out
    code, out = run("build", "-q", "--draft")  # …and lets a draft through, marked
    assert code == 0, out
    assert hits == []
    assert "remote image" in out and "not loaded" in out


@pytest.mark.parametrize("src", ["/etc/passwd", "../../../../../../etc/hostname"])
def test_files_outside_the_project_are_refused(project: Path, src: str) -> None:
    write(project, f"![x]({src})\n")
    code, out = run("build", "-q")
    assert code == 2
    assert "source/a.md:7:6: error: image" in out and "outside the project" in out
    assert not (project / "output" / "a").exists()


def test_file_urls_and_script_links_are_refused(project: Path) -> None:
    """``file:`` images fall under the resource policy; script links lose their link."""
    write(project, "![x](file:///etc/passwd)\n\n[clic](javascript:alert(1)) [b](vbscript:x)\n")
    code, out = run("check")
    assert code == 2 and "a.md:7:6: error: image 'file:///etc/passwd' is outside" in out
    path = write(project, "[clic](javascript:alert(1)) et [b](vbscript:x)\n")
    doc, warnings = api.load_with_warnings(path)
    html = brief_html(doc, RenderOptions(load_project(project)))
    assert "javascript:" not in html and "vbscript:" not in html and "<a " not in html
    assert "clic" in html and "et" in html
    assert [w.message for w in warnings if "link" in w.message] == [
        "link to 'javascript:alert(1)' removed: only http, https, mailto and tel",
        "link to 'vbscript:x' removed: only http, https, mailto and tel",
    ]


def test_symlink_out_of_the_project_is_refused(
    project: Path, tmp_path_factory: pytest.TempPathFactory
) -> None:
    secret = tmp_path_factory.mktemp("elsewhere") / "secret.png"
    secret.write_bytes(b"\x89PNG")
    (project / "source" / "link.png").symlink_to(secret)
    write(project, "![x](link.png)\n")
    code, out = run("check")
    assert code == 2 and "outside the project" in out


def test_fetcher_refuses_what_the_template_asks_for(project: Path) -> None:
    """Even a template's own URL (the second line of defence) cannot leave the project."""
    from docgen.formats.pdf.weasy import PolicyFetcher

    fetcher = PolicyFetcher(load_project(project).readable_roots)
    for url in ("file:///etc/passwd", "http://127.0.0.1:9/x", "ftp://example.org/x"):
        with pytest.raises(ValueError, match="refused"):
            fetcher.fetch(url)
    assert len(fetcher.refused) == 3


def _png_header(width: int, height: int) -> bytes:
    """A PNG whose header claims ``width``×``height`` (a decompression bomb's shape)."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return (
            struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
        )

    ihdr = struct.pack(">IIBBBBB", width, height, 1, 0, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", ihdr)
        + chunk(b"IDAT", zlib.compress(b""))
        + chunk(b"IEND", b"")
    )


def test_decompression_bomb_is_refused(project: Path) -> None:
    (project / "source" / "bomb.png").write_bytes(_png_header(50_000, 50_000))
    (project / "source" / "big.png").write_bytes(_png_header(8_000, 6_000))
    write(project, "![bombe](bomb.png)\n\n![grande](big.png)\n")
    code, out = run("build", "-q")
    assert code == 2
    assert "a.md:7:10: error: image 'bomb.png' is far over the limit of 40 megapixels" in out
    assert "a.md:9:11: error: image 'big.png' is 8000×6000 pixels; the limit is 40" in out


def test_render_time_limit_stops_and_keeps_previous_output(project: Path) -> None:
    path = write(project, "Texte.\n")
    assert run("build", "-p", "brief", "-q")[0] == 0
    output = project / "output" / "a" / "brief.fr.pdf"
    before = output.read_bytes()
    slow = replace(load_project(project), time_limit=0.01)
    with pytest.raises(RenderError, match=r"rendering brief\.fr\.pdf took longer than 0\.01 s"):
        api.build([path], products=["brief"], project=slow, use_cache=False)
    assert output.read_bytes() == before
    assert sorted(p.name for p in output.parent.iterdir()) == ["brief.fr.pdf", "manifest.json"]


def test_failed_write_leaves_previous_output_and_no_temporary(tmp_path: Path) -> None:
    target = tmp_path / "brief.fr.pdf"
    target.write_bytes(b"good")

    def half_then_fail(temp: Path) -> None:
        temp.write_bytes(b"half")
        raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        write_atomic(target, half_then_fail)
    assert target.read_bytes() == b"good"
    assert [p.name for p in tmp_path.iterdir()] == ["brief.fr.pdf"]


@pytest.mark.parametrize("name", ["..", ".", "", "../escape", "/etc"])
def test_output_names_cannot_escape(tmp_path: Path, name: str) -> None:
    with pytest.raises(DocgenError):
        safe_output_dir(tmp_path / "output", name)


# name: (body, the word counted in source and output, or the error expected, located)
PATHOLOGICAL: dict[str, tuple[str, str | None, str | None]] = {
    "deep quotes": ("> " * 5_000 + "x\n", None, r"a\.md:7:81: error: content is nested more"),
    "deep lists": (
        "".join("  " * i + "- x\n" for i in range(300)),
        None,
        r"a\.md:47:81: error: content is nested more",
    ),
    "deep emphasis": ("*a " * 5_000 + "\n", "a", None),
    "deep links": (
        "[" * 10_000 + "x" + "](y)" * 10_000 + "\n",
        None,
        r"a\.md:7:501: error: more than 500 '\[' in one paragraph",
    ),
    "many items": ("".join(f"- item {i}\n" for i in range(10_000)), "item", None),
    "long line": ("mot " * 100_000 + "\n", "mot", None),
    "many footnotes": (
        "".join(f"x[^{i}]\n\n[^{i}]: note {i}\n\n" for i in range(1_000)),
        "note",
        None,
    ),
    "table": (
        "|" + "a|" * 200 + "\n|" + "-|" * 200 + "\n" + ("|" + "x|" * 200 + "\n") * 200,
        "x",
        None,
    ),
    "alternating emphasis": (
        "*a" * 10_000 + "\n",
        None,
        r"a\.md:7:1: error: more than 300 inline elements \(emphasis, links, code…\) in one",
    ),
    "open brackets": ("[a" * 50_000 + "\n", None, r"a\.md:7:1001: error: more than 500 '\['"),
    "reference definitions": (
        "".join(f"[r{i}]: https://example.org/{i}\n" for i in range(20_000)),
        None,
        r"a\.md:2007:1: error: more than 2,000 link reference definitions",
    ),
    "footnote definitions": (
        "".join(f"x[^{i}]\n\n[^{i}]: note {i}\n\n" for i in range(5_000)),
        None,
        r"a\.md:4009:1: error: more than 1,000 footnote definitions",
    ),
}


@pytest.mark.parametrize(("body", "word", "error"), PATHOLOGICAL.values(), ids=PATHOLOGICAL.keys())
def test_pathological_bodies_end_cleanly(
    write_source: Callable[..., Path], body: str, word: str | None, error: str | None
) -> None:
    """Each ends quickly, either refused with a located error or rendered with no word lost."""
    path = write_source(body)
    if error is not None:
        with pytest.raises(DocgenError, match=error):
            api.load(path)
        return
    assert word is not None
    doc = api.load(path)
    html = str(HtmlWriter().blocks(doc.body) + HtmlWriter().footnotes(doc.footnotes))
    pattern = rf"(?<![\w]){word}(?![\w])"
    assert len(re.findall(pattern, html)) >= len(re.findall(pattern, body))


_text = st.text(st.characters(blacklist_categories=("Cs",)), max_size=40)
_scalar = st.one_of(_text, st.integers().map(str), st.sampled_from(["no", "~", "2025-02-30", ""]))
_value = st.recursive(
    _scalar,
    lambda children: st.one_of(
        st.lists(children, max_size=3), st.dictionaries(_text, children, max_size=3)
    ),
    max_leaves=8,
)
_fields = st.sampled_from(
    ["title", "author", "date", "lang", "summary", "key_points", "timeline", "keywords", "x"]
)


@settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(front=st.dictionaries(_fields, _value, max_size=8), body=st.text(max_size=300))
def test_random_sources_succeed_or_fail_cleanly(
    tmp_path: Path, front: dict[str, object], body: str
) -> None:
    """Anything a contributor types ends in a document or a DocgenError, nothing else."""
    import json

    lines = [f"{key}: {json.dumps(value, ensure_ascii=False)}" for key, value in front.items()]
    path = tmp_path / "random.md"
    path.write_text("---\n" + "\n".join(lines) + "\n---\n" + body, encoding="utf-8")
    try:
        doc, _warnings = load(path)
    except DocgenError as exc:
        assert exc.problems and all(p.location.path == path for p in exc.problems)
        return
    HtmlWriter().blocks(api.load(path).body)
    assert doc.meta.title is not None


@settings(
    max_examples=100, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(body=st.text(alphabet=st.sampled_from(list("*_`[]()!<>#-+>|\\\n &:;\"'1a")), max_size=400))
def test_random_markdown_renders(tmp_path: Path, body: str) -> None:
    path = tmp_path / "md.md"
    path.write_text(MINIMAL_FRONT + body, encoding="utf-8")
    try:
        doc = api.load(path)
    except DocgenError:
        return
    HtmlWriter().blocks(doc.body)


def test_raw_html_and_template_syntax_stay_text(
    write_source: Callable[..., Path], tmp_path: Path
) -> None:
    path = write_source('<iframe src="file:///etc/passwd"></iframe>\n\nTexte {{ 7*7 }} {% raw %}\n')
    html = brief_html(api.load(path), RenderOptions(load_project(tmp_path)))
    assert "<iframe" not in html and "&lt;iframe" in html
    assert "{{ 7*7 }}" in html and "49" not in html


def test_outputs_get_ordinary_permissions(tmp_path: Path) -> None:
    target = tmp_path / "a.pdf"
    write_atomic(target, lambda temp: temp.write_bytes(b"x"))
    import os

    umask = os.umask(0)
    os.umask(umask)
    assert target.stat().st_mode & 0o777 == 0o666 & ~umask
    target.chmod(0o640)
    write_atomic(target, lambda temp: temp.write_bytes(b"y"))
    assert target.stat().st_mode & 0o777 == 0o640


def test_unwritable_output_folder_is_bad_input(project: Path) -> None:
    write(project, "Texte.\n")
    (project / "blocker").write_text("a file, not a folder")
    code, out = run("build", "-f", "pdf", "-o", "blocker/out")
    assert code == 2 and "cannot write here" in out and "internal error" not in out


def test_inline_data_images_get_the_same_limits(project: Path) -> None:
    import base64

    bomb = base64.b64encode(_png_header(50_000, 50_000)).decode()
    write(project, f"![bombe](data:image/png;base64,{bomb})\n")
    code, out = run("check")
    assert code == 2 and "is far over the limit of 40 megapixels" in out


def test_an_article_built_from_its_own_folder_sees_its_images(
    project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from .test_project import PNG

    (project / "source" / "carte.png").write_bytes(PNG)
    write(project, "![Carte](carte.png)\n")
    monkeypatch.chdir(project / "source")
    code, out = run("check", "a.md")
    assert code == 0, out
