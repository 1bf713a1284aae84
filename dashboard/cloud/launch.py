"""Everything the launch page needs from the cloud, the rules a launch must pass, and the create call.

The page's choices come from one fixed set of concurrent calls (`launch_choices`); a launch (or its
live preview) reads the limits, the flavors and the chosen boot source (`launch_context`), checks
the flavor and the quotas here, before Nova is asked, and then sends one create request.

Like every module of `dashboard.cloud`, what comes out are Zenith's own objects: images, volumes,
flavors, networks, ports and security groups as their service modules define them, and the small
ones below (key pairs, server groups, compute and volume limits, the launched instance).
"""

from __future__ import annotations

import base64
import math
from dataclasses import dataclass, field
from typing import Any

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ed25519
from django.utils.text import format_lazy
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from openstack.connection import Connection

from . import images, instances, network, volumes
from .calls import concurrently, translated
from .errors import CloudError
from .images import Image
from .instances import Flavor
from .volumes import Snapshot, Volume

GIB = 1024**3
UNLIMITED = -1
# Nova refuses user data longer than this once base64-encoded (the API schema's maxLength)
USER_DATA_LIMIT = 65535
USER_DATA_RAW_LIMIT = USER_DATA_LIMIT // 4 * 3  # the largest raw payload whose base64 fits

SOURCE_IMAGE = "image"
SOURCE_IMAGE_TO_VOLUME = "image_volume"
SOURCE_VOLUME = "volume"
SOURCE_SNAPSHOT = "snapshot"
SOURCE_KINDS = [
    (SOURCE_IMAGE, _("Image")),
    (SOURCE_IMAGE_TO_VOLUME, _("Image, on a new volume")),
    (SOURCE_VOLUME, _("Bootable volume")),
    (SOURCE_SNAPSHOT, _("Volume snapshot")),
]


# --- what Nova and Cinder say, as plain objects -------------------------------------------------


@dataclass
class KeyPair:
    name: str
    fingerprint: str = ""
    type: str = "ssh"  # "ssh" or "x509"


def keypair_from(k: Any) -> KeyPair:
    return KeyPair(name=k.name or "", fingerprint=k.fingerprint or "", type=k.type or "ssh")


@dataclass
class ServerGroup:
    id: str
    name: str
    policies: list[str] = field(default_factory=list)  # one since compute microversion 2.64

    @property
    def label(self) -> str:
        return f"{self.name} ({', '.join(self.policies)})"


def server_group_from(g: Any) -> ServerGroup:
    return ServerGroup(id=g.id, name=g.name or "", policies=list(g.policies or ([g.policy] if g.policy else [])))


def _int(value: Any, default: int = UNLIMITED) -> int:
    try:
        return int(value)
    except (TypeError, ValueError):
        return default


@dataclass
class ComputeLimits:
    """The project's Nova figures a launch is checked against (max -1: unlimited)."""

    instances_used: int = 0
    instances_max: int = UNLIMITED
    cores_used: int = 0
    cores_max: int = UNLIMITED
    ram_used: int = 0  # MiB
    ram_max: int = UNLIMITED  # MiB


def compute_limits_from(limits: Any) -> ComputeLimits:
    a = limits.absolute
    return ComputeLimits(
        instances_used=_int(a.instances_used, 0),
        instances_max=_int(a.instances),
        cores_used=_int(a.total_cores_used, 0),
        cores_max=_int(a.total_cores),
        ram_used=_int(a.total_ram_used, 0),
        ram_max=_int(a.total_ram),
    )


@dataclass
class VolumeLimits:
    """The project's Cinder figures a launch onto new volumes is checked against (max -1: unlimited)."""

    volumes_used: int = 0
    volumes_max: int = UNLIMITED
    gigabytes_used: int = 0
    gigabytes_max: int = UNLIMITED


def volume_limits_from(limits: Any) -> VolumeLimits:
    a = limits.absolute
    return VolumeLimits(
        volumes_used=_int(a.total_volumes_used, 0),
        volumes_max=_int(a.max_total_volumes),
        gigabytes_used=_int(a.total_gigabytes_used, 0),
        gigabytes_max=_int(a.max_total_volume_gigabytes),
    )


