"""Text pulled out of a printed form, cleaned and cut into positioned chunks.

Every kind of extracted text (``pdftotext -layout``, ``-raw``, Tesseract, cell-split OCR)
becomes a list of :class:`Line`; each line holds :class:`Chunk` s, runs of text separated by
a wide gap.  Only layout-preserving text has meaningful ``x`` positions
(:attr:`Page.positioned`); the readers use them to tell columns apart when they can.
"""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass

from form4.readers.text import grid, spelling

_UNICODE = str.maketrans({
    "\u207d": "(", "\u207e": ")", "\u2070": "0", "\u00b9": "1", "\u00b2": "2", "\u00b3": "3",
    "\u2074": "4", "\u2075": "5", "\u2076": "6", "\u2077": "7", "\u2078": "8", "\u2079": "9",
    "\u2018": "'", "\u2019": "'", "\u201c": '"', "\u201d": '"', "\u00a0": " ", "\u2013": "-",
    "\u2014": "-", "\ufffe": "-", "\u00ad": "-", "\u2022": " ", "\ufeff": "", "\f": "\n", "\r": "",
})
_NON_ASCII = re.compile(r"[^\x00-\x7f]")
_CHUNK = re.compile(r"\S+(?: \S+)*")  # words apart by single spaces
_BOX = re.compile(r"\[\s?([Xx]?)\s?\]")  # "[X] Director" on forms typed before 2003
_RULE_ONLY = re.compile(r"^[\s|=_+-]*$")
# "|$108.8157|": a rule read into a word (patterns lead with a character, not a look-behind,
# so the regex engine can skip ahead to candidates: several times faster on whole pages)
_PIPE_EDGE = re.compile(r"\|(?:(?<=\S.)(?!\S)|(?<!\S.)(?=\S))")
_AMOUNT = re.compile(r"\(?\$?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?\)?[.,]?|[\d/]+")  # an amount or a date
_FULL_DATE = re.compile(r"\d{2}/\d{2}/\d{4}")
_TYPED_RULE = re.compile(r"[-=_]{20,}")
_PIPED = re.compile(r"^\s*\|(?:[^|\n]*\|){3,}\s*$")  # a table row typed between pipes
_PIPED_OPEN = re.compile(r"^[^|\n]*\|(?:[^|\n]*\|){3,}\s*$")  # on a piped page: its left pipe may be missing
# OCR's reading of ruled lines: words made only of rule-like marks (a lone "-" is a dash, kept by _blank)
_RULE_MARK = r"[|!:;.,'\"`_~{}\\/=\u00a9\u00ae\u00b0-]"
_NOISE = re.compile(rf"{_RULE_MARK}(?<!\S.){_RULE_MARK}*(?!\S)")


class Chunk:
    """A run of words; plain classes here and in :class:`Line` so mypyc compiles ``__init__``."""

    __slots__ = ("text", "x")

    def __init__(self, text: str, x: int) -> None:
        self.text = text
        self.x = x  # character column of the chunk's first character

    def __repr__(self) -> str:
        return f"Chunk({self.text!r}, {self.x})"

    @property
    def end(self) -> int:
        return self.x + len(self.text)


class Line:
    __slots__ = ("_lower", "_text", "chunks", "edges", "number", "typed")

    def __init__(self, number: int, chunks: list[Chunk] | None = None, typed: str = "",
                 edges: tuple[int, ...] = ()) -> None:
        self.number = number
        self.chunks: list[Chunk] = [] if chunks is None else chunks
        self._text: str | None = None
        self._lower: str | None = None
        self.typed = typed  # "cells" or "rule": a row or a rule of a table typed with "|"
        self.edges = edges  # of a typed table's line: where each cell starts, then where the last ends

    def __repr__(self) -> str:
        return f"Line({self.number}, {self.chunks!r})"

    @property
    def text(self) -> str:
        """The line's chunks joined by one space (read often, so kept once made)."""
        if self._text is None:
            self._text = " ".join(c.text for c in self.chunks)
        return self._text

    @property
    def lower(self) -> str:
        """The text in lower case: labels are first looked for as plain words in it."""
        if self._lower is None:
            self._lower = self.text.lower()
        return self._lower


