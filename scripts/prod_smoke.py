"""The production stack, started for real and walked through over HTTPS (scripts/prod-smoke).

nginx (deploy/nginx/tsunagari.conf, with this run's ports and paths) in front of two
gunicorn instances (deploy/gunicorn.conf.py), two task workers, a scratch PostgreSQL
database, Redis (db 5 unless PROD_SMOKE_REDIS_URL says otherwise, flushed first) and an
SMTP sink that writes each message to a directory. Then, as people would:

1. /readyz through nginx is 200 (database, cache, workers' heartbeat, queue);
2. a resident applies to join (/apply/, with its trap field and fill-time token);
3. the secretariat signs in with its password and authenticator code, and approves;
4. the invitation arrives at the SMTP sink; its link sets a password;
5. the new member signs in on instance A and goes on on instance B (one session);
6. five failed sign-ins on A lock the sixth out on B (one rate limit);
7. instance A is stopped (SIGTERM) in the middle of a burst of GETs: none fails;
8. a hashed static file comes from nginx, cached for ever; the app's JSON log has the
   request's id.

Everything started is stopped and the database dropped on the way out, whatever happens.
Environment: PGHOST (127.0.0.1), PROD_SMOKE_REDIS_URL (redis://127.0.0.1:6379/5),
PROD_SMOKE_DB_PREFIX (tsunagari_smoke), NGINX (nginx or /usr/sbin/nginx).
"""

from __future__ import annotations

import contextlib
import email
import email.policy
import hashlib
import hmac
import http.client
import json
import os
import re
import secrets
import shutil
import signal
import socket
import ssl
import struct
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from typing import Any
from urllib.parse import urlencode, urlsplit

ROOT = Path(__file__).resolve().parent.parent
PY = sys.executable
PGHOST = os.getenv("PGHOST", "127.0.0.1")
REDIS_URL = os.getenv("PROD_SMOKE_REDIS_URL", "redis://127.0.0.1:6379/5")
DB_PREFIX = os.getenv("PROD_SMOKE_DB_PREFIX", "tsunagari_smoke")
SECRETARIAT = "secretariat@smoke.example.jp"
SECRETARIAT_PASSWORD = "smoke-" + secrets.token_urlsafe(12)
TOTP_KEY = secrets.token_hex(20)
APPLICANT = "applicant@smoke.example.jp"
MEMBER_PASSWORD = "Smoke-" + secrets.token_urlsafe(12)
# One key for every process of the run, as in production.
SECRET_KEY = secrets.token_urlsafe(50)


