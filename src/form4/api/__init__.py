"""The REST API: the store and form4's answers over HTTP, as JSON (or CSV for lists).

    from form4.api import Settings, create_app
    app = create_app(Settings(url="form4.duckdb"))     # serve with uvicorn; `form4 serve` does

A thin shell: every answer is a call into ``form4.analytics`` or the store, which a Python user
can make too. The store is opened read-only unless the server writes: uploads with the configured
API token, and with ``Settings(watch=True)`` / ``sync_daily=True`` the watch of EDGAR and the daily
sync (form4.api.live), whose new transactions /api/stream sends as they are stored.
"""

from form4.api.app import create_app
from form4.api.settings import Settings

__all__ = ["Settings", "create_app"]
