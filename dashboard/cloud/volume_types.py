"""What a new volume can be made with (Cinder): volume types, QoS specs, availability zones, and the
project's volume limits a new volume is checked against (`quota_problem`). One call each.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from .calls import raw_json, translated
from .identity import PROJECT_NOT_FOUND
from .volumes import MICROVERSION


@dataclass
class VolumeType:
    id: str
    name: str
    description: str = ""
    is_public: bool = True
    extra_specs: dict[str, str] = field(default_factory=dict)
    qos_specs_id: str = ""


def type_from_json(t: dict) -> VolumeType:
    return VolumeType(
        id=t["id"],
        name=t.get("name") or "",
        description=t.get("description") or "",
        is_public=bool(t.get("os-volume-type-access:is_public", t.get("is_public", True))),
        extra_specs=dict(t.get("extra_specs") or {}),
        qos_specs_id=t.get("qos_specs_id") or "",
    )


@translated("volume")
def list_volume_types(conn) -> list[VolumeType]:
    """The volume types the project may use (an admin sees every type, with extra specs)."""
    found = raw_json(conn, "volume", "/types", params={"is_public": "None"}, microversion=MICROVERSION)
    return sorted((type_from_json(t) for t in found.get("volume_types") or []), key=lambda t: t.name.lower())


@dataclass
class QosSpec:
    id: str
    name: str
    consumer: str = ""
    specs: dict[str, str] = field(default_factory=dict)


@translated("volume")
def list_qos_specs(conn) -> list[QosSpec]:
    """QoS specs (admin only)."""
    found = raw_json(conn, "volume", "/qos-specs", microversion=MICROVERSION).get("qos_specs") or []
    return [QosSpec(q["id"], q.get("name") or "", q.get("consumer") or "", dict(q.get("specs") or {})) for q in found]


@translated("volume")
def list_availability_zones(conn) -> list[str]:
    found = raw_json(conn, "volume", "/os-availability-zone", microversion=MICROVERSION)
    return sorted(
        z["zoneName"] for z in found.get("availabilityZoneInfo") or [] if (z.get("zoneState") or {}).get("available")
    )


@dataclass
class Limit:
    limit: int  # -1: unlimited
    in_use: int = 0

    @property
    def left(self) -> int | None:
        return None if self.limit < 0 else max(0, self.limit - self.in_use)


@translated("volume", not_found=PROJECT_NOT_FOUND)
def get_volume_quota_set(conn, project_id: str) -> dict[str, Limit]:
    """The project's Cinder quotas with usage: volumes, gigabytes, snapshots, backups and the
    per-type ones ("volumes_<type>", "gigabytes_<type>"); one request."""
    body = raw_json(conn, "volume", f"/os-quota-sets/{project_id}", params={"usage": "True"})["quota_set"]
    return {
        key: Limit(int(value.get("limit", -1)), int(value.get("in_use") or 0) + int(value.get("reserved") or 0))
        for key, value in body.items()
        if isinstance(value, dict)
    }


def quota_problem(limits: dict[str, Limit], size: int, volume_type: str = "", count: int = 1) -> str:
    """Why a new volume of `size` GiB (of `volume_type`) would go over quota, or "" if it fits."""
    checks = [("volumes", count, _("volumes")), ("gigabytes", size * count, _("GiB of volume storage"))]
    if volume_type:
        checks += [
            (f"volumes_{volume_type}", count, _("volumes of type %(type)s") % {"type": volume_type}),
            (
                f"gigabytes_{volume_type}",
                size * count,
                _("GiB of type %(type)s") % {"type": volume_type},
            ),
        ]
    for key, wanted, words in checks:
        limit = limits.get(key)
        if limit is None or limit.left is None:
            continue
        if wanted > limit.left:
            return _("Over quota: %(wanted)s %(words)s asked, %(left)s left (limit %(limit)s).") % {
                "wanted": wanted,
                "words": words,
                "left": limit.left,
                "limit": limit.limit,
            }
    return ""
