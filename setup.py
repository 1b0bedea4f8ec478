"""Build: compile the XML and text readers with mypyc for speed (FORM4_PURE_PYTHON=1 leaves them pure).

An editable install (``pip install -e .``: setuptools' ``editable_wheel`` command, or the legacy
``develop``) is always pure Python: compiled modules would be built beside the sources, and Python
would go on importing them after every edit to a ``.py`` (form4._build warns if it finds one).
"""

import os
import sys

from setuptools import setup

TEXT = ["lines", "tokens", "units", "evidence", "captions", "address", "header", "tables", "titles", "memo", "notes",
        "spelling", "checks", "orphans", "stream", "glyphs"]
COMPILED = ["src/form4/readers/xml.py", "src/form4/readers/values.py",
            *(f"src/form4/readers/text/{name}.py" for name in TEXT)]

EDITABLE = any(arg in ("editable_wheel", "develop") for arg in sys.argv[1:])

ext_modules = []
if not os.environ.get("FORM4_PURE_PYTHON") and not EDITABLE:
    from mypyc.build import mypycify

    # compile, do not lint: mypy --strict checks the whole package in scripts/test.sh, while the
    # build environment lacks the drivers and imaging libraries the other modules import
    ext_modules = mypycify(["--follow-imports=silent", *COMPILED], opt_level="3")

setup(ext_modules=ext_modules)