@translated("compute")
def keypairs(conn: Connection) -> list[KeyPair]:
    """The user's key pairs, by name."""
    return sorted((keypair_from(k) for k in conn.compute.keypairs()), key=lambda k: k.name)


@translated("compute")
def availability_zones(conn: Connection) -> list[str]:
    """The names of the zones that are up, sorted."""
    return sorted(z.name for z in conn.compute.availability_zones() if (z.state or {}).get("available", True))


@translated("compute")
def server_groups(conn: Connection) -> list[ServerGroup]:
    return [server_group_from(g) for g in conn.compute.server_groups()]


@translated("compute")
def compute_limits(conn: Connection) -> ComputeLimits:
    return compute_limits_from(conn.compute.get_limits())


@translated("volume")
def volume_limits(conn: Connection) -> VolumeLimits:
    return volume_limits_from(conn.block_storage.get_limits())


# --- the page's choices -------------------------------------------------------------------------


# the choices a launch page shows after it loads (launch_extras): the sources other than images, the
# key pairs, zones and server groups (three of Nova's five calls: this devcloud's Nova API serves
# two requests at a time), the security groups (Neutron's slowest listing, rules or not) and the free
# ports (hundreds in a busy project): the page itself asks Neutron once, for the networks
EXTRAS = ("volumes", "snapshots", "keypairs", "zones", "server_groups", "security_groups", "ports")


def _extra_calls(conn: Connection, project_id: str) -> dict:
    return {
        "security_groups": lambda: network.security_groups(conn, project_id),
        "volumes": lambda: volumes.bootable_volumes(conn),
        "snapshots": lambda: volumes.available_snapshots(conn),
        "keypairs": lambda: keypairs(conn),
        "zones": lambda: availability_zones(conn),
        "server_groups": lambda: server_groups(conn),
        # a port already bound to an instance or a router cannot be given to a new instance
        "ports": lambda: network.free_ports(conn, project_id),
    }


@translated("compute")
def launch_choices(
    conn: Connection,
    project_id: str,
    source: Source | None = None,
    extras: bool = True,
    sees_every_project: bool = True,
) -> dict[str, Any]:
    """The launch form's choices: a fixed set of at most 13 calls made at once, whatever the project
    holds (5 with `extras=False` for a member: the page, whose EXTRAS come as empty lists and follow
    from `launch_extras`). `sees_every_project` (an administrator) costs one call more: the
    networks are then asked for as the project's own and the shared ones (network.launch_networks).

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
        "images": lambda: images.active_images(conn, project_id),
        "flavors": lambda: instances.flavors(conn),
        "networks": lambda: network.launch_networks(conn, project_id, sees_every_project),
        "compute_limits": lambda: compute_limits(conn),
        "volume_limits": lambda: volume_limits(conn),
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
def launch_extras(conn: Connection, project_id: str) -> dict[str, Any]:
    """The EXTRAS of the launch form, 7 calls at once, each a CloudError instead when it fails
    (the page keeps its placeholders for that part and says why)."""
    return concurrently(_extra_calls(conn, project_id), optional=EXTRAS)


# --- the chosen source and what it asks of a flavor ---------------------------------------------


@dataclass
class Source:
    """What the instance boots from, as the user chose it."""

    kind: str
    id: str
    volume_size: int | None = None  # GiB of the new volume (image→volume, snapshot→volume)
    delete_on_termination: bool = False

    @property
    def makes_volume(self) -> bool:
        return self.kind in (SOURCE_IMAGE_TO_VOLUME, SOURCE_SNAPSHOT)

    @property
    def boots_from_volume(self) -> bool:
        return self.kind != SOURCE_IMAGE


@dataclass
class SourceNeeds:
    """What a boot source asks of the flavor and of a new volume."""

    name: str = ""
    min_ram: int = 0  # MiB
    min_disk: int = 0  # GiB
    size_gib: int = 0  # the image's or snapshot's size, rounded up


def source_needs(source: Source, obj: Image | Volume | Snapshot | None) -> SourceNeeds:
    """Read min RAM / min disk / size from the image, volume or snapshot the user chose.

    A volume made from an image keeps that image's minimums (Cinder's volume_image_metadata); a
    snapshot carries none, only its size.
    """
    if obj is None:
        return SourceNeeds()
    if source.kind in (SOURCE_IMAGE, SOURCE_IMAGE_TO_VOLUME):
        return SourceNeeds(
            name=obj.name or obj.id,
            min_ram=int(obj.min_ram or 0),
            min_disk=int(obj.min_disk or 0),
            size_gib=math.ceil((obj.size or 0) / GIB),
        )
    meta = obj.image_metadata if isinstance(obj, Volume) else {}
    return SourceNeeds(
        name=obj.name or obj.id,
        min_ram=int(meta.get("min_ram") or 0),
        min_disk=int(meta.get("min_disk") or 0),
        size_gib=int(obj.size or 0),
    )


def volume_size_problem(source: Source, needs: SourceNeeds) -> str | None:
    """Why the new volume's size cannot hold the source, if it cannot."""
    if not source.makes_volume or source.volume_size is None:
        return None
    smallest = max(needs.min_disk, needs.size_gib, 1)
    if source.volume_size < smallest:
        return gettext("%(name)s needs a volume of at least %(size)s GiB.") % {
            "name": needs.name or gettext("The source"),
            "size": smallest,
        }
    return None


