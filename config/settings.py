"""Settings for Blueprint studio, read from the environment.

Development needs nothing set: DEBUG defaults on and the database is a SQLite file in the
checkout. With DEBUG off, SECRET_KEY must be given and the secure defaults below apply, so
that `manage.py check --deploy` is clean.
"""

import os
from datetime import timedelta
from pathlib import Path
from urllib.parse import urlsplit

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: list[str]) -> list[str]:
    value = os.environ.get(name)
    if not value:
        return default
    return [item.strip() for item in value.split(",") if item.strip()]


DEBUG = env_bool("DEBUG", True)

SECRET_KEY = os.environ.get("SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured("SECRET_KEY must be set when DEBUG is off.")
    SECRET_KEY = "django-insecure-development-only-key-never-use-this-in-production-0123456789"

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost", "[::1]"])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    # First, so that `runserver` is daphne's: one development server for HTTP and the live
    # editor's WebSocket (config/asgi.py).
    "daphne",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "crispy_forms",
    "crispy_bootstrap5",
    "bootstrap",
    "django_htmx",
    "simple_history",
    "axes",
    "csp",
    "django_permissions_policy",
    "django_tasks",
    "django_tasks_db",
    "channels",
    "localities",
    "consultations",
    "blueprints",
]

MIDDLEWARE = [
    "config.middleware.ClientAddressMiddleware",
    "config.middleware.Utf8OnlyMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "django_permissions_policy.PermissionsPolicyMiddleware",
    "csp.middleware.CSPMiddleware",
    # WhiteNoise answers static files itself, before the rest, with the copies that
    # collectstatic compressed ahead of time (gzip and Brotli: see STORAGES), so the gzip
    # below never spends time on them.
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Compresses pages (the editor at 300 cards shrinks about tenfold). Above every other
    # middleware that reads or changes the body, so it runs last on the way out, as
    # Django's "Middleware ordering" asks. BREACH: Django pads each gzip body with random
    # bytes (GZipMiddleware.max_random_bytes) and masks the CSRF token per response, so a
    # secret in a page cannot be guessed from the compressed lengths.
    "django.middleware.gzip.GZipMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    # Last, as django-axes asks: it turns a locked-out login into the lockout page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "config.urls"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "config.context_processors.access",
            ],
        },
    },
]

WSGI_APPLICATION = "config.wsgi.application"
ASGI_APPLICATION = "config.asgi.application"

DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL") or f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        conn_max_age=int(os.environ.get("CONN_MAX_AGE", "60")),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # So that a team on `make run` can work at once: WAL lets readers go on while one
    # writes; IMMEDIATE takes the write lock when a transaction begins (SQLite has no
    # SELECT ... FOR UPDATE, so this is what serialises the services' locked sections);
    # and a writer waits up to `timeout` seconds for the lock instead of failing at once.
    DATABASES["default"]["OPTIONS"] = {
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
    }
elif DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # The app's queries are short OLTP queries; PostgreSQL's JIT only adds compile time.
    DATABASES["default"].setdefault("OPTIONS", {})["options"] = "-c jit=off"

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

AUTHENTICATION_BACKENDS = [
    # django-axes first: it refuses a locked-out username and address before any check.
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]

LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "dashboard"
LOGOUT_REDIRECT_URL = "login"

LANGUAGE_CODE = "en-gb"
TIME_ZONE = "Europe/London"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
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

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

# Caches, throttles and locks live in Redis whenever REDIS_URL is set, so that every web
# process and machine shares them; the local-memory cache is for one process only
# (`check --deploy` warns about it when DEBUG is off: see localities/checks.py).
REDIS_URL = os.environ.get("REDIS_URL", "")
CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
        "LOCATION": "blueprint-studio",
    }
}
if REDIS_URL:
    CACHES["default"] = {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": REDIS_URL,
        # A Redis that stops answering must not hang every request (and /healthz).
        "OPTIONS": {"socket_connect_timeout": 2, "socket_timeout": 2},
    }

# Live co-editing (issue 16, blueprints/live): the channel layer carries "this blueprint
# changed" and presence between the sockets of every process. In memory for one process
# (`make run`); with REDIS_URL, Redis, so that several app instances share them.
CHANNEL_LAYERS = {"default": {"BACKEND": "channels.layers.InMemoryChannelLayer"}}
if REDIS_URL:
    # The publish/subscribe layer: a change is published once and each process hands it
    # to its own sockets, rather than queued once per socket (the default layer queues a
    # change to a blueprint fifty people have open fifty times, and fell behind at ten
    # changes a second: blueprints/bench_live.py). What a socket misses while it is away
    # it catches up over HTTP. Published names are not kept apart by Redis's database
    # numbers, so the prefix carries the number.
    CHANNEL_LAYERS["default"] = {
        "BACKEND": "channels_redis.pubsub.RedisPubSubChannelLayer",
        "CONFIG": {
            "hosts": [REDIS_URL],
            "prefix": "blueprint-studio" + urlsplit(REDIS_URL).path.replace("/", ":"),
        },
    }

