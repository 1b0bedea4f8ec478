#!/usr/bin/env bash
# Set up form4 on a fresh machine: a virtual environment with form4 (compiled), every extra and the
# test tools, at the exact versions of requirements.lock (CI runs this, so CI installs from the lock too).
set -euo pipefail
cd "$(dirname "$0")/.."
PYTHON=${PYTHON:-python3}
# Debian's packages: Tesseract reads scanned PDFs; Chromium is the browser the dashboard's tests drive
# and prints rendered forms to PDF; poppler's pdftotext and pdftoppm make the lossy test data.
missing=()
command -v tesseract >/dev/null 2>&1 || missing+=(tesseract-ocr tesseract-ocr-eng)
command -v pdftotext >/dev/null 2>&1 || missing+=(poppler-utils)
[ -x /usr/bin/chromium ] || missing+=(chromium fonts-dejavu-core)
if [ ${#missing[@]} -gt 0 ]; then
    if command -v apt-get >/dev/null 2>&1; then
        SUDO=$([ "$(id -u)" = 0 ] || echo sudo)
        $SUDO apt-get update -qq && $SUDO apt-get install -y -qq "${missing[@]}" >/dev/null
    else
        echo "setup: install ${missing[*]} (Tesseract reads scanned PDFs; the dashboard's tests and form4 render use Chromium; the lossy test data uses poppler)" >&2
    fi
fi
[ -x .venv/bin/python ] || "$PYTHON" -m venv .venv
.venv/bin/python -m pip install --quiet --upgrade pip
.venv/bin/python -m pip install --quiet -c requirements.lock ".[all,test]"
# PostgreSQL for the store's tests (Debian's postgresql, started, with a form4 role)
bash scripts/postgres.sh
