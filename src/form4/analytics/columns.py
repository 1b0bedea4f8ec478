"""The columns of each analytics list, in order: what its CSV's header names when the list is
empty (a list with rows is written with its rows' own keys; tests/writers/test_csv_everywhere.py
checks that these are the same)."""

from __future__ import annotations

import dataclasses

from form4.analytics.short_swing import Pair

TRADES = ("accession_number", "row_index", "filed_at", "transaction_date", "issuer_cik", "issuer_name",
          "trading_symbol", "owner_cik", "owner_name", "officer_title", "security_title", "transaction_code",
          "shares", "price_per_share", "value", "shares_owned_following", "roles")
SALES = (*TRADES, "plan")
CLUSTER_BUYS = ("issuer_cik", "issuer_name", "trading_symbol", "start", "end", "insiders", "purchases", "shares",
                "value", "buyers")
ACTIVITY = ("owner_cik", "owner_name", "period", "category", "transactions", "shares_acquired", "shares_disposed",
            "value_acquired", "value_disposed", "net_shares", "plan_shares", "plan_share")
SHORT_SWING_PAIRS = tuple(f.name for f in dataclasses.fields(Pair))

SCREENS = {"purchases": TRADES, "sales": SALES, "officer-buys": TRADES, "cluster-buys": CLUSTER_BUYS}

__all__ = ["ACTIVITY", "CLUSTER_BUYS", "SALES", "SCREENS", "SHORT_SWING_PAIRS", "TRADES"]
