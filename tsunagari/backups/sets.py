"""Backup sets: one folder per backup, written whole or not at all.

A set is a folder `tsunagari-<UTC time>-<vendor>/` holding

- `database.pgdump` (PostgreSQL: `pg_dump --format=custom`) or `database.sqlite3`
  (SQLite: a copy made with SQLite's online backup API);
- `files.tar.gz`, the files that must survive beside the database (see `file_roots`);
- `manifest.json`: when, the migration state, the row count and checksum of every
  table (`digests.table_digests`, read in the same snapshot as the dump), the list of
  files with their sha256, the app's version and git commit, and the sha256 of the two
  files above.

The set is written under `.incomplete-<name>` and renamed when its manifest is
complete, so a backup cut short (a full disk, a killed process) never looks like one.
The checksums catch corruption and a partial copy, not a deliberate forgery: whoever can
rewrite the data can rewrite the manifest; keep the off-site copy where the site cannot
write (docs/backup.md).
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import shutil
import sqlite3
import subprocess
import tarfile
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime
from importlib import metadata
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import connections
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.utils import ConnectionHandler

from tsunagari.backups.digests import (
    TableDigest,
    read_snapshot,
    table_digests,
)

FORMAT = 1
MANIFEST = "manifest.json"
PGDUMP = "database.pgdump"
SQLITE = "database.sqlite3"
FILES = "files.tar.gz"
PREFIX = "tsunagari-"
INCOMPLETE = ".incomplete-"
# Under VAR_DIR, not backed up: the CSV import's previews live 30 minutes and are
# remade by uploading again; collectstatic rebuilds the static files from the code.
VAR_SKIPPED = ("import-previews", "static")


class BackupError(Exception):
    """A backup or restore that cannot go on; the message says why, for an operator."""


# Databases ----------------------------------------------------------------------------


def vendor_of(db: dict[str, Any]) -> str:
    engine = db["ENGINE"]
    if engine.endswith("postgresql"):
        return "postgresql"
    if engine.endswith("sqlite3"):
        return "sqlite"
    raise BackupError(f"backups support PostgreSQL and SQLite, not {engine}")


def open_database(db: dict[str, Any]) -> BaseDatabaseWrapper:
    """A connection of its own to the database `db` (a DATABASES entry), outside the
    site's connections; close it when done."""
    db = {**db, "OPTIONS": {k: v for k, v in (db.get("OPTIONS") or {}).items() if k != "pool"}}
    return ConnectionHandler({"default": db})["default"]


def pg_env(db: dict[str, Any]) -> dict[str, str]:
    """The environment that points pg_dump/pg_restore/psql at `db`: the password goes
    through PGPASSWORD, never on a command line (where `ps` shows it)."""
    env = {**os.environ}
    for key, name in (("HOST", "PGHOST"), ("PORT", "PGPORT"), ("USER", "PGUSER")):
        if db.get(key):
            env[name] = str(db[key])
        else:
            env.pop(name, None)
    if db.get("PASSWORD"):
        env["PGPASSWORD"] = str(db["PASSWORD"])
    options = db.get("OPTIONS") or {}
    for key in ("sslmode", "sslrootcert", "sslcert", "sslkey"):
        if options.get(key):
            env["PG" + key.upper()] = str(options[key])
    env["PGDATABASE"] = str(db["NAME"])
    env["PGCONNECT_TIMEOUT"] = "10"
    return env


def run_pg_tool(args: list[str], db: dict[str, Any]) -> None:
    tool = args[0]
    if shutil.which(tool) is None:
        raise BackupError(f"{tool} is not installed (Debian: apt-get install postgresql-client)")
    result = subprocess.run(args, env=pg_env(db), capture_output=True, text=True, check=False)  # noqa: S603
    if result.returncode != 0:
        raise BackupError(f"{tool} failed ({result.returncode}): {result.stderr.strip()}")


def digests_of(db: dict[str, Any]) -> dict[str, TableDigest]:
    """The digests of a whole database named by a DATABASES entry."""
    if vendor_of(db) == "sqlite":
        with closing_sqlite(db["NAME"]) as conn:
            cursor = conn.cursor()
            with read_snapshot(cursor, "sqlite"):
                return table_digests(cursor, "sqlite")
    wrapper = open_database(db)
    try:
        with wrapper.cursor() as pg_cursor, read_snapshot(pg_cursor, "postgresql"):
            return table_digests(pg_cursor, "postgresql")
    finally:
        wrapper.close()


