"""Regions of a scanned page that a whole-page Tesseract reading garbles, read again on
their own: the reporting persons' names and officer titles (set larger than the rest), the
street, the relationship boxes, and each table's columns.

A region in large type replaces the page's reading where Tesseract is sure of it; small
print is merged a line at a time, only where the page read nothing or read it less surely,
so a second reading does not lose what the first read well.  The nature-of-ownership column,
a few words a cell, is read as sparse text (Tesseract's page segmentation mode 11).
"""

from __future__ import annotations

import itertools
import re
import statistics

REREAD_CONFIDENCE = 60  # a region read again on its own keeps only the words Tesseract is sure of
MIN_WORD_CONFIDENCE = 30  # Tesseract reads specks of a scan as short low-confidence words
# but not as dollars and cents: a price with a mark after it ("$181.93⁵") reads unsurely
PRICE = re.compile(r"^\$\d+\.\d")


def read_again(page: object, data: dict[str, list]) -> None:  # type: ignore[type-arg]
    """Read each garbled region of ``page`` again, mending Tesseract's ``data`` in place."""
    words = _words(data)
    width, height = page.size  # type: ignore[attr-defined]
    # small print a whole-page reading drops lines of: found before the rereads change the words
    titles, values = _table_column_regions(words, width, height)
    small = titles + _relationship_regions(words, width) + _address_regions(words)
    for n, region in enumerate(_large_type_regions(words), 1):
        _reread(page, data, region, n)
    for n, region in enumerate(small, 100):
        _reread(page, data, region, n, merge=True)
    rightmost = {max(r[2] for r in values if r[1] == region[1]) for region in values}
    for n, region in enumerate(values, 200):  # only where the page's reading is in doubt
        # the nature of ownership, last: a few words a cell, read best as sparse text
        sparse = region[2] in rightmost
        _reread(page, data, region, n, merge=True, doubted=True, psm=11 if sparse else 6)


Region = tuple[int, int, int, int]  # left, top, right, bottom in pixels


Word = tuple[str, int, int, int, int]  # text, left, top, width, height in pixels


def _words(data: dict[str, list]) -> list[Word]:  # type: ignore[type-arg]
    return [(str(w), data["left"][i], data["top"][i], data["width"][i], data["height"][i])
            for i, w in enumerate(data["text"]) if str(w).strip()]


def _large_type_regions(words: list[Word]) -> list[Region]:
    """Where the page prints values larger than the rest, which a whole-page reading often
    garbles: the reporting persons' names and the officer titles."""
    return _name_regions(words) + _title_regions(words)


def _table_column_regions(words: list[Word], width: int, height: int) -> tuple[list[Region], list[Region]]:
    """Each table's columns, read one at a time under their numbered headings: a whole-page
    reading drops lines of a title cell that wraps over three or four ("Series B" /
    "Convertible" / "Preferred" / "Stock"), and runs the date and amounts of a row into the
    lines of its wrapped title.  The title columns, and the columns of values."""
    titles: list[Region] = []
    values: list[Region] = []
    ends = sorted([w[2] for w in words if w[0] in ("Table", "Explanation") and w[1] < 1200] + [height])
    for word, left, top, _, size in words:
        if word != "Table" or not 300 < left < 1200:
            continue
        end = next(e for e in ends if e > top + size) - 4
        items = sorted((w for w in words if _ITEM.match(w[0]) and top < w[2] < top + 8 * size), key=lambda w: w[1])
        second = next((w for w in items if w[0] == "2."), None)
        if second is None:
            continue
        margin = min((w[1] for w in words if top < w[2] < end and w[1] < second[1]), default=second[1])
        titles.append((margin - 20, second[2] + 2 * second[4], second[1] - 10, end))
        codes = [w for w in words if w[0] == "Code" and top < w[2] < end]  # the headings' last line
        if codes:
            last = max(codes, key=lambda w: w[2])
            rows = last[2] + last[4] + 4
            # numbered columns, split where the last line of headings splits them ("Title", "Shares")
            starts = sorted({w[1] for w in items if w[1] >= second[1]}
                            | {w[1] for w in words if abs(w[2] - last[2]) < last[4] and w[1] >= last[1]
                               and w[0] in _SUBHEADINGS})
            edges = [_clear(x - 10, words, rows, end) for k, x in enumerate(starts)
                     if k == 0 or x - starts[k - 1] > 60] + [width - 60]
            values += [(a, rows, b, end) for a, b in itertools.pairwise(edges) if b - a > 50]
    return titles, values


_SUBHEADINGS = frozenset(("Code", "Amount", "Price", "Exercisable", "Date", "Title", "Shares", "(A)", "(D)"))


def _clear(edge: int, words: list[Word], top: int, bottom: int) -> int:
    """A column's edge moved left of any value read across it (amounts stand out of their
    cells to the left)."""
    across = [w[1] for w in words if top < w[2] < bottom and w[1] < edge < w[1] + w[3]]
    return min(across, default=edge + 5) - 5


_ITEM = re.compile(r"^\d{1,2}[A-Z]?\.$")  # a column's number: "2.", "2A.", "10."


def _name_regions(words: list[Word]) -> list[Region]:
    """Where each reporting person's name is printed: under the "Name and Address of
    Reporting Person" label, above its "(Last)" caption, left of the next box's label."""
    return [name for name, _ in _owner_boxes(words)]


def _address_regions(words: list[Word]) -> list[Region]:
    """Where each reporting person's street is printed: under the "(Last)" caption, above
    the "(City)" one (a whole-page reading drops words of it, "C/O [SNOWFLAKE] INC.")."""
    return [street for _, street in _owner_boxes(words) if street is not None]


