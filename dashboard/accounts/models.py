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
