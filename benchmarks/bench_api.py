"""The REST API under an open-loop load on 127.0.0.1, side by side with one plain SELECT per request.

    python benchmarks/bench_api.py --db STORE [--rate 500] [--seconds 60] [--connections 64] [--find-max]

The server is `form4 serve`'s app in its own process (uvicorn, one worker). The load comes from
this process with aiohttp: requests are sent at fixed times (``--rate`` a second, whatever the
answers do) over ``--connections`` connections, and each latency counts from when its request
was due, so a server that falls behind shows it. Requests vary: `/api/transactions` by issuer,
owner, code, dates, minimum value, and next pages through cursors the server gave.

The naive peer is the same app with one more endpoint, `/bench/select`, that runs one plain
`SELECT` on `current_transactions` per request through the same driver (DuckDB or psycopg) with
the same filters. ``--find-max`` then steps the rate up to find the highest one the API holds
with p99 under 50 ms. Make a store of a million transactions with benchmarks/bench_reports.py
(``--keep DIR``). Prints Markdown for BENCHMARKS.md.
"""

from __future__ import annotations

import argparse
import asyncio
import gc
import random
import socket
import statistics
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent


def serve(db: str, port: int) -> None:
    """The server process: the API, and the naive endpoint beside it."""

    import msgspec
    import uvicorn
    from fastapi import Query
    from fastapi.responses import Response

    from form4.api import Settings, create_app

    app = create_app(Settings(url=db))
    stores = app.state.stores

    @app.get("/bench/select")
    def plain(issuer: str | None = None, owner: str | None = None, code: str | None = None,
              limit: int = Query(100, le=1000)) -> Response:
        where, params = ["true"], {}
        for name, column, value in (("issuer", "issuer_cik", issuer), ("owner", "owner_cik", owner),
                                    ("code", "transaction_code", code)):
            if value:
                where.append(f"{column} = ${name}")
                params[name] = value
        with stores.lend() as store:
            rows = store.arrow(f"SELECT * FROM current_transactions WHERE {' AND '.join(where)} "
                               f"ORDER BY transaction_date DESC NULLS LAST LIMIT {limit}", params).to_pylist()
        return Response(msgspec.json.encode({"items": rows}), media_type="application/json")

    uvicorn.run(app, host="127.0.0.1", port=port, log_level="warning", access_log=False)


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def start_server(db: str) -> tuple[subprocess.Popen[bytes], str]:
    began = time.monotonic()
    port = _free_port()
    process = subprocess.Popen([sys.executable, __file__, "--serve", "--db", db, "--port", str(port)])
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1):
                print(f"server ready in {time.monotonic() - began:.1f} s", file=sys.stderr)
                return process, base
        except OSError:
            if process.poll() is not None:
                raise SystemExit("the server did not start") from None
            time.sleep(0.2)
    process.kill()
    raise SystemExit("the server did not start in 120 s")


def subjects(db: str) -> dict[str, list[str]]:
    from form4.store import Store

    with Store(db, read_only=True) as store:
        issuers = store.arrow("SELECT issuer_cik FROM current_transactions GROUP BY 1 ORDER BY count(*) DESC "
                              "LIMIT 200").column(0).to_pylist()
        owners = store.arrow("SELECT owner_cik FROM current_transactions GROUP BY 1 ORDER BY count(*) DESC "
                             "LIMIT 200").column(0).to_pylist()
    return {"issuers": issuers, "owners": owners}


def request_mix(known: dict[str, list[str]], rng: random.Random, path: str) -> dict[str, Any]:
    """One request's parameters: a filter or two, sometimes none."""
    params: dict[str, Any] = {"limit": rng.choice([20, 50, 100])}
    kind = rng.random()
    if kind < 0.45:
        params["issuer"] = rng.choice(known["issuers"])
    elif kind < 0.75:
        params["owner"] = rng.choice(known["owners"])
    if rng.random() < 0.4:
        params["code"] = rng.choice(["S", "P", "A", "M", "F"])
    if path == "/api/transactions":
        if rng.random() < 0.2:
            params["since"] = f"{rng.randrange(2012, 2025)}-01-01"
        if rng.random() < 0.1:
            params["min_value"] = rng.choice([10_000, 100_000, 1_000_000])
    return params


