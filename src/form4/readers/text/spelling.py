"""Which reading of a word a cell border tore is English: joined, with OCR's repeated letter
dropped, or two words.  Cell-split OCR puts a tab both inside words ("Tabl<tab>e") and
between them ("shares<tab>were"); a dictionary tells them apart."""

from __future__ import annotations

import functools

from spellchecker import SpellChecker


@functools.cache
def _words() -> frozenset[str]:
    """English words with their frequencies, as pyspellchecker ships them; loaded on the first
    torn page only."""
    return frozenset(SpellChecker(distance=1).word_frequency.dictionary)


def known(word: str) -> bool:
    return word.lower() in _words()


@functools.lru_cache(maxsize=8192)
def tear(left: str, right: str) -> str | None:
    """How to mend ``left<tab>right`` (the letters either side): "join", "repeat" (drop the
    right part's first letter, which OCR read twice), "apart", or None when the dictionary
    cannot tell."""
    if known(left + right):
        return "join"
    if left[-1:].lower() == right[:1].lower() and known(left + right[1:]):
        return "repeat"
    if len(left) > 1 and len(right) > 1 and known(left) and known(right):
        return "apart"
    return None
