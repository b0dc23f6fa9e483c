"""Theme files stay inside the project; embedded images carry their image data only;
configuration and brand errors are one located line each."""

from __future__ import annotations

import io
import re
from os.path import relpath
from pathlib import Path

import pytest
from click.testing import CliRunner
from PIL import Image

from docgen.cli import main
from docgen.errors import TemplateError
from docgen.images import ImageDataError, clean_image_bytes
from docgen.project import load_project
from docgen.scaffold import init
from docgen.theme import load_theme

SECRET = b"PK\x03\x04appended-secret-archive"


@pytest.fixture
def project_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    init(tmp_path / "pack")
    monkeypatch.chdir(tmp_path / "pack")
    return tmp_path / "pack"


@pytest.fixture
def outside(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("elsewhere")


def image_bytes(kind: str, **save: object) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (8, 6), (200, 30, 40)).save(out, format=kind, **save)
    return out.getvalue()


def pixels(data: bytes) -> list[object]:
    with Image.open(io.BytesIO(data)) as image:
        rgb = image.convert("RGB")
        return [rgb.getpixel((x, y)) for y in range(rgb.height) for x in range(rgb.width)]


def test_logo_outside_the_project_is_refused(project_dir: Path, outside: Path) -> None:
    (outside / "logo.png").write_bytes(image_bytes("PNG"))
    brand = f"meta:\n  name: X\nlogo:\n  medium: {relpath(outside / 'logo.png', project_dir)}\n"
    (project_dir / "_brand.yml").write_text(brand, encoding="utf-8")
    with pytest.raises(TemplateError) as caught:
        load_theme(load_project(project_dir))
    (problem,) = caught.value.problems
    assert (problem.location.line, problem.location.column) == (3, 1)
    assert "logo file" in problem.message and "outside the project" in problem.message


def test_logo_symlinked_out_of_the_project_is_refused(project_dir: Path, outside: Path) -> None:
    (outside / "logo.png").write_bytes(image_bytes("PNG"))
    (project_dir / "logo.png").symlink_to(outside / "logo.png")
    (project_dir / "_brand.yml").write_text("logo:\n  medium: logo.png\n", encoding="utf-8")
    result = CliRunner().invoke(main, ["check"])
    assert result.exit_code == 2, result.output
    assert "_brand.yml:1:1: error: logo file" in result.output
    assert "outside the project" in result.output


def test_font_outside_the_project_is_refused(project_dir: Path, outside: Path) -> None:
    (outside / "f.ttf").write_bytes(b"\0")
    brand = (
        "typography:\n  fonts:\n    - family: Evil\n      source: file\n"
        f"      files:\n        - path: {relpath(outside / 'f.ttf', project_dir)}\n"
    )
    (project_dir / "_brand.yml").write_text(brand, encoding="utf-8")
    with pytest.raises(TemplateError, match=r"font file .* outside the project"):
        load_theme(load_project(project_dir))


def test_logo_inside_the_project_is_kept(project_dir: Path) -> None:
    (project_dir / "assets").mkdir(exist_ok=True)
    (project_dir / "assets" / "logo.png").write_bytes(image_bytes("PNG"))
    brand = "logo:\n  medium: assets/logo.png\n"
    (project_dir / "_brand.yml").write_text(brand, encoding="utf-8")
    assert load_theme(load_project(project_dir)).logo == project_dir / "assets" / "logo.png"


def test_brand_yaml_error_is_one_located_line(project_dir: Path) -> None:
    (project_dir / "_brand.yml").write_text('color:\n  primary: "#123\n', encoding="utf-8")
    result = CliRunner().invoke(main, ["check"])
    assert result.exit_code == 2
    lines = [line for line in result.output.splitlines() if "_brand.yml" in line]
    assert lines == [
        "_brand.yml:3:1: error: invalid YAML: found unexpected end of stream"
        " (while scanning a quoted scalar at 2:12)"
    ]
    assert "^" not in result.output


@pytest.mark.parametrize("value", ["inf", "nan", "-inf", "1e9"])
def test_time_limit_must_be_a_finite_number(project_dir: Path, value: str) -> None:
    config = project_dir / "docgen.toml"
    text = re.sub(r"(?m)^#? *time_limit *=.*\n", "", config.read_text(encoding="utf-8"))
    config.write_text(text + f"time_limit = {value}\n", encoding="utf-8")
    result = CliRunner().invoke(main, ["check"])
    assert result.exit_code == 2, result.output
    assert "docgen.toml:" in result.output and "time_limit must be a number of seconds" in (
        result.output
    )


def test_png_loses_what_follows_iend_and_its_text_chunks(tmp_path: Path) -> None:
    from PIL import PngImagePlugin

    info = PngImagePlugin.PngInfo()
    info.add_text("Comment", "internal note: do not publish")
    original = image_bytes("PNG", pnginfo=info)
    path = tmp_path / "logo.png"
    path.write_bytes(original + SECRET)
    cleaned = clean_image_bytes(path)
    assert SECRET not in cleaned and b"do not publish" not in cleaned
    assert cleaned.endswith(b"IEND\xaeB`\x82")
    assert pixels(cleaned) == pixels(original)


def test_jpeg_loses_what_follows_eoi_and_its_comments(tmp_path: Path) -> None:
    original = image_bytes("JPEG", comment=b"internal note", quality=90)
    assert b"internal note" in original
    path = tmp_path / "photo.jpg"
    path.write_bytes(original + SECRET)
    cleaned = clean_image_bytes(path)
    assert SECRET not in cleaned and b"internal note" not in cleaned
    assert cleaned.endswith(b"\xff\xd9")
    assert pixels(cleaned) == pixels(original)


def test_progressive_jpeg_keeps_every_scan(tmp_path: Path) -> None:
    original = image_bytes("JPEG", progressive=True)
    path = tmp_path / "p.jpg"
    path.write_bytes(original + SECRET)
    cleaned = clean_image_bytes(path)
    assert SECRET not in cleaned and pixels(cleaned) == pixels(original)


def test_gif_is_reencoded(tmp_path: Path) -> None:
    path = tmp_path / "a.gif"
    path.write_bytes(image_bytes("GIF") + SECRET)
    cleaned = clean_image_bytes(path)
    assert cleaned.startswith(b"\x89PNG") and SECRET not in cleaned
    assert pixels(cleaned) == pixels(image_bytes("GIF"))


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        (b"<svg xmlns='http://www.w3.org/2000/svg'/>", "cannot be decoded"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\x0dIHDR", "truncated PNG"),
        (b"\xff\xd8\xff\xe0\x00\x10JFIF", "truncated JPEG"),
    ],
)
def test_what_cannot_be_cleaned_is_refused(tmp_path: Path, data: bytes, expected: str) -> None:
    path = tmp_path / "x.img"
    path.write_bytes(data)
    with pytest.raises(ImageDataError, match=expected):
        clean_image_bytes(path)
