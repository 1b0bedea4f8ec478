"""Targets at scale (issue 24): a store of ten million transactions on DuckDB and PostgreSQL,
measured as a user meets it.

    python benchmarks/bench_scale.py [--transactions 10000000] [--issuers 6000] [--engines duckdb,postgres]
                                     [--keep DIR | --db STORE [--skip-build]] [--seconds 60] [--out FILE]
    python benchmarks/bench_scale.py --transactions 56000000 --engines duckdb --keep DIR   # the full history

Each engine in turn:

1. build: the corpus' XML filings copied (bench_reports' copies: new accession numbers, moved
   dates, one of --issuers issuers, insiders drawn per issuer) until --transactions transaction
   rows, made into rows by --workers processes and stored through ``Store.write`` in batches of
   --chunk filings. A build stopped half way resumes where it stopped (``--keep``/``--db``); a
   store that holds them all already is reused.
2. answers: every ``form4 report`` and ``form4 screen`` command, each run --rounds times as a
   user runs it (a new process each time), median and max; then the same answer as a library
   call on an open store (after one warm-up). Targets: < 1 s on DuckDB, < 3 s on PostgreSQL.
3. serve: ``form4 serve`` launched, seconds to its first 200 on /api/transactions (< 5 s); its
   own memory (RssAnon of the server and its children) after start and after the loads (< 500 MB).
4. load: bench_api's open-loop load, --rate requests/s on /api/transactions (issuer, owner, code
   and date filters varied, next pages by cursor) over --connections connections for --seconds:
   p50/p99/max and errors (p99 < 50 ms, none); then the rate steps up by --step (each step
   --step-seconds) to the highest one held at p99 < 50 ms without errors.
5. PostgreSQL only: the same load while a second process stores new generated filings through
   ``Store.write`` all along, as fast as it goes or at most --beside-rate filings/s (p99 < 50 ms);
   the ingest rate it reached meanwhile. Its filings stay (numbered from 9100000000-…, apart
   from the build's), so a kept store grows by them each run: the store table counts them.
6. a Markdown section for BENCHMARKS.md, printed and written to --out (after each engine, so a
   long run stopped later keeps what it measured).

--skip takes parts to leave out (answers, library, serve, load, max, beside). Without --keep or
--db the stores are temporary: the DuckDB file is deleted and the PostgreSQL schema dropped at
the end.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import dataclasses
import datetime as dt
import itertools
import math
import multiprocessing
import os
import platform
import random
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request
from collections import deque
from collections.abc import Callable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import bench_api  # noqa: E402  (the load and its request mix)
import bench_reports  # noqa: E402  (the corpus' copies, the fresh PostgreSQL schema, the busiest subjects)
from form4.store import Store, records  # noqa: E402

PG = bench_reports.PG
ENGINES = {"duckdb": "DuckDB", "postgres": "PostgreSQL"}
ANSWER_TARGET = {"duckdb": 1.0, "postgres": 3.0}  # seconds, every report and screen
START_TARGET = 5.0  # seconds from launching `form4 serve` to its first 200
MEMORY_TARGET = 500.0  # MB of the server's own memory (RssAnon)
P99_TARGET = 50.0  # ms
PARTS = ("answers", "library", "serve", "load", "max", "beside")
# accession numbers: the build's copies are 9000000000-24-… up to 9099999999; an ingest beside
# the load numbers its copies from 9100000000 on, so that a build resumes by counting its own
BUILD_PREFIX_END = "9100000000"
BESIDE_FIRST_COPY = 900_000 * 100_000_000


# --- the store: generated filings, written through Store.write -----------------------------------

_BASE: list[Any] = []
_WEIGHTS: dict[int, list[float]] = {}


def _base() -> list[Any]:
    if not _BASE:
        _BASE.extend(bench_reports.corpus_filings())
    return _BASE


def transactions_per_copy() -> list[int]:
    return [len(f.non_derivative_transactions) + len(f.derivative_transactions) for f in _base()]


def copies_for(transactions: int) -> tuple[int, int]:
    """How many copies make ``transactions`` transaction rows (copy i is corpus filing i mod n),
    and the rows they make."""
    per = transactions_per_copy()
    rounds = transactions // sum(per)
    copies, rows = rounds * len(per), rounds * sum(per)
    for made in per:
        if rows >= transactions:
            break
        copies, rows = copies + 1, rows + made
    return copies, rows


def chunk_part(index: int, first: int, last: int, issuers: int, seed: int) -> records.Pending:
    """Copies ``first``..``last`` as a sealed batch (on a worker process): each chunk has its
    own random stream, so any chunk can be made again alone, the same."""
    base = _base()
    rng = random.Random(seed * 1_000_003 + index)
    weights = _WEIGHTS.get(issuers)
    if weights is None:  # Zipf-like, as bench_reports.generated: the largest issuer has a few % of the rows
        weights = _WEIGHTS[issuers] = list(itertools.accumulate(1 / (rank + 10) for rank in range(issuers)))
    pending = records.Pending()
    for copy in range(first, last):
        issuer = rng.choices(range(issuers), cum_weights=weights)[0]
        shift = dt.timedelta(days=rng.randrange(-4000, 400))
        filing = bench_reports._moved(base[copy % len(base)], copy, issuer, shift, rng)
        pending.add(filing, filing.source_name, None)
    pending.seal()
    return pending


def made_parts(chunks: list[tuple[int, int, int]], issuers: int, seed: int, workers: int) -> Iterator[Any]:
    """The chunks' batches in order, made ``workers`` at a time while the caller writes."""
    if workers == 0:
        for index, first, last in chunks:
            yield chunk_part(index, first, last, issuers, seed)
        return
    with ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context("spawn")) as pool:
        waiting: deque[Future[records.Pending]] = deque()
        todo = iter(chunks)
        for index, first, last in itertools.islice(todo, workers * 2):
            waiting.append(pool.submit(chunk_part, index, first, last, issuers, seed))
        while waiting:
            part = waiting.popleft().result()
            for index, first, last in itertools.islice(todo, 1):
                waiting.append(pool.submit(chunk_part, index, first, last, issuers, seed))
            yield part


