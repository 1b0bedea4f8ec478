"""A local EDGAR: filings laid out under a directory at EDGAR's paths and in EDGAR's shapes, served over
HTTP with the SEC's headers, errors and faults (``form4 mirror serve``). A tool beside the library, as the
API is: it uses ``form4.edgar.paths`` so that the client and the mirror agree; the readers never use it.

``layout`` writes a mirror (``Mirror``, ``build_mirror``), ``shapes`` renders EDGAR's files, ``sources``
turns a user's files into filings, ``server`` serves a mirror.
"""

from __future__ import annotations

from form4.mirror.filing import SECTION_16, MirrorFiling, documents_of, nc_form, txt_form
from form4.mirror.layout import (
    FEED_COUNT,
    FEED_DEPTH,
    INDEX_KINDS,
    Mirror,
    build_mirror,
    empty_quarter,
)
from form4.mirror.server import FAULTS, MirrorServer, Seen, access_denied, is_index, make_server, no_such_key, serve
from form4.mirror.sources import (
    Accessions,
    Loaded,
    filing_from,
    filing_from_submission,
    load_filings,
    next_business_day,
    other_filing,
    other_forms,
    submission_filing,
    xml_filing,
)

__all__ = [
    "FAULTS", "FEED_COUNT", "FEED_DEPTH", "INDEX_KINDS", "SECTION_16", "Accessions", "Loaded", "Mirror",
    "MirrorFiling", "MirrorServer", "Seen", "access_denied", "build_mirror", "documents_of",
    "empty_quarter", "filing_from", "filing_from_submission", "is_index", "load_filings", "make_server", "nc_form",
    "next_business_day", "no_such_key", "other_filing", "other_forms", "serve", "submission_filing", "txt_form",
    "xml_filing",
]
