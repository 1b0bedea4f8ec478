"""The ``form4`` command: thin shells over the library.

Every command prints what failed as one line naming the file or the store and the field,
and exits 1 when anything failed (2 for a command line it cannot use). ``app`` holds the
application and the decorator commands are registered with; each other module of this
package registers one group of commands on it when imported.
"""

import importlib
import sys
from pathlib import Path

from form4.cli.app import app

_GROUPS = ("parse", "write", "render", "draft", "store", "edgar", "validate", "analytics", "web", "mirror")  # as --help
# The module that registers each command word. Run as the program with a command line whose command
# is known, only its module is imported: a report need not import the readers, writers and
# progress bars of the others (a tenth of a second of a command that should answer within one).
# Help, a word not listed here and any use as a library import them all.
_MODULE_OF = {"parse": "parse", "write": "write", "render": "render", "draft": "draft", "ingest": "store",
              "query": "store", "export": "store", "import-sec-dataset": "store", "download": "edgar",
              "sync": "edgar", "watch": "edgar", "validate": "validate", "serve": "web", "report": "analytics",
              "screen": "analytics", "mirror": "mirror"}
_TAKES_VALUE = ("--db", "--format", "-f")  # the options before a command that take a value


def _command_word(argv: list[str]) -> str | None:
    """The command a command line names, after the options that may come before it."""
    words = iter(argv)
    for word in words:
        if word in _TAKES_VALUE:
            next(words, None)
        elif not word.startswith("-"):
            return word
    return None


def _groups() -> tuple[str, ...]:
    program = Path(sys.argv[0]).name == "form4" or Path(sys.argv[0]) == Path(__file__).parent.parent / "__main__.py"
    module = _MODULE_OF.get(_command_word(sys.argv[1:]) or "") if program else None
    return (module,) if module else _GROUPS


for _group in _groups():
    importlib.import_module(f"form4.cli.{_group}")

__all__ = ["app"]
