"""Settings for the KISI Concept Portal.

Every deploy-specific value comes from the environment (see .env.example). The defaults
are for a local run: DEBUG on, a SQLite file, a development secret. Production (DEBUG off)
refuses to start with the development secret.
"""

import os
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.csp import CSP

BASE_DIR = Path(__file__).resolve().parent.parent


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


DEV_SECRET_KEY = "dev-insecure-kisi-portal-secret-key-do-not-use-in-production"

DEBUG = env_bool("DEBUG", True)
SECRET_KEY = os.environ.get("SECRET_KEY") or DEV_SECRET_KEY
if not DEBUG and SECRET_KEY == DEV_SECRET_KEY:
    raise ImproperlyConfigured("SECRET_KEY must be set when DEBUG is off.")

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost" if DEBUG else "")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "simple_history",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "members",
    "drafting",
    "django_tasks_db",
    "notifications",
    "search",
    "kisi_portal.apps.PortalConfig",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # request.user.is_verified(): the session passed the second factor (django-otp).
    "django_otp.middleware.OTPMiddleware",
    # Reads the form data before any view or check does: what cannot be read is a clear 400.
    "kisi_portal.middleware.BadInputMiddleware",
    # Every posted text is stored with "\n" line endings (after the form data was read above).
    "kisi_portal.middleware.LineEndingsMiddleware",
    # A signed-in person's saved language wins over the cookie and Accept-Language.
    "members.middleware.AccountLanguageMiddleware",
    # Every page needs a signed-in person; the few public ones (sign in, password reset)
    # opt out with @login_not_required.
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # After messages (it tells the person why they were signed out); before LoginRequired's check.
    "kisi_portal.middleware.SessionIdleTimeoutMiddleware",
    # After OTPMiddleware and the idle timeout: a session that still owes its second factor
    # reaches only the code step, the setup page and sign-out (members.two_factor).
    "members.two_factor.TwoFactorMiddleware",
    # Signed-in pages and exports stay out of shared caches.
    "kisi_portal.middleware.PrivatePagesMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # After authentication, so history rows know who made the change.
    "simple_history.middleware.HistoryRequestMiddleware",
    # Its process_exception runs first: a lost database is a 503 with the person's text.
    "kisi_portal.middleware.DatabaseUnavailableMiddleware",
    # Last, as django-axes asks.
    "axes.middleware.AxesMiddleware",
]

AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "members.backends.MemberBackend",
]

ROOT_URLCONF = "kisi_portal.urls"
WSGI_APPLICATION = "kisi_portal.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.csp",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "members.context_processors.current_expert",
                "members.context_processors.portal_languages",
                "drafting.context_processors.portal_concept",
                "notifications.context_processors.unread_notices",
            ],
        },
    },
]

# An empty DATABASE_URL means the default, as a missing one does. Connections persist for
# DB_CONN_MAX_AGE seconds and are checked before each request reuses them, so a database
# restart costs one failed check, not a run of server errors.
DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL") or f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        conn_max_age=int(os.environ.get("DB_CONN_MAX_AGE", "60")),
        conn_health_checks=True,
    )
}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "drafting:home"
LOGOUT_REDIRECT_URL = "login"

# django-axes: five failures lock a username from one address for 15 minutes.
AXES_FAILURE_LIMIT = 5
AXES_COOLOFF_TIME = 0.25  # hours
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_RESET_ON_SUCCESS = True
AXES_ENABLED = env_bool("AXES_ENABLED", True)
# Behind nginx (deploy/nginx.conf) the client's address is in X-Real-IP, which nginx sets.
BEHIND_PROXY = env_bool("BEHIND_PROXY", False)
AXES_CLIENT_IP_CALLABLE = "kisi_portal.middleware.client_ip"

# Two-factor sign-in (django-otp, TOTP with single-use recovery codes): required for coordinators,
# staff and superusers, optional for experts. Only the test suite switches the requirement off
# (TWO_FACTOR_REQUIRED=false); with DEBUG on, the seeded demo accounts ("demo-…") skip it so the
# demo stays two commands. With DEBUG off no account skips it.
TWO_FACTOR_REQUIRED = env_bool("TWO_FACTOR_REQUIRED", True)
OTP_EXEMPT_USERNAMES_PREFIX = "demo-" if DEBUG else ""
OTP_TOTP_ISSUER = "KISI Concept Portal"
TWO_FACTOR_RECOVERY_CODES = 10

# Each language is named in itself, so a reader finds theirs whatever the page's language.
LANGUAGES = [("kk", "Қазақша"), ("ru", "Русский"), ("en", "English")]
# Russian is the Working Group's common language; a person's own choice (members.AccountSettings),
# then the language cookie or the browser's Accept-Language, come before it.
LANGUAGE_CODE = os.environ.get("LANGUAGE_CODE", "ru")
if LANGUAGE_CODE not in dict(LANGUAGES):
    raise ImproperlyConfigured(f"LANGUAGE_CODE must be one of {', '.join(dict(LANGUAGES))}.")
