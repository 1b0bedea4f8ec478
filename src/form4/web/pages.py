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
from form4.analytics.scope import Filters
from form4.analytics.search import search
from form4.api.errors import ApiError
from form4.api.routes import StoreDep, checked_company, filters_of, read_upload, token_matches
from form4.api.settings import Settings
from form4.errors import Form4Error
from form4.model import Filing

_LOW_CONFIDENCE = 0.9  # fields a lossy reader is less sure of than this are marked on the filing page


def _shown(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else ""
    if isinstance(value, float):
        return f"{value:,.0f}" if value.is_integer() else f"{value:,.4f}".rstrip("0")
    if isinstance(value, int):
        return f"{value:,}"
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, list):
        return ", ".join(_shown(v) for v in value)
    return str(value)


_PAGES = Environment(loader=PackageLoader("form4.web", "templates"), autoescape=select_autoescape(["html"]))
_PAGES.filters["shown"] = _shown
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
        counts = db.arrow("SELECT (SELECT count(*) FROM filings) AS filings, "
                          "(SELECT count(*) FROM security_rows WHERE kind = 'transaction') AS transactions")
        return page("home.html", title="Insider filings", counts=counts.to_pylist()[0], live=settings.watch)

    @app.get("/search", include_in_schema=False)
    def find(db: StoreDep, q: Annotated[str, Query(max_length=100)] = "") -> HTMLResponse:
        return page("search.html", title=f"“{q}”", query=q, found=search(db, q))

    @app.get("/issuers/{issuer}", include_in_schema=False)
    def issuer(db: StoreDep, issuer: str) -> HTMLResponse:
        report = reports.issuer_report(db, checked_company(issuer))
        recent = listing.transactions(db, Filters(issuer=report.subject.cik), limit=50).items
        return _report_page(report, recent, ["owner_name", "roles", "officer_title", "first_period", "last_period",
                                             "filings"], {"owner_name": _PAGES.globals["owner_link"]})

    @app.get("/owners/{owner}", include_in_schema=False)
    def owner(db: StoreDep, owner: str) -> HTMLResponse:
        report = reports.owner_report(db, owner)
        recent = listing.transactions(db, Filters(owner=report.subject.cik), limit=50).items
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
        stored_as = None
        if token:
            if not token_matches(request, token):
                return page("upload.html", 403, title="Read a filing",
                            error="the API token is not the one this server was given: nothing was stored")
            stored_as = await run_in_threadpool(request.app.state.stores.store, read)
        return _filing_page(read, stored_as)


def _report_page(report: reports.Report, recent: list[dict[str, Any]], people_columns: list[str],
                 people_links: dict[str, Any]) -> HTMLResponse:
    charts = {chart.name: figure(chart).to_json() for chart in report_charts(report)}
    subject = report.subject
    title = f"{subject.name or subject.cik}" + (f" ({subject.trading_symbol})" if subject.trading_symbol else "")
    return page("report.html", title=title, kind=report.kind, charts=charts, people=report.people,
                people_columns=people_columns, people_links=people_links, recent=recent,
                holdings=report.holdings)


def _filing_page(filing: Filing, stored_as: str | None = None) -> HTMLResponse:
    from form4.writers.html import render_html

    low = sorted((f, c) for f, c in filing.confidence.items() if c < _LOW_CONFIDENCE)
    title = (f"Form {filing.form_type or '?'}: {filing.issuer.name or '?'} · "
             f"{filing.accession_number or filing.source_name}")
    return page("filing.html", title=title, filing=filing, low=low, rendered=render_html(filing),
                record=filing.to_json(indent=2), stored_as=stored_as)
