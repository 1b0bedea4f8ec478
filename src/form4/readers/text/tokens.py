"""Values as printed on the form, read back through OCR noise: numbers, dates, marks."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from form4.readers.text.memo import Memo

_MARK = r"\((?:\d{1,2}|[Il|])\)"
MARKS = re.compile(rf"(?:{_MARK})+$")
_MARK_ONE = re.compile(r"\((\d{1,2}|[Il|])\)")
DATE = re.compile(r"^(\d{1,2})\s?/\s?(\d{1,2})\s?/\s?(\d{4}|\d{2})(?![\d/])")
_ANY_DATE = re.compile(r"(?<![\d/])(\d{1,2})\s?/\s?(\d{1,2})\s?/\s?(\d{4}|\d{2})(?![\d/])"
                       r"|\b(Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec)[a-z]*\.?\s+(\d{1,2}),?\s+(\d{4})\b",
                       re.I)
MONTHS = {m: i for i, m in enumerate(("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov",
                                       "dec"), 1)}
_RULE_LETTERS = frozenset("iljf")
_GARBLED_DATE = re.compile(r"^\w{1,3}/\w{1,3}/\w{2,4}$|^\w{1,3}/\w{4}$")  # "g/9q/a995", "94/9995"
_FRACTION = re.compile(r"^(\d{1,2})/(\d{1,3})$")
_LOST_MARK = re.compile(r"^([A-Z]|\$?[\d,.]*\d)[o°®©)\]}'\"!*_|\u00bb\u00ab\u2122]+$")
_LOST_ENDS = frozenset("o°®©)]}'\"!*_|\u00bb\u00ab\u2122")
_WORD_MARK = re.compile(r"^([A-Za-z]{2,})\(?[°®©!?'\"\u2122\u00bb\u00ab\u201d]+\)?$")  # "Trust(?)": a mark misread
# an abbreviation's full stop, then symbols no word is spelled with: its raised mark, misread
_ABBREVIATION_MARK = re.compile(r"^((?:[A-Za-z]+\.){1,4})\(?[?&°®©!'\"\u2122\u00bb\u00ab\u201d]+\)?$")
_SUPERSCRIPT_ENDS = frozenset("°®©!?\")\u2122\u00bb\u00ab\u201d")  # not "'": "Trust'" may be a possessive
_PRICE_MARK = re.compile(r"^(\$\d[\d,]*\.\d{4})(\d)$")  # "$87.35062": a price to 4 places, then its mark
_MERGED_MARK = re.compile(r"^(\$?\d{1,3}(?:,\d{3})*,\d{3})(\d)$")
_NUMBER = re.compile(r"^\(?\$?\s?(-?[0-9OoIl|,]*[0-9][0-9OoIl|,]*(?:\.[0-9OoIl]+)?)\)?$")
_MARK_RESIDUE = re.compile(r"^[)'\u2019\u201d\"°®©@]+$")  # a bracket or quote alone (braces are rules)
_GROUPED = re.compile(r"^-?\d{1,3}(?:,\d{3})*(?:\.\d+)?$|^-?\d+(?:\.\d+)?$")
_DIGIT_LIKE = str.maketrans({"O": "0", "o": "0", "I": "1", "l": "1", "|": "1"})
# A raised footnote mark after a value or a code letter, as Tesseract garbles its brackets and
# digits: "400(?)", "1,300!?)", "3,300!2)", "316°?)", "$1,153.38(°)", "$1,149.327(”", "s@)", "M(?)"
_QUOTES = "'\u2018\u2019\"\u201c\u201d"  # straight and curly quotes
_OPENERS = f"(!°*@{{[®©{_QUOTES}"
_CLOSERS = ")%°\"\u201d"
_GARBLE = rf"\d?°%®©@*¢!(){{}}\[\]+{_QUOTES}"
_GARBLED_MARK = re.compile(rf"^(\$?(?:\d{{1,3}}(?:,\d{{3}})+|\d+)(?:\.\d+)?)([(!°*@{{\[®©?%¢{_QUOTES}][{_GARBLE}]*)$")
_CODE_MARK = re.compile(rf"^([A-Za-z])((?:[(@®©][{_GARBLE}tilI|]*|[{_GARBLE}tilI|]*\)))$")  # "s@)", "s(t)"
_LONE_MARK = re.compile(rf"^[(!°*@{{\[{_QUOTES}][{_GARBLE}tilI|]{{0,2}}[)\"\u201d]$"
                        rf"|^[(@®©](?:[?°{_QUOTES}]\)?|\))$")  # "(?)", "©)"
_UNCLOSED = re.compile(r".\(\d{1,2}$")  # "9,657(2", "s(2": a mark that lost its ")"
_ONE_LIKE = str.maketrans({"t": "1", "i": "1", "l": "1", "I": "1", "|": "1"})
_UNBRACKETED = re.compile(r"^(\d{3})(\d)\)$")  # "6007)": 600 and its mark, which lost its "("
# "$1,045.3878)": a price and maybe the digits of its mark, whose "(" OCR lost (lost_marks tells
# them apart by the places the form's other prices are printed to)
PRICE_UNBRACKETED = re.compile(r"^\$\d{1,3}(?:,\d{3})*\.(\d{2,6})\)$")


def garbled_marks(tail: str) -> list[str]:
    """The mark a garbled raised bracket stands for: its number when only its brackets were
    misread ("!2)" is (2)), none when its digits were too (the mark is kept out, not invented)."""
    body = tail[1:] if tail[0] in _OPENERS else tail
    body = body[:-1] if body and body[-1] in _CLOSERS else body
    body = body.translate(_ONE_LIKE)
    return [f"F{int(body)}"] if body.isdigit() and len(body) <= 2 and int(body) else []


class Token:
    """One printed value with its footnote marks; ``kind`` is date, number, mark, letter or text.

    A plain class, not a dataclass: mypyc compiles its ``__init__``, and tokens are made by
    the thousand per form."""

    __slots__ = ("dollar", "doubtful", "kind", "line", "loose", "lost", "marks", "text", "value", "x")

    def __init__(self, kind: str, text: str, value: Any = None, marks: list[str] | None = None,
                 dollar: bool = False, doubtful: bool = False, x: int = -1, line: int = -1,
                 lost: bool = False) -> None:
        self.kind = kind
        self.text = text
        self.value = value  # a float, a date or a letter, by kind
        self.marks: list[str] = [] if marks is None else marks
        self.dollar = dollar
        self.doubtful = doubtful  # read through an OCR repair
        self.x = x
        self.line = line
        self.loose = False  # its last mark was read as a word of its own ("2,584 (1)")
        self.lost = lost  # a raised mark was printed after it, garbled (its number read or not)

    def __repr__(self) -> str:
        return f"Token({self.kind!r}, {self.text!r}, {self.value!r}, {self.marks!r})"


def split_marks(text: str) -> tuple[str, list[str]]:
    """``757,756(1)(2)`` -> (``757,756``, [F1, F2])."""
    if not text.endswith(")"):  # most words: no regex needed
        return text, []
    found = MARKS.search(text)
    if not found or (found.start() == 0 and not text.startswith("(")):
        return text, []
    marks = [f"F{m if m.isdigit() else '1'}" for m in _MARK_ONE.findall(found.group(0))]
    return text[:found.start()].rstrip(), marks


def year_of(text: str) -> int:
    """Two-digit years, as forms typed before 2003 give them: 98 is 1998, 01 is 2001."""
    year = int(text)
    return year if len(text) == 4 else (2000 + year if year < 50 else 1900 + year)


def parse_date(text: str) -> dt.date | None:
    m = DATE.match(text)
    if not m:
        return None
    try:
        return dt.date(year_of(m.group(3)), int(m.group(1)), int(m.group(2)))
    except ValueError:
        return None


def _unslashed(digits: str) -> dt.date | None:
    """MMDDYYYY, when it is a date of the years forms were filed."""
    if digits[4:6] not in ("19", "20"):
        return None
    try:
        return dt.date(int(digits[4:]), int(digits[:2]), int(digits[2:4]))
    except ValueError:
        return None


def find_date(text: str) -> tuple[re.Match[str], dt.date | None] | None:
    """The first date in a line of text, numeric (06/04/01, 06/04/2001) or written (July 10, 2001)."""
    m = _ANY_DATE.search(text)
    if m is None:
        return None
    try:
        if m.group(1):
            return m, dt.date(year_of(m.group(3)), int(m.group(1)), int(m.group(2)))
        return m, dt.date(int(m.group(6)), MONTHS[m.group(4).lower()[:3]], int(m.group(5)))
    except ValueError:
        return m, None


def parse_number(text: str) -> tuple[float | None, bool]:
    """A printed number (``$1,234.50``, OCR ``1,2O4``); the flag says an OCR repair was needed."""
    m = _NUMBER.match(text.strip())
    if not m:
        return None, False
    raw = m.group(1)
    fixed = raw.translate(_DIGIT_LIKE)
    doubtful = fixed != raw or not _GROUPED.match(fixed)
    try:
        value = float(fixed.replace(",", ""))
    except ValueError:
        return None, False
    return value, doubtful


def classify(word: str, x: int = -1, line: int = -1) -> Token:
    """The kind of one whitespace-free word of a table row (a fresh token: rows add marks)."""
    t = _readings(word)
    return Token(t.kind, t.text, t.value, list(t.marks), t.dollar, t.doubtful, x, line, t.lost)


_STRAY_LEAD = re.compile(r"^[|(\"\u201c\u2018](?=\$\d|\d{1,2}/\d{1,2}/\d{2,4}$)")  # "|$22.6513", "|07/19/2017"
_STRAY_END = re.compile(r"^[A-Za-z]{2,}[|\]]$")  # "Common|", "Common]": a rule OCR read onto the word


def _reading(word: str) -> Token:
    """The token a word reads as, placed nowhere (``classify`` places a copy)."""
    if _STRAY_LEAD.match(word):
        word = word[1:]
    elif _STRAY_END.match(word):
        word = word[:-1]
    text, marks = split_marks(word)
    if not text:
        return Token("mark", word, marks=marks)
    if not marks and (garbled := _garbled(text)) is not None:
        return garbled
    slashed = "/" in text
    if slashed and DATE.match(text):
        date = parse_date(text)
        return Token("date", text, date, marks, doubtful=date is None)
    if slashed and _GARBLED_DATE.match(text) and sum(ch.isdigit() for ch in text) >= 3:  # "g/9q/a995"
        return Token("date", text, None, marks, doubtful=True)  # a date OCR mangled
    if len(text) == 8 and text.isdigit() and (date := _unslashed(text)):  # "02282015": OCR lost the slashes
        return Token("date", text, date, marks, doubtful=True)
    if len(text) == 1 and text.isalpha():
        return Token("letter", text.upper(), text.upper(), marks)
    if len(text) == 2 and text[0].isupper() and text[1] == text[0].lower():
        return Token("letter", text[0], text[0], marks, doubtful=True)  # Tesseract's "Ss" for S
    if text[-1] == ")" and text[:-1].isdigit() and len(text) <= 3:  # "2)": a mark that lost its "("
        return Token("mark", word, marks=[*marks, f"F{text[:-1]}"], doubtful=True)
    lost = _LOST_MARK.match(text) if text[-1] in _LOST_ENDS else None
    if lost:  # "G°", "F0)", "8,097°)": OCR read the footnote mark after a value as noise
        text = lost.group(1)
        if len(text) == 1:
            return Token("letter", text, text, marks, doubtful=True, lost=not marks)
    speck = text[-1] in ".," and "," in text[:-1] and bool(_GROUPED.match(text[:-1].lstrip("$")))
    if speck:  # "18,837.": a speck after a grouped amount
        text = text[:-1]
    if text in ("$o", "$O"):  # "$0" with OCR's letter for the digit
        return Token("number", text, 0.0, marks, True, True)
    if any(ch.isdigit() for ch in text):
        number, doubtful = parse_number(text)
        doubtful = doubtful or speck
        merged = _MERGED_MARK.match(text) if doubtful else _PRICE_MARK.match(text)
        if merged:  # "19,5792": the mark (2) read as one more digit
            number, _ = parse_number(merged.group(1))
            marks = [*marks, f"F{merged.group(2)}"]
            doubtful = True
        if number is not None:
            return Token("number", text, number, marks, "$" in text, doubtful or bool(lost),
                         lost=bool(lost) and not marks)
    if text[-1] in _SUPERSCRIPT_ENDS and (word_mark := _WORD_MARK.match(text)):
        # "Trust®)": a mark after a word, read as a symbol
        return Token("text", word_mark.group(1), marks=marks, lost=not marks)
    if "." in text and (word_mark := _ABBREVIATION_MARK.match(text)):  # "L.P.?", "L.P.&"
        return Token("text", word_mark.group(1), marks=marks, lost=not marks)
    return Token("text", text, marks=marks)


def _garbled(text: str) -> Token | None:
    """A value or code letter whose raised mark OCR garbled ("400(?)", "s@)"), or a garbled mark
    on its own ("(?)"): the value kept, the mark's number read where it survived."""
    last = text[-1]
    if last.isalnum() and last not in "tilI" and not _UNCLOSED.search(text):
        return None
    if _LONE_MARK.match(text):
        marks = garbled_marks(text)
        return Token("mark", text, marks=marks, doubtful=True, lost=True)
    if PRICE_UNBRACKETED.match(text):
        return Token("number", text, parse_number(text[:-1])[0], [], True, True, lost=True)
    if m := _UNBRACKETED.match(text):
        return Token("number", m.group(1), float(m.group(1)), [f"F{m.group(2)}"], doubtful=True)
    if m := _CODE_MARK.match(text):
        letter, marks = m.group(1).upper(), garbled_marks(m.group(2))
        return Token("letter", letter, letter, marks, doubtful=True, lost=True)
    m = _GARBLED_MARK.match(text)
    if m and m.group(2)[0] == "%" and not ("$" in text or "," in text):
        return None  # "2.0%": a rate, as titles print it ("2.0% Convertible Senior Notes")
    number, doubtful = parse_number(m.group(1)) if m else (None, False)
    if m and number is not None:
        # the value ends where the mark's bracket begins: as sure as any amount read; the mark is lost
        return Token("number", m.group(1), number, garbled_marks(m.group(2)), "$" in text, doubtful, lost=True)
    return None


