"""A guard against a stale compiled build: a mypyc extension module beside a newer ``.py``.

Python imports ``xml.cpython-311-x86_64-linux-gnu.so`` in preference to ``xml.py`` in the same
folder, so a module compiled into the source tree (an old editable install, ``build_ext
--inplace``) would go on running the old code after every edit to its ``.py``. An editable
install no longer compiles (setup.py); this finds what an older one left behind.

It warns rather than quietly preferring the source: the source can only be preferred by an
import hook that must be in place before any form4 module loads, and would hide a broken set-up
that also leaves a stale build for every other program using that environment. A warning names
the module and the fix, and the fix (rebuild, or delete the ``.so``) is one command.
"""

from __future__ import annotations

import importlib.machinery
import os
import warnings
from pathlib import Path

# pip writes a wheel's files one after another, a .py just after its .so: younger than that is not stale
_SLACK_SECONDS = 2.0


class StaleBuildWarning(UserWarning):
    """A compiled module of form4 is older than its source: the source's changes are not running."""


def stale_modules(package: Path) -> list[tuple[str, Path, Path]]:
    """``(module, extension, source)`` for each extension module under ``package`` whose ``.py``
    beside it was changed after it was built."""
    found = []
    for folder, _, files in os.walk(package):
        names = set(files)
        for name in files:
            suffix = next((s for s in importlib.machinery.EXTENSION_SUFFIXES if name.endswith(s)), None)
            source = name[: -len(suffix)] + ".py" if suffix else None
            if source is None or source not in names:
                continue
            extension, py = Path(folder, name), Path(folder, source)
            if py.stat().st_mtime > extension.stat().st_mtime + _SLACK_SECONDS:
                module = ".".join((package.name, *py.relative_to(package).with_suffix("").parts))
                found.append((module, extension, py))
    return sorted(found)


def warn_if_stale(package: Path = Path(__file__).parent) -> None:
    for module, extension, _ in stale_modules(package):
        warnings.warn(f"{module} runs the compiled {extension}, older than its source: the source's changes "
                      f"are not running (rebuild: pip install . ; or delete {extension.name} to run the source)",
                      StaleBuildWarning, stacklevel=3)
