"""The dashboard's pages: search, issuer, owner, filing, cluster buys, and reading an uploaded filing."""

from __future__ import annotations

import datetime as dt
from http import HTTPStatus
from importlib import resources
from pathlib import Path
from typing import Annotated, Any

from fastapi import FastAPI, File, Form, Query, Request, UploadFile
from fastapi.responses import FileResponse, HTMLResponse
from jinja2 import Environment, PackageLoader, select_autoescape
from starlette.concurrency import run_in_threadpool

from form4.analytics import listing, reports, screens
from form4.analytics.charts import figure, report_charts
from form4.analytics.holdings import HOLDING_COLUMNS
from form4.analytics.scope import Filters, shown_number
from form4.analytics.search import search
from form4.api.errors import ApiError
from form4.api.routes import StoreDep, checked_company, filters_of, read_upload, token_matches
from form4.api.settings import Settings
from form4.errors import Form4Error
from form4.model import Filing
from form4.web.form_view import form_view, short_key

_LOW_CONFIDENCE = 0.9  # fields a lossy reader is less sure of than this are marked on the filing page


def _shown(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else ""
    if isinstance(value, float):
        return shown_number(value)
    if isinstance(value, int):
        return f"{value:,}"
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, list):
        return ", ".join(_shown(v) for v in value)
    return str(value)


_PAGES = Environment(loader=PackageLoader("form4.web", "templates"), autoescape=select_autoescape(["html"]))
_PAGES.filters["shown"] = _shown
_PAGES.filters["key"] = short_key  # sha256: keys cut short in view: they would widen pages past the window
_PAGES.globals.update(
    issuer_link=lambda row: f"/issuers/{row.get('issuer_cik') or row.get('cik')}",
    owner_link=lambda row: f"/owners/{row.get('owner_cik') or row.get('cik')}",
    filing_link=lambda row: f"/filings/{row['accession_number']}")


def page(name: str, status: int = 200, **context: Any) -> HTMLResponse:
    return HTMLResponse(_PAGES.get_template(name).render(**context), status_code=status)


def error_page(status: int, message: str) -> HTMLResponse:
    return page("error.html", status, title=HTTPStatus(status).phrase, message=message)


def mount(app: FastAPI, settings: Settings) -> None:
    """The dashboard's routes and static files on ``app`` (the API's app)."""
    plotly_js = Path(str(resources.files("plotly"))) / "package_data" / "plotly.min.js"
    css = Path(str(resources.files("form4.web"))) / "static" / "form4.css"
    app.state.error_page = error_page  # what a failing page answers (the API's paths keep their JSON)

    @app.get("/static/plotly.min.js", include_in_schema=False)
    def plotly_script() -> FileResponse:
        return FileResponse(plotly_js, media_type="text/javascript")

    @app.get("/static/form4.css", include_in_schema=False)
    def stylesheet() -> FileResponse:
        return FileResponse(css, media_type="text/css")

    @app.get("/", include_in_schema=False)
    def home(db: StoreDep) -> HTMLResponse:
        counts = db.sizes(["filings", "current_rows"])  # the database's statistics: no table is read
        return page("home.html", title="Insider filings", counts=counts, live=settings.watch)

    @app.get("/search", include_in_schema=False)
    def find(db: StoreDep, q: Annotated[str, Query(max_length=100)] = "") -> HTMLResponse:
        return page("search.html", title=f"“{q}”", query=q, found=search(db, q))

    @app.get("/issuers/{issuer}", include_in_schema=False)
    def issuer(db: StoreDep, issuer: str) -> HTMLResponse:
        report = reports.issuer_report(db, checked_company(issuer))
        recent = _latest_transactions(db, Filters(issuer=report.subject.cik))
        return _report_page(report, recent, ["owner_name", "roles", "officer_title", "first_period", "last_period",
                                             "filings"], {"owner_name": _PAGES.globals["owner_link"]})

    @app.get("/owners/{owner}", include_in_schema=False)
    def owner(db: StoreDep, owner: str) -> HTMLResponse:
        report = reports.owner_report(db, owner)
        recent = _latest_transactions(db, Filters(owner=report.subject.cik))
        return _report_page(report, recent, ["issuer_name", "trading_symbol", "roles", "officer_title",
                                             "first_period", "last_period", "filings"],
                            {"issuer_name": _PAGES.globals["issuer_link"]})

    @app.get("/filings/{accession}", include_in_schema=False)
    def filing(db: StoreDep, accession: str) -> HTMLResponse:
        found = next(db.filings(f"accession_number = {db.engine.mark}", [accession]), None)
        if found is None:
            raise ApiError(404, f"accession: the store holds no filing {accession[:40]}")
        return _filing_page(found)

    @app.get("/screens/cluster-buys", include_in_schema=False)
    def clusters(db: StoreDep, window: Annotated[int, Query(ge=0, le=366)] = 10,
                 min_insiders: Annotated[int, Query(ge=1, le=100)] = 3,
                 min_value: Annotated[float | None, Query(ge=0)] = None, since: dt.date | None = None,
                 until: dt.date | None = None,
                 issuer: Annotated[str | None, Query(max_length=12)] = None) -> HTMLResponse:
        filters = filters_of(db, issuer=issuer or None, since=since, until=until, min_value=min_value)
        found = screens.cluster_buys(db, filters, window=window, min_insiders=min_insiders)
        rows = [{**c, "buyer_names": [b["owner_name"] for b in c["buyers"]]} for c in found]
        params = {"window": window, "min_insiders": min_insiders, "min_value": min_value, "since": since,
                  "until": until, "issuer": issuer}
        return page("clusters.html", title="Cluster buys", clusters=rows, params=params)

    @app.get("/upload", include_in_schema=False)
    def upload_form() -> HTMLResponse:
        return page("upload.html", title="Read a filing")

    @app.post("/upload", include_in_schema=False)
    async def upload(request: Request, file: Annotated[UploadFile, File()],
                     token: Annotated[str, Form()] = "") -> HTMLResponse:
        data = await file.read(settings.max_upload_bytes + 1)
        if len(data) > settings.max_upload_bytes:
            return page("upload.html", 413, title="Read a filing",
                        error=f"{file.filename}: larger than {settings.max_upload_bytes:,} bytes")
        name = Path(file.filename or "upload").name
        try:
            read = await run_in_threadpool(read_upload, data, name)  # OCR takes seconds: not on the event loop
        except Form4Error as exc:  # the hardened readers' one line: which file, which field
            return page("upload.html", 422, title="Read a filing", error=str(exc))
        if not token:
            return _filing_page(read, not_stored="no API token was given (the reading alone was asked for)")
        if settings.token is None:
            return _filing_page(read, 403, not_stored="this server was started without an API token "
                                                      "(form4 serve --token): it stores nothing")
        if not token_matches(request, token):
            return _filing_page(read, 403, not_stored="the API token is not the one this server was given")
        stored_as = await run_in_threadpool(request.app.state.stores.store, read)
        return _filing_page(read, stored_as=stored_as)


