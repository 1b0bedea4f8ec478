"""The FastAPI application: routes, errors, limits, the store each worker thread reads, and
what keeps the store current while it serves (form4.api.live)."""

from __future__ import annotations

import asyncio
import gc
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI

from form4 import __version__
from form4.api import docs, errors, stream
from form4.api.head import HeadAsGet
from form4.api.limits import BoundedRequests
from form4.api.routes import router
from form4.api.settings import Settings
from form4.api.stores import Stores
from form4.api.stream import Events
from form4.store import Store


def create_app(settings: Settings | None = None) -> FastAPI:
    """The API over ``settings.url``'s store, opened read-only unless the server writes (a
    missing store it only reads fails here)."""
    settings = settings or Settings()
    events = Events(settings.stream_events) if settings.watch else None
    live = None
    if settings.watch or settings.sync_daily:
        from form4.api.live import Live

        live = Live(settings, events)  # EDGAR's settings are checked here, before the server starts
    if settings.writes:  # a server that writes makes its store when there is none, on either engine
        Store(settings.url).close()
    stores = Stores(settings.url, seconds=settings.query_seconds, writable=settings.writes)

    @asynccontextmanager
    async def lifespan(_: FastAPI) -> AsyncIterator[None]:
        # What exists once the server has started (every module the pages and the server imported)
        # lives as long as it: garbage collections need not walk it. Frozen any earlier, a first
        # full collection under load walked the rest and stalled for 0.1 s.
        gc.collect()
        gc.freeze()
        if events is not None:
            events.bind(asyncio.get_running_loop())
        if live is not None:
            live.start()
        yield
        if live is not None:
            await asyncio.to_thread(live.stop)  # the step under way ends first: a batch is stored whole
        gc.unfreeze()
        stores.close()

    app = FastAPI(title="form4", version=__version__, lifespan=lifespan, docs_url=None, redoc_url=None,
                  description="SEC insider-ownership filings (Forms 3, 4, 5): records, transactions, reports.")
    app.state.stores = stores
    app.state.events = events
    app.state.settings = settings
    errors.install(app)
    app.include_router(router)
    app.include_router(stream.router)
    docs.mount(app)  # /docs and /redoc with their scripts served from the package, not a CDN
    from form4.web import mount  # the dashboard: the same app serves its pages

    mount(app, settings)

    app.add_middleware(BoundedRequests, limit=settings.max_request_bytes)
    app.add_middleware(HeadAsGet)  # HEAD wherever GET: the API's endpoints and the dashboard's pages
    if settings.cors_origins:  # off unless asked for: other sites' pages cannot read the API
        from fastapi.middleware.cors import CORSMiddleware

        app.add_middleware(CORSMiddleware, allow_origins=list(settings.cors_origins), allow_methods=["GET"])
    return app
