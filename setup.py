"""Build: compile the XML reader with mypyc for speed (FORM4_PURE_PYTHON=1 leaves it pure)."""

import os

from setuptools import setup

COMPILED = ["src/form4/readers/xml.py", "src/form4/readers/values.py"]

ext_modules = []
if not os.environ.get("FORM4_PURE_PYTHON"):
    from mypyc.build import mypycify

    ext_modules = mypycify(COMPILED, opt_level="3")

setup(ext_modules=ext_modules)
