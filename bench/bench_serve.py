"""Requests per second of the document page, served by gunicorn as in production, against a bare page.

Builds a Concept of 12 sections of about 3,000 characters of Russian text (77 KB of HTML, as the
issue measured it) (a few revisions each, through
the services) in a throw-away database (see bench_scale.py), fetches the document page once,
and serves both it and a bare page that returns exactly those bytes through the same middleware
(session, login required; bench/urls.py) from gunicorn with 2 sync workers and DEBUG off, on
127.0.0.1. A small client (4 threads, one HTTP/1.1 connection each) drives the two pages in alternating
rounds, bounded in time and in requests; the figure is document rps / bare rps, target >= 0.5.

Prints MISSED next to a missed target; exits 0 either way. Run it with `make bench` or
`python bench/bench_serve.py`. gunicorn is always stopped at the end.
"""

import http.client
import os
import random
import signal
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

# Sets up Django on a throw-away database first (see bench_scale.py).
from bench_scale import ROOT, WORKDIR, make_members, make_section, prepare_database
from django.conf import settings
from django.test import Client
from django.urls import reverse

from drafting.models import Concept

# As measured in the issue: the whole Concept of 12 sections, about 77 KB of HTML.
SECTIONS = 12
SECTION_CHARS = 3_000
CONNECTIONS = 4
ROUNDS = 3
ROUND_S = 3.0
MAX_REQUESTS_PER_ROUND = 20_000
TARGET = 0.5
GUNICORN = Path(sys.executable).parent / "gunicorn"


def build_concept(users) -> Concept:
    rng = random.Random(3)
    concept = Concept.objects.create(title="Концепция государственной политики в сфере межэтнических отношений")
    parent = None
    for i in range(SECTIONS):
        section = make_section(
            concept, f"Раздел {i + 1}", 3, users, rng, parent=parent if i % 4 else None, chars=SECTION_CHARS
        )
        if i % 4 == 0:
            parent = section
    return concept


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_until_up(port: int, process: subprocess.Popen, timeout: float = 30.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"gunicorn exited with {process.returncode}")
        try:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
            conn.request("GET", reverse("login"))
            if conn.getresponse().status == 200:
                conn.close()
                return
        except OSError:
            pass
        time.sleep(0.2)
    raise RuntimeError("gunicorn did not answer within 30 s")


def stop(process: subprocess.Popen) -> None:
    """Stop gunicorn and its workers (they run in a process group of their own)."""
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


def drive(port: int, path: str, cookie: str, expected: bytes | None, seconds: float) -> tuple[int, float, int]:
    """(requests, elapsed seconds, failures) of CONNECTIONS clients requesting `path` in a loop, each on its
    own HTTP/1.1 connection (reopened when gunicorn closes it, as its sync workers do after each response)."""
    lock = threading.Lock()
    state = {"done": 0, "failed": 0}
    deadline = time.perf_counter() + seconds

    def client():
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        try:
            while time.perf_counter() < deadline:
                with lock:
                    if state["done"] >= MAX_REQUESTS_PER_ROUND:
                        return
                conn.request("GET", path, headers={"Cookie": cookie})
                response = conn.getresponse()
                body = response.read()
                ok = response.status == 200 and (expected is None or len(body) == len(expected))
                with lock:
                    state["done"] += 1
                    state["failed"] += not ok
                if response.will_close:  # gunicorn's sync workers close after each response
                    conn.close()
        finally:
            conn.close()

    started = time.perf_counter()
    threads = [threading.Thread(target=client) for _ in range(CONNECTIONS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return state["done"], time.perf_counter() - started, state["failed"]


def main() -> None:
    started = time.perf_counter()
    prepare_database()
    users = make_members()
    concept = build_concept(users)

    client = Client()
    client.force_login(users[1])  # an expert: every page needs a signed-in member
    document_path = reverse("drafting:concept-document", args=[concept.pk])
    response = client.get(document_path)
    assert response.status_code == 200, response.status_code
    document = response.content
    body_file = WORKDIR / "document.html"
    body_file.write_bytes(document)
    bare_path = reverse("bench-bare")
    cookie = f"{settings.SESSION_COOKIE_NAME}={client.cookies[settings.SESSION_COOKIE_NAME].value}"
    print(
        f"document page: {SECTIONS} sections, {len(document) / 1024:.0f} KB of HTML "
        f"(built in {time.perf_counter() - started:.1f} s)",
        flush=True,
    )

    port = free_port()
    env = dict(os.environ, BENCH_BARE_BODY=str(body_file))
    with open(WORKDIR / "gunicorn.log", "wb") as log:  # gunicorn keeps its own copy of the file
        process = subprocess.Popen(
            [
                str(GUNICORN),
                "kisi_portal.wsgi:application",
                "--chdir",
                str(ROOT),
                "--bind",
                f"127.0.0.1:{port}",
                "--workers",
                "2",
                "--worker-class",
                "sync",
                "--error-logfile",
                "-",
            ],
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    try:
        wait_until_up(port, process)
        anonymous = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        anonymous.request("GET", bare_path)
        status = anonymous.getresponse().status
        anonymous.close()
        if status != 302:  # LoginRequiredMiddleware sends strangers to the sign-in page
            raise RuntimeError(f"the bare page answered {status} to a request without a session, not 302")
        paths = {"document": document_path, "bare": bare_path, "frame": reverse("bench-frame")}
        expected = {"document": document, "bare": document, "frame": None}
        totals = {name: [0, 0.0, 0] for name in paths}
        for name, path in paths.items():  # warm up both workers on each page, and check the login holds
            done, _, failed = drive(port, path, cookie, expected[name], 1.0)
            if failed:
                raise RuntimeError(f"{failed} of {done} requests to {path} did not answer as expected")
        for _ in range(ROUNDS):
            for name, path in paths.items():
                for i, value in enumerate(drive(port, path, cookie, expected[name], ROUND_S)):
                    totals[name][i] += value
    except Exception:
        sys.stdout.write((WORKDIR / "gunicorn.log").read_text(errors="replace")[-3000:])
        raise
    finally:
        stop(process)

    rps = {}
    for name, (done, elapsed, failed) in totals.items():
        rps[name] = done / elapsed
        note = f", {failed} failed" if failed else ""
        print(f"{name + ' page':<14} {rps[name]:7.1f} requests/s  ({done} in {elapsed:.1f} s{note})")
    ratio = rps["document"] / rps["bare"]
    missed = "  MISSED" if ratio < TARGET else ""
    print(
        f"document / bare rps: ratio {ratio:.2f}  (target >= {TARGET:g}; gunicorn, 2 sync workers, "
        f"{CONNECTIONS} connections){missed}"
    )
    print(
        f"for reference, an empty page in the portal's frame (header, navigation): ratio "
        f"{rps['frame'] / rps['bare']:.2f} to bare, the ceiling for any page of the portal"
    )
    print(f"total {time.perf_counter() - started:.0f} s")


if __name__ == "__main__":
    main()