# Background work through Django's Tasks API (the django-tasks backport). The database
# backend keeps the queue in the app's own database: `manage.py db_worker` runs it, as
# many of them on as many machines as needed. `make run` starts one beside the server.
TASKS = {
    "default": {
        "BACKEND": os.environ.get("TASKS_BACKEND", "django_tasks_db.DatabaseBackend"),
    }
}
# A running job writes a heartbeat this often; one silent for JOB_STALE_SECONDS is taken
# for dead (its worker was killed) and is retried once, then marked failed.
JOB_HEARTBEAT_SECONDS = float(os.environ.get("JOB_HEARTBEAT_SECONDS", "5"))
JOB_STALE_SECONDS = float(os.environ.get("JOB_STALE_SECONDS", "60"))
# /healthz answers 503 once a task has waited this long for a worker: none is running.
HEALTHZ_MAX_TASK_WAIT_SECONDS = float(os.environ.get("HEALTHZ_MAX_TASK_WAIT_SECONDS", "300"))

# Login throttling (django-axes): a username and address pair is locked out after
# AXES_FAILURE_LIMIT failures in a row, for AXES_COOLOFF_TIME; staff unlock it in the admin
# ("Access attempts"). Behind a proxy, the proxy must set REMOTE_ADDR to the client's.
AXES_FAILURE_LIMIT = int(os.environ.get("AXES_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = timedelta(minutes=int(os.environ.get("AXES_COOLOFF_MINUTES", "15")))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"

# Content-Security-Policy (django-csp): scripts only from our own static files, never
# inline or eval'd (htmx is told not to eval, in base.html). Inline style attributes stay
# allowed: templates set widths (bars, grid columns) with them, and they run no code.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'", "'unsafe-inline'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'", "data:"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
}
# Permissions-Policy (django-permissions-policy): no page of ours uses these features.
PERMISSIONS_POLICY = {
    feature: []
    for feature in (
        "accelerometer",
        "autoplay",
        "camera",
        "display-capture",
        "encrypted-media",
        "fullscreen",
        "geolocation",
        "gyroscope",
        "magnetometer",
        "microphone",
        "midi",
        "payment",
        "usb",
    )
}

# Public consultation form: submissions a client address may make in an hour. A drop-in
# on shared Wi-Fi shares one address, so raise it for busy sessions.
CONSULT_SUBMISSIONS_PER_HOUR = int(os.environ.get("CONSULT_SUBMISSIONS_PER_HOUR", "20"))

# Password-reset requests, counted in the cache over a window of minutes: one address may
# ask this many times, one client address this many (for any addresses). Past either, the
# page answers as usual and no email is sent (localities/views/password_reset.py).
PASSWORD_RESET_WINDOW_MINUTES = int(os.environ.get("PASSWORD_RESET_WINDOW_MINUTES", "15"))
PASSWORD_RESET_PER_ADDRESS = int(os.environ.get("PASSWORD_RESET_PER_ADDRESS", "3"))
PASSWORD_RESET_PER_CLIENT = int(os.environ.get("PASSWORD_RESET_PER_CLIENT", "10"))

# The address people reach the app at, for links in emails (and password resets).
SITE_URL = os.environ.get("SITE_URL", "")
if not SITE_URL:
    if not DEBUG:
        raise ImproperlyConfigured(
            "SITE_URL must be set when DEBUG is off, e.g. https://blueprint.example.org: "
            "links in emails are built from it."
        )
    SITE_URL = "http://127.0.0.1:8000"

EMAIL_BACKEND = os.environ.get("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "blueprint-studio@localhost")
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "25"))
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
EMAIL_TIMEOUT = 20

# Behind reverse proxies, REMOTE_ADDR is the nearest proxy's address. With TRUSTED_PROXIES
# set to how many proxies stand in front of the app (1 for one nginx), the client's address
# is taken from X-Forwarded-For, counted from the right past those proxies, so that the
# public form's limit and the login lockouts see people, not the proxy
# (config/middleware.py). 0, the default, trusts no header.
TRUSTED_PROXIES = int(os.environ.get("TRUSTED_PROXIES", "0"))

# Production hardening: on unless DEBUG, each can be turned off from the environment
# (for instance SECURE_SSL_REDIRECT=0 behind a proxy that already redirects).
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", not DEBUG)
# A load balancer's or monitor's probe speaks plain HTTP to the app itself.
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
SESSION_COOKIE_SECURE = env_bool("SESSION_COOKIE_SECURE", not DEBUG)
CSRF_COOKIE_SECURE = env_bool("CSRF_COOKIE_SECURE", not DEBUG)
SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", "0" if DEBUG else "31536000"))
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", not DEBUG)
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", not DEBUG)
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
}
