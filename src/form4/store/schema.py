"""The one schema of the store, written out for DuckDB and for PostgreSQL.

Tables hold a filing as it was read: ``filings`` (one row per filing, keyed by accession
number), its ``reporting_owners``, every Table I/II row in ``security_rows`` (transactions
and holdings of both tables), ``footnotes`` and the ``footnote_refs`` of each value,
``signatures``, ``filing_sources`` (every document read as the filing, the kept one marked)
and ``quarantine`` for documents that could not be read. The public views
``transactions`` and ``holdings`` give one row per table row and owner; the ``current_*``
views leave out filings that a later amendment replaced.

``current_rows`` is what every answer reads (form4.analytics): each table row of each current
filing with each of its owners, its filing's and owner's columns beside it, so that no answer
joins. It is kept in the transaction that stores a batch (form4.store.placing), and indexed by
the keys pages and reports ask for: ``filing_id`` (an integer, the accession number's digits),
``line`` (the row's place in its filing) and ``day`` (its date) order every page. DuckDB keeps
two copies of it besides (``PAGE_COPIES``), each in the order of a kind of page.
"""

from __future__ import annotations

import re

# column name -> portable type: text, int, bigint, float, bool, date, timestamp, bytes
Columns = tuple[tuple[str, str], ...]

FILING_FIELDS: Columns = (
    ("form_type", "text"), ("schema_version", "text"), ("period_of_report", "date"), ("filed_at", "date"),
    ("date_of_original_submission", "date"), ("not_subject_to_section16", "bool"), ("aff10b5_one", "bool"),
    ("no_securities_owned", "bool"), ("form3_holdings_reported", "bool"), ("form4_transactions_reported", "bool"),
    ("issuer_cik", "text"), ("issuer_name", "text"), ("trading_symbol", "text"), ("remarks", "text"),
)
OWNER_FIELDS: Columns = (
    ("cik", "text"), ("name", "text"), ("street1", "text"), ("street2", "text"), ("city", "text"),
    ("state", "text"), ("zip", "text"), ("state_description", "text"), ("is_director", "bool"),
    ("is_officer", "bool"), ("is_ten_percent_owner", "bool"), ("is_other", "bool"), ("officer_title", "text"),
    ("other_text", "text"),
)
ROW_FIELDS: Columns = (
    ("security_title", "text"), ("conversion_or_exercise_price", "float"), ("transaction_date", "date"),
    ("deemed_execution_date", "date"), ("transaction_form_type", "text"), ("transaction_code", "text"),
    ("equity_swap_involved", "bool"), ("transaction_timeliness", "text"), ("shares", "float"),
    ("total_value", "float"), ("price_per_share", "float"), ("acquired_disposed", "text"),
    ("exercise_date", "date"), ("expiration_date", "date"), ("underlying_security_title", "text"),
    ("underlying_shares", "float"), ("underlying_value", "float"), ("shares_owned_following", "float"),
    ("value_owned_following", "float"), ("direct_or_indirect", "text"), ("nature_of_ownership", "text"),
)

TABLES: dict[str, Columns] = {
    "filings": (("accession_number", "text"), *FILING_FIELDS, ("owner_cik", "text"), ("amends", "text"),
                ("source", "text"), ("source_path", "text"), ("source_sha256", "text"),
                ("warnings", "text"), ("confidence", "text")),
    "reporting_owners": (("accession_number", "text"), ("owner_index", "int"), *OWNER_FIELDS),
    "security_rows": (("accession_number", "text"), ("table_name", "text"), ("kind", "text"), ("row_index", "int"),
                      *ROW_FIELDS, ("footnotes", "text")),
    "footnotes": (("accession_number", "text"), ("footnote_id", "text"), ("text", "text")),
    "footnote_refs": (("accession_number", "text"), ("table_name", "text"), ("kind", "text"), ("row_index", "int"),
                      ("field", "text"), ("footnote_id", "text")),
    "signatures": (("accession_number", "text"), ("signature_index", "int"), ("name", "text"), ("date", "date")),
}
# every reading of each filing; ``kept`` marks the one whose rows the other tables hold
SOURCES: Columns = (("accession_number", "text"), ("source", "text"), ("source_path", "text"),
                    ("source_sha256", "text"), ("kept", "bool"), ("recorded_at", "timestamp"))