_readings = Memo(_reading)  # the same words ("D", "$0", "Common", dates) fill every table


# values OCR ran together: "$043,836" ($0 and 43,836), "11/10/201811/08/2027" (two dates), "10/05/202136,397"
_RUN_TOGETHER = re.compile(r"^(\$0)(\d{1,3}(?:,\d{3})+)$"
                           r"|^(\d{2}/\d{2}/\d{4})(\d{2}/\d{2}/\d{4}|\d{1,3}(?:,\d{3})+)$")  # or a date and an amount


def _apart(word: str) -> list[str]:
    m = _RUN_TOGETHER.match(word) if len(word) > 7 else None
    return [g for g in m.groups() if g] if m else [word]


# "$1,027.483(17)170,169,245", "12/08/2017(1)12/07/2027": a footnote mark closes its value; an
# amount or date right after it is the next cell's
_DATED = r"\d{1,2}/\d{1,2}/\d{4}|"
_AFTER_MARK = re.compile(rf"^((?:{_DATED}\$?\d[\d,]*(?:\.\d+)?)(?:\(\d{{1,2}}\))+)"
                         rf"((?:{_DATED}\$?\d{{1,3}}(?:,\d{{3}})*(?:\.\d+)?)(?:\(\d{{1,2}}\))*)$")


