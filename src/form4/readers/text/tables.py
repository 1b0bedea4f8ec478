"""Table I and Table II rows, from positioned columns or from the order of values.

A row is read in two steps.  First its pieces are gathered: on a positioned page, the lines
of one row band, with text sorted into title, underlying-title and nature columns by where
the header prints them; in a stream, the words between one row's end and the next.  Then
the values are given their fields by the order the form prints them in and their kind
(date, number, single letter, footnote mark), which survives OCR far better than layout.
"""

from __future__ import annotations

import bisect
import dataclasses
import datetime as dt
import itertools
import re

from form4.model import DerivativeHolding, DerivativeTransaction, NonDerivativeHolding, NonDerivativeTransaction
from form4.readers.text import spelling, titles
from form4.readers.text import units as U
from form4.readers.text.evidence import Evidence
from form4.readers.text.lines import Chunk, Line, Page
from form4.readers.text.memo import Memo
from form4.readers.text.tokens import Token, split_marks, tokens_of

CODES = frozenset("PSVAGDFIMCEHOXWZJKLU")
_HEADER_WORDS = frozenset("""
at end issuers fiscal year title of security instr transaction date month/day/year deemed execution
if any code securities acquired disposed amount beneficially owned following reported transaction(s)
ownership form direct indirect nature beneficial or and price v derivative conversion exercise
expiration exercisable underlying number shares e.g. puts calls warrants options convertible the (a)
(d) (i) (instr. 8) month day year date, disposed of (month/day/year) execution date, form: of
reported transaction(s) (instr.
""".split())  # noqa: SIM905 (a word list reads better as prose)
_ITEM = re.compile(r"\d{1,2}A?\.(?:\s|$)")  # "2.", "2A. Deemed": a numbered column heading
_WORD = re.compile(r"\S+")
_STRIP = re.compile(r"[^a-z0-9/%().:, ]")


@dataclasses.dataclass(slots=True)
class Columns:
    """Where a positioned table prints its text columns (character x), when known."""

    title_end: int = 10_000
    title_start: int = 0  # where the title's heading starts: a wrapped title's lines start there too
    underlying: tuple[int, int] | None = None
    nature: int = 10_000
    acquired: int | None = None
    disposed: int | None = None
    exercisable: int | None = None
    expiration: int | None = None
    owned: int | None = None  # the amount owned following: the column left of the ownership form's
    form: int | None = None  # the ownership form's heading
    price: int | None = None  # Table II's price, left of that


class Piece:
    """The tokens of one table row, sorted by the column they were read in (a plain class:
    mypyc compiles its ``__init__``)."""

    def __init__(self) -> None:
        self.title: list[Token] = []
        self.data: list[Token] = []
        self.underlying: list[Token] = []
        self.nature: list[Token] = []
        self.lead: list[Token] = []  # the nature's first words, printed above the row's line ("By")
        self.nature_open = False  # an indirect holding whose nature may wrap onto the next lines
        self.narrow = False  # laid out narrower than its headings: their columns tell nothing of it


def _is_header(line: Line) -> bool:
    """A line of the tables' column headings: mostly heading words and item numbers."""
    return _heading(line.lower)


def _is_heading(lower: str) -> bool:
    words = _STRIP.sub("", lower).split()
    words = [w for w in words if w != "|"]
    if not words:
        return False
    known = sum(1 for w in words if w in _HEADER_WORDS or w.rstrip(".,)a").isdigit() or w.startswith("(instr")
                or w.startswith("(month"))
    return known / len(words) >= 0.6


_heading = Memo(_is_heading)  # the same heading lines open every form's tables


def body(page: Page, start: int, stop: int) -> tuple[list[Line], list[Line]]:
    """The header lines and the row lines of a table between two line numbers."""
    lines = page.lines[start + 1:stop]
    if page.ruled:  # a typed form: the header ends at the rule above the first row; rows run to the table's end
        first = next((i for i, ln in enumerate(lines) if _has_values(ln)), None)
        if first is not None:
            rules = [i for i in range(first) if lines[i].typed == "rule"]
            top = rules[-1] if rules else first
            start = rules[-2] + 1 if len(rules) > 1 else 0
            return lines[start:top], lines[first:]
    first = 0
    for i, ln in enumerate(lines):
        if ln.chunks and not _is_header(ln) and not ln.text.startswith("(e.g."):
            first = i
            break
    else:
        first = len(lines)
    if page.ocr:  # specks between heading lines are not rows: rows start with the first values
        near = range(first, min(first + 20, len(lines)))
        valued = next((i for i in near if _has_values(lines[i])), first)
        # the last heading line holds a heading's own word ("Code", "(Instr."): "Convertible 2 Common",
        # a title's lines above the first row's values, is mostly heading words too
        later = [i for i in range(first, valued) if _is_header(lines[i]) and _heading_only(lines[i])]
        first = later[-1] + 1 if later else first
        # a first row's "By" OCR read among the heading lines opens that row's nature
        openers = [ln for ln in lines[:first] if ln.lower.strip() in _NATURE_OPENERS]
        header = [ln for ln in lines[:first] if ln not in openers]
        # heading lines OCR read among the rows ("Code V Amount Price" after the first row)
        return header, openers + [ln for ln in _without_repeated_headings(lines[first:]) if not _stray_heading(ln)]
    return lines[:first], _without_repeated_headings(lines[first:])


def _without_repeated_headings(lines: list[Line]) -> list[Line]:
    """The rows without the table's title and headings printed again where a page breaks it."""
    out: list[Line] = []
    repeating = False
    for ln in lines:
        if U.TABLE_ONE.search(ln.text) or U.TABLE_TWO.search(ln.text):
            repeating = True
        elif not (repeating and (not ln.chunks or _is_header(ln) or ln.text.startswith("(e.g."))):
            repeating = False
            out.append(ln)
    return out


_NATURE_OPENERS = frozenset(("by", "see"))
_HEADING_ONLY = frozenset(("code", "amount", "price", "(instr.", "instr.", "exercisable", "expiration",
                           "transaction(s)", "reported", "following", "beneficially"))


def _heading_only(line: Line) -> bool:
    return any(w in _HEADING_ONLY for w in line.lower.split())


def _stray_heading(line: Line) -> bool:
    return len(line.lower.split()) >= 2 and _heading_only(line) and _is_header(line) and not _has_values(line)


_AMOUNT = re.compile(r"^\$|^\d{1,3}(?:,\d{3})+|^\d{3,}")


def _has_values(line: Line) -> bool:
    """A line with a date or an amount on it (header lines have only item numbers)."""
    return any(t.kind == "date" or (t.kind == "number" and bool(_AMOUNT.match(t.text)))
               for c in line.chunks for t in tokens_of(c.text))


def columns(header: list[Line], derivative: bool) -> Columns:
    cols = Columns()
    numbered = [item for ln in header for c in ln.chunks for item in _items(c)]
    cols.title_start = min((x for x, t in numbered if t.startswith("1.")), default=0)
    two = [x for x, t in numbered if t.startswith("2.")]
    if two:
        cols.title_end = min(two) - 1
    elif header:  # OCR lost the "2.": the second column starts where the first heading word right of the title does
        left = min((c.x for ln in header for c in ln.chunks), default=0)
        second = [c.x for ln in header for c in ln.chunks if c.x > left + 5 and sum(ch.isalpha() for ch in c.text) >= 3]
        if second:
            cols.title_end = min(second) - 1
    items = sorted(numbered)
    form_at = next((i for i, (_, t) in enumerate(items) if "Ownership" in t and "Nature" not in t), 0)
    if form_at >= 1:
        cols.owned = items[form_at - 1][0]
        cols.form = items[form_at][0]
    if form_at >= 2:
        cols.price = items[form_at - 2][0]
    nature = [x for x, t in numbered if "Nature" in t] or [
        c.x for ln in header for c in ln.chunks if c.text.startswith("Nature")]
    if nature:
        cols.nature = nature[0] - 3
    title_line = -1
    for n, ln in enumerate(header):
        words = [(c.x + m.start(), m.group(0)) for c in ln.chunks for m in _WORD.finditer(c.text)]
        names = [w for _, w in words]
        titled = [c.x + m.start() for c in ln.chunks for m in _WORD.finditer(c.text)
                  if m.group(0) == "Title" and _subheading_title(c.text, m.start(), m.end())]
        if derivative and cols.underlying is None and titled:
            title_x = titled[0]
            after = [x for x, _ in words if x > title_x]
            cols.underlying = (title_x - 4, (after[0] - 3) if after else title_x + 14)
            title_line = n
        if derivative and "(A)" in names and "(D)" in names and ("Code" in names or "(A) or" not in ln.text):
            cols.acquired = next(x for x, w in words if w == "(A)")
            cols.disposed = next(x for x, w in words if w == "(D)")
    if title_line >= 0:
        cols.exercisable = _nearest_word(header, title_line, "Exercisable")
        cols.expiration = _nearest_word(header, title_line, "Expiration")
    return cols


