"""What every page's frame needs: the user, their projects, and the navigation they may use."""

from . import nav


def active_url(path: str) -> str:
    """The navigation entry a page belongs to: the longest entry its path starts with."""
    return max((url for url in nav.urls() if path.startswith(url)), key=len, default="")


def navigation(request):
    user = getattr(request, "keystone", None)
    if user is None or not user.is_authenticated:
        return {"zenith_user": None}
    return {
        "zenith_user": user,
        # the sidebar's groups: none without a project, the admin-only ones to administrators
        "nav_groups": nav.groups(admin=user.is_admin) if user.has_project else (),
        "nav_folded": nav.folded(request.COOKIES.get(nav.FOLDED_COOKIE)),
        "show_region_picker": len(user.regions) > 1,
        "active_nav": active_url(request.path),
    }
