"""Django's cached_db sessions (Redis cache + database table), ended with the Keystone token.

Login and project switches cap a session's life at its token's expiry (`set_expiry`), so neither
the cache nor the table keeps tokens and catalog past their use. Django would then also send a
cookie that outlives the browser; with SESSION_EXPIRE_AT_BROWSER_CLOSE it still does not.
"""

from django.conf import settings
from django.contrib.sessions.backends import cached_db


class SessionStore(cached_db.SessionStore):
    def get_expire_at_browser_close(self):
        return settings.SESSION_EXPIRE_AT_BROWSER_CLOSE or super().get_expire_at_browser_close()

    async def aget_expire_at_browser_close(self):
        return settings.SESSION_EXPIRE_AT_BROWSER_CLOSE or await super().aget_expire_at_browser_close()