def flavor_fit_problem(flavor: Flavor, source: Source | None, needs: SourceNeeds) -> str | None:
    """Why a flavor cannot boot this source, in words; None when it can."""
    if source is None:
        return None
    if needs.min_ram and flavor.ram < needs.min_ram:
        return gettext("%(name)s needs at least %(ram)s MiB of RAM") % {"name": needs.name, "ram": needs.min_ram}
    if source.kind == SOURCE_IMAGE:
        if needs.min_disk and flavor.disk < needs.min_disk:
            return gettext("%(name)s needs a root disk of at least %(size)s GiB") % {
                "name": needs.name,
                "size": needs.min_disk,
            }
        if needs.size_gib and flavor.disk and flavor.disk < needs.size_gib:
            return gettext("%(name)s is larger (%(size)s GiB) than this flavor's disk") % {
                "name": needs.name,
                "size": needs.size_gib,
            }
        if flavor.disk == 0:
            return gettext("a flavor without a root disk can only boot from a volume")
    return None


# --- quotas -------------------------------------------------------------------------------------


@dataclass
class QuotaLine:
    key: str
    label: str
    used: int
    limit: int  # -1: unlimited
    adds: int = 0
    unit: str = ""

    @property
    def unlimited(self) -> bool:
        return self.limit == UNLIMITED

    @property
    def remaining(self) -> int | None:
        return None if self.unlimited else max(0, self.limit - self.used)

    @property
    def over(self) -> bool:
        return not self.unlimited and self.used + self.adds > self.limit

    @property
    def used_percent(self) -> int:
        if self.unlimited or self.limit <= 0:
            return 0
        return min(100, round(100 * self.used / self.limit))

    @property
    def adds_percent(self) -> int:
        if self.unlimited or self.limit <= 0:
            return 0
        return max(0, min(100 - self.used_percent, round(100 * self.adds / self.limit)))

    def refusal(self) -> str:
        values = {
            "label": self.label,
            "adds": f"{self.adds}{self.unit}",
            "left": f"{self.remaining}{self.unit}",
            "limit": f"{self.limit}{self.unit}",
            "used": f"{self.used}{self.unit}",
        }
        if self.remaining == 0:
            return (
                gettext(
                    "%(label)s: this launch needs %(adds)s but none of the project's %(limit)s remain "
                    "(%(used)s in use)."
                )
                % values
            )
        return (
            gettext(
                "%(label)s: this launch needs %(adds)s but only %(left)s of the project's %(limit)s remain "
                "(%(used)s in use)."
            )
            % values
        )


@dataclass
class Demand:
    """What one launch adds to the project's usage."""

    instances: int = 0
    cores: int = 0
    ram: int = 0
    volumes: int = 0
    gigabytes: int = 0


def demand_of(count: int, flavor: Flavor | None, source: Source | None) -> Demand:
    count = max(count, 0)
    demand = Demand(instances=count)
    if flavor is not None:
        demand.cores = flavor.vcpus * count
        demand.ram = flavor.ram * count
    if source is not None and source.makes_volume and source.volume_size:
        demand.volumes = count
        demand.gigabytes = source.volume_size * count
    return demand