def built_copies(store: Store) -> int:
    table = store.arrow("SELECT count(*) FROM filings WHERE accession_number >= '9000000000' "
                        f"AND accession_number < '{BUILD_PREFIX_END}'")
    return int(table.column(0)[0].as_py())


def build(url: str, args: argparse.Namespace) -> dict[str, Any]:
    """Store the copies the store lacks; what it took."""
    from rich.console import Console
    from rich.progress import (
        BarColumn,
        MofNCompleteColumn,
        Progress,
        TextColumn,
        TimeElapsedColumn,
        TimeRemainingColumn,
    )

    copies, rows = copies_for(args.transactions)
    with Store(url) as store:
        done = built_copies(store)
        if done >= copies:
            return {"reused": True, "filings": copies, "transactions": rows}
        first_chunk = done // args.chunk  # chunks are stored in order, each in one transaction
        chunks = [(i, i * args.chunk, min((i + 1) * args.chunk, copies))
                  for i in range(first_chunk, math.ceil(copies / args.chunk))]
        todo = copies - first_chunk * args.chunk
        print(f"building {copies:,} filings ({rows:,} transactions), {todo:,} to store, "
              f"{args.workers} worker(s), {args.chunk:,} filings a write", file=sys.stderr)
        columns = (TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TextColumn("filings"),
                   TextColumn("{task.fields[rate]:,.0f}/s"), TimeElapsedColumn(), TimeRemainingColumn())
        writing = 0.0
        start = time.perf_counter()
        with Progress(*columns, console=Console(stderr=True)) as progress:
            task = progress.add_task("store", total=todo, rate=0.0)
            for part in made_parts(chunks, args.issuers, args.seed, args.workers):
                began = time.perf_counter()
                store.write(part)
                writing += time.perf_counter() - began
                progress.advance(task, len(part.kept))
                done_now = progress.tasks[0].completed
                progress.update(task, rate=done_now / (time.perf_counter() - start))
        took = time.perf_counter() - start
    return {"reused": False, "filings": copies, "transactions": rows, "stored": todo, "seconds": took,
            "write_seconds": writing, "rate": todo / took}


def store_facts(url: str, engine: str) -> dict[str, Any]:
    """Its filings, transaction rows (one per row of a form, not per owner) and size on disk."""
    with Store(url, read_only=True) as store:
        filings = store.arrow("SELECT count(*) FROM filings").column(0)[0].as_py()
        try:
            rows = store.arrow("SELECT count(*) FROM security_rows WHERE kind = 'transaction'").column(0)[0].as_py()
        except Exception:  # a schema without that table: the view's rows (one per owner)
            rows = store.arrow("SELECT count(*) FROM transactions").column(0)[0].as_py()
    if engine == "duckdb":
        size = sum(p.stat().st_size for p in Path(url).parent.glob(Path(url).name + "*"))
    else:
        import psycopg

        with psycopg.connect(url) as conn:
            row = conn.execute("SELECT sum(pg_total_relation_size(c.oid)) FROM pg_class c JOIN pg_namespace n "
                               "ON n.oid = c.relnamespace WHERE n.nspname = current_schema() "
                               "AND c.relkind IN ('r', 'm')").fetchone()
            size = int(row[0] or 0) if row else 0
    return {"filings": filings, "transactions": rows, "bytes": size}


