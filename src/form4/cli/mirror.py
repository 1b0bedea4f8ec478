"""``form4 mirror serve``: a local EDGAR to try ``download``, ``sync`` and ``watch`` on, offline (a thin shell
over ``form4.mirror``). Registered on ``form4.cli.app``."""

from __future__ import annotations

import shutil
import signal
import tempfile
from collections import Counter
from pathlib import Path
from types import FrameType
from typing import TYPE_CHECKING, Annotated

import typer

from form4.cli.app import app, command, fail, group, is_quiet, made_folder, print_error, unwrapped_console

if TYPE_CHECKING:  # the mirror is loaded by its command only
    from form4.mirror import MirrorServer

mirror_app = group("A local EDGAR: filings laid out and served as EDGAR serves them, for trying download, sync and "
                   "watch offline.")
app.add_typer(mirror_app, name="mirror")

EXAMPLES = ("examples/filings", "examples/feed")


def bundled_examples() -> list[Path]:
    """The example filings of a form4 checkout: beside the package's sources, else under the current directory."""
    import form4

    for base in (Path(form4.__file__).resolve().parents[2], Path.cwd()):
        found = [base / name for name in EXAMPLES if (base / name).exists()]
        if found:
            return found
    return []


@command("serve", group=mirror_app)
def serve(
    ctx: typer.Context,
    paths: Annotated[list[Path] | None, typer.Argument(
        help="Filings to serve: EDGAR submissions (.txt, .nc) as they are, ownership XML (put in a submission, "
             "filed the business day after its period of report), directories and .zip/.tar/.tar.gz archives of "
             "them. Without any, the examples of a form4 checkout (examples/filings, examples/feed), found beside "
             "the package's sources or in the current directory.", show_default=False)] = None,
    port: Annotated[int, typer.Option(min=0, max=65535, help="The port (0: any free one).")] = 8000,
    host: Annotated[str, typer.Option(help="The address to listen on.")] = "127.0.0.1",
    root: Annotated[Path | None, typer.Option(help="Lay the mirror out here and keep it (default: a temporary "
                                                   "directory, removed on exit).")] = None,
    faults: Annotated[float, typer.Option(min=0.0, max=1.0, help="The share of requests answered with a fault "
                                          "picked at random: 429, 503, a 2 s delay or a connection dropped "
                                          "mid-body.")] = 0.0,
    latency: Annotated[float, typer.Option(min=0.0, help="Seconds added before every answer.")] = 0.0,
    other_forms: Annotated[bool, typer.Option(help="Add a few filings of other forms (424B2, 497K, SC 13D, 425) on "
                                              "the busiest day, as EDGAR's indexes and feed list them.")] = True,
    datasets: Annotated[bool, typer.Option(help="Publish an Insider Transactions Data Set (a zip, and the SEC's "
                                           "page listing them) for every quarter of the filings but the newest, "
                                           "as the SEC does once a quarter is over.")] = True,
) -> None:
    """Serve filings at EDGAR's paths and in EDGAR's shapes until Ctrl-C.

    Lays the filings out as EDGAR does (each submission under every party's CIK, folder listings, daily and
    quarterly indexes, feed archives, submissions JSON, company_tickers.json, the latest-filings feed, every
    quarter but the newest as an Insider Transactions Data Set) and serves them over HTTP with the SEC's
    headers and errors. Prints the line to point the EDGAR commands at it: export
    FORM4_SEC_BASE_URL=http://127.0.0.1:PORT (with FORM4_USER_AGENT set as for EDGAR).
    """

    from form4 import mirror

    sources: list[Path] = list(paths or bundled_examples())
    if not sources:
        raise typer.BadParameter("give the filings to serve: the bundled examples (examples/filings, examples/feed) "
                                 "come with a checkout of form4 only", param_hint="PATHS")
    stderr = unwrapped_console(stderr=True)
    loaded = mirror.load_filings(sources)
    for line in loaded.errors:
        print_error(stderr, line)
    if not loaded.filings:
        fail(f"no filings to serve in {', '.join(map(str, sources))}")
    filings = loaded.filings
    if other_forms:
        filings = [*filings, *mirror.other_forms(Counter(f.filed for f in filings).most_common(1)[0][0])]
    directory = made_folder(root) if root is not None else Path(tempfile.mkdtemp(prefix="form4-mirror-"))
    try:
        built = mirror.build_mirror(directory, filings)
        if datasets:
            quarters = sorted({(f.filed.year, (f.filed.month - 1) // 3 + 1) for f in filings})
            built.publish_datasets(quarters[:-1])
        server = mirror.make_server(built, host, port, fault_rate=faults, latency=latency)
        days = sorted({f.filed for f in filings})
        if not is_quiet(ctx):
            stderr.print(f"{len(filings)} filings of {days[0]} to {days[-1]} laid out in {directory}; Ctrl-C stops")
        typer.echo(f"EDGAR mirror at {server.base_url}: export FORM4_SEC_BASE_URL={server.base_url}")
        _serve_until_stopped(server)
    finally:
        if root is None:
            shutil.rmtree(directory, ignore_errors=True)


def _serve_until_stopped(server: MirrorServer) -> None:
    # A service manager's stop is a Ctrl-C too; and Ctrl-C stops it even when started in the background of a
    # script, where SIGINT comes ignored.
    for stop in (signal.SIGTERM, signal.SIGINT):
        signal.signal(stop, _interrupt)
    try:
        server.server.serve_forever()
    except KeyboardInterrupt:
        pass  # the way to stop it: not a failure
    finally:
        server.server.server_close()


def _interrupt(signum: int, frame: FrameType | None) -> None:
    raise KeyboardInterrupt


__all__ = ["bundled_examples", "mirror_app", "serve"]
