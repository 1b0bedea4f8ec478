"""The API's endpoints: each reads its parameters, calls the library, and shapes the answer."""

from __future__ import annotations

import datetime as dt
import hmac
import re
from collections.abc import Iterator
from typing import Annotated, Any

import msgspec
from fastapi import APIRouter, Depends, Query, Request, Response
from starlette.concurrency import run_in_threadpool

from form4.analytics import columns, listing, reports, scope, screens
from form4.analytics.scope import Filters
from form4.api.errors import ApiError
from form4.store import Store
from form4.store.records import key_of
from form4.writers.csv import csv_text

router = APIRouter(prefix="/api")
# an EDGAR accession number, or the content key of a filing read without one (form4.store.records)
_ACCESSION = re.compile(r"\d{10}-\d{2}-\d{6}|sha256:[0-9a-f]{64}")


def store(request: Request) -> Iterator[Store]:
    with request.app.state.stores.lend() as lent:
        yield lent


StoreDep = Annotated[Store, Depends(store)]
Limit = Annotated[int, Query(ge=1, le=listing.MAX_LIMIT, description="At most this many items (1 to 1000).")]
Day = Annotated[dt.date | None, Query(description="A day, YYYY-MM-DD (included).")]
Cik = Annotated[str | None, Query(max_length=10, pattern=r"^\d{1,10}$", description="A CIK.")]
Company = Annotated[str | None, Query(max_length=12, pattern=r"^[A-Za-z0-9.\-]{1,12}$",
                                      description="A CIK or a ticker.")]
MinValue = Annotated[float | None, Query(ge=0, le=1e15, allow_inf_nan=False,
                                         description="Only trades of at least this many dollars.")]
Format = Annotated[str | None, Query(pattern="^(json|csv)$",
                                     description="csv for a list as CSV (or Accept: text/csv).")]


def filters_of(db: Store, *, issuer: str | None = None, owner: str | None = None, since: dt.date | None = None,
               until: dt.date | None = None, min_value: float | None = None,
               role: list[str] | None = None, probe: bool = True) -> Filters:
    """The request's filters, its issuer resolved (a ticker or CIK the store does not hold is a 404).
    ``probe=False`` leaves an issuer's CIK unchecked: a list checks it only when it comes back empty."""
    unchecked = not probe and issuer is not None and scope.is_cik(issuer)
    return Filters(issuer=(scope.cik(issuer) if unchecked else scope.issuer_cik(db, issuer)) if issuer else None,
                   owner=scope.cik(owner) if owner else None, since=since, until=until, min_value=min_value,
                   roles=frozenset(r for value in role or () for r in value.split(",") if r))


def listed(db: Store, issuer: str | None, page: listing.Page) -> listing.Page:
    """A page of a list filtered by an unchecked issuer CIK: an empty one is a 404 if the store holds
    no filing of that issuer at all (a page with rows shows it does, without a query of its own)."""
    if issuer is not None and not page.items:
        scope.issuer_cik(db, issuer)
    return page


def json_response(data: Any, status: int = 200) -> Response:
    return Response(msgspec.json.encode(data), status_code=status, media_type="application/json")


def _wants_csv(request: Request, format: str | None) -> bool:
    return format == "csv" or (format is None and "text/csv" in request.headers.get("accept", ""))


def _answer(request: Request, format: str | None, items: list[dict[str, Any]], data: Any = None,
            columns: tuple[str, ...] = ()) -> Response:
    """A list as JSON (``data``, or the items themselves) or, when asked, its items as CSV (the
    project's one CSV; ``columns`` name the header of an empty list)."""
    if not _wants_csv(request, format):
        return json_response(items if data is None else data)
    return Response(csv_text(items, if_empty=columns), media_type="text/csv; charset=utf-8")


def _page(request: Request, format: str | None, page: listing.Page, name: str) -> Response:
    columns: tuple[str, ...] = ()
    if not page.items and _wants_csv(request, format):  # an empty page as CSV still names its columns
        with request.app.state.stores.lend() as db:
            columns = listing.columns(db, name)
    return _answer(request, format, page.items, page.to_dict(), columns)


