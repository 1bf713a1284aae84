"""Everything the launch page needs from the cloud, the rules a launch must pass, and the create call.

The page's choices come from one fixed set of concurrent calls (`launch_choices`); a launch (or its
live preview) reads the limits, the flavors and the chosen boot source (`launch_context`), checks
the flavor and the quotas here, before Nova is asked, and then sends one create request.
"""

from __future__ import annotations

import base64
import math
from dataclasses import dataclass, field
from typing import Any

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ed25519
from openstack.connection import Connection

from .calls import call, concurrently

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
    (SOURCE_IMAGE, "Image"),
    (SOURCE_IMAGE_TO_VOLUME, "Image, on a new volume"),
    (SOURCE_VOLUME, "Bootable volume"),
    (SOURCE_SNAPSHOT, "Volume snapshot"),
]


# --- the page's choices -------------------------------------------------------------------------


def launch_choices(conn: Connection, project_id: str, source: Source | None = None) -> dict[str, Any]:
    """The launch form's choices: a fixed set of calls made at once, whatever the project holds.

    Optional parts (Cinder, server groups, availability zones) come back as a CloudError so the
    page can still offer the rest. With a `source` (a submitted launch) the chosen image, volume or
    snapshot is read in the same round, as "source" (None when it cannot be read).
    """
    calls = {
        "images": lambda: conn.image.images(status="active"),
        "volumes": lambda: conn.block_storage.volumes(details=True, status="available"),
        "snapshots": lambda: conn.block_storage.snapshots(details=True, status="available"),
        "flavors": lambda: conn.compute.flavors(details=True),
        "own_networks": lambda: conn.network.networks(project_id=project_id),
        "shared_networks": lambda: conn.network.networks(is_shared=True),
        "ports": lambda: conn.network.ports(project_id=project_id, device_owner=""),
        "security_groups": lambda: conn.network.security_groups(project_id=project_id),
        "keypairs": lambda: conn.compute.keypairs(),
        "zones": lambda: conn.compute.availability_zones(),
        "server_groups": lambda: conn.compute.server_groups(),
        "compute_limits": lambda: conn.compute.get_limits(),
        "volume_limits": lambda: conn.block_storage.get_limits(),
    }
    services = {name: "compute" for name in calls}
    services.update(
        images="image",
        volumes="volume",
        snapshots="volume",
        volume_limits="volume",
        own_networks="network",
        shared_networks="network",
        ports="network",
        security_groups="network",
    )
    optional = ("volumes", "snapshots", "volume_limits", "zones", "server_groups", "ports", "source")
    if source is not None and source.id:
        calls["source"], services["source"] = _source_getter(conn, source)
    data = concurrently(calls, services=services, optional=optional)
    if isinstance(data.get("source"), Exception):
        data["source"] = None
    networks = {n.id: n for n in data.pop("own_networks")}
    for net in data.pop("shared_networks"):
        networks.setdefault(net.id, net)
    data["networks"] = sorted(networks.values(), key=lambda n: ((n.name or "").lower(), n.id))
    # a port already bound to an instance or a router cannot be given to a new instance
    data["ports"] = _free_ports(data["ports"])
    data["volumes"] = _bootable(data["volumes"])
    # Glance shows administrators other projects' private images too; a launch offers only this
    # project's own images and those published or shared to it
    images = [i for i in data["images"] if i.owner_id == project_id or i.visibility != "private"]
    data["images"] = sorted(images, key=lambda i: ((i.name or "").lower(), i.id))
    data["flavors"] = sorted(data["flavors"], key=lambda f: (f.vcpus, f.ram, f.disk, f.name))
    data["keypairs"] = sorted(data["keypairs"], key=lambda k: k.name)
    if not isinstance(data["zones"], Exception):
        data["zones"] = sorted(z.name for z in data["zones"] if (z.state or {}).get("available", True))
    return data


def _free_ports(ports: Any) -> Any:
    if isinstance(ports, Exception):
        return ports
    return [p for p in ports if not p.device_id and not p.device_owner]


def _bootable(volumes: Any) -> Any:
    if isinstance(volumes, Exception):
        return volumes
    return [v for v in volumes if str(v.is_bootable).lower() == "true" and not v.attachments]


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


def source_needs(source: Source, obj: Any) -> SourceNeeds:
    """Read min RAM / min disk / size from the image, volume or snapshot the user chose."""
    if obj is None:
        return SourceNeeds()
    if source.kind in (SOURCE_IMAGE, SOURCE_IMAGE_TO_VOLUME):
        return SourceNeeds(
            name=obj.name or obj.id,
            min_ram=int(obj.min_ram or 0),
            min_disk=int(obj.min_disk or 0),
            size_gib=math.ceil((obj.size or 0) / GIB),
        )
    meta = getattr(obj, "volume_image_metadata", None) or {}
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
        return f"{needs.name or 'The source'} needs a volume of at least {smallest} GiB."
    return None


