"""The launch rules that need no cloud: flavor fit, quota arithmetic, the create request, input checks."""

import base64

import pytest
from django import forms
from django.utils import translation

from dashboard.cloud.flavors import Flavor
from dashboard.cloud.images import Image
from dashboard.cloud.keypairs import new_ssh_keypair
from dashboard.cloud.launch import USER_DATA_LIMIT, USER_DATA_RAW_LIMIT, LaunchSpec, server_request
from dashboard.cloud.launch_rules import (
    SOURCE_IMAGE,
    SOURCE_IMAGE_TO_VOLUME,
    SOURCE_SNAPSHOT,
    SOURCE_VOLUME,
    Source,
    SourceNeeds,
    demand_of,
    flavor_fit_problem,
    quota_fit_problem,
    quota_lines,
    source_needs,
    volume_size_problem,
)
from dashboard.cloud.quotas import ComputeLimits, VolumeLimits
from dashboard.cloud.snapshots import Snapshot
from dashboard.cloud.volumes import Volume
from dashboard.ui.validators import parse_metadata, validate_keypair_name, validate_public_key

TINY = Flavor(id="f-tiny", name="m1.tiny", vcpus=1, ram=512, disk=1)
SMALL = Flavor(id="f-small", name="m1.small", vcpus=1, ram=2048, disk=20)
NO_DISK = Flavor(id="f-nodisk", name="m1.nodisk", vcpus=1, ram=2048, disk=0)


def limits(instances=(2, 10), cores=(2, 20), ram=(1024, 51200)):
    return ComputeLimits(
        instances_used=instances[0],
        instances_max=instances[1],
        cores_used=cores[0],
        cores_max=cores[1],
        ram_used=ram[0],
        ram_max=ram[1],
    )


def volume_limits(volumes=(1, 10), gigabytes=(5, 1000)):
    return VolumeLimits(
        volumes_used=volumes[0],
        volumes_max=volumes[1],
        gigabytes_used=gigabytes[0],
        gigabytes_max=gigabytes[1],
    )


def test_image_min_ram_and_min_disk_rule_out_small_flavors():
    needs = SourceNeeds(name="big-image", min_ram=1024, min_disk=10)
    image = Source(SOURCE_IMAGE, "img")
    assert "1024 MiB" in flavor_fit_problem(TINY, image, needs)
    assert flavor_fit_problem(SMALL, image, needs) is None
    needs_disk_only = SourceNeeds(name="big-image", min_disk=10)
    assert "10 GiB" in flavor_fit_problem(TINY, image, needs_disk_only)


def test_booting_from_a_new_volume_ignores_the_flavor_disk_but_not_ram():
    needs = SourceNeeds(name="big-image", min_ram=1024, min_disk=10)
    on_volume = Source(SOURCE_IMAGE_TO_VOLUME, "img", volume_size=10)
    assert flavor_fit_problem(NO_DISK, on_volume, needs) is None
    assert "RAM" in flavor_fit_problem(TINY, on_volume, needs)


def test_a_flavor_without_disk_cannot_boot_an_image_locally():
    assert "volume" in flavor_fit_problem(NO_DISK, Source(SOURCE_IMAGE, "img"), SourceNeeds(name="x"))


def test_new_volume_must_hold_the_image():
    needs = SourceNeeds(name="img", min_disk=3, size_gib=1)
    assert "at least 3 GiB" in volume_size_problem(Source(SOURCE_IMAGE_TO_VOLUME, "i", volume_size=2), needs)
    assert volume_size_problem(Source(SOURCE_IMAGE_TO_VOLUME, "i", volume_size=3), needs) is None


def test_source_needs_read_image_and_volume_metadata():
    image = Image(id="i", name="img", min_ram=256, min_disk=2, size=3 * 1024**3 + 1)
    assert source_needs(Source(SOURCE_IMAGE, "i"), image) == SourceNeeds("img", 256, 2, 4)
    volume = Volume(id="v", name="vol", size=5, image_metadata={"min_ram": "128", "min_disk": "1"})
    assert source_needs(Source(SOURCE_VOLUME, "v"), volume) == SourceNeeds("vol", 128, 1, 5)


