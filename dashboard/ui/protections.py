"""What every response is held to: a strict Content-Security-Policy (and a Permissions-Policy).

Request bodies over DASHBOARD_MAX_BODY_MB are refused ahead of Django, by the ASGI application
(dashboard.guards.BodyLimit), whose 413 carries these headers too.
"""

# Pages run no inline script, set no inline style and load nothing from elsewhere: the browser is
# told to refuse all of that, so an injected tag or attribute does nothing.
CONTENT_SECURITY_POLICY = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data:",
        "font-src 'self'",
        "connect-src 'self'",  # CSP 3: 'self' covers the page's own ws:/wss: origin (live updates)
        "frame-ancestors 'none'",
        "object-src 'none'",
        "base-uri 'self'",
        "form-action 'self'",
    ]
)
PERMISSIONS_POLICY = "camera=(), microphone=(), geolocation=(), payment=()"


class SecurityHeadersMiddleware:
    """The Content-Security-Policy (and a Permissions-Policy) on every response."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        response.setdefault("Content-Security-Policy", CONTENT_SECURITY_POLICY)
        response.setdefault("Permissions-Policy", PERMISSIONS_POLICY)
        return response
