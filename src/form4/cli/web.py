"""``form4 serve``: the REST API over a store (a thin shell over ``form4.api``). Registered on
``form4.cli.app``."""

from __future__ import annotations

from typing import Annotated

import typer
from rich.console import Console

from form4.cli.app import command
from form4.cli.options import DbOption
from form4.extras import require


@command()
def serve(
    db: DbOption = None,
    host: Annotated[str, typer.Option(help="The address to listen on; 0.0.0.0 for every interface.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(min=1, max=65535, help="The port to listen on.")] = 8000,
    token: Annotated[str | None, typer.Option(
        envvar="FORM4_API_TOKEN", show_envvar=True,
        help="The API token that writes need; without one the API writes nothing.")] = None,
    index_dir: Annotated[str | None, typer.Option(
        help="Keep the transactions index here: a server started again over the same store reads it back "
             "instead of reading every transaction (a temporary directory otherwise).")] = None,
) -> None:
    """Serve the REST API over the store, read-only: JSON (CSV for lists), OpenAPI at /openapi.json, docs at /docs.

    Endpoints: /api/filings, /api/filings/ACCESSION (?format=html), /api/transactions, /api/holdings,
    /api/issuers/CIK_OR_TICKER, /api/owners/CIK, /api/reports/short-swing, /api/screens/purchases, sales,
    officer-buys and cluster-buys. Ctrl-C stops it.
    """
    uvicorn = require("uvicorn", "web", "serving the API")
    require("fastapi", "web", "serving the API")
    from form4.api import Settings, create_app

    app = create_app(Settings(url=db, token=token, index_dir=index_dir))
    Console(stderr=True).print(f"form4 API on http://{host}:{port}/ (docs at /docs)", highlight=False)
    uvicorn.run(app, host=host, port=port, log_level="warning", access_log=False)
