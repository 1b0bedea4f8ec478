"""An insider's roles at an issuer: the form's four boxes and, from the officer title, CEO and CFO.

Officer titles are free text ("President & CEO", "EVP, Chief Financial Officer", "Principal
Financial Officer", "Co-CEO"), so the executive roles are recognised by their words, not by a
list of titles.
"""

from __future__ import annotations

import functools
import re

ROLES = ("director", "officer", "ten_percent_owner", "other", "ceo", "cfo")

_CEO = re.compile(r"\bchief\s+executive\b|\b(?:co-?)?c\.?\s?e\.?\s?o\b|\bprincipal\s+executive\b", re.IGNORECASE)
_CFO = re.compile(r"\bchief\s+financial\b|\bc\.?\s?f\.?\s?o\b|\bprincipal\s+financial\b", re.IGNORECASE)


@functools.lru_cache(maxsize=16384)
def title_roles(title: str | None) -> frozenset[str]:
    """The executive roles an officer title names: {"ceo"}, {"cfo"}, both or none."""
    if not title:
        return frozenset()
    return frozenset(role for role, words in (("ceo", _CEO), ("cfo", _CFO)) if words.search(title))


def roles(*, director: bool, officer: bool, ten_percent_owner: bool, other: bool,
          title: str | None) -> list[str]:
    """Every role of ``ROLES`` an owner holds, in that order."""
    held = {"director": director, "officer": officer, "ten_percent_owner": ten_percent_owner, "other": other}
    executive = title_roles(title) if officer or title else frozenset()
    return [role for role in ROLES if held.get(role) or role in executive]


def unknown_roles(wanted: set[str]) -> list[str]:
    return sorted(wanted - set(ROLES))


__all__ = ["ROLES", "roles", "title_roles", "unknown_roles"]
