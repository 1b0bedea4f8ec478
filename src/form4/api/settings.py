"""What a running API is allowed to do: its store, its token, its limits, and what it keeps current."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Settings:
    """``url``: the store (a DuckDB file or a PostgreSQL URL). ``token``: the API token that
    writes need (an upload that stores); without one, nothing is written. ``cors_origins``:
    sites whose pages may call the API (none by default).

    ``watch``: the server watches EDGAR (form4.pipeline.watch) every ``watch_interval`` seconds,
    stores what is new and streams its transactions at /api/stream; ``sync_daily``: it syncs
    the days before today from EDGAR's daily index (form4.pipeline.sync) at start and once a
    day. Either catches up at most ``catch_up_days`` days back; both write through one thread
    of the server (form4.api.live), so the store needs no other writer. ``forms``: the form
    types they store. ``stream_events``: how many events /api/stream keeps for clients that
    reconnect; ``heartbeat_seconds``: how often a quiet stream sends a comment."""

    url: str | None = None
    token: str | None = None
    max_limit: int = 1000
    max_upload_bytes: int = 20 * 1024 * 1024
    max_request_bytes: int = 21 * 1024 * 1024
    query_seconds: float = 10.0
    cors_origins: tuple[str, ...] = field(default_factory=tuple)
    watch: bool = False
    watch_interval: float = 60.0
    sync_daily: bool = False
    catch_up_days: int = 7
    forms: tuple[str, ...] = ("3", "4", "5")
    stream_events: int = 10_000
    heartbeat_seconds: float = 15.0

    @property
    def writes(self) -> bool:
        """Whether the server writes to its store (uploads with the token, the watch, the daily sync)."""
        return self.token is not None or self.watch or self.sync_daily
