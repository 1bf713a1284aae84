"""The cloud layer's one calling convention (dashboard/cloud/__init__.py), checked on every module:
every public function that takes a connection translates its own errors, and the SDK is used
nowhere else in the code."""

import importlib
import inspect
import pkgutil
import re
from pathlib import Path

import dashboard
import dashboard.cloud

# take the connection but make no call themselves (pure helpers of a module)
# (offered reads the token's catalog; series_calls and ranking_calls hand back calls for `concurrently`)
NOT_CALLS = {"connection", "offered", "series_calls", "ranking_calls"}


def cloud_functions():
    for info in pkgutil.iter_modules(dashboard.cloud.__path__):
        if info.name == "calls":  # raw/raw_json are the building blocks translated functions use
            continue
        module = importlib.import_module(f"dashboard.cloud.{info.name}")
        for name, fn in inspect.getmembers(module, inspect.isfunction):
            if fn.__module__ != module.__name__ or name.startswith("_") or name in NOT_CALLS:
                continue
            params = list(inspect.signature(inspect.unwrap(fn)).parameters)
            if params and params[0] == "conn":
                yield f"{module.__name__}.{name}", fn


def test_every_public_cloud_function_translates_its_errors():
    functions = dict(cloud_functions())
    assert len(functions) > 40  # the check looks at the real modules
    untranslated = [name for name, fn in functions.items() if not hasattr(fn, "__wrapped__")]
    assert untranslated == []


def test_every_not_found_message_is_one_whole_translated_sentence():
    """What a 404 says is a sentence marked for translation and translated whole: never a subject
    ("The volume") glued into another sentence, nor English left in a French page."""
    from django.utils import translation
    from django.utils.functional import Promise

    from dashboard.cloud.errors import NOT_FOUND

    sentences = {name: fn.not_found for name, fn in cloud_functions() if getattr(fn, "not_found", "")}
    assert len(sentences) > 40
    sentences["errors.NOT_FOUND"] = NOT_FOUND
    not_lazy = [name for name, sentence in sentences.items() if not isinstance(sentence, Promise)]
    assert not_lazy == []  # a plain str would stay English: it must be gettext_lazy(...)
    with translation.override("en"):
        english = {name: str(sentence) for name, sentence in sentences.items()}
    with translation.override("fr"):
        french = {name: str(sentence) for name, sentence in sentences.items()}
    fragments = [name for name, text in english.items() if not re.fullmatch(r"[A-Z].+ [a-z].*\.", text) or "%(" in text]
    assert fragments == []
    untranslated = [name for name in sentences if french[name] == english[name] or "not found" in french[name]]
    assert untranslated == []


def test_a_failing_sdk_call_comes_out_as_a_cloud_error():
    from openstack import exceptions as sdk_exc

    from dashboard.cloud import CloudError, instances

    class Refusing:
        def get_server(self, server_id):
            raise sdk_exc.NotFoundException("gone", http_status=404)

    conn = type("Conn", (), {"compute": Refusing()})()
    try:
        instances.get_instance(conn, "x", names=False)
    except CloudError as err:
        assert err.kind == "not_found" and err.message.startswith("The instance was not found")
    else:
        raise AssertionError("no CloudError")


def test_openstacksdk_is_used_only_in_the_cloud_layer():
    root = Path(dashboard.__file__).parent
    offenders = []
    for path in root.rglob("*.py"):
        relative = path.relative_to(root).as_posix()
        if relative.startswith("cloud/") or relative == "settings.py":  # settings reads clouds.yaml
            continue
        text = path.read_text()
        if re.search(r"^\s*(from|import) openstack\b", text, re.M) or re.search(
            r"\bconn\.(compute|network|image|block_storage|identity|placement|object_store)\b", text
        ):
            offenders.append(relative)
    assert offenders == []
