"""The upload kinds the JSON API starts are registered by dashboard.uploads itself: the API finds
them whatever panels are installed (no panel's AppConfig is a hidden dependency of the API)."""

import ast
import json
import os
import subprocess
import sys
from pathlib import Path

import dashboard
from dashboard.uploads import KINDS

API = Path(dashboard.__file__).parent / "api"


def kinds_begun_in(folder: Path) -> set[str]:
    """The kinds named by `progress.begin("<kind>", ...)` calls in the folder's modules."""
    found = set()
    for path in folder.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(), str(path))):
            if (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Attribute)
                and node.func.attr == "begin"
                and node.args
                and isinstance(node.args[0], ast.Constant)
            ):
                found.add(node.args[0].value)
    return found


def test_the_api_starts_uploads_of_both_kinds():
    # what the other tests rely on: the scan finds the API's kinds
    assert kinds_begun_in(API) >= {"images", "containers"}


def test_every_kind_the_api_starts_is_registered_with_cloud_functions():
    assert kinds_begun_in(API) <= set(KINDS)
    for kind in KINDS.values():
        assert kind.send.__module__.startswith("dashboard.cloud.")
        assert kind.abandon.__module__.startswith("dashboard.cloud.")


def test_the_kinds_are_registered_without_any_panel_installed():
    script = (
        "import json, django\n"
        "from django.conf import settings\n"
        "settings.INSTALLED_APPS = [a for a in settings.INSTALLED_APPS if not a.startswith('dashboard.panels.')]\n"
        "django.setup()\n"
        "from django.apps import apps\n"
        "from dashboard.uploads import KINDS\n"
        "print(json.dumps({'apps': [a.name for a in apps.get_app_configs()], 'kinds': sorted(KINDS)}))\n"
    )
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "tests.settings"}
    root = Path(dashboard.__file__).parent.parent
    done = subprocess.run(
        [sys.executable, "-c", script], cwd=root, env=env, capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 0, done.stderr[-2000:]
    answer = json.loads(done.stdout.strip().splitlines()[-1])
    assert not [name for name in answer["apps"] if name.startswith("dashboard.panels.")]
    assert kinds_begun_in(API) <= set(answer["kinds"])
