"""HEAD wherever GET: a HEAD request is answered as its GET would be, headers only.

FastAPI's routes answer the methods they were declared with, so without this a HEAD of any page
or endpoint is a 405 while its GET is a 200 (link checkers, ``curl -I``, caches that revalidate).
"""

from __future__ import annotations

from starlette.types import ASGIApp, Message, Receive, Scope, Send


class HeadAsGet:
    """ASGI middleware: HEAD is run as GET and its body dropped (its headers, Content-Length
    included, are the GET's)."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] != "HEAD":
            await self.app(scope, receive, send)
            return

        ended = False

        async def headers_only(message: Message) -> None:
            nonlocal ended
            if ended:
                return
            if message["type"] == "http.response.start":
                await send(message)
                # a stream (server-sent events) never ends on its own: its HEAD ends at its headers
                ended = dict(message.get("headers", ())).get(b"content-type", b"").startswith(b"text/event-stream")
                if ended:
                    await send({"type": "http.response.body", "body": b"", "more_body": False})
            elif message["type"] != "http.response.body":
                await send(message)
            elif not message.get("more_body", False):
                ended = True
                await send({"type": "http.response.body", "body": b"", "more_body": False})

        await self.app({**scope, "method": "GET"}, receive, headers_only)
