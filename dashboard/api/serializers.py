"""JSON shapes of the API: plain views of the cloud layer's objects (never SDK objects, never tokens)."""

from dataclasses import asdict


def instance_json(inst) -> dict:
    data = asdict(inst)
    for key in ("created_at", "updated_at"):
        data[key] = data[key].isoformat() if data[key] else None
    data["status_words"] = inst.status_words
    data["task_words"] = inst.task_words
    return data


def project_usage_json(usage, name: str) -> dict:
    return {
        "project_id": usage.project_id,
        "project_name": name,
        "instance_hours": round(usage.instance_hours, 4),
        "vcpu_hours": round(usage.vcpu_hours, 4),
        "ram_gb_hours": round(usage.ram_gb_hours, 4),
        "disk_gb_hours": round(usage.disk_gb_hours, 4),
        "instances": len(usage.servers),
    }


def hypervisor_json(h) -> dict:
    return {
        "id": h.id,
        "hostname": h.hostname,
        "state": h.state,
        "status": h.status,
        "type": h.hypervisor_type,
        "instances": h.instances,
        "resources": {rc: {"used": r.used, "capacity": r.capacity} for rc, r in h.resources.items()},
    }
