"""The launch form's own checks, with the cloud's choices given as plain objects (no cloud)."""

from django.core.files.uploadedfile import SimpleUploadedFile
from django.http import QueryDict

from dashboard.cloud.flavors import Flavor
from dashboard.cloud.images import Image
from dashboard.cloud.keypairs import KeyPair
from dashboard.cloud.launch import USER_DATA_RAW_LIMIT
from dashboard.cloud.launch_rules import SOURCE_IMAGE_TO_VOLUME
from dashboard.cloud.networks import Network
from dashboard.cloud.ports import Port
from dashboard.cloud.scheduling import ServerGroup
from dashboard.cloud.secgroups import SecurityGroup
from dashboard.cloud.volumes import Volume
from dashboard.launching.forms import LaunchForm

CHOICES = {
    "images": [Image(id="img", name="cirros")],
    "volumes": [Volume(id="vol", name="boot", size=1, bootable=True)],
    "snapshots": [],
    "flavors": [Flavor(id="f1", name="m1.tiny", vcpus=1, ram=512, disk=1)],
    "networks": [Network(id="n1", name="a"), Network(id="n2", name="b")],
    "ports": [Port(id="p1", network_id="n1", name="port")],
    "security_groups": [SecurityGroup(id="sg1", name="default"), SecurityGroup(id="sg2", name="web")],
    "keypairs": [KeyPair(name="k")],
    "zones": ["nova"],
    "server_groups": [],
}


def bound(files=None, **fields):
    data = {
        "name": "web",
        "count": "1",
        "source_type": "image",
        "image": "img",
        "flavor": "f1",
        "nic": ["net:n1"],
        "security_groups": ["default"],
    }
    data.update(fields)
    query = QueryDict(mutable=True)
    for key, value in data.items():
        query.setlist(key, value if isinstance(value, list) else [value])
    return LaunchForm(query, files or {}, choices=CHOICES)


def test_a_complete_launch_is_valid_and_keeps_the_interface_order():
    form = bound(nic=["net:n2", "", "port:p1", "net:n1"])
    assert form.is_valid(), form.errors
    spec = form.spec()
    assert spec.nics == [("net", "n2"), ("port", "p1"), ("net", "n1")]
    assert spec.security_groups == ["default"] and spec.user_data == b""


def test_unbound_form_selects_the_default_security_group():
    form = LaunchForm(choices=CHOICES)
    assert form["security_groups"].value() == ["default"]


def test_at_least_one_network_and_each_only_once():
    assert "Choose at least one network" in str(bound(nic=[""]).errors["nic"])
    assert "nic" not in bound(nic=["net:n1", "net:n2"]).errors  # two different networks are fine
    assert bound(nic=["net:n1", "net:n1"]).errors["nic"] == ["Each network or port can be chosen once."]
    assert bound(nic=["port:p1", "port:p1"]).errors["nic"] == ["Each network or port can be chosen once."]


def test_a_port_goes_to_one_instance_only():
    assert "one instance only" in str(bound(count="2", nic=["port:p1"]).errors["nic"])


def test_an_existing_volume_boots_one_instance():
    assert "only one instance" in str(bound(source_type="volume", volume="vol", count="3").errors["count"])


def test_image_to_volume_needs_a_size():
    form = bound(source_type=SOURCE_IMAGE_TO_VOLUME)
    assert "size of the new volume" in str(form.errors["volume_size"])


def test_unknown_choices_from_a_crafted_post_are_refused():
    form = bound(image="someone-elses-image", nic=["net:other-project-net"], security_groups=["nope"])
    assert set(form.errors) >= {"image", "nic", "security_groups"}


def test_name_without_control_characters_and_count_in_range():
    assert "control characters" in str(bound(name="a\u0007b").errors["name"])
    assert "name" in bound(name="   ").errors
    assert "count" in bound(count="0").errors and "count" in bound(count="51").errors


def test_user_data_text_is_normalised_and_limited():
    form = bound(user_data="#!/bin/sh\r\necho hi\r\n")
    assert form.is_valid(), form.errors
    assert form.spec().user_data == b"#!/bin/sh\necho hi\n"
    too_big = bound(user_data="x" * (USER_DATA_RAW_LIMIT + 1))
    assert f"Nova accepts at most {USER_DATA_RAW_LIMIT:,} bytes" in str(too_big.errors["user_data"])


def test_user_data_file_wins_over_text_and_is_limited():
    upload = SimpleUploadedFile("init.yaml", b"#cloud-config\n")
    form = bound(files={"user_data_file": upload}, user_data="ignored")
    assert form.is_valid(), form.errors
    assert form.spec().user_data == b"#cloud-config\n"
    big = SimpleUploadedFile("big.bin", b"x" * (USER_DATA_RAW_LIMIT + 1))
    assert "user_data_file" in bound(files={"user_data_file": big}).errors


def test_metadata_is_parsed_into_the_spec():
    form = bound(metadata="role=web\nowner=a")
    assert form.is_valid(), form.errors
    assert form.spec().metadata == {"role": "web", "owner": "a"}
    assert "metadata" in bound(metadata="just words").errors


def test_choices_are_labelled_from_the_cloud_objects():
    choices = dict(CHOICES, server_groups=[ServerGroup(id="g1", name="web", policies=["anti-affinity"])])
    form = LaunchForm(choices=choices)
    assert ("vol", "boot (1 GiB)") in form.fields["volume"].choices
    assert ("g1", "web (anti-affinity)") in form.fields["server_group"].choices
    assert ("k", "k") in form.fields["key_name"].choices