LANGUAGE_COOKIE_HTTPONLY = True  # no script reads it
LANGUAGE_COOKIE_SAMESITE = "Lax"
LANGUAGE_COOKIE_SECURE = not DEBUG
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = os.environ.get("TIME_ZONE", "Asia/Almaty")
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
# Uploaded files (the Word drafts a coordinator imports) live outside static/, are never served
# by the web server directly, and are handed out by a view that checks who asks.
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT") or BASE_DIR / "media")
MEDIA_URL = "media/"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}

# One cache that every worker shares (a table in the portal's database, created by `migrate`):
# rendered revisions and the document page are built once, not once per process.
CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.db.DatabaseCache",
        "LOCATION": "kisi_cache",
        "OPTIONS": {"MAX_ENTRIES": 20000},
    },
    # Each worker's own, for fragments whose key names everything they depend on (the navigation).
    "local": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "kisi-portal-local"},
}

# Email (Django 6.1 mailers): the console by default, SMTP when EMAIL_HOST is set.
email_host = os.environ.get("EMAIL_HOST", "")
MAILERS = {
    "default": (
        {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {
                "host": email_host,
                "port": int(os.environ.get("EMAIL_PORT", "587")),
                "username": os.environ.get("EMAIL_HOST_USER", ""),
                "password": os.environ.get("EMAIL_HOST_PASSWORD", ""),
                "use_tls": env_bool("EMAIL_USE_TLS", True),
            },
        }
        if email_host
        # In development the console shows each mail readably (notifications.backends); in production
        # without EMAIL_HOST, Django's console backend keeps `check --deploy` failing loudly (mail.E001)
        # and queued mails wait (notifications.services.mail).
        else {
            "BACKEND": "notifications.backends.ReadableConsoleBackend"
            if DEBUG
            else "django.core.mail.backends.console.EmailBackend"
        }
    )
}
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "concept-portal@localhost")
# A password reset answers before the mail server does (kisi_portal.views.SameWorkPasswordResetForm).
PASSWORD_RESET_MAIL_IN_BACKGROUND = env_bool("PASSWORD_RESET_MAIL_IN_BACKGROUND", bool(email_host))

# Background work (mail, the daily digest tick) is queued in the portal's database and run by
# `manage.py db_worker` (django-tasks-db), which `make run` starts beside the web server.
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
# Links in mails are absolute: the address people open the portal at.
PORTAL_URL = os.environ.get("PORTAL_URL", "http://127.0.0.1:8000")
# A refused SMTP attempt is tried again after these many seconds, then the mail is marked failed.
MAIL_RETRY_SECONDS = [int(s) for s in env_list("MAIL_RETRY_SECONDS", "60,300,1800,7200,21600")]
# Without mail settings in production, queued mails wait and are looked at again after this long.
MAIL_WAIT_SECONDS = int(os.environ.get("MAIL_WAIT_SECONDS", "900"))
# Digests and meeting reminders go out at this hour (TIME_ZONE); the weekly one on this ISO weekday.
DIGEST_HOUR = int(os.environ.get("DIGEST_HOUR", "7"))
WEEKLY_DIGEST_WEEKDAY = int(os.environ.get("WEEKLY_DIGEST_WEEKDAY", "1"))
UNSUBSCRIBE_LINK_DAYS = int(os.environ.get("UNSUBSCRIBE_LINK_DAYS", "90"))

# Content-Security-Policy (Django's own): our scripts and styles only, no inline handlers.
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF, CSP.NONCE],
    "style-src": [CSP.SELF, CSP.NONCE],
    "img-src": [CSP.SELF, "data:"],
    "font-src": [CSP.SELF],
    "connect-src": [CSP.SELF],
    "object-src": [CSP.NONE],
    "base-uri": [CSP.SELF],
    "form-action": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
}

SESSION_COOKIE_HTTPONLY = True
# A session ends SESSION_COOKIE_AGE after sign-in (14 days), or after SESSION_IDLE_SECONDS
# without a request (8 hours), whichever comes first (kisi_portal.middleware).
SESSION_COOKIE_AGE = int(os.environ.get("SESSION_COOKIE_AGE", str(14 * 24 * 3600)))
SESSION_IDLE_SECONDS = int(os.environ.get("SESSION_IDLE_SECONDS", str(8 * 3600)))
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
if not DEBUG:
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
    # The load balancer asks over plain HTTP inside the network.
    SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", "31536000"))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", True)

# Full history is a requirement: never prune it.
SIMPLE_HISTORY_REVERT_DISABLED = False
SIMPLE_HISTORY_HISTORY_CHANGE_REASON_USE_TEXT_FIELD = True

# The portal's own limits, shown to people next to the fields they limit.
SECTION_MAX_CHARS = 200_000
# Rendering a text (save, preview, comment, minutes) is refused past this many seconds
# (drafting/markdown.py); previews per person per minute.
MARKDOWN_RENDER_SECONDS = float(os.environ.get("MARKDOWN_RENDER_SECONDS", "2"))
MARKDOWN_PREVIEWS_PER_MINUTE = int(os.environ.get("MARKDOWN_PREVIEWS_PER_MINUTE", "20"))
SUMMARY_MAX_CHARS = 300
WORKING_GROUP_SEATS = 25

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    # WeasyPrint logs every rendering step at INFO.
    "loggers": {"weasyprint": {"level": "WARNING"}, "fontTools": {"level": "WARNING"}},
}