class closing_sqlite:
    """A plain sqlite3 connection to a file, in autocommit mode, closed afterwards."""

    def __init__(self, path: str | Path) -> None:
        self.conn = sqlite3.connect(path, autocommit=True)

    def __enter__(self) -> sqlite3.Connection:
        return self.conn

    def __exit__(self, *exc: object) -> None:
        self.conn.close()


def table_count(db: dict[str, Any]) -> tuple[int, int]:
    """How many tables the database has, and how many rows in them (0, 0: empty or new)."""
    digests = digests_of(db) if _database_exists(db) else {}
    return len(digests), sum(d.rows for d in digests.values())


def _database_exists(db: dict[str, Any]) -> bool:
    if vendor_of(db) == "sqlite":
        return Path(db["NAME"]).exists() and Path(db["NAME"]).stat().st_size > 0
    return True  # a missing PostgreSQL database fails to connect, with its own message


# Files --------------------------------------------------------------------------------


def file_roots() -> dict[str, Path]:
    """The folders whose files a backup keeps, by the name they have in `files.tar.gz`:
    `var` (VAR_DIR) and `media` (MEDIA_ROOT, when set and outside VAR_DIR)."""
    roots = {"var": Path(settings.VAR_DIR)}
    media = getattr(settings, "MEDIA_ROOT", "")
    if media and not Path(media).resolve().is_relative_to(roots["var"].resolve()):
        roots["media"] = Path(media)
    return roots


def _skipped(root: str, relative: Path, excluded: set[Path]) -> bool:
    parts = relative.parts
    if root == "var" and parts and parts[0] in VAR_SKIPPED:
        return True
    if parts and parts[0].startswith(INCOMPLETE):
        return True
    return any(relative == p or relative.is_relative_to(p) for p in excluded)


def collect_files(excluded_paths: list[Path]) -> list[tuple[str, Path, Path]]:
    """(root name, absolute path, path inside the root) of every file to keep: the
    database's own files and the backup folder are left out."""
    found = []
    for name, root in file_roots().items():
        if not root.is_dir():
            continue
        resolved = root.resolve()
        excluded = {
            p.resolve().relative_to(resolved)
            for p in excluded_paths
            if p.resolve().is_relative_to(resolved)
        }
        for dirpath, dirnames, filenames in os.walk(resolved):
            base = Path(dirpath)
            dirnames[:] = sorted(
                d
                for d in dirnames
                if not _skipped(name, (base / d).relative_to(resolved), excluded)
            )
            for filename in sorted(filenames):
                path = base / filename
                relative = path.relative_to(resolved)
                if path.is_file() and not _skipped(name, relative, excluded):
                    found.append((name, path, relative))
    return found


def sqlite_files(path: str | Path) -> list[Path]:
    path = Path(path)
    return [path, *(path.with_name(path.name + s) for s in ("-wal", "-shm", "-journal"))]


def sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as f:
        while chunk := f.read(1 << 20):
            digest.update(chunk)
    return digest.hexdigest()


# Writing a set ------------------------------------------------------------------------


@dataclass
class Result:
    path: Path
    manifest: dict[str, Any]
    seconds: float
    pruned: list[Path] = field(default_factory=list)


def create(dest: Path, *, alias: str = "default", keep: int | None = None) -> Result:
    """Write one backup set of database `alias` and the files into `dest`."""
    started = time.monotonic()
    db = connections[alias].settings_dict
    vendor = vendor_of(db)
    dest.mkdir(parents=True, exist_ok=True, mode=0o700)
    now = datetime.now(UTC)
    name = f"{PREFIX}{now:%Y%m%dT%H%M%SZ}-{vendor}"
    n = 1
    while (dest / name).exists() or (dest / (INCOMPLETE + name)).exists():
        n += 1
        name = f"{PREFIX}{now:%Y%m%dT%H%M%SZ}-{vendor}-{n}"
    work = dest / (INCOMPLETE + name)
    work.mkdir(mode=0o700)
    try:
        if vendor == "postgresql":
            database = _dump_postgresql(db, work)
        else:
            database = _copy_sqlite(alias, work)
        excluded = [dest, Path(settings.BACKUP_DIR)]
        if vendor == "sqlite":
            excluded += sqlite_files(db["NAME"])
        files = _archive_files(work / FILES, excluded)
        manifest = {
            "format": FORMAT,
            "created_at": now.isoformat(timespec="seconds"),
            "app": _app_version(),
            **database,
            "files": files,
            "sha256": {p.name: sha256(p) for p in sorted(work.iterdir()) if p.name != MANIFEST},
        }
        manifest["seconds"] = round(time.monotonic() - started, 2)
        _write_json(work / MANIFEST, manifest)
        for p in work.iterdir():
            p.chmod(0o600)
        work.rename(dest / name)
    except BaseException:
        shutil.rmtree(work, ignore_errors=True)
        raise
    pruned = prune(dest, keep) if keep else []
    return Result(dest / name, manifest, time.monotonic() - started, pruned)


