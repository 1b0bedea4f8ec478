"""OCR is corrected by the form's own vocabulary: a misread company suffix is mended to the
suffix one letter off it, in its case, and nothing else is."""

from __future__ import annotations

import pytest

from form4.readers.text.vocabulary import company_suffix


@pytest.mark.parametrize(("read", "meant"), [("LID", "LTD"), ("Lid", "Ltd"), ("ING.", "INC."), ("Ine.", "Inc."),
                                             ("LLG", "LLC"), ("C0RP", "CORP"), ("C0", "CO"), ("C0.", "CO.")])
def test_a_suffix_one_letter_off_is_mended_in_its_case(read: str, meant: str) -> None:
    assert company_suffix(read) == meant


@pytest.mark.parametrize("word", ["LTD", "Inc.", "LLC", "Holdings", "AB", "LF", "Smith", "LTC", "/s/"])
def test_a_suffix_a_word_two_letters_off_or_two_suffixes_near_is_left(word: str) -> None:
    # a suffix itself, a real word, a two-letter word (too short to tell), or one letter off
    # two suffixes at once ("LTC": LTD or LLC) is no misreading anyone can mend
    assert company_suffix(word) is None


def test_only_the_suffixes_the_page_prints_when_asked() -> None:
    assert company_suffix("Lid", frozenset({"LTD"})) == "Ltd"
    assert company_suffix("Lid", frozenset({"LLC"})) is None