# limits as a launch holds them: None or a CloudError when they could not be read (then not shown)
MaybeComputeLimits = ComputeLimits | CloudError | None
MaybeVolumeLimits = VolumeLimits | CloudError | None


def quota_lines(
    compute_limits: MaybeComputeLimits, volume_limits: MaybeVolumeLimits, demand: Demand
) -> list[QuotaLine]:
    """Used / limit / what this launch adds for instances, vCPUs, RAM, volumes and gigabytes."""
    lines = []
    if compute_limits is not None and not isinstance(compute_limits, Exception):
        c = compute_limits
        lines += [
            QuotaLine("instances", _("Instances"), c.instances_used, c.instances_max, demand.instances),
            QuotaLine("cores", _("vCPUs"), c.cores_used, c.cores_max, demand.cores),
            QuotaLine("ram", _("RAM"), c.ram_used, c.ram_max, demand.ram, format_lazy(" {}", _("MiB"))),
        ]
    if volume_limits is not None and not isinstance(volume_limits, Exception):
        v = volume_limits
        lines += [
            QuotaLine("volumes", _("Volumes"), v.volumes_used, v.volumes_max, demand.volumes),
            QuotaLine(
                "gigabytes",
                _("Volume storage"),
                v.gigabytes_used,
                v.gigabytes_max,
                demand.gigabytes,
                format_lazy(" {}", _("GiB")),
            ),
        ]
    return lines


def quota_fit_problem(
    flavor: Flavor,
    count: int,
    source: Source | None,
    compute_limits: MaybeComputeLimits,
    volume_limits: MaybeVolumeLimits,
) -> str | None:
    """Why this flavor (at this count) would go over quota, if it would."""
    for line in quota_lines(compute_limits, volume_limits, demand_of(count, flavor, source)):
        if line.key in ("cores", "ram", "instances") and line.over:
            return gettext("over quota: %(what)s (%(left)s left)") % {
                "what": str(line.label).lower(),
                "left": f"{line.remaining}{line.unit}",
            }
    return None


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
    return lambda: volumes.get_snapshot(conn, source.id)


def context_from_choices(choices: dict[str, Any], source: Source | None) -> LaunchContext:
    """The launch context out of what `launch_choices` already read (no further call)."""
    source_obj = choices.get("source")
    return LaunchContext(
        flavors=choices["flavors"],
        compute_limits=choices["compute_limits"],
        volume_limits=choices["volume_limits"],
        source_obj=source_obj,
        needs=source_needs(source, source_obj) if source else SourceNeeds(),
    )


@translated("compute")
def launch_context(conn: Connection, source: Source | None) -> LaunchContext:
    """Limits, flavors and the chosen source, read at once (4 calls, 3 without a source)."""
    calls = {
        "flavors": lambda: instances.flavors(conn),
        "compute_limits": lambda: compute_limits(conn),
        "volume_limits": lambda: volume_limits(conn),
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


@translated("compute", what=_("The launch"))
def launch_instance(conn: Connection, spec: LaunchSpec) -> Launched:
    """Ask Nova for the instance(s); Nova's refusal comes out as a CloudError in its words."""
    server = conn.compute.create_server(**server_request(spec))
    return Launched(id=server.id, name=server.name or spec.name)


# --- key pairs ----------------------------------------------------------------------------------


def new_ssh_keypair(comment: str) -> tuple[str, str]:
    """A fresh ed25519 key pair made here: (OpenSSH public key, OpenSSH private key PEM).

    Generated by Zenith rather than by Nova so that the private key travels no further than the
    user's one download.
    """
    key = ed25519.Ed25519PrivateKey.generate()
    private = key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.OpenSSH, serialization.NoEncryption()
    ).decode("ascii")
    public = key.public_key().public_bytes(serialization.Encoding.OpenSSH, serialization.PublicFormat.OpenSSH)
    return f"{public.decode('ascii')} {comment}", private


@translated("compute", what=_("The key pair"))
def import_keypair(conn: Connection, name: str, public_key: str) -> KeyPair:
    """Give Nova a public key under a name (Zenith's own new one, or the user's)."""
    return keypair_from(conn.compute.create_keypair(name=name, public_key=public_key))


@translated("compute", what="The key pair")
def delete_keypair(conn: Connection, name: str) -> None:
    conn.compute.delete_keypair(name, ignore_missing=False)