# "$1,116.417'*168," "$1,011.504'41,": a price, its raised mark garbled and its ")" lost, and the
# amount owned run on; the mark's digits, if OCR kept any, come first
_RUN_ON = re.compile(rf"^(\$\d{{1,3}}(?:,\d{{3}})*\.\d+)([(!°*@{{\[®©{_QUOTES}])([°*?®©{_QUOTES}]*)"
                     r"(\d{1,5})((?:,\d{3})*,|(?:,\d{3})+)$")
_MARK_DIGITS = {2: 1, 4: 1, 5: 2}  # how many of a run of digits are the mark's when none were garbled


def _run_on(word: str) -> list[str]:
    m = _RUN_ON.match(word) if "," in word[-5:] else None
    if m is None:
        return [word]
    price, opener, garble, digits, rest = m.groups()
    cut = 0 if garble else _MARK_DIGITS.get(len(digits))
    if cut is None or len(digits) - cut > 3:
        return [word]
    return [f"{price}{opener}{garble or '?'}", digits[cut:] + rest]  # the mark's number is lost with its ")"


def _after_mark(words: list[str]) -> list[str]:
    out: list[str] = []
    for word in words:
        m = _AFTER_MARK.match(word) if ")" in word[:-1] else None
        out.extend(m.groups() if m else (word,))
    return out


