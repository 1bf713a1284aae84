"""Test settings: the real ones, with a test key, a test cache prefix and faster password-free bits."""

import os

# before the real settings read them; processes the tests start (Celery workers, the browser tests'
# Zenith) inherit them, so they open the tokens this process seals
TEST_SECRET_KEY = "zenith-tests-only-key-not-secret-0123456789-abcdefghijklmnopqrstuvwxyz"
os.environ.setdefault("DASHBOARD_SECRET_KEY", TEST_SECRET_KEY)

from dashboard.settings import *  # noqa: E402, F403

CACHES["default"]["KEY_PREFIX"] = "zenith-test"  # noqa: F405
LOGIN_ATTEMPTS = 1000  # the throttling tests set their own limits
LOGIN_ATTEMPTS_PER_USER = 1000
