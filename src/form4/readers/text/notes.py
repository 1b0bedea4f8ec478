"""Below the tables: explanation of responses (footnotes), remarks and signatures."""

from __future__ import annotations

import datetime as dt
import functools
import re
from collections import Counter

from form4.model import Footnote, Signature
from form4.readers.text import units as U
from form4.readers.text.evidence import Evidence
from form4.readers.text.lines import Chunk, Line, Page
from form4.readers.text.tokens import find_date
from form4.readers.text.vocabulary import COMPANY_SUFFIXES, company_suffix

# "1.", "(2)", and OCR's "I." for 1. and "4," for 4. (not "2.1708 shares": a decimal wrapped to a line's start)
_NOTE = re.compile(r"^\(?(\d{1,2}|[Il|](?=[.)]\s))(?:[.)](?!\d)\s*|,\s+(?=[A-Z]))(.*)$")
_REMINDER = re.compile(r"^\s*Reminder\s*:|^\s*\*\s*If the form", re.I)
_DATE_WORD = re.compile(r"^\s*Date\s*$", re.I)


def _number(mark: str) -> int:
    return int(mark) if mark.isdigit() else 1


def _left(line: Line, limit: int | None) -> str:
    return " ".join(c.text for c in line.chunks if limit is None or c.x < limit)


def signatures(page: Page, start: int, ev: Evidence) -> tuple[list[Signature], set[int], int | None]:
    """Signatures and their dates; also the lines they took and the signature column."""
    labels = [ln.number for ln in page.lines[start:] if U.SIGNATURE.search(ln.text)]
    found: list[Signature] = []
    taken: set[int] = set()
    column = None
    previous = start
    for i, label in enumerate(labels):
        at = U.locate(page, U.SIGNATURE, label, label + 1)
        x = at[1] if at else 0
        if page.positioned and x > 40:  # signed in a column of its own, right of the notes
            column = x - 3
        parts: list[str] = []
        own: list[int] = []  # this signature's lines
        date = None
        # in a stream, a "/s/ NAME" a few lines up begins the signature, however it wrapped
        signed = (_signed_in_column(page, previous, label, x) if page.positioned
                  else _signed_above(page, previous, label))
        stop = labels[i + 1] if i + 1 < len(labels) else len(page.lines)
        below = None if signed or _signature_above(page, previous, label, x) else _signed_below(page, label, stop, x)
        if below is not None:  # a typed form's "/s/ NAME" under its caption: nothing above is the signature's
            parts, own = [below[1]], [below[0]]
            taken.add(below[0])
        for ln in reversed(page.lines[previous:label] if below is None else []):
            pieces = [c.text for c in ln.chunks if not page.positioned or _in_column(c, x)]
            if signed and parts and _signs(parts[0]):
                break
            if not pieces and ((page.positioned and ln.chunks) or (parts and not signed)):
                break
            if not pieces:
                continue
            text = " ".join(pieces)
            if (text.startswith(("Person", "Reporting")) or _DATE_WORD.match(text)) and _caption_cut(page, labels, i):
                text = _CAPTION_LEFT.sub("", _DATE_WORD.sub("", text))  # the last signature's caption ran over
            text = _EXPLANATION_CAPTION.sub("", text, count=1).strip()  # the notes' caption is no name
            if not text or (page.ocr and len(text) <= 5 and not any(ch.isupper() for ch in text)):
                continue  # or OCR's "ec: ." for the caption's "**" (a text layer's "fact" is a word)
            if (_REMINDER.search(text) or U.REMARKS.search(text) or U.major_at(text) >= 0
                    or (_NOTE.match(text) and i == 0 and parts)):
                break
            hit = find_date(text)
            if hit and date is None:
                m, date = hit
                text = (text[:m.start()] + text[m.end():]).strip()
            taken.add(ln.number)
            own.append(ln.number)
            if text:
                parts.insert(0, text)
                if i == 0 and not signed and not page.positioned and not _wrapped_signature(page, ln.number, previous):
                    break
        if date is None and signed:  # the date alone on the line above "/s/ NAME"
            date = _date_above(page, previous, min(own, default=label), taken)
        if date is None:  # OCR puts the date with its "Date" caption further down
            date = _date_after(page, label, stop, taken)
        if parts and not page.positioned:  # "Master Fund" over the caption, "Ltd" under it
            parts += _suffix_below(page, label, taken)
        path = f"signatures[{i}]"
        if not parts:
            ev.missing(f"{path}.name", "the signature")
        if date is None:
            ev.missing(f"{path}.date", "the signature date")
        name = re.sub(r"-\s+", "-", " ".join(" ".join(parts).split()))  # "Attorney-in-" + "Fact"
        if page.ocr:  # "/s/_Jung Yeon Son": the rule signed over, read into the name; names hold no "_"
            name = " ".join(name.replace("_", " ").split())
        name = _SIGNED.sub("/s/", name)  # "(s/", "|s/": OCR's slash
        name = _IN_FACT.sub("Attorney-in-Fact", name)  # "Attorney-in-HE Fact": a speck in the wrap
        if page.ocr:  # "Travis Shrout. Attorney-in-Fact": OCR's misread or lost comma
            name = _BEFORE_FACT.sub(r"\1, ", name)
        name = _TWICE.sub(r"\1", name)  # "R Rossi": an initial read twice
        found.append(Signature(name=name or None, date=date))
        previous = label + 1
    return found, taken, column