async def load(base: str, path: str, rate: float, seconds: float, connections: int,
               known: dict[str, list[str]], seed: int = 16) -> dict[str, Any]:
    import aiohttp

    rng = random.Random(seed)
    cursors: list[str] = []
    latencies: list[float] = []
    timeline: list[tuple[float, float]] = []  # (due, latency): where in the run a slow answer fell
    errors: dict[str, int] = {}
    total = int(rate * seconds)
    connector = aiohttp.TCPConnector(limit=connections, force_close=False)
    timeout = aiohttp.ClientTimeout(total=30)
    async with aiohttp.ClientSession(base, connector=connector, timeout=timeout) as session:
        async def warm() -> None:
            try:  # a server still behind from an earlier load is slow here, not broken
                async with session.get("/api/transactions", params={"limit": 1}) as response:
                    await response.read()
            except (TimeoutError, aiohttp.ClientError):
                pass

        await asyncio.gather(*(warm() for _ in range(connections)))  # the connections open before the clock starts
        start = time.perf_counter() + 0.2

        async def one(due: float) -> None:
            params = request_mix(known, rng, path)
            if path == "/api/transactions" and cursors and rng.random() < 0.25:
                params = {"cursor": cursors[rng.randrange(len(cursors))], "limit": 100}
            try:
                async with session.get(path, params=params) as response:
                    body = await response.read()
                    if response.status != 200:
                        errors[str(response.status)] = errors.get(str(response.status), 0) + 1
                    elif path == "/api/transactions" and len(cursors) < 1000:
                        marker = body.rfind(b'"next":"')
                        if marker >= 0:
                            cursors.append(body[marker + 8:body.index(b'"', marker + 8)].decode())
            except Exception as exc:
                errors[type(exc).__name__] = errors.get(type(exc).__name__, 0) + 1
            latencies.append(time.perf_counter() - due)
            timeline.append((due - start, latencies[-1]))

        # each request starts when it is due (open loop), not when an earlier one has answered; the
        # load's own garbage collection is off, so that its pauses are not counted as the server's
        gc.disable()
        running = []
        for i in range(total):
            due = start + i / rate
            delay = due - time.perf_counter()
            if delay > 0:
                await asyncio.sleep(delay)
            running.append(asyncio.ensure_future(one(due)))
        await asyncio.gather(*running)
        gc.enable()
        took = time.perf_counter() - start
    latencies.sort()
    slowest = sorted(timeline, key=lambda t: -t[1])[:5]
    print("slowest at " + ", ".join(f"{d:.1f} s: {lat * 1000:.0f} ms" for d, lat in slowest), file=sys.stderr)
    return {"rate": rate, "requests": total, "achieved": total / took, "errors": sum(errors.values()),
            "error_kinds": errors, "p50": _ms(latencies, 0.50), "p99": _ms(latencies, 0.99),
            "max": latencies[-1] * 1000 if latencies else 0.0, "mean": statistics.fmean(latencies) * 1000}


def _ms(sorted_latencies: list[float], q: float) -> float:
    return sorted_latencies[min(len(sorted_latencies) - 1, int(q * len(sorted_latencies)))] * 1000


def row(name: str, result: dict[str, Any]) -> str:
    return (f"| {name} | {result['rate']:,.0f} | {result['achieved']:,.0f} | {result['requests']:,} | "
            f"{result['p50']:.1f} | {result['p99']:.1f} | {result['max']:.0f} | {result['errors']} |")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--db", required=True)
    parser.add_argument("--rate", type=float, default=500)
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--connections", type=int, default=64)
    parser.add_argument("--find-max", action="store_true")
    parser.add_argument("--serve", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--port", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.serve:
        serve(args.db, args.port)
        return
    known = subjects(args.db)
    print("| endpoint | rate asked (req/s) | sent (req/s) | requests | p50 (ms) | p99 (ms) | max (ms) | errors |")
    print("| --- | --- | --- | --- | --- | --- | --- | --- |")
    process, base = start_server(args.db)
    try:
        api = asyncio.run(load(base, "/api/transactions", args.rate, args.seconds, args.connections, known))
        print(row("`/api/transactions`", api), flush=True)
        rate = args.rate
        while args.find_max:
            rate += 250
            result = asyncio.run(load(base, "/api/transactions", rate, 15, args.connections, known))
            print(row("`/api/transactions`", result), flush=True)
            if result["p99"] >= 50 or result["errors"]:
                break
    finally:
        stop(process)
    # the naive peer on a server of its own: the requests it leaves queued must not slow the API's runs
    process, base = start_server(args.db)
    try:
        naive = asyncio.run(load(base, "/bench/select", args.rate, min(args.seconds, 15), args.connections, known))
        print(row("one plain `SELECT` a request", naive), flush=True)
    finally:
        stop(process)


def memory(process: subprocess.Popen[bytes]) -> str:
    """The server's resident memory: all of it, and the part that is its own (not file pages
    the system may take back)."""
    status = dict(line.split(":", 1) for line in Path(f"/proc/{process.pid}/status").read_text().splitlines())
    return f"RSS {status['VmRSS'].strip()}, of which its own (RssAnon) {status['RssAnon'].strip()}"


def stop(process: subprocess.Popen[bytes]) -> None:
    print(f"server memory: {memory(process)}", file=sys.stderr)
    process.terminate()
    try:
        process.wait(timeout=10)
    except subprocess.TimeoutExpired:  # requests of the naive endpoint still queued
        process.kill()


if __name__ == "__main__":
    main()
