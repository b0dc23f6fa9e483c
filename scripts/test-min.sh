#!/usr/bin/env bash
# Check that the lower bounds in pyproject.toml really work: install every declared
# dependency (and test extra) at exactly its lower bound in a throwaway venv, then run the
# suite against this checkout's code. Not part of `make test`, which runs the pinned
# versions of constraints.txt.
#   scripts/test-min.sh                 ruff, mypy and the whole suite
#   scripts/test-min.sh tests/x.py ...  ruff, mypy, then pytest with these arguments
# The venv is $MINVENV (default: $TMPDIR/docgen-minvenv), recreated on every run.
set -euo pipefail
cd "$(dirname "$0")/.."

PYTHON=${PYTHON:-python3}
MINVENV=${MINVENV:-${TMPDIR:-/tmp}/docgen-minvenv}

# "name>=X" -> "name==X", for [project] dependencies and the test extra; a bound other than
# >= (or none) is an error, so every dependency has a lower bound to test.
mapfile -t pins < <("$PYTHON" - <<'PY'
import re
import sys
import tomllib

with open("pyproject.toml", "rb") as f:
    project = tomllib.load(f)["project"]
for spec in project["dependencies"] + project["optional-dependencies"]["test"]:
    match = re.fullmatch(r"([A-Za-z0-9_.\-\[\]]+)\s*>=\s*([^,;\s]+)", spec)
    if match is None:
        sys.exit(f"pyproject.toml: {spec!r} has no plain >= lower bound to test")
    print(f"{match[1]}=={match[2]}")
PY
)

if [ -e "$MINVENV" ] && [ ! -f "$MINVENV/pyvenv.cfg" ]; then
  echo "$MINVENV exists and is not a venv; set MINVENV to another path" >&2
  exit 1
fi
rm -rf "$MINVENV"
"$PYTHON" -m venv "$MINVENV"
"$MINVENV/bin/python" -m pip install -q --upgrade pip
echo "installing the lower bounds: ${pins[*]}"
"$MINVENV/bin/python" -m pip install -q "${pins[@]}"

# ruff and mypy are declared test extras too: their bounds must pass the project's lint.
"$MINVENV/bin/ruff" check --no-cache docgen tests bench
"$MINVENV/bin/ruff" format --no-cache --check docgen tests bench
"$MINVENV/bin/mypy" --cache-dir "$MINVENV/.mypy_cache"

if [ "$#" -eq 0 ]; then
  set -- tests -q -p no:cacheprovider
fi
PYTHONPATH="$PWD" "$MINVENV/bin/python" -m pytest "$@"