def test_source_needs_of_a_snapshot_is_its_size_and_an_unnamed_source_its_id():
    snapshot = Snapshot(id="s", name="", size=3)
    assert source_needs(Source(SOURCE_SNAPSHOT, "s"), snapshot) == SourceNeeds("s", 0, 0, 3)
    assert source_needs(Source(SOURCE_IMAGE, "i"), Image(id="i", name="")) == SourceNeeds("i", 0, 0, 0)
    assert source_needs(Source(SOURCE_IMAGE, "gone"), None) == SourceNeeds()


def test_quota_lines_add_what_the_launch_needs_and_flag_the_overflow():
    demand = demand_of(3, SMALL, Source(SOURCE_IMAGE_TO_VOLUME, "i", volume_size=20))
    lines = {line.key: line for line in quota_lines(limits(instances=(8, 10)), volume_limits(), demand)}
    assert lines["instances"].adds == 3 and lines["instances"].over
    assert "only 2 of the project's 10" in lines["instances"].refusal()
    assert lines["cores"].adds == 3 and not lines["cores"].over
    assert lines["ram"].adds == 3 * 2048
    assert lines["volumes"].adds == 3 and lines["gigabytes"].adds == 60


def test_quota_sizes_read_in_binary_units_of_the_language_and_counts_as_they_are():
    from django.template import Context, Template

    from dashboard.ui import humanize

    demand = demand_of(2, SMALL, Source(SOURCE_IMAGE_TO_VOLUME, "i", volume_size=20))
    lines = {line.key: line for line in quota_lines(limits(ram=(6144, 8192)), volume_limits(), demand)}
    ram = lines["ram"]
    assert ram.over and ram.unit == "MiB"
    assert ram.refusal(humanize.size_in) == (
        "RAM: this launch needs 4\xa0GiB but only 2\xa0GiB of the project's 8\xa0GiB remain (6\xa0GiB in use)."
    )
    assert "of the project's 10 remain" in lines["instances"].refusal(humanize.size_in)
    page = Template("{% load zenith_kit %}{{ line.limit|figure:line.unit }} {{ n.limit|figure:n.unit }}")
    with translation.override("fr"):
        assert ram.refusal(humanize.size_in).startswith("RAM : ce lancement demande 4\xa0Gio")
        assert page.render(Context({"line": ram, "n": lines["instances"]})) == "8\xa0Gio 10"


def test_unlimited_quota_is_never_over():
    lines = quota_lines(limits(cores=(500, -1)), None, demand_of(100, SMALL, None))
    cores = next(line for line in lines if line.key == "cores")
    assert cores.unlimited and not cores.over and cores.remaining is None


def test_image_boot_makes_no_volume():
    assert demand_of(2, TINY, Source(SOURCE_IMAGE, "i")).volumes == 0


def test_server_request_for_image_to_volume_with_two_networks_and_extras():
    spec = LaunchSpec(
        name="web",
        count=2,
        source=Source(SOURCE_IMAGE_TO_VOLUME, "img-1", volume_size=5, delete_on_termination=True),
        flavor_id="f1",
        nics=[("net", "n2"), ("port", "p1")],
        security_groups=["default", "web"],
        key_name="k",
        user_data=b"#cloud-config\n",
        metadata={"role": "web"},
        server_group="g1",
        config_drive=True,
    )
    attrs = server_request(spec)
    assert "image_id" not in attrs
    assert attrs["block_device_mapping"] == [
        {
            "boot_index": 0,
            "uuid": "img-1",
            "source_type": "image",
            "destination_type": "volume",
            "volume_size": 5,
            "delete_on_termination": True,
        }
    ]
    assert attrs["networks"] == [{"uuid": "n2"}, {"port": "p1"}]
    assert attrs["min_count"] == attrs["max_count"] == 2
    assert attrs["security_groups"] == [{"name": "default"}, {"name": "web"}]
    assert base64.b64decode(attrs["user_data"]) == b"#cloud-config\n"
    assert attrs["scheduler_hints"] == {"group": "g1"}
    assert attrs["config_drive"] is True and attrs["metadata"] == {"role": "web"}


