"""What every page's frame needs: the user, their projects, and the navigation they may use."""

PROJECT_NAV = [
    ("Overview", "/project/", "speedometer2"),
    ("Instances", "/project/instances/", "pc-display"),
    ("Usage", "/project/usage/", "bar-chart"),
]
ADMIN_NAV = [
    ("Usage overview", "/admin/overview/", "graph-up"),
    ("All instances", "/admin/instances/", "hdd-stack"),
    ("Hypervisors", "/admin/hypervisors/", "cpu"),
    ("Projects", "/identity/projects/", "folder"),
    ("Users", "/identity/users/", "people"),
    ("Groups", "/identity/groups/", "collection"),
    ("Roles", "/identity/roles/", "person-badge"),
]


def active_url(path: str) -> str:
    """The navigation entry a page belongs to: the longest entry its path starts with."""
    urls = [url for _, url, _ in PROJECT_NAV + ADMIN_NAV if path.startswith(url)]
    return max(urls, key=len, default="")


def navigation(request):
    user = getattr(request, "keystone", None)
    if user is None or not user.is_authenticated:
        return {"zenith_user": None}
    return {
        "zenith_user": user,
        "project_nav": PROJECT_NAV if user.has_project else [],
        "admin_nav": ADMIN_NAV if user.is_admin else [],
        "show_region_picker": len(user.regions) > 1,
        "active_nav": active_url(request.path),
    }