_ITEM_INSIDE = re.compile(r"(?:^|(?<= ))\d{1,2}A?\.(?= |$)")


def _items(chunk: Chunk) -> list[tuple[int, str]]:
    """Each numbered heading in a chunk with where it starts: headings printed one space apart
    run into one chunk ("7. Ownership Form: Direct (D) 8. Nature of Indirect ...")."""
    if not _ITEM.match(chunk.text):
        return []
    starts = [m.start() for m in _ITEM_INSIDE.finditer(chunk.text)]
    ends = [*starts[1:], len(chunk.text)]
    return [(chunk.x + a, chunk.text[a:b].rstrip()) for a, b in zip(starts, ends, strict=True)]


def _subheading_title(chunk: str, start: int, end: int) -> bool:
    """Whether the word "Title" at ``chunk[start:end]`` heads the underlying's title column
    ("Title" under item 8, wherever its subheadings wrap), not a numbered heading: "1. Title
    of Derivative Security", "8. Title and Amount of Securities Underlying"."""
    before = chunk[:start].split()
    after = chunk[end:].split()
    return not (before and _ITEM.match(before[-1] + " ")) and not (after and after[0] in ("of", "and"))


def _nearest_word(header: list[Line], at: int, word: str) -> int | None:
    """The x of ``word`` on the heading line nearest line ``at``: item 7's subheadings "Date
    Exercisable" and "Expiration Date" sit beside the underlying's "Title", on its line or
    wrapped just above and below it."""
    found = [(abs(n - at), c.x + m.start()) for n, ln in enumerate(header) for c in ln.chunks
             for m in _WORD.finditer(c.text) if m.group(0) == word]
    return min(found)[1] if found else None


def _typed_rows(lines: list[Line], title_end: int, nature: int) -> list[list[Line]]:
    """Rows of a table typed before 2003.  Where rules part the rows, a row is the lines
    between two rules (each cell's text its column's lines, top to bottom); otherwise cells
    are filled from the top, so a row starts on a line with values and runs on while the
    lines below hold only wrapped text (a nature's "2010 Fund" is no value)."""
    valued = [run for run in _between_rules(lines) if _valued(run, title_end)]
    if len(valued) > 1:  # not just a table's closing rule, with notes below it
        return valued
    rows: list[list[Line]] = []
    for ln in lines:
        if ln.typed == "rule":
            break  # the table's closing rule: what follows is no row
        if not ln.chunks:
            continue
        values = any(t.kind != "text" for c in ln.chunks if title_end <= c.x < nature for t in tokens_of(c.text))
        # a title going on in small letters ("Co" / "mmon Stock") goes on with its row's values too
        title_goes_on = ln.chunks[0].x < title_end and ln.chunks[0].text[:1].islower()
        if (values and not (title_goes_on and ln.edges)) or not rows:
            rows.append([ln])
        else:
            rows[-1].append(ln)
    return rows


def _between_rules(lines: list[Line]) -> list[list[Line]]:
    runs: list[list[Line]] = [[]]
    for ln in lines:
        if ln.typed == "rule":
            runs.append([])
        elif ln.chunks:
            runs[-1].append(ln)
    return [run for run in runs if run]


def _valued(run: list[Line], title_end: int) -> bool:
    """Whether lines between two rules are a row of the table: cells of it, with a value
    right of the title column (not a caption, nor the notes under the table's closing rule)."""
    return all(ln.typed == "cells" for ln in run) and any(
        t.kind != "text" for ln in run for c in ln.chunks if c.x >= title_end for t in tokens_of(c.text))


def _cells_joined(band: list[Line]) -> list[Line]:
    """A row of a table typed with "|" as one line: each cell's text its lines joined, top to
    bottom (a word the typist broke at the cell's edge, "Co" / "mmon", joined whole)."""
    edges = band[0].edges
    if len(band) < 2 or not edges or any(ln.edges != edges for ln in band):
        return band
    texts: dict[int, tuple[int, str, bool]] = {}  # cell -> where its text starts, the text, whether it fills the cell
    for ln in band:
        for c in ln.chunks:
            cell = bisect.bisect_right(edges, c.x) - 1
            filled = c.end >= (edges[cell + 1] - 1 if cell + 2 < len(edges) else edges[-1])  # up to its pipe
            if cell in texts:
                x, text, full = texts[cell]
                texts[cell] = (x, text + ("" if full and _broken(text, c.text) else " ") + c.text, filled)
            else:
                texts[cell] = (c.x, c.text, filled)
    chunks = [Chunk(text, x) for _, (x, text, _) in sorted(texts.items())]
    return [Line(band[0].number, chunks, typed="cells", edges=edges)]


_NUMERIC_END = re.compile(r"[\d/,.$]$")
_NUMERIC_START = re.compile(r"^[\d/,.]")


def _broken(before: str, after: str) -> bool:
    """Whether the text of a cell's line, which reached the cell's edge, and the next line's
    are one word broken at that edge: a number or date ("2/7/0" / "0"), or letters the
    dictionary knows only joined ("Co" / "mmon")."""
    left, right = before.split()[-1], after.split()[0]
    if _NUMERIC_END.search(left) and _NUMERIC_START.match(right):
        return True
    words = left[-1:].isalpha() and right[:1].islower()
    return words and spelling.tear(left.strip("(,"), right.rstrip(".,)")) == "join"


def _bands(lines: list[Line], title_end: int) -> list[list[Line]]:
    """Rows of a positioned table: runs of lines between blank lines, split again where one
    run holds several rows (each row has exactly one line ending in its D/I ownership mark)."""
    runs: list[list[Line]] = [[]]
    for ln in _marks_lowered(lines):
        if not ln.chunks:
            if runs[-1]:
                runs.append([])
        elif runs[-1] and _continues(runs[-1][-1], ln, title_end):
            runs[-1][-1] = Line(runs[-1][-1].number, runs[-1][-1].chunks + ln.chunks)
        else:
            runs[-1].append(ln)
    bands: list[list[Line]] = []
    for run in filter(None, runs):
        keys = [i for i, ln in enumerate(run) if _ends_row(ln)]
        if len(keys) <= 1:
            bands.append(run)
            continue
        valued = [_value_cells(ln) for ln in run]
        top = (_hanging(valued, keys) or _opens_its_cell(run, keys, title_end)) and not _marked_within(run, keys, 1)
        bottom = _standing(valued, keys) and not _marked_within(run, keys, -1)
        owner = [_row_of(run, keys, i, title_end, top, bottom) for i in range(len(run))]
        if not (top or bottom):
            _centred(run, keys, owner)
        _commas_go_on(run, keys, owner)
        groups: list[list[Line]] = [[] for _ in keys]
        for i, ln in enumerate(run):
            groups[owner[i]].append(ln)
        bands.extend(groups)
    return bands


def _centred(run: list[Line], keys: list[int], owner: list[int]) -> None:
    """Rows whose cells are centred on their key lines: each cell has as many of its column's
    lines above its key line as below.  The lines of one column alone between two key lines
    are parted so that both rows' cells come nearest that balance ("By The" over "Founders"
    opens the next row's nature when the row above is balanced without it)."""
    for k in range(len(keys) - 1):
        between = [i for i in range(keys[k] + 1, keys[k + 1])
                   if len(run[i].chunks) == 1 and not _value_cells(run[i])]
        done: set[int] = set()
        for i in between:
            if i in done:
                continue
            span = run[i].chunks[0]
            lone = [j for j in between if _overlaps(run[j], span.x, span.end)]
            done.update(lone)
            _part(run, keys, owner, k, lone, (span.x, span.end))