@dataclass(slots=True)
class Page:
    lines: list[Line]
    positioned: bool  # chunk x positions follow the printed columns
    torn: bool  # words were cut by cell borders (tabs inside words)
    rule_marks: int = 0  # words made of ruled-line marks: only OCR reads rules as text
    ruled: bool = False  # tables typed with "|" between cells, as filed before 2003
    scanned: bool = False  # words form4 read off a page image itself

    @property
    def ocr(self) -> bool:
        """Whether the text came through OCR: text layers show no rule marks and no torn cells."""
        return self.scanned or self.torn or self.rule_marks >= 5


def _mend_tears(text: str) -> str:
    """Every tab a cell border put between two printed characters, mended (see :func:`_mend`);
    the other tabs become wide gaps."""
    parts = text.split("\t")
    out: list[str] = []
    inside = False  # an empty cell inside a sentence: "Name<tab><tab>and Address"
    for i in range(len(parts) - 1):
        part, nxt = parts[i], parts[i + 1]
        if part and nxt and not part[-1].isspace() and not nxt[0].isspace():
            # the word left of the tab, whole when a tear before it was mended
            word = (_letters("".join(out[-2:]) + part if part[0].isalpha() else part, -1)
                    if part[-1].isalpha() and nxt[0].isalpha() else "")
            if part[-1].isdigit() and nxt[0].isdigit():  # the amount left of the tab, as mended so far
                word = ("".join(out[-4:]) + part).rsplit(None, 1)[-1]
            out.append(part[:-1])
            out.append(_mend(parts, i, word))
            inside = False
        else:
            on = not nxt and _sentence_on(parts, i)
            out.append(part)
            out.append("" if inside else " " if on else "  ")
            inside = not inside and on
    out.append(parts[-1])
    return "".join(out)


_ORDINAL = re.compile(r"\d+(?:ST|ND|RD|TH)", re.I)
_GROUPS = re.compile(r"^\$?\d{1,3}(?:,\d{3})+(?:\.\d+)?$")
_PRICE_OR_DATE = re.compile(r"^\$\d+\.(?:\d\d|\d{4})$|^\d{1,2}/\d{1,2}/(?:\d\d|\d{4})$")  # or a whole date


def _well_formed(amount: str) -> int:
    """2 for an amount or date printed as forms print them (thousands grouped by threes,
    dollars with cents), 0 for one that is not ("358,70", "$13.2", "7/21/1"), 1 for bare digits."""
    if _GROUPS.match(amount) or _PRICE_OR_DATE.match(amount):
        return 2
    return 0 if "," in amount or "." in amount or "/" in amount else 1


def _sentence_on(parts: list[str], i: int) -> bool:
    """Whether an empty cell after cell ``i`` sits between a word and the next in lower case."""
    return not parts[i + 1] and i + 2 < len(parts) and parts[i][-1:].isalpha() and parts[i + 2][:1].islower()


def _fragment(cell: str) -> bool:
    return len(cell) <= 2 and cell.isalpha()


def _verdict(parts: list[str], i: int, word: str) -> str | None:
    """The dictionary's reading of the letters either side of tab ``i`` (``word`` on the left,
    whole when an earlier border tore it too); when a side is a cell of a letter or two
    ("The<tab>p<tab>rice"), also with the word going on across the next border."""
    part, nxt = parts[i], parts[i + 1]
    verdict = spelling.tear(word, _letters(nxt, 1))
    if verdict is None:
        left = (_letters(parts[i - 1], -1) if i and _fragment(part) else "") + _letters(part, -1)
        torn_again = _fragment(nxt) or nxt.isalpha()  # "Person's<tab>immed<tab>iate"
        right = _letters(nxt, 1) + (_letters(parts[i + 2], 1) if i + 2 < len(parts) and torn_again else "")
        verdict = spelling.tear(left, right)
    return verdict


def _after_amount(part: str) -> bool:
    """Whether a cell ends in a lone letter after an amount ("300,177 I"): a value of its own."""
    return len(part) > 2 and part[-2] == " " and part[-3].isdigit()


def _begins_next(parts: list[str], i: int, amount: str) -> bool:
    """"$41.18<tab>3<tab>29,688": a cell of a digit or two after a whole amount, torn again on
    its other side, begins the next amount rather than ending this one."""
    frag = parts[i + 1]
    if not (frag.isdigit() and len(frag) <= 2 and i + 2 < len(parts) and parts[i + 2][:1].isdigit()):
        return False
    following = frag + parts[i + 2].split(None, 1)[0]
    return _well_formed(amount) == 2 and _well_formed(following) == 2 and _well_formed(amount + frag) < 2