def _owner_boxes(words: list[Word]) -> list[tuple[Region, Region | None]]:
    boxes = []
    for k, (word, left, top, _, height) in enumerate(words):
        if word != "Address" or not any(w.startswith("Report") for w, *_ in words[k + 1:k + 4]):
            continue
        line = [w for w in words if abs(w[2] - top) < height]
        start = min(w[1] for w in line if w[1] <= left)
        right = min((w[1] for w in line if w[1] > left and w[0][:1].isdigit()), default=start + 1000)
        below = [w for w in words if "Last" in w[0] and w[2] > top and start - 50 < w[1] < right]
        if below:
            last = min(below, key=lambda w: w[2])
            cities = [w for w in words if "City" in w[0] and w[2] > last[2] and start - 50 < w[1] < right]
            street = (start - 20, last[2] + last[4] + 4, right - 20, min(w[2] for w in cities) - 4) if cities else None
            boxes.append(((start - 20, top + height + 12, right - 20, last[2] - 4), street))
    return boxes


def _title_regions(words: list[Word]) -> list[Region]:
    """Where an officer's title is printed, in the same large type: under "Officer (give
    title below)", down to the next box's numbered label."""
    regions = []
    for k, (word, left, top, _, height) in enumerate(words):
        if word != "Officer" or not any(w.startswith("(give") for w, *_ in words[k + 1:k + 3]):
            continue
        numbered = [w for w in words if w[0][:1].isdigit() and w[0].endswith(".") and w[2] > top + 4 * height
                    and w[1] > left - 300]
        if numbered:  # below the label's second line ("below)"), which OCR may not have read
            regions.append((left - 20, top + 3 * height, left + 700, min(w[2] for w in numbered) - 8))
    return regions


def _relationship_regions(words: list[Word], width: int) -> list[Region]:
    """Each owner's relationship boxes, from under the "Relationship of Reporting Person(s)"
    label to the "Officer (give title below)" row: a whole-page reading often drops the row
    of "X Director  10% Owner" between them."""
    regions = []
    for word, left, top, _, height in words:
        if not word.startswith("Relationship"):
            continue
        below = [w for w in words if w[0] == "Officer" and top < w[2] < top + 8 * height
                 and left - 300 < w[1] < left + 300]
        # down to the "Officer" row, or where it would be if the page's reading lost it too
        end = min(w[2] + 3 * w[4] for w in below) if below else top + 6 * height
        regions.append((left - 40, top + height + 4, width - 60, end))  # clear of the issuer's box
    return regions


def _reread(page: object, data: dict[str, list], region: Region, n: int,  # type: ignore[type-arg]
            merge: bool = False, doubted: bool = False, psm: int = 6) -> None:
    """OCR one region on its own and put its words in place of the whole page's reading (as
    blocks of their own, numbered from ``n`` * 10,000); with ``merge``, only where the page
    read nothing or read words less surely; with ``doubted``, only if the page read a word
    there unsurely."""
    import pytesseract

    left, top, right, bottom = region
    if right - left < 50 or bottom - top < 20:
        return
    inside = [i for i, w in enumerate(data["text"]) if str(w).strip()
              and left <= data["left"][i] + data["width"][i] / 2 <= right
              and top <= data["top"][i] + data["height"][i] / 2 <= bottom]
    if doubted and all(float(data["conf"][i]) >= REREAD_CONFIDENCE for i in inside):
        return
    crop = page.crop(region)  # type: ignore[attr-defined]
    found = pytesseract.image_to_data(crop, config=f"--psm {psm}", output_type=pytesseract.Output.DICT)
    floor = MIN_WORD_CONFIDENCE if merge else REREAD_CONFIDENCE
    sure = [i for i, w in enumerate(found["text"]) if str(w).strip()
            and (float(found["conf"][i]) >= floor or (merge and PRICE.match(str(w))))]
    if not sure:
        return  # nothing read clearly on its own either: keep the page's reading
    if merge:
        sure = _surer_lines(data, inside, found, sure, top)
    else:
        for i in inside:
            data["text"][i] = ""
    for i in sure:
        for key in ("conf", "page_num", "par_num", "line_num", "width", "height"):
            data[key].append(found[key][i])
        data["text"].append(found["text"][i])
        data["block_num"].append(10_000 * n + found["block_num"][i])
        data["left"].append(found["left"][i] + left)
        data["top"].append(found["top"][i] + top)


def _surer_lines(data: dict[str, list], inside: list[int], found: dict[str, list],  # type: ignore[type-arg]
                 sure: list[int], top: int) -> list[int]:
    """The words of the lines read again that go in, each line whole (so its words share a
    baseline): where the page read nothing at its height, or read it less surely on average,
    whose words there then go."""
    lines: dict[tuple[int, int, int], list[int]] = {}
    for i in sure:
        lines.setdefault((found["block_num"][i], found["par_num"][i], found["line_num"][i]), []).append(i)
    kept = []
    for ids in lines.values():
        upper = min(found["top"][i] for i in ids) + top
        lower = max(found["top"][i] + found["height"][i] for i in ids) + top
        under = [j for j in inside if data["text"][j] and upper <= data["top"][j] + data["height"][j] / 2 <= lower]
        if under and statistics.mean(float(data["conf"][j]) for j in under) > statistics.mean(
                float(found["conf"][i]) for i in ids):
            continue
        for j in under:
            data["text"][j] = ""
        kept += ids
    return kept
