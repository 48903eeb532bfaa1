"""Render deploy/nginx.conf: fill its {{...}} placeholders and print the result (or write it to --out).

    python deploy/render_nginx.py --server-name concept.kisi.kz \\
        --tls-cert /etc/letsencrypt/live/concept.kisi.kz/fullchain.pem \\
        --tls-key /etc/letsencrypt/live/concept.kisi.kz/privkey.pem \\
        --static-root /srv/kisi-portal/staticfiles > /etc/kisi-portal/nginx.conf

With TLS it listens on 443 and redirects port 80 to https; without (--listen 127.0.0.1:8080), it
serves plain http, for a TLS terminator in front of it or for tests/test_slow_clients.py.
"""

import argparse
import re
import sys
from pathlib import Path

TEMPLATE = Path(__file__).resolve().parent / "nginx.conf"


def render(
    *,
    listen: str = "443 ssl",
    server_name: str = "_",
    upstream: str = "unix:/run/kisi-portal/gunicorn.sock",
    static_root: str | Path = "/srv/kisi-portal/staticfiles",
    tls_cert: str = "",
    tls_key: str = "",
    user: str = "www-data",
    mime_types: str = "/etc/nginx/mime.types",
) -> str:
    if "ssl" in listen.split() and not (tls_cert and tls_key):
        raise ValueError("listening with ssl needs --tls-cert and --tls-key (or give a plain --listen address)")
    tls = redirect = ""
    if tls_cert:
        tls = (
            f"        ssl_certificate {tls_cert};\n"
            f"        ssl_certificate_key {tls_key};\n"
            "        ssl_protocols TLSv1.2 TLSv1.3;\n"
            "        ssl_session_cache shared:kisi_tls:10m;\n"
        )
        redirect = (
            "\n    server {\n"
            "        listen 80;\n"
            f"        server_name {server_name};\n"
            "        return 301 https://$host$request_uri;\n"
            "    }\n"
        )
    values = {
        "USER": user,
        "MIME_TYPES": mime_types,
        "UPSTREAM": upstream,
        "LISTEN": listen,
        "SERVER_NAME": server_name,
        "STATIC_ROOT": str(static_root).rstrip("/"),
        "TLS": tls,
        "HTTP_REDIRECT": redirect,
    }
    text = TEMPLATE.read_text()
    missing = set(re.findall(r"\{\{([A-Z_]+)\}\}", text)) - set(values)
    if missing:
        raise ValueError(f"no value for {', '.join(sorted(missing))}")
    return re.sub(r"\{\{([A-Z_]+)\}\}", lambda m: values[m.group(1)], text)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--listen", default="443 ssl", help="nginx listen parameters (default: 443 ssl)")
    parser.add_argument("--server-name", default="_")
    parser.add_argument("--upstream", default="unix:/run/kisi-portal/gunicorn.sock", help="gunicorn's address")
    parser.add_argument("--static-root", default="/srv/kisi-portal/staticfiles", help="collectstatic's STATIC_ROOT")
    parser.add_argument("--tls-cert", default="")
    parser.add_argument("--tls-key", default="")
    parser.add_argument("--user", default="www-data", help="nginx's worker user (needs the gunicorn socket's group)")
    parser.add_argument("--mime-types", default="/etc/nginx/mime.types")
    parser.add_argument("--out", type=Path, help="write here instead of printing")
    args = parser.parse_args(argv)
    options = {k: v for k, v in vars(args).items() if k != "out"}
    try:
        text = render(**options)
    except ValueError as error:
        print(error, file=sys.stderr)
        return 2
    if args.out:
        args.out.write_text(text)
    else:
        sys.stdout.write(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