_SHORT_YEAR = re.compile(r"^\d{1,2}/\d{1,2}/(?:19|20)$")
_YEAR_END = re.compile(r"^(\d\d)(\W?)$")


def _century_mended(words: list[str]) -> list[str]:
    """"09/19/20 19)": OCR cut a year in two; the second half (and what follows it) joins."""
    out: list[str] = []
    for word in words:
        end = _YEAR_END.match(word) if out and _SHORT_YEAR.match(out[-1]) else None
        if end:
            out[-1] += end.group(1)
            if end.group(2):
                out.append(end.group(2))
        else:
            out.append(word)
    return out


_GROUP_TAIL = re.compile(r"^\d{3}(?:\(\d+\))?$")
_OPEN_GROUP = re.compile(r"^\$?\d{1,3}(?:,\d{3})*,$")  # "6," of "6, 400", "$1," of "$1, 161.54"
_NEXT_GROUP = re.compile(r"^\d{3}(?!\d)")
_WHOLE = re.compile(r"^\$?\d{1,3}(?:,\d{3})*$")  # "$1,146" of "$1,146 .123"
_DECIMALS = re.compile(r"^\.\d")
_POINTED = re.compile(r"^\$\d[\d,]*\.$|^\d{1,3}(?:,\d{3})+\.$")  # "$895." of "$895. 785"