def _mend(parts: list[str], i: int, word: str) -> str:
    """The last character of cell ``i`` and what stands for the tab after it: join a word a
    cell border tore in two (OCR of both cells often repeats the torn character), keep two
    words or two amounts apart."""
    part, nxt = parts[i], parts[i + 1]
    left, right = part[-1], nxt[0]
    then = nxt[1] if len(nxt) > 1 and not nxt[1].isspace() else ""
    if left.isalpha() and right.isalpha():
        if right in "xX" and nxt[1:2] in ("", " "):
            return f"{left} "  # "Director<tab>x 10% Owner": a tick
        verdict = _verdict(parts, i, word)
        if verdict is not None:
            return left if verdict == "join" else "" if verdict == "repeat" else f"{left} "
        if len(_letters(part, -1)) == 1 and ((right.isupper() and then.islower()) or _after_amount(part)):
            return f"{left} "  # "Class A<tab>Common": a class letter, then a word; "300,177 I<tab>owt": a D/I
        if (right.islower() and then.isupper()) or (left.islower() and right.isupper()) or (
                len(word) > 1 and word.isupper() and right.isupper() and then.islower()):
            return f"{left} "  # "Rossi<tab>Elena", "FBO<tab>Brittany": a new word; "belov<tab>vP": OCR's case
        return "" if left.lower() == right.lower() else left
    if left.isdigit() and right.isdigit():
        joined = part.rsplit(None, 1)[-1] + nxt.split(None, 1)[0]
        if _FULL_DATE.fullmatch(joined):  # "12/1<tab>2/2024"
            return left
        if left == right:  # "9<tab>94402", "44<tab>4,394": the digit under the border read twice,
            dropped = part.rsplit(None, 1)[-1] + nxt.split(None, 1)[0][1:]  # unless only both make
            if "/" in dropped and not _well_formed(joined) and not _well_formed(dropped):
                return f"{left} "  # "400<tab>03/18/": a number, then a date
            return left if _well_formed(joined) > _well_formed(dropped) else ""  # an amount: "358,70<tab>0"
        if _begins_next(parts, i, word):
            return f"{left} "
        # "$163.4<tab>3" and "3<tab>8TH" (a floor) are torn; "$0<tab>373,792" are two
        return left if _AMOUNT.fullmatch(joined) or _ORDINAL.fullmatch(joined) else f"{left} "
    if left == right or (left == "." and right.isdigit()):  # "$<tab>$0.01", "$0.<tab>.01", "$0.<tab>01"
        return "" if left == right else left
    if left == "," and (right.isalpha() or not part[-2:-1].isdigit()):
        return ", "  # "Trust,<tab>of which", "ST.,<tab>38TH FLOOR"
    after = nxt[1:2] or (parts[i + 2][:1] if i + 2 < len(parts) else "")
    if right == "/" and left.isupper() and after.isupper():
        return f"{left} "  # "CORP<tab>/NV/", "CORP<tab>/<tab>NV/": the state of a company's name
    if left in "(,/$<" or right in "),/.;:%'>" or (left == "-" and right.isdigit() and part[-2:-1].isalnum()):
        return left  # "trustee<tab>.", "Company<tab>'s", "10b5-<tab>1"
    return f"{left} "


_POSSESSIVE = {f"{c}'" for c in "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"}


def _letters(text: str, direction: int) -> str:
    """The run of letters that ends ``text`` (direction -1, with an apostrophe inside: "Person's")
    or starts it (1)."""
    if direction < 0:
        start = len(text)
        while start > 0 and (text[start - 1].isalpha() or text[start - 2:start] in _POSSESSIVE):
            start -= 1
        return text[start:]
    end = 0
    while end < len(text) and text[end].isalpha():
        end += 1
    return text[:end]


def _cells(text: str, number: int) -> Line:
    """A row of a table typed with "|": each cell a chunk, placed where its text starts."""
    line = Line(number, typed="cells")
    if _RULE_ONLY.match(text):
        line.typed = "rule"
        return line
    start = 0
    edges = []
    for cell in text.rstrip().removesuffix("|").split("|"):
        words = tidy(cell)
        if words:
            line.chunks.append(Chunk(words, start + len(cell) - len(cell.lstrip())))
        edges.append(start)
        start += len(cell) + 1
    line.edges = (*edges, start - 1)
    return line


