#!/usr/bin/env bash
# The checks CI runs: lint, strict typing, then the test suite.
set -euo pipefail
cd "$(dirname "$0")/.."
.venv/bin/ruff check src tests benchmarks examples
.venv/bin/mypy
.venv/bin/python -m pytest "$@"
