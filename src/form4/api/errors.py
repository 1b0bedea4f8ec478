"""Every failure as ``{"error": {"code", "message"}}`` with its status: a request the API cannot
answer is a 4xx that says which parameter, never a 500; a 500 names no internals. Outside the
API's paths (the dashboard's pages), the same status and message come as the app's error page."""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response
from starlette.exceptions import HTTPException

from form4.errors import AnalyticsError, NotStoredError, QueryError, ReadError

log = logging.getLogger("form4.api")

_CODES = {400: "bad_request", 401: "unauthorized", 403: "forbidden", 404: "not_found", 405: "method_not_allowed",
          406: "not_acceptable", 413: "too_large", 415: "unsupported_media_type", 422: "unreadable",
          503: "timeout"}
_API_PATHS = ("/api/", "/docs/")  # and these exactly: the API's own pages answer in JSON too
_API_PAGES = ("/api", "/docs", "/redoc", "/openapi.json")


class ApiError(Exception):
    def __init__(self, status: int, message: str, code: str | None = None) -> None:
        super().__init__(message)
        self.status, self.message, self.code = status, message, code or _CODES.get(status, "error")


def error(status: int, message: str, code: str | None = None) -> JSONResponse:
    return JSONResponse({"error": {"code": code or _CODES.get(status, "error"), "message": message}},
                        status_code=status)


def answer(request: Request, status: int, message: str, code: str | None = None) -> Response:
    """JSON on the API's paths (whatever the request accepts); elsewhere the app's error page, if it has one."""
    path = request.url.path
    page: Callable[[int, str], Response] | None = getattr(request.app.state, "error_page", None)
    if page is None or path in _API_PAGES or path.startswith(_API_PATHS):
        return error(status, message, code)
    return page(status, message)


def _said(error: dict[str, Any]) -> str:
    """What is wrong with a parameter, said plainly where pydantic's words are a programmer's."""
    if error.get("type") in ("finite_number", "float_parsing", "int_parsing"):
        return f"{str(error.get('input'))[:40]!r} is not a number"
    return str(error.get("msg", "invalid"))


def install(app: FastAPI) -> None:
    @app.exception_handler(ApiError)
    async def api_error(request: Request, exc: ApiError) -> Response:
        return answer(request, exc.status, exc.message, exc.code)

    @app.exception_handler(RequestValidationError)
    async def invalid(request: Request, exc: RequestValidationError) -> Response:
        first = exc.errors()[0] if exc.errors() else {}
        where = ".".join(str(part) for part in first.get("loc", ())[1:]) or "request"
        return answer(request, 400, f"{where}: {_said(first)}", "invalid_parameter")

    @app.exception_handler(HTTPException)
    async def http(request: Request, exc: HTTPException) -> Response:
        return answer(request, exc.status_code, str(exc.detail))

    @app.exception_handler(NotStoredError)
    async def not_stored(request: Request, exc: NotStoredError) -> Response:
        return answer(request, 404, str(exc))

    @app.exception_handler(AnalyticsError)
    async def unanswerable(request: Request, exc: AnalyticsError) -> Response:
        return answer(request, 400, str(exc), "invalid_parameter")

    @app.exception_handler(ReadError)
    async def unreadable(request: Request, exc: ReadError) -> Response:
        return answer(request, 422, str(exc))

    @app.exception_handler(QueryError)
    async def refused(request: Request, exc: QueryError) -> Response:
        if "interrupt" in str(exc).lower() or "statement timeout" in str(exc).lower():
            return answer(request, 503, "the query took longer than the API allows")
        log.error("query refused: %s", exc)
        return answer(request, 500, "the store could not answer", "internal")

    @app.exception_handler(Exception)
    async def bug(request: Request, exc: Exception) -> Response:
        log.exception("unexpected error", exc_info=exc)
        return answer(request, 500, "the server failed; the error is in its log", "internal")
