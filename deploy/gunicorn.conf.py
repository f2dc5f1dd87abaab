"""gunicorn settings for one Tsunagari web instance (gunicorn -c deploy/gunicorn.conf.py).

Everything that differs between machines comes from the environment, like the app's
own settings: GUNICORN_BIND, GUNICORN_WORKERS, GUNICORN_TIMEOUT, ... (docs/deploy.md).
Several instances on one machine (tsunagari-web@8001, @8002) differ only in the bind
address. nginx in front buffers slow clients, so plain sync workers suffice: each
handles one request at a time, and a page that waits on the database holds one worker.
"""

from __future__ import annotations

import os


def _int(name: str, default: int) -> int:
    value = os.getenv(name, str(default))
    try:
        return int(value)
    except ValueError:
        raise SystemExit(f"{name} must be an integer, not {value!r}") from None


wsgi_app = "tsunagari.wsgi:application"
bind = os.getenv("GUNICORN_BIND", "127.0.0.1:8001").split(",")
# (2 x cores) + 1 is gunicorn's advice for sync workers; each is ~60-90 MB (docs/deploy.md).
workers = _int("GUNICORN_WORKERS", 2 * (os.cpu_count() or 1) + 1)
worker_class = "sync"
# A request running longer than this is killed (its worker restarted). Exports and the
# CSV import preview are the slowest pages; nginx's proxy_read_timeout is a bit longer.
timeout = _int("GUNICORN_TIMEOUT", 60)
# On SIGTERM (systemctl stop, a deploy) the workers stop accepting and finish what they
# serve for up to this long; nginx meanwhile sends new requests to the other instances.
graceful_timeout = _int("GUNICORN_GRACEFUL_TIMEOUT", 30)
keepalive = 5
# Recycle a worker now and then, so a slow leak cannot grow for weeks.
max_requests = _int("GUNICORN_MAX_REQUESTS", 2000)
max_requests_jitter = max_requests // 10
# Heartbeat files in memory, not on a disk that may stall (containers, slow volumes).
worker_tmp_dir = "/dev/shm" if os.path.isdir("/dev/shm") else None  # noqa: S108
# The app writes its own request line (LOG_FORMAT=json, logger tsunagari.request):
# no access log here; gunicorn's own messages go to standard error.
accesslog = None
errorlog = "-"
loglevel = os.getenv("GUNICORN_LOGLEVEL", "info")
# Trust X-Forwarded-Proto/-For only from nginx on this machine (or the load balancer's
# addresses, comma-separated). The app trusts them too when BEHIND_PROXY=true.
forwarded_allow_ips = os.getenv("FORWARDED_ALLOW_IPS", "127.0.0.1,::1")
# gunicorn >= 25 opens a control socket at ~/.gunicorn/gunicorn.ctl by default: two
# instances under one user would fight over it. Off unless a path is given.
_control = os.getenv("GUNICORN_CONTROL_SOCKET", "")
if _control:
    control_socket = _control
else:
    control_socket_disable = True
proc_name = "tsunagari-web-" + bind[0].rsplit(":", 1)[-1]
# Load the app in each worker, not in the master: a new worker after max_requests or a
# crash gets fresh database and Redis connections, and no connection is ever shared
# across a fork.
preload_app = False