def _joined(words: list[str]) -> list[str]:
    """"6, 400", "2,111, 269", "$1,146 .123(5)": an amount OCR broke at a space after its
    thousands comma or before its decimal point, put back together.  A printed number never
    ends in a comma, and no value starts with a point and its decimals."""
    out: list[str] = []
    for i, word in enumerate(words):
        if out and ((_NEXT_GROUP.match(word) and _OPEN_GROUP.match(out[-1]))
                    or (_DECIMALS.match(word) and _WHOLE.match(out[-1]))
                    or (word[0].isdigit() and _POINTED.match(out[-1]))
                    or (word == "." and _WHOLE.match(out[-1]) and i + 1 < len(words) and words[i + 1][0].isdigit())):
            out[-1] += word  # "$888 . 313": the point on its own, the decimals follow
        else:
            out.append(word)
    return out


def _regrouped(words: list[str]) -> set[int]:
    """"44 559": the positions of amounts whose thousands comma OCR read as a space (a lone
    digit before is more often a code read as 5, "5 100")."""
    out: set[int] = set()
    for i in range(len(words) - 1):
        head = words[i]
        if 2 <= len(head) <= 3 and head.isdigit() and i - 1 not in out and _GROUP_TAIL.match(words[i + 1]):
            out.add(i)
    return out


def tokens_of(text: str, x: int = -1, line: int = -1, *, loose_marks: bool = True, ocr: bool = False) -> list[Token]:
    """Words of a chunk, with ``$ 12`` put back together, and with ``loose_marks`` (OCR, which
    spaces superscripts unreliably) ``2,584 (1)`` too; ``ocr`` drops the letters OCR makes of
    ruled lines."""
    words = text.replace("$ ", "$").split()
    if any(")" in word[:-1] for word in words):
        words = _after_mark(words)
    if any(word[-1] in ",." or word[0] == "." or "," in word[-5:] for word in words):  # OCR, on any page
        # joined, parted where a price ran into the next amount, joined again: "$1,117 .552(°168, 334,591"
        words = _joined([part for word in _joined(words) for part in _run_on(word)])
    if ocr and any(len(word) > 7 for word in words):
        words = [part for word in words for part in _apart(word)]
        words = _century_mended(words)
    regrouped = _regrouped(words) if ocr and len(words) > 1 else set()
    out: list[Token] = []
    for i, word in enumerate(words):
        if ocr and word in _RULE_LETTERS:
            continue  # OCR reads a ruled line as a lone lower-case i, l or j
        if i - 1 in regrouped:
            continue
        if i in regrouped:
            tok = classify(f"{word},{words[i + 1]}", x, line)
            tok.doubtful = True
        else:
            tok = classify(word, x, line)
        if not ocr and tok.kind == "letter" and tok.doubtful:  # "(Class" / "A)": OCR's repairs are no text layer's
            tok = Token("text", word, x=x, line=line)
        if ocr and out and out[-1].kind == "text" and not out[-1].marks and _MARK_RESIDUE.match(word):
            out[-1].lost = True  # "Trust )": all OCR kept of the word's raised mark is a bracket
            continue
        # "2,584 (1)": a lone mark belongs to the value before it unless that has its own
        if tok.kind == "mark" and not tok.marks and out and out[-1].kind in ("number", "letter", "date", "text"):
            out[-1].doubtful = True  # "400 (?)": a garbled mark whose number is lost, not a column's blank
            out[-1].lost = not out[-1].marks
            continue
        if (loose_marks and tok.kind == "mark" and out and out[-1].kind in ("number", "letter", "date")
                and not out[-1].marks):
            out[-1].marks.extend(tok.marks)
            out[-1].loose = True
            continue
        fraction = _FRACTION.match(tok.text) if tok.kind == "text" else None
        if fraction and out and out[-1].kind == "number" and isinstance(out[-1].value, float) and int(fraction[2]):
            out[-1].value += int(fraction[1]) / int(fraction[2])  # "$31 1/2": prices in eighths, before 2001
            out[-1].text += f" {tok.text}"
            continue
        out.append(tok)
    return out
