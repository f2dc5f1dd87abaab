"""Pages under a spike: requests per second and latency of the production server.

    .venv/bin/python bench/http_load.py [--duration 10] [--connections 16] [--redis URL]
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/x .venv/bin/python bench/http_load.py

Uses its own data, never the development database: var/bench-http/ (SQLite file, static
files) or, when DATABASE_URL is set, the database `tsunagari_bench_http` on that server
(created when missing). It migrates, loads the demo data once (kept between runs), runs
collectstatic, then starts two servers with the same gunicorn options (2 sync workers):
the project, and bench/hello.py, a one-file Django hello world. wrk (Debian's
/usr/bin/wrk, --latency) then loads each page in turn and the table gives req/s, p50,
p99, the ratio to the hello world and PASS/MISS against the goals of issue 12:

- pages anonymous visitors get from the page cache: at least 0.3x the hello world;
- the search 「子ども食堂」: at least 200 req/s;
- every row: p99 at most 100 ms.

The API throttle (600 reads a minute per network) would answer most of wrk's requests
with 429: the servers run with API_THROTTLE_READS_PER_MINUTE raised out of reach, and
the report says so. Without --redis each gunicorn worker has its own local-memory cache
(its own page cache); with --redis (e.g. redis://127.0.0.1:6379/7) they share it, as in
production.
"""

from __future__ import annotations

import os
import sys

# Run as a script, this file's folder comes first on sys.path, and this file would be
# taken for the standard library's `http` package.
if sys.path and os.path.abspath(sys.path[0]) == os.path.dirname(os.path.abspath(__file__)):
    sys.path.pop(0)

import argparse
import re
import shutil
import signal
import socket
import subprocess
import time
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
VAR = ROOT / "var" / "bench-http"
PG_NAME = "tsunagari_bench_http"
PORTS = range(8300, 8400)
WRK = "/usr/bin/wrk"
THROTTLE_LIFTED = "1000000000"

HELLO_GOAL = 0.3
SEARCH_GOAL = 200.0
P99_GOAL_MS = 100.0


@dataclass
class Row:
    label: str
    path: str
    kind: str  # "hello", "cached", "search"
    headers: tuple[str, ...] = ()


@dataclass
class Result:
    rps: float
    p50_ms: float
    p99_ms: float
    errors: int
    requests: int


def free_port(taken: set[int]) -> int:
    for port in PORTS:
        if port in taken:
            continue
        with socket.socket() as s:
            try:
                s.bind(("127.0.0.1", port))
            except OSError:
                continue
        taken.add(port)
        return port
    raise SystemExit("no free port in 8300-8399")


def bench_environment(redis: str, page_cache: bool) -> tuple[dict[str, str], str]:
    env = dict(os.environ)
    env.update(
        VAR_DIR=str(VAR),
        DEBUG="false",
        HTTPS="false",
        STATIC_MANIFEST="true",
        ALLOWED_HOSTS="127.0.0.1,localhost",
        SECRET_KEY="bench-http-" + "x" * 50,
        API_THROTTLE_READS_PER_MINUTE=THROTTLE_LIFTED,
        LOG_LEVEL="ERROR",
    )
    if not page_cache:
        env["PAGE_CACHE_SECONDS"] = "0"
    else:
        env["PAGE_CACHE_SECONDS"] = "600"  # on even without Redis (each worker its own copy)
    env.pop("DEMO", None)
    env.pop("TESTING", None)
    if redis:
        env["REDIS_URL"] = redis
    else:
        env.pop("REDIS_URL", None)
    url = os.environ.get("DATABASE_URL", "")
    if url:
        parts = urllib.parse.urlsplit(url)
        env["DATABASE_URL"] = urllib.parse.urlunsplit(parts._replace(path="/" + PG_NAME))
        create_pg_database(url)
        return env, f"PostgreSQL {PG_NAME}"
    env.pop("DATABASE_URL", None)
    return env, f"SQLite {VAR / 'tsunagari.sqlite3'}"


def create_pg_database(url: str) -> None:
    import psycopg

    parts = urllib.parse.urlsplit(url)
    with psycopg.connect(
        host=parts.hostname,
        port=parts.port,
        user=parts.username,
        password=parts.password,
        dbname="postgres",
        autocommit=True,
    ) as conn:
        if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [PG_NAME]).fetchone():
            conn.execute(f'CREATE DATABASE "{PG_NAME}"')


def manage(env: dict[str, str], *args: str) -> str:
    done = subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    if done.returncode != 0:
        raise SystemExit(f"manage.py {' '.join(args)} failed:\n{done.stdout}\n{done.stderr}")
    return done.stdout


