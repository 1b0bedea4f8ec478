"""Rule 10b5-1 plans: which sales a filing says were made under a trading plan.

Since April 2023 the form has a checkbox (``aff10b5One``) for the whole filing; before it,
and next to it, filers say so in a footnote on the row, spelt every way a keyboard allows
("Rule 10b5-1 trading plan", "10b-5-1 plan", "RULE 10B5-1", "10b5\u20131" with an en dash). A footnote counts when it
names Rule 10b5-1 (not Rule 10b-5, the anti-fraud rule, nor Rule 10b5-2, about family and
other relationships of trust) and does not say the opposite ("not made pursuant to …").

A sale is under a plan when one of its own footnotes says so. The checkbox and the remarks speak
for the filing: when no sale's footnote names a plan, they cover every sale in it.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable, Mapping, Sequence

from form4.model import Filing

_DASH = r"[\s\-\u2010-\u2015\u2212]*"  # spaces, hyphens, non-breaking hyphens, en and em dashes, minus
# 10b5-1, 10b-5-1, 10 b5 - 1, 10b5(1), 10b5-l (an OCR'd one); never 10b-5 alone, 10b5-2 or 10b5-10
_RULE = re.compile(rf"(?<![0-9])10{_DASH}b{_DASH}5{_DASH}(?:\(\s*)?(?:1(?![0-9])|l(?![a-z]))", re.IGNORECASE)
# a negation shortly before the rule, in the same clause: "not made pursuant to a Rule 10b5-1 plan"
_NEGATED = re.compile(r"\b(?:not|no|none|neither|nor|without|outside(?: of)?|other than)\b[^.;:]{0,60}$",
                      re.IGNORECASE)


@functools.lru_cache(maxsize=65536)
def says_plan(text: str) -> bool:
    """Whether a footnote (or the remarks) says a transaction was made under a Rule 10b5-1 plan."""
    for match in _RULE.finditer(text):
        before = text[max(0, match.start() - 80):match.start()]
        if not _NEGATED.search(before):
            return True
    return False


def plan_sales(filing: Filing) -> list[bool]:
    """For each Table I transaction of ``filing``, whether it is a sale (code S) made under a
    10b5-1 plan."""
    notes = {note.id: note.text for note in filing.footnotes}
    rows = filing.non_derivative_transactions
    sales = [row.footnotes for row in rows if row.transaction_code == "S"]
    flags = iter(plan_flags(sales, notes, checkbox=filing.aff10b5_one, remarks=filing.remarks))
    return [next(flags) if row.transaction_code == "S" else False for row in rows]


def plan_flags(sales: Sequence[Mapping[str, Iterable[str]]], notes: Mapping[str, str], *,
               checkbox: bool | None, remarks: str | None) -> list[bool]:
    """The rule on one filing's sales, given as their footnote references (field -> ids), and
    its footnote texts (id -> text): what the store's reports apply to stored rows too."""
    own = [any(says_plan(notes.get(i, "")) for ids in refs.values() for i in ids) for refs in sales]
    if any(own):
        return own
    whole = bool(checkbox) or (remarks is not None and says_plan(remarks))
    return [whole] * len(sales)


__all__ = ["plan_flags", "plan_sales", "says_plan"]
