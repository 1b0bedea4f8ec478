"""Shapes of text a whole cell of the form can have: a security title names a kind of
security and ends where a title ends; a nature of indirect ownership begins as one and ends
where its sentence ends.  Text of another shape was cut (a line lost to another row) or run
together (two cells' lines read as one)."""

from __future__ import annotations

import itertools
import re

# Words a cell of text cannot end on: the cell's next line was lost or given to another row.
_OPEN_ENDS = frozenset({"of", "the", "a", "an", "and", "or", "to", "for", "by", "with", "under", "per", "in", "on",
                        "at", "as", "from", "into", "which", "whom", "its", "their", "his", "her", "dated", "&"})
# Words a title goes on after ("Class A Common" lost its "Stock").
_TITLE_OPEN_ENDS = frozenset({"common", "class", "series", "restricted", "convertible", "participating", "underlying",
                              "granted", "equity", "incentive", "voting"})
# Words every security title names (Form 4 instructions: the title of the class of security).
_SECURITY_WORDS = re.compile(
    r"stock|share|unit|option|warrant|right|note|debenture|preferred|common|ordinary|interest|securit|"
    r"\bRSUs?\b|\bPSUs?\b|\bSARs?\b|\bADSs?\b|\bADRs?\b|award|bond|swap|\bcall|\bput\b|contract|forward|equity|"
    r"phantom|\bLTIP|depositary|receipt|partnership|membership|profits|\bplan\b",
    re.I)
# How column 7 (nature of indirect ownership) begins: seen past a cell's start, two cells ran together.
_NATURE_OPENER = re.compile(r"\b(?:By|See [Ff]ootnote|Held by|Through)\b")
_NATURE_START = re.compile(r"(?:by|see|held|through|as|via|in|for|owned)\b")
_WORD = re.compile(r"[A-Za-z][\w'&.-]*")
# A date in words cut after its month ("Trust dated June"), or a cell that begins with the end
# of one ("1, 2009 by Trust", "June 1, 2009 by Trust"): the date's other line went elsewhere.
_MONTHS = r"(?:January|February|March|April|May|June|July|August|September|October|November|December)"
_CUT_DATE_END = re.compile(r"\bdated\s+" + _MONTHS + r"$", re.I)
_NAME_END_START = re.compile(r"^(?:[\w&.'-]+,?\s+){0,2}(?:L\.P\.|LP|LLC|Inc\.|Ltd\.)\s+[A-Z]")
_DATE_START = re.compile(r"^(?:" + _MONTHS + r"\s+)?\d{1,2},\s+\d{4}\b")


def _unclosed(text: str) -> bool:
    return text.count("(") != text.count(")")


def ends_open(text: str) -> bool:
    """A cell that ends on a comma or a word that must be followed by another (its next line
    was lost to another row or cell)."""
    stripped = text.rstrip()
    if stripped.endswith((",", "-", "/", "&")) or re.search(r"\bthe\s+\d+$", stripped):
        return True
    words = _WORD.findall(stripped)
    return bool(words) and stripped.endswith(words[-1]) and words[-1].lower() in _OPEN_ENDS


def _repeats(text: str) -> bool:
    """Two words printed twice in one cell ("Class A Common Stock Class A"), or a cell that
    ends on the word it begins with ("Common Stock Common"): two cells' lines run together."""
    words = [w.lower() for w in re.findall(r"[\w'&.-]+", text)]
    pairs = list(itertools.pairwise(words))
    return len(pairs) != len(set(pairs)) or (len(words) > 2 and words[0] == words[-1])


# How a whole title ends (its kind of security, a bracket closed, a name's suffix) and how a
# class's title begins: one of each inside a cell is where two cells' lines met.
_NAME_SUFFIX = re.compile(r"\b(?:L\.?P|LLC|Inc|Ltd)\.?$")
_TITLE_END = re.compile(r"(?:\b(?:Stock|Shares|Units|Plan|Warrants?|Options?|Rights?|Notes)|\))$")
_CLASS_START = re.compile(r"\s(?=(?:Class|Common)\s+\S)")


_PAR_VALUE = re.compile(r"par\s+value\s+(?:of\s+)?\$[\d.]+|\$[\d.]+\s+par\s+value", re.I)  # the title's own dollars


def _two_titles(title: str) -> bool:
    """A title that is a whole title (or a holder's name) followed by the start of a class's
    title ("Equity Incentive Plan Common Stock", "Fund I Management, L.P. Class A Common")."""
    for split in _CLASS_START.finditer(title):
        before = title[:split.start()].rstrip(",")
        if _NAME_SUFFIX.search(before) or (_TITLE_END.search(before) and _SECURITY_WORDS.search(before)):
            return True
    return False


def title_doubt(title: str) -> str | None:
    """Why a security title read cannot be one whole title of the form, or None."""
    if _unclosed(title):
        return "a bracket opened and never closed (or closed and never opened)"
    if ends_open(title) or title.split()[-1].lower() in _TITLE_OPEN_ENDS:
        return "ends where the title goes on: its next line was lost"
    if title[:1].islower():
        return "begins in the middle of a title: the line above was lost"
    if _repeats(title):
        return "words printed twice: two titles' lines run together"
    if _two_titles(title):
        return "two titles (or a name and a title) read as one"
    if _NATURE_OPENER.search(title) or re.search(r"\bby\b", title):
        return "a nature of ownership read into the title"
    if re.search(r"\d,\d{3}\b|\$\d", _PAR_VALUE.sub("", title)):
        return "an amount read into the title"
    if title.strip().lower() in ("stock", "shares", "common"):
        return "names no class of security: its first words were lost"
    if not _SECURITY_WORDS.search(title):
        return "names no kind of security: part of a title"
    return None


def title_goes_on(text: str) -> bool:
    """Whether a title's text ends where the title goes on ("Class A Common")."""
    return bool(text.split()) and text.split()[-1].lower() in _TITLE_OPEN_ENDS


def starts_inside(text: str, *, nature: bool) -> bool:
    """Whether a title's or nature's text begins inside a cell: the line above it went to
    the row above, where every other cut leaves its text to the row below."""
    if nature:
        return bool((text[:1].islower() and not _NATURE_START.match(text)) or _DATE_START.match(text)
                    or (_NAME_END_START.match(text) and not _NATURE_OPENER.match(text)))
    return text[:1].islower()


def opens_nature(text: str) -> bool:
    """Whether a nature of indirect ownership begins as one ("By ...", "See Footnote")."""
    return bool(_NATURE_OPENER.match(text))


def nature_doubt(nature: str) -> str | None:
    """Why a nature of indirect ownership read cannot be one whole cell, or None."""
    if _unclosed(nature):
        return "a bracket opened and never closed (or closed and never opened)"
    if ends_open(nature) or _CUT_DATE_END.search(nature.rstrip()):
        return "ends where the text goes on: its next line was lost"
    if _NAME_END_START.match(nature) and not _NATURE_OPENER.match(nature):
        return "begins with the end of a name: the line above was lost"
    if _DATE_START.match(nature):
        return "begins with the end of a date: the line above was lost"
    if _NATURE_OPENER.search(nature[1:]) or _repeats(nature):
        return "two natures' lines run together"
    if nature[:1].islower() and not _NATURE_START.match(nature):
        return "begins in the middle of a nature: the line above was lost"
    return None
