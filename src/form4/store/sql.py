"""SQL a user hands to the store: split into statements, checked for writes, parameters bound.

DuckDB's parser (a fork of PostgreSQL's) splits and classifies statements for both engines,
so ``form4 query`` refuses a write before anything runs. Parameters are named, ``$name`` in
the SQL, on both engines; PostgreSQL's driver wants ``%(name)s``, so they are rewritten for it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import duckdb

from form4.errors import QueryError

# Statement kinds that cannot change the store (PRAGMA and CALL read DuckDB's catalog).
READ_KINDS = frozenset({"SELECT", "EXPLAIN", "PRAGMA", "CALL"})
# What a statement DuckDB's parser does not know (PostgreSQL-only syntax) may begin with to be read.
_READ_WORDS = {"SELECT": "SELECT", "WITH": "SELECT", "VALUES": "SELECT", "TABLE": "SELECT", "SHOW": "SELECT",
               "FROM": "SELECT", "EXPLAIN": "EXPLAIN"}
_NAMED = re.compile(r"\$([A-Za-z_][A-Za-z0-9_]*)")
# Quoted strings, quoted names, comments and dollar-quoted bodies: nothing inside them is a parameter.
_OPAQUE = re.compile(r"'(?:[^']|'')*'|\"(?:[^\"]|\"\")*\"|--[^\n]*|/\*.*?\*/|(\$[A-Za-z_]*\$).*?\1", re.S)


@dataclass(frozen=True)
class Statement:
    text: str
    kind: str  # SELECT, INSERT, DROP, COPY, ...
    parameters: frozenset[str]


def split(sql: str) -> list[Statement]:
    """The statements of ``sql``, in order; one statement when DuckDB's parser cannot read it."""
    try:
        parsed = duckdb.extract_statements(sql)
    except duckdb.Error as exc:
        text = _bare(sql)
        kind = _kind_by_first_word(text)
        if kind not in READ_KINDS:  # not PostgreSQL-only syntax for a read: a syntax error
            raise QueryError(str(exc).splitlines()[0]) from None
        return [Statement(text, kind, frozenset(_names(text)))]
    statements = [Statement(_bare(s.query), s.type.name, frozenset(s.named_parameters)) for s in parsed]
    return [s for s in statements if s.text]


def _bare(text: str) -> str:
    """A statement without the blanks and the semicolon around it."""
    return text.strip().rstrip(";").strip()


def read_only(sql: str) -> list[Statement]:
    """The statements of ``sql``, refused with a QueryError if any of them could write."""
    statements = split(sql)
    if not statements:
        raise QueryError("no SQL statement given")
    for number, statement in enumerate(statements, 1):
        if statement.kind not in READ_KINDS:
            where = f" (statement {number})" if len(statements) > 1 else ""
            raise QueryError(f"query only reads the store: {statement.kind} is refused{where}; "
                             "ingest and import-sec-dataset are the commands that write")
    return statements


def bind(statement: Statement, params: dict[str, object]) -> dict[str, object]:
    """The parameters the statement uses, each one given."""
    missing = sorted(statement.parameters - params.keys())
    if missing:
        raise QueryError(f"no value for ${missing[0]}: pass --param {missing[0]}=VALUE")
    return {name: params[name] for name in statement.parameters}


def pyformat(text: str) -> str:
    """``$name`` as ``%(name)s`` and ``%`` as ``%%``, outside strings and comments (for psycopg)."""
    out, last = [], 0
    for opaque in _OPAQUE.finditer(text):
        out.append(_NAMED.sub(r"%(\1)s", text[last:opaque.start()].replace("%", "%%")))
        out.append(opaque.group().replace("%", "%%"))
        last = opaque.end()
    out.append(_NAMED.sub(r"%(\1)s", text[last:].replace("%", "%%")))
    return "".join(out)


def _names(text: str) -> set[str]:
    return set(_NAMED.findall(_OPAQUE.sub(" ", text)))


def _kind_by_first_word(text: str) -> str:
    word = _OPAQUE.sub(" ", text).split(maxsplit=1)
    first = word[0].upper().strip("(") if word else ""
    return _READ_WORDS.get(first, first or "EMPTY")


def parameter(text: str) -> tuple[str, object]:
    """``NAME=VALUE`` from the command line: a whole number or a decimal is a number (a CIK with
    its leading zeros stays text), anything else text (dates compare as dates on both engines)."""
    name, sep, value = text.partition("=")
    if not sep or not re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*", name):
        raise QueryError(f"--param {text!r}: expected NAME=VALUE, used in the SQL as $NAME")
    if re.fullmatch(r"-?(0|[1-9][0-9]*)", value):
        return name, int(value)
    if re.fullmatch(r"-?(0|[1-9][0-9]*)\.[0-9]+", value):
        return name, float(value)
    return name, value
