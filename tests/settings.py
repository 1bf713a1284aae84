"""Test settings: the real ones, with a test key, a test Redis prefix and test throttling limits."""

import os

# before the real settings read them; processes the tests start (Celery workers, the browser tests'
# Zenith) inherit them, so they open the tokens this process seals
TEST_SECRET_KEY = "zenith-tests-only-key-not-secret-0123456789-abcdefghijklmnopqrstuvwxyz"
os.environ.setdefault("DASHBOARD_SECRET_KEY", TEST_SECRET_KEY)
# the tests' own cache, channel layer, Celery queues and live state in the shared Redis
os.environ.setdefault("DASHBOARD_REDIS_PREFIX", "zenith-test")
# no operation log on the tests' output: the tests that read it attach their own file (tests.helpers)
os.environ.setdefault("DASHBOARD_OPERATION_LOG", "")
# metrics on, to this checkout's var/metrics-tests (see tests/early.py)
from tests.early import TEST_METRICS_TOKEN  # noqa: E402, F401

# isort: split
from dashboard.settings import *  # noqa: E402, F403

LOGIN_ATTEMPTS = 1000  # the throttling tests set their own limits
LOGIN_ATTEMPTS_PER_USER = 1000
