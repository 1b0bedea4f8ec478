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
FormsOption = Annotated[str, typer.Option(help="Form types, comma-separated; amendments (4/A…) are included.")]


def forms_of(value: str) -> list[str]:
    """The form types a --forms value names (3, 4, 5; an /A asks for the same form)."""
    forms = [f.strip().upper() for f in value.split(",") if f.strip()]
    bad = [f for f in forms if f.removesuffix("/A") not in ("3", "4", "5")]
    if not forms or bad:
        raise typer.BadParameter(f"--forms takes 3, 4 and 5 (comma-separated), not {value!r}")
    return [f.removesuffix("/A") for f in forms]


# --- values checked as the command line is read: a bad one is a usage error (one line, exit 2) ----

def cik_value(value: str | None) -> str | None:
    """A CIK: a number of up to ten digits (leading zeros or not)."""
    if value is not None and not (value.strip().isdigit() and len(value.strip()) <= 10):
        raise typer.BadParameter(f"{value!r} is not a CIK (a number of up to ten digits)")
    return value.strip() if value is not None else None


def role_values(values: list[str] | None) -> list[str] | None:
    """Roles, repeated or comma-separated, each one of ``form4.analytics.roles.ROLES``."""
    from form4.analytics.roles import ROLES, unknown_roles

    roles = {r.strip() for value in values or () for r in value.split(",") if r.strip()}
    unknown = unknown_roles(roles)
    if unknown:
        raise typer.BadParameter(f"no role {', '.join(map(repr, unknown))}: one of {', '.join(ROLES)}")
    return values


CikArgument = Annotated[str, typer.Argument(help="The reporting owner's CIK.", callback=cik_value)]
RoleOption = Annotated[list[str] | None, typer.Option(
    "--role", callback=role_values, help="Only insiders with this role: director, officer, ten_percent_owner, "
    "other, ceo, cfo (repeat, or comma-separated, for any of several).")]