# --- the answers: the CLI as a user runs it, and the library call ------------------------------

@dataclasses.dataclass
class Answer:
    name: str  # the command: "report issuer"
    argv: list[str]  # the command line after `form4`, its subject included
    library: Callable[[Store], Any] | None


def answers(subjects: dict[str, str]) -> list[Answer]:
    """Every report and screen the CLI has, with the busiest subjects; the library call beside
    each asks the same question with the CLI's defaults (50 rows a screen)."""
    from form4.analytics import reports, screens
    from form4.analytics.scope import Filters

    issuer, owner, pair_owner, pair_issuer = (subjects[k] for k in ("issuer", "owner", "pair_owner", "pair_issuer"))
    known: dict[str, tuple[list[str], Callable[[Store], Any]]] = {
        "report issuer": ([issuer], lambda s: reports.issuer_report(s, issuer, Filters()).to_dict()),
        "report owner": ([owner], lambda s: reports.owner_report(s, owner, Filters()).to_dict()),
        "report short-swing": (["--owner", pair_owner, "--issuer", pair_issuer],
                               lambda s: reports.short_swing_report(s, pair_owner, pair_issuer, Filters()).to_dict()),
        "screen purchases": ([], lambda s: screens.trades(s, Filters(), code="P", limit=50)),
        "screen sales": ([], lambda s: screens.trades(s, Filters(), code="S", limit=50)),
        "screen officer-buys": ([], lambda s: screens.officer_purchases(s, Filters(), limit=50)),
        "screen cluster-buys": ([], lambda s: screens.cluster_buys(s, Filters(), limit=50)),
    }
    found = []
    for command in cli_commands():
        extra, library = known.get(command, ([], None))  # a command new to this script: run without arguments
        found.append(Answer(command, [*command.split(), *extra], library))
    return found


def cli_commands() -> list[str]:
    """The report and screen commands `form4 --help` lists."""
    import typer

    from form4.cli import app

    root: Any = typer.main.get_command(app)
    return [f"{group} {name}" for group in ("report", "screen") for name in root.commands[group].commands]


def time_cli(answer: Answer, url: str, args: argparse.Namespace) -> dict[str, Any]:
    times = []
    argv = [*answer.argv, "--db", url, *(["--format", args.cli_format] if args.cli_format else [])]
    for _ in range(args.rounds):
        start = time.perf_counter()
        done = subprocess.run([sys.executable, "-m", "form4", *argv], stdout=subprocess.DEVNULL,
                              stderr=subprocess.PIPE, text=True, env={**os.environ, "COLUMNS": "160"})
        times.append(time.perf_counter() - start)
        if done.returncode != 0:
            lines = done.stderr.strip().splitlines() or [f"exit {done.returncode}"]
            return {"error": lines[-1][:200]}
    return {"median": statistics.median(times), "max": max(times)}


def time_library(fn: Callable[[Store], Any], store: Store, rounds: int) -> dict[str, Any]:
    try:
        fn(store)  # warm-up: the store's caches, as in a long-running program
        times = []
        for _ in range(rounds):
            start = time.perf_counter()
            fn(store)
            times.append(time.perf_counter() - start)
    except Exception as exc:
        return {"error": f"{type(exc).__name__}: {exc}"[:200]}
    return {"median": statistics.median(times), "max": max(times)}


def measure_answers(url: str, args: argparse.Namespace) -> dict[str, dict[str, Any]]:
    with Store(url, read_only=True) as store:
        subjects = bench_reports.subjects_of(store)
    print(f"subjects: {subjects}", file=sys.stderr)
    found: dict[str, dict[str, Any]] = {}
    for answer in answers(subjects):
        if "answers" not in args.skip:
            found.setdefault(answer.name, {})["cli"] = time_cli(answer, url, args)
            found[answer.name]["argv"] = answer.argv
            print(f"  form4 {' '.join(answer.argv)}: {found[answer.name]['cli']}", file=sys.stderr)
    if "library" not in args.skip:
        with Store(url, read_only=True) as store:
            for answer in answers(subjects):
                if answer.library is not None:
                    found.setdefault(answer.name, {})["library"] = time_library(answer.library, store, args.rounds)
                    found[answer.name]["argv"] = answer.argv
                    print(f"  library {answer.name}: {found[answer.name]['library']}", file=sys.stderr)
    return found


# --- form4 serve: start, memory, the load ------------------------------------------------------

