"""The portal's pages plus one bare page, for bench/bench_serve.py.

The bare page returns, unchanged, the bytes the document page returned once (stored in the file
named by BENCH_BARE_BODY), through the same middleware: a signed-in member is required, as for
every page (LoginRequiredMiddleware), and the session is read. Comparing the two tells what the
document page itself costs on top of the request handling every page pays.
"""

import os
from functools import cache
from pathlib import Path

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import path

from kisi_portal.urls import urlpatterns as portal_urlpatterns


@cache
def _body() -> bytes:
    return Path(os.environ["BENCH_BARE_BODY"]).read_bytes()


def bare(request: HttpRequest) -> HttpResponse:
    return HttpResponse(_body(), content_type="text/html; charset=utf-8")


def frame(request: HttpRequest) -> HttpResponse:
    """An empty page in the portal's frame (header, navigation, footer): what every page costs."""
    return render(request, "base.html")


urlpatterns = [
    path("bench/bare/", bare, name="bench-bare"),
    path("bench/frame/", frame, name="bench-frame"),
    *portal_urlpatterns,
]
