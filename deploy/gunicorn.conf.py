"""gunicorn settings for the portal behind nginx (deploy/nginx.conf).

    gunicorn -c deploy/gunicorn.conf.py kisi_portal.wsgi

Sync workers, on purpose: nginx reads each request completely before it hands it on
(proxy_request_buffering on) and takes each response as fast as gunicorn writes it
(proxy_buffering on), so a worker only ever talks to nginx over a local socket and is never held
by a slow or idle client. Behind such a proxy one process per request is the simplest model that
is correct with the portal's row locks and transactions; async or threaded workers would only
help if clients reached gunicorn directly, which they must not (a sync worker that a client keeps
waiting is lost to everyone until `timeout` kills it; tests/test_slow_clients.py shows both).

Everything deploy-specific comes from the environment (the systemd unit's EnvironmentFile):
GUNICORN_BIND (default: the socket nginx proxies to), WEB_CONCURRENCY (workers; default
2 x cores + 1), GUNICORN_TIMEOUT (seconds a worker may spend on one request, default 60: a PDF
export of the whole Concept takes about 10 s), GUNICORN_MAX_REQUESTS (recycle a worker after so
many requests, default 2000, against slow leaks).
"""

import multiprocessing
import os

wsgi_app = "kisi_portal.wsgi:application"

# A Unix socket only nginx (same machine, same group) can reach; or host:port on loopback.
bind = os.environ.get("GUNICORN_BIND", "unix:/run/kisi-portal/gunicorn.sock").split(",")
umask = 0o007  # the socket is read-write for the owner and its group (nginx's www-data joins it)

worker_class = "sync"
workers = int(os.environ.get("WEB_CONCURRENCY") or multiprocessing.cpu_count() * 2 + 1)

# Longer than any honest request (the largest PDF export); nginx's proxy_read_timeout is longer still,
# so a request gunicorn gives up on is reported by nginx as 502, not cut off first.
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "60"))
graceful_timeout = 30  # a restart lets requests in progress finish
keepalive = 2  # nginx talks HTTP/1.0 to the upstream and closes; this only matters if it is changed

max_requests = int(os.environ.get("GUNICORN_MAX_REQUESTS", "2000"))
max_requests_jitter = max_requests // 10

# X-Forwarded-Proto is trusted from nginx only: a Unix socket is always trusted by gunicorn, and over
# TCP only from loopback (FORWARDED_ALLOW_IPS overrides). Django reads it too (SECURE_PROXY_SSL_HEADER).
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1,::1")

# Logs to stderr: journald keeps them (journalctl -u kisi-portal). nginx keeps the access log.
accesslog = os.environ.get("GUNICORN_ACCESS_LOG") or None
errorlog = "-"
loglevel = os.environ.get("GUNICORN_LOG_LEVEL", "info")
proc_name = "kisi-portal"
