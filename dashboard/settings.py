"""Zenith settings: one file, every knob read from a DASHBOARD_* environment variable.

Defaults work for the local demo cloud (tools/devcloud). Each variable is listed in docs/settings.md.
"""

import os
import ssl
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from kombu import Queue
from whitenoise.compress import Compressor

BASE_DIR = Path(__file__).resolve().parent.parent


def env(name: str, default: str = "") -> str:
    return os.environ.get(f"DASHBOARD_{name}", default)


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(f"DASHBOARD_{name}")
    if value is None:
        return default
    return value.strip().lower() in ("1", "true", "yes", "on")


DEBUG = env_bool("DEBUG", False)
# signs sessions and seals the Keystone tokens kept in the session store and Redis: the same value
# for every process of an installation (web and workers); only a DEBUG run may go without one
SECRET_KEY = env("SECRET_KEY")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured(
            "DASHBOARD_SECRET_KEY is not set. Zenith signs sessions and seals Keystone tokens with it: "
            "set it to a long random string (python3 -c 'import secrets; print(secrets.token_urlsafe(50))'), "
            "the same for Zenith and its Celery workers. (make demo/run make one in var/secret-key.)"
        )
    SECRET_KEY = "zenith-debug-only-insecure-key-" + "x" * 30
ALLOWED_HOSTS = [h.strip() for h in env("ALLOWED_HOSTS", "127.0.0.1,localhost").split(",") if h.strip()]
CSRF_TRUSTED_ORIGINS = [o.strip() for o in env("CSRF_TRUSTED_ORIGINS", "").split(",") if o.strip()]

# --- metrics (/metrics, Prometheus' text format: dashboard.metrics, docs/metrics.md) --------------
METRICS = env_bool("METRICS", False)  # off: /metrics answers 404 and nothing is counted
# each process's figures, as files the processes of one machine share: prometheus_client's
# multiprocess mode reads the variable below when it is first imported, so it is set here, before
# anything imports it (openstacksdk does, from OS_CLOUD below). Wiped when a first process finds
# every process that wrote there gone (dashboard.metrics.directory)
METRICS_DIR = env("METRICS_DIR", str(BASE_DIR / "var" / "metrics"))
if METRICS:
    os.environ["PROMETHEUS_MULTIPROC_DIR"] = METRICS_DIR
# who may read /metrics: client addresses in these CIDRs (after TRUSTED_PROXIES) and/or a bearer token
METRICS_NETWORKS = [n.strip() for n in env("METRICS_NETWORKS", "").split(",") if n.strip()]
METRICS_TOKEN = env("METRICS_TOKEN", "")

# --- the cloud ---------------------------------------------------------------------------------
# Either a Keystone URL, or OS_CLOUD naming an entry of clouds.yaml (its auth_url, region, verify).
OPENSTACK_AUTH_URL = env("KEYSTONE_URL", "http://127.0.0.1:5000/v3")
OPENSTACK_CLOUD = os.environ.get("OS_CLOUD", "")
OPENSTACK_REGION = env("REGION", "")
OPENSTACK_VERIFY = env("VERIFY_TLS", "true")  # "true", "false", or a CA bundle path


def _from_clouds_yaml(name: str) -> dict:
    """auth_url, region and TLS settings of a clouds.yaml entry (its credentials are not used)."""
    from openstack.config import loader

    cloud = loader.OpenStackConfig().get_one(cloud=name)
    config = cloud.config
    verify = config.get("cacert") or ("true" if config.get("verify", True) else "false")
    return {"auth_url": config["auth"]["auth_url"], "region": cloud.region_name or "", "verify": str(verify)}


if OPENSTACK_CLOUD:
    _cloud = _from_clouds_yaml(OPENSTACK_CLOUD)
    OPENSTACK_AUTH_URL = env("KEYSTONE_URL", _cloud["auth_url"])
    OPENSTACK_REGION = env("REGION", _cloud["region"])
    OPENSTACK_VERIFY = env("VERIFY_TLS", _cloud["verify"])
if not OPENSTACK_AUTH_URL.rstrip("/").endswith("/v3"):
    OPENSTACK_AUTH_URL = OPENSTACK_AUTH_URL.rstrip("/") + "/v3"