class Server:
    """`form4 serve` over a store, as a user starts it; stopped as Ctrl-C stops it."""

    def __init__(self, url: str, timeout: float) -> None:
        self.url, self.timeout = url, timeout
        self.port = bench_api._free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        self.process: subprocess.Popen[bytes] | None = None
        self.log = tempfile.TemporaryFile()  # noqa: SIM115  (what it says, shown if it fails; closed by stop)

    def start(self) -> float:
        """Seconds from launching the process to its first 200 on /api/transactions."""
        began = time.perf_counter()
        self.process = subprocess.Popen([sys.executable, "-m", "form4", "serve", "--db", self.url, "--port",
                                         str(self.port), "-q"], stdout=self.log, stderr=subprocess.STDOUT)
        probe = f"{self.base}/api/transactions?limit=1"
        while time.perf_counter() - began < self.timeout:
            if self.process.poll() is not None:
                raise SystemExit(f"form4 serve --db {self.url}: exited {self.process.returncode} before answering:"
                                 f"\n{self.said()}")
            try:
                with urllib.request.urlopen(probe, timeout=5) as response:
                    if response.status == 200:
                        return time.perf_counter() - began
            except (urllib.error.URLError, ConnectionError, TimeoutError):
                pass
            time.sleep(0.05)
        raise SystemExit(f"form4 serve --db {self.url}: no 200 on /api/transactions within {self.timeout:.0f} s:"
                         f"\n{self.said()}")

    def said(self) -> str:
        self.log.seek(0)
        return "\n".join(self.log.read().decode(errors="replace").strip().splitlines()[-20:])

    def memory_mb(self) -> float:
        """RssAnon (its own memory, not file pages the system may take back) of the server and
        every process under it, in MB."""
        assert self.process is not None
        return sum(_rss_anon_kb(pid) for pid in _tree(self.process.pid)) / 1024

    def cpu_seconds(self) -> float:
        """CPU time (user and system) the server and every process under it have used so far: per
        request, a cost a busy machine's other work does not inflate as it does latencies."""
        assert self.process is not None
        return sum(_cpu_ticks(pid) for pid in _tree(self.process.pid)) / os.sysconf("SC_CLK_TCK")

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.send_signal(signal.SIGINT)  # as Ctrl-C stops it
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                print("form4 serve did not stop on SIGINT within 20 s; killing it", file=sys.stderr)
                self.process.kill()
                self.process.wait()
        self.log.close()

    def __enter__(self) -> Server:
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()


def _tree(pid: int) -> list[int]:
    parents: dict[int, int] = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        with contextlib.suppress(OSError, ValueError, IndexError):
            parents[int(stat.parent.name)] = int(stat.read_text().rsplit(")", 1)[1].split()[1])
    tree, frontier = [pid], [pid]
    while frontier:
        frontier = [child for child, parent in parents.items() if parent in frontier]
        tree.extend(frontier)
    return tree


def _rss_anon_kb(pid: int) -> int:
    with contextlib.suppress(OSError):
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("RssAnon:"):
                return int(line.split()[1])
    return 0


def _cpu_ticks(pid: int) -> int:
    with contextlib.suppress(OSError, ValueError, IndexError):
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        return int(fields[11]) + int(fields[12])  # utime and stime, in clock ticks
    return 0


def run_load(server: Server, rate: float, seconds: float, args: argparse.Namespace,
             known: dict[str, list[str]]) -> dict[str, Any]:
    """bench_api's load on ``server``, and the server's CPU time per request it answered."""
    cpu = server.cpu_seconds()
    result: dict[str, Any] = asyncio.run(bench_api.load(server.base, "/api/transactions", rate, seconds,
                                                        args.connections, known))
    result["cpu_ms"] = (server.cpu_seconds() - cpu) * 1000 / max(1, result["requests"])
    print(f"  {rate:,.0f} req/s for {seconds:.0f} s: p50 {result['p50']:.1f} ms, p99 {result['p99']:.1f} ms, "
          f"max {result['max']:.0f} ms, errors {result['errors']} {result['error_kinds'] or ''}, "
          f"server CPU {result['cpu_ms']:.1f} ms a request", file=sys.stderr)
    return result


def holds(result: dict[str, Any]) -> bool:
    return bool(result["p99"] < P99_TARGET and not result["errors"] and result["achieved"] >= 0.95 * result["rate"])


def drained(base: str, most: float = 300) -> None:
    """Wait until what the last load left queued is answered: a page in under a second."""
    deadline = time.perf_counter() + most
    while time.perf_counter() < deadline:
        began = time.perf_counter()
        try:
            with urllib.request.urlopen(f"{base}/api/transactions?limit=1", timeout=10) as response:
                response.read()
            if time.perf_counter() - began < 1:
                return
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            pass
        time.sleep(2)


