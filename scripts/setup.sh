#!/usr/bin/env bash
# Set up everything docgen needs, installing only what is missing:
#   scripts/setup.sh          system libraries for rendering + .venv with docgen
#   scripts/setup.sh --test   the same, plus the test tools (LibreOffice, poppler, qpdf, pytest…)
# As root it installs Debian packages with apt-get; otherwise it prints the apt-get command
# to run and stops.
set -euo pipefail
cd "$(dirname "$0")/.."

PYTHON=${PYTHON:-python3}
VENV=.venv
# Pango (text layout) for WeasyPrint; HarfBuzz subset makes its font subsetting ~3x faster.
BUILD_DEBS=(libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fontconfig)
# Real clients the tests read outputs with; chromium (driven by Playwright, never a
# downloaded browser) and Java for the Nu HTML Checker check the web edition.
TEST_DEBS=(poppler-utils qpdf libreoffice-writer-nogui libnss3-tools openssl
  chromium default-jre-headless)

extras=""
debs=("${BUILD_DEBS[@]}")
if [ "${1:-}" = "--test" ]; then
  extras="[test]"
  debs+=("${TEST_DEBS[@]}")
fi

missing_debs() {
  local pkg
  for pkg in "$@"; do
    dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || echo "$pkg"
  done
}

apt_install() {
  if [ "$(id -u)" -ne 0 ]; then
    echo "docgen needs these system packages: $*" >&2
    echo "run:  sudo apt-get update && sudo apt-get install -y --no-install-recommends $*" >&2
    echo "then run make again." >&2
    exit 1
  fi
  echo "installing system packages: $*"
  DEBIAN_FRONTEND=noninteractive apt-get update -q
  DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "$@"
}

if command -v dpkg-query >/dev/null 2>&1; then
  mapfile -t need < <(missing_debs "${debs[@]}")
  if [ "${#need[@]}" -gt 0 ]; then
    apt_install "${need[@]}"
  fi
else
  echo "note: not a Debian system; make sure Pango >= 1.44 is installed" >&2
fi

if [ ! -x "$VENV/bin/python" ]; then
  if ! "$PYTHON" -m venv "$VENV" 2>/dev/null; then
    rm -rf "$VENV"
    # Debian's own Python ships venv support separately.
    version=$("$PYTHON" -c 'import sys; print(f"{sys.version_info[0]}.{sys.version_info[1]}")')
    apt_install "python${version}-venv"
    "$PYTHON" -m venv "$VENV"
  fi
fi

# Install the exact versions the suite passed with (constraints.txt), so a fresh clone gets
# what was tested rather than whatever is newest today. Reinstall only when the dependency
# list (pyproject.toml), the pins (constraints.txt) or the extras changed.
stamp="$VENV/.docgen-installed${extras:+-test}"
want="$(cat pyproject.toml constraints.txt | sha256sum | cut -d' ' -f1)"
if [ ! -f "$stamp" ] || [ "$(cat "$stamp")" != "$want" ]; then
  "$VENV/bin/python" -m pip install -q --upgrade pip
  "$VENV/bin/python" -m pip install -q -c constraints.txt -e ".${extras}"
  echo "$want" > "$stamp"
fi
