"""The API's documentation pages, /docs (Swagger UI) and /redoc (ReDoc), served with no CDN.

FastAPI's own pages load Swagger UI and ReDoc from a CDN, so they are blank on a machine
without the internet. These pages are FastAPI's, pointed at the scripts and stylesheet that
the ``fastapi-offline`` package ships (the web extra installs it) and that this server
serves itself under /docs/assets/.
"""

from __future__ import annotations

from importlib import resources
from pathlib import Path

from fastapi import FastAPI, HTTPException
from fastapi.openapi.docs import get_redoc_html, get_swagger_ui_html, get_swagger_ui_oauth2_redirect_html
from fastapi.responses import FileResponse, HTMLResponse

from form4.extras import require

ASSETS = "/docs/assets"
# the files a page may ask for, and their media types: nothing else of the package is served
_MEDIA = {"swagger-ui-bundle.js": "text/javascript", "swagger-ui.css": "text/css",
          "redoc.standalone.js": "text/javascript", "favicon.png": "image/png"}


def _assets() -> Path:
    require("fastapi_offline", "web", "the API's documentation pages")
    return Path(str(resources.files("fastapi_offline"))) / "static"


def mount(app: FastAPI) -> None:
    """/docs, /redoc and their assets on ``app``, which is made with ``docs_url=None,
    redoc_url=None`` (FastAPI's CDN pages off)."""
    folder = _assets()
    openapi_url = app.openapi_url or "/openapi.json"
    redirect_url = app.swagger_ui_oauth2_redirect_url or "/docs/oauth2-redirect"

    @app.get(f"{ASSETS}/{{name}}", include_in_schema=False)
    def asset(name: str) -> FileResponse:
        if name not in _MEDIA:
            raise HTTPException(404, f"no documentation asset {name[:60]}")
        # a new package version brings new files: a day's caching is enough
        return FileResponse(folder / name, media_type=_MEDIA[name], headers={"Cache-Control": "max-age=86400"})

    @app.get("/docs", include_in_schema=False)
    def swagger_ui() -> HTMLResponse:
        return get_swagger_ui_html(openapi_url=openapi_url, title=f"{app.title} API",
                                   swagger_js_url=f"{ASSETS}/swagger-ui-bundle.js",
                                   swagger_css_url=f"{ASSETS}/swagger-ui.css",
                                   swagger_favicon_url=f"{ASSETS}/favicon.png",
                                   oauth2_redirect_url=redirect_url, swagger_ui_parameters=app.swagger_ui_parameters)

    @app.get(redirect_url, include_in_schema=False)
    def swagger_ui_redirect() -> HTMLResponse:
        return get_swagger_ui_oauth2_redirect_html()

    @app.get("/redoc", include_in_schema=False)
    def redoc() -> HTMLResponse:
        # no Google Fonts either: ReDoc falls back on the system's fonts
        return get_redoc_html(openapi_url=openapi_url, title=f"{app.title} API",
                              redoc_js_url=f"{ASSETS}/redoc.standalone.js",
                              redoc_favicon_url=f"{ASSETS}/favicon.png", with_google_fonts=False)
