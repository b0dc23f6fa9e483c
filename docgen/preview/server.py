"""``docgen preview``: the project's web editions served on this machine, reloaded live.

The standard library's ``ThreadingHTTPServer``, no framework: the preview serves a handful
of routes, all read-only —

- ``/``: an index of the articles, each with its web pages and its PDF and Word files;
- ``/a/STEM/NAME.html``: an article's web edition, as built, with a small script added
  (in preview responses only: the built files have none) that listens to
- ``/events``: server-sent events; a ``reload`` event each time a build, an error or its
  fix changes what the page should show;
- ``/files/STEM/NAME``: the PDF and Word files.

While the last build failed, every page is replaced by its ``path:line:col`` messages
(escaped), and the next good build clears them. It listens on 127.0.0.1 unless another
host is asked for, and on loopback it answers only requests addressed to a loopback name,
so that a web page elsewhere cannot read it through DNS rebinding.
"""

from __future__ import annotations

import html
import ipaddress
import re
import threading
from collections.abc import Callable
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

from markupsafe import Markup

from ..project import Project
from .state import PreviewState, Snapshot
from .watch import Rebuilds, watch

_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{0,200}")
_TYPES = {
    ".html": "text/html; charset=utf-8",
    ".pdf": "application/pdf",
    ".docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
}
_LOOPBACK_NAMES = {"localhost", "127.0.0.1", "::1", "[::1]"}

RELOAD_SCRIPT = """<script>
/* docgen preview: reload when the project is rebuilt (not part of the built page). */
(function () {
  var source = new EventSource("/events?v=%d");
  source.addEventListener("reload", function () { source.close(); location.reload(); });
})();
</script>
"""


def inject_reload(page: str, version: int) -> str:
    """``page`` with the reload script before ``</body>`` (appended if there is none)."""
    script = RELOAD_SCRIPT % version
    at = page.lower().rfind("</body>")
    return page + script if at < 0 else page[:at] + script + page[at:]


def _shell(title: str, body: Markup, version: int) -> bytes:
    """The preview's own pages (index, error), in the same plain style."""
    page = Markup(
        '<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        '<meta name="color-scheme" content="light dark">\n<title>%s</title>\n<style>\n'
        "body { font: 16px/1.5 system-ui, sans-serif; margin: 0; }\n"
        "header { background: #14284b; color: #fff; padding: 0.8rem 1.25rem; }\n"
        "header p { margin: 0; font-weight: bold; }\n"
        "main { max-width: 60rem; margin: 0 auto; padding: 1rem 1.25rem 3rem; }\n"
        "a { color: inherit; } li { margin: 0.3rem 0; }\n"
        ".article { border-bottom: 1px solid #c9ced8; padding: 0.5rem 0 1rem; }\n"
        ".error { border-left: 6px solid #8b1a1a; padding: 0.75rem 1rem;"
        " background: #fbeaea; color: #5c0d0d; white-space: pre-wrap; overflow-x: auto;"
        " font: 15px/1.5 ui-monospace, monospace; }\n"
        ".note { color: #5a6270; }\n"
        "@media (prefers-color-scheme: dark) { body { background: #15181d; color: #e9e9ec; }"
        " .error { background: #2a1416; color: #ffd9d9; } .note { color: #aab1bd; } }\n"
        "</style>\n</head>\n<body>\n<header><p>docgen preview</p></header>\n"
        "<main>\n%s\n</main>\n</body>\n</html>\n"
    ) % (title, body)
    return inject_reload(str(page), version).encode("utf-8")


def error_page(snapshot: Snapshot) -> bytes:
    body = (
        Markup(
            '<h1>The build failed</h1>\n<pre class="error" id="docgen-error">%s</pre>\n'
            '<p class="note">Fix the source: this page reloads by itself.</p>'
        )
        % snapshot.error
    )
    return _shell("Build error · docgen preview", body, snapshot.version)


def index_page(snapshot: Snapshot, web_dir: Path, files_dir: Path) -> bytes:
    """Every article: its title, its web pages, its PDF and Word files."""
    articles: dict[str, list[Path]] = {}
    for page in sorted(snapshot.pages):
        articles.setdefault(page.parent.name, []).append(page)
    files: dict[str, list[Path]] = {}
    for file in sorted(snapshot.files):
        files.setdefault(file.parent.name, []).append(file)
    parts = [Markup("<h1>Articles</h1>")]
    for stem, pages in articles.items():
        title = _title_of(pages[0]) or stem
        links = Markup("").join(
            Markup('<li><a href="/a/%s/%s">%s</a></li>') % (stem, p.name, p.name) for p in pages
        )
        built = files.get(stem, [])
        file_links = Markup("").join(
            Markup('<li><a href="/files/%s/%s">%s</a></li>') % (stem, f.name, f.name) for f in built
        )
        if not built:
            waiting = "building…" if snapshot.files_building else "not built"
            file_links = Markup('<li class="note">PDF and Word: %s</li>') % waiting
        parts.append(
            Markup('<section class="article"><h2>%s</h2><ul>%s%s</ul></section>')
            % (title, links, file_links)
        )
    if not articles:
        parts.append(Markup('<p class="note">No article built yet.</p>'))
    if snapshot.files_errors:
        parts.append(
            Markup('<h2>PDF and Word</h2><pre class="error">%s</pre>')
            % "\n".join(snapshot.files_errors)
        )
    if snapshot.warnings:
        parts.append(
            Markup('<h2>Warnings</h2><pre class="note">%s</pre>') % "\n".join(snapshot.warnings)
        )
    return _shell("docgen preview", Markup("\n").join(parts), snapshot.version)


