"""How the API's authentication appears in the OpenAPI schema (loaded by ApiConfig.ready)."""

from drf_spectacular.extensions import OpenApiAuthenticationExtension


class ApiKeyScheme(OpenApiAuthenticationExtension):
    target_class = "dashboard.accounts.api.ApiKeyAuthentication"
    name = "apiKey"

    def get_security_definition(self, auto_schema):
        return {"type": "http", "scheme": "bearer", "description": "A Zenith API key (or the X-API-Key header)"}


class SessionScheme(OpenApiAuthenticationExtension):
    target_class = "dashboard.accounts.api.KeystoneSessionAuthentication"
    name = "session"

    def get_security_definition(self, auto_schema):
        return {"type": "apiKey", "in": "cookie", "name": "zenith_session", "description": "the browser's login"}