def flavor_fit_problem(flavor: Any, source: Source | None, needs: SourceNeeds) -> str | None:
    """Why a flavor cannot boot this source, in words; None when it can."""
    if source is None:
        return None
    if needs.min_ram and flavor.ram < needs.min_ram:
        return f"{needs.name} needs at least {needs.min_ram} MiB of RAM"
    if source.kind == SOURCE_IMAGE:
        if needs.min_disk and flavor.disk < needs.min_disk:
            return f"{needs.name} needs a root disk of at least {needs.min_disk} GiB"
        if needs.size_gib and flavor.disk and flavor.disk < needs.size_gib:
            return f"{needs.name} is larger ({needs.size_gib} GiB) than this flavor's disk"
        if flavor.disk == 0:
            return "a flavor without a root disk can only boot from a volume"
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
        have = "none" if self.remaining == 0 else f"only {self.remaining}{self.unit}"
        return (
            f"{self.label}: this launch needs {self.adds}{self.unit} but {have} of the project's "
            f"{self.limit}{self.unit} remain ({self.used}{self.unit} in use)."
        )


@dataclass
class Demand:
    """What one launch adds to the project's usage."""

    instances: int = 0
    cores: int = 0
    ram: int = 0
    volumes: int = 0
    gigabytes: int = 0


def demand_of(count: int, flavor: Any | None, source: Source | None) -> Demand:
    count = max(count, 0)
    demand = Demand(instances=count)
    if flavor is not None:
        demand.cores = flavor.vcpus * count
        demand.ram = flavor.ram * count
    if source is not None and source.makes_volume and source.volume_size:
        demand.volumes = count
        demand.gigabytes = source.volume_size * count
    return demand


def _int(value: Any, default: int = UNLIMITED) -> int:
    try:
        return int(value)
    except (TypeError, ValueError):
        return default


def quota_lines(compute_limits: Any, volume_limits: Any, demand: Demand) -> list[QuotaLine]:
    """Used / limit / what this launch adds for instances, vCPUs, RAM, volumes and gigabytes."""
    lines = []
    if compute_limits is not None and not isinstance(compute_limits, Exception):
        a = compute_limits.absolute
        lines += [
            QuotaLine("instances", "Instances", _int(a.instances_used, 0), _int(a.instances), demand.instances),
            QuotaLine("cores", "vCPUs", _int(a.total_cores_used, 0), _int(a.total_cores), demand.cores),
            QuotaLine("ram", "RAM", _int(a.total_ram_used, 0), _int(a.total_ram), demand.ram, " MiB"),
        ]
    if volume_limits is not None and not isinstance(volume_limits, Exception):
        a = volume_limits.absolute
        lines += [
            QuotaLine("volumes", "Volumes", _int(a.total_volumes_used, 0), _int(a.max_total_volumes), demand.volumes),
            QuotaLine(
                "gigabytes",
                "Volume storage",
                _int(a.total_gigabytes_used, 0),
                _int(a.max_total_volume_gigabytes),
                demand.gigabytes,
                " GiB",
            ),
        ]
    return lines


def quota_fit_problem(flavor: Any, count: int, source: Source | None, compute_limits: Any, volume_limits: Any):
    """Why this flavor (at this count) would go over quota, if it would."""
    for line in quota_lines(compute_limits, volume_limits, demand_of(count, flavor, source)):
        if line.key in ("cores", "ram", "instances") and line.over:
            return f"over quota: {line.label.lower()} ({line.remaining}{line.unit} left)"
    return None


# --- what a launch (or its preview) reads --------------------------------------------------------


@dataclass
class LaunchContext:
    flavors: list[Any]
    compute_limits: Any
    volume_limits: Any
    source_obj: Any = None
    needs: SourceNeeds = field(default_factory=SourceNeeds)

    def flavor(self, flavor_id: str) -> Any | None:
        return next((f for f in self.flavors if f.id == flavor_id), None)


def _source_getter(conn: Connection, source: Source):
    if source.kind in (SOURCE_IMAGE, SOURCE_IMAGE_TO_VOLUME):
        return lambda: conn.image.get_image(source.id), "image"
    if source.kind == SOURCE_VOLUME:
        return lambda: conn.block_storage.get_volume(source.id), "volume"
    return lambda: conn.block_storage.get_snapshot(source.id), "volume"


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


def launch_context(conn: Connection, source: Source | None) -> LaunchContext:
    """Limits, flavors and the chosen source, read at once (4 calls, 3 without a source)."""
    calls = {
        "flavors": lambda: conn.compute.flavors(details=True),
        "compute_limits": lambda: conn.compute.get_limits(),
        "volume_limits": lambda: conn.block_storage.get_limits(),
    }
    services = {"flavors": "compute", "compute_limits": "compute", "volume_limits": "volume"}
    if source is not None and source.id:
        calls["source"], services["source"] = _source_getter(conn, source)
    data = concurrently(calls, services=services, optional=("volume_limits", "source"))
    source_obj = data.get("source")
    if isinstance(source_obj, Exception):
        source_obj = None
    flavors = sorted(data["flavors"], key=lambda f: (f.vcpus, f.ram, f.disk, f.name))
    return LaunchContext(
        flavors=flavors,
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


def launch_instance(conn: Connection, spec: LaunchSpec) -> Any:
    """Ask Nova for the instance(s); Nova's refusal comes out as a CloudError in its words."""
    attrs = server_request(spec)
    return call(lambda: conn.compute.create_server(**attrs), service="compute", what="The launch")


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


def keypairs(conn: Connection) -> list[Any]:
    return sorted(call(lambda: conn.compute.keypairs(), service="compute"), key=lambda k: k.name)


def import_keypair(conn: Connection, name: str, public_key: str) -> Any:
    return call(
        lambda: conn.compute.create_keypair(name=name, public_key=public_key),
        service="compute",
        what=f"Key pair {name}",
    )
