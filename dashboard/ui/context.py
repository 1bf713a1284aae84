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


def navigation(request):
    user = getattr(request, "keystone", None)
    if user is None or not user.is_authenticated:
        return {"zenith_user": None}
    return {
        "zenith_user": user,
        "project_nav": PROJECT_NAV if user.has_project else [],
        "admin_nav": ADMIN_NAV if user.is_admin else [],
        "show_region_picker": len(user.regions) > 1,
    }
