"""The fake EDGAR of the tests: ``form4.mirror``'s server on 127.0.0.1, and the one filing the client tests use.

``serve(mirror)`` yields a ``FakeEdgar`` (``form4.mirror.MirrorServer``): ``inject`` queues faults ("429",
"503", "slow", "drop"), ``reset`` forgets them and the requests seen, ``requests`` and ``max_per_window``
tell what the server saw. No network.
"""

from __future__ import annotations

from pathlib import Path

from form4.edgar import paths
from form4.mirror import Mirror, MirrorServer, Seen, build_mirror, is_index, serve, submission_filing
from tests.conftest import CORPUS

# The one filing the client tests fetch: a real submission, mirrored under its issuer.
FILING = "0001031563-05-000019.txt"
COMPANY = b"ATLAS MINING"
_ISSUER, _ACCESSION, _FILED = 974421, FILING.removesuffix(".txt"), (2005, 4)
INDEX_PATH = paths.full_index(*_FILED)
SUBMISSIONS_PATH = paths.submissions(_ISSUER)
FILING_PATH = paths.submission(_ISSUER, _ACCESSION)

FakeEdgar = MirrorServer


def small_mirror(root: Path) -> Mirror:
    """A mirror of the one filing the client tests use."""
    return build_mirror(root, [submission_filing(CORPUS / "txt" / FILING)])


__all__ = ["COMPANY", "FILING", "FILING_PATH", "INDEX_PATH", "SUBMISSIONS_PATH", "FakeEdgar", "Seen", "is_index",
           "serve", "small_mirror"]
