"""What a database holds, table by table: its row count and a checksum of its rows.

One function, `table_digests`, used by the backup (written into the manifest), by the
restore (compared with the manifest) and by the restore drill test. The checksum is the
md5 of the rows' md5s in primary-key order: the same data on the same kind of database
gives the same checksum; PostgreSQL and SQLite render rows differently, so a PostgreSQL
checksum is never compared with an SQLite one.

- PostgreSQL: computed in SQL, `md5(string_agg(md5(t::text), '' ORDER BY pk))`, with the
  session settings that change how values print (time zone, date style, float digits)
  fixed, inside one REPEATABLE READ transaction so that every table is read at the
  same moment.
- SQLite: computed in Python over the rows as SQLite's own `quote()` prints them (so
  the answer does not depend on how a Python connection converts dates or decimals),
  in one read transaction. FTS5 virtual tables are skipped (their
  shadow tables, which hold the index, are counted).
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

# Session settings under which PostgreSQL prints a row the same way every time.
PG_STABLE_OUTPUT = (
    "SET LOCAL TimeZone = 'UTC'",
    "SET LOCAL DateStyle = 'ISO, YMD'",
    "SET LOCAL IntervalStyle = 'postgres'",
    "SET LOCAL extra_float_digits = 1",
    "SET LOCAL bytea_output = 'hex'",
)

EMPTY_MD5 = hashlib.md5(b"", usedforsecurity=False).hexdigest()


@dataclass(frozen=True)
class TableDigest:
    rows: int
    md5: str

    def as_json(self) -> dict[str, Any]:
        return {"rows": self.rows, "md5": self.md5}


def quote(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


@contextmanager
def read_snapshot(cursor: Any, vendor: str) -> Iterator[None]:
    """One read-only transaction on `cursor`'s connection (in autocommit mode), so that
    every table is read as of the same moment."""
    if vendor == "postgresql":
        cursor.execute("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY")
    else:
        cursor.execute("BEGIN")
    try:
        yield
    finally:
        cursor.execute("COMMIT")


def table_digests(cursor: Any, vendor: str) -> dict[str, TableDigest]:
    """Row count and checksum of every table, by name. Call it inside `read_snapshot`
    (or another transaction) for a consistent picture."""
    if vendor == "postgresql":
        return _postgresql(cursor)
    if vendor == "sqlite":
        return _sqlite(cursor)
    raise ValueError(f"no table digests for {vendor!r} databases")


def _postgresql(cursor: Any) -> dict[str, TableDigest]:
    for statement in PG_STABLE_OUTPUT:
        cursor.execute(statement)
    cursor.execute(
        """
        SELECT c.oid, n.nspname, c.relname,
               ARRAY(SELECT a.attname::text
                     FROM pg_index i
                     JOIN pg_attribute a ON a.attrelid = i.indrelid
                                         AND a.attnum = ANY(i.indkey::int2[])
                     WHERE i.indrelid = c.oid AND i.indisprimary
                     ORDER BY array_position(i.indkey::int2[], a.attnum))
        FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
        WHERE c.relkind IN ('r', 'p')
          AND n.nspname NOT IN ('pg_catalog', 'information_schema')
          AND n.nspname NOT LIKE 'pg\\_%'
        ORDER BY n.nspname, c.relname
        """
    )
    digests = {}
    for _oid, schema, table, pk in cursor.fetchall():
        name = table if schema == "public" else f"{schema}.{table}"
        order = ", ".join(f"t.{quote(column)}" for column in pk) or "t::text"
        cursor.execute(
            f"SELECT count(*), md5(coalesce(string_agg(md5(t::text), '' ORDER BY {order}), ''))"  # noqa: S608
            f" FROM {quote(schema)}.{quote(table)} AS t"
        )
        rows, md5 = cursor.fetchone()
        digests[name] = TableDigest(rows, md5)
    return digests


def sqlite_tables(cursor: Any) -> list[str]:
    """The ordinary tables (FTS5 shadow tables included, SQLite's own and virtual ones not)."""
    cursor.execute(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite\\_%' "
        "ESCAPE '\\' AND sql NOT LIKE 'CREATE VIRTUAL TABLE%' ORDER BY name"
    )
    return [name for (name,) in cursor.fetchall()]


def _sqlite(cursor: Any) -> dict[str, TableDigest]:
    digests = {}
    for table in sqlite_tables(cursor):
        cursor.execute(f"PRAGMA table_info({quote(table)})")
        columns = cursor.fetchall()  # cid, name, type, notnull, default, pk
        pk = [column[1] for column in sorted(columns, key=lambda c: c[5]) if column[5]]
        order = ", ".join(quote(column) for column in pk) or "rowid"
        row_text = " || ',' || ".join(f"quote({quote(column[1])})" for column in columns)
        cursor.execute(f"SELECT {row_text} FROM {quote(table)} ORDER BY {order}")  # noqa: S608
        total = hashlib.md5(usedforsecurity=False)
        rows = 0
        while batch := cursor.fetchmany(1000):
            for (text,) in batch:
                total.update(hashlib.md5(text.encode(), usedforsecurity=False).hexdigest().encode())
            rows += len(batch)
        digests[table] = TableDigest(rows, total.hexdigest())
    return digests