def _aligned(text: str, number: int, starts: list[int]) -> Line:
    """A line of a table typed in columns aligned by spaces: each cell a chunk (see :mod:`grid`)."""
    if _RULE_ONLY.match(text):
        return Line(number, typed="rule")
    return Line(number, [Chunk(words, x) for x, words in grid.cells(text, starts)], typed="cells", edges=())


def _split(text: str, number: int, torn: bool) -> Line:
    """One line cut into chunks."""
    line = Line(number)
    if not text:  # every other line of OCR output
        return line
    if ("---" in text or "===" in text or "___" in text) and _RULE_ONLY.match(text):
        line.typed = "rule" if sum(ch in "-=_" for ch in text) >= 10 else ""
        return line
    if "  " not in text:  # one chunk: the common case of text not laid out in columns
        words = text.strip()
        line.chunks = [Chunk(words, len(text) - len(text.lstrip()))] if words else []
    else:
        line.chunks = [Chunk(m.group(), m.start()) for m in _CHUNK.finditer(text)]
    if torn:  # a chunk that is the start of the next one is the same text torn at a border
        for c, nxt in zip(line.chunks, line.chunks[1:], strict=False):
            last = c.text.rsplit(" ", 1)[-1]
            if nxt.text.startswith(last) and len(last) < len(nxt.text.split(" ", 1)[0]):
                c.text = c.text[:len(c.text) - len(last)].rstrip()
        line.chunks = [c for c in line.chunks if c.text]
    return line


def _plain(match: re.Match[str]) -> str:
    char = match.group()
    return char.translate(_UNICODE)


def _blank(match: re.Match[str]) -> str:
    marks = match.group()
    return marks if marks == "-" else " " * len(marks)


def tidy(text: str) -> str:
    """A chunk's words without the stray rule marks OCR leaves between them."""
    return " ".join(_unruled(text).split())


def _unruled(text: str) -> str:
    """OCR'd text with its rule marks blanked, every column kept in place; a bar between an
    amount and the nature of an indirect holding is no rule but the ownership form's "I"."""
    return _NOISE.sub(_blank, _PIPE_EDGE.sub(" ", _BAR_FOR_I.sub(lambda m: f"{m.group(1) or m.group(2)}I", text)))


# "169,888,140 | by Trust", "1,862 | Fund IV, L.P.": OCR's bar for the I that a nature of indirect
# ownership goes with (only the D/I column stands between an amount owned and a nature; a year
# or a date is no amount, and the words of a security's title open no nature)
_BAR_FOR_I = re.compile(r"(\d\s+)\|(?=\s+(?i:by|see|through|held)\b)|(?<![\w/.,])(\d{1,3}(?:,\d{3})*\s+)\|"
                        r"(?=\s+(?!Common|Class|Series|Stock|Preferred|Ordinary)[A-Z][a-z]{2,})")


def clean(text: str) -> str:
    """Typographic characters as plain ASCII (superscript marks, quotes, dashes, soft hyphens)."""
    if not text.isascii():  # few characters to replace: look them up one by one
        text = _NON_ASCII.sub(_plain, text)
    text = text.replace("\\$", "$").replace("\r", "").replace("\f", "\n")
    if "[" in text:
        text = _BOX.sub(lambda m: f" {m.group(1).upper() or ' '} " if len(m.group(0)) == 3 else " " * len(m.group(0)),
                        text)
    return text


# OCR reads a name's "ü" as "ii" ("Miiller"): a capitalised word with "ii" between consonants
_UMLAUT = re.compile(r"\b[B-DF-HJ-NP-TV-Z]ii[b-df-hj-np-tv-z][a-z]*\b")


def _umlaut(match: re.Match[str]) -> str:
    word = match.group()
    return word if spelling.known(word) else word[0] + "\u00fc" + word[3:]


def umlauts(text: str) -> str:
    """OCR text with each name's "ii" read for "\u00fc" put back."""
    return _UMLAUT.sub(_umlaut, text) if "ii" in text else text


# OCR reads a roman numeral's capital I as a small l ("Fund Il", "FF-Ill", "FF-l") and its V as a
# small v ("Fund Iv"): a word of I, l (after V or X) that mixes the two, a lone l ending a word in
# capitals and a hyphen, or a small v after I or X
_ROMAN = re.compile(r"\b[VX]?(?=[Il]*I)(?=[Il]*l)[Il]{2,3}\b|(?<=\b[A-Z]{2}-)l\b|\b[VX]l{1,3}\b|\b[IX]{1,3}v\b")