def _caption_cut(page: Page, labels: list[int], i: int) -> bool:
    """Whether the caption of the signature before ``labels[i]`` was cut short ("** Signature
    of" without its "Reporting Person"), so that its rest may open the lines above this one."""
    return i > 0 and "Person" not in page.lines[labels[i - 1]].text


_BEFORE_FACT = re.compile(r"\b(?!(?:as|by|for)\b)(\w+)[.,]?\s+(?=Attorney-in-Fact\b)", re.I)
_IN_FACT = re.compile(r"Attorney-in-\s*\S{0,3}\s*Fact\b")
_TWICE = re.compile(r"^((?:/s/\s*)?)([A-Z]) (?=\2[a-z])")
_SIGNED = re.compile(r"^[(|\[l1I]s/")


def _signs(text: str) -> bool:
    """Whether a line begins a signature: "/s/", or OCR's "(s/" or "|s/" for it, or an agent's
    "By:" ("By: Aaron Beckman by Power of Attorney For: ...")."""
    return text.startswith(("/s/", "By:")) or bool(_SIGNED.match(text))
_EXPLANATION_CAPTION = re.compile(U.EXPLANATION.pattern + r"\s*:?", re.I)
_CAPTION_LEFT = re.compile(r"^(?:Reporting\s+)?Person\b\s*(?:Date\b)?\s*")


def _signature_above(page: Page, start: int, label: int, x: int) -> bool:
    """Whether the nearest text above the caption could be a signature: not the notes' caption
    or a note."""
    for ln in reversed(page.lines[start:label]):
        text = " ".join(c.text for c in ln.chunks if not page.positioned or _in_column(c, x)).strip()
        if text:
            return not (_EXPLANATION_CAPTION.sub("", text, count=1).strip() == "" or _NOTE.match(text))
    return False


def _signed_below(page: Page, label: int, stop: int, x: int) -> tuple[int, str] | None:
    """The line and text of a "/s/ NAME" just under the signature's caption, as typed forms
    write it ("SIGNATURE OF REPORTING PERSON", then "/s/ NAME", then "DATE" and the date)."""
    for ln in page.lines[label + 1:stop]:
        text = " ".join(c.text for c in ln.chunks if not page.positioned or _in_column(c, x))
        if text.strip():
            return (ln.number, " ".join(text.split())) if _signs(text.strip()) else None
    return None


