"""Build: compile the XML and text readers with mypyc for speed (FORM4_PURE_PYTHON=1 leaves them pure)."""

import os

from setuptools import setup

TEXT = ["lines", "tokens", "units", "evidence", "captions", "address", "header", "tables", "titles", "memo", "notes",
        "spelling", "checks", "orphans", "stream", "glyphs"]
COMPILED = ["src/form4/readers/xml.py", "src/form4/readers/values.py",
            *(f"src/form4/readers/text/{name}.py" for name in TEXT)]

ext_modules = []
if not os.environ.get("FORM4_PURE_PYTHON"):
    from mypyc.build import mypycify

    # compile, do not lint: mypy --strict checks the whole package in scripts/test.sh, while the
    # build environment lacks the drivers and imaging libraries the other modules import
    ext_modules = mypycify(["--follow-imports=silent", *COMPILED], opt_level="3")

setup(ext_modules=ext_modules)
