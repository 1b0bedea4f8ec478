"""EDGAR access: an HTTP client that obeys the SEC's fair-access policy.

``EdgarClient`` needs a User-Agent with a contact e-mail (argument or ``FORM4_USER_AGENT``),
keeps to 10 requests per second across threads and processes, retries what is worth retrying,
caches index files and streams archives to disk. ``FORM4_SEC_BASE_URL`` points it at a mirror.
``paths`` builds EDGAR's paths, the ``indexes``, ``submissions`` and ``atom`` modules read its
answers (bytes in, typed values out), and ``catalog`` combines the two: a day's filings, a
company's, the latest.
"""

from __future__ import annotations

from form4.edgar import catalog, paths
from form4.edgar.client import DEFAULT_MAX_RPS, SEC_HOSTS, EdgarClient

__all__ = ["DEFAULT_MAX_RPS", "SEC_HOSTS", "EdgarClient", "catalog", "paths"]