def _in_column(chunk: Chunk, x: int) -> bool:
    """Whether a chunk stands in the column of a signature whose caption starts at ``x``: from
    there on, or begun a little left of it and reaching into it (a signature set left of
    its caption), though not from the left half of the notes' width."""
    return chunk.x >= x - 3 or (chunk.x > x // 2 and chunk.end > x - 3)


def _signed_in_column(page: Page, start: int, label: int, x: int) -> bool:
    """Whether a chunk of the signature's column in the eight lines of text above its label
    begins "/s/" (blank lines do not count: a text layer may space a wrapped name's lines)."""
    above = [ln for ln in page.lines[start:label] if ln.chunks][-8:]
    return any(_signs(c.text) for ln in above for c in ln.chunks if _in_column(c, x))


def _signed_above(page: Page, start: int, label: int) -> bool:
    """Whether one of the five lines of text above the label begins "/s/"."""
    seen = 0
    for ln in reversed(page.lines[start:label]):
        text = ln.text.lstrip()
        if _signs(text):
            return True
        seen += bool(text)
        if seen == 5:
            return False
    return False


def _wrapped_signature(page: Page, line: int, start: int) -> bool:
    """Whether the line above continues a "/s/ NAME" that wrapped (a stream has no columns)."""
    above = [ln.text.strip() for ln in page.lines[max(start, line - 2):line] if ln.text.strip()]
    return bool(above) and any(_signs(t) for t in above) and not find_date(above[-1])



def _suffix_below(page: Page, label: int, taken: set[int]) -> list[str]:
    """A company's suffix wrapped below the signature caption, alone on its line."""
    below = next((ln for ln in page.lines[label + 1:label + 4] if ln.text.strip()), None)
    if below is None or below.text.strip() not in COMPANY_SUFFIXES:
        return []
    taken.add(below.number)
    return [below.text.strip()]


def _date_above(page: Page, start: int, line: int, taken: set[int]) -> dt.date | None:
    above = next((ln for ln in reversed(page.lines[start:line]) if ln.text.strip()), None)
    hit = find_date(above.text) if above else None
    if above is None or hit is None or above.text.strip() != hit[0].group(0):
        return None
    taken.add(above.number)
    return hit[1]


def _date_after(page: Page, label: int, stop: int, taken: set[int]) -> dt.date | None:
    for ln in page.lines[label + 1:stop]:
        found = find_date(ln.text.strip())
        if found and found[0].start() == 0:
            nxt = page.lines[ln.number + 1:ln.number + 3]
            if any(_DATE_WORD.match(n.text) for n in nxt) or ln.text.strip() == found[0].group(0):
                taken.add(ln.number)
                return found[1]
    return None


def footnotes(page: Page, start: int, stop: int, taken: set[int], column: int | None) -> list[Footnote]:
    """The numbered notes under the explanation's caption; notes number from 1, so when the
    first one there is a later one, the ones before it are those OCR set above the caption."""
    notes = _notes(page, start, stop, taken, column)
    first = int(notes[0].id[1:]) if notes else 0
    # only OCR reads a page's blocks out of order; a text layer's notes may well begin at "4."
    above = _first_note_above(page, start - 1, taken, column) if page.ocr and first > 1 else None
    if above is not None:
        notes = [n for n in _notes(page, above, start - 1, taken, column) if int(n.id[1:]) < first] + notes
    return notes


_ABOVE = 30  # lines above the caption a note may stand at: a long note wraps over a few


def _first_note_above(page: Page, label: int, taken: set[int], column: int | None) -> int | None:
    """The line of note 1 among the lines just above the caption at ``label``: a line numbered
    "1" that opens a sentence and is no column heading ("1. Title of Derivative Security")."""
    for ln in reversed(page.lines[max(0, label - _ABOVE):label]):
        text = _left(ln, column).strip()
        m = _NOTE.match(text)
        if ln.number in taken or m is None or _number(m.group(1)) != 1 or len(m.group(2).split()) < 3:
            continue  # "(I) (Instr. 5)" of a heading is no note
        if not (U.TABLE_ONE_HEADING.search(text) or U.TABLE_TWO_HEADING.search(text) or U.major_at(text) >= 0):
            return ln.number
    return None


def _notes(page: Page, start: int, stop: int, taken: set[int], column: int | None) -> list[Footnote]:
    notes: list[Footnote] = []
    for ln in page.lines[start:stop]:
        if ln.number in taken:
            continue
        text = _left(ln, column).strip()
        if not text:
            continue
        if U.REMARKS.search(text) or _ends_notes(text, ln, column):
            break
        m = _NOTE.match(text)
        # "15, Greylock Principals": off a text layer, a wrapped note's line that begins with a
        # number and a comma opens a note only where that number is due (only OCR reads "4." as "4,")
        comma = m is not None and not page.ocr and text[m.end(1):m.end(1) + 1] == ","
        due = _number(m.group(1)) in (len(notes) + 1, int(notes[-1].id[1:]) + 1) if m and notes else True
        if m and (due or not (ln.chunks[0].x > 3 or comma)):
            notes.append(Footnote(id=f"F{_number(m.group(1))}", text=m.group(2).strip()))
        elif notes:
            notes[-1].text = joined(notes[-1].text, text)
    return notes


def joined(before: str, after: str) -> str:
    """Two lines of one note as one text: a line that ends in a word's hyphen ("FF-" over
    "IIE") broke at a hyphen the text holds, so the word goes on without a space."""
    hyphen = len(before) >= 2 and before[-1] == "-" and before[-2].isalnum() and after[:1].isalnum()
    return before + after if hyphen else f"{before} {after}"


def _ends_notes(text: str, line: Line, column: int | None) -> bool:
    """Where notes and remarks end: the form's reminder, a signature, or a joint filer's boxes,
    whose labels open a box ("listed in Table II" inside a note's sentence is no label)."""
    return bool(_REMINDER.search(text) or U.SIGNATURE.search(text) or any(
        U.major_at(c.text) == 0 for c in line.chunks if column is None or c.x < column))


def remarks(page: Page, start: int, taken: set[int], column: int | None) -> str | None:
    at = U.find_line(page, U.REMARKS, start)
    if at is None:
        return None
    parts: list[str] = []
    whole = ""  # the first line with its "Remarks:", in case that was the filer's own word
    for ln in page.lines[at:]:
        if ln.number in taken:
            break
        text = _left(ln, column).strip()
        if ln.number == at:
            whole, text = text, U.REMARKS.sub("", text, count=1).strip()
        elif _ends_notes(text, ln, column):
            break
        elif U.REMARKS.fullmatch(text) and parts:  # the form's label, read after a remark that begins "Remarks:"
            parts[0] = whole
            continue
        if text:
            parts.append(text)
    return functools.reduce(joined, parts) if parts else None


_LETTERS = re.compile(r"[A-Za-z]+\.?$")  # a word of letters ("Ltd", "Inc."), not a mark such as "/s/"


def mend_by_page(signatures: list[Signature], page: Page) -> None:
    """A company's suffix OCR misread at the end of a signature ("Master Fund Lid"): a last word
    the page prints nowhere else takes the suffix one letter off it that the page does print
    (in the owner's box: "Master Fund Ltd"). Only the last word and only the form's suffixes:
    a person's name is no word of the form's."""
    seen = Counter(w.upper() for line in page.lines for w in line.text.split() if _LETTERS.match(w))
    printed = frozenset(s.upper() for s in COMPANY_SUFFIXES if seen[s.upper()])
    for signature in signatures:
        head, _, last = (signature.name or "").rpartition(" ")
        if head and _LETTERS.match(last) and seen[last.upper()] <= 1:
            suffix = company_suffix(last, printed)
            if suffix:
                signature.name = f"{head} {suffix}"
