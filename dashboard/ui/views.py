from django.http import JsonResponse
from django.shortcuts import render


def healthz(request):
    return JsonResponse({"status": "ok"})


def forbidden(request, exception=None):
    return render(request, "ui/403.html", status=403)


def not_found(request, exception=None):
    return render(request, "ui/404.html", status=404)


def server_error(request):
    return render(request, "ui/500.html", status=500)
