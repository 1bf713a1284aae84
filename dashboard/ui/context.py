"""What every page's frame needs: the user, their projects, and the navigation they may use."""

from .nav import entries


def active_url(path: str) -> str:
    """The navigation entry a page belongs to: the longest entry its path starts with."""
    urls = [url for section in ("project", "admin") for _, url, _ in entries(section) if path.startswith(url)]
    return max(urls, key=len, default="")


def navigation(request):
    user = getattr(request, "keystone", None)
    if user is None or not user.is_authenticated:
        return {"zenith_user": None}
    return {
        "zenith_user": user,
        "project_nav": entries("project") if user.has_project else [],
        "admin_nav": entries("admin") if user.is_admin else [],
        "show_region_picker": len(user.regions) > 1,
        "active_nav": active_url(request.path),
    }
