"""The form's own print inside its boxes (labels, captions, ticks and dates), told from the
values written there.  OCR reads the boxes of one printed row across, so a line of text holds
one box's value beside another's label; these cut the labels out and keep the values."""

from __future__ import annotations

import re

from form4.readers.text import units as U
from form4.readers.text.memo import Memo
from form4.readers.text.tokens import DATE, find_date

# a tick: an X (OCR reads it twice, "xX", or as "><"), or on a typed form an X in brackets, "(X)" or "[X]"
TICK = r"(?:(?:[Xx\u00d7]{1,2}|><)[_=~-]*(?=\s|$)|[(\[][ \t]?[Xx\u00d7][ \t]?[)\]])"
MARK_X = re.compile(rf"^{TICK}\s*(.*?)\s*$")  # group 1: what follows the tick, if anything
ROLE_WORDS = re.compile(r"Director|10\s?%\s*Ow|Officer\s*\(|Other\s*\(|\(give|title|\(specify|(?:^|\s)b?elow\)?"
                        r"|Form\s+filed|Reporting\s*$|^Person$|^Line\)|^Issuer$|applicable|icable\)|^\(Che"
                        r"|^of\s+Reporting\s+Person", re.I)
_PLACEHOLDER = re.compile(r"^(?:\((?:Last|First|Middle|Street|City|State|Zip)\)\s*)+$", re.I)
# the labels of the boxes a stream reads across the owner's rows, cut out to leave values
_ROW_LABEL = re.compile(
    r"(?:\w\s?\.\s*)?(?:Date\s*of\s*(?:Earliest\s*Transaction|Event(?:\s*Requiring\s*Statement)?)"  # "A." for "4."
    r"|[Il1]f\s*Amendment,?\s*Date\s*of\s*Original\s*Filed|Individual\s*or\s*Joint\s*/\s*Group\s*Filing)"
    r"|\(Month\s*/\s*Day\s*/\s*Year\)|Requiring\s*Statement|\(Check\s*Applicable|(?:^|\s)Line\)"
    r"|" + U.MINOR.pattern, re.I)


def is_date(text: str) -> bool:
    return bool(DATE.match(text)) and len(text) <= 12


def _is_junk(text: str) -> bool:
    """Not a value: a label, caption, date, tick or mark (asked of the same units by the name,
    title, street and city readers, so answers are kept)."""
    return (not text or "[" in text or is_date(text) or bool(_PLACEHOLDER.match(text.replace(" ", "")))
            or bool(ROLE_WORDS.search(text))
            or bool(MARK_X.match(text)) or text in {"*", "•", "|"})


junk = Memo(_is_junk)


def _cut_pieces(text: str) -> list[str]:
    """The values in a stream's unit: the text between the labels and captions of the
    boxes OCR read across, without dates (the date box's value)."""
    out = []
    for piece in _ROW_LABEL.split(text):
        stop = U.major_at(piece)
        piece = piece[:stop] if stop >= 0 else piece
        while any(ch.isdigit() for ch in piece) and (hit := find_date(piece)):
            piece = piece[:hit[0].start()] + " " + piece[hit[0].end():]
        if piece.strip():
            out.append(" ".join(piece.split()))
    return out


pieces = Memo(_cut_pieces)  # the owner's title, street and city each cut the same units


