"""``form4 serve``: the REST API over a store (a thin shell over ``form4.api``), and with
``--watch``/``--sync-daily`` what keeps the store current meanwhile. Registered on
``form4.cli.app``."""

from __future__ import annotations

import logging
from typing import Annotated

import typer
from rich.console import Console

from form4.cli.app import command, is_quiet
from form4.cli.options import DbOption, FormsOption, forms_of
from form4.extras import require


@command()
def serve(
    ctx: typer.Context,
    db: DbOption = None,
    host: Annotated[str, typer.Option(help="The address to listen on; 0.0.0.0 for every interface.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(min=1, max=65535, help="The port to listen on.")] = 8000,
    token: Annotated[str | None, typer.Option(
        envvar="FORM4_API_TOKEN", show_envvar=True,
        help="The API token that writes need; without one the API writes nothing.")] = None,
    watch: Annotated[bool, typer.Option(
        "--watch", help="Watch EDGAR as `form4 watch` does, store what is new, and stream its transactions at "
                        "/api/stream and on the dashboard's home page.")] = False,
    watch_interval: Annotated[float, typer.Option(min=1.0, help="Seconds between the watch's polls of EDGAR's "
                                                  "latest filings.")] = 60,
    sync_daily: Annotated[bool, typer.Option(
        "--sync-daily", help="Sync the days before today from EDGAR's daily index, as `form4 sync` does: at start "
                             "(the days since the last one synced) and once a day.")] = False,
    forms: FormsOption = "3,4,5",
    catch_up: Annotated[int, typer.Option(min=0, help=(
        "Days back the watch and the daily sync catch up at most when the server starts."))] = 7,
) -> None:
    """Serve the REST API over the store: JSON (CSV for lists), OpenAPI at /openapi.json, docs at /docs.

    Endpoints: /api/filings, /api/filings/ACCESSION (?format=html), /api/transactions, /api/holdings,
    /api/issuers/CIK_OR_TICKER, /api/owners/CIK, /api/reports/short-swing, /api/screens/purchases, sales,
    officer-buys and cluster-buys; with --watch, /api/stream (server-sent events). Ctrl-C stops it.

    The server reads a DuckDB store read-only unless it writes to it (--token, --watch, --sync-daily): other
    commands may read it meanwhile, none may write. A server that writes is the DuckDB file's only user: it
    stores what --watch and --sync-daily fetch itself, and other commands cannot open the file until it stops.
    A PostgreSQL store allows any command at any time. --watch and --sync-daily need FORM4_USER_AGENT
    ("Name you@example.com"), as `form4 watch` and `form4 sync` do.
    """
    uvicorn = require("uvicorn", "web", "serving the API")
    require("fastapi", "web", "serving the API")
    from form4.api import Settings, create_app

    settings = Settings(url=db, token=token, watch=watch, watch_interval=watch_interval,
                        sync_daily=sync_daily, forms=tuple(forms_of(forms)), catch_up_days=catch_up)
    stderr = Console(stderr=True)
    if (watch or sync_daily) and not is_quiet(ctx):
        _log_to(stderr)
    app = create_app(settings)
    stderr.print(f"form4 API on http://{host}:{port}/ (docs at /docs)", highlight=False)
    # open streams (/api/stream) never end by themselves: Ctrl-C closes them after a moment
    uvicorn.run(app, host=host, port=port, log_level="warning", access_log=False, timeout_graceful_shutdown=2)


def _log_to(console: Console) -> None:
    """The watch's and the daily sync's news on standard error, a line each."""
    handler = logging.StreamHandler(console.file)
    handler.setFormatter(logging.Formatter("%(asctime)s %(message)s", "%H:%M:%S"))
    live = logging.getLogger("form4.api.live")
    live.addHandler(handler)
    live.setLevel(logging.INFO)
    live.propagate = False