def _dump_postgresql(db: dict[str, Any], work: Path) -> dict[str, Any]:
    """pg_dump and the digests read from one snapshot: the transaction below exports
    its snapshot and pg_dump reads the same one, so the counts in the manifest are
    exactly what the dump holds, whatever the site and the worker write meanwhile."""
    wrapper = open_database(db)
    try:
        with wrapper.cursor() as cursor, read_snapshot(cursor, "postgresql"):
            cursor.execute("SELECT pg_export_snapshot(), current_setting('server_version')")
            snapshot, server_version = cursor.fetchone()
            run_pg_tool(
                [
                    "pg_dump",
                    "--format=custom",
                    f"--snapshot={snapshot}",
                    f"--file={work / PGDUMP}",
                ],
                db,
            )
            digests = table_digests(cursor, "postgresql")
            migrations = _migrations(cursor)
    finally:
        wrapper.close()
    return {
        "database": {
            "vendor": "postgresql",
            "name": db["NAME"],
            "server_version": server_version,
            "file": PGDUMP,
        },
        "migrations": migrations,
        "tables": {name: d.as_json() for name, d in digests.items()},
    }


def copy_sqlite(source: sqlite3.Connection, target: Path) -> None:
    """Copy the database open on `source` into the file `target` (new), in one step of
    the backup API, and check the copy."""
    with closing_sqlite(target) as copy:
        source.backup(copy)
        copy.execute("PRAGMA journal_mode=DELETE")
        (check,) = copy.execute("PRAGMA integrity_check").fetchone()
    if check != "ok":
        raise BackupError(f"the copy of the database fails SQLite's integrity check: {check}")


def _copy_sqlite(alias: str, work: Path) -> dict[str, Any]:
    """SQLite's online backup API, in one step: it reads one consistent snapshot while
    the site and the worker go on writing (WAL mode lets readers and a writer work at
    once). The digests are then read from the copy itself."""
    connection = connections[alias]
    connection.ensure_connection()
    target = work / SQLITE
    copy_sqlite(connection.connection, target)
    with closing_sqlite(target) as copy:
        cursor = copy.cursor()
        with read_snapshot(cursor, "sqlite"):
            digests = table_digests(cursor, "sqlite")
            migrations = _migrations(cursor)
    return {
        "database": {
            "vendor": "sqlite",
            "name": str(connection.settings_dict["NAME"]),
            "sqlite_version": sqlite3.sqlite_version,
            "file": SQLITE,
        },
        "migrations": migrations,
        "tables": {name: d.as_json() for name, d in digests.items()},
    }


def _migrations(cursor: Any) -> dict[str, list[str]]:
    cursor.execute("SELECT app, name FROM django_migrations ORDER BY id")
    applied: dict[str, list[str]] = {}
    for app, name in cursor.fetchall():
        applied.setdefault(app, []).append(name)
    return applied


def _archive_files(archive: Path, excluded: list[Path]) -> dict[str, Any]:
    roots = file_roots()
    entries = []
    with tarfile.open(archive, "w:gz") as tar:
        for root, path, relative in collect_files(excluded):
            member = f"{root}/{relative.as_posix()}"
            tar.add(path, arcname=member, recursive=False)
            entries.append({"path": member, "size": path.stat().st_size, "sha256": sha256(path)})
    return {
        "archive": FILES,
        "roots": {name: str(path) for name, path in roots.items()},
        "skipped": [f"var/{name}" for name in VAR_SKIPPED],
        "entries": entries,
    }