def find_max(server: Server, first: dict[str, Any], args: argparse.Namespace,
             known: dict[str, list[str]]) -> dict[str, Any]:
    """The highest rate held (p99 < 50 ms, no errors, the load able to send it): up by --step
    from --rate while it holds, or halving from --rate when --rate does not."""
    steps = [first]
    rate = args.rate
    if holds(first):
        while rate + args.step <= args.max_rate:
            rate += args.step
            drained(server.base)
            steps.append(run_load(server, rate, args.step_seconds, args, known))
            if not holds(steps[-1]):
                break
    else:
        while rate / 2 >= 25:
            rate /= 2
            drained(server.base)
            steps.append(run_load(server, rate, args.step_seconds, args, known))
            if holds(steps[-1]):
                break
    held = [s["rate"] for s in steps if holds(s)]
    return {"held": max(held) if held else None, "steps": steps}


class IngestBeside:
    """A second process storing new generated filings through Store.write, batch after batch,
    until stopped; its progress lines, timed as they arrive."""

    def __init__(self, url: str, args: argparse.Namespace) -> None:
        self.marks: list[tuple[float, int]] = []
        self.process = subprocess.Popen(
            [sys.executable, str(Path(__file__).resolve()), "--ingest-beside", "--db", url, "--issuers",
             str(args.issuers), "--beside-batch", str(args.beside_batch), "--beside-rate", str(args.beside_rate),
             "--seed", str(args.seed)],
            stdout=subprocess.PIPE, text=True)
        self.reader = threading.Thread(target=self._read, daemon=True)
        self.reader.start()

    def _read(self) -> None:
        assert self.process.stdout is not None
        for line in self.process.stdout:
            self.marks.append((time.perf_counter(), int(line.split()[0])))

    def wait_running(self, timeout: float = 120) -> None:
        """Until its first batch is stored (the corpus read, the store open)."""
        deadline = time.perf_counter() + timeout
        while not self.marks:
            if self.process.poll() is not None:
                raise SystemExit(f"the ingest beside the load exited {self.process.returncode} before storing")
            if time.perf_counter() > deadline:
                raise SystemExit(f"the ingest beside the load stored nothing in {timeout:.0f} s")
            time.sleep(0.1)

    def rate_since(self, start: float) -> float:
        """Filings a second it stored from ``start`` to its last batch."""
        before = [n for t, n in self.marks if t <= start] or [0]
        after = [(t, n) for t, n in self.marks if t > start]
        if not after:
            return 0.0
        return (after[-1][1] - before[-1]) / (after[-1][0] - start)

    def stop(self) -> None:
        if self.process.poll() is not None:
            print(f"the ingest beside the load stopped by itself (exit {self.process.returncode}): its rate counts "
                  "only what it stored before", file=sys.stderr)
        else:
            self.process.terminate()  # a batch cut off rolls back: each is one transaction
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()


def ingest_beside(url: str, issuers: int, batch: int, rate: float, seed: int) -> None:
    """The second process of part 5: copies numbered from BESIDE_FIRST_COPY plus the clock (new
    accession numbers each run), ``batch`` filings a write, forever, at most ``rate`` filings a
    second when one is given; prints the filings stored after each write."""
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    first = BESIDE_FIRST_COPY + 900_000 * (int(time.time()) % 99_000_000)
    stored = 0
    began = time.perf_counter()
    with Store(url) as store:
        for index in itertools.count():
            start = first + index * batch
            store.write(chunk_part(10**9 + index, start, start + batch, issuers, seed))
            stored += batch
            print(stored, flush=True)
            if rate:
                time.sleep(max(0.0, began + stored / rate - time.perf_counter()))


def measure_serve(url: str, engine: str, args: argparse.Namespace) -> dict[str, Any]:
    found: dict[str, Any] = {}
    known = bench_api.subjects(url)
    with Server(url, args.serve_timeout) as server:
        found["start"] = server.start()
        time.sleep(1)  # what it does just after its first answer counts as start-up
        found["memory_start"] = server.memory_mb()
        print(f"  serve: first 200 after {found['start']:.2f} s, RssAnon {found['memory_start']:.0f} MB",
              file=sys.stderr)
        if "load" in args.skip:
            return found
        found["load"] = run_load(server, args.rate, args.seconds, args, known)
        found["memory_load"] = server.memory_mb()
        if "max" not in args.skip:
            found["max"] = find_max(server, found["load"], args, known)
            found["memory_load"] = max(found["memory_load"], server.memory_mb())
        if engine == "postgres" and "beside" not in args.skip:
            drained(server.base)
            ingest = IngestBeside(url, args)
            try:
                ingest.wait_running()
                start = time.perf_counter()
                found["beside"] = run_load(server, args.rate, args.seconds, args, known)
                found["beside"]["ingest_rate"] = ingest.rate_since(start)
            finally:
                ingest.stop()
            found["memory_load"] = max(found["memory_load"], server.memory_mb())
            print(f"  ingest beside: {found['beside']['ingest_rate']:,.0f} filings/s", file=sys.stderr)
        print(f"  serve RssAnon after the loads: {found['memory_load']:.0f} MB", file=sys.stderr)
    return found


