"""Which quarters of the SEC's Insider Transactions Data Sets exist: read from the SEC's own
page that lists them (``paths.DATASETS_PAGE``), never assumed (the first is 2006q1, and the
newest appears some weeks after its quarter ends).

The page is HTML written for people; what is read of it is only its links to
``YYYYqN_form345.zip`` (relative or absolute, any case, in any element), so that a change of
its layout, its texts or its order changes nothing here.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import urljoin, urlsplit

import lxml.html
from lxml import etree

from form4.edgar import paths
from form4.edgar.client import SEC_HOSTS, EdgarClient
from form4.errors import EdgarError

__all__ = ["DatasetQuarter", "listed_quarters", "parse_listing"]

_ZIP = re.compile(r"(\d{4})q([1-4])_form345\.zip", re.IGNORECASE)


@dataclass(frozen=True, order=True)
class DatasetQuarter:
    """One quarter's data set: its year and quarter, and its zip's address on www.sec.gov."""

    year: int
    quarter: int
    url: str

    @property
    def name(self) -> str:
        """``2024q1``, as the SEC names the zip."""
        return f"{self.year}q{self.quarter}"


def parse_listing(page: bytes, base: str = SEC_HOSTS["www"] + paths.DATASETS_PAGE) -> list[DatasetQuarter]:
    """The quarters the listing page links to, oldest first, each once; links resolved against
    ``base`` (the page's own address)."""
    try:
        root = lxml.html.fromstring(page)
    except (etree.ParserError, ValueError):  # an empty page, or no HTML at all
        return []
    found: dict[tuple[int, int], DatasetQuarter] = {}
    for _, _, link, _ in root.iterlinks():  # type: ignore[attr-defined]  # lxml.html's elements have it
        url = urljoin(base, link.strip())
        name = urlsplit(url).path.rsplit("/", 1)[-1]
        match = _ZIP.fullmatch(name)
        if match is not None:
            year, quarter = int(match.group(1)), int(match.group(2))
            found.setdefault((year, quarter), DatasetQuarter(year, quarter, url))
    return sorted(found.values())


def listed_quarters(client: EdgarClient) -> list[DatasetQuarter]:
    """The quarters the SEC's listing page offers now."""
    page = client.get_bytes(paths.DATASETS_PAGE)
    quarters = parse_listing(page)
    if not quarters:
        raise EdgarError(f"{client.url(paths.DATASETS_PAGE)}: the page links to no YYYYqN_form345.zip")
    return quarters
