"""The rules a launch must pass before Nova is asked: what the chosen boot source needs of a
flavor and of a new volume, and what the launch adds to the project's usage against its limits.

Pure: no call here (`launch` reads what they are checked against); the launch form, its live
preview and the API's launch give the same answers.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass

from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

from .errors import CloudError
from .flavors import Flavor
from .images import Image
from .quotas import UNLIMITED, ComputeLimits, VolumeLimits
from .snapshots import Snapshot
from .volumes import Volume

GIB = 1024**3

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
    unit: str = ""  # "MiB", "GiB": the figures are sizes in that unit; "": counts

    def figure(self, value: int | None, shown: Callable[[int, str], str] | None = None) -> str:
        """One of the line's figures in words: a count as it is; a size by `shown(value, unit)`
        (the web layer's size function, binary units in the language's symbols)."""
        if not self.unit or value is None:
            return str(value)
        return shown(value, self.unit) if shown else f"{value} {self.unit}"

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

    def refusal(self, shown: Callable[[int, str], str] | None = None) -> str:
        values = {
            "label": self.label,
            "adds": self.figure(self.adds, shown),
            "left": self.figure(self.remaining, shown),
            "limit": self.figure(self.limit, shown),
            "used": self.figure(self.used, shown),
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
            QuotaLine("ram", _("RAM"), c.ram_used, c.ram_max, demand.ram, "MiB"),
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
                "GiB",
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
            return _over_quota(line.key, line.remaining)
    return None


def _over_quota(key: str, left: int) -> str:
    """One whole sentence per resource, naming it in words (never a label glued into a template)."""
    if left == 0:
        return {
            "cores": gettext("over the vCPU quota: no vCPU left"),
            "ram": gettext("over the RAM quota: no RAM left"),
        }.get(key) or gettext("over the instance quota: no instance left")
    if key == "cores":
        return ngettext(
            "over the vCPU quota: only %(left)d vCPU left", "over the vCPU quota: only %(left)d vCPUs left", left
        ) % {"left": left}
    if key == "ram":
        return gettext("over the RAM quota: only %(left)d MiB of RAM left") % {"left": left}
    return ngettext(
        "over the instance quota: only %(left)d instance left",
        "over the instance quota: only %(left)d instances left",
        left,
    ) % {"left": left}