# --- the report ----------------------------------------------------------------------------------

def _mark(ok: bool) -> str:
    return "✓" if ok else "✗"


def _time_cell(measured: dict[str, Any] | None, target: float | None) -> str:
    if not measured:
        return "—"
    if "error" in measured:
        return f"error: {measured['error']}"
    cell = f"{measured['median']:.2f} / {measured['max']:.2f}"
    return f"{cell} {_mark(measured['max'] < target)}" if target is not None else cell


def markdown(results: dict[str, dict[str, Any]], args: argparse.Namespace) -> str:
    engines = list(results)
    names = [ENGINES[e] for e in engines]
    lines = ["## Targets at scale (issue 24): `benchmarks/bench_scale.py`", ""]
    lines.append(f"Generated stores (bench_reports' corpus copies, {args.issuers:,} issuers, insiders drawn per "
                 f"issuer); {platform.processor() or platform.machine()}, {os.cpu_count()} cores, Python "
                 f"{platform.python_version()}; answers {args.rounds} runs each; loads of {args.seconds:.0f} s over "
                 f"{args.connections} connections, steps of {args.step_seconds:.0f} s.")
    lines += ["", "| store | " + " | ".join(names) + " |", "| --- |" + " ---: |" * len(engines)]

    def store_row(label: str, cell: Callable[[dict[str, Any]], str]) -> None:
        lines.append(f"| {label} | " + " | ".join(cell(results[e]) for e in engines) + " |")

    store_row("filings", lambda r: f"{r['store']['filings']:,}" if "store" in r else "—")
    store_row("transaction rows", lambda r: f"{r['store']['transactions']:,}" if "store" in r else "—")
    store_row("size on disk", lambda r: f"{r['store']['bytes'] / 2**30:.2f} GiB" if "store" in r else "—")
    store_row("build (s)", lambda r: "reused" if r.get("build", {}).get("reused")
              else f"{r['build']['seconds']:,.0f}" if "build" in r else "—")
    store_row("of which Store.write (s)", lambda r: f"{r['build']['write_seconds']:,.0f}"
              if "write_seconds" in r.get("build", {}) else "—")
    store_row("build filings/s", lambda r: f"{r['build']['rate']:,.0f}" if "rate" in r.get("build", {}) else "—")

    answer_names = list(dict.fromkeys(a for e in engines for a in results[e].get("answers", {})))
    if answer_names:
        lines += ["", "Every report and screen: seconds, median / max of the runs; `form4 …` is a new process "
                  "each run, as a user runs it; library is the same call on an open store (after a warm-up). "
                  "Targets: " + ", ".join(f"< {ANSWER_TARGET[e]:.0f} s on {ENGINES[e]}" for e in engines) + ".", ""]
        header = [c for e in engines for c in (f"{ENGINES[e]} CLI (< {ANSWER_TARGET[e]:.0f} s)",
                                                 f"{ENGINES[e]} library")]
        lines += ["| answer | " + " | ".join(header) + " |", "| --- |" + " ---: |" * len(header)]
        for name in answer_names:
            cells = []
            for e in engines:
                got = results[e].get("answers", {}).get(name, {})
                cells += [_time_cell(got.get("cli"), ANSWER_TARGET[e]), _time_cell(got.get("library"), None)]
            lines.append(f"| `form4 {name}` | " + " | ".join(cells) + " |")
        for e in engines:
            asked = [" ".join(got["argv"]) for got in results[e].get("answers", {}).values()
                     if len(got.get("argv", ())) > 2]
            if asked:
                lines.append(f"\n{ENGINES[e]}'s subjects (the busiest): " + "; ".join(f"`{a}`" for a in asked)
                             + (f"; answers as `--format {args.cli_format}`" if args.cli_format else "") + ".")

    serving = [e for e in engines if "serve" in results[e]]
    if serving:
        lines += ["", "`form4 serve` and an open-loop load on `/api/transactions` (bench_api's mix: issuer, owner, "
                  "code and date filters, next pages by cursor).", "",
                  "| measure | target | " + " | ".join(ENGINES[e] for e in serving) + " |",
                  "| --- | --- |" + " ---: |" * len(serving)]

        def serve_row(label: str, target: str, cell: Callable[[dict[str, Any]], str]) -> None:
            cells = []
            for e in serving:
                try:
                    cells.append(cell(results[e]["serve"]))
                except (KeyError, TypeError):
                    cells.append("—")
            lines.append(f"| {label} | {target} | " + " | ".join(cells) + " |")

        serve_row("start to first 200 (s)", f"< {START_TARGET:.0f}",
                  lambda s: f"{s['start']:.2f} {_mark(s['start'] < START_TARGET)}")
        serve_row("RssAnon after start (MB)", f"< {MEMORY_TARGET:.0f}",
                  lambda s: f"{s['memory_start']:.0f} {_mark(s['memory_start'] < MEMORY_TARGET)}")
        serve_row("RssAnon after the loads (MB)", f"< {MEMORY_TARGET:.0f}",
                  lambda s: f"{s['memory_load']:.0f} {_mark(s['memory_load'] < MEMORY_TARGET)}")
        rate = f"{args.rate:,.0f} req/s"
        serve_row(f"{rate}: sent (req/s)", "", lambda s: f"{s['load']['achieved']:,.0f}")
        serve_row(f"{rate}: p50 (ms)", "", lambda s: f"{s['load']['p50']:.1f}")
        serve_row(f"{rate}: p99 (ms)", f"< {P99_TARGET:.0f}",
                  lambda s: f"{s['load']['p99']:.1f} {_mark(s['load']['p99'] < P99_TARGET)}")
        serve_row(f"{rate}: max (ms)", "", lambda s: f"{s['load']['max']:.0f}")
        serve_row(f"{rate}: errors", "0", lambda s: f"{s['load']['errors']} {_mark(not s['load']['errors'])}")
        serve_row(f"{rate}: server CPU a request (ms)", "", lambda s: f"{s['load']['cpu_ms']:.1f}")
        serve_row("highest rate held at p99 < 50 ms (req/s)", f"≥ {args.rate:,.0f}",
                  lambda s: f"{s['max']['held']:,.0f} {_mark(s['max']['held'] >= args.rate)}"
                  if s["max"]["held"] else "none ✗")
        serve_row("the steps (req/s: p99 ms)", "", lambda s: ", ".join(
            f"{x['rate']:,.0f}: {x['p99']:.0f}" + ("" if not x["errors"] else f" ({x['errors']} errors)")
            for x in s["max"]["steps"]))
        if any("beside" in results[e]["serve"] for e in serving):
            serve_row(f"{rate} with an ingest beside: p99 (ms)", f"< {P99_TARGET:.0f}",
                      lambda s: f"{s['beside']['p99']:.1f} {_mark(s['beside']['p99'] < P99_TARGET)}")
            serve_row(f"{rate} with an ingest beside: max (ms), errors", "0 errors",
                      lambda s: f"{s['beside']['max']:.0f}, {s['beside']['errors']} "
                      f"{_mark(not s['beside']['errors'])}")
            serve_row("the ingest's rate meanwhile (filings/s)", "",
                      lambda s: f"{s['beside']['ingest_rate']:,.0f}")
    took = "; ".join(f"{ENGINES[e]}: " + ", ".join(f"{part} {sec:,.0f} s" for part, sec in results[e]["took"].items())
                     for e in engines if results[e].get("took"))
    lines += ["", f"Time each part took: {took}." if took else ""]
    return "\n".join(lines).rstrip() + "\n"


