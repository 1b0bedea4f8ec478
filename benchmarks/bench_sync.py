"""``form4 sync`` against a local EDGAR mirror with the limit lifted: download + parse + store,
by daily feed archive and one filing at a time, beside the floors (the HTTP client alone, the
rate limiter's lock alone), and the per-filing figures the whole-history estimate is built on.

    python benchmarks/bench_sync.py [--filings 20000] [--per-day 2000]

The mirror (form4.mirror) holds filings cloned from the corpus under fresh
accession numbers, in EDGAR's layout; its server (form4.mirror.serve) serves it
from a process of its own on 127.0.0.1. Each sync runs as the CLI does, into a fresh DuckDB
store. Prints Markdown for BENCHMARKS.md.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import platform
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.edgar.mirror import generated_filings  # noqa: E402

from form4.edgar import EdgarClient, paths  # noqa: E402
from form4.edgar.ratelimit import RateLimiter  # noqa: E402
from form4.mirror import Mirror, build_mirror  # noqa: E402
from form4.pipeline.sync import FETCHERS  # noqa: E402
from form4.store import Store  # noqa: E402

AGENT = "form4 benchmarks bench@example.com"
SERVER = """
import sys
from pathlib import Path
from form4.mirror import serve
running = serve(Path(sys.argv[1]))  # held: a generator dropped would stop the server
fake = next(running)
print(fake.base_url, flush=True)
sys.stdin.read()
"""


@contextlib.contextmanager
def server(root: Path) -> Iterator[str]:
    """The fake EDGAR in a process of its own, so that it does not share this one's interpreter."""
    process = subprocess.Popen([sys.executable, "-c", SERVER, str(root)], cwd=ROOT, stdin=subprocess.PIPE,
                               stdout=subprocess.PIPE, text=True)
    try:
        assert process.stdout is not None
        yield process.stdout.readline().strip()
    finally:
        process.kill()
        process.wait()


def fetch_floor(base: str, mirror: Mirror, tmp: Path) -> float:
    """Submissions/s with the client alone: the same threads, no parsing, no store."""
    todo = [paths.submission(f.cik_issuer, f.accession_number) for f in mirror.filings]
    with EdgarClient(AGENT, base_url=base, max_rps=1e6, cache_dir=tmp / "floor-cache") as client, \
            ThreadPoolExecutor(FETCHERS) as pool:
        start = time.perf_counter()
        sum(len(body) for body in pool.map(client.get_bytes, todo))
        return len(todo) / (time.perf_counter() - start)


def limiter_cost(tmp: Path, n: int = 20_000) -> float:
    """Microseconds the rate limiter's file lock costs a request when it never has to wait."""
    limiter = RateLimiter(1e9, tmp / "limiter")
    start = time.perf_counter()
    for _ in range(n):
        limiter.acquire()
    return (time.perf_counter() - start) / n * 1e6


def sync(base: str, tmp: Path, via: str, first: str, last: str) -> tuple[int, float, int]:
    """(filings stored, seconds, store bytes) of one ``form4 sync`` run through the CLI."""
    db = tmp / f"{via}.duckdb"
    env = {**os.environ, "FORM4_USER_AGENT": AGENT, "FORM4_SEC_BASE_URL": base, "FORM4_MAX_RPS": "1000000",
           "FORM4_CACHE": str(tmp / f"{via}-cache"), "FORM4_SPOOL": str(tmp / f"{via}-spool"),
           "PYTHONPATH": os.pathsep.join(filter(None, [os.environ.get("PYTHONPATH")]))}
    form4 = Path(sys.executable).with_name("form4")
    start = time.perf_counter()
    subprocess.run([str(form4), "-q", "sync", "--since", first, "--until", last, "--via", via, "--db", str(db)],
                   env=env, check=True)
    seconds = time.perf_counter() - start
    with Store(str(db), read_only=True) as store:
        stored = store.arrow("SELECT count(*) FROM filings").column(0)[0].as_py()
    return stored, seconds, db.stat().st_size


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--filings", type=int, default=20_000)
    ap.add_argument("--per-day", type=int, default=2_000)
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmpdir:
        tmp = Path(tmpdir)
        started = time.perf_counter()
        mirror = build_mirror(tmp / "mirror", generated_filings(args.filings, per_day=args.per_day))
        days = sorted({f.filed for f in mirror.filings})
        first, last = str(days[0]), str(days[-1])
        submission_bytes = sum(len(f.submission) for f in mirror.filings) / len(mirror.filings)
        feed_bytes = sum(mirror.file(paths.feed_archive(d)).stat().st_size for d in days) / len(mirror.filings)
        print(f"mirror of {len(mirror.filings):,} filings over {len(days)} days made in "
              f"{time.perf_counter() - started:.0f} s", file=sys.stderr)
        with server(tmp / "mirror") as base:
            floor = fetch_floor(base, mirror, tmp)
            by_feed = sync(base, tmp, "feed", first, last)
            by_index = sync(base, tmp, "index", first, last)
        lock = limiter_cost(tmp)
    print(f"Python {platform.python_version()} on {platform.machine()}, {os.cpu_count()} cores; "
          f"{args.filings:,} filings, {args.per_day:,} a day; limit lifted (FORM4_MAX_RPS=1000000)\n")
    print("| run | filings | seconds | filings/s | target |")
    print("| --- | ---: | ---: | ---: | ---: |")
    for name, (n, secs, _), target in (("`form4 sync --via feed` (download + parse + store)", by_feed, "≥ 2,000"),
                                       ("`form4 sync --via index` (one request per filing)", by_index, "≥ 300")):
        print(f"| {name} | {n:,} | {secs:.1f} | {n / secs:,.0f} | {target} |")
    print(f"| floor: the HTTP client alone, {FETCHERS} threads, no parse or store | {len(mirror.filings):,} | "
          f"| {floor:,.0f} | |")
    print(f"\n- the rate limiter's file lock: {lock:.1f} µs a request when it never waits")
    print(f"- per filing: {submission_bytes / 1e3:.1f} kB of submission, {feed_bytes / 1e3:.1f} kB of feed archive "
          f"(Section 16 filings only), {by_index[2] / by_index[0] / 1e3:.1f} kB of DuckDB store")
    return 0


if __name__ == "__main__":
    sys.exit(main())
