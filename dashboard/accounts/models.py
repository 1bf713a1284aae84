import uuid

from django.db import models


class UserPreference(models.Model):
    """What Zenith remembers of a Keystone user between logins (no cloud data)."""

    keystone_user_id = models.CharField(max_length=64, unique=True)
    last_project_id = models.CharField(max_length=64, blank=True)
    last_region = models.CharField(max_length=255, blank=True)
    # a language code of settings.LANGUAGES chosen in the top bar; "" follows the browser
    language = models.CharField(max_length=16, blank=True)
    updated = models.DateTimeField(auto_now=True)

    def __str__(self):
        return self.keystone_user_id


class ApiKey(models.Model):
    """A user's API key: Zenith keeps its hash, never the key itself, and the sealed secret of the
    Keystone application credential the key acts with (one per key, deleted when the key is revoked).
    """

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    name = models.CharField(max_length=100)
    keystone_user_id = models.CharField(max_length=64, db_index=True)
    username = models.CharField(max_length=255)
    domain = models.CharField(max_length=255, blank=True)
    project_id = models.CharField(max_length=64)
    project_name = models.CharField(max_length=255)
    roles = models.JSONField(default=list)
    key_hash = models.CharField(max_length=64, unique=True)  # SHA-256 of the key (keys are 256 random bits)
    prefix = models.CharField(max_length=16)  # the key's first characters, to tell keys apart in the list
    credential_id = models.CharField(max_length=64)
    sealed_secret = models.TextField()
    region = models.CharField(max_length=255, blank=True)
    created = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField()
    last_used = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created"]

    def __str__(self):
        return f"{self.name} ({self.prefix}…)"
