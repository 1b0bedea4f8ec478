"""What validation reports: a Diagnostic per finding, and the registry of stable codes.

A code never changes meaning once released (scripts filter on it, like a linter's rules);
a withdrawn check keeps its number unused.
"""

from __future__ import annotations

import datetime as dt
import enum
from typing import Any

import msgspec


class Severity(enum.StrEnum):
    error = "error"      # the filing is wrong or late as filed
    warning = "warning"  # probably wrong, or late but disclosed as late: a person should look
    info = "info"        # worth knowing, nothing to fix


class Rule(msgspec.Struct, frozen=True):
    code: str
    severity: Severity
    field: str  # where it points, as a record path pattern (docs)
    summary: str


class Diagnostic(msgspec.Struct, kw_only=True):
    code: str
    severity: Severity
    field: str
    message: str
    due: dt.date | None = None
    business_days_late: int | None = None

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready; ``due`` and ``business_days_late`` only for deadline findings."""
        out: dict[str, Any] = {"code": self.code, "severity": self.severity.value, "field": self.field,
                               "message": self.message}
        if self.due is not None:
            out["due"] = self.due.isoformat()
        if self.business_days_late is not None:
            out["business_days_late"] = self.business_days_late
        return out


_E, _W, _I = Severity.error, Severity.warning, Severity.info
_TX = "*_transactions[i]"

# Letter by family: C transaction coding, D dates, O owners and signatures, V values,
# L deadlines. docs/validation.md's table is checked against this (tests/validation/test_docs_table.py).
_RULES = (
    Rule("C101", _E, f"{_TX}.transaction_code", "transaction code missing or not one of the SEC's codes"),
    Rule("C102", _E, f"{_TX}.transaction_code", "code not used in this table (E and H are Table II only)"),
    Rule("C103", _E, f"{_TX}.acquired_disposed", "acquired/disposed disagrees with the code (P acquires, S disposes…)"),
    Rule("C104", _E, f"{_TX}.price_per_share", "no price for a code that needs one (P, S), and no footnote instead"),
    Rule("C105", _E, f"{_TX}.price_per_share", "price zero or negative for a code that needs one (P, S)"),
    Rule("C106", _E, f"{_TX}.acquired_disposed", "acquired/disposed missing or not A/D"),
    Rule("V401", _W, f"{_TX}.shares_owned_following",
         "shares owned following do not follow from the previous row of the same security and ownership"),
    Rule("V402", _W, f"{_TX}.price_per_share",
         "price quoted per ADS against shares counted in ordinary shares: the value is restated"),
    Rule("V403", _W, f"{_TX}.price_per_share", "price far from the issuer's other trades that day"),
    Rule("V404", _E, f"{_TX}.shares, .shares_owned_following, .price_per_share", "a negative share count or price"),
    Rule("D201", _E, "period_of_report", "Form 4 period of report is not the earliest transaction date"),
    Rule("D202", _E, f"{_TX}.deemed_execution_date", "deemed execution date before the transaction date"),
    Rule("D203", _E, "derivative_*[i].exercise_date", "date exercisable after the expiration date"),
    Rule("D204", _E, f"period_of_report, {_TX}.transaction_date, .deemed_execution_date, signatures[i].date",
         "a date after the filing date (or --as-of when not filed)"),
    Rule("O301", _E, "reporting_owners[i]", "no relationship box ticked"),
    Rule("O302", _E, "reporting_owners[i].officer_title", "officer box ticked without an officer title"),
    Rule("O303", _W, "reporting_owners[i].other_text", "other box ticked without saying what"),
    Rule("O304", _E, "reporting_owners[i].cik", "the same owner CIK twice in one filing"),
    Rule("O305", _E, "signatures", "no signature"),
    Rule("O306", _W, "signatures", "more signatures than reporting owners"),
    Rule("O307", _I, "signatures", "a joint filing with fewer signatures than owners (one may sign for several)"),
    Rule("O308", _E, "signatures[i].name", "a signature without a name"),
    Rule("L501", _E, f"{_TX}.transaction_date or .deemed_execution_date (Form 4 rows), period_of_report (Forms 3, 5)",
         "filed late, and not marked late"),
    Rule("L502", _W, f"{_TX}.transaction_timeliness, or as L501",
         "filed late, marked late by the filer (timeliness L, or a Form 4 row on a Form 5)"),
    Rule("L503", _I, "filed_at", "no filing date and no --as-of: the date it is due by"),
    Rule("L504", _I, f"{_TX}.transaction_timeliness", "marked late (L) but filed on time"),
)
RULES: dict[str, Rule] = {r.code: r for r in sorted(_RULES, key=lambda r: int(r.code[1:]))}  # by number: C1…L5


def diagnostic(code: str, field: str, message: str, *, due: dt.date | None = None,
               business_days_late: int | None = None) -> Diagnostic:
    """A finding of rule ``code``, with the rule's severity."""
    return Diagnostic(code=code, severity=RULES[code].severity, field=field, message=message, due=due,
                      business_days_late=business_days_late)
