"""What the launch page reads from the cloud, and the create call.

The page's choices come from one fixed set of concurrent calls (`get_launch_choices`); a launch (or its
live preview) reads the limits, the flavors and the chosen boot source (`get_launch_context`), is
checked against them (`launch_rules`: the flavor and the quotas, before Nova is asked), and then
sends one create request (`launch_instance`).

Like every module of `dashboard.cloud`, what comes out are Zenith's own objects: images, volumes,
flavors, networks, ports, security groups, key pairs, server groups and limits as their modules
define them, and the launched instance below.
"""

from __future__ import annotations

import base64
from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import gettext_lazy as _
from openstack.connection import Connection

from . import flavors, images, keypairs, networks, ports, quotas, scheduling, secgroups, snapshots, volumes
from .calls import concurrently, translated
from .errors import CloudError
from .flavors import Flavor
from .images import Image
from .launch_rules import (
    SOURCE_IMAGE,
    SOURCE_IMAGE_TO_VOLUME,
    SOURCE_SNAPSHOT,
    SOURCE_VOLUME,
    Source,
    SourceNeeds,
    source_needs,
)
from .quotas import ComputeLimits, VolumeLimits
from .snapshots import Snapshot
from .volumes import Volume

LAUNCH_NOT_FOUND = _("Something the launch asked for was not found; it may have been deleted.")

# Nova refuses user data longer than this once base64-encoded (the API schema's maxLength)
USER_DATA_LIMIT = 65535
USER_DATA_RAW_LIMIT = USER_DATA_LIMIT // 4 * 3  # the largest raw payload whose base64 fits


# --- the page's choices -------------------------------------------------------------------------


# the choices a launch page shows after it loads (launch_extras): the sources other than images, the
# key pairs, zones and server groups (three of Nova's five calls: this devcloud's Nova API serves
# two requests at a time), the security groups (Neutron's slowest listing, rules or not) and the free
# ports (hundreds in a busy project): the page itself asks Neutron once, for the networks
EXTRAS = ("volumes", "snapshots", "keypairs", "zones", "server_groups", "security_groups", "ports")


def _extra_calls(conn: Connection, project_id: str) -> dict:
    return {
        "security_groups": lambda: secgroups.list_groups_without_rules(conn, project_id),
        "volumes": lambda: volumes.list_bootable_volumes(conn),
        "snapshots": lambda: snapshots.list_available_snapshots(conn),
        "keypairs": lambda: keypairs.list_keypairs(conn),
        "zones": lambda: scheduling.list_availability_zones(conn),
        "server_groups": lambda: scheduling.list_server_groups(conn),
        # a port already bound to an instance or a router cannot be given to a new instance
        "ports": lambda: ports.list_free_ports(conn, project_id),
    }


@translated("compute")
def get_launch_choices(
    conn: Connection,
    project_id: str,
    source: Source | None = None,
    extras: bool = True,
    sees_every_project: bool = True,
) -> dict[str, Any]:
    """The launch form's choices: a fixed set of at most 13 calls made at once, whatever the project
    holds (5 with `extras=False` for a member: the page, whose EXTRAS come as empty lists and follow
    from `get_launch_extras`). `sees_every_project` (an administrator) costs one call more: the
    networks are then asked for as the project's own and the shared ones (networks.list_launch_networks).

    Optional parts (Cinder, server groups, availability zones, ports) come back as a CloudError so
    the page can still offer the rest. With a `source` (a submitted launch) the chosen image, volume
    or snapshot is read in the same round, as "source" (None when it cannot be read).

    Every value is a Zenith object: "images" [Image], "volumes" [Volume] (bootable, unattached),
    "snapshots" [Snapshot], "flavors" [Flavor], "networks" [Network] (the project's own and shared
    ones), "ports" [Port] (free ones), "security_groups" [SecurityGroup], "keypairs" [KeyPair],
    "zones" [str], "server_groups" [ServerGroup], "compute_limits" ComputeLimits, "volume_limits"
    VolumeLimits.
    """
    calls = {
        # Glance shows administrators other projects' private images too; a launch offers only this
        # project's own images and those published or shared to it
        "images": lambda: images.list_active_images(conn, project_id),
        "flavors": lambda: flavors.list_flavors(conn),
        "networks": lambda: networks.list_launch_networks(conn, project_id, sees_every_project),
        "compute_limits": lambda: quotas.get_compute_limits(conn),
        "volume_limits": lambda: quotas.get_volume_limits(conn),
    }
    if extras:
        calls.update(_extra_calls(conn, project_id))
    optional = ("volumes", "snapshots", "volume_limits", "zones", "server_groups", "ports", "source")
    if source is not None and source.id:
        calls["source"] = _source_reader(conn, source)
    data = concurrently(calls, optional=optional)
    if not extras:
        data.update({name: [] for name in EXTRAS})
    if isinstance(data.get("source"), Exception):
        data["source"] = None
    return data


@translated("compute")
def get_launch_extras(conn: Connection, project_id: str) -> dict[str, Any]:
    """The EXTRAS of the launch form, 7 calls at once, each a CloudError instead when it fails
    (the page keeps its placeholders for that part and says why)."""
    return concurrently(_extra_calls(conn, project_id), optional=EXTRAS)


