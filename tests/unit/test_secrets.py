"""Sealing Keystone tokens at rest (dashboard.cloud.secrets)."""

import pytest
from django.test import override_settings

from dashboard.cloud.secrets import Unsealable, open_sealed, seal

TOKEN = "gAAAAABnot-a-real-keystone-token-but-shaped-like-one_0123456789"


def test_sealed_token_opens_and_shows_nothing_of_itself():
    sealed = seal(TOKEN)
    assert TOKEN not in sealed and TOKEN[10:30] not in sealed
    assert sealed != seal(TOKEN)  # fresh IV each time
    assert open_sealed(sealed) == TOKEN


def test_only_the_same_secret_key_opens_it():
    sealed = seal(TOKEN)
    with override_settings(SECRET_KEY="another-installation-" + "k" * 40):
        with pytest.raises(Unsealable):
            open_sealed(sealed)
        assert open_sealed(seal(TOKEN)) == TOKEN


@pytest.mark.parametrize("value", [TOKEN, "", "not base64 at all!", seal(TOKEN)[:-4] + "AAAA"])
def test_plain_empty_or_tampered_values_are_refused(value):
    with pytest.raises(Unsealable):
        open_sealed(value)
