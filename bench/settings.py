"""Settings for the benchmarks only: the portal's own settings (read from the environment, as in
production), with bench/urls.py (the portal plus one bare page) and static files collected into the
benchmark's throw-away folder instead of the repository's staticfiles/.

Used by bench/bench_scale.py and bench/bench_serve.py, which set the environment (a temporary
database, DEBUG off, a generated SECRET_KEY, plain http on loopback) before loading it.
"""

import os
from pathlib import Path

from kisi_portal.settings import *  # noqa: F403
from kisi_portal.settings import STATIC_ROOT as PORTAL_STATIC_ROOT

ROOT_URLCONF = "bench.urls"
STATIC_ROOT = Path(os.environ["BENCH_STATIC_ROOT"]) if os.environ.get("BENCH_STATIC_ROOT") else PORTAL_STATIC_ROOT

# The same hashed static URLs as production (a manifest, as DEBUG is off), without the gzip and
# Brotli copies whitenoise's storage also writes: only static file responses use those, no page
# here does, and compressing the fonts and the admin's files takes most of the set-up time.
STORAGES = {
    **STORAGES,  # noqa: F405
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.ManifestStaticFilesStorage"},
}