def _part(run: list[Line], keys: list[int], owner: list[int], k: int, lone: list[int], span: tuple[int, int]) -> None:
    """Parts one column's lines ``lone`` between key lines ``k`` and ``k + 1``: the first
    ones to row ``k``, the rest to row ``k + 1``, where the two cells balance best; the
    parting made already stands unless another balances strictly better."""
    def count(row: int, above: bool) -> int:
        key = keys[row]
        return sum(1 for j, ln in enumerate(run)
                   if owner[j] == row and j not in lone and (j < key if above else j > key) and _overlaps(ln, *span))

    above_a, below_a, above_b, below_b = count(k, True), count(k, False), count(k + 1, True), count(k + 1, False)
    # a cell with a line on its key line may have one more line on either side of it (an even
    # number of lines, one of the middle two on the key line); else it straddles the key line
    slack_a, slack_b = (int(_overlaps(run[keys[row]], *span)) for row in (k, k + 1))

    def cost(m: int) -> int:
        return (max(0, abs(above_a - below_a - m) - slack_a)
                + max(0, abs(above_b + len(lone) - m - below_b) - slack_b))

    now = sum(owner[j] == k for j in lone)
    if [owner[j] for j in lone] != [k] * now + [k + 1] * (len(lone) - now):
        return  # not parted in two: leave it
    # no cell ends in a comma ("Principals Fund," over "L.P.(2)"): the line after one is its row's
    tail = [j for j in range(keys[k], lone[0]) if _overlaps(run[j], *span)][-1:]
    ends = [_text_in(run[j], span) for j in tail + lone]  # row k's last line of the column, for each parting
    if not tail:
        ends.insert(0, "")
    allowed = [m for m in range(len(lone) + 1) if m == len(lone) or not ends[m].endswith(",")]
    best = min(allowed, key=lambda m: (cost(m), m != now))
    if cost(best) < cost(now):
        for n, j in enumerate(lone):
            owner[j] = k if n < best else k + 1


def _value_cells(line: Line) -> bool:
    """Whether a line holds a cell of values: a date or an amount in a chunk of no words (a
    nature's "2010 Partners Fund" is words)."""
    return any(t.kind in ("date", "number") for c in line.chunks for t in _values(tokens_of(c.text)))


def _marks_only(line: Line) -> bool:
    return bool(line.chunks) and all(t.kind == "mark" for c in line.chunks for t in tokens_of(c.text))


def _marks_lowered(lines: list[Line]) -> list[Line]:
    """The rows' lines with each line of footnote marks only set onto the line of values just
    below it: superscripts raised too far for the extraction to keep them on their values'
    line ("(1)    (2)" over "S    39,967"), each mark after the value whose end it stands at, or
    else in its own place (a blank cell's mark)."""
    out: list[Line] = []
    lines = list(lines)
    for i, ln in enumerate(lines):
        below = lines[i + 1] if i + 1 < len(lines) else None
        if not (_marks_only(ln) and below is not None and _value_cells(below)):
            out.append(ln)
            continue
        chunks = [Chunk(c.text, c.x) for c in below.chunks]
        for mark in ln.chunks:
            value = next((c for c in chunks if abs(mark.x - c.end) <= 2 and _values(tokens_of(c.text))), None)
            if value is None:
                chunks.append(Chunk(mark.text, mark.x))
            else:
                value.text += mark.text.replace(" ", "")
        lines[i + 1] = Line(below.number, sorted(chunks, key=lambda c: c.x))  # the marks' line itself goes
    return out


def _row_of(run: list[Line], keys: list[int], i: int, title_end: int, top: bool, bottom: bool) -> int:
    """Which row a line of a run of rows belongs to (``keys``: each row's key line).  A table
    sets all its cells alike: when nothing stands above the first row's key line and as many
    lines below the last one's as between any two rows, cells hang from the top and a line is
    the row's above it; the other way round, they stand on the bottom; else they are centred,
    and the nearest row takes it.
    A line of values above a key line is that row's first (its values wrapped onto two lines)."""
    near = min(abs(key - i) for key in keys)
    tied = [k for k in range(len(keys)) if abs(keys[k] - i) == near]  # the finer measures only on a tie
    nearest = tied[0] if len(tied) == 1 else min(tied, key=lambda k: _distance(run, keys[k], i))
    if top:
        below = [k for k in range(len(keys)) if keys[k] >= i]
        if below and _value_cells(run[i]):  # a row's values that wrapped onto its key line below
            return below[0]
        above = max((k for k in range(len(keys)) if keys[k] <= i), default=nearest)
        return above if _hangs(run, keys[above], i, title_end) else nearest
    if bottom:
        under = min(k for k in range(len(keys)) if keys[k] >= i)
        return under if _hangs(run, keys[under], i, title_end) else nearest
    return nearest


def _commas_go_on(run: list[Line], keys: list[int], owner: list[int]) -> None:
    """No cell ends in a comma ("Principals Fund," over "L.P.(2)(3)"): the next line of its
    column, a line of that column alone and no row's key line, is its row's."""
    for j in range(len(run) - 1):
        ends = [c for c in run[j].chunks if c.text.endswith(",")]
        if not ends:
            continue
        cell = ends[-1]
        below = next((i for i in range(j + 1, len(run)) if _overlaps(run[i], cell.x, cell.end)), None)
        if (below is None or below in keys or len(run[below].chunks) != 1 or owner[below] == owner[j]
                or keys[owner[j]] > below):  # only a line pulled up onto a row above it
            continue
        if all(owner[i] in (owner[j], owner[below]) for i in range(j, below + 1)):
            owner[below] = owner[j]


def _text_in(line: Line, span: tuple[int, int]) -> str:
    return " ".join(c.text for c in line.chunks if c.x < span[1] and span[0] < c.end)


def _gaps(valued: list[bool], keys: list[int]) -> list[int]:
    return [sum(not valued[j] for j in range(a + 1, b)) for a, b in itertools.pairwise(keys)]


def _hanging(valued: list[bool], keys: list[int]) -> bool:
    """Whether a run's cells hang from the top of their rows (``valued``: which of its lines
    hold values): nothing above the first key line, and as many lines below the last as
    between any two (a cell of three lines or more centred on its row would set one above
    the row's key line)."""
    gaps = _gaps(valued, keys)
    return keys[0] == 0 and (len(valued) - 1 - keys[-1] >= max(*gaps, 1) or (gaps[0] if gaps else 0) >= 2)


def _marked_within(run: list[Line], keys: list[int], step: int) -> bool:
    """Whether hanging every cell from its key line (``step`` 1), or standing it on it (-1),
    would set words after a footnote mark inside one cell: a mark ends its cell's text, so
    the cells are not set so ("Endurance Partners," / "L.P.(2)(3)" over a key line whose
    nature, "Growth Fund, L.P.(2)(3)", is its own)."""
    bounds = [*keys, len(run)] if step > 0 else [-1, *keys]
    for a, b in itertools.pairwise(bounds):
        span = range(a, b) if step > 0 else range(a + 1, b + 1)  # one row's lines, top first
        seen: list[Chunk] = []
        for i in span:
            for c in run[i].chunks:
                worded = any(t.kind == "text" for t in tokens_of(c.text))
                if worded and any(_overlaps_chunk(m, c) for m in seen):
                    return True
            seen += [c for c in run[i].chunks if _mark_ended(c.text)]
    return False


def _overlaps_chunk(a: Chunk, b: Chunk) -> bool:
    return a.x < b.end and b.x < a.end


def _mark_ended(text: str) -> bool:
    """Whether a chunk of words ends in a footnote mark ("Fund, L.P.(2)(3)")."""
    words = text.split()
    return len(words) > 0 and any(ch.isalpha() for ch in text) and bool(split_marks(words[-1])[1])


def _opens_its_cell(run: list[Line], keys: list[int], title_end: int) -> bool:
    """Whether a row's title begins on its key line and goes on below it: nothing stands
    between the row above's key line and its own, its title there is not whole ("Class A
    Common"), and lines follow before the next row.  A centred cell of several lines would
    have set some above the key line: the table's cells hang from the top."""
    if keys[0] != 0:  # lines above the first row's key line: not hanging from it
        return False
    for k in range(len(keys) - 1):
        key = keys[k]
        if (key == 0 or keys[k - 1] == key - 1) and keys[k + 1] > key + 1:
            title = " ".join(c.text for c in run[key].chunks if c.x < title_end)
            if title and not titles.whole(title):
                return True
    return False


def _standing(valued: list[bool], keys: list[int]) -> bool:
    """Whether a run's cells stand on the bottom of their rows: the other way round."""
    gaps = _gaps(valued, keys)
    return keys[-1] == len(valued) - 1 and (keys[0] >= max(*gaps, 1) or (gaps[-1] if gaps else 0) >= 2)


