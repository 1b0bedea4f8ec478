"""Finding issuers and insiders by what a person types: a ticker, a company's name, an insider's."""

from __future__ import annotations

from typing import Any

from form4.store import Store

_ISSUERS = """
SELECT issuer_cik AS cik, max(issuer_name) AS name, max(trading_symbol) AS trading_symbol, count(*) AS filings
FROM current_filings
WHERE upper(trading_symbol) = $ticker OR issuer_cik = $cik OR issuer_name ILIKE $words ESCAPE '\\'
GROUP BY issuer_cik ORDER BY max(CASE WHEN upper(trading_symbol) = $ticker THEN 1 ELSE 0 END) DESC, count(*) DESC
LIMIT $limit
"""
_OWNERS = """
SELECT o.cik, max(o.name) AS name, count(*) AS filings
FROM reporting_owners o JOIN current_filings f ON f.accession_number = o.accession_number
WHERE o.name ILIKE $words ESCAPE '\\' OR o.cik = $cik
GROUP BY o.cik ORDER BY count(*) DESC LIMIT $limit
"""


def search(store: Store, text: str, *, limit: int = 20) -> dict[str, list[dict[str, Any]]]:
    """``{"issuers": [...], "owners": [...]}`` whose ticker is ``text``, whose CIK it is, or whose
    name holds all its words in order (any case): "tesla", "TSLA", "musk elon"."""
    words = text.strip()[:100]
    if not words:
        return {"issuers": [], "owners": []}
    pattern = "%" + "%".join(_escaped(w) for w in words.split()) + "%"
    cik = words.zfill(10) if words.isdigit() and len(words) <= 10 else ""
    params = {"ticker": words.upper(), "cik": cik, "words": pattern, "limit": limit}
    issuers: list[dict[str, Any]] = store.dicts(_ISSUERS, params)
    owners: list[dict[str, Any]] = store.dicts(_OWNERS, {k: params[k] for k in ("cik", "words", "limit")})
    return {"issuers": issuers, "owners": owners}


def _escaped(word: str) -> str:
    """A word as LIKE reads it literally: a typed % or _ is no wildcard."""
    return word.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
