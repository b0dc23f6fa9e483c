"""Golden files: the brief's body HTML and error messages, compared exactly.

Each ``tests/fixtures/html/NAME.md`` renders to ``NAME.html``; each
``tests/fixtures/errors/NAME.md`` fails with the messages in ``NAME.err``. After an intended
change, regenerate with ``DOCGEN_UPDATE_GOLDEN=1 pytest tests/test_golden.py`` and review the
diff like code.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from docgen import api, yaml_compose
from docgen.errors import DocgenError
from docgen.formats.html.writer import HtmlWriter

FIXTURES = Path(__file__).parent / "fixtures"
UPDATE = os.environ.get("DOCGEN_UPDATE_GOLDEN") == "1"


def check_golden(expected_path: Path, actual: str) -> None:
    if UPDATE:
        expected_path.write_text(actual, encoding="utf-8")
    assert expected_path.is_file(), f"missing golden file {expected_path.name}"
    assert actual == expected_path.read_text(encoding="utf-8")


@pytest.mark.parametrize("source", sorted((FIXTURES / "html").glob("*.md")), ids=lambda p: p.stem)
def test_body_html(source: Path) -> None:
    doc, warnings = api.load_with_warnings(source)
    writer = HtmlWriter()
    html = (
        str(writer.blocks(doc.body))
        + "\n<!-- footnotes -->\n"
        + str(writer.footnotes(doc.footnotes))
    )
    notes = "".join(f"<!-- {w.severity}: {w.message} -->\n" for w in warnings)
    check_golden(source.with_suffix(".html"), notes + html + "\n")


@pytest.mark.parametrize("composer", ["libyaml", "ruamel"])
@pytest.mark.parametrize("source", sorted((FIXTURES / "errors").glob("*.md")), ids=lambda p: p.stem)
def test_error_messages(source: Path, composer: str, monkeypatch: pytest.MonkeyPatch) -> None:
    """The same messages whichever composes the front matter (see ``docgen.yaml_compose``)."""
    if composer == "ruamel":
        monkeypatch.setattr(yaml_compose, "_CLoader", None)
    monkeypatch.chdir(FIXTURES / "errors")
    with pytest.raises(DocgenError) as caught:
        api.load(Path(source.name))
    check_golden(source.with_suffix(".err"), "".join(f"{p}\n" for p in caught.value.problems))