def _hangs(run: list[Line], key: int, i: int, title_end: int) -> bool:
    """Whether line ``i`` goes on a cell its row's key line begins: a cell that hangs from the
    top (or stands on the bottom) prints a line on its row's key line, and a title's line goes
    on no title already whole ("Common Stock" over "Common Stock, par value $0.01 per")."""
    first = run[i].chunks[0]
    if first.x < title_end:
        title = " ".join(c.text for c in run[key].chunks if c.x < title_end)
        if titles.opens_another(title, first.text):
            return False
    return _overlaps(run[key], first.x, first.end)


def _continues(previous: Line, line: Line, title_end: int) -> bool:
    """A row printed over two baselines: the second line only goes on to the right of the first."""
    has_data = any(c.x >= title_end for c in previous.chunks)
    values = any(t.kind != "text" for c in line.chunks for t in tokens_of(c.text))
    return has_data and values and line.chunks[0].x >= title_end and line.chunks[0].x > previous.chunks[-1].end


def _overlaps(line: Line, chunk_x: int, chunk_end: int) -> bool:
    return any(c.x < chunk_end and chunk_x < c.end for c in line.chunks)


def _distance(run: list[Line], key: int, i: int) -> tuple[int, bool, int, bool]:
    """How far wrapped line ``i`` is from a row's key line: nearest first; on a tie, the
    row around whose key line that column wraps symmetrically, then the one fewer of its
    column's lines away, then the one whose cell is empty on its key line."""
    if i == key or not run[i].chunks:
        return abs(key - i), False, 0, False
    first = run[i].chunks[0]
    mirror = 2 * key - i
    symmetric = 0 <= mirror < len(run) and _overlaps(run[mirror], first.x, first.end)
    return abs(key - i), not symmetric, _column_distance(run, key, i), _overlaps(run[key], first.x, first.end)


def _column_distance(run: list[Line], key: int, i: int) -> int:
    """How many of its own column's lines part line ``i`` from a key line, plus one: the
    extraction interleaves the lines of a row's cells by height, so a centred title's next
    line may sit below a nature's wrapped line; a cell's lines only count in its column."""
    first = run[i].chunks[0]
    inner = range(min(i, key) + 1, max(i, key))
    return 1 + sum(_overlaps(run[j], first.x, first.end) for j in inner)


def is_ownership(tok: Token) -> bool:
    """The D or I of the ownership-form column."""
    return tok.kind == "letter" and tok.value in ("D", "I")


def _ends_row(line: Line) -> bool:
    """A row's key line: values on it, the last of them its D/I ownership mark.  A chunk of
    words holds no values, whatever numbers are among them: a nature's "Venture 2010 Fund".
    A lone footnote mark after the D/I is the nature's, wrapped off its words ("I   (4)"), and
    so is a year alone after it ("I   2010": "Venture" / "2010" / "Fund"), as no value follows
    the D/I."""
    data = [t for c in line.chunks for t in _values(tokens_of(c.text))]
    while data and data[-1].kind == "mark":
        data.pop()
    if len(data) >= 3 and _year(data[-1]) and is_ownership(data[-2]):
        data.pop()
    return len(data) >= 2 and is_ownership(data[-1])


def _values(toks: list[Token]) -> list[Token]:
    return [] if any(t.kind == "text" for t in toks) else toks


def positioned_pieces(lines: list[Line], cols: Columns, *, typed: bool = False, ocr: bool = False,
                      derivative: bool = False) -> list[Piece]:
    pieces = []
    for rows in _typed_rows(lines, cols.title_end, cols.nature) if typed else _bands(lines, cols.title_end):
        band = _cells_joined(rows) if typed else rows
        piece = Piece()
        data: list[tuple[int, int, list[Token]]] = []
        mark = None if typed else _ownership_mark(band)
        nature_at = min(cols.nature, mark.end + 1) if mark is not None else cols.nature
        # the D/I mark printed left of the ownership form's heading: the row was set narrower
        piece.narrow = mark is not None and cols.form is not None and mark.x < cols.form - 2
        # the underlying's title words, left of the D/I mark (right of it they are the nature's)
        span = cols.underlying or (0, 0)
        worded = [c for ln in band for c in ln.chunks if any(t.kind == "text" for t in tokens_of(c.text))]
        titles = [c for c in worded if span[0] <= c.x < min(span[1], nature_at)]
        worded_nature = mark is not None and any(c.x >= nature_at for c in worded)
        for ln in band:
            shifted = _shifted(ln, cols)
            seen_values = False  # on a shifted line, the words after its values are no title's
            cells = ln.chunks if ocr or typed else [part for chunk in ln.chunks for part in _amount_apart(chunk)]
            for c in cells:
                toks = tokens_of(c.text, c.x, ln.number, ocr=ocr)
                marks_only = all(t.kind == "mark" for t in toks)
                wordy = any(t.kind == "text" for t in toks) or (marks_only and c.x >= cols.nature)
                valued = shifted and bool(_values(toks)) and not marks_only
                seen_values = seen_values or valued
                if c.x >= nature_at and (any(t.kind == "text" for t in toks) or (mark is not None and (
                        (marks_only and (mark not in ln.chunks or worded_nature)) or all(_year(t) for t in toks)))):
                    # right of the D/I mark: however narrow, and a year there is a word ("2009(4)");
                    # a mark alone is the nature's, wrapped off its words ("L.P.(2)" over "(3)"),
                    # unless no nature is printed and it stands on the D/I's line ("D  (2)")
                    piece.nature.extend(_worded(c.text, toks, ocr))
                elif c.x < cols.title_end and not (valued or (seen_values and wordy)):
                    piece.title.extend(_worded(c.text, toks, ocr, titled=cols.title_end - c.x))
                elif (wordy and span[0] <= c.x < span[1]) or (
                        marks_only and any(w.x <= c.x and c.end <= w.end for w in titles)):
                    # a mark alone under the underlying's title words is theirs, wrapped off
                    # them ("Class B Common Stock(2)" over "(3)"): the column holds no value
                    piece.underlying.extend(_worded(c.text, toks, ocr, titled=span[1] - c.x))
                elif wordy and c.x >= cols.nature:
                    piece.nature.extend(_worded(c.text, toks, ocr))
                else:
                    data.append((c.x, c.end, toks))
        data = _reading_order(data)
        end = -10
        for x, chunk_end, toks in data:
            last = piece.data[-1] if piece.data else None
            if (not typed and len(toks) == 1 and toks[0].kind == "mark" and last is not None and not last.marks
                    and last.kind in ("number", "letter", "date")
                    and x - end <= _mark_gap(last, toks[0], ocr or derivative)):
                last.marks.extend(toks[0].marks)  # "$41.18 (2)": a mark set apart from its value
                continue
            piece.data.extend(toks)
            end = chunk_end
        pieces.append(piece)
    return _without_valueless(pieces)


_GROUPED_AMOUNT = re.compile(r"^\$?\d{1,3}(?:,\d{3})+(?:\.\d+)?(?:\(\d{1,2}\))*$")


def _amount_apart(chunk: Chunk) -> list[Chunk]:
    """A chunk of words that ends in an amount grouped by thousands, one space after them
    ("Common 17,434,414"): the extraction ran the next cell into this one, for no title or
    nature holds such an amount at its end.  The words and the amount, each in its place."""
    words = chunk.text.split(" ")
    if len(words) < 2 or not _GROUPED_AMOUNT.match(words[-1]) or not any(ch.isalpha() for ch in words[-2]):
        return [chunk]
    cut = len(chunk.text) - len(words[-1])
    return [Chunk(chunk.text[:cut].rstrip(), chunk.x), Chunk(words[-1], chunk.x + cut)]


def _ownership_mark(band: list[Line]) -> Chunk | None:
    """The chunk of a row's D/I ownership mark on its key line: words right of it are its
    nature's, wherever the extraction laid the row out (a page's rows may be set narrower
    than the headings above them, the nature under the underlying's heading)."""
    for ln in band:
        if _ends_row(ln):
            marks = [c for c in ln.chunks if any(is_ownership(t) for t in _values(tokens_of(c.text)))]
            return marks[-1]
    return None


def _mark_gap(value: Token, mark: Token, near: bool) -> int:
    """How far right of a value a lone footnote mark may stand and still be that value's: a
    few characters; in Table I off a text layer, wider on the value's own line, where the
    extraction pads the space a raised mark leaves ("$888.313         (3)"; ``near``: OCR, or
    Table II, where a mark in a blank date cell stands right of the amount)."""
    same_line = value.line == mark.line and value.kind in ("number", "date")
    return 12 if same_line and not near else 4