_LATEST = 50  # transactions on a report page


def _latest_transactions(db: Any, filters: Filters) -> list[dict[str, Any]]:
    """The latest transactions, each once: the store lists a row of the form once per owner of
    its filing, and a joint filing's row is one transaction, made by its owners together."""
    found = listing.transactions(db, filters, limit=4 * _LATEST)
    merged: dict[tuple[str, str, int], dict[str, Any]] = {}
    for row in found.items:
        key = (row["accession_number"], row["table"], row["row_index"])
        owner = {"name": row["owner_name"], "cik": row["owner_cik"]}
        if key in merged:
            merged[key]["owners"].append(owner)
        else:
            merged[key] = {**row, "owners": [owner]}
    transactions = list(merged.values())
    if found.next is not None:  # the page ended inside the last transaction's owners, maybe
        transactions.pop()
    for transaction in transactions:
        transaction["owner_name"] = "; ".join(o["name"] or o["cik"] or "?" for o in transaction["owners"])
    return transactions[:_LATEST]


def _report_page(report: reports.Report, recent: list[dict[str, Any]], people_columns: list[str],
                 people_links: dict[str, Any]) -> HTMLResponse:
    charts = {chart.name: figure(chart).to_json() for chart in report_charts(report)}
    subject = report.subject
    title = f"{subject.name or subject.cik}" + (f" ({subject.trading_symbol})" if subject.trading_symbol else "")
    return page("report.html", title=title, kind=report.kind, charts=charts, people=report.people,
                people_columns=people_columns, people_links=people_links, recent=recent,
                holdings=report.holdings, holding_columns=["owner_name", "trading_symbol", *HOLDING_COLUMNS])


def _filing_page(filing: Filing, status: int = 200, *, stored_as: str | None = None,
                 not_stored: str | None = None) -> HTMLResponse:
    """A filing's page: the record laid out as the form, its JSON and its EDGAR rendering a click away."""
    from form4.store.records import key_of
    from form4.writers.html import render_html

    key = key_of(filing)
    title = f"Form {filing.form_type or '?'}: {filing.issuer.name or '?'} · {short_key(key)}"
    return page("filing.html", status, title=title, filing=filing, key=key, view=form_view(filing, _LOW_CONFIDENCE),
                rendered=render_html(filing), record=filing.to_json(indent=2), stored_as=stored_as,
                not_stored=not_stored, refused=status >= 400)
