"""A filing folder's ``index.json`` (``/Archives/edgar/data/CIK/ACCNODASH/index.json``): the same
directory shape as any EDGAR listing, so ``parse_listing`` reads it.
"""

from __future__ import annotations

from form4.edgar.indexes import ListingItem, parse_listing

__all__ = ["parse_folder", "submission_name"]


def parse_folder(data: bytes) -> list[ListingItem]:
    return parse_listing(data)


def submission_name(items: list[ListingItem], accession: str) -> str | None:
    """The folder's full submission text file (``ACCESSION.txt``), if it lists one."""
    wanted = f"{accession}.txt"
    return next((item.name for item in items if item.name == wanted), None)