def _shifted(line: Line, cols: Columns) -> bool:
    """Whether a row's line was set apart from the columns its headings give: a value in the
    title's column, and more values after it (the extraction laid that line out on its own,
    narrower: "Common Stock   1,814,282   D").  A title's own number ("Notes due" / "2025")
    opens its line where the title's column starts."""
    values = [c for c in line.chunks if any(t.kind in ("date", "number") for t in _values(tokens_of(c.text)))]
    first = values[0] if values else None
    if first is None or first.x >= cols.title_end or (first is line.chunks[0] and first.x <= cols.title_start + 1):
        return False
    return len(values) >= 2 or any(is_ownership(t) for c in line.chunks if c.x > first.x
                                   for t in _values(tokens_of(c.text)))


def _worded(text: str, toks: list[Token], ocr: bool, *, titled: int = 0) -> list[Token]:
    """A chunk of a worded column (a title, a nature) as text: off a text layer, each word as
    printed with only its footnote marks split off ("(Class A)" stays whole, where OCR's "A)"
    is an "A" whose mark was misread).  In a security's title, a number in brackets a space
    after a word of its cell is the title's own ("Class B Common Stock (2)"): the form prints
    a footnote mark raised against the word it notes, which a text layer keeps as one word,
    and a blank cell's mark stands in its own column (``titled``: how many characters of the
    chunk lie in the title's column)."""
    if ocr or not toks:
        return [as_text(t) for t in toks]
    x, line = toks[0].x, toks[0].line
    out: list[Token] = []
    at = 0
    for word in text.replace("$ ", "$").split():
        at = text.find(word, at)
        bare, marks = split_marks(word)
        if at < titled and not bare and out and out[-1].kind == "text" and literal_number(word):
            out.append(Token("text", word, x=x, line=line))
            continue
        out.append(Token("text" if bare else "mark", bare or word, marks=marks, x=x, line=line))
    return out


_BRACKETED = re.compile(r"\(\d{1,2}\)")


def literal_number(word: str) -> bool:
    """A single number in brackets ("(2)"): a footnote mark, or a title's own words."""
    return bool(_BRACKETED.fullmatch(word))


def _reading_order(data: list[tuple[int, int, list[Token]]]) -> list[tuple[int, int, list[Token]]]:
    """A row's chunks as the form is read: one value per column, columns left to right; the
    lines of a cell wrapped in a column ("Class A" / "Common" / "Stock"), chunks whose widths
    overlap, top to bottom whatever their indents."""
    worded = sorted((d for d in data if any(t.kind == "text" for t in d[2])), key=lambda d: d[0])
    column: dict[int, int] = {}
    start, reach = -1, -1
    for x, end, toks in worded:
        if x >= reach:
            start = x
        reach = max(reach, end)
        column[id(toks)] = start
    return sorted(data, key=lambda d: (column.get(id(d[2]), d[0]), d[2][0].line if d[2] else 0))


def _without_valueless(pieces: list[Piece]) -> list[Piece]:
    """A band with no amount and no date is no row: its words end the title of the row above
    while that title has more lines above its values than below (titles are centred on
    their row), and begin the next row's title otherwise."""
    out: list[Piece] = []
    carried = Piece()
    for piece in pieces:
        if not any(t.kind in ("number", "date") for t in piece.data):
            # its other worded cells go where its title goes: the lines of one row, set apart by blank lines
            if out and not _any_words(carried) and (_lopsided_above(out[-1]) or _hangs_on(out[-1], piece)
                                                   or _broken_off(out[-1], piece)):
                _words_onto(out[-1], piece, after=True)
            else:
                _words_onto(carried, piece, after=True)
            continue
        _words_onto(piece, carried, after=False)
        carried = Piece()
        out.append(piece)
    if _any_words(carried) and out:
        _words_onto(out[-1], carried, after=True)
    return out


def _hangs_on(row: Piece, band: Piece) -> bool:
    """Whether a valueless band goes on the row above: that row's cells hang from its key
    line (no title line above it), and the band's title words do not open another security
    after a title already whole ("Stock" over "Option", "Class B" over "Common")."""
    key = max((t.line for t in row.data if t.kind != "text"), default=-1)
    if any(t.line < key for t in (*row.title, *row.underlying, *row.nature)):
        return False
    title = " ".join(t.text for t in row.title if t.kind == "text")
    first = " ".join(t.text for t in band.title if t.kind == "text")
    return not (first and titles.opens_another(title, first))


def _broken_off(row: Piece, band: Piece) -> bool:
    """Whether a valueless band goes on a cell of the row above that broke off after a comma
    ("Venture 2010 Fund," over "L.P.(2)"): no cell's text ends in a comma."""
    for name in ("title", "underlying", "nature"):
        mine: list[Token] = [t for t in getattr(row, name) if t.kind == "text"]
        if getattr(band, name) and mine and mine[-1].text.endswith(",") and not mine[-1].marks:
            return True
    return False


def _any_words(piece: Piece) -> bool:
    return bool(piece.title or piece.underlying or piece.nature)


def _words_onto(row: Piece, band: Piece, *, after: bool) -> None:
    """A valueless band's title, underlying and nature words set after (or before) a row's."""
    for name in ("title", "underlying", "nature"):
        words: list[Token] = getattr(band, name)
        if words:
            mine: list[Token] = getattr(row, name)
            setattr(row, name, mine + words if after else words + mine)


def _lopsided_above(piece: Piece) -> bool:
    """Whether a row's title has more lines above its values' line than below it."""
    key = max((t.line for t in piece.data if t.kind != "text"), default=-1)
    lines = {t.line for t in piece.title}
    return sum(ln < key for ln in lines) > sum(ln > key for ln in lines)


def as_text(tok: Token) -> Token:
    if tok.kind != "text" and tok.kind != "mark":
        return Token("text", tok.text, marks=tok.marks, x=tok.x, line=tok.line, lost=tok.lost)
    return tok


def _text(tokens: list[Token]) -> str | None:
    # a title neither begins nor ends with a dash: those are rule marks OCR kept
    words = [t for t in tokens if t.kind != "mark"]
    gaps = ["" if _broken_at_hyphen(t, nxt) else " " for t, nxt in itertools.pairwise(words)]
    text = "".join(t.text + gap for t, gap in zip(words, [*gaps, ""], strict=False))
    return text.strip(" -") or None


def _broken_at_hyphen(tok: Token, nxt: Token | None) -> bool:
    """Whether a cell's line ends in a word's hyphen and its next line goes on with that word
    ("Venture 2010-" over "Seed Fund"): the hyphen is the text's own, the word one."""
    return (nxt is not None and len(tok.text) >= 2 and tok.text[-1] == "-" and tok.text[-2].isalnum()
            and nxt.text[:1].isalnum() and tok.line >= 0 and nxt.line > tok.line)


def _marks(tokens: list[Token]) -> list[str]:
    return [m for t in tokens for m in t.marks]


