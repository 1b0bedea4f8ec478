"""Optional parts of form4 and the extra that installs each."""

from __future__ import annotations

import importlib
from types import ModuleType

from form4.errors import Form4Error


class MissingExtraError(Form4Error):
    pass


def require(module: str, extra: str, what: str) -> ModuleType:
    try:
        return importlib.import_module(module)
    except ImportError:
        raise MissingExtraError(f"{what} needs the {extra} extra: pip install 'form4[{extra}]'") from None
