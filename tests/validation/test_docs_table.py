"""docs/validation.md lists exactly the codes of RULES, with their severity and field."""

from __future__ import annotations

import re

from form4.validation import RULES
from tests.conftest import ROOT

_ROW = re.compile(r"^\| ([A-Z]\d{3}) \| (\w+) \| `([^`]+)` \|", re.M)


def test_every_code_is_in_the_docs_table_and_nothing_else() -> None:
    documented = {code: (severity, field) for code, severity, field in
                  _ROW.findall((ROOT / "docs" / "validation.md").read_text())}
    assert documented == {code: (rule.severity.value, rule.field) for code, rule in RULES.items()}


def test_codes_are_a_family_letter_and_its_number() -> None:
    families = {"C": "1", "D": "2", "O": "3", "V": "4", "L": "5"}
    assert all(families[code[0]] == code[1] for code in RULES)
