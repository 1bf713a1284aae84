"""Keystone tokens (and Zenith's other secrets: API keys' credential secrets, generated private
keys) at rest: sealed before they go into the session store, the database or Redis, opened to use.

`seal(token)` encrypts and authenticates (Fernet: AES-128-CBC + HMAC-SHA256) with a key derived
from SECRET_KEY by HKDF-SHA256 for this one purpose, so a copy of the session table, of the
session cache or of the pollers' credential keys in Redis holds no usable token. `open_sealed`
reverses it; a value sealed under another SECRET_KEY, or not sealed at all (a session from before
sealing), raises `Unsealable`, which callers treat as an ended session.
"""

from __future__ import annotations

import base64
import functools

from cryptography.fernet import Fernet, InvalidToken
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from django.conf import settings

PURPOSE = b"zenith: keystone tokens at rest v1"


class Unsealable(ValueError):
    """Not sealed by this installation's SECRET_KEY."""


@functools.lru_cache(maxsize=4)
def _fernet(secret_key: str) -> Fernet:
    key = HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=PURPOSE).derive(secret_key.encode())
    return Fernet(base64.urlsafe_b64encode(key))


def seal(text: str) -> str:
    return _fernet(settings.SECRET_KEY).encrypt(text.encode()).decode("ascii")


def open_sealed(text: str) -> str:
    try:
        return _fernet(settings.SECRET_KEY).decrypt(text.encode()).decode()
    except (InvalidToken, ValueError, TypeError, AttributeError):
        raise Unsealable("not sealed with this installation's secret key") from None
