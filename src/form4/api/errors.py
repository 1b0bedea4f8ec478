"""Every failure as ``{"error": {"code", "message"}}`` with its status: a request the API cannot
answer is a 4xx that says which parameter, never a 500; a 500 names no internals."""

from __future__ import annotations

import logging

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException

from form4.errors import AnalyticsError, NotStoredError, QueryError, ReadError

log = logging.getLogger("form4.api")

_CODES = {400: "bad_request", 401: "unauthorized", 403: "forbidden", 404: "not_found", 405: "method_not_allowed",
          406: "not_acceptable", 413: "too_large", 415: "unsupported_media_type", 422: "unreadable",
          503: "timeout"}


class ApiError(Exception):
    def __init__(self, status: int, message: str, code: str | None = None) -> None:
        super().__init__(message)
        self.status, self.message, self.code = status, message, code or _CODES.get(status, "error")


def error(status: int, message: str, code: str | None = None) -> JSONResponse:
    return JSONResponse({"error": {"code": code or _CODES.get(status, "error"), "message": message}},
                        status_code=status)


def install(app: FastAPI) -> None:
    @app.exception_handler(ApiError)
    async def api_error(_: Request, exc: ApiError) -> JSONResponse:
        return error(exc.status, exc.message, exc.code)

    @app.exception_handler(RequestValidationError)
    async def invalid(_: Request, exc: RequestValidationError) -> JSONResponse:
        first = exc.errors()[0] if exc.errors() else {}
        where = ".".join(str(part) for part in first.get("loc", ())[1:]) or "request"
        return error(400, f"{where}: {first.get('msg', 'invalid')}", "invalid_parameter")

    @app.exception_handler(HTTPException)
    async def http(_: Request, exc: HTTPException) -> JSONResponse:
        return error(exc.status_code, str(exc.detail))

    @app.exception_handler(NotStoredError)
    async def not_stored(_: Request, exc: NotStoredError) -> JSONResponse:
        return error(404, str(exc))

    @app.exception_handler(AnalyticsError)
    async def unanswerable(_: Request, exc: AnalyticsError) -> JSONResponse:
        return error(400, str(exc), "invalid_parameter")

    @app.exception_handler(ReadError)
    async def unreadable(_: Request, exc: ReadError) -> JSONResponse:
        return error(422, str(exc))

    @app.exception_handler(QueryError)
    async def refused(_: Request, exc: QueryError) -> JSONResponse:
        if "interrupt" in str(exc).lower() or "statement timeout" in str(exc).lower():
            return error(503, "the query took longer than the API allows")
        log.error("query refused: %s", exc)
        return error(500, "the store could not answer", "internal")

    @app.exception_handler(Exception)
    async def bug(_: Request, exc: Exception) -> JSONResponse:
        log.exception("unexpected error", exc_info=exc)
        return error(500, "the server failed; the error is in its log", "internal")