def _app_version() -> dict[str, str]:
    app = {}
    with contextlib.suppress(metadata.PackageNotFoundError):
        app["version"] = metadata.version("tsunagari")
    git = shutil.which("git")
    if git and (Path(settings.BASE_DIR) / ".git").exists():
        result = subprocess.run(  # noqa: S603
            [git, "-C", str(settings.BASE_DIR), "rev-parse", "HEAD"],
            capture_output=True,
            text=True,
            timeout=10,
            check=False,
        )
        if result.returncode == 0:
            app["git_commit"] = result.stdout.strip()
    return app


def _write_json(path: Path, data: dict[str, Any]) -> None:
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_text(json.dumps(data, ensure_ascii=False, indent=1), encoding="utf-8")
    with tmp.open("rb") as f:
        os.fsync(f.fileno())
    tmp.rename(path)


def complete_sets(dest: Path) -> list[Path]:
    """The finished backup sets in `dest`, oldest first."""
    if not dest.is_dir():
        return []
    found = [p for p in dest.iterdir() if p.name.startswith(PREFIX) and (p / MANIFEST).is_file()]
    return sorted(found, key=_age)


def _age(path: Path) -> tuple[str, int]:
    """tsunagari-<time>-<vendor>[-<n>], the n-th set of the same second."""
    parts = path.name.split("-")
    return parts[1], int(parts[3]) if len(parts) > 3 and parts[3].isdigit() else 1


def prune(dest: Path, keep: int) -> list[Path]:
    """Delete all but the `keep` newest finished sets, and backups cut short more than a
    day ago (a running backup's folder is younger); returns what was deleted."""
    old = complete_sets(dest)[:-keep] if keep > 0 else []
    day_ago = time.time() - 24 * 3600
    old += sorted(
        p
        for p in dest.iterdir()
        if p.name.startswith(INCOMPLETE) and p.is_dir() and p.stat().st_mtime < day_ago
    )
    for path in old:
        shutil.rmtree(path)
    return old


# Reading a set ------------------------------------------------------------------------


def load_manifest(path: Path) -> dict[str, Any]:
    """The manifest of the set at `path`, after checking that every file it lists is
    there, whole and unchanged; BackupError with the reason otherwise."""
    if not path.is_dir():
        raise BackupError(f"{path} is not a backup set (no such folder)")
    file = path / MANIFEST
    if not file.is_file():
        raise BackupError(
            f"{path} has no {MANIFEST}: an incomplete backup (cut short?) or not a backup set"
        )
    try:
        manifest: dict[str, Any] = json.loads(file.read_text(encoding="utf-8"))
    except (ValueError, UnicodeDecodeError) as error:
        raise BackupError(f"{file} is damaged: {error}") from None
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
        raise BackupError(f"{file} is not a manifest this version can read")
    for key in ("database", "tables", "files", "sha256", "migrations"):
        if key not in manifest:
            raise BackupError(f"{file} is damaged: it has no {key!r}")
    expected = {manifest["database"]["file"], manifest["files"]["archive"]}
    if not expected <= set(manifest["sha256"]):
        raise BackupError(f"{file} is damaged: it lacks the checksum of {sorted(expected)}")
    for name, digest in manifest["sha256"].items():
        part = path / name
        if not part.is_file():
            raise BackupError(f"the backup set is incomplete: {name} is missing")
        if sha256(part) != digest:
            raise BackupError(
                f"the backup set is damaged or altered: {name} does not match its checksum "
                "in the manifest"
            )
    return manifest


@dataclass
class Check:
    """The comparison of a database (or folder) with a manifest."""

    problems: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    lines: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems


def compare_tables(expected: dict[str, Any], found: dict[str, TableDigest], check: Check) -> None:
    for name in sorted(expected):
        want = expected[name]
        got = found.get(name)
        if got is None:
            check.problems.append(f"table {name} is missing")
            check.lines.append(f"  MISSING  {name}")
            continue
        if got.rows != want["rows"]:
            check.problems.append(f"table {name}: {got.rows} rows, the backup had {want['rows']}")
            check.lines.append(f"  ROWS     {name}: {got.rows} ≠ {want['rows']}")
        elif got.md5 != want["md5"]:
            check.problems.append(f"table {name}: its rows differ from the backup's (checksum)")
            check.lines.append(f"  CHANGED  {name}: checksum {got.md5} ≠ {want['md5']}")
    extra = sorted(set(found) - set(expected))
    if extra:
        check.notes.append("tables not in the backup, left as they were: " + ", ".join(extra))
    rows = sum(d.rows for n, d in found.items() if n in expected)
    check.lines.insert(
        0,
        f"  {len(expected) - sum(1 for n in expected if n not in found)}/{len(expected)} tables, "
        f"{rows} rows checked against the manifest",
    )


