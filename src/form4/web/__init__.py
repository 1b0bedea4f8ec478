"""The dashboard: pages for people, served by the API's app (``form4 serve``), over the same
library calls as the API. Server-rendered (jinja2); charts drawn by plotly.js, served from the
plotly package itself, so that no page fetches anything from the internet."""

from form4.web.pages import mount

__all__ = ["mount"]
