"""A request's declared size, checked before anything reads its body.

Plain ASGI rather than ``@app.middleware("http")``: Starlette's ``BaseHTTPMiddleware`` runs each
request through a task and a memory stream of its own, which cost more server CPU than the page
a request asks for."""

from __future__ import annotations

from starlette.requests import Request
from starlette.types import ASGIApp, Receive, Scope, Send

from form4.api import errors


class BoundedRequests:
    """ASGI middleware: a request whose Content-Length is not a number or over ``limit`` bytes is
    answered 413 (uploads also check what they read: a body may claim less than it sends)."""

    def __init__(self, app: ASGIApp, limit: int) -> None:
        self.app, self.limit = app, limit

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http":
            length = next((value for name, value in scope["headers"] if name == b"content-length"), None)
            if length is not None and (not length.isdigit() or int(length) > self.limit):
                response = errors.answer(Request(scope), 413, f"the request is larger than {self.limit:,} bytes")
                await response(scope, receive, send)
                return
        await self.app(scope, receive, send)