def compare_migrations(applied: dict[str, list[str]], check: Check) -> None:
    """Notes for an operator when the code and the backup are at different migrations."""
    from django.db.migrations.loader import MigrationLoader

    known = set(MigrationLoader(None, ignore_no_migrations=True).disk_migrations)
    backed = {(app, name) for app, names in applied.items() for name in names}
    newer = sorted(known - backed)
    unknown = sorted(backed - known)
    if newer:
        check.notes.append(
            f"this code has {len(newer)} migration(s) the backup predates (first: "
            f"{newer[0][0]}.{newer[0][1]}): run `manage.py migrate` after restoring"
        )
    if unknown:
        check.notes.append(
            f"the backup has {len(unknown)} migration(s) this code does not know (first: "
            f"{unknown[0][0]}.{unknown[0][1]}): it was made by newer code; restore with that"
        )


def compare_files(entries: list[dict[str, Any]], roots: dict[str, Path], check: Check) -> None:
    bad = 0
    for entry in entries:
        root, _, relative = entry["path"].partition("/")
        path = roots[root] / relative
        if not path.is_file():
            check.problems.append(f"file {entry['path']} is missing")
            bad += 1
        elif sha256(path) != entry["sha256"]:
            check.problems.append(f"file {entry['path']} differs from the backup's")
            bad += 1
    check.lines.append(f"  {len(entries) - bad}/{len(entries)} files checked against the manifest")


def verify(path: Path) -> tuple[dict[str, Any], Check]:
    """Check a set without restoring it: every file whole; an SQLite copy passes the
    integrity check and holds what the manifest says; a PostgreSQL dump can be read
    by pg_restore."""
    manifest = load_manifest(path)
    check = Check()
    database = path / manifest["database"]["file"]
    if manifest["database"]["vendor"] == "sqlite":
        with closing_sqlite(database) as conn:
            (result,) = conn.execute("PRAGMA integrity_check").fetchone()
        if result != "ok":
            check.problems.append(f"the database copy fails SQLite's integrity check: {result}")
        compare_tables(
            manifest["tables"], digests_of({"ENGINE": "sqlite3", "NAME": database}), check
        )
    else:
        if shutil.which("pg_restore") is None:
            raise BackupError("pg_restore is not installed (apt-get install postgresql-client)")
        tool = shutil.which("pg_restore") or "pg_restore"
        result = subprocess.run(  # noqa: S603
            [tool, "--list", str(database)], capture_output=True, text=True, check=False
        )
        if result.returncode != 0:
            check.problems.append(f"pg_restore cannot read the dump: {result.stderr.strip()}")
        else:
            entries = sum(1 for line in result.stdout.splitlines() if " TABLE DATA " in line)
            check.lines.append(f"  the dump lists the data of {entries} tables")
    with tarfile.open(path / manifest["files"]["archive"]) as tar:
        names = set(tar.getnames())
    missing = [e["path"] for e in manifest["files"]["entries"] if e["path"] not in names]
    if missing:
        check.problems.append(f"the file archive lacks {len(missing)} file(s), e.g. {missing[0]}")
    check.lines.append(f"  the file archive holds {len(names)} file(s)")
    return manifest, check


# Restoring a set ----------------------------------------------------------------------


