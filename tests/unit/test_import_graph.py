"""No panel imports another panel, and the shared layers import none: what two places share lives
in dashboard/ui/, dashboard/cloud/, dashboard/live/ or a neutral module (dashboard/launching/). The
JSON API reads a panel's list declarations (its `lists` module, which imports no other module of a
panel) and nothing else of it. And dashboard/cloud/, the bottom layer, imports nothing of Zenith
above it (accounts, ui, panels, api, live, uploads...): the web layer reads the cloud, never the
other way. Read from the source with `ast`, so an import inside a function counts too."""

import ast
from pathlib import Path

import pytest

import dashboard

ROOT = Path(dashboard.__file__).parent
# may import any panel: they put the panels together (URLs, settings)
ASSEMBLY = {"urls.py", "settings.py"}


def imported_modules(relative: Path, source: str) -> set[str]:
    """Every module the file at `relative` (to dashboard/) imports, relative imports resolved."""
    package = ".".join(("dashboard", *relative.parent.parts))  # of x.py and of __init__.py alike
    found = set()
    for node in ast.walk(ast.parse(source, str(relative))):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = package.split(".")
            if node.level:
                base = base[: len(base) - node.level + 1]
                module = ".".join(base + ([node.module] if node.module else []))
            else:
                module = node.module
            found.add(module)
            found.update(f"{module}.{alias.name}" for alias in node.names)  # `from dashboard.panels import x`
    return found


def panel_of(module: str) -> str | None:
    parts = module.split(".")
    return parts[2] if parts[:2] == ["dashboard", "panels"] and len(parts) > 2 else None


def is_declarations(module: str) -> bool:
    """A panel's list declarations: `dashboard.panels.<panel>.lists` (and the names imported from it)."""
    parts = module.split(".")
    return parts[:2] == ["dashboard", "panels"] and len(parts) >= 4 and parts[3] == "lists"


def crossings(root: Path) -> list[str]:
    """`file imports panel` for each panel a file outside that panel imports (the API may import a
    panel's declarations); `file imports panel` too for a declarations module importing a panel."""
    bad = []
    for path in sorted(root.rglob("*.py")):
        relative = path.relative_to(root)
        if relative.as_posix() in ASSEMBLY:
            continue
        own = relative.parts[1] if relative.parts[0] == "panels" and len(relative.parts) > 2 else None
        declarations = own is not None and relative.parts[2:] == ("lists.py",)
        modules = imported_modules(relative, path.read_text())
        if relative.parts[0] == "api":
            modules = {m for m in modules if not is_declarations(m)}
        panels = {panel_of(module) for module in modules}
        allowed = {None} if declarations else {None, own}
        bad.extend(f"{relative.as_posix()} imports the {panel} panel" for panel in sorted(panels - allowed))
    return bad


def upward_imports(root: Path) -> list[str]:
    """`file imports package` for each part of dashboard/ outside cloud/ that a cloud/ module imports."""
    bad = []
    for path in sorted((root / "cloud").rglob("*.py")):
        relative = path.relative_to(root)
        above = {
            module.split(".")[1]
            for module in imported_modules(relative, path.read_text())
            if module.startswith("dashboard.") and module.split(".")[1] != "cloud"
        }
        bad.extend(f"{relative.as_posix()} imports dashboard.{package}" for package in sorted(above))
    return bad


def test_the_cloud_layer_imports_nothing_above_it():
    assert upward_imports(ROOT) == []


def test_the_upward_check_sees_every_kind_of_import(tmp_path):
    cloud = tmp_path / "cloud"
    cloud.mkdir()
    (cloud / "middleware.py").write_text("def f():\n    from dashboard.accounts.state import forget_tokens\n")
    (cloud / "lists.py").write_text("from ..ui import lists\nfrom . import calls\nfrom .errors import CloudError\n")
    (cloud / "pollers.py").write_text("import dashboard.live.state\nfrom dashboard import api\n")
    (cloud / "fine.py").write_text("from dashboard.cloud import errors\nimport dashboard.cloud.calls\nimport django\n")
    (tmp_path / "accounts").mkdir()
    (tmp_path / "accounts" / "state.py").write_text("from dashboard.cloud import sessions\n")  # downward: fine
    assert upward_imports(tmp_path) == [
        "cloud/lists.py imports dashboard.ui",
        "cloud/middleware.py imports dashboard.accounts",
        "cloud/pollers.py imports dashboard.api",
        "cloud/pollers.py imports dashboard.live",
    ]


def test_no_panel_api_or_shared_module_imports_another_panel():
    assert crossings(ROOT) == []


def test_the_check_sees_every_kind_of_import(tmp_path):
    (tmp_path / "api").mkdir()
    (tmp_path / "api" / "things.py").write_text("from dashboard.panels.instances.launch import follow\n")
    (tmp_path / "ui").mkdir()
    (tmp_path / "ui" / "kit.py").write_text("def f():\n    import dashboard.panels.usage.views\n")
    panel = tmp_path / "panels" / "volumes"
    panel.mkdir(parents=True)
    (panel / "views.py").write_text("from ..images import views\nfrom . import forms\nfrom dashboard.ui import lists\n")
    (panel / "forms.py").write_text(
        "from dashboard.panels.volumes.views import x\nfrom dashboard.panels import network\n"
    )
    (tmp_path / "urls.py").write_text("import dashboard.panels.instances.urls\n")
    (tmp_path / "api" / "lists_ok.py").write_text("from dashboard.panels.volumes.lists import VOLUMES\n")
    (panel / "lists.py").write_text("from .forms import x\nfrom dashboard.ui.lists import Table\n")
    assert crossings(tmp_path) == [
        "api/things.py imports the instances panel",
        "panels/volumes/forms.py imports the network panel",
        "panels/volumes/lists.py imports the volumes panel",
        "panels/volumes/views.py imports the images panel",
        "ui/kit.py imports the usage panel",
    ]


@pytest.mark.parametrize(
    ("file", "source", "module"),
    [
        ("panels/network/forms.py", "from . import validation", "dashboard.panels.network.validation"),
        ("panels/network/forms.py", "from .. import usage", "dashboard.panels.usage"),
        ("api/instances.py", "from .common import read", "dashboard.api.common"),
        ("launching/__init__.py", "from .forms import LaunchForm", "dashboard.launching.forms"),
    ],
)
def test_relative_imports_are_resolved_against_the_package(file, source, module):
    assert module in imported_modules(Path(file), source)
