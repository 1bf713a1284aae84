"""The kept reverse (dashboard.ui.reversing) answers what Django's reverse answers, under every
script prefix, language and URL conf, and is what `{% url %}` and the code's reverse() use."""

from __future__ import annotations

import uuid

import pytest
from django.http import HttpResponse
from django.template import Context, Template
from django.test import override_settings
from django.urls import NoReverseMatch, path, set_script_prefix
from django.utils import translation

from dashboard.ui import reversing
from dashboard.ui.reversing import reverse

NETWORK = "5f1c2a8e-0d7b-4c3e-9a51-6b2f0e7d4c19"
CALLS = [
    ("instances:list", (), None),
    ("containers:objects", ("bench-objects",), None),
    ("containers:objects", ("a b&c", "dir/sub dir/é"), None),
    ("networks:detail", (NETWORK,), None),
    ("networks:action", (NETWORK, "delete"), None),
    ("volumes:detail", None, {"volume_id": NETWORK}),
    ("identity:project_list", (), None),
]

urlpatterns = [path("elsewhere/", lambda request: HttpResponse(), name="elsewhere")]  # a URL conf of its own


@pytest.fixture(autouse=True)
def _fresh():
    reversing.forget()
    yield
    set_script_prefix("/")
    reversing.forget()


@pytest.mark.parametrize(("name", "args", "kwargs"), CALLS, ids=lambda v: str(v))
def test_the_kept_path_is_djangos(name, args, kwargs):
    expected = reversing._django_reverse(name, args=args, kwargs=kwargs)
    assert reverse(name, args=args, kwargs=kwargs) == expected
    assert reverse(name, args=args, kwargs=kwargs) == expected  # the kept answer, the same


def test_each_script_prefix_and_language_has_its_own_answer():
    plain = reverse("containers:objects", args=["c1"])
    set_script_prefix("/zenith/")
    prefixed = reverse("containers:objects", args=["c1"])
    assert prefixed == "/zenith" + plain == reversing._django_reverse("containers:objects", args=["c1"])
    with translation.override("fr"):
        assert reverse("containers:objects", args=["c1"]) == prefixed


def test_another_url_conf_drops_what_was_kept():
    assert reverse("instances:list") == "/project/instances/"
    with override_settings(ROOT_URLCONF=__name__):
        assert reverse("elsewhere") == "/elsewhere/"
        with pytest.raises(NoReverseMatch):
            reverse("instances:list")
    assert reverse("instances:list") == "/project/instances/"


def test_what_it_does_not_keep_goes_to_django():
    ident = uuid.UUID(NETWORK)  # not a str or an int: not kept
    assert reverse("networks:detail", args=[ident]) == f"/project/networks/{NETWORK}/"
    assert reverse("instances:list", query={"a": "1 2"}, fragment="x") == "/project/instances/?a=1+2#x"
    assert reversing._kept == {}
    with pytest.raises(NoReverseMatch):
        reverse("no-such-page")
    with pytest.raises(NoReverseMatch):
        reverse("networks:detail", args=["not/an id"])
    assert reversing._kept == {}


def test_the_kept_answers_are_bounded(monkeypatch):
    monkeypatch.setattr(reversing, "KEPT", 5)
    for i in range(12):
        assert reverse("containers:objects", args=[f"c{i}"]) == f"/project/containers/c/c{i}/"
        assert len(reversing._kept) <= 5


def test_templates_and_the_codes_imports_use_it():
    import django.urls

    from dashboard.ui import lists

    assert django.urls.reverse is reverse and lists.reverse is reverse
    out = Template("{% url 'containers:objects' name %}").render(Context({"name": "x y"}))
    assert out == "/project/containers/c/x%20y/"
    assert any(key[0] == "containers:objects" and key[1] == ("x y",) for key in reversing._kept), reversing._kept


def test_a_bool_is_not_taken_for_a_number():
    assert reverse("containers:objects", args=[1]) == "/project/containers/c/1/"
    assert reverse("containers:objects", args=[True]) == "/project/containers/c/True/"
