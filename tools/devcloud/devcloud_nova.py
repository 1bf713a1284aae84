"""Nova's fake hypervisor, made a little more lifelike for a local test cloud. It runs no guests.

Instance diagnostics change over time (CPU time grows, load and memory move), so a dashboard that
samples them has something to show; the VNC console points at 127.0.0.1:5900, where any VNC server
(e.g. Xvfb + x11vnc) may run. Nova loads compute drivers from the nova.virt namespace only, so the
process that starts nova-compute registers this module as nova.virt.devcloud_nova first.

It also makes Nova's resource tracker read placement allocations only when it uses them (gotcha 15
in NOTES.md): Nova 26 (Zed) asks placement for the allocations of every instance on the host at
each claim, delete and periodic update, and uses them only for a reshape or PCI devices tracked in
placement, neither of which happens here. With N instances on the host each claim cost N requests.
"""

import math
import time
from collections.abc import Mapping

from nova.compute import power_state
from nova.console import type as ctype
from nova.objects import diagnostics as diagnostics_obj
from nova.scheduler.client import report
from nova.virt import fake


class LazyAllocations(Mapping):
    """The allocations of a provider tree, read from placement the first time they are looked at."""

    def __init__(self, load):
        self._load = load
        self._loaded = None

    def _data(self):
        if self._loaded is None:
            self._loaded = self._load()
        return self._loaded

    def __getitem__(self, consumer):
        return self._data()[consumer]

    def __iter__(self):
        return iter(self._data())

    def __len__(self):
        return len(self._data())


_eager_allocations = report.SchedulerReportClient.get_allocations_for_provider_tree


def _lazy_allocations(self, context, nodename):
    return LazyAllocations(lambda: _eager_allocations(self, context, nodename))


# its only caller is ResourceTracker._update_to_placement
report.SchedulerReportClient.get_allocations_for_provider_tree = _lazy_allocations


class DevcloudComputeDriver(fake.FakeDriver):
    def get_info(self, instance, use_cache=True):
        if instance.uuid not in self.instances and instance.vm_state in ("active", "stopped", "paused", "suspended"):
            # a restarted nova-compute forgets its fake guests: adopt those Nova still has
            state = power_state.RUNNING if instance.vm_state == "active" else power_state.SHUTDOWN
            self.instances[instance.uuid] = fake.FakeInstance(instance.name, state, instance.uuid)
        return super().get_info(instance, use_cache)

    def get_vnc_console(self, context, instance):
        return ctype.ConsoleVNC(host="127.0.0.1", port=5900)

    def get_instance_diagnostics(self, instance):
        running = self.instances.get(instance.uuid)
        state = "running" if running and running.state == power_state.RUNNING else "shutdown"
        now = time.time()
        launched = instance.launched_at.timestamp() if instance.launched_at else now
        uptime = max(0, int(now - launched))
        # a slow wave per instance, so two instances do not move in step
        phase = (int(instance.uuid[:8], 16) % 628) / 100.0
        load = 0 if state != "running" else int(35 + 30 * math.sin(now / 60.0 + phase))
        memory_kb = instance.flavor.memory_mb * 1024
        diags = diagnostics_obj.Diagnostics(
            state=state,
            driver="libvirt",
            hypervisor="qemu",
            hypervisor_os="linux",  # enum fields: no "fake"
            uptime=uptime,
            config_drive=False,
        )
        diags.add_cpu(id=0, time=uptime * 10**9 * load // 100, utilisation=load)
        diags.add_nic(
            mac_address="fa:16:3e:00:00:01",
            rx_octets=uptime * 2048,
            rx_packets=uptime * 16,
            tx_octets=uptime * 1024,
            tx_packets=uptime * 8,
            rx_errors=0,
            rx_drop=0,
            tx_errors=0,
            tx_drop=0,
            rx_rate=None,
            tx_rate=None,
        )
        diags.add_disk(
            read_bytes=uptime * 4096,
            read_requests=uptime,
            write_bytes=uptime * 8192,
            write_requests=uptime * 2,
            errors_count=0,
        )
        diags.memory_details = diagnostics_obj.MemoryDiagnostics(
            maximum=memory_kb, used=memory_kb * (20 + load // 2) // 100
        )
        return diags