QUARANTINE: Columns = (("sha256", "text"), ("source_path", "text"), ("field", "text"), ("error", "text"),
                       ("message", "text"), ("raw", "bytes"), ("quarantined_at", "timestamp"))
# the EDGAR accession number its path names, if any: what a sync need not fetch again
QUARANTINED_ACCESSION: Columns = (("accession_number", "text"),)
CURRENT_ROWS: Columns = (
    ("filing_id", "bigint"), ("line", "bigint"), ("day", "date"), ("accession_number", "text"),
    ("table_name", "text"), ("kind", "text"), ("row_index", "int"), ("owner_index", "int"),
    ("form_type", "text"), ("period_of_report", "date"), ("filed_at", "date"), ("issuer_cik", "text"),
    ("issuer_name", "text"), ("trading_symbol", "text"), ("aff10b5_one", "bool"), ("owner_cik", "text"),
    ("owner_name", "text"), ("is_director", "bool"), ("is_officer", "bool"), ("is_ten_percent_owner", "bool"),
    ("is_other", "bool"), ("officer_title", "text"), ("other_text", "text"), *ROW_FIELDS, ("footnotes", "text"),
    # the texts of the footnotes on its ownership (which trust, which fund), in one line
    ("ownership_footnote", "text"),
    ("ticker", "text"),  # the trading symbol as people type it: upper case, no spaces around
    ("holding_line", "text"),  # the holding line it reports a balance of (form4.analytics.holdings)
    # what may say a 10b5-1 plan (form4.analytics.plans decides): the texts of the row's own footnotes
    # that name "10", "b" and "5" in that order (separated by PLAN_NOTES_APART), and its filing's remarks
    ("plan_notes", "text"), ("plan_remarks", "text"))
PLAN_NOTES_APART = "\x1f"
# DuckDB keeps ``current_rows`` in this order (form4.store.Store.cluster): an issuer's rows are then a
# few row groups, which its zone maps find without an index, for pages and reports alike
CLUSTER_ORDER = "issuer_cik, day, filing_id, line"
CLUSTERING: Columns = (("rows", "bigint"), ("clustered_at", "timestamp"))  # how many rows were put in order
# the days ``form4 sync`` has stored in full, per set of form types asked for
SYNC_DAYS: Columns = (("day", "date"), ("forms", "text"), ("via", "text"), ("filings", "int"),
                      ("synced_at", "timestamp"))
# the quarters ``form4 sync --via datasets`` imported whole from the SEC's data sets (``quarter``: 2024q1)
DATASET_QUARTERS: Columns = (("quarter", "text"), ("forms", "text"), ("url", "text"), ("bytes", "int"),
                             ("filings", "int"), ("imported_at", "timestamp"))
KEYS = {"filings": "accession_number", "quarantine": "sha256", "sync_days": "day, forms",
        "dataset_quarters": "quarter, forms"}
CONTENT = "sha256:"  # the key of a filing read without an accession number: a hash of its content

_TYPES = {
    "duckdb": {"text": "VARCHAR", "int": "INTEGER", "bigint": "BIGINT", "float": "DOUBLE", "bool": "BOOLEAN",
               "date": "DATE", "timestamp": "TIMESTAMP", "bytes": "BLOB"},
    "postgres": {"text": "TEXT", "int": "INTEGER", "bigint": "BIGINT", "float": "DOUBLE PRECISION", "bool": "BOOLEAN",
                 "date": "DATE", "timestamp": "TIMESTAMPTZ", "bytes": "BYTEA"},
}

