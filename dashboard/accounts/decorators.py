from functools import wraps

from django.shortcuts import render


def admin_required(view):
    """Pages of the admin area: only for users with the admin role in their current project."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not request.keystone.is_admin:
            return render(request, "ui/403.html", status=403)
        return view(request, *args, **kwargs)

    return wrapper
