"""Slow and idle clients cannot take the portal down when nginx is in front of gunicorn (deploy/).

Starts gunicorn with deploy/gunicorn.conf.py (2 sync workers, DEBUG off, a throw-away SQLite
database, a generated SECRET_KEY) and nginx with deploy/nginx.conf rendered for loopback ports,
both as plain processes under a temporary folder; opens 4 connections to nginx that send a request
line and one header and then wait (more than there are workers); and checks that the sign-in page
still answers within a second through nginx, and that nginx serves the static files itself.
As a contrast (printed, not asserted), the same 4 idle connections made straight to gunicorn hold
both its workers, and the sign-in page does not answer within 3 seconds.

Both processes are always stopped. nginx must be installed (apt-get install nginx; .ci/run and
`make test` install it): without it the test fails, it is never skipped.
"""

import getpass
import http.client
import os
import re
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.urls import reverse

from deploy.render_nginx import render

ROOT = Path(__file__).resolve().parents[1]
GUNICORN = Path(sys.executable).parent / "gunicorn"
NGINX = shutil.which("nginx") or "/usr/sbin/nginx"
IDLE_CONNECTIONS = 4
WORKERS = 2
PROMPT_S = 1.0
CONTRAST_WAIT_S = 3.0

# The portal's settings as in production, with static files collected into the test's folder
# (hashed names, as DEBUG is off; without whitenoise's compressed copies, which only cost time here).
SETTINGS = """
import os
from pathlib import Path
from kisi_portal.settings import *  # noqa
STATIC_ROOT = Path(os.environ["KISI_TEST_STATIC_ROOT"])
STORAGES = {**STORAGES, "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.ManifestStaticFilesStorage"}}
"""
PREPARE = (
    "import django; django.setup(); from django.core.management import call_command; "
    "call_command('migrate', verbosity=0); call_command('collectstatic', interactive=False, verbosity=0)"
)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def get(port: int, path: str, timeout: float) -> tuple[int, bytes, dict]:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    try:
        conn.request("GET", path)
        response = conn.getresponse()
        return response.status, response.read(), dict(response.getheaders())
    finally:
        conn.close()