def _title_of(page: Path) -> str:
    """The ``<title>`` of a built page (its text, unescaped; escaped again when shown)."""
    try:
        head = page.read_text(encoding="utf-8", errors="replace")[:4096]
    except OSError:
        return ""
    found = re.search(r"<title>(.*?)</title>", head, re.S)
    return html.unescape(found.group(1)).strip() if found else ""


class PreviewHandler(BaseHTTPRequestHandler):
    """The routes; see the module docstring."""

    server: PreviewServer
    protocol_version = "HTTP/1.1"

    def do_GET(self) -> None:
        if not self._host_allowed():
            self._send(HTTPStatus.FORBIDDEN, b"forbidden host\n", "text/plain; charset=utf-8")
            return
        url = urlsplit(self.path)
        parts = [p for p in url.path.split("/") if p]
        state = self.server.state.snapshot()
        if not parts:
            body = (
                error_page(state)
                if state.error
                else index_page(state, self.server.rebuilds.web_dir, self.server.rebuilds.files_dir)
            )
            self._send(HTTPStatus.OK, body, _TYPES[".html"])
        elif parts == ["events"]:
            self._events(parse_qs(url.query).get("v", ["0"])[0])
        elif len(parts) == 3 and parts[0] in ("a", "files"):
            self._file(parts[0], parts[1], parts[2], state)
        else:
            self._send(HTTPStatus.NOT_FOUND, b"not found\n", "text/plain; charset=utf-8")

    def _file(self, kind: str, stem: str, name: str, state: Snapshot) -> None:
        folder = self.server.rebuilds.web_dir if kind == "a" else self.server.rebuilds.files_dir
        suffix = Path(name).suffix
        allowed = (".html",) if kind == "a" else (".pdf", ".docx")
        if not (_NAME.fullmatch(stem) and _NAME.fullmatch(name)) or suffix not in allowed:
            self._send(HTTPStatus.NOT_FOUND, b"not found\n", "text/plain; charset=utf-8")
            return
        if kind == "a" and state.error:
            self._send(HTTPStatus.OK, error_page(state), _TYPES[".html"])
            return
        path = (folder / stem / name).resolve()
        if not path.is_relative_to(folder.resolve()) or not path.is_file():
            self._send(HTTPStatus.NOT_FOUND, b"not built\n", "text/plain; charset=utf-8")
            return
        data = path.read_bytes()
        if kind == "a":
            data = inject_reload(data.decode("utf-8"), state.version).encode("utf-8")
        self._send(HTTPStatus.OK, data, _TYPES[suffix])

    def _events(self, since: str) -> None:
        """Server-sent events: ``reload`` once the state moves past the page's version."""
        try:
            version = int(since)
        except ValueError:
            version = 0
        self.send_response(HTTPStatus.OK)
        self.send_header("Content-Type", "text/event-stream")
        self.send_header("Cache-Control", "no-store")
        self.send_header("Connection", "close")
        self.end_headers()
        self.close_connection = True
        state = self.server.state
        try:
            self.wfile.write(b"retry: 500\n\n")
            self.wfile.flush()
            while not state.closed:
                now = state.wait_beyond(version, timeout=15)
                if state.closed:
                    return
                if now > version:
                    self.wfile.write(f"event: reload\ndata: {now}\n\n".encode())
                    self.wfile.flush()
                    return
                self.wfile.write(b": keep-alive\n\n")
                self.wfile.flush()
        except (BrokenPipeError, ConnectionResetError):
            return

    def _send(self, status: HTTPStatus, body: bytes, content_type: str) -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Cache-Control", "no-store")
        self.send_header("X-Content-Type-Options", "nosniff")
        self.end_headers()
        self.wfile.write(body)

    def _host_allowed(self) -> bool:
        if not self.server.loopback:
            return True
        host = self.headers.get("Host", "")
        name = host.rsplit(":", 1)[0] if not host.endswith("]") else host
        return name.lower() in _LOOPBACK_NAMES

    def log_message(self, format: str, *args: object) -> None:
        """Quiet: the preview prints builds, not requests."""


class PreviewServer(ThreadingHTTPServer):
    """The HTTP server with the preview's state and builds."""

    daemon_threads = True
    allow_reuse_address = True

    def __init__(self, address: tuple[str, int], state: PreviewState, rebuilds: Rebuilds) -> None:
        super().__init__(address, PreviewHandler)
        self.state = state
        self.rebuilds = rebuilds
        self.loopback = _is_loopback(address[0])


def _is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def serve(
    project: Project,
    sources: list[Path],
    *,
    host: str = "127.0.0.1",
    port: int = 8000,
    ready: Callable[[str], None] | None = None,
    say: Callable[[str], None] = print,
) -> None:
    """Build, serve and watch until Ctrl-C (``KeyboardInterrupt``), then stop cleanly:
    the watcher, the builders and the server, in that order."""
    state = PreviewState()
    rebuilds = Rebuilds(project, sources, state, say)
    server = PreviewServer((host, port), state, rebuilds)
    rebuilds.build_web()
    stop = threading.Event()
    watcher = threading.Thread(
        target=watch, args=(rebuilds, stop), name="docgen-watch", daemon=True
    )
    rebuilds.web.start()
    rebuilds.files.start()
    rebuilds.files.request()
    watcher.start()
    bound_host, bound_port = str(server.server_address[0]), int(server.server_address[1])
    shown = f"[{bound_host}]" if ":" in bound_host else bound_host
    url = f"http://{shown}:{bound_port}/"
    if ready is not None:
        ready(url)
    try:
        server.serve_forever(poll_interval=0.2)
    finally:
        stop.set()
        state.close()
        rebuilds.web.stop()
        rebuilds.files.stop()
        server.server_close()
        watcher.join(2)
        rebuilds.web.join(2)
