"""The ``form4`` command: thin shells over the library.

Every command prints what failed as one line naming the file or the store and the field,
and exits 1 when anything failed (2 for a command line it cannot use). ``app`` holds the
application and the decorator commands are registered with; each other module of this
package registers one group of commands on it when imported.
"""

import importlib

from form4.cli.app import app

_GROUPS = ("parse", "write", "render", "draft", "store", "edgar", "validate", "analytics", "web", "mirror")  # as --help
for _group in _GROUPS:
    importlib.import_module(f"form4.cli.{_group}")

__all__ = ["app"]