_ROW_VIEW_COLUMNS = ", ".join(f"r.{name}" for name, _ in ROW_FIELDS)
_OWNER_VIEW_COLUMNS = ("o.cik AS owner_cik, o.name AS owner_name, o.is_director, o.is_officer, "
                       "o.is_ten_percent_owner, o.is_other, o.officer_title, o.other_text")


def _row_view(name: str, kind: str, filings: str) -> str:
    return (f"CREATE OR REPLACE VIEW {name} AS SELECT r.accession_number, r.table_name AS \"table\", "
            f"r.row_index, f.form_type, f.period_of_report, f.filed_at, f.issuer_cik, f.issuer_name, "
            f"f.trading_symbol, {_OWNER_VIEW_COLUMNS}, {_ROW_VIEW_COLUMNS}, r.footnotes "
            f"FROM security_rows r JOIN {filings} f ON f.accession_number = r.accession_number "
            f"JOIN reporting_owners o ON o.accession_number = r.accession_number WHERE r.kind = '{kind}'")


# the columns of a transaction or holding as the public views give them, from ``current_rows r``
CURRENT_COLUMNS = ("r.accession_number, r.table_name AS \"table\", r.row_index, r.form_type, r.period_of_report, "
                   "r.filed_at, r.issuer_cik, r.issuer_name, r.trading_symbol, r.owner_cik, r.owner_name, "
                   "r.is_director, r.is_officer, r.is_ten_percent_owner, r.is_other, r.officer_title, r.other_text, "
                   f"{_ROW_VIEW_COLUMNS}, r.footnotes")


# DuckDB only: copies of ``current_rows`` in the order of the pages that are not an issuer's, newest first
# (form4.analytics.listing). A column store reads a row scattered over the table at the price of the
# blocks around it (50 ms for a page of 100 rows picked across ``current_rows``); in a copy kept in the
# page's order, the top of the order is the first row group, and DuckDB's top-N filter skips the rest:
# a page reads one or two row groups. Each is kept with ``current_rows`` (form4.store.placing), put
# in order again with it (form4.store.Store.cluster). Each holds what a page reads of a row: the columns it
# shows and those it is chosen and ordered by (not the hashes and texts reports read: a third of the bytes).
_PAGED = {"filing_id", "line", "day", "kind", *re.findall(r"r\.(\w+)", CURRENT_COLUMNS)}
PAGE_ROWS: Columns = tuple((name, kind) for name, kind in CURRENT_ROWS if name in _PAGED)
PAGE_COPIES = {"current_rows_by_day": "kind, day DESC, filing_id DESC, line DESC",
               "current_rows_by_owner": "owner_cik, kind, day DESC, filing_id DESC, line DESC"}


def _current_view(name: str, kind: str) -> str:
    """The public view of one kind of current row: the columns of ``_row_view``, from ``current_rows``."""
    return f"CREATE OR REPLACE VIEW {name} AS SELECT {CURRENT_COLUMNS} FROM current_rows r WHERE r.kind = '{kind}'"


# A filing's integer key: an accession number's eighteen digits (0001234567-24-000123 is
# 123456724000123, so keys sort as accession numbers do); a content hash's, below zero, from the
# engine's own hash of it (kept apart from every accession number; unique within a store).
_FILING_ID = {
    "duckdb": "CASE WHEN regexp_full_match({0}, '\\d{{10}}-\\d{{2}}-\\d{{6}}') "
              "THEN CAST(replace({0}, '-', '') AS BIGINT) ELSE -CAST(hash({0}) >> 2 AS BIGINT) - 1 END",
    "postgres": "CASE WHEN {0} ~ '^\\d{{10}}-\\d{{2}}-\\d{{6}}$' "
                "THEN CAST(replace({0}, '-', '') AS BIGINT) ELSE -abs(hashtextextended({0}, 0) >> 2) - 1 END",
}
# a row's place in its filing: Table I before Table II, then row, then owner
_LINE = ("CASE r.table_name WHEN 'derivative' THEN 1000000000000 ELSE 0 END "
         "+ CAST(r.row_index AS BIGINT) * 1000000 + o.owner_index")