class RowReader:
    """Gives one row's values their fields, in the order the form prints them."""

    def __init__(self, piece: Piece, path: str, ev: Evidence) -> None:
        self.piece, self.path, self.ev = piece, path, ev
        self.text_inside: list[Token] = []
        self.nature_inside: list[Token] = []  # words after the D/I mark
        self.items: list[Token] = []
        data = piece.data
        last_di = max((i for i, t in enumerate(data) if is_ownership(t)), default=len(data))
        for i, t in enumerate(data):
            if i > last_di and (t.kind == "text" or _worded_number(data, i, last_di)):
                self.nature_inside.append(as_text(t))  # "Venture 2010 Fund": a number among the nature's words
                continue
            wedged = (t.kind == "letter" and 0 < i < len(data) - 1 and data[i - 1].kind == "text"
                      and data[i + 1].kind == "text")  # the "B" of "Class B Common Stock"
            code = _garbled_code(data, i)
            if code:  # "GY 1,564", "sM 8,246", "bP": a code with its mark or a speck read as letters
                self.items.append(Token("letter", code, code, t.marks, doubtful=True, x=t.x, line=t.line,
                                        lost=not t.marks))
                ev.doubt(f"{path}.footnotes", 0.5, f"{t.text!r} read as code {code}: a mark may be lost")
                ev.garbled[f"{path}.transaction_code"] = t.text
                continue
            (self.text_inside if t.kind == "text" or wedged else self.items).append(as_text(t) if wedged else t)
        self.pos = 0
        self.footnotes: dict[str, list[str]] = {}

    def _note(self, name: str, tok: Token | None) -> None:
        if tok is not None and tok.marks:
            self.footnotes.setdefault(name, []).extend(m for m in tok.marks if m not in self.footnotes.get(name, []))
        if tok is not None and tok.lost:  # for the rows around it to decide or check (lost_marks)
            self.ev.garbled[f"{self.path}.footnotes.{name}"] = tok.text
        if tok is not None and tok.doubtful:
            self.ev.repaired(f"{self.path}.{name}", tok.text)
        if tok is not None and tok.kind == "date" and tok.value is None:
            self.ev.garbled[f"{self.path}.{name}"] = tok.text
        if tok is not None and _year(tok) and 1900 <= int(tok.text) <= 2099:
            # amounts over 999 are printed grouped ("2,019"): a year's four digits are a word of a
            # title or nature wrapped among the values ("granted under the" / "2019 Equity Plan")
            self.ev.doubt(f"{self.path}.{name}", 0.6, f"{tok.text} reads as a year, not an amount")

    def peek(self) -> Token | None:
        return self.items[self.pos] if self.pos < len(self.items) else None

    def take(self, name: str, *kinds: str, letters: frozenset[str] | None = None) -> Token | None:
        tok = self.peek()
        if tok is None or tok.kind not in kinds or (letters is not None and tok.kind == "letter"
                                                    and tok.value not in letters):
            return None
        self.pos += 1
        self._note(name, tok)
        return tok

    def value(self, tok: Token | None) -> object:
        return None if tok is None or tok.kind == "mark" else tok.value

    def rest(self) -> list[Token]:
        out = self.items[self.pos:]
        self.pos = len(self.items)
        return out

    def text_field(self, name: str, tokens: list[Token]) -> str | None:
        marks = _marks(tokens)
        if marks:
            self.footnotes.setdefault(name, []).extend(marks)
        elif tokens and tokens[-1].lost:  # "by Trust (?)": the mark after the cell's last word
            self.ev.garbled[f"{self.path}.footnotes.{name}"] = tokens[-1].text
        return _text(tokens)


_BARE = re.compile(r"^\d{1,4}[,.]?$")


def _year(tok: Token) -> bool:
    """A number of four digits without a thousands' comma ("2009"): a word, no amount."""
    return tok.kind == "number" and len(tok.text) == 4 and tok.text.isdigit()


def bare_number(tok: Token) -> bool:
    """A number as prose writes it among words ("2010", "June 1,"), not grouped as amounts are."""
    return tok.kind == "number" and bool(_BARE.match(tok.text))


def _worded_number(data: list[Token], i: int, last_di: int) -> bool:
    """Whether a bare number after a row's D/I mark is one of its nature's words: words came
    before it, after the mark."""
    return bare_number(data[i]) and i - 1 > last_di and data[i - 1].kind == "text"


_DIGIT_CODES = {"5": "S", "6": "G"}
_MARK_LETTERS = frozenset("cgyoOitlQq")  # what OCR reads a raised "(1)" as, beside a code


def _garbled_code(data: list[Token], i: int) -> str | None:
    """The code a short word between a row's date and its amount stands for: its first
    letter, or else its one capital that is a code."""
    t = data[i]
    digit = t.kind == "number" and t.text in _DIGIT_CODES  # "10/22/2005 5 17,074": OCR's 5 for an S
    if not digit and (t.kind != "text" or not 2 <= len(t.text) <= 3):
        return None
    # just before the amount, after the date and past any specks OCR read between them
    before = next((d for d in reversed(data[:i]) if d.kind != "text"), None)
    if before is None or before.kind != "date" or i + 1 >= len(data) or data[i + 1].kind != "number":
        return None
    if digit:
        return _DIGIT_CODES[t.text]
    # the first letter left when those Tesseract makes of a raised mark's brackets and digits
    # go ("gs)", "iS)", "cS", "JO", "sM": S, S, S, J, S)
    first = next((ch for ch in t.text if ch.isalpha() and ch not in _MARK_LETTERS), t.text[0]).upper()
    if first in CODES:
        return first
    capitals = [ch for ch in t.text if ch.isupper() and ch in CODES]
    return capitals[0] if len(capitals) == 1 else None


def _ownership(reader: RowReader, tail: list[Token]) -> tuple[str | None, Token | None]:
    """The D/I mark: the last single letter D or I of the row."""
    for tok in reversed(tail):
        if is_ownership(tok):
            reader._note("direct_or_indirect", tok)
            return str(tok.value), tok
    reader.ev.missing(f"{reader.path}.direct_or_indirect", "the ownership form (D/I)")
    return None, None


def _amounts(tokens: list[Token]) -> list[Token]:
    return [t for t in tokens if t.kind in ("number", "mark")]


def _undated(data: list[Token]) -> list[Token]:
    """A Table I row whose date OCR mangled past recognising ("950995 S 16,491", "9. og 905 S",
    "1 99/9095 F"): the number or slashed digits just before the code and its amount are the
    date, and the specks before them go."""
    if any(t.kind == "date" for t in data):
        return data
    for j in range(1, len(data) - 1):
        t, before = data[j], data[j - 1]
        coded = (t.kind == "letter" and t.value in CODES) or (t.kind == "number" and t.text in _DIGIT_CODES)
        datelike = (before.kind == "number" and not before.dollar) or (
            before.kind == "text" and "/" in before.text and sum(ch.isdigit() for ch in before.text) >= 4)
        if coded and data[j + 1].kind == "number" and datelike:
            mangled = Token("date", before.text, None, before.marks, doubtful=True, x=before.x, line=before.line)
            return [t for t in data[:j - 1] if t.kind == "text"] + [mangled] + data[j:]
    return data


def non_derivative(piece: Piece, paths: tuple[str, str], form: str, ev: Evidence, *, stream: bool = False,
                   ) -> NonDerivativeTransaction | NonDerivativeHolding:
    """A Table I row; ``stream`` says it was OCR'd text read in word order, without columns."""
    if stream and form != "3":
        piece.data = _undated(piece.data)
    r = RowReader(piece, paths[0], ev)  # the transaction's path, or the holding's once it is one
    title = r.text_field("security_title", piece.title)
    nature_tokens = r.text_inside + piece.lead + r.nature_inside + piece.nature
    numbers = sum(1 for t in r.items if t.kind == "number")
    # a transaction has a date, or at least amount and balance (OCR may garble the date)
    if form != "3" and (any(t.kind == "date" for t in r.items) or numbers >= 2):
        row = NonDerivativeTransaction(security_title=title)
        path = r.path
        while (first := r.peek()) is not None and (first.kind == "letter" or (
                first.kind == "number" and len(first.text) == 1)) and any(t.kind == "date" for t in r.items):
            r.pos += 1  # "P P 06/25/2004", "1 99/9095": specks OCR read before the date, where no column is
        row.transaction_date = r.value(r.take("transaction_date", "date"))  # type: ignore[assignment]
        row.deemed_execution_date = r.value(r.take("deemed_execution_date", "date"))  # type: ignore[assignment]
        code = r.take("transaction_code", "letter", letters=CODES)
        nxt = r.peek()
        if code is not None and nxt is not None and nxt.kind != "number" and nxt.kind != "mark" and (
                nxt.kind != "letter" or nxt.value != "V"):
            r.pos -= 1  # that letter was the A/D column: the code is missing
            code = None
        row.transaction_code = str(code.value) if code else None
        if r.take("equity_swap_involved", "letter", letters=frozenset("V")):
            row.equity_swap_involved = True
        _amount(r, row, "shares", "total_value")
        ad = r.take("acquired_disposed", "letter", letters=frozenset("AD"))
        row.acquired_disposed = str(ad.value) if ad else None
        tail = r.rest()
        row.direct_or_indirect, di = _ownership(r, tail)
        values = _amounts(tail[:tail.index(di)] if di else tail)
        if ad is not None and ad.marks and len(values) == 1:  # "A (1) 365,910": the mark is the price's
            r.footnotes.pop("acquired_disposed", None)
            r.footnotes["price_per_share"] = ad.marks
        # Table I's price and amount owned are told apart by their kinds and order, not by where they
        # are printed: read by the headings' columns, renderings of other widths (text pulled out
        # with -layout) lost 1.8 % of their fields
        if len(values) == 1 and values[0].dollar:  # a price and no amount owned: "$" tells them apart
            values.append(Token("mark", ""))
        if len(values) >= 2:
            r._note("price_per_share", values[0])
            row.price_per_share = r.value(values[0])  # type: ignore[assignment]
        if values:
            _owned(r, row, values[-1])
        if len(values) > 2:
            ev.doubt(path, 0.5, f"more values than columns: {[t.text for t in values]}")
        row.nature_of_ownership = r.text_field("nature_of_ownership", nature_tokens)
        row.footnotes = r.footnotes
        return row
    holding = NonDerivativeHolding(security_title=title)
    path = r.path = paths[1]
    tail = r.rest()
    holding.direct_or_indirect, di = _ownership(r, tail)
    values = _amounts(tail[:tail.index(di)] if di else tail)
    if values:
        _owned(r, holding, values[0])
    if len(values) > 1:
        ev.doubt(path, 0.5, f"more values than columns: {[t.text for t in values]}")
    holding.nature_of_ownership = r.text_field("nature_of_ownership", nature_tokens)
    holding.footnotes = r.footnotes
    return holding


