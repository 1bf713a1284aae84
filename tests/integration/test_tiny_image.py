"""The devcloud's tiny guest (tools/devcloud/tiny-image) boots in qemu and talks on its serial console.

Does not need the devcloud: it builds the kernel/ramdisk pair from Debian packages (kept in
var/tiny-image between runs, rebuilt when the packages or the script change) and boots it in
qemu-system-x86_64 for a few seconds, as Nova's libvirt driver would: kernel, ramdisk and command
line given to qemu, a virtio balloon, the scratch disk on virtio, a VGA card, no network. Checks the
serial console (the kernel's boot, the banner, a status line), the balloon's memory statistics and
the ACPI power button (Nova's soft stop), through qemu's QMP socket.

qemu runs with TCG by default: this machine's /dev/kvm is PVM (kvm_pvm), which boots only kernels
built as PVM guests, and Debian's kernel stalls in its decompressor there (NOTES.md gotcha 17).
TINY_IMAGE_ACCEL=kvm boots with KVM on a machine with hardware virtualisation.
"""

import json
import os
import re
import shutil
import socket
import subprocess
import time
from pathlib import Path

import pytest

from tests.helpers import wait_for

pytestmark = pytest.mark.integration

ROOT = Path(__file__).resolve().parents[2]
SCRIPT = ROOT / "tools" / "devcloud" / "tiny-image"
CACHE = ROOT / "var" / "tiny-image"
QEMU = "qemu-system-x86_64"

BANNER = re.compile(r"Zenith devcloud tiny guest: booted in [\d.]+ s")
STATUS = re.compile(
    r"\[tiny-guest\] status: up [\d.]+ s, load .*, memory \d+/\d+ MiB available, \d+ KiB written to /dev/vda"
)


@pytest.fixture(scope="module")
def image() -> dict[str, str]:
    """The tiny guest's files: kernel=, ramdisk=, disk=, cmdline= as the script prints them."""
    for program, package in ((QEMU, "qemu-system-x86"), ("qemu-img", "qemu-utils")):
        if shutil.which(program) is None:
            pytest.fail(f"{program} is not installed: run `make system-deps` (Debian package {package})")
    done = subprocess.run([str(SCRIPT), str(CACHE)], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    paths = dict(line.split("=", 1) for line in done.stdout.splitlines())
    assert set(paths) == {"kernel", "ramdisk", "disk", "cmdline"}
    return paths


class Qmp:
    """qemu's machine protocol (QMP) on its Unix socket: a command in, its answer out."""

    def __init__(self, path: Path):
        self.sock = socket.socket(socket.AF_UNIX)
        self.sock.settimeout(10)
        self.sock.connect(str(path))
        self.file = self.sock.makefile("rw")
        json.loads(self.file.readline())  # the greeting
        self.command("qmp_capabilities")

    def command(self, name: str, **arguments):
        self.file.write(json.dumps({"execute": name, "arguments": arguments}) + "\n")
        self.file.flush()
        while True:
            reply = json.loads(self.file.readline())
            if "error" in reply:
                pytest.fail(f"qemu refused {name}: {reply['error']}")
            if "return" in reply:  # anything else is an event (the power button, the shutdown)
                return reply["return"]

    def close(self) -> None:
        self.file.close()
        self.sock.close()


def test_tiny_guest_boots_reports_and_powers_off(image, tmp_path):
    disk = tmp_path / "disk.qcow2"
    # a copy-on-write layer over the scratch disk, as Nova gives an instance its root disk
    subprocess.run(
        ["qemu-img", "create", "-q", "-f", "qcow2", "-b", image["disk"], "-F", "raw", str(disk), "64M"],
        check=True,
    )
    serial, sock = tmp_path / "serial.log", tmp_path / "qmp.sock"
    accel = os.environ.get("TINY_IMAGE_ACCEL", "tcg")
    qemu = subprocess.Popen(
        [
            QEMU, "-accel", accel, "-m", "128", "-display", "none", "-nic", "none",
            "-kernel", image["kernel"], "-initrd", image["ramdisk"], "-append", image["cmdline"],
            "-device", "virtio-vga", "-device", "virtio-balloon-pci,id=balloon0",
            "-drive", f"file={disk},if=virtio",
            "-serial", f"file:{serial}", "-qmp", f"unix:{sock},server,nowait",
        ],
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
    )  # fmt: skip

    def log() -> str:
        return serial.read_text(errors="replace") if serial.exists() else ""

    try:
        started = time.monotonic()
        wait_for(lambda: BANNER.search(log()), "the boot banner on the serial console", timeout=30, every=0.2)
        boot_seconds = time.monotonic() - started
        # the kernel's own boot messages come first: the console log is a real boot
        assert "Linux version" in log().split("Zenith devcloud tiny guest")[0]
        # the lines after the banner: the balloon driver loaded, the scratch disk found
        wait_for(lambda: "disk writes go to: /dev/vda" in log(), "the scratch disk's line", timeout=10, every=0.2)
        assert "balloon: virtio_balloon" in log()
        wait_for(lambda: STATUS.search(log()), "a status line on the serial console", timeout=10, every=0.2)
        print(f"banner after {boot_seconds:.1f} s ({accel})")

        qmp = Qmp(sock)
        # the balloon driver reports the guest's memory, as libvirt asks it every 10 s for Nova
        balloon = "/machine/peripheral/balloon0"
        qmp.command("qom-set", path=balloon, property="guest-stats-polling-interval", value=1)

        def memory_stats():
            """The guest's last report, once there is one (qemu shows -1 for a figure never sent)."""
            answer = qmp.command("qom-get", path=balloon, property="guest-stats")
            return answer["stats"] if answer["last-update"] else None

        stats = wait_for(memory_stats, "memory statistics from the guest's balloon driver", timeout=10, every=0.5)
        assert 32 << 20 < stats["stat-total-memory"] <= 128 << 20
        assert 0 < stats["stat-available-memory"] < stats["stat-total-memory"]

        # a soft stop (ACPI power button, what Nova sends first) powers the guest off
        qmp.command("system_powerdown")
        wait_for(lambda: qemu.poll() is not None, "qemu to exit after the power button", timeout=10, every=0.2)
        qmp.close()
        assert "power button, powering off" in log()
    finally:
        if qemu.poll() is None:
            qemu.kill()
        output = qemu.communicate(timeout=10)[0]
    assert qemu.returncode == 0, output
