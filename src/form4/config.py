"""Settings from the environment or from a config file, the environment first.

``FORM4_USER_AGENT`` (say) or, in ``~/.config/form4/config.toml`` (``FORM4_CONFIG`` moves it),
``user_agent = "Jane Analyst jane@example.com"``: each setting is the environment variable
``FORM4_<NAME>`` or the file's key ``<name>`` in lower case.
"""

from __future__ import annotations

import functools
import os
import tomllib
from pathlib import Path

from form4.errors import Form4Error

__all__ = ["config_path", "setting"]


def config_path() -> Path:
    given = os.environ.get("FORM4_CONFIG")
    if given:
        return Path(given)
    base = os.environ.get("XDG_CONFIG_HOME") or Path.home() / ".config"
    return Path(base) / "form4" / "config.toml"


def setting(name: str) -> str | None:
    """``FORM4_<NAME>`` from the environment, else ``<name>`` from the config file, else None."""
    value = os.environ.get(f"FORM4_{name.upper()}")
    if value:
        return value
    found = _file(config_path()).get(name.lower())
    return None if found is None else str(found)


@functools.cache
def _load(path: Path, stamp: float) -> dict[str, object]:
    try:
        return tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise Form4Error(f"{path}: not a form4 config file: {exc}") from None


def _file(path: Path) -> dict[str, object]:
    try:
        stamp = path.stat().st_mtime
    except OSError:
        return {}  # no file: the environment alone
    return _load(path, stamp)
