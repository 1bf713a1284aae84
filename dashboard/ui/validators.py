"""Checks of what a person types that more than one page (and the JSON API) share: pure functions.

Each raises `django.forms.ValidationError` with a sentence a user can act on.
"""

from __future__ import annotations

import re

from cryptography.hazmat.primitives import serialization
from django import forms
from django.utils.translation import gettext_lazy as _

KEYPAIR_NAME = re.compile(r"^[A-Za-z0-9 _.@-]{1,255}$")  # the characters Nova accepts in key pair names


def validate_public_key(text: str) -> str:
    """An OpenSSH public key line, checked by parsing it; returns it normalised to one line."""
    line = " ".join(text.split())
    if not line:
        raise forms.ValidationError(_("Paste the public key (the contents of a .pub file)."))
    if "PRIVATE KEY" in line:
        raise forms.ValidationError(_("This is a private key. Paste the public key (the .pub file) instead."))
    try:
        serialization.load_ssh_public_key(line.encode("ascii"))
    except (ValueError, UnicodeEncodeError, TypeError) as exc:
        raise forms.ValidationError(
            _(
                "This is not a valid OpenSSH public key (expected e.g. 'ssh-ed25519 AAAA… comment' "
                "or 'ssh-rsa AAAA… comment'): %(error)s"
            )
            % {"error": exc}
        ) from None
    except Exception as exc:  # noqa: BLE001 - cryptography raises unsupported-algorithm errors of its own
        raise forms.ValidationError(_("This public key's type is not supported: %(exc)s") % {"exc": exc}) from None
    return line


def validate_keypair_name(name: str) -> str:
    name = name.strip()
    if not KEYPAIR_NAME.match(name):
        raise forms.ValidationError(
            _("A key pair name has 1 to 255 characters: letters, digits, spaces, '.', '_', '-' and '@'.")
        )
    return name