@router.get("/filings", summary="Stored filings, newest first, a page at a time")
def filings(request: Request, db: StoreDep, issuer: Company = None, owner: Cik = None,
            form: Annotated[str | None, Query(pattern="^[345]$")] = None, since: Day = None, until: Day = None,
            limit: Limit = 100, cursor: Annotated[str | None, Query(max_length=400)] = None,
            format: Format = None) -> Response:
    filters = filters_of(db, issuer=issuer, owner=owner, since=since, until=until, probe=False)
    page = listing.filings(db, filters, form=form, limit=limit, cursor=cursor)
    return _page(request, format, listed(db, issuer, page), "filings")


@router.get("/filings/{accession}", summary="One filing's record, as `form4 parse --format json` prints it")
def filing(db: StoreDep, accession: str, format: Annotated[str | None, Query(pattern="^(json|html)$")] = None
           ) -> Response:
    if not _ACCESSION.fullmatch(accession):
        raise ApiError(400, f"accession: {accession[:40]!r} is not an accession number (0001234567-24-000001)",
                       "invalid_parameter")
    found = next(db.filings(f"accession_number = {db.engine.mark}", [accession]), None)
    if found is None:
        raise ApiError(404, f"accession: the store holds no filing {accession}")
    if format == "html":
        from form4.writers.html import render_html

        return Response(render_html(found), media_type="text/html; charset=utf-8")
    return Response(found.to_json(indent=2) + "\n", media_type="application/json")


@router.get("/transactions", summary="Transactions (one row per table row and owner), newest first")
async def transactions(request: Request, issuer: Company = None, owner: Cik = None, since: Day = None,
                       until: Day = None, code: Annotated[str | None, Query(pattern="^[A-Z]$")] = None,
                       table: Annotated[str | None, Query(pattern="^(non_derivative|derivative)$")] = None,
                       min_value: MinValue = None, limit: Limit = 100,
                       cursor: Annotated[str | None, Query(max_length=400)] = None,
                       format: Format = None) -> Response:
    def page() -> listing.Page:  # the store answers from its indexes, on a worker thread
        with request.app.state.stores.lend() as db:
            filters = filters_of(db, issuer=issuer, owner=owner, since=since, until=until, min_value=min_value,
                                 probe=False)
            return listed(db, issuer, listing.transactions(db, filters, code=code, table=table, limit=limit,
                                                           cursor=cursor))
    return await run_in_threadpool(lambda: _page(request, format, page(), "transactions"))


@router.get("/holdings", summary="Holdings rows, newest period first")
def holdings(request: Request, db: StoreDep, issuer: Company = None, owner: Cik = None, since: Day = None,
             until: Day = None, limit: Limit = 100, cursor: Annotated[str | None, Query(max_length=400)] = None,
             format: Format = None) -> Response:
    filters = filters_of(db, issuer=issuer, owner=owner, since=since, until=until, probe=False)
    return _page(request, format, listed(db, issuer, listing.holdings(db, filters, limit=limit, cursor=cursor)),
                 "holdings")


_Period = Annotated[str, Query(pattern="^(month|quarter|year)$")]


@router.get("/issuers/{issuer}", summary="An issuer: its name, insiders and activity")
def issuer(db: StoreDep, issuer: str, period: _Period = "quarter", since: Day = None, until: Day = None
           ) -> Response:
    report = reports.issuer_report(db, checked_company(issuer), Filters(since=since, until=until), period=period)
    return json_response(report.to_dict())


@router.get("/owners/{owner}", summary="A reporting owner across every issuer they report at")
def owner(db: StoreDep, owner: str, period: _Period = "quarter", since: Day = None, until: Day = None
          ) -> Response:
    report = reports.owner_report(db, scope.cik(owner), Filters(since=since, until=until), period=period)
    return json_response(report.to_dict())


def checked_company(text: str) -> str:
    """A path's issuer, checked to be a CIK or a ticker before anything looks it up."""
    if not re.fullmatch(r"[A-Za-z0-9.\-]{1,12}", text):
        raise ApiError(400, f"issuer: {text[:40]!r} is not a CIK or a ticker", "invalid_parameter")
    return text


@router.get("/reports/short-swing", summary="Section 16(b) profit, as `form4 report short-swing -f json`")
def short_swing(db: StoreDep, owner: Annotated[str, Query(pattern=r"^\d{1,10}$")], issuer: Annotated[str, Query(
        pattern=r"^[A-Za-z0-9.\-]{1,12}$")], since: Day = None, until: Day = None) -> Response:
    result = reports.short_swing_report(db, owner, issuer, Filters(since=since, until=until))
    return json_response(result.to_dict())