def romans(text: str) -> str:
    """OCR text with the roman numerals it read with small letters in capitals again."""
    return _ROMAN.sub(lambda m: m.group().replace("l", "I").replace("v", "V"), text)  # l is I's look-alike, not L's


def _pipes_line_up(lines: list[str]) -> bool:
    """Whether lines typed with "|" between cells but no left border (a title's cell first)
    form a table: pairs of lines one above the other whose pipes stand at the same places
    (OCR's rule marks never line up so)."""
    pipes = [tuple(i for i, ch in enumerate(s) if ch == "|") if s.count("|") >= 4 and _PIPED_OPEN.match(s) else ()
             for s in lines]
    return sum(1 for a, b in itertools.pairwise(pipes) if a and a == b) >= 2


def page_of(text: str) -> Page:
    """Clean extracted text and cut it into lines of chunks."""
    garbled = len(_GARBLED_MARK.findall(text))
    text = clean(text)
    torn = text.count("\t") > 20
    if torn:
        text = _mend_tears(text)
    raw_lines = text.split("\n")
    piped = text.count("|") >= 12 and (sum(1 for s in raw_lines if s.count("|") >= 4 and _PIPED.match(s)) >= 3
                                       or _pipes_line_up(raw_lines))
    # OCR reads the form's ruled lines as "|"; text layers and typists' rules have none
    marks = 0 if piped else text.count("|")
    # forms typed before 2003 draw rules with runs of - = _ (OCR'd pages are full of rule marks)
    rules = 0 if marks >= 5 or not ("-" * 20 in text or "=" * 20 in text or "_" * 20 in text) else len(
        _TYPED_RULE.findall(text))
    if garbled and not piped:  # counted with the rule marks: either is OCR's and no text layer's
        marks = max(marks, 5)
    if (torn or marks >= 5) and not piped:  # OCR'd: blank the rule marks between words, keeping every column in place
        text = romans(umlauts(text))
        if "{" in text or "}" in text:  # braces no form prints: rule marks OCR ran into a value ("{$136.96")
            text = text.replace("{", " ").replace("}", " ")
        raw_lines = _unruled(text).split("\n")
    # forms typed before 2003 in columns aligned by spaces: cells cut where the headings start
    aligned = grid.aligned_tables(raw_lines) if rules and not (piped or torn) else {}
    ruled = piped or rules >= 3 or bool(aligned)
    lines = [_cells(s, i) if piped and _PIPED_OPEN.match(s) else
             _aligned(s, i, aligned[i]) if i in aligned else _split(s.rstrip(), i, torn)
             for i, s in enumerate(raw_lines)]
    wide = text.count("     ")  # wide gaps: columns kept by the extraction
    positioned = not torn and (piped or bool(aligned) or wide > max(10, len(raw_lines) // 8))
    if not (positioned or torn or marks >= 5):
        _punctuation_back(lines)
    return Page(lines, positioned, torn, marks, ruled)


# a raised footnote mark OCR garbled ("2,300°", "(?)", "$1,152.05”)"): no text layer prints one
_GARBLED_MARK = re.compile(r"\d[\u00b0\u2122\u00ae\u00a9\u00bb\u00ab]|\([?\u00b0\u201d\u201c]\)")


_LEADING_STOP = re.compile(r"^[.,;:]+(?:\(\d{1,2}\))*(?= |$)")


def _punctuation_back(lines: list[Line]) -> None:
    """A text layer's lines in reading order (``pdftotext -raw``) that begin with a full stop or
    a comma: the extraction broke the line before it ("Fund, L.P" / ".(2) which is"), for no
    printed line begins so; the stop, with the marks after it, goes back to its word."""
    previous: Line | None = None
    for line in lines:
        if not line.chunks:
            continue
        first = line.chunks[0]
        m = _LEADING_STOP.match(first.text) if previous is not None else None
        if m and previous is not None and previous.chunks[-1].text[-1:].isalnum():
            last = previous.chunks[-1]
            last.text += m.group()
            previous._text = previous._lower = None
            first.text = first.text[m.end():].lstrip()
            line.chunks = [c for c in line.chunks if c.text]
            line._text = line._lower = None
            if not line.chunks:
                continue
        previous = line