FIND_RESOURCE = (
    "from tsunagari.directory.models import Resource; "
    "r = Resource.objects.published().order_by('pk').first(); print(r.pk if r else '')"
)


def prepare(env: dict[str, str]) -> int:
    """Migrate, load the demo data once, collect the static files; a resource's id."""
    VAR.mkdir(parents=True, exist_ok=True)
    print("Preparing the database and the static files…", flush=True)
    manage(env, "migrate", "--noinput", "-v0")
    found = first_resource(env)
    if found is None:
        print("Loading the demo data (once; kept for the next runs)…", flush=True)
        manage(env, "load_demo")
        found = first_resource(env)
    manage(env, "collectstatic", "--noinput", "-v0")
    if found is None:
        raise SystemExit("the demo data has no published resource")
    return found


def first_resource(env: dict[str, str]) -> int | None:
    output = manage(env, "shell", "--no-imports", "-c", FIND_RESOURCE)
    ids = [line for line in output.splitlines() if line.strip().isdigit()]
    return int(ids[-1]) if ids else None


def gunicorn_command(app: str, port: int, workers: int, chdir: Path) -> list[str]:
    gunicorn = shutil.which("gunicorn", path=str(Path(sys.executable).parent)) or "gunicorn"
    return [
        gunicorn,
        app,
        "--chdir",
        str(chdir),
        "--bind",
        f"127.0.0.1:{port}",
        "--workers",
        str(workers),
        "--worker-class",
        "sync",
        "--backlog",
        "2048",
        "--timeout",
        "120",  # the first request of a worker loads the tokenizer on a busy machine
        "--log-level",
        "warning",
    ]


def start(command: list[str], env: dict[str, str], port: int) -> subprocess.Popen[bytes]:
    process = subprocess.Popen(command, env=env, cwd=ROOT, start_new_session=True)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise SystemExit(f"{command[1]} did not start")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                return process
        except OSError:
            time.sleep(0.2)
    stop(process)
    raise SystemExit(f"{command[1]} did not listen on {port}")


def stop(process: subprocess.Popen[bytes]) -> None:
    if process.poll() is None:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()


def fetch(url: str, headers: tuple[str, ...]) -> int:
    request = urllib.request.Request(url)
    for header in headers:
        name, _, value = header.partition(":")
        request.add_header(name.strip(), value.strip())
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            response.read()
            return int(response.status)
    except urllib.error.HTTPError as error:
        return error.code
    except OSError as error:
        raise SystemExit(f"{url}: {error}") from None


UNITS = {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60000.0}


def _ms(text: str) -> float:
    match = re.fullmatch(r"([\d.]+)(us|ms|s|m)", text.strip())
    if not match:
        raise ValueError(text)
    return float(match.group(1)) * UNITS[match.group(2)]


def parse_wrk(output: str) -> Result:
    def percentile(p: str) -> float:
        match = re.search(rf"^\s+{p}%\s+(\S+)", output, re.MULTILINE)
        return _ms(match.group(1)) if match else float("nan")

    rps = re.search(r"Requests/sec:\s+([\d.]+)", output)
    total = re.search(r"(\d+) requests in", output)
    non_2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", output)
    socket_errors = re.search(
        r"Socket errors: connect (\d+), read \d+, write (\d+), timeout (\d+)", output
    )
    errors = int(non_2xx.group(1)) if non_2xx else 0
    if socket_errors:  # a sync worker closes each connection: "read" errors are not failures
        errors += sum(int(g) for g in socket_errors.groups())
    return Result(
        rps=float(rps.group(1)) if rps else 0.0,
        p50_ms=percentile("50"),
        p99_ms=percentile("99"),
        errors=errors,
        requests=int(total.group(1)) if total else 0,
    )


