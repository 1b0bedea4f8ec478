"""Holdings as the forms give them: one line of the form per holding, the latest of each line,
on real SNOW filings (a Form 4 with eight trusts, a Form 5 with two, a Form 3 of derivatives) read
through the CLI as typed and the API over HTTP, and on small filings made to show each rule."""

from __future__ import annotations

import datetime as dt
import json
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from form4.analytics import reports
from form4.api import Settings, create_app
from form4.cli import app
from form4.model import DerivativeHolding, DerivativeTransaction, NonDerivativeHolding
from form4.store import Store
from tests.analytics.history import ACME, ALICE, form4, trade
from tests.conftest import ROOT

SNOW = [ROOT / "examples" / "filings" / f"{name}-snow.xml" for name in ("form3", "form4", "form5")]
runner = CliRunner()


def _value(row: ET.Element, path: str) -> str | None:
    found = row.find(f"{path}/value")
    return found.text.strip() if found is not None and found.text and found.text.strip() else None


def _lines_of(xml: Path) -> list[tuple[str, str, str, str, float | None, float | None]]:
    """What the form lists as holdings, read straight from the XML (the oracle): each holding row
    is a line; the transactions of a line (same table, security, terms and ownership) end at the
    balance after the last. (table, title, D/I, nature, shares after, underlying shares of a holding.)"""
    root = ET.parse(xml).getroot()
    lines: dict[tuple[Any, ...], tuple[str, str, str, str, float | None, float | None]] = {}
    for table in ("nonDerivative", "derivative"):
        name = "non_derivative" if table == "nonDerivative" else "derivative"
        for index, row in enumerate(root.iter(f"{table}Holding")):
            after, under = _value(row, "postTransactionAmounts/sharesOwnedFollowingTransaction"), \
                _value(row, "underlyingSecurity/underlyingSecurityShares")
            lines[("holding", index)] = (name, _value(row, "securityTitle") or "",
                                         _value(row, "ownershipNature/directOrIndirectOwnership") or "",
                                         _value(row, "ownershipNature/natureOfOwnership") or "",
                                         float(after) if after else None, float(under) if under else None)
        for row in root.iter(f"{table}Transaction"):
            terms = tuple(_value(row, p) for p in ("securityTitle", "conversionOrExercisePrice", "expirationDate",
                                                   "ownershipNature/directOrIndirectOwnership",
                                                   "ownershipNature/natureOfOwnership"))
            after = _value(row, "postTransactionAmounts/sharesOwnedFollowingTransaction")
            lines[("transaction", table, terms)] = (name, terms[0] or "", terms[3] or "", terms[4] or "",
                                                    float(after) if after else None, None)
    return sorted(lines.values(), key=repr)


def _shown_lines(holdings: list[dict[str, Any]], owner: str) -> list[tuple[Any, ...]]:
    return sorted(((h["table"], h["security_title"], h["direct_or_indirect"], h["nature_of_ownership"] or "",
                    h["shares"], h["underlying_shares"]) for h in holdings if h["owner_name"] == owner), key=repr)


@pytest.fixture
def snow(store_url: str) -> str:
    result = runner.invoke(app, ["ingest", "--db", store_url, *map(str, SNOW)])
    assert result.exit_code == 0, result.output
    return store_url


OWNERS = {"form3": "GARRETT MARK", "form4": "Scarpelli Michael", "form5": "McMahon John Dennis"}


def test_cli_report_lists_every_line_of_each_form(snow: str) -> None:
    result = runner.invoke(app, ["report", "issuer", "SNOW", "--db", snow, "-f", "json"])
    assert result.exit_code == 0, result.output
    holdings = json.loads(result.stdout)["holdings"]
    for xml in SNOW:
        owner = OWNERS[xml.name.split("-")[0]]
        expected = [(t, title, d, n, after, under) for t, title, d, n, after, under in _lines_of(xml)]
        assert _shown_lines(holdings, owner) == expected, owner
    scarpelli = [h for h in holdings if h["owner_name"] == "Scarpelli Michael" and h["nature_of_ownership"] == "Trust"]
    assert len(scarpelli) == 8 and sum(h["shares"] for h in scarpelli) == 793488
    assert len({h["ownership_footnote"] for h in scarpelli}) == 8  # each trust named by its footnote
    mcmahon = sorted(h["shares"] for h in holdings if h["owner_name"] == "McMahon John Dennis")
    assert mcmahon == [54666, 125737, 151188]
    garrett = [h for h in holdings if h["owner_name"] == "GARRETT MARK"]
    assert {h["table"] for h in garrett} == {"derivative"} and len(garrett) == 6
    preferred = next(h for h in garrett if h["security_title"] == "Series E Preferred Stock")
    assert (preferred["underlying_shares"], preferred["underlying_security_title"]) == (134018, "Class B Common Stock")
    options = [h for h in garrett if h["security_title"].startswith("Stock Option")]
    assert {(h["conversion_or_exercise_price"], h["expiration_date"]) for h in options} == {(3.74, "2028-04-14")}
    option = next(h for h in holdings if h["owner_name"] == "Scarpelli Michael" and h["table"] == "derivative")
    assert (option["shares"], option["conversion_or_exercise_price"], option["expiration_date"]) == \
        (2219299, 8.88, "2029-08-26")