OPENSTACK_DEFAULT_DOMAIN = env("DEFAULT_DOMAIN", "Default")
# ask for the domain at login (clouds with several identity domains)
OPENSTACK_MULTIDOMAIN = env_bool("MULTIDOMAIN", False)
# calls a page makes at once (dashboard.cloud.concurrently)
OPENSTACK_CONCURRENCY = int(env("CLOUD_CONCURRENCY", "8"))
OPENSTACK_TIMEOUT = float(env("CLOUD_TIMEOUT", "30"))
# The remote consoles the cloud's Nova offers, best first ("novnc", "spice-html5"): with more than one
# an instance's page offers the choice; "auto" (the default) asks for the first Nova gives of noVNC,
# SPICE and serial, with one button (Nova cannot say which it offers before it is asked)
CONSOLE_TYPES = [t.strip() for t in env("CONSOLE_TYPES", "auto").split(",") if t.strip() and t.strip() != "auto"]
# HTTP requests a process has in flight at one cloud service (dashboard.cloud.bulkhead); 0 = no bound
OPENSTACK_SERVICE_CONCURRENCY = int(env("CLOUD_SERVICE_CONCURRENCY", "8"))
# instances per page when reading Nova usage (os-simple-tenant-usage limit); 0 = Nova's own maximum
USAGE_PAGE_SIZE = int(env("USAGE_PAGE_SIZE", "0"))

# redis://[[user]:password@]host:port/db, or rediss:// for TLS (certificates checked; a private CA
# as ?ssl_ca_certs=/path/ca.pem). Cache and sessions, Channels, Celery and the live pollers' state
# share it, each under REDIS_PREFIX, so installations sharing a Redis never mix keys or queues.
REDIS_URL = env("REDIS_URL", "redis://127.0.0.1:6379/0")
REDIS_PREFIX = env("REDIS_PREFIX", "zenith")


def redis_tls(url: str) -> dict | None:
    """TLS options for Celery's Redis clients, which (unlike redis-py's) do not take them from a
    rediss:// URL: certificates required unless the URL's ssl_cert_reqs says otherwise."""
    parts = urlsplit(url)
    if parts.scheme != "rediss":
        return None
    query = {k: v[-1] for k, v in parse_qs(parts.query).items()}
    levels = {"none": ssl.CERT_NONE, "optional": ssl.CERT_OPTIONAL, "required": ssl.CERT_REQUIRED}
    wanted = query.get("ssl_cert_reqs", "required").lower().removeprefix("cert_")
    options = {"ssl_cert_reqs": levels.get(wanted, ssl.CERT_REQUIRED)}
    for name in ("ssl_ca_certs", "ssl_certfile", "ssl_keyfile"):
        if query.get(name):
            options[name] = query[name]
    return options


# --- Django ------------------------------------------------------------------------------------
INSTALLED_APPS = [
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "crispy_forms",
    "crispy_bootstrap5",
    "rest_framework",
    "drf_spectacular",
    "channels",
    "dashboard.accounts",
    "dashboard.api",
    "dashboard.ui",
    "dashboard.live",
    "dashboard.panels.overview",
    "dashboard.panels.instances",
    "dashboard.panels.images",
    "dashboard.panels.usage",
    "dashboard.panels.hypervisors",
    "dashboard.panels.allinstances",
    "dashboard.panels.identity",
    "dashboard.panels.network",
    "dashboard.panels.volumes",
    "dashboard.panels.containers",
    "dashboard.metrics",
]

MIDDLEWARE = [
    # the request's id (X-Request-ID, error pages) and its operation-log line: first, around the rest
    "dashboard.oplog.middleware.OperationLogMiddleware",
    # then every request counted and timed by its view (dashboard.metrics; a no-op unless METRICS)
    "dashboard.metrics.middleware.RequestMetrics",
    "django.middleware.security.SecurityMiddleware",
    "dashboard.ui.protections.SecurityHeadersMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    # the language: the browser's Accept-Language (or the chooser's cookie) ...
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "dashboard.accounts.middleware.KeystoneSessionMiddleware",
    # ... unless the logged-in user chose one (their preference, kept in the session at login)
    "dashboard.accounts.language.UserLanguageMiddleware",
    "dashboard.accounts.middleware.CloudErrorMiddleware",
]

# request bodies larger than this are refused with 413 ahead of Django (dashboard.guards.BodyLimit):
# at once by their Content-Length, or once that many bytes came (the upload route streams its own)
MAX_BODY_BYTES = int(env("MAX_BODY_MB", "4")) * 1024 * 1024
# uploads to Swift larger than this are stored as a static large object of segments this size
OBJECT_SEGMENT_BYTES = int(env("OBJECT_SEGMENT_BYTES", str(1024**3)))
# threads of a Zenith process that send streamed uploads to the cloud, apart from the event loop's own
# (downloads, websockets); an upload arriving when all are busy is refused with 503
UPLOAD_THREADS = int(env("UPLOAD_THREADS", "16"))
# streamed uploads one user may run at once, over every Zenith process (0: no limit); beyond, 429
UPLOADS_PER_USER = int(env("UPLOADS_PER_USER", "4"))
# a streamed upload whose client sends no byte for this many seconds is stopped and cleaned up (0: never)
UPLOAD_IDLE_SECONDS = float(env("UPLOAD_IDLE_SECONDS", "60"))
DATA_UPLOAD_MAX_MEMORY_SIZE = MAX_BODY_BYTES  # Django's own cap on what it parses: the same