def wait_until_up(port: int, process: subprocess.Popen, log: Path, timeout: float = 30.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            pytest.fail(f"{process.args[0]} exited with {process.returncode}:\n{log.read_text()[-3000:]}")
        try:
            if get(port, reverse("login"), 5)[0] == 200:
                return
        except OSError:
            pass
        time.sleep(0.2)
    pytest.fail(f"{process.args[0]} did not answer on port {port} within {timeout:.0f} s:\n{log.read_text()[-3000:]}")


def stop(process: subprocess.Popen) -> None:
    """Stop a server and its workers (each runs in a process group of its own)."""
    for sig, wait in ((signal.SIGTERM, 15), (signal.SIGKILL, 5)):
        try:
            os.killpg(process.pid, sig)
        except ProcessLookupError:
            break
        try:
            process.wait(timeout=wait)
            break
        except subprocess.TimeoutExpired:
            continue


def idle_connections(port: int) -> list[socket.socket]:
    """Connections that send a request line and one header, then wait (a slow or stalled client)."""
    sockets = []
    for _ in range(IDLE_CONNECTIONS):
        s = socket.create_connection(("127.0.0.1", port), timeout=5)
        s.sendall(f"GET {reverse('login')} HTTP/1.1\r\nHost: 127.0.0.1\r\n".encode())
        sockets.append(s)
    time.sleep(0.5)  # let the server accept them and start reading
    return sockets


def timed_sign_in(port: int, timeout: float) -> tuple[float, int | str]:
    started = time.perf_counter()
    try:
        status, body, _ = get(port, reverse("login"), timeout)
    except TimeoutError:
        return time.perf_counter() - started, "no answer"
    assert b"csrfmiddlewaretoken" in body
    return time.perf_counter() - started, status


@pytest.fixture(scope="module")
def served(tmp_path_factory):
    """gunicorn (deploy/gunicorn.conf.py) on one loopback port and nginx (deploy/nginx.conf) in front on another."""
    if not Path(NGINX).exists():
        pytest.fail("nginx is not installed: apt-get install nginx (.ci/run installs it).", pytrace=False)
    work = tmp_path_factory.mktemp("slow-clients")
    (work / "slow_client_settings.py").write_text(SETTINGS)
    gunicorn_port, nginx_port = free_port(), free_port()
    env = dict(
        os.environ,
        DJANGO_SETTINGS_MODULE="slow_client_settings",
        PYTHONPATH=os.pathsep.join([str(work), str(ROOT)]),
        DATABASE_URL=f"sqlite:///{work / 'portal.sqlite3'}",
        KISI_TEST_STATIC_ROOT=str(work / "static"),
        DEBUG="false",
        SECRET_KEY=secrets.token_urlsafe(50),
        ALLOWED_HOSTS="127.0.0.1",
        CSRF_TRUSTED_ORIGINS=f"http://127.0.0.1:{nginx_port}",
        SECURE_SSL_REDIRECT="false",  # plain http on loopback
        LOG_LEVEL="WARNING",
        WEB_CONCURRENCY=str(WORKERS),
        GUNICORN_BIND=f"127.0.0.1:{gunicorn_port}",
    )
    prepared = subprocess.run(
        [sys.executable, "-c", PREPARE], cwd=ROOT, env=env, capture_output=True, text=True, timeout=180
    )
    assert prepared.returncode == 0, prepared.stderr[-3000:]

    prefix = work / "nginx"
    for folder in ("logs", "temp"):
        (prefix / folder).mkdir(parents=True)
    conf = prefix / "nginx.conf"
    conf.write_text(
        render(
            listen=f"127.0.0.1:{nginx_port}",
            server_name="127.0.0.1",
            upstream=f"127.0.0.1:{gunicorn_port}",
            static_root=work / "static",
            user=getpass.getuser(),
        )
    )

    processes = []
    try:
        gunicorn_log = work / "gunicorn.log"
        with gunicorn_log.open("wb") as log:
            processes.append(
                subprocess.Popen(
                    [str(GUNICORN), "-c", str(ROOT / "deploy" / "gunicorn.conf.py"), "--chdir", str(ROOT)],
                    env=env,
                    stdout=log,
                    stderr=subprocess.STDOUT,
                    start_new_session=True,
                )
            )
        wait_until_up(gunicorn_port, processes[-1], gunicorn_log)
        nginx_log = prefix / "logs" / "error.log"
        with (work / "nginx.out").open("wb") as log:
            processes.append(
                subprocess.Popen(
                    [NGINX, "-c", str(conf), "-p", f"{prefix}/"],
                    stdout=log,
                    stderr=subprocess.STDOUT,
                    start_new_session=True,
                )
            )
        wait_until_up(nginx_port, processes[-1], nginx_log)
        yield {"gunicorn": gunicorn_port, "nginx": nginx_port}
    finally:
        for process in reversed(processes):
            stop(process)


def test_sign_in_answers_through_nginx_while_idle_clients_wait(served):
    idle = idle_connections(served["nginx"])
    try:
        answers = [timed_sign_in(served["nginx"], timeout=5) for _ in range(3)]
    finally:
        for s in idle:
            s.close()
    for elapsed, status in answers:
        assert status == 200
        assert elapsed < PROMPT_S, f"the sign-in page took {elapsed:.2f} s through nginx with idle clients waiting"
    print(
        f"\nthrough nginx, {IDLE_CONNECTIONS} idle connections open, {WORKERS} sync workers: sign-in answered in "
        + ", ".join(f"{elapsed * 1000:.0f} ms" for elapsed, _ in answers)
    )


def test_nginx_serves_the_static_files_itself(served):
    _, page, _ = get(served["nginx"], reverse("login"), 5)
    path = re.search(rb'href="(/static/[^"]+\.[0-9a-f]{12}\.css)"', page).group(1).decode()
    status, body, headers = get(served["nginx"], path, 5)
    assert status == 200 and body
    assert headers["Server"] == "nginx"  # not gunicorn
    assert "max-age=315360000" in headers["Cache-Control"]  # a hashed name is cached for good


def test_contrast_idle_clients_straight_to_gunicorn(served):
    """Recorded, not asserted: without nginx the same idle clients hold every sync worker."""
    idle = idle_connections(served["gunicorn"])
    try:
        elapsed, status = timed_sign_in(served["gunicorn"], timeout=CONTRAST_WAIT_S)
    finally:
        for s in idle:
            s.close()
    print(
        f"\nstraight to gunicorn, {IDLE_CONNECTIONS} idle connections open, {WORKERS} sync workers: "
        f"sign-in {status} after {elapsed:.2f} s (waited at most {CONTRAST_WAIT_S:.0f} s)"
    )


def _post_size(port: int, path: str, size: int) -> int:
    """POST a Word-like upload of `size` bytes as a browser sends it (multipart), and return the status.

    Multipart, so the portal reads the whole body before it answers (its CSRF check parses the form):
    an answer given with the body half read would race nginx still sending it.
    """
    boundary = "kisi-slow-client-test"
    head = (
        f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="draft.docx"\r\n'
        "Content-Type: application/octet-stream\r\n\r\n"
    ).encode()
    body = head + b"x" * size + f"\r\n--{boundary}--\r\n".encode()
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    try:
        connection.request(
            "POST", path, body=body, headers={"Content-Type": f"multipart/form-data; boundary={boundary}"}
        )
        return connection.getresponse().status
    finally:
        connection.close()


def test_nginx_lets_a_large_word_file_reach_the_portal_which_explains_the_limit(served):
    # 30 MB: over the portal's 20 MB for Word files, so the portal (not nginx) must be the one to say so;
    # here, without a session or a CSRF token, the portal's answer is its refusal (403), not nginx's 413.
    assert _post_size(served["nginx"], "/concept/1/propose-from-word/", 30 * 1024 * 1024) == 403
    # Anywhere else the body limit stays small.
    assert _post_size(served["nginx"], "/sections/1/edit/", 30 * 1024 * 1024) == 413
