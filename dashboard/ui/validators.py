"""Checks of what a person types that more than one page (and the JSON API) share: pure functions.

Each raises `django.forms.ValidationError` with a sentence a user can act on.
"""

from __future__ import annotations

import re
import unicodedata

from cryptography.hazmat.primitives import serialization
from django import forms
from django.utils.translation import gettext_lazy as _

KEYPAIR_NAME = re.compile(r"^[A-Za-z0-9 _.@-]{1,255}$")  # the characters Nova accepts in key pair names
METADATA_KEY = re.compile(r"^[A-Za-z0-9 _.:-]{1,255}$")


def printable(value: str) -> bool:
    """Text a service can search on: no control, format, private-use or unassigned characters
    (Nova's name filter is a regular expression in its database, Neutron's a query: such characters
    make them fail)."""
    return not any(unicodedata.category(ch) in ("Cc", "Cf", "Cs", "Co", "Cn") for ch in value)


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


def parse_metadata(text: str, max_items: int | None = None) -> dict[str, str]:
    """`key=value` lines into a dict (an instance's, a volume's metadata); blank lines are skipped,
    a key given twice is refused (one of its values would be lost without a word)."""
    metadata: dict[str, str] = {}
    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw.strip()
        if not line:
            continue
        key, sep, value = line.partition("=")
        key, value = key.strip(), value.strip()
        if not sep or not key:
            raise forms.ValidationError(_("Metadata line %(number)s: write it as key=value.") % {"number": number})
        if not METADATA_KEY.match(key):
            raise forms.ValidationError(
                _("Metadata line %(number)s: a key has up to 255 letters, digits, spaces, '.', '_', '-' or ':'.")
                % {"number": number}
            )
        if len(value) > 255:
            raise forms.ValidationError(
                _("Metadata line %(number)s: a value has at most 255 characters.") % {"number": number}
            )
        if key in metadata:
            raise forms.ValidationError(
                _("Metadata line %(number)s: the key '%(key)s' appears twice.") % {"number": number, "key": key}
            )
        metadata[key] = value
    if max_items is not None and len(metadata) > max_items:
        raise forms.ValidationError(
            _("At most %(MAX_METADATA_ITEMS)s metadata items.") % {"MAX_METADATA_ITEMS": max_items}
        )
    return metadata


def metadata_text(metadata: dict[str, str]) -> str:
    """Metadata as the `key=value` lines parse_metadata reads, for a form's initial value."""
    return "\n".join(f"{k}={v}" for k, v in sorted(metadata.items()))


# Said when a text is longer than the service takes, instead of the browser cutting it without a word.
TOO_LONG = _("This has %(show_value)d characters; at most %(limit_value)d are allowed here. Shorten it.")


def refuse_over_long(form: forms.BaseForm) -> None:
    """Every text field with a `max_length` (the service's own limit) refuses a longer text with a
    message, the form keeping what was typed: its widget loses the `maxlength` attribute, with which
    a browser silently cuts what is typed or pasted beyond the limit."""
    for field in form.fields.values():
        refuse_over_long_in(field)


def refuse_over_long_in(field: forms.Field) -> None:
    """refuse_over_long for one field (one a form adds after its construction)."""
    if isinstance(field, forms.CharField) and field.max_length is not None:
        field.widget.attrs.pop("maxlength", None)
        field.error_messages["max_length"] = TOO_LONG