def _lowered(data: list[Token]) -> list[Token]:
    """A Table II row in column order when OCR read the underlying's cells (title, amount,
    price) a line above the date, code and amount: a two-line cell starts higher than a
    one-line one.  Those values go back after the exercise and expiration dates."""
    at = next((i for i, t in enumerate(data[:-1]) if t.kind == "date" and data[i + 1].kind == "letter"
               and data[i + 1].value in CODES), None)
    if at is None or at < 2:
        return data
    price = next((i for i in range(at) if data[i].kind == "number" and data[i].dollar), None)  # the conversion
    head = [data[price]] if price is not None else []
    lifted = [t for i, t in enumerate(data[:at]) if i != price]
    rest = data[at:]
    dates = [i for i, t in enumerate(rest) if t.kind == "date"]
    if not any(t.kind in ("number", "date") for t in lifted) or len(dates) < 2:
        return data
    # a lifted date is the exercise date: after the amount; amounts and words go after the dates;
    # a lifted mark, or a lone digit after the lifted date, is the exercise date's superscript
    exercise = [t for t in lifted if t.kind == "date"]
    target = exercise[0] if exercise else rest[dates[1]]
    late = []
    for i, t in enumerate(lifted):
        if t.kind == "mark" or (t.kind == "number" and len(t.text) == 1 and i and lifted[i - 1].kind == "date"):
            target.marks.extend(t.marks or [f"F{t.text}"])
        elif t.kind != "date":
            late.append(t)
    return head + rest[:dates[1]] + exercise + rest[dates[1]:dates[-1] + 1] + late + rest[dates[-1] + 1:]


def _raised_ownership(data: list[Token]) -> list[Token]:
    """A Form 3 row in column order when OCR read its price, D/I and nature a line above its
    dates and amount ("$3.74 I Trust (6)" over "(5) 04/14/2028 95,898"): those go last."""
    k = next((i for i, t in enumerate(data) if is_ownership(t)), None)
    if k is None or not all(t.kind == "number" and t.dollar for t in data[:k]):
        return data
    end = k + 1
    while end < len(data) and data[end].kind in ("text", "mark"):
        end += 1
    if not any(t.kind == "date" or (t.kind == "number" and not t.dollar) for t in data[end:]):
        return data
    return data[end:] + data[:end]


def derivative(piece: Piece, paths: tuple[str, str], form: str, cols: Columns, ev: Evidence, *, ocr: bool = False,
               stream: bool = False) -> DerivativeTransaction | DerivativeHolding:
    """A Table II row; ``ocr`` says it was read through OCR, ``stream`` also in word order."""
    if stream:
        piece.data = _lowered(piece.data) if form != "3" else _raised_ownership(piece.data)
    if piece.narrow:  # values are read by their kinds and order, not by the headings' columns
        cols = dataclasses.replace(cols, acquired=None, disposed=None, owned=None, price=None, exercisable=None,
                                   expiration=None)
    r = RowReader(piece, paths[0], ev)  # the transaction's path, or the holding's once it is one
    title_words, underlying = piece.title, piece.underlying or r.text_inside
    if ocr and not piece.underlying:
        title_words, underlying = _unwrap_common(piece, title_words, underlying)
    if not underlying:
        title_words, underlying = _two_titles(title_words)
    title = r.text_field("security_title", title_words)
    dates = [t for t in r.items if t.kind == "date"]
    # the D or I after a row's last amount is its ownership form, never its code: a holding
    # with one date (its expiration) is no transaction for it
    numbers = [i for i, t in enumerate(r.items) if t.kind == "number"]
    form_mark = next((t for t in reversed(r.items[numbers[-1] + 1:]) if is_ownership(t)), None) if numbers else None
    letters = [t for t in r.items if t.kind == "letter" and t.value in CODES and t is not form_mark]
    is_transaction = form != "3" and len(dates) >= 1 and bool(letters) and _dated_code(r.items)
    row: DerivativeTransaction | DerivativeHolding
    if is_transaction:
        row = DerivativeTransaction(security_title=title)
        conv = r.take("conversion_or_exercise_price", "number", "mark")
        row.conversion_or_exercise_price = r.value(conv)  # type: ignore[assignment]
        row.transaction_date = r.value(r.take("transaction_date", "date"))  # type: ignore[assignment]
        row.deemed_execution_date = r.value(r.take("deemed_execution_date", "date"))  # type: ignore[assignment]
        code = r.take("transaction_code", "letter", letters=CODES)
        row.transaction_code = str(code.value) if code else None
        if r.take("equity_swap_involved", "letter", letters=frozenset("V")):
            row.equity_swap_involved = True
        amount = _amount(r, row, "shares", "total_value")
        row.acquired_disposed = _column_side(amount, cols)
        second = r.peek()
        if second is not None and second.kind == "number" and not second.dollar and r.pos + 3 < len(r.items) and (
                r.items[r.pos + 1].kind in ("date", "mark")):
            r.pos += 1  # a value in both the (A) and (D) columns: keep the first
            ev.doubt(f"{r.path}.shares", 0.5, "values in both the (A) and (D) columns")
    else:
        row = DerivativeHolding(security_title=title)
        r.path = paths[1]
        if form != "3":
            conv = r.take("conversion_or_exercise_price", "number", "mark") if _price_first(r.items) else None
            row.conversion_or_exercise_price = r.value(conv)  # type: ignore[assignment]
    _dates(r, row, cols)
    if stream and isinstance(row, DerivativeTransaction):
        _blank_exercise_mark(r, row, amount)
    row.underlying_security_title = r.text_field("underlying_security_title", underlying)
    tail = r.rest()
    row.direct_or_indirect, di = _ownership(r, tail)
    values = _amounts(tail[:tail.index(di)] if di else tail)
    if _placed_underlying(r, row, values, form, cols):
        row.nature_of_ownership = r.text_field("nature_of_ownership", piece.lead + r.nature_inside + piece.nature)
        row.footnotes = r.footnotes
        return row
    priced = [t for t in values if t.dollar]
    plain = [t for t in values if not t.dollar]
    if plain:
        r._note("underlying_shares", plain[0])
        row.underlying_shares = r.value(plain[0])  # type: ignore[assignment]
    if form == "3":
        price = priced[0] if priced else (plain[1] if len(plain) > 1 else None)
        _undollared(r, "conversion_or_exercise_price", price)
        r._note("conversion_or_exercise_price", price)
        row.conversion_or_exercise_price = r.value(price)  # type: ignore[assignment]
    else:
        if len(plain) >= 2:
            r._note("shares_owned_following", plain[-1])
            row.shares_owned_following = r.value(plain[-1])  # type: ignore[assignment]
        if isinstance(row, DerivativeTransaction):
            price_tok = priced[0] if priced else (plain[1] if len(plain) > 2 else None)
            r._note("price_per_share", price_tok)
            row.price_per_share = r.value(price_tok)  # type: ignore[assignment]
        elif priced and row.conversion_or_exercise_price is None:
            r._note("conversion_or_exercise_price", priced[0])
            row.conversion_or_exercise_price = r.value(priced[0])  # type: ignore[assignment]
    row.nature_of_ownership = r.text_field("nature_of_ownership", piece.lead + r.nature_inside + piece.nature)
    row.footnotes = r.footnotes
    return row


def _amount(r: RowReader, row: NonDerivativeTransaction | DerivativeTransaction, shares: str, dollars: str,
            ) -> Token | None:
    """An amount column's value: a number of shares, or a dollar amount when the form prints
    a "$" before it (securities counted in dollars: notes, units of a fund)."""
    tok = r.peek()
    name = dollars if tok is not None and tok.kind == "number" and tok.dollar else shares
    taken = r.take(name, "number", "mark")
    setattr(row, name, r.value(taken))
    return taken


