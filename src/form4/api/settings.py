"""What a running API is allowed to do: its store, its token, its limits."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Settings:
    """``url``: the store (a DuckDB file or a PostgreSQL URL). ``token``: the API token that
    writes need (an upload that stores); without one, nothing is written. ``cors_origins``:
    sites whose pages may call the API (none by default). ``index``: answer /api/transactions
    from an index of the store's transactions (form4.analytics.index), caught up with the
    store every ``refresh_seconds``; ``index_dir`` keeps it for the next start (a temporary
    directory otherwise)."""

    url: str | None = None
    token: str | None = None
    max_limit: int = 1000
    max_upload_bytes: int = 20 * 1024 * 1024
    max_request_bytes: int = 21 * 1024 * 1024
    query_seconds: float = 10.0
    cors_origins: tuple[str, ...] = field(default_factory=tuple)
    index: bool = True
    refresh_seconds: float = 5.0
    index_dir: str | None = None