NO_DAY = "DATE '0001-01-01'"  # a row without a date: last among dates, newest first
_DAY = f"coalesce(CASE r.kind WHEN 'transaction' THEN r.transaction_date ELSE f.period_of_report END, {NO_DAY})"
_ACCESSION_IN_PATH = {"duckdb": "regexp_extract({0}, '\\d{{10}}-\\d{{2}}-\\d{{6}}')",
                      "postgres": "substring({0} from '\\d{{10}}-\\d{{2}}-\\d{{6}}')"}


# a store made before current_rows, which holds rows but none of these (the engines run it)
UNFILLED = "SELECT EXISTS (SELECT 1 FROM security_rows) AND NOT EXISTS (SELECT 1 FROM current_rows)"
ALL_FILINGS = "(SELECT accession_number FROM filings)"


def filing_id(dialect: str, column: str) -> str:
    """SQL for the integer key of the filing whose key (accession number or content hash) is ``column``."""
    return _FILING_ID[dialect].format(column)


def accession_in_path(dialect: str, column: str) -> str:
    """SQL for the EDGAR accession number a document's path names (NULL or "" when none)."""
    return _ACCESSION_IN_PATH[dialect].format(column)


# what may say a 10b5-1 plan: "10", "b" and "5" in that order (a regular expression: LIKE '%10%b%5%'
# takes twice as long on DuckDB); every spelling form4.analytics.plans knows passes
_MAY_SAY = {"duckdb": "regexp_matches({}, '10.*[bB].*5')", "postgres": "{} ~ '10.*[bB].*5'"}
# A holding line (form4.analytics.holdings): the owner, the issuer, the table, the security, direct or
# indirect, the nature and the footnotes of its ownership and, in Table II, the derivative's terms;
# holding rows of one filing alike in all of that are lines of their own, counted in order.
_TERMS = ("h.table_name, lower(trim(h.security_title)), h.direct_or_indirect, "
          "lower(trim(coalesce(h.nature_of_ownership, ''))), lower(coalesce(n.ownership_footnote, '')), "
          "h.conversion_or_exercise_price, h.exercise_date, h.expiration_date, "
          "lower(trim(coalesce(h.underlying_security_title, '')))")
_HOLDING_LINE = "substr(md5(concat_ws('|', {})), 1, 16)".format(", ".join(
    f"coalesce(CAST({term} AS VARCHAR), '')" for term in
    ("coalesce(o.cik, lower(o.name))", "f.issuer_cik", "r.table_name", "lower(trim(r.security_title))",
     "r.direct_or_indirect", "lower(trim(r.nature_of_ownership))", "lower(n.ownership_footnote)",
     "r.conversion_or_exercise_price", "r.exercise_date", "r.expiration_date",
     "lower(trim(r.underlying_security_title))", "coalesce(h.occurrence, 1)")))


_MATCHES = {"duckdb": "regexp_matches({}, '{}')", "postgres": "{} ~ '{}'"}


# a blank other than a space: what DuckDB's regular expressions (RE2) call \\s, but the space
_ODD_BLANK = {"duckdb": "[\\t\\n\\f\\r]"}


def _normalized(dialect: str, text: str) -> str:
    """SQL for a footnote's text in one line: each run of blanks (\\s) one space, trimmed. Most texts
    are so already: replacing by a regular expression, ten times what looking costs, is only for
    those with two blanks together or a blank other than a space (on PostgreSQL, whose \\s depends
    on the locale, looked for once spaces are gone), and trimming only for those that begin or end
    with a space."""
    matches = _MATCHES[dialect]
    if dialect in _ODD_BLANK:
        odd = matches.format(text, f"\\s\\s|{_ODD_BLANK[dialect]}")  # one pass over the text
    else:
        spaced, other = matches.format(text, "\\s\\s"), matches.format(f"replace({text}, ' ', '')", "\\s")
        odd = f"{spaced} OR {other}"
    return (f"CASE WHEN {odd} THEN regexp_replace(trim({text}), '\\s+', ' ', 'g') "
            f"WHEN {text} LIKE ' %' OR {text} LIKE '% ' THEN trim({text}) ELSE {text} END")


