"""The API's launch body becomes the launch form's input: every source and option reaches the
form (and so its rules and the LaunchSpec), with no cloud."""

from dashboard.api import serializers as s
from dashboard.api.instances import _form_data
from dashboard.cloud.flavors import Flavor
from dashboard.cloud.images import Image
from dashboard.cloud.keypairs import KeyPair
from dashboard.cloud.networks import Network
from dashboard.cloud.ports import Port
from dashboard.cloud.scheduling import ServerGroup
from dashboard.cloud.secgroups import SecurityGroup
from dashboard.cloud.snapshots import Snapshot
from dashboard.cloud.volumes import Volume
from dashboard.launching.forms import LaunchForm

CHOICES = {
    "images": [Image(id="img", name="cirros")],
    "volumes": [Volume(id="vol", name="boot", size=1, bootable=True)],
    "snapshots": [Snapshot(id="snap", name="s", size=2)],
    "flavors": [Flavor(id="f1", name="m1.tiny", vcpus=1, ram=512, disk=1)],
    "networks": [Network(id="n1", name="a"), Network(id="n2", name="b")],
    "ports": [Port(id="p1", network_id="n1", name="port")],
    "security_groups": [SecurityGroup(id="sg1", name="default"), SecurityGroup(id="sg2", name="web")],
    "keypairs": [KeyPair(name="k")],
    "zones": ["nova"],
    "server_groups": [ServerGroup(id="g1", name="spread", policies=["anti-affinity"])],
}


def form_of(**body):
    request = s.LaunchRequest(data={"name": "web", "flavor": "f1", "image": "img", "networks": ["n1"], **body})
    assert request.is_valid(), request.errors
    return LaunchForm(_form_data(request.validated_data), choices=CHOICES)


def test_every_option_reaches_the_launch_spec():
    form = form_of(
        networks=["n2"],
        ports=["p1"],
        security_groups=["default", "web"],
        key_name="k",
        availability_zone="nova",
        user_data="#cloud-config\n",
        config_drive=True,
        metadata={"role": "web"},
        server_group="g1",
    )
    assert form.is_valid(), form.errors
    spec = form.spec()
    assert spec.nics == [("net", "n2"), ("port", "p1")]
    assert spec.security_groups == ["default", "web"] and spec.key_name == "k"
    assert spec.availability_zone == "nova" and spec.server_group == "g1"
    assert spec.user_data == b"#cloud-config\n" and spec.config_drive is True
    assert spec.metadata == {"role": "web"}


def test_every_source_kind():
    image = form_of(source_type="image")
    assert image.is_valid(), image.errors
    assert image.spec().source.kind == "image"
    to_volume = form_of(source_type="image_volume", volume_size=5, delete_on_termination=False)
    assert to_volume.is_valid(), to_volume.errors
    source = to_volume.spec().source
    assert (source.kind, source.volume_size, source.delete_on_termination) == ("image_volume", 5, False)
    volume = form_of(source_type="volume", volume="vol", image="")
    assert volume.is_valid(), volume.errors
    assert volume.spec().source.id == "vol"
    snapshot = form_of(source_type="snapshot", snapshot="snap", image="")
    assert snapshot.is_valid(), snapshot.errors
    assert snapshot.spec().source.kind == "snapshot"


def test_the_form_rules_hold_for_the_api():
    assert "nic" in form_of(networks=[]).errors
    assert "count" in form_of(source_type="volume", volume="vol", image="", count=2).errors
    assert "volume_size" in form_of(source_type="image_volume").errors
    assert "metadata" in form_of(metadata={"bad\nkey": "x"}).errors
    assert "key_name" in form_of(key_name="not-mine").errors