# --- what a launch (or its preview) reads --------------------------------------------------------


@dataclass
class LaunchContext:
    flavors: list[Flavor]
    compute_limits: ComputeLimits
    volume_limits: VolumeLimits | CloudError  # Cinder is optional: its error when it could not be read
    source_obj: Image | Volume | Snapshot | None = None
    needs: SourceNeeds = field(default_factory=SourceNeeds)

    def flavor(self, flavor_id: str) -> Flavor | None:
        return next((f for f in self.flavors if f.id == flavor_id), None)


def _source_reader(conn: Connection, source: Source):
    """The one call that reads the chosen image, volume or snapshot."""
    if source.kind in (SOURCE_IMAGE, SOURCE_IMAGE_TO_VOLUME):
        return lambda: images.get_image(conn, source.id)
    if source.kind == SOURCE_VOLUME:
        return lambda: volumes.get_volume(conn, source.id)
    return lambda: snapshots.get_snapshot(conn, source.id)


def context_from_choices(choices: dict[str, Any], source: Source | None) -> LaunchContext:
    """The launch context out of what `get_launch_choices` already read (no further call)."""
    source_obj = choices.get("source")
    return LaunchContext(
        flavors=choices["flavors"],
        compute_limits=choices["compute_limits"],
        volume_limits=choices["volume_limits"],
        source_obj=source_obj,
        needs=source_needs(source, source_obj) if source else SourceNeeds(),
    )


@translated("compute")
def get_launch_context(conn: Connection, source: Source | None) -> LaunchContext:
    """Limits, flavors and the chosen source, read at once (4 calls, 3 without a source)."""
    calls = {
        "flavors": lambda: flavors.list_flavors(conn),
        "compute_limits": lambda: quotas.get_compute_limits(conn),
        "volume_limits": lambda: quotas.get_volume_limits(conn),
    }
    if source is not None and source.id:
        calls["source"] = _source_reader(conn, source)
    data = concurrently(calls, optional=("volume_limits", "source"))
    source_obj = data.get("source")
    if isinstance(source_obj, Exception):
        source_obj = None
    return LaunchContext(
        flavors=data["flavors"],
        compute_limits=data["compute_limits"],
        volume_limits=data["volume_limits"],
        source_obj=source_obj,
        needs=source_needs(source, source_obj) if source else SourceNeeds(),
    )


# --- the create call ----------------------------------------------------------------------------


@dataclass
class LaunchSpec:
    name: str
    count: int
    source: Source
    flavor_id: str
    nics: list[tuple[str, str]]  # ordered ("net"|"port", id)
    security_groups: list[str] = field(default_factory=list)
    key_name: str = ""
    availability_zone: str = ""
    user_data: bytes = b""
    config_drive: bool = False
    metadata: dict[str, str] = field(default_factory=dict)
    server_group: str = ""


def encode_user_data(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def server_request(spec: LaunchSpec) -> dict[str, Any]:
    """The attributes of Nova's create-server request for this launch."""
    attrs: dict[str, Any] = {
        "name": spec.name,
        "flavor_id": spec.flavor_id,
        "min_count": spec.count,
        "max_count": spec.count,
        "networks": [{"uuid": ident} if kind == "net" else {"port": ident} for kind, ident in spec.nics],
    }
    src = spec.source
    if src.kind == SOURCE_IMAGE:
        attrs["image_id"] = src.id
    else:
        mapping: dict[str, Any] = {
            "boot_index": 0,
            "uuid": src.id,
            "destination_type": "volume",
            "delete_on_termination": src.delete_on_termination,
        }
        if src.kind == SOURCE_IMAGE_TO_VOLUME:
            mapping.update(source_type="image", volume_size=src.volume_size)
        elif src.kind == SOURCE_SNAPSHOT:
            mapping["source_type"] = "snapshot"
            if src.volume_size:
                mapping["volume_size"] = src.volume_size
        else:
            mapping["source_type"] = "volume"
        attrs["block_device_mapping"] = [mapping]
    if spec.security_groups:
        attrs["security_groups"] = [{"name": sg} for sg in spec.security_groups]
    if spec.key_name:
        attrs["key_name"] = spec.key_name
    if spec.availability_zone:
        attrs["availability_zone"] = spec.availability_zone
    if spec.user_data:
        attrs["user_data"] = encode_user_data(spec.user_data)
    if spec.config_drive:
        attrs["config_drive"] = True
    if spec.metadata:
        attrs["metadata"] = spec.metadata
    if spec.server_group:
        attrs["scheduler_hints"] = {"group": spec.server_group}
    return attrs


@dataclass
class Launched:
    """What Nova answers a launch with: the (first) new instance's id, and the name asked for."""

    id: str
    name: str


@translated("compute", not_found=LAUNCH_NOT_FOUND)
def launch_instance(conn: Connection, spec: LaunchSpec) -> Launched:
    """Ask Nova for the instance(s); Nova's refusal comes out as a CloudError in its words."""
    server = conn.compute.create_server(**server_request(spec))
    return Launched(id=server.id, name=server.name or spec.name)