def test_cli_table_shows_each_trust_apart(snow: str) -> None:
    result = runner.invoke(app, ["report", "issuer", "SNOW", "--db", snow], env={"COLUMNS": "400"})
    assert result.exit_code == 0, result.output
    for shares in ("577,218", "178,947", "151,188", "125,737", "134,018", "383,594", "2,219,299"):
        assert shares in result.stdout
    assert "Scarpelli Family Trust" in result.stdout


def test_api_issuer_and_owner_give_the_same_lines(snow: str) -> None:
    with Store(snow, read_only=True) as store:
        expected = reports.issuer_report(store, "SNOW").to_dict()["holdings"]
    with TestClient(create_app(Settings(url=snow))) as client:
        answer = client.get("/api/issuers/SNOW")
        assert answer.status_code == 200
        assert answer.json()["holdings"] == json.loads(json.dumps(expected))
        owner = client.get("/api/owners/1402349").json()["holdings"]
    assert sorted(h["shares"] for h in owner if h["table"] == "non_derivative") == sorted(
        [101097, 577218, 178947, 9686, 9686, 9686, 2755, 2755, 2755])


# --- the rules, each on filings made to show it -----------------------------------------------

TRUSTS = {"F1": "Shares held by the Smith 2019 Annuity Trust.", "F2": "Shares held by the Smith Family Trust."}


def _trust(shares: float, note: str, *, nature: str = "By Trust") -> NonDerivativeHolding:
    return NonDerivativeHolding(security_title="Common Stock", shares_owned_following=shares, direct_or_indirect="I",
                                nature_of_ownership=nature, footnotes={"nature_of_ownership": [note]} if note else {})


def _holdings_of(url: str, filings: list[Any]) -> list[dict[str, Any]]:
    with Store(url) as store:
        store.ingest_filings(filings)
    with Store(url, read_only=True) as store:
        return reports.issuer_report(store, ACME.cik).holdings


def test_a_line_is_followed_by_its_footnote_text_not_its_number(store_url: str) -> None:
    first = form4([ALICE], [trade("2024-01-10", "S", 100, 10.0, after=900)], footnotes=TRUSTS,
                  holdings=[_trust(5000, "F1"), _trust(700, "F2")])
    # the next filing numbers the footnotes otherwise, spaces and case differ, and only one trust sold
    later = form4([ALICE], [trade("2024-03-05", "S", 200, 11.0, after=4800, ownership="I",
                                  notes={"nature_of_ownership": ["F3"]})],
                  footnotes={"F3": "  shares held by the  SMITH 2019 Annuity\n   Trust. "})
    later.non_derivative_transactions[0].nature_of_ownership = "by trust"
    lines = _holdings_of(store_url, [first, later])
    assert sorted((h["direct_or_indirect"], h["shares"], h["date"].isoformat()) for h in lines) == [
        ("D", 900, "2024-01-10"), ("I", 700, "2024-01-10"), ("I", 4800, "2024-03-05")]


def test_unlabelled_lines_of_one_filing_stay_apart_and_an_amendment_replaces_them(store_url: str) -> None:
    original = form4([ALICE], [], footnotes={}, holdings=[_trust(300, ""), _trust(400, "")], filed="2024-01-04")
    lines = _holdings_of(store_url, [original])
    assert sorted(h["shares"] for h in lines) == [300, 400]
    amended = form4([ALICE], [], holdings=[_trust(300, ""), _trust(450, "")], form_type="4/A", filed="2024-01-09",
                    date_of_original_submission=dt.date(2024, 1, 4))
    assert sorted(h["shares"] for h in _holdings_of(store_url, [amended])) == [300, 450]


def test_table_ii_lines_differ_by_their_terms(store_url: str) -> None:
    def option(price: float, expires: str, count: float | None, under: float) -> DerivativeHolding:
        return DerivativeHolding(security_title="Stock Option", conversion_or_exercise_price=price,
                                 expiration_date=dt.date.fromisoformat(expires), underlying_security_title="Common",
                                 underlying_shares=under, shares_owned_following=count, direct_or_indirect="D")
    grant = form4([ALICE], [], form_type="3", holdings=[], derivative_holdings=[
        option(10.0, "2030-01-01", None, 1000), option(12.5, "2031-01-01", None, 2000)])
    exercise = form4([ALICE], [], derivative_transactions=[DerivativeTransaction(
        security_title="Stock Option", conversion_or_exercise_price=10.0, transaction_date=dt.date(2024, 6, 3),
        transaction_code="M", shares=250, acquired_disposed="D", expiration_date=dt.date(2030, 1, 1),
        underlying_security_title="Common", underlying_shares=250, shares_owned_following=750,
        direct_or_indirect="D")])
    lines = _holdings_of(store_url, [grant, exercise])
    assert sorted((h["conversion_or_exercise_price"], h["shares"], h["underlying_shares"]) for h in lines) == [
        (10.0, 750, None), (12.5, None, 2000)]