def page_copies(dialect: str) -> dict[str, str]:
    """The copies of ``current_rows`` the engine keeps in page order (name -> order): DuckDB's."""
    return PAGE_COPIES if dialect == "duckdb" else {}


def fill_page_copies(dialect: str) -> list[str]:
    """Statements that write each page copy anew from ``current_rows``, in its order."""
    columns = ", ".join(name for name, _ in PAGE_ROWS)
    return [f"CREATE OR REPLACE TABLE {name} AS SELECT {columns} FROM current_rows ORDER BY {order}"
            for name, order in page_copies(dialect).items()]


# a store made before the page copies (or one whose current_rows was just filled): they need writing
COPIES_UNFILLED = ("SELECT EXISTS (SELECT 1 FROM current_rows) AND NOT EXISTS "
                   "(SELECT 1 FROM current_rows_by_day)")


def current_rows_of(dialect: str, keys: str, tables: str = "", amended: str | None = None,
                    into: str = "current_rows") -> str:
    """An INSERT of the current rows of the filings whose keys ``keys`` (SQL: a subquery) gives:
    those that no stored amendment replaces. ``tables``: a prefix of the tables read (``stage_``:
    a batch's staged rows, of filings new to the store). ``amended``: the keys among them that an
    amendment replaces, when known (a subquery; for new filings, those an amendment linked to in
    the same batch), instead of asking every stored filing. ``into``: the table that takes them (one
    of current_rows' columns: the rows made once, then copied to current_rows and its page copies).

    What costs is kept to the few rows that need it: a footnote's text is normalized only where
    it is on an ownership (most are on prices and amounts), and a holding row's place among its
    filing's alike is counted over holding rows before they meet their owners (an owner listed
    twice in a filing is one owner: its rows' lines are the same)."""
    columns = ", ".join(name for name, _ in CURRENT_ROWS)
    may_say = _MAY_SAY[dialect]
    fields = ", ".join(f"r.{name}" for name, _ in ROW_FIELDS)
    # n: the footnotes' texts of each row of the filings, those on its ownership (normalized: each footnote
    # once, only those on an ownership) and those that may say a plan; the others (most) come to nothing.
    # Each text once a row before they are joined in one line: DISTINCT within an aggregate costs more
    return f"""
INSERT INTO {into} ({columns})
WITH x AS (SELECT accession_number, table_name, kind, row_index, field, footnote_id
           FROM {tables}footnote_refs WHERE accession_number IN {keys}),
t AS (SELECT accession_number, footnote_id, text FROM {tables}footnotes WHERE accession_number IN {keys}),
own AS (SELECT DISTINCT accession_number, table_name, kind, row_index, footnote_id
        FROM x WHERE field IN ('direct_or_indirect', 'nature_of_ownership')),
owned AS (SELECT accession_number, footnote_id, {_normalized(dialect, 'text')} AS note FROM t
          WHERE (accession_number, footnote_id) IN (SELECT accession_number, footnote_id FROM own)),
said AS (SELECT accession_number, footnote_id, text AS note FROM t WHERE {may_say.format('text')}),
notes AS (SELECT DISTINCT own.accession_number, own.table_name, own.kind, own.row_index, true AS owning, o.note
          FROM own JOIN owned o ON o.accession_number = own.accession_number AND o.footnote_id = own.footnote_id
          UNION ALL
          SELECT DISTINCT x.accession_number, x.table_name, x.kind, x.row_index, false, s.note
          FROM x JOIN said s ON s.accession_number = x.accession_number AND s.footnote_id = x.footnote_id),
n AS (SELECT accession_number, table_name, kind, row_index,
             string_agg(note, ' ' ORDER BY note) FILTER (WHERE owning) AS ownership_footnote,
             string_agg(note, chr(31)) FILTER (WHERE NOT owning) AS plan_notes
      FROM notes GROUP BY 1, 2, 3, 4),
h AS (
    SELECT h.accession_number, h.table_name, h.row_index, row_number() OVER (
           PARTITION BY h.accession_number, {_TERMS} ORDER BY h.row_index) AS occurrence
    FROM {tables}security_rows h
    LEFT JOIN n ON n.accession_number = h.accession_number AND n.table_name = h.table_name AND n.kind = h.kind
                   AND n.row_index = h.row_index
    WHERE h.kind = 'holding' AND h.accession_number IN {keys})
SELECT {filing_id(dialect, 'r.accession_number')}, {_LINE}, {_DAY}, r.accession_number,
       r.table_name, r.kind, r.row_index, o.owner_index, f.form_type, f.period_of_report, f.filed_at, f.issuer_cik,
       f.issuer_name, f.trading_symbol, f.aff10b5_one, o.cik, o.name, o.is_director,
       o.is_officer, o.is_ten_percent_owner, o.is_other, o.officer_title, o.other_text, {fields},
       r.footnotes, n.ownership_footnote, upper(trim(f.trading_symbol)), {_HOLDING_LINE}, n.plan_notes,
       CASE WHEN {may_say.format('f.remarks')} THEN f.remarks END
FROM {tables}security_rows r
JOIN {tables}filings f ON f.accession_number = r.accession_number
JOIN {tables}reporting_owners o ON o.accession_number = r.accession_number
LEFT JOIN n ON n.accession_number = r.accession_number AND n.table_name = r.table_name AND n.kind = r.kind
     AND n.row_index = r.row_index
LEFT JOIN h ON h.accession_number = r.accession_number AND h.table_name = r.table_name AND r.kind = 'holding'
     AND h.row_index = r.row_index
WHERE r.accession_number IN {keys}
  AND {"NOT EXISTS (SELECT 1 FROM filings a WHERE a.amends = f.accession_number)" if amended is None
       else f"r.accession_number NOT IN {amended}"}
"""


