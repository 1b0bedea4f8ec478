"""Drafting a Form 4 or 5 from a list of trades, with the owner's details and holdings from the store.

    from form4.drafting import draft_form4, read_trades
    trades = read_trades(Path("trades.csv").read_text(), source="trades.csv")   # .trades, .errors
    draft = draft_form4(store, owner="1891801", issuer="1830081", trades=trades.trades)
    for due in draft.trades:
        print(due.trade.source, due.due, due.business_days_late)
    if draft.ok:
        Path("form4.xml").write_bytes(draft.document)    # schema-valid ownership XML

The draft reads the store through SQL only (form4.drafting.history); the trades file's columns
are in form4.drafting.trades, how shares owned following continue the reported holdings in
form4.drafting.balances, the forms' rules and checks in form4.drafting.forms.
"""

from form4.drafting.forms import (
    FORM5_CODES,
    GIFTS_ON_FORM4_FROM,
    Draft,
    TradeDue,
    draft_form4,
    draft_form5,
    fiscal_year,
    form5_item,
)
from form4.drafting.trades import COLUMNS, REQUIRED, Trade, TradeList, read_trades

__all__ = ["COLUMNS", "FORM5_CODES", "GIFTS_ON_FORM4_FROM", "REQUIRED", "Draft", "Trade", "TradeDue", "TradeList",
           "draft_form4", "draft_form5", "fiscal_year", "form5_item", "read_trades"]
