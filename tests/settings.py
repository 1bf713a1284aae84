"""Test settings: the real ones, with a test cache prefix and faster password-free bits."""

from dashboard.settings import *  # noqa: F403

CACHES["default"]["KEY_PREFIX"] = "zenith-test"  # noqa: F405
LOGIN_ATTEMPTS = 1000  # the throttling tests set their own limits
LOGIN_ATTEMPTS_PER_USER = 1000