def run_wrk(url: str, headers: tuple[str, ...], args: argparse.Namespace) -> Result:
    command = [
        WRK,
        f"-t{args.threads}",
        f"-c{args.connections}",
        f"-d{args.duration}s",
        "--timeout",
        "10s",
        "--latency",
    ]
    for header in headers:
        command += ["-H", header]
    done = subprocess.run([*command, url], capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise SystemExit(f"wrk failed: {done.stderr}")
    return parse_wrk(done.stdout)


def verdict(row: Row, result: Result, hello_rps: float) -> tuple[str, str]:
    """(goal, PASS/MISS) of one row."""
    goals: list[tuple[str, bool]] = [(f"p99≤{P99_GOAL_MS:.0f}ms", result.p99_ms <= P99_GOAL_MS)]
    if row.kind == "cached":
        goals.insert(0, (f"≥{HELLO_GOAL}×", result.rps >= HELLO_GOAL * hello_rps))
    elif row.kind == "search":
        goals.insert(0, (f"≥{SEARCH_GOAL:.0f}/s", result.rps >= SEARCH_GOAL))
    elif row.kind == "hello":
        return "(ceiling)", ""
    if result.errors:
        goals.append((f"{result.errors} errors", False))
    return ", ".join(g for g, _ in goals), "PASS" if all(ok for _, ok in goals) else "MISS"


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawTextHelpFormatter
    )
    parser.add_argument("--duration", type=int, default=10, help="seconds per row (10)")
    parser.add_argument("--connections", type=int, default=16, help="wrk connections (16)")
    parser.add_argument("--threads", type=int, default=1, help="wrk threads (1)")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn workers (2)")
    parser.add_argument(
        "--redis",
        default=os.environ.get("REDIS_URL", ""),
        help="REDIS_URL for the site's cache (default: $REDIS_URL, else local memory)",
    )
    parser.add_argument(
        "--no-page-cache",
        action="store_true",
        help="PAGE_CACHE_SECONDS=0: every page rendered, to compare on the same machine",
    )
    args = parser.parse_args()
    if not Path(WRK).exists():
        raise SystemExit(f"{WRK} is missing: apt-get install wrk")

    env, database = bench_environment(args.redis, not args.no_page_cache)
    resource = prepare(env)
    taken: set[int] = set()
    site_port, hello_port = free_port(taken), free_port(taken)
    site_cmd = gunicorn_command("tsunagari.wsgi:application", site_port, args.workers, ROOT)
    hello_cmd = gunicorn_command("bench.hello:application", hello_port, args.workers, ROOT)
    rows = [
        Row("hello world (bench/hello.py)", "/", "hello"),
        Row("home /", "/", "cached"),
        Row("home / (English)", "/", "cached", ("Cookie: django_language=en",)),
        Row(f"resource /resources/{resource}/", f"/resources/{resource}/", "cached"),
        Row("API /api/v1/services?q=相談", "/api/v1/services?q=相談", "cached"),
        Row("self-check /selfcheck/", "/selfcheck/", "cached"),
        Row("results /selfcheck/results/", "/selfcheck/results/", "cached"),
        Row("search /resources/?q=子ども食堂", "/resources/?q=子ども食堂", "search"),
    ]
    site = start(site_cmd, env, site_port)
    hello = start(hello_cmd, env, hello_port)
    results: list[tuple[Row, Result]] = []
    try:
        for row in rows:
            port = hello_port if row.kind == "hello" else site_port
            quoted = urllib.parse.quote(row.path, safe="/?=&")
            url = f"http://127.0.0.1:{port}{quoted}"
            for _ in range(4 * args.workers):  # every worker renders it once
                status = fetch(url, row.headers)
                if status != 200:
                    raise SystemExit(f"{row.path} answered {status}")
            print(f"  {row.label} …", flush=True)
            results.append((row, run_wrk(url, row.headers, args)))
    finally:
        stop(site)
        stop(hello)

    hello_rps = results[0][1].rps
    cache = f"Redis {args.redis}" if args.redis else "local memory (one cache per worker)"
    print()
    print("Pages under a spike (make bench-http)")
    print(f"  database: {database}; cache: {cache}; demo data")
    if args.no_page_cache:
        print("  the page cache is OFF (--no-page-cache): every page is rendered")
    print(
        f"  gunicorn: {args.workers} sync workers, the same options for both apps; "
        f"wrk: -t{args.threads} -c{args.connections} -d{args.duration}s --latency"
    )
    print(
        f"  the API throttle is lifted for the run (API_THROTTLE_READS_PER_MINUTE="
        f"{THROTTLE_LIFTED}); production keeps 600/min per network"
    )
    print(
        f"  {os.cpu_count()} CPU cores, shared with wrk (and with anything else running: "
        "figures from a busy machine are noisy; run again to compare)"
    )
    print()
    header = (
        f"| {'page':<40} | {'req/s':>8} | {'p50 ms':>7} | {'p99 ms':>7} | {'× hello':>7} "
        f"| {'goal':<22} | result |"
    )
    print(header)
    print("|" + "|".join("-" * (len(cell)) for cell in header.split("|")[1:-1]) + "|")
    for row, result in results:
        goal, outcome = verdict(row, result, hello_rps)
        ratio = result.rps / hello_rps if hello_rps else 0.0
        print(
            f"| {row.label:<40} | {result.rps:>8.0f} | {result.p50_ms:>7.1f} | "
            f"{result.p99_ms:>7.1f} | {ratio:>7.2f} | {goal:<22} | {outcome:<6} |"
        )


if __name__ == "__main__":
    main()