def _owned(r: RowReader, row: object, tok: Token) -> None:
    """The amount owned following the transactions, or its dollar value when printed with "$"."""
    name = "value_owned_following" if tok.kind == "number" and tok.dollar else "shares_owned_following"
    r._note(name, tok)
    setattr(row, name, r.value(tok))


def _by_column(values: list[Token], at: int | None) -> tuple[list[Token], list[Token]] | None:
    """Values left of the column at ``at`` and those in or right of it, when the page shows
    where each value is printed (a value sits inside its column, right of its heading's start)."""
    if at is None or not values or any(t.x < 0 for t in values):
        return None
    return [t for t in values if t.x < at - 1], [t for t in values if t.x >= at - 1]


def _cell(tokens: list[Token]) -> Token | None:
    """The value of one column's cell: its number, with the marks printed apart beside it
    ("$87.3506 (2)"); a cell of marks only is a value left blank and footnoted."""
    if not tokens:
        return None
    value = next((t for t in tokens if t.kind != "mark"), tokens[0])
    for t in tokens:
        if t is not value and t.kind == "mark":
            value.marks.extend(m for m in t.marks if m not in value.marks)
    return value


def _placed_underlying(r: RowReader, row: DerivativeTransaction | DerivativeHolding, values: list[Token],
                       form: str, cols: Columns) -> bool:
    """A Table II row's values after its dates, each given the column it is printed in: the
    underlying's amount (or "$" value), the price, the amount (or "$" value) owned following.
    False when the page shows no columns: the values' kinds and order decide then."""
    owned_at, price_at = (None, cols.owned) if form == "3" else (cols.owned, cols.price)
    split = _by_column(values, price_at)
    if split is None or (form != "3" and owned_at is None):
        return False
    under, rest = split
    prices, owned = _by_column(rest, owned_at) or (rest, []) if owned_at is not None else (rest, [])
    if any(sum(t.kind != "mark" for t in cell) > 1 for cell in (under, prices, owned)):
        r.ev.doubt(r.path, 0.5, f"more values than columns: {[t.text for t in values]}")
    underlying, owned_tok, price = _cell(under), _cell(owned), _cell(prices)
    if underlying is not None:
        name = "underlying_value" if underlying.kind == "number" and underlying.dollar else "underlying_shares"
        r._note(name, underlying)
        setattr(row, name, r.value(underlying))
    if owned_tok is not None:
        _owned(r, row, owned_tok)
    if form == "3" or (isinstance(row, DerivativeHolding) and row.conversion_or_exercise_price is None):
        _undollared(r, "conversion_or_exercise_price", price)
        r._note("conversion_or_exercise_price", price)
        row.conversion_or_exercise_price = r.value(price)  # type: ignore[assignment]
    elif isinstance(row, DerivativeTransaction):
        _undollared(r, "price_per_share", price)
        r._note("price_per_share", price)
        row.price_per_share = r.value(price)  # type: ignore[assignment]
    return True


def _undollared(r: RowReader, name: str, tok: Token | None) -> None:
    """A price the form prints with "$", taken from a number printed without one: perhaps an
    amount of the column beside it."""
    if tok is not None and tok.kind == "number" and not tok.dollar:
        r.ev.doubt(f"{r.path}.{name}", 0.6, f"{tok.text!r} taken as a price, printed without $")


def _two_titles(words: list[Token]) -> tuple[list[Token], list[Token]]:
    """A row's title words that name two securities back to back, parted: the derivative's
    and its underlying's, read on together where the date cells between them are blank
    ("Class B Common Stock Class A Common Stock").  A title ends in the kind of security it
    is ("Stock", "Warrants", "(Right to buy)"); what a security's name opens with after it
    begins the next ("Class", "Common")."""
    texts = [t.text for t in words]
    for k in range(len(words) - 1, 0, -1):
        if titles.opens_another(" ".join(texts[:k]), " ".join(texts[k:])):
            return words[:k], words[k:]
    return words, []


def _unwrap_common(piece: Piece, title: list[Token], underlying: list[Token]) -> tuple[list[Token], list[Token]]:
    """Read in word order, the underlying's "(Class B) Common" wrapped above its "Stock" ends a
    line of the derivative's title ("Restricted Common / Stock Units ... Stock"): give it back."""
    row_line = piece.data[0].line if piece.data else -1
    words = [titles.closest(t.text) for t in underlying]
    if "common" in words:
        if "stock" not in words:  # "Preferred Stock" below the row: the last word is the underlying's
            last = [t for t in title if t.line > row_line]
            if len(last) >= 2 and titles.closest(last[-1].text) == "stock" and any(t.line == last[-1].line
                                                                                   for t in last[:-1]):
                return [t for t in title if t is not last[-1]], [*underlying, last[-1]]
        return title, underlying
    lines: dict[int, list[Token]] = {}
    for t in title:
        lines.setdefault(t.line, []).append(t)
    for line, toks in lines.items():
        if line != row_line and titles.common_wrap([t.text for t in toks]):
            moved = toks[-3:] if len(toks) >= 3 and toks[-3].text.lower() == "class" else toks[-1:]
            kept = [t for t in title if all(t is not m for m in moved)]
            if kept:
                return kept, moved + underlying
    return title, underlying


def _dated_code(items: list[Token]) -> bool:
    """A transaction row has a code letter right after its date(s)."""
    for i, t in enumerate(items):
        if t.kind == "date":
            rest = items[i + 1:i + 3]
            return any(x.kind == "letter" for x in rest) or not any(x.kind == "date" for x in rest[:1])
    return False


def _price_first(items: list[Token]) -> bool:
    return bool(items) and (items[0].dollar or (items[0].kind == "mark" and len(items) > 1
                            and items[1].kind in ("date", "mark")))


def _dates(r: RowReader, row: DerivativeTransaction | DerivativeHolding, cols: Columns) -> None:
    """Date exercisable and expiration date: dates or footnote-only marks, in that order."""
    found: list[Token] = []
    while (tok := r.peek()) is not None and len(found) < 2:
        if tok.kind == "letter" and found and found[-1].kind == "date" and r.pos + 1 < len(r.items) and (
                r.items[r.pos + 1].kind == "date"):  # "11/11/2021 J 11/09/2030": a mark OCR read as a letter
            r.ev.doubt(f"{r.path}.footnotes", 0.6, f"{tok.text!r} between the two dates: a mark misread")
            r.pos += 1
            continue
        if tok.kind not in ("date", "mark"):
            break
        found.append(tok)
        r.pos += 1
    if len(found) == 1 and found[0].x >= 0 and cols.exercisable is not None and cols.expiration is not None:
        if abs(found[0].x - cols.exercisable) > abs(found[0].x - cols.expiration):
            found.insert(0, Token("mark", ""))
        else:
            found.append(Token("mark", ""))
    elif len(found) == 1:
        # a derivative cannot be traded after it expires: a date before the trade is when it became exercisable
        traded = getattr(row, "transaction_date", None)
        if traded is not None and isinstance(found[0].value, dt.date) and found[0].value < traded:
            found.append(Token("mark", ""))
        else:
            found.insert(0, Token("mark", ""))
        r.ev.doubt(f"{r.path}.exercise_date", 0.7, "one date printed for the two date columns")
        r.ev.doubt(f"{r.path}.expiration_date", 0.7)
    if found:
        r._note("exercise_date", found[0])
        row.exercise_date = r.value(found[0])  # type: ignore[assignment]
        r._note("expiration_date", found[1])
        row.expiration_date = r.value(found[1])  # type: ignore[assignment]


def _blank_exercise_mark(r: RowReader, row: DerivativeTransaction, amount: Token | None) -> None:
    """"36,046 (2) 09/17/2029": a mark set apart after the amount, where the date exercisable
    is blank, is that cell's own (vesting told in a footnote) rather than the amount's."""
    if (amount is None or not amount.loose or not amount.marks or row.exercise_date is not None
            or row.expiration_date is None or "exercise_date" in r.footnotes):
        return
    mark = amount.marks[-1]
    shares = r.footnotes["shares"]
    shares.remove(mark)
    if not shares:
        del r.footnotes["shares"]
    r.footnotes["exercise_date"] = [mark]
    r.ev.doubt(f"{r.path}.footnotes", 0.7, f"mark {mark} after the amount taken as the blank date exercisable's")


def _column_side(amount: Token | None, cols: Columns) -> str | None:
    if amount is None or amount.x < 0 or cols.acquired is None or cols.disposed is None:
        return None
    return "A" if abs(amount.x - cols.acquired) <= abs(amount.x - cols.disposed) else "D"