ROOT_URLCONF = "dashboard.urls"
ASGI_APPLICATION = "dashboard.asgi.application"
WSGI_APPLICATION = "dashboard.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "dashboard" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.messages.context_processors.messages",
                "dashboard.ui.context.navigation",
            ],
        },
    },
    {
        # the partials a page prints many times (rows, the kit's pieces, form fields): each app's
        # jinja2/ folder, compiled templates, autoescape on (dashboard.ui.jinja)
        "BACKEND": "django.template.backends.jinja2.Jinja2",
        "APP_DIRS": True,
        "OPTIONS": {"environment": "dashboard.ui.jinja.environment"},
    },
]

DATABASES = {
    "default": dj_database_url.parse(
        env("DATABASE_URL", f"sqlite:///{BASE_DIR / 'var' / 'zenith.sqlite3'}"), conn_max_age=60
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # concurrent requests each write (logins, sessions): a write transaction takes the lock when it
    # begins and waits for another (IMMEDIATE), instead of failing with "database is locked" when a
    # read turns into a write; WAL lets reads go on during a write. PostgreSQL for several processes.
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": REDIS_URL,
        "KEY_PREFIX": REDIS_PREFIX,
        # one pool of connections per process, not one per request (dashboard.redis_client.SharedPool)
        "OPTIONS": {"pool_class": "dashboard.redis_client.SharedPool"},
    }
}

# The Keystone token lives only here, server-side and sealed; the browser gets an opaque session id.
# Django's cached_db, with the session ending when its token does (dashboard.accounts.session_store).
SESSION_ENGINE = "dashboard.accounts.session_store"
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_NAME = "zenith_session"
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_AGE = int(env("SESSION_AGE", str(12 * 3600)))
CSRF_COOKIE_HTTPONLY = True
CSRF_COOKIE_SAMESITE = "Lax"
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"

# Behind HTTPS (production): DASHBOARD_HTTPS=true turns on secure cookies, HSTS and redirects.
HTTPS = env_bool("HTTPS", False)
SESSION_COOKIE_SECURE = HTTPS
CSRF_COOKIE_SECURE = HTTPS
SECURE_SSL_REDIRECT = HTTPS and env_bool("SSL_REDIRECT", True)
SECURE_HSTS_SECONDS = int(env("HSTS_SECONDS", "31536000")) if HTTPS else 0
SECURE_HSTS_INCLUDE_SUBDOMAINS = HTTPS
SECURE_HSTS_PRELOAD = HTTPS
# behind a trusted proxy: its X-Forwarded-Proto, and its X-Request-ID when sane (dashboard.oplog.ids)
BEHIND_PROXY = env_bool("BEHIND_PROXY", False)
if BEHIND_PROXY:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

LOGIN_URL = "/auth/login/"
LOGIN_ATTEMPTS = int(env("LOGIN_ATTEMPTS", "5"))  # failed logins per client address ...
LOGIN_ATTEMPTS_PER_USER = int(env("LOGIN_ATTEMPTS_PER_USER", "10"))  # ... per user name, from any address ...
LOGIN_ATTEMPTS_WINDOW = int(env("LOGIN_ATTEMPTS_WINDOW", "300"))  # ... per this many seconds (and locked as long)
# proxies in front of Zenith that append to X-Forwarded-For: the client address is the Nth from the
# right of that header; 0 = not behind a proxy, the header is ignored and REMOTE_ADDR used
TRUSTED_PROXIES = int(env("TRUSTED_PROXIES", "0"))

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"
# widgets from Django's own Jinja2 templates: a tenth of the time its template engine takes for them
FORM_RENDERER = "django.forms.renderers.Jinja2"

# --- the JSON API (/api/v1/) --------------------------------------------------------------------
API_RATE = env("API_RATE", "600/min")  # requests per API key (or session user): n/sec, n/min, n/hour
API_KEY_MAX_DAYS = int(env("API_KEY_MAX_DAYS", "365"))  # longest lifetime a user can give an API key
API_PAGE_MAX = int(env("API_PAGE_MAX", "200"))  # largest `limit` any list accepts
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "dashboard.accounts.api.ApiKeyAuthentication",
        "dashboard.accounts.api.KeystoneSessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["dashboard.accounts.api.HasProject"],
    "DEFAULT_THROTTLE_CLASSES": ["dashboard.accounts.api.PerKeyThrottle"],
    "EXCEPTION_HANDLER": "dashboard.cloud.api.exception_handler",
    "UNAUTHENTICATED_USER": None,
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": ["rest_framework.parsers.JSONParser"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "URL_FORMAT_OVERRIDE": None,  # ?format=csv is the usage reports' own parameter
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Zenith API",
    "DESCRIPTION": "Script what Zenith's pages do: authenticate with an API key (`Authorization: Bearer <key>`), "
    "made on the API keys page. Errors are `{error, message, fields?}`.",
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    "SCHEMA_PATH_PREFIX": r"/api/v1",
    "COMPONENT_SPLIT_REQUEST": True,
    # choice sets several serializers share: one name each in the schema
    "ENUM_NAME_OVERRIDES": {
        "MemberStatusEnum": ("pending", "accepted", "rejected"),
        "MemberAnswerEnum": ("accepted", "rejected"),
        "AcceptedEnum": ("accepted",),
        "DoneEnum": ("done",),
    },
    "SERVE_PERMISSIONS": ["rest_framework.permissions.AllowAny"],
    "SERVE_AUTHENTICATION": [],
}

