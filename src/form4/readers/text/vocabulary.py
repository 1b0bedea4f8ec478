"""Words of the form's vocabulary that OCR is corrected by: the suffixes that end a company's
name. A misread word is mended only to a word of this vocabulary, one letter off it, where the
form puts such a word (the end of an issuer's name or of a company's signature)."""

from __future__ import annotations

from rapidfuzz.distance import Hamming

COMPANY_SUFFIXES = frozenset(("Ltd", "Ltd.", "LLC", "L.L.C.", "Inc", "Inc.", "LP", "L.P.", "Corp", "Corp.", "Co",
                              "Co.", "Limited", "plc", "PLC", "N.V.", "S.A.", "AG", "GmbH"))
_UPPER = {s.upper(): s for s in sorted(COMPANY_SUFFIXES, reverse=True)}  # "LTD" -> "Ltd": the capitalised spelling
# OCR reads these digits for the capitals they resemble; no company suffix holds a digit
_DIGIT_LETTERS = str.maketrans("015", "OIS")


def company_suffix(word: str, among: frozenset[str] | None = None) -> str | None:
    """The company suffix ``word`` is a misreading of, in its case ("ING." -> "INC.", "Lid" ->
    "Ltd", "C0RP" -> "CORP"), or None: the same word with digits read as the letters they look
    like, or one letter off exactly one suffix (of ``among``, in capitals, when given) for a
    word of three letters or more. A word that is itself a suffix is no misreading."""
    upper = word.upper()
    if upper in _UPPER:
        return None
    known = among if among is not None else frozenset(_UPPER)
    letters = upper.translate(_DIGIT_LETTERS)
    if letters != upper and letters in known:
        suffix = letters
    else:
        near = {s for s in known if len(s) == len(upper) >= 3 and Hamming.distance(upper, s) == 1}
        if len(near) != 1:
            return None
        suffix = near.pop()
    return suffix if word.isupper() else _UPPER[suffix]