def test_server_request_for_volume_and_snapshot():
    vol = server_request(LaunchSpec("a", 1, Source(SOURCE_VOLUME, "v1"), "f", [("net", "n")]))
    assert vol["block_device_mapping"][0]["source_type"] == "volume"
    assert vol["block_device_mapping"][0]["delete_on_termination"] is False
    snap = server_request(LaunchSpec("a", 1, Source(SOURCE_SNAPSHOT, "s1", volume_size=4), "f", [("net", "n")]))
    assert snap["block_device_mapping"][0]["source_type"] == "snapshot"
    assert snap["block_device_mapping"][0]["volume_size"] == 4
    image = server_request(LaunchSpec("a", 1, Source(SOURCE_IMAGE, "i"), "f", [("net", "n")]))
    assert image["image_id"] == "i" and "block_device_mapping" not in image and "key_name" not in image


def test_user_data_limit_matches_novas_base64_limit():
    assert len(base64.b64encode(b"x" * USER_DATA_RAW_LIMIT)) <= USER_DATA_LIMIT
    assert len(base64.b64encode(b"x" * (USER_DATA_RAW_LIMIT + 1))) > USER_DATA_LIMIT


def test_generated_keypair_public_half_is_valid_and_private_half_is_openssh():
    public, private = new_ssh_keypair("k@zenith")
    assert public.startswith("ssh-ed25519 ") and public.endswith(" k@zenith")
    assert validate_public_key(public) == public
    assert private.startswith("-----BEGIN OPENSSH PRIVATE KEY-----")


@pytest.mark.parametrize(
    "text",
    [
        "",
        "ssh-rsa notbase64!!",
        "hello world",
        "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIBad",
        "-----BEGIN PRIVATE KEY-----",
    ],
)
def test_invalid_public_keys_are_refused(text):
    with pytest.raises(forms.ValidationError):
        validate_public_key(text)


def test_keypair_names_are_checked():
    assert validate_keypair_name(" my key ") == "my key"
    with pytest.raises(forms.ValidationError):
        validate_keypair_name("bad/name")


def test_metadata_lines():
    assert parse_metadata("a=1\n\n b = two words \n") == {"a": "1", "b": "two words"}
    for bad in ("novalue", "=x", "a=1\na=2", "k<y>=v", "k=" + "v" * 256):
        with pytest.raises(forms.ValidationError):
            parse_metadata(bad)


def test_an_instance_has_at_most_nova_s_metadata_items():
    many = "\n".join(f"k{i}=v" for i in range(129))
    assert len(parse_metadata(many)) == 129
    with pytest.raises(forms.ValidationError, match="At most 128"):
        parse_metadata(many, max_items=128)


@pytest.mark.parametrize(
    ("limits", "language", "sentence"),
    [
        (ComputeLimits(cores_used=1, cores_max=2), "en", "over the vCPU quota: only 1 vCPU left"),
        (ComputeLimits(cores_used=1, cores_max=2), "fr", "quota de vCPU dépassé : il ne reste que 1 vCPU"),
        (ComputeLimits(ram_used=1024, ram_max=1536), "en", "over the RAM quota: only 512 MiB of RAM left"),
        (ComputeLimits(ram_used=1024, ram_max=1536), "fr", "quota de RAM dépassé : il ne reste que 512 Mio de RAM"),
        (ComputeLimits(instances_used=5, instances_max=5), "en", "over the instance quota: no instance left"),
        (ComputeLimits(instances_used=5, instances_max=5), "fr", "quota d’instances dépassé : plus aucune instance"),
        (ComputeLimits(instances_used=3, instances_max=5), "fr", None),
    ],
)
def test_over_quota_is_a_whole_sentence_naming_the_resource(limits, language, sentence):
    big = Flavor(id="f-big", name="m1.big", vcpus=2, ram=1024, disk=1)
    with translation.override(language):
        assert quota_fit_problem(big, 1, None, limits, None) == sentence