def current_rows_indexes(dialect: str) -> list[str]:
    """What the pages and reports ask ``current_rows`` for (form4.analytics). PostgreSQL reads each
    page from a B-tree in its order, whatever the filter. DuckDB finds an issuer's rows by the
    table's order (CLUSTER_ORDER) and its zone maps, an owner's or a ticker's by an ART index when
    they are few (its planner takes one for a few thousand rows at most), and scans the rest."""
    if dialect == "duckdb":
        return ["CREATE INDEX IF NOT EXISTS current_rows_owner ON current_rows (owner_cik)",
                "CREATE INDEX IF NOT EXISTS current_rows_ticker ON current_rows (ticker)"]
    # a page asked for one transaction code (40 % of them: purchases, sales) would otherwise walk the
    # page's index row by row until enough rows of that code came: 6-8 ms instead of under one
    return [f"CREATE INDEX IF NOT EXISTS current_rows_{name} ON current_rows ({columns})" for name, columns in (
        ("page", "kind, day, filing_id, line"), ("issuer", "issuer_cik, kind, day, filing_id, line"),
        ("owner", "owner_cik, kind, day, filing_id, line"),
        ("page_code", "kind, transaction_code, day, filing_id, line"),
        ("issuer_code", "issuer_cik, kind, transaction_code, day, filing_id, line"),
        ("owner_code", "owner_cik, kind, transaction_code, day, filing_id, line"),
        ("ticker", "ticker"), ("accession", "accession_number"))]


def content_keyed(table: str = "") -> str:
    """SQL true for a filing read without an accession number (``table``: an alias to qualify)."""
    return f"{table}{'.' if table else ''}accession_number LIKE '{CONTENT}%'"


def column_defs(dialect: str, columns: Columns) -> list[str]:
    return [f"{name} {_TYPES[dialect][kind]}" for name, kind in columns]


