"""What the benchmarks share: their own kept database, and percentiles.

A bench never touches the development database: on SQLite it uses var/<sqlite_file>, on
PostgreSQL the database of DATABASE_URL with `suffix` appended (created when missing).
Call `use_bench_database` before anything connects (before django.setup()).
"""

from __future__ import annotations

from pathlib import Path


def use_bench_database(*, suffix: str, sqlite_file: str) -> str:
    """Point Django's default database at the bench's own; says which, for the report."""
    from django.conf import settings

    default = settings.DATABASES["default"]
    if default["ENGINE"] == "django.db.backends.postgresql":
        import psycopg

        name = default["NAME"] if default["NAME"].endswith(suffix) else default["NAME"] + suffix
        with psycopg.connect(
            host=default.get("HOST") or None,
            port=default.get("PORT") or None,
            user=default.get("USER") or None,
            password=default.get("PASSWORD") or None,
            dbname="postgres",
            autocommit=True,
        ) as conn:
            if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
                conn.execute(f'CREATE DATABASE "{name}"')
        default["NAME"] = name
        # One long-lived process: one persistent connection, not the production pool
        # (Django refuses both at once).
        default.get("OPTIONS", {}).pop("pool", None)
        default["CONN_MAX_AGE"] = None
        return f"PostgreSQL {name}"
    default["NAME"] = str(Path(settings.VAR_DIR) / sqlite_file)
    return f"SQLite {default['NAME']}"


def percentile(values: list[float], fraction: float) -> float:
    """The nearest-rank percentile (fraction 0.5 = median, 0.95 = p95)."""
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(fraction * (len(ordered) - 1)))]
