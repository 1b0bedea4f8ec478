"""Which reading of a word a cell border tore is English: joined, with OCR's repeated letter
dropped, or two words.  Cell-split OCR puts a tab both inside words ("Tabl<tab>e") and
between them ("shares<tab>were"); a dictionary tells them apart."""

from __future__ import annotations

from spellchecker import SpellChecker

from form4.readers.text.memo import Memo

_WORDS: dict[str, int] = {}
# how often a short word must occur in the list's English to be told from OCR's specks: "of",
# "by", "per" are thousands of times likelier than "oc", "co" or "jo"
_COMMON = 10_000


def known(word: str) -> bool:
    """Whether ``word`` is English, by pyspellchecker's word list (loaded when first asked)."""
    return word.lower() in _words()


def common(word: str) -> bool:
    """Whether ``word`` is a common English word, not one the list holds as a rare abbreviation."""
    return _words().get(word.lower(), 0) >= _COMMON


def _words() -> dict[str, int]:
    if not _WORDS:
        _WORDS.update(SpellChecker(distance=1).word_frequency.dictionary)
    return _WORDS


def tear(left: str, right: str) -> str | None:
    """How to mend ``left<tab>right`` (the letters either side): "join", "repeat" (drop the
    right part's first letter, which OCR read twice), "apart", or None when the dictionary
    cannot tell."""
    return _verdicts((left, right))


def _verdict(parts: tuple[str, str]) -> str | None:
    left, right = parts
    if known(left + right):
        return "join"
    if left[-1:].lower() == right[:1].lower() and known(left + right[1:]):
        return "repeat"
    if _word(left) and _word(right) and known(left) and known(right):
        return "apart"
    return None


def _word(side: str) -> bool:
    return len(side) > 1 or side in ("a", "A", "I")  # other single letters are a torn word's end


_verdicts = Memo(_verdict)