def ddl(dialect: str) -> list[str]:
    """Statements that create the schema (each safe to run again), and bring a store made by an
    earlier version up to it."""
    statements = []
    for table, columns in (*TABLES.items(), ("filing_sources", SOURCES), ("quarantine", QUARANTINE),
                           ("sync_days", SYNC_DAYS), ("dataset_quarters", DATASET_QUARTERS),
                           ("current_rows", CURRENT_ROWS), ("clustering", CLUSTERING),
                           *((name, PAGE_ROWS) for name in page_copies(dialect))):
        cols = column_defs(dialect, columns)
        if table in KEYS:
            cols.append(f"PRIMARY KEY ({KEYS[table]})")
        statements.append(f"CREATE TABLE IF NOT EXISTS {table} ({', '.join(cols)})")
    statements += [
        f"ALTER TABLE quarantine ADD COLUMN IF NOT EXISTS {column_defs(dialect, QUARANTINED_ACCESSION)[0]}",
        f"UPDATE quarantine SET accession_number = {accession_in_path(dialect, 'source_path')} "
        "WHERE accession_number IS NULL AND source_path IS NOT NULL",
        "CREATE INDEX IF NOT EXISTS quarantine_accession ON quarantine (accession_number)",
        *current_rows_indexes(dialect),
    ]
    if dialect == "postgres":  # DuckDB scans with zone maps; its indexes would live in memory
        for table in ("reporting_owners", "security_rows", "footnotes", "footnote_refs", "signatures",
                      "filing_sources"):
            statements.append(f"CREATE INDEX IF NOT EXISTS {table}_accession ON {table} (accession_number)")
        statements += [
            "CREATE INDEX IF NOT EXISTS filing_sources_sha256 ON filing_sources (source_sha256)",
            # what reports look a filing up by (form4.analytics): its issuer, its owners, its amendment
            "CREATE INDEX IF NOT EXISTS filings_issuer ON filings (issuer_cik)",
            "CREATE INDEX IF NOT EXISTS filings_amends ON filings (amends)",
            "CREATE INDEX IF NOT EXISTS reporting_owners_cik ON reporting_owners (cik)",
            # where a reading without accession number looks for its filing (form4.store.placing):
            # partial, so that filings with accession numbers cost these indexes nothing
            "CREATE INDEX IF NOT EXISTS filings_content_period ON filings (period_of_report) "
            f"WHERE {content_keyed()}",
            "CREATE INDEX IF NOT EXISTS filings_content_ticker ON filings (trading_symbol, period_of_report) "
            f"WHERE {content_keyed()}",
        ]
    # a store made before filing_sources: each filing's one reading is the kept one
    statements.append("INSERT INTO filing_sources SELECT accession_number, source, source_path, source_sha256, true, "
                      "CURRENT_TIMESTAMP FROM filings WHERE NOT EXISTS (SELECT 1 FROM filing_sources)")
    statements += [
        "CREATE OR REPLACE VIEW current_filings AS SELECT * FROM filings f WHERE NOT EXISTS "
        "(SELECT 1 FROM filings a WHERE a.amends = f.accession_number)",
        _row_view("transactions", "transaction", "filings"),
        _row_view("holdings", "holding", "filings"),
        _current_view("current_transactions", "transaction"),
        _current_view("current_holdings", "holding"),
    ]
    return statements


# An amendment replaces the latest earlier filing of its form (or an earlier amendment of it) for the
# same issuer, owner and period.
LINK_AMENDMENTS = """
UPDATE filings SET amends = (
    SELECT o.accession_number FROM filings o
    WHERE o.form_type IN (replace(filings.form_type, '/A', ''), filings.form_type)
      AND o.issuer_cik = filings.issuer_cik
      AND o.owner_cik = filings.owner_cik AND o.period_of_report = filings.period_of_report
      AND o.accession_number <> filings.accession_number
      AND (o.filed_at IS NULL OR filings.filed_at IS NULL OR o.filed_at <= filings.filed_at)
    ORDER BY o.filed_at DESC NULLS LAST, o.accession_number DESC LIMIT 1)
WHERE form_type LIKE '%/A' AND amends IS NULL
RETURNING amends
"""