Roles = Annotated[list[str] | None, Query(description="director, officer, ten_percent_owner, other, ceo, cfo")]


@router.get("/screens/cluster-buys", summary="Three or more insiders buying within a window")
def cluster_buys(request: Request, db: StoreDep, window: Annotated[int, Query(ge=0, le=366)] = 10,
                 min_insiders: Annotated[int, Query(ge=1, le=100)] = 3, min_value: MinValue = None,
                 since: Day = None, until: Day = None, issuer: Company = None, role: Roles = None,
                 limit: Limit = 100, format: Format = None) -> Response:
    filters = filters_of(db, issuer=issuer, since=since, until=until, min_value=min_value, role=role)
    rows = screens.cluster_buys(db, filters, window=window, min_insiders=min_insiders, limit=limit)
    return _answer(request, format, rows, columns=columns.CLUSTER_BUYS)


def _trade_screen(name: str, run: Any, summary: str) -> None:
    def endpoint(request: Request, db: StoreDep, min_value: MinValue = None, since: Day = None,
                 until: Day = None, issuer: Company = None, role: Roles = None, limit: Limit = 100,
                 format: Format = None) -> Response:
        filters = filters_of(db, issuer=issuer, since=since, until=until, min_value=min_value, role=role)
        return _answer(request, format, run(db, filters, limit), columns=columns.SCREENS[name])

    router.add_api_route(f"/screens/{name}", endpoint, methods=["GET"], summary=summary, name=name)


_trade_screen("purchases", lambda db, f, n: screens.trades(db, f, code="P", limit=n),
              "The latest open-market purchases, as `form4 screen purchases -f json`")
_trade_screen("sales", lambda db, f, n: screens.trades(db, f, code="S", limit=n),
              "The latest open-market sales, each with its 10b5-1 plan flag")
_trade_screen("officer-buys", lambda db, f, n: screens.officer_purchases(db, f, limit=n),
              "Open-market purchases by CEOs and CFOs")


async def _body(request: Request) -> bytes:
    """The request's body, read up to the upload cap (a body that claims less and sends more is cut off)."""
    limit = request.app.state.settings.max_upload_bytes
    data = bytearray()
    async for chunk in request.stream():
        data += chunk
        if len(data) > limit:
            raise ApiError(413, f"the filing is larger than {limit:,} bytes")
    if not data:
        raise ApiError(400, "the request has no body: send the filing's bytes", "invalid_parameter")
    return bytes(data)


def read_upload(data: bytes, name: str | None) -> Any:
    """A filing sent to the server, through the same hardened readers as ``form4 parse``."""
    from form4.parse import read_bytes

    return read_bytes(data, name or "upload")


def token_matches(request: Request, given: str) -> bool:
    """Whether ``given`` is the server's API token (none configured: nothing matches)."""
    token = request.app.state.settings.token
    return token is not None and hmac.compare_digest(given.encode(), token.encode())


Name = Annotated[str | None, Query(max_length=200, pattern=r"^[\w.\-]+$", description="The file's name.")]


@router.post("/parse", summary="Read a filing sent as the body (XML, submission, HTML, PDF, text); nothing stored")
async def parse(request: Request, name: Name = None) -> Response:
    filing = await run_in_threadpool(read_upload, await _body(request), name)
    return Response(filing.to_json(indent=2) + "\n", media_type="application/json")


@router.post("/filings", status_code=201, summary="Read a filing sent as the body and store it (API token)")
async def store_filing(request: Request, name: Name = None) -> Response:
    if request.app.state.settings.token is None:
        raise ApiError(403, "this server writes nothing: start it with an API token (--token, FORM4_API_TOKEN)")
    if not token_matches(request, request.headers.get("authorization", "").removeprefix("Bearer ")):
        raise ApiError(401, "the request needs the server's API token: Authorization: Bearer TOKEN")
    filing = await run_in_threadpool(read_upload, await _body(request), name)
    before = await run_in_threadpool(_held, request, key_of(filing))
    key = await run_in_threadpool(request.app.state.stores.store, filing)
    return json_response({"stored": key, "already_stored": before, "filing": msgspec.json.decode(filing.to_json())},
                         status=200 if before else 201)  # storing is idempotent: the second time creates nothing


def _held(request: Request, key: str) -> bool:
    with request.app.state.stores.lend() as db:
        return bool(db.stored_accessions([key]))
