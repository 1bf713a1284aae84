"""dashboard.ui.paths: a URL name and its arguments as reverse() makes the path, each shape of
path reversed once per process, whatever the ids, the other arguments and the script prefix."""

import pytest
from django.urls import NoReverseMatch, reverse, set_script_prefix

from dashboard.ui import paths

SERVER = "0b7e3d9c-5a7f-4a26-9f59-2d7d2f1e8c11"
OTHER = "6F1C2A44-1B0E-4C3E-8D7A-9A6E0C5D4B22"
PROJECT = "4e3a5b1c9d8f47a6b2c1d0e9f8a7b6c5"


@pytest.mark.parametrize(
    ("name", "args"),
    [
        ("instances:detail", (SERVER,)),
        ("instances:detail", (OTHER,)),  # upper-case hex: the same shape, its own path
        ("instances:tab", (SERVER, "log")),  # an id and a word
        ("instances:action", (OTHER, "reboot")),
        ("identity:project_detail", (PROJECT,)),  # Keystone's 32 hex digits
        ("identity:project_detail", ("default",)),  # not an id: reverse() as it is
        ("containers:objects", ("a b é?",)),  # quoted by reverse()
        ("networks:list", ()),
    ],
)
def test_a_path_is_the_reversed_one(name, args):
    assert paths.path(name, *args) == reverse(name, args=args)
    assert paths.path(name, *args) == reverse(name, args=args)  # and again, kept


def test_rows_of_one_shape_get_their_own_ids():
    made = [paths.path("instances:action", i, "stop") for i in (SERVER, OTHER, SERVER)]
    assert made == [reverse("instances:action", args=[i, "stop"]) for i in (SERVER, OTHER, SERVER)]
    assert made[0] != made[1]


def test_paths_follow_the_script_prefix():
    paths.path("instances:detail", SERVER)  # kept under "/" first
    set_script_prefix("/zenith/")
    try:
        assert paths.path("instances:detail", SERVER) == f"/zenith/project/instances/{SERVER}/"
    finally:
        set_script_prefix("/")
    assert paths.path("instances:detail", SERVER) == f"/project/instances/{SERVER}/"


def test_a_pattern_refusing_an_argument_still_refuses_it():
    with pytest.raises(NoReverseMatch):
        paths.path("instances:tab", SERVER, "secrets")  # not one of the tabs
    with pytest.raises(NoReverseMatch):
        paths.path("instances:action", SERVER, "Reboot")  # [a-z_]+ only


def test_id_shapes():
    shapes = {v: paths.id_shape(v) for v in (SERVER, OTHER, PROJECT, "default", SERVER + "0", "")}
    assert shapes == {SERVER: "uuid", OTHER: "uuid", PROJECT: "hex", "default": "", SERVER + "0": "", "": ""}
