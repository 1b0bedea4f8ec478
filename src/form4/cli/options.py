"""The options and arguments several commands share."""

from __future__ import annotations

import enum
from typing import Annotated

import typer

PathsArgument = Annotated[list[str], typer.Argument(
    help="Files, directories (read recursively), .zip/.tar/.tar.gz archives; - for standard input.")]


DbOption = Annotated[str | None, typer.Option(
    "--db", help="The store: a DuckDB file (form4.duckdb when left out) or postgresql://user:password@host/database.",
    envvar="FORM4_DB", show_envvar=True)]


class Engine(enum.StrEnum):
    local = "local"
    dask = "dask"


EngineOption = Annotated[Engine, typer.Option(help="local: this machine's cores; dask: a Dask cluster's workers "
                                              "(pip install 'form4[dask]').")]
SchedulerOption = Annotated[str | None, typer.Option(help="The Dask scheduler's address (tcp://host:8786); "
                                                     "without it --engine dask starts a local cluster.")]
WorkersOption = Annotated[int | None, typer.Option(min=1, help="Processes reading filings (one per core).")]