# --- the run ---------------------------------------------------------------------------------------

def stores(args: argparse.Namespace, work: Path) -> dict[str, str]:
    if args.db:
        engine = "postgres" if args.db.startswith(("postgresql://", "postgres://")) else "duckdb"
        return {engine: args.db}
    name = f"scale_{args.transactions}_{args.issuers}"  # a kept store is reused for the same arguments only
    found = {}
    for engine in args.engines:
        if engine == "duckdb":
            found[engine] = str(work / f"{name}.duckdb")
        else:
            found[engine] = bench_reports.fresh_pg(args.pg, f"bench_{name}", keep=args.keep is not None)
    return found


def run_engine(engine: str, url: str, args: argparse.Namespace) -> dict[str, Any]:
    found: dict[str, Any] = {"took": {}}

    @contextlib.contextmanager
    def part(name: str) -> Iterator[None]:
        print(f"{ENGINES[engine]}: {name}", file=sys.stderr)
        start = time.perf_counter()
        yield
        found["took"][name] = time.perf_counter() - start

    if not args.skip_build:
        with part("build"):
            found["build"] = build(url, args)
    elif engine == "duckdb" and not Path(url).exists():
        raise SystemExit(f"--skip-build: no store at {url}")
    found["store"] = store_facts(url, engine)
    print(f"  store: {found['store']}", file=sys.stderr)
    if not {"answers", "library"} <= set(args.skip):
        with part("answers"):
            found["answers"] = measure_answers(url, args)
    if "serve" not in args.skip:
        with part("serve and loads"):
            found["serve"] = measure_serve(url, engine, args)
    return found


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--transactions", type=int, default=10_000_000, help="transaction rows to build")
    parser.add_argument("--issuers", type=int, default=6_000)
    parser.add_argument("--engines", default="duckdb,postgres", help="comma-separated: duckdb, postgres")
    parser.add_argument("--pg", default=PG, help="the PostgreSQL server (a schema of its own is made there)")
    parser.add_argument("--keep", type=Path, help="a folder to keep the stores in and reuse (PostgreSQL: the schema)")
    parser.add_argument("--db", help="measure this store (a DuckDB file or a postgresql:// URL) instead")
    parser.add_argument("--skip-build", action="store_true", help="measure the store as it is (with --db or --keep)")
    parser.add_argument("--skip", default="", help=f"parts to leave out, comma-separated: {', '.join(PARTS)}")
    parser.add_argument("--workers", type=int, default=max(1, (os.cpu_count() or 2) - 1),
                        help="processes making rows while the main one writes (0: all in one)")
    parser.add_argument("--chunk", type=int, default=10_000, help="filings a write while building")
    parser.add_argument("--seed", type=int, default=16)
    parser.add_argument("--rounds", type=int, default=3, help="runs of each answer")
    parser.add_argument("--cli-format", choices=("table", "json"),
                        help="the answers' --format (their default, a table for a person, when left out)")
    parser.add_argument("--rate", type=float, default=500, help="requests/s of the load")
    parser.add_argument("--seconds", type=float, default=60, help="seconds of the load (and of the one beside ingest)")
    parser.add_argument("--connections", type=int, default=64)
    parser.add_argument("--step", type=float, default=250, help="requests/s added at each step of the search")
    parser.add_argument("--step-seconds", type=float, default=15)
    parser.add_argument("--max-rate", type=float, default=5_000, help="the search stops here")
    parser.add_argument("--beside-batch", type=int, default=2_000, help="filings a write of the ingest beside")
    parser.add_argument("--beside-rate", type=float, default=0,
                        help="at most this many filings/s for the ingest beside (0: as fast as it goes)")
    parser.add_argument("--serve-timeout", type=float, default=900, help="seconds to wait for serve's first 200")
    parser.add_argument("--out", type=Path, help="write the Markdown here too")
    parser.add_argument("--ingest-beside", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    args.engines = [e.strip() for e in args.engines.split(",") if e.strip()]
    args.skip = {p.strip() for p in args.skip.split(",") if p.strip()}
    for engine in args.engines:
        if engine not in ENGINES:
            parser.error(f"--engines: no engine {engine!r} (duckdb, postgres)")
    for skipped in args.skip:
        if skipped not in PARTS:
            parser.error(f"--skip: no part {skipped!r} ({', '.join(PARTS)})")
    if args.skip_build and not (args.db or args.keep):
        parser.error("--skip-build needs a store: --db or --keep")
    if args.transactions < 1 or args.chunk < 1 or args.rounds < 1:
        parser.error("--transactions, --chunk and --rounds are at least 1")
    return args


def main() -> None:
    args = parse_args()
    if args.ingest_beside:
        ingest_beside(args.db, args.issuers, args.beside_batch, args.beside_rate, args.seed)
        return
    work = args.keep or Path(tempfile.mkdtemp(prefix="bench-scale-"))
    work.mkdir(parents=True, exist_ok=True)
    urls = stores(args, work)
    results: dict[str, dict[str, Any]] = {}
    try:
        for engine, url in urls.items():
            results[engine] = run_engine(engine, url, args)
            text = markdown(results, args)
            if args.out:
                args.out.write_text(text)
        print(markdown(results, args))
    finally:
        if not args.keep and not args.db:
            shutil.rmtree(work, ignore_errors=True)
            if "postgres" in urls:
                _drop_schema(args.pg, f"bench_scale_{args.transactions}_{args.issuers}")


def _drop_schema(url: str, schema: str) -> None:
    import psycopg

    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute(f"DROP SCHEMA IF EXISTS {schema} CASCADE")


if __name__ == "__main__":
    main()
