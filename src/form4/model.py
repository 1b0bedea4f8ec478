"""The filing record: plain typed classes for a Form 3, 4 or 5, no I/O.

Field names are the public contract of ``shared/spec/record.md``. A value the filing does
not give is ``None``; footnote references live in each row's ``footnotes`` mapping
(field name -> footnote ids), so no reference is ever lost.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection
from typing import TYPE_CHECKING, Any

import msgspec

if TYPE_CHECKING:
    from form4.validation.diagnostics import Diagnostic

Footnotes = dict[str, list[str]]


class Record(msgspec.Struct, kw_only=True, omit_defaults=False):
    """Base of every record class: conversion to JSON-ready builtins."""

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = msgspec.to_builtins(self)
        return out


class Issuer(Record):
    cik: str | None = None
    name: str | None = None
    trading_symbol: str | None = None


class ReportingOwner(Record):
    cik: str | None = None
    name: str | None = None
    street1: str | None = None
    street2: str | None = None
    city: str | None = None
    state: str | None = None
    zip: str | None = None
    state_description: str | None = None
    is_director: bool = False
    is_officer: bool = False
    is_ten_percent_owner: bool = False
    is_other: bool = False
    officer_title: str | None = None
    other_text: str | None = None


class _Row(Record):
    """Fields every row of Table I or Table II has."""

    security_title: str | None = None
    transaction_form_type: str | None = None
    shares_owned_following: float | None = None
    value_owned_following: float | None = None
    direct_or_indirect: str | None = None
    nature_of_ownership: str | None = None
    footnotes: Footnotes = msgspec.field(default_factory=dict)


class _Transaction(_Row):
    transaction_date: dt.date | None = None
    deemed_execution_date: dt.date | None = None
    transaction_code: str | None = None
    equity_swap_involved: bool | None = None
    transaction_timeliness: str | None = None
    shares: float | None = None
    total_value: float | None = None
    price_per_share: float | None = None
    acquired_disposed: str | None = None


class NonDerivativeTransaction(_Transaction):
    """A Table I transaction row."""


class NonDerivativeHolding(_Row):
    """A Table I holding row."""


# msgspec structs allow one line of inheritance, so the Table II fields are listed twice.
class DerivativeTransaction(_Transaction):
    """A Table II transaction row."""

    conversion_or_exercise_price: float | None = None
    exercise_date: dt.date | None = None
    expiration_date: dt.date | None = None
    underlying_security_title: str | None = None
    underlying_shares: float | None = None
    underlying_value: float | None = None


class DerivativeHolding(_Row):
    """A Table II holding row."""

    conversion_or_exercise_price: float | None = None
    exercise_date: dt.date | None = None
    expiration_date: dt.date | None = None
    underlying_security_title: str | None = None
    underlying_shares: float | None = None
    underlying_value: float | None = None


Row = NonDerivativeTransaction | NonDerivativeHolding | DerivativeTransaction | DerivativeHolding


class Footnote(Record):
    id: str
    text: str


class Signature(Record):
    name: str | None = None
    date: dt.date | None = None


class Warning(Record):
    """Something a reader could not read as given: the field's record path and why."""

    field: str
    message: str


# the filing's four tables of rows, in the order the form prints them
ROW_TABLES = ("non_derivative_transactions", "non_derivative_holdings", "derivative_transactions",
              "derivative_holdings")


class Filing(Record):
    """One ownership filing (Form 3, 4, 5 or an amendment)."""

    accession_number: str | None = None
    form_type: str | None = None
    schema_version: str | None = None
    period_of_report: dt.date | None = None
    filed_at: dt.date | None = None
    date_of_original_submission: dt.date | None = None
    not_subject_to_section16: bool = False
    aff10b5_one: bool | None = None
    no_securities_owned: bool = False
    form3_holdings_reported: bool | None = None
    form4_transactions_reported: bool | None = None
    issuer: Issuer = msgspec.field(default_factory=Issuer)
    reporting_owners: list[ReportingOwner] = msgspec.field(default_factory=list)
    non_derivative_transactions: list[NonDerivativeTransaction] = msgspec.field(default_factory=list)
    non_derivative_holdings: list[NonDerivativeHolding] = msgspec.field(default_factory=list)
    derivative_transactions: list[DerivativeTransaction] = msgspec.field(default_factory=list)
    derivative_holdings: list[DerivativeHolding] = msgspec.field(default_factory=list)
    footnotes: list[Footnote] = msgspec.field(default_factory=list)
    remarks: str | None = None
    signatures: list[Signature] = msgspec.field(default_factory=list)
    source: str = "xml"
    source_name: str | None = None
    warnings: list[Warning] = msgspec.field(default_factory=list)
    confidence: dict[str, float] = msgspec.field(default_factory=dict)

    def to_json(self, *, indent: int = 0) -> str:
        raw = _ENCODER.encode(self)
        return (msgspec.json.format(raw, indent=indent) if indent else raw).decode()

    def validate(self, *, as_of: dt.date | None = None) -> list[Diagnostic]:
        """Diagnostics of this filing: codes, balances, dates, owners, values, deadlines
        (``form4.validation``; ``as_of`` judges a filing without a filing date as filed then)."""
        from form4.validation import validate  # the rules use the model: imported when asked

        return validate(self, as_of=as_of)

    def to_xml(self, *, check: bool = True) -> bytes:
        """This filing as an EDGAR ownership document (``form4.writers.xml``: schema X0508, UTF-8),
        refused when it would break the schema unless ``check=False``."""
        from form4.writers.xml import to_xml  # lxml loads with the writer, not with the model

        return to_xml(self, check=check)

    @classmethod
    def from_dict(cls, data: Any) -> Filing:
        """The filing a dict holds, as ``to_dict`` or ``form4 parse -f json`` gives it (dates as
        YYYY-MM-DD). Raises ``msgspec.ValidationError`` naming the field that does not fit."""
        return msgspec.convert(data, cls)

    @classmethod
    def from_json(cls, data: bytes | str) -> Filing:
        """The filing a JSON object holds, as ``to_json`` writes it."""
        return msgspec.json.decode(data, type=cls)

    @property
    def is_amendment(self) -> bool:
        return bool(self.form_type and self.form_type.endswith("/A"))


_ENCODER = msgspec.json.Encoder()


def is_form(form_type: str, forms: Collection[str]) -> bool:
    """Whether ``form_type`` is one of ``forms`` or an amendment of one: asking for Form 4s
    means their amendments too (a 4/A changes what the 4 said)."""
    return form_type in forms or form_type.removesuffix("/A") in forms