def step(message: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {message}", flush=True)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def wait_for(what: str, condition: Callable[[], bool], timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while True:
        try:
            if condition():
                return
        except OSError:
            pass
        if time.monotonic() > deadline:
            raise SystemExit(f"FAILED: timed out waiting for {what}")
        time.sleep(0.2)


def check(condition: bool, what: str) -> None:
    if not condition:
        raise SystemExit(f"FAILED: {what}")


def totp(key_hex: str, at: float | None = None) -> str:
    """RFC 6238 (SHA-1, 30 s, 6 digits), as the authenticator app computes it."""
    counter = int((time.time() if at is None else at) // 30)
    digest = hmac.new(bytes.fromhex(key_hex), struct.pack(">Q", counter), hashlib.sha1).digest()
    offset = digest[-1] & 0x0F
    value = struct.unpack(">I", digest[offset : offset + 4])[0] & 0x7FFFFFFF
    return f"{value % 1_000_000:06d}"


# The stack ---------------------------------------------------------------------------


class SmtpSink:
    """An SMTP server that writes each message it receives to a file in `folder`."""

    def __init__(self, folder: Path) -> None:
        from aiosmtpd.controller import Controller

        self.folder = folder
        folder.mkdir()
        self.port = free_port()
        sink = self

        class Handler:
            async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
                name = f"{time.time_ns()}.eml"
                (sink.folder / name).write_bytes(envelope.original_content)
                return "250 OK"

        self.controller = Controller(Handler(), hostname="127.0.0.1", port=self.port)

    def messages(self) -> list[email.message.EmailMessage]:
        return [
            email.message_from_bytes(p.read_bytes(), policy=email.policy.default)
            for p in sorted(self.folder.glob("*.eml"))
        ]


@dataclass
class Stack:
    work: Path
    https_port: int = field(default_factory=free_port)
    http_port: int = field(default_factory=free_port)
    web_ports: tuple[int, int] = field(default_factory=lambda: (free_port(), free_port()))
    database: str = f"{DB_PREFIX}_{os.getpid()}_{int(time.time())}"
    processes: dict[str, subprocess.Popen[bytes]] = field(default_factory=dict)
    database_created: bool = False
    smtp: SmtpSink | None = None

    @property
    def site(self) -> str:
        return f"localhost:{self.https_port}"

    def env(self) -> dict[str, str]:
        env = {
            k: v
            for k, v in os.environ.items()
            if k in ("PATH", "HOME", "LANG", "LC_ALL", "TMPDIR", "PYTHONPATH")
        }
        assert self.smtp is not None
        env.update(
            DATABASE_URL=f"postgres://postgres@{PGHOST}:5432/{self.database}",
            REDIS_URL=REDIS_URL,
            CACHE_KEY_PREFIX=f"smoke{os.getpid()}",
            SECRET_KEY=SECRET_KEY,
            DEBUG="false",
            TESTING="false",
            HTTPS="true",
            BEHIND_PROXY="true",
            ALLOWED_HOSTS="localhost,127.0.0.1",
            SITE_URL=f"https://{self.site}",
            VAR_DIR=str(self.work / "var"),
            SMTP_HOST="127.0.0.1",
            SMTP_PORT=str(self.smtp.port),
            LOG_FORMAT="json",
            LOG_LEVEL="WARNING",
            WORKER_HEARTBEAT_SECONDS="2",
            GUNICORN_WORKERS="2",
            PYTHONUNBUFFERED="1",
        )
        return env

    def manage(self, *args: str, input: str | None = None) -> str:
        result = subprocess.run(
            [PY, "manage.py", *args],
            cwd=ROOT,
            env=self.env(),
            input=input,
            capture_output=True,
            text=True,
        )
        if result.returncode:
            sys.stderr.write(result.stdout + result.stderr)
            raise SystemExit(f"FAILED: manage.py {' '.join(args)}")
        return result.stdout

    def spawn(self, name: str, command: list[str], env: dict[str, str] | None = None) -> None:
        log = open(self.work / f"{name}.log", "wb")  # noqa: SIM115  (lives as long as the process)
        self.processes[name] = subprocess.Popen(
            command,
            cwd=ROOT,
            env=env or self.env(),
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,  # Ctrl-C reaches us only; we stop them in order
        )

    # Starting ----------------------------------------------------------------------

    def start(self) -> None:
        self.work.chmod(0o755)  # nginx's workers (nobody) read the static files
        step("certificate (openssl, self-signed for localhost)")
        subprocess.run(
            [
                "openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1",
                "-subj", "/CN=localhost",
                "-addext", "subjectAltName=DNS:localhost,IP:127.0.0.1",
                "-keyout", str(self.work / "key.pem"), "-out", str(self.work / "cert.pem"),
            ],
            check=True,
            capture_output=True,
        )  # fmt: skip
        self.smtp = SmtpSink(self.work / "mail")
        self.smtp.controller.start()

        step(f"database {self.database}, Redis {REDIS_URL} (flushed)")
        psql(f"CREATE DATABASE {self.database}")
        self.database_created = True
        psql(f"ALTER DATABASE {self.database} SET synchronous_commit = off")
        import redis

        redis.Redis.from_url(REDIS_URL).flushdb()

        step("migrate, collectstatic, the secretariat with an authenticator")
        self.manage("migrate", "--noinput", "-v0")
        self.manage("collectstatic", "--noinput", "-v0")
        self.manage(
            "shell",
            "-c",
            "from tsunagari.accounts.models import User\n"
            "from django_otp.plugins.otp_totp.models import TOTPDevice\n"
            f"u = User.objects.create_user({SECRETARIAT!r}, {SECRETARIAT_PASSWORD!r},"
            " role='secretariat', full_name='スモーク 事務局')\n"
            f"TOTPDevice.objects.create(user=u, name='app', key={TOTP_KEY!r}, confirmed=True)\n",
        )

        step(f"gunicorn A :{self.web_ports[0]}, B :{self.web_ports[1]}; two db_workers")
        for name, port in zip("AB", self.web_ports, strict=True):
            env = {**self.env(), "GUNICORN_BIND": f"127.0.0.1:{port}"}
            self.spawn(f"web-{name}", [PY, "-m", "gunicorn", "-c", "deploy/gunicorn.conf.py"], env)
        for n in (1, 2):
            self.spawn(
                f"worker-{n}",
                [PY, "manage.py", "db_worker", "--worker-id", f"smoke-{n}", "--interval", "0.2"],
            )

        step(f"nginx https://{self.site} (http :{self.http_port})")
        conf = self.nginx_conf()
        nginx = shutil.which("nginx") or "/usr/sbin/nginx"
        nginx = os.getenv("NGINX", nginx)
        base = [nginx, "-p", str(self.work / "nginx"), "-c", str(conf), "-e", "stderr"]
        test = subprocess.run([*base, "-t", "-q"], capture_output=True, text=True)
        check(test.returncode == 0, f"nginx -t: {test.stderr}")
        self.spawn("nginx", base)

        for port in self.web_ports:
            wait_for(f"gunicorn :{port}", partial(answers, port))
        wait_for("nginx", lambda: Client(self).get("/healthz").status == 200, 20)

    def nginx_conf(self) -> Path:
        """deploy/nginx/tsunagari.conf with this run's ports and paths, in a minimal
        nginx.conf of our own (its own prefix, temp dirs, pid, logs)."""
        folder = self.work / "nginx"
        folder.mkdir()
        site = (ROOT / "deploy/nginx/tsunagari.conf").read_text()
        replacements = {
            "server 127.0.0.1:8001 ": f"server 127.0.0.1:{self.web_ports[0]} ",
            "server 127.0.0.1:8002 ": f"server 127.0.0.1:{self.web_ports[1]} ",
            "listen 80;": f"listen 127.0.0.1:{self.http_port};",
            "listen [::]:80;": "",
            "listen 443 ssl http2;": f"listen 127.0.0.1:{self.https_port} ssl http2;",
            "listen [::]:443 ssl http2;": "",
            "/etc/ssl/tsunagari/fullchain.pem": str(self.work / "cert.pem"),
            "/etc/ssl/tsunagari/privkey.pem": str(self.work / "key.pem"),
            "/srv/tsunagari/var/static/": f"{self.work / 'var' / 'static'}/",
            "/var/log/nginx/tsunagari.access.log": str(self.work / "nginx-access.log"),
        }
        for old, new in replacements.items():
            check(old in site, f"deploy/nginx/tsunagari.conf no longer has {old!r}")
            site = site.replace(old, new)
        (folder / "tsunagari.conf").write_text(site)
        user = "user root;\n" if os.geteuid() == 0 else ""
        temp = "\n".join(
            f"    {kind}_temp_path {folder / kind};"
            for kind in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi")
        )
        main = folder / "nginx.conf"
        main.write_text(
            f"{user}daemon off;\nworker_processes 1;\npid {folder / 'nginx.pid'};\n"
            f"error_log {self.work / 'nginx-error.log'} warn;\n"
            "events { worker_connections 512; }\n"
            "http {\n"
            "    include /etc/nginx/mime.types;\n"
            "    default_type application/octet-stream;\n"
            f"    access_log {self.work / 'nginx-access.log'};\n"
            f"{temp}\n"
            f"    include {folder / 'tsunagari.conf'};\n"
            "}\n"
        )
        return main

    # Stopping ----------------------------------------------------------------------

    def stop_process(self, name: str, sig: int = signal.SIGTERM, timeout: float = 35) -> int | None:
        process = self.processes.get(name)
        if process is None or process.poll() is not None:
            return process.returncode if process else None
        process.send_signal(sig)
        try:
            return process.wait(timeout)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            return process.wait()

    def stop(self) -> None:
        for name in list(self.processes):
            self.stop_process(name, signal.SIGQUIT if name == "nginx" else signal.SIGTERM)
        if self.smtp is not None:
            self.smtp.controller.stop()
        if self.database_created:
            psql(f"DROP DATABASE IF EXISTS {self.database} WITH (FORCE)")
        with contextlib.suppress(Exception):  # Redis gone: nothing left to clean
            import redis

            redis.Redis.from_url(REDIS_URL).flushdb()


def psql(sql: str) -> None:
    subprocess.run(
        ["psql", "-h", PGHOST, "-U", "postgres", "-d", "postgres", "-qc", sql],
        check=True,
        capture_output=True,
    )


def answers(port: int) -> bool:
    return direct(port, "/healthz") == 200


def direct(port: int, path: str) -> int:
    """Status of a GET straight to one gunicorn instance (plain HTTP, as a health check)."""
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    try:
        conn.request("GET", path, headers={"Host": "localhost"})
        return conn.getresponse().status
    finally:
        conn.close()


# A browser, roughly ------------------------------------------------------------------


@dataclass
class Response:
    status: int
    headers: http.client.HTTPMessage
    text: str

    def form_value(self, name: str) -> str:
        match = re.search(rf'name="{re.escape(name)}" value="([^"]*)"', self.text)
        check(match is not None, f"no {name} in the page")
        assert match is not None
        return match.group(1)


class Client:
    """Cookies, CSRF and the self-signed certificate. `via` is None for nginx (HTTPS) or
    a gunicorn port (plain HTTP, with the headers nginx would add)."""

    def __init__(self, stack: Stack) -> None:
        self.stack = stack
        self.cookies: dict[str, str] = {}
        self.tls = ssl.create_default_context(cafile=str(stack.work / "cert.pem"))

    def request(
        self, method: str, path: str, data: dict[str, Any] | None = None, via: int | None = None
    ) -> Response:
        headers = {"Host": self.stack.site, "User-Agent": "tsunagari-prod-smoke"}
        if via is None:
            conn: http.client.HTTPConnection = http.client.HTTPSConnection(
                "localhost", self.stack.https_port, context=self.tls, timeout=30
            )
        else:
            conn = http.client.HTTPConnection("127.0.0.1", via, timeout=30)
            headers["X-Forwarded-Proto"] = "https"
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        body = None
        if data is not None:
            data = {"csrfmiddlewaretoken": self.cookies.get("csrftoken", ""), **data}
            body = urlencode(data, doseq=True)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
            headers["Origin"] = f"https://{self.stack.site}"
            headers["Referer"] = f"https://{self.stack.site}{path}"
        try:
            conn.request(method, path, body=body, headers=headers)
            r = conn.getresponse()
            text = r.read().decode("utf-8", "replace")
        finally:
            conn.close()
        for header in r.headers.get_all("Set-Cookie") or []:
            name, _, rest = header.partition("=")
            value = rest.split(";", 1)[0]
            if "Max-Age=0" in header or "expires=Thu, 01 Jan 1970" in header:
                self.cookies.pop(name, None)
            else:
                self.cookies[name] = value
        return Response(r.status, r.headers, text)

    def get(self, path: str, via: int | None = None) -> Response:
        return self.request("GET", path, via=via)

    def post(self, path: str, data: dict[str, Any], via: int | None = None) -> Response:
        return self.request("POST", path, data, via=via)

    def follow(self, r: Response, via: int | None = None) -> Response:
        """Follow redirects (a 302's Location) as a browser would."""
        while r.status in (301, 302, 303):
            location = urlsplit(r.headers["Location"])
            r = self.get(location.path + (f"?{location.query}" if location.query else ""), via)
        return r

    def sign_in(self, address: str, password: str, via: int | None = None) -> Response:
        self.get("/accounts/login/", via)
        return self.post("/accounts/login/", {"username": address, "password": password}, via)


# The walk --------------------------------------------------------------------------


def walk(stack: Stack, figures: dict[str, Any]) -> None:
    a, b = stack.web_ports
    assert stack.smtp is not None

    step("plain HTTP is sent to HTTPS")
    conn = http.client.HTTPConnection("127.0.0.1", stack.http_port, timeout=10)
    conn.request("GET", "/apply/", headers={"Host": "localhost"})
    redirect = conn.getresponse()
    conn.close()
    check(redirect.status == 301, f"port 80 answers {redirect.status}")
    check(redirect.headers["Location"] == "https://localhost/apply/", "to the same page")

    step("/readyz through nginx")
    wait_for("/readyz 200", lambda: Client(stack).get("/readyz").status == 200, 30)
    ready = json.loads(Client(stack).get("/readyz").text)
    check(ready["status"] == "ok", f"/readyz: {ready}")
    figures["readyz"] = {name: c["status"] for name, c in ready["checks"].items()}

    step("a resident opens /apply/")
    resident = Client(stack)
    form = resident.get("/apply/")
    check(form.status == 200, f"/apply/ {form.status}")
    shown_at = form.form_value("shown_at")
    opened = time.monotonic()

    step("the secretariat signs in: password, then the authenticator's code")
    secretariat = Client(stack)
    r = secretariat.sign_in(SECRETARIAT, SECRETARIAT_PASSWORD)
    check(r.status == 302, f"secretariat's password refused ({r.status})")
    r = secretariat.get(r.headers["Location"])
    check(r.status == 302 and "/accounts/2fa/verify/" in r.headers["Location"], "to 2FA")
    r = secretariat.post("/accounts/2fa/verify/", {"app-code": totp(TOTP_KEY), "next": "/my/"})
    check(r.status == 302, f"2FA code refused ({r.status})")
    check(secretariat.get("/secretariat/applications/").status == 200, "application queue")

    # The fill-time token: no person sends the form within 3 s of opening it.
    time.sleep(max(0.0, 3.5 - (time.monotonic() - opened)))
    step("the resident sends the application")
    application = {
        "agreed_to_purpose": "on",
        "name": "特定非営利活動法人スモークテスト",
        "name_kana": "とくていひえいりかつどうほうじんすもーくてすと",
        "legal_form": "npo",
        "sector": "private",
        "municipalities": ["142051"],
        "description": "本番構成の確認のための申込です。",
        "offers": "交流サロン",
        "needs": "担い手",
        "website": "https://example.org/",
        "postal_code": "251-0052",
        "address": "藤沢市藤沢1-1-1",
        "phone": "0466-00-0000",
        "contact_name": "見本 花子",
        "contact_name_kana": "みほん はなこ",
        "contact_department": "事務局",
        "contact_email": APPLICANT,
        "contact_phone": "",
        "shown_at": shown_at,
        "homepage": "",  # the trap: a person leaves it empty
    }
    r = resident.post("/apply/", application)
    check(r.status == 302 and r.headers["Location"].endswith("/apply/thanks/"), f"apply {r.status}")

    step("the secretariat approves it")
    queue = secretariat.get("/secretariat/applications/")
    ids = re.findall(r'href="/secretariat/applications/(\d+)/"', queue.text)
    check(len(ids) == 1, f"one application in the queue, found {ids}")
    r = secretariat.post(f"/secretariat/applications/{ids[0]}/approve/", {"reason": ""})
    check(r.status == 302, f"approve {r.status}")

    step("the invitation arrives at the SMTP sink")
    link: list[str] = []

    def invitation() -> bool:
        for message in stack.smtp.messages():  # type: ignore[union-attr]
            body = message.get_body(("plain",))
            text = body.get_content() if body is not None else ""
            found = re.search(rf"https://{re.escape(stack.site)}(/accounts/invitation/\S+/)", text)
            if found and APPLICANT in message["To"]:
                link.append(found.group(1))
                return True
        return False

    wait_for("the invitation mail", invitation, 30)
    figures["mails"] = len(stack.smtp.messages())

    step("the new member sets a password from the link")
    member = Client(stack)
    page = member.follow(member.get(link[0]))
    check(page.status == 200 and "new_password1" in page.text, f"invitation page {page.status}")
    r = member.post(
        set_password_path(link[0]),
        {"new_password1": MEMBER_PASSWORD, "new_password2": MEMBER_PASSWORD},
    )
    check(r.status == 302 and "/invitation/done/" in r.headers["Location"], f"set pw {r.status}")

    step(f"signs in on instance A (:{a}), goes on on instance B (:{b})")
    fresh = Client(stack)
    r = fresh.sign_in(APPLICANT, MEMBER_PASSWORD, via=a)
    check(r.status == 302, f"sign in on A {r.status}")
    home = fresh.get("/my/organization/", via=b)
    check(home.status == 200 and "スモークテスト" in home.text, f"session on B {home.status}")

    step("five failed sign-ins on A: the sixth, on B, is refused")
    guesser = Client(stack)
    target = f"nobody-{secrets.token_hex(4)}@smoke.example.jp"
    for _ in range(5):
        r = guesser.sign_in(target, "wrong-password-1", via=a)
        check("正しくありません" in r.text, "a wrong password is said to be wrong")
    r = guesser.sign_in(target, "wrong-password-1", via=b)
    check("一時的に" in r.text and "正しくありません" not in r.text, "B refuses the 6th try")

    step("static files: hashed names from nginx, cached for ever")
    page = Client(stack).get("/")
    hashed = re.search(r'(/static/[^"]+\.[0-9a-f]{12}\.css)"', page.text)
    check(hashed is not None, "a hashed stylesheet on the home page")
    assert hashed is not None
    css = Client(stack).get(hashed.group(1))
    check(css.status == 200, f"{hashed.group(1)} {css.status}")
    check("immutable" in (css.headers.get("Cache-Control") or ""), "immutable static file")
    check(len(css.headers.get_all("Strict-Transport-Security") or []) == 1, "one HSTS header")
    check(len(page.headers.get_all("Strict-Transport-Security") or []) == 1, "one HSTS (app)")
    check("nonce-" in (page.headers.get("Content-Security-Policy") or ""), "the app's CSP")

    step("the app's JSON log line carries nginx's request id")
    request_id = page.headers["X-Request-ID"]
    check(re.fullmatch(r"[0-9a-f]{32}", request_id) is not None, "nginx's $request_id")
    logged = [
        json.loads(line)
        for name in ("web-A", "web-B")
        for line in (stack.work / f"{name}.log").read_text().splitlines()
        if request_id in line
    ]
    check(len(logged) == 1, f"one log line for {request_id}, found {len(logged)}")
    line = logged[0]
    check(line["path"] == "/" and line["status"] == 200 and line["role"] == "anonymous", "line")
    check(str(request_id) in (stack.work / "nginx-access.log").read_text(), "nginx logs the id")

    burst(stack, figures)

    step("/readyz through nginx with instance B alone")
    r = Client(stack).get("/readyz")
    check(r.status == 200, f"/readyz after A stopped: {r.status} {r.text}")


def set_password_path(link: str) -> str:
    """PasswordResetConfirmView's page after it moved the token into the session."""
    uid = link.strip("/").split("/")[2]
    return f"/accounts/invitation/{uid}/set-password/"


def burst(stack: Stack, figures: dict[str, Any]) -> None:
    """GETs through nginx from 4 threads; instance A gets SIGTERM after a quarter."""
    total, threads = 400, 4
    step(f"{total} GETs through nginx; SIGTERM to instance A after {total // 4}")
    statuses: list[int] = []
    lock = threading.Lock()
    stopped = threading.Event()

    def one(_: int) -> int:
        client = Client(stack)
        try:
            status = client.get("/roster/").status
        except OSError as e:
            print(f"  request failed: {e!r}", flush=True)
            status = 0
        with lock:
            statuses.append(status)
            if len(statuses) == total // 4 and not stopped.is_set():
                stopped.set()
                stack.processes["web-A"].send_signal(signal.SIGTERM)
        return status

    started = time.monotonic()
    with ThreadPoolExecutor(threads) as pool:
        list(pool.map(one, range(total)))
    elapsed = time.monotonic() - started
    code = stack.processes["web-A"].wait(40)
    failed = [s for s in statuses if s != 200]
    retried = sum(
        1
        for line in (stack.work / "nginx-access.log").read_text().splitlines()
        if "/roster/" in line and re.search(r"up=\S+, ", line)
    )
    figures["burst"] = {
        "requests": total,
        "failed": len(failed),
        "retried_on_B": retried,
        "seconds": round(elapsed, 1),
        "A_exit": code,
    }
    check(not failed, f"{len(failed)} of {total} requests failed: {sorted(set(failed))}")
    check(code == 0, f"instance A stopped with {code}")


def main() -> int:
    started = time.monotonic()
    work = Path(tempfile.mkdtemp(prefix="tsunagari-smoke-"))
    stack = Stack(work)
    figures: dict[str, Any] = {}

    def interrupted(signum: int, frame: Any) -> None:
        raise SystemExit(f"stopped by {signal.strsignal(signum)}")

    signal.signal(signal.SIGTERM, interrupted)
    signal.signal(signal.SIGINT, interrupted)
    ok = False
    try:
        stack.start()
        figures["start_seconds"] = round(time.monotonic() - started, 1)
        walk(stack, figures)
        ok = True
    finally:
        if not ok:
            for log in sorted(work.glob("*.log")):
                tail = log.read_text(errors="replace").splitlines()[-15:]
                print(f"== {log.name} (last lines) ==\n" + "\n".join(tail), file=sys.stderr)
        step("stopping everything, dropping the database")
        stack.stop()
        if ok or not os.getenv("PROD_SMOKE_KEEP"):
            shutil.rmtree(work, ignore_errors=True)
    figures["total_seconds"] = round(time.monotonic() - started, 1)
    print("prod-smoke OK: " + json.dumps(figures, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    sys.exit(main())