CHANNEL_LAYERS = {
    "default": {
        "BACKEND": "channels_redis.core.RedisChannelLayer",
        "CONFIG": {"hosts": [REDIS_URL], "prefix": f"{REDIS_PREFIX}:asgi"},
    }
}

CELERY_BROKER_URL = env("CELERY_BROKER_URL", REDIS_URL)
CELERY_RESULT_BACKEND = env("CELERY_RESULT_BACKEND", REDIS_URL)
# every key of the broker (queues, bindings, unacked) and of the results under the prefix
CELERY_BROKER_TRANSPORT_OPTIONS = {"global_keyprefix": f"{REDIS_PREFIX}:celery:"}
CELERY_RESULT_BACKEND_TRANSPORT_OPTIONS = {"global_keyprefix": f"{REDIS_PREFIX}:celery:"}
CELERY_BROKER_USE_SSL = redis_tls(CELERY_BROKER_URL)
CELERY_REDIS_BACKEND_USE_SSL = redis_tls(CELERY_RESULT_BACKEND)
CELERY_TASK_ACKS_LATE = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
# live pollers get their own queue: a worker consumes both by default, and a busy "celery" queue
# (uploads, launches) never delays them; big sites can run `celery worker -Q live` apart
CELERY_TASK_QUEUES = (Queue("celery", routing_key="celery"), Queue("live", routing_key="live"))
CELERY_TASK_ROUTES = {"dashboard.live.tasks.*": {"queue": "live"}}

STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "var" / "static"
STATICFILES_DIRS = [BASE_DIR / "dashboard" / "static"]
WHITENOISE_USE_FINDERS = True  # serve from the app folders too when collectstatic has not run
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    # hashed names, gzip and Brotli copies (collectstatic), each file's URL worked out once
    "staticfiles": {"BACKEND": "dashboard.ui.storage.KeptUrls"},
}
# collectstatic keeps the hashed files alone (the plain names are served from the apps' folders) and
# compresses what browsers fetch: not the source maps, which only developer tools ask for
WHITENOISE_KEEP_ONLY_HASHED_FILES = True
WHITENOISE_SKIP_COMPRESS_EXTENSIONS = (*Compressor.SKIP_COMPRESS_EXTENSIONS, "map")

# English and French (locale/fr/LC_MESSAGES: `make messages` refreshes the catalogues, compilemessages
# builds the .mo files at install). Dates, numbers and sizes follow the active language's formats.
LANGUAGE_CODE = "en"
LANGUAGES = [("en", "English"), ("fr", "Français")]
LOCALE_PATHS = [BASE_DIR / "locale"]
LANGUAGE_COOKIE_NAME = "zenith_language"
LANGUAGE_COOKIE_AGE = 365 * 24 * 3600
LANGUAGE_COOKIE_SAMESITE = "Lax"
LANGUAGE_COOKIE_HTTPONLY = True
LANGUAGE_COOKIE_SECURE = HTTPS
TIME_ZONE = "UTC"
# one date format and one date-with-time format per language (dashboard/formats/<language>/)
FORMAT_MODULE_PATH = ["dashboard.formats"]
USE_I18N = True
USE_TZ = True

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", "INFO")},
    # keystoneauth logs request headers at DEBUG; keep it above that so tokens never reach logs
    "loggers": {"keystoneauth": {"level": "WARNING"}, "openstack": {"level": "WARNING"}},
}
# one JSON line per request that changes something (dashboard.oplog, docs/operation-log.md): "stdout"
# or "-", "stderr", a file path (reopened when rotated), or "" / "off" for none
OPERATION_LOG = env("OPERATION_LOG", "stdout").strip()
if OPERATION_LOG.lower() not in ("", "off", "none", "false"):
    LOGGING["handlers"]["operations"] = {"()": "dashboard.oplog.log.handler", "destination": OPERATION_LOG}
LOGGING["loggers"]["zenith.operations"] = {
    "handlers": ["operations"] if "operations" in LOGGING["handlers"] else [],
    "level": "INFO" if "operations" in LOGGING["handlers"] else "CRITICAL",
    "propagate": False,
}
