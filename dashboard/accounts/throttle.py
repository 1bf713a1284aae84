"""Login attempts per client address, counted in the shared cache (Redis)."""

from django.conf import settings
from django.core.cache import cache


def _key(address: str) -> str:
    return f"login-attempts:{address}"


def client_address(request) -> str:
    return request.META.get("REMOTE_ADDR", "unknown")


def too_many(address: str) -> bool:
    return (cache.get(_key(address)) or 0) >= settings.LOGIN_ATTEMPTS


def record_failure(address: str) -> None:
    key = _key(address)
    if cache.add(key, 1, timeout=settings.LOGIN_ATTEMPTS_WINDOW):
        return
    try:
        cache.incr(key)
    except ValueError:
        cache.set(key, 1, timeout=settings.LOGIN_ATTEMPTS_WINDOW)


def reset(address: str) -> None:
    cache.delete(_key(address))