def restore(
    path: Path,
    target: dict[str, Any],
    *,
    force: bool = False,
    roots: dict[str, Path] | None = None,
) -> tuple[dict[str, Any], Check]:
    """Restore the set at `path` into the database `target` (a DATABASES entry) and, when
    `roots` is given, its files into those folders; then compare both with the
    manifest. Nothing is written unless the set is whole and the target is empty (or
    `force`)."""
    manifest = load_manifest(path)
    vendor = vendor_of(target)
    if manifest["database"]["vendor"] != vendor:
        raise BackupError(
            f"this is a {manifest['database']['vendor']} backup; the target is a {vendor} "
            "database (to move between the two, use dumpdata/loaddata, not a backup)"
        )
    tables, rows = table_count(target)
    if tables and not force:
        raise BackupError(
            f"the target database {target['NAME']} is not empty ({tables} tables, {rows} rows); "
            "restore into a new, empty database, or pass --force to replace its contents"
        )
    if roots is not None and not force:
        clashes = [
            e["path"]
            for e in restorable(manifest["files"]["entries"], roots)
            if _root_path(roots, e["path"]).exists()
        ]
        if clashes:
            raise BackupError(
                f"{len(clashes)} file(s) of the backup already exist in the target folders "
                f"(e.g. {clashes[0]}); pass --force to overwrite them"
            )
    database = path / manifest["database"]["file"]
    if vendor == "postgresql":
        run_pg_tool(
            [
                "pg_restore",
                "--clean",
                "--if-exists",
                "--no-owner",
                "--no-acl",
                "--exit-on-error",
                "--single-transaction",
                f"--dbname={target['NAME']}",
                str(database),
            ],
            target,
        )
    else:
        _restore_sqlite(database, Path(target["NAME"]))
    if roots is not None:
        _extract(path / manifest["files"]["archive"], manifest["files"]["entries"], roots)
    check = Check()
    if roots is not None:
        left = sorted(
            {e["path"].partition("/")[0] for e in manifest["files"]["entries"]} - set(roots)
        )
        if left:
            check.notes.append(f"files of {', '.join(left)} not restored (no folder given)")
    compare_tables(manifest["tables"], digests_of(target), check)
    compare_migrations(manifest["migrations"], check)
    if roots is not None:
        compare_files(restorable(manifest["files"]["entries"], roots), roots, check)
    return manifest, check


def _root_path(roots: dict[str, Path], member: str) -> Path:
    root, _, relative = member.partition("/")
    return roots[root] / relative


def restorable(entries: list[dict[str, Any]], roots: dict[str, Path]) -> list[dict[str, Any]]:
    """The files that go back: those of the folders given a place in `roots`."""
    return [e for e in entries if e["path"].partition("/")[0] in roots]


def _restore_sqlite(source: Path, target: Path) -> None:
    """Copy the backup into `target` with the backup API (not a plain file copy): it takes
    SQLite's locks, so a target in WAL mode ends up consistent, its -wal file included."""
    target.parent.mkdir(parents=True, exist_ok=True)
    with closing_sqlite(source) as src, closing_sqlite(target) as dst:
        src.backup(dst)
        dst.execute("PRAGMA journal_mode=WAL")


def _extract(archive: Path, entries: list[dict[str, Any]], roots: dict[str, Path]) -> None:
    """Write each regular file the manifest lists to its folder; anything else in the
    archive (a link, a device, a path with "..") stops the restore before a file is
    written."""
    listed = {e["path"] for e in entries}
    with tarfile.open(archive) as tar:
        members = tar.getmembers()
        for member in members:
            if member.name not in listed or not member.isfile() or ".." in member.name.split("/"):
                raise BackupError(f"the file archive holds {member.name!r}, not in the manifest")
        for member in members:
            if member.name.partition("/")[0] not in roots:
                continue
            destination = _root_path(roots, member.name)
            destination.parent.mkdir(parents=True, exist_ok=True)
            source = tar.extractfile(member)
            assert source is not None  # a regular file, checked above
            tmp = destination.with_name(destination.name + ".restoring")
            with tmp.open("wb") as out:
                shutil.copyfileobj(source, out)
            tmp.replace(destination)


def database_from_url(url: str) -> dict[str, Any]:
    import dj_database_url

    try:
        return dict(dj_database_url.parse(url))
    except ValueError as error:
        raise BackupError(f"cannot read the database URL: {error}") from None


def describe(db: dict[str, Any]) -> str:
    if vendor_of(db) == "sqlite":
        return f"SQLite {db['NAME']}"
    return f"PostgreSQL {db.get('USER') or ''}@{db.get('HOST') or 'localhost'}:" + (
        f"{db.get('PORT') or 5432}/{db['NAME']}"
    )


def human_size(size: float) -> str:
    for unit in ("B", "KiB", "MiB", "GiB"):
        if size < 1024 or unit == "GiB":
            return f"{size:.0f} {unit}" if unit == "B" else f"{size:.1f} {unit}"
        size /= 1024
    return f"{size} B"


def set_size(path: Path) -> int:
    return sum(p.stat().st_size for p in path.iterdir() if p.is_file())
