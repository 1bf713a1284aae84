"""What every response is held to: request bodies over the configured size are refused before they
are read (413), and every response carries a strict Content-Security-Policy.

Bodies:

Forms and the JSON API need a few kilobytes; a multi-gigabyte body would otherwise be read into
memory by Django's form parsing. Uploads, when they come, get their own streaming views.
"""

from django.conf import settings
from django.http import HttpResponse, JsonResponse
from django.utils.translation import gettext as _


class BodySizeLimitMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0
        limit = settings.MAX_BODY_BYTES
        if length > limit:
            message = _("The request is too large: at most %(size)d MB.") % {"size": limit // (1024 * 1024)}
            if request.path.startswith("/api/"):
                return JsonResponse({"error": "too_large", "message": message}, status=413)
            return HttpResponse(message, status=413, content_type="text/plain; charset=utf-8")
        return self.get_response(request)


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


class SecurityHeadersMiddleware:
    """The Content-Security-Policy (and a Permissions-Policy) on every response."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        response.setdefault("Content-Security-Policy", CONTENT_SECURITY_POLICY)
        response.setdefault("Permissions-Policy", "camera=(), microphone=(), geolocation=(), payment=()")
        return response
