# shellcheck shell=bash
# The devcloud's real compute host (gotcha 18 in NOTES.md; README.md, "The real compute host"):
# sourced by `devcloud`, whose variables (DC, ETC, DATA, RUN, LOG, OUT, HERE, REAL_HOST, ...) and
# functions (say, die, fail, write_template, start_python, main_of, seed, rss_mb) it uses.
#
# nova-compute-real: Nova's libvirt driver on our own libvirtd (qemu:///system), host REAL_HOST,
# aggregate real-hosts in the availability zone `real`; its guests are the tiny image (tiny-image,
# uploaded by seed.py real) booted without a NIC. Nothing lands there unless asked: nova.conf's
# default_schedule_zone keeps the others in zone nova (aggregate fake-hosts: the fake host).

# gotcha 17: /dev/kvm is not enough (this machine's is PVM and cannot boot Debian's kernel): kvm
# only with hardware virtualisation in the CPU flags; DEVCLOUD_VIRT_TYPE=kvm|qemu overrides
real_virt_type() {
  if [ -n "${DEVCLOUD_VIRT_TYPE:-}" ]; then
    case $DEVCLOUD_VIRT_TYPE in kvm|qemu) echo "$DEVCLOUD_VIRT_TYPE" ;; *) die "DEVCLOUD_VIRT_TYPE is kvm or qemu" ;; esac
  elif [ -c /dev/kvm ] && grep -qwE 'vmx|svm' /proc/cpuinfo; then echo kvm
  else echo qemu; fi
}
# the virt_type the running configuration names
real_virt_type_configured() { sed -n 's/^virt_type = //p' "$ETC/nova/nova-real.conf" 2>/dev/null; }
# the guests may take REAL_GUEST_MB of the machine's memory in all (placement's view)
REAL_GUEST_MB=2048
write_real_configs() {
  local etc=$OUT/etc
  mkdir -p "$etc/libvirt"
  # read by template
  # shellcheck disable=SC2034
  local VIRT_TYPE CPU_MODE=none REAL_RESERVED_MB
  VIRT_TYPE=$(real_virt_type)
  # shellcheck disable=SC2034
  [ "$VIRT_TYPE" = kvm ] && CPU_MODE=host-passthrough
  # shellcheck disable=SC2034
  REAL_RESERVED_MB=$(awk -v g=$REAL_GUEST_MB '/^MemTotal:/ {m = int($2 / 1024) - g; print (m > 0 ? m : 0)}' /proc/meminfo)
  write_template nova-real.conf "$etc/nova/nova-real.conf"
  write_template libvirtd.conf "$etc/libvirt/libvirtd.conf"
  write_template virtlogd.conf "$etc/libvirt/virtlogd.conf"
  write_template qemu.conf "$etc/libvirt/qemu.conf"
}
# what libvirt needs outside $DC: its QEMU driver wants the user libvirt-qemu to exist even when
# qemu.conf names root (libvirt-daemon-system, not installed, would add it), and reads qemu.conf
# only from /etc/libvirt: a link to ours
libvirt_setup() {
  getent group libvirt-qemu >/dev/null || groupadd -r libvirt-qemu
  getent passwd libvirt-qemu >/dev/null ||
    useradd -r -g libvirt-qemu -d /var/lib/libvirt -s /usr/sbin/nologin -c "Libvirt Qemu" libvirt-qemu
  mkdir -p /etc/libvirt
  if [ -L /etc/libvirt/qemu.conf ] || [ ! -e /etc/libvirt/qemu.conf ]; then
    [ "$(readlink /etc/libvirt/qemu.conf)" = "$ETC/libvirt/qemu.conf" ] ||
      ln -sfn "$ETC/libvirt/qemu.conf" /etc/libvirt/qemu.conf
  else
    say "warning: /etc/libvirt/qemu.conf is the machine's own: libvirtd uses it, not $ETC/libvirt/qemu.conf"
  fi
}
start_real_service() {
  case $1 in
    virtlogd|libvirtd)
      setsid nohup "/usr/sbin/$1" -f "$ETC/libvirt/$1.conf" >>"$(log_of "$1")" 2>&1 </dev/null &
      echo $! >"$RUN/$1.pid" ;;
    nova-compute-real)
      # the libvirt driver connects at start: give a libvirtd started just before its socket
      local _; for _ in $(seq 50); do [ -S /run/libvirt/libvirt-sock ] && break; sleep 0.2; done
      start_python "$1" "$(main_of nova.cmd.compute)" --config-file "$ETC/nova/nova.conf" \
        --config-file "$ETC/nova/nova-real.conf" ;;
  esac
}
# the tiny image in Glance (tiny-real, with tiny-real-kernel and tiny-real-ramdisk), flavor m1.nano,
# aggregates fake-hosts (zone nova) and real-hosts (zone real); once (state/real-seeded.done)
# the build (6-8 s, mostly unpacking the kernel package) runs in the background while the services
# start; seed_real waits for it
TINY_JOB=
tiny_image_start() {
  say "building the tiny guest image (background)"
  "$HERE/tiny-image" "$DC/tiny-image" >"$RUN/tiny-image.out" 2>>"$LOG/seed.log" & TINY_JOB=$!
}
seed_real() {
  say "uploading the tiny guest image and making the zone real"
  local paths
  if [ -n "$TINY_JOB" ] && wait "$TINY_JOB"; then
    paths=$(<"$RUN/tiny-image.out")
  elif ! paths=$("$HERE/tiny-image" "$DC/tiny-image" 2>>"$LOG/seed.log"); then
    # tiny-image reads apt's lists: a machine that never ran apt-get update has none
    apt-get update -qq >>"$LOG/apt.log" 2>&1 || true
    paths=$("$HERE/tiny-image" "$DC/tiny-image" 2>>"$LOG/seed.log") || fail tiny-image "$LOG/seed.log"
  fi
  DEVCLOUD_TINY_IMAGE=$paths DEVCLOUD_REAL_HOST=$REAL_HOST seed real && touch "$STATE/real-seeded.done"
}
# reset: the guests of the real host go with the databases (libvirtd is down by then: its domain
# files are removed and their QEMU processes, which outlive libvirtd, are stopped)
purge_real_guests() {
  local f pid
  for f in /etc/libvirt/qemu/*.xml /run/libvirt/qemu/*.xml; do
    [ -f "$f" ] && grep -qF "$DATA/nova-real/" "$f" && rm -f "$f"
  done
  for pid in $(pgrep -f -- "$DATA/nova-real/instances/" || true); do
    [ "$(ps -o comm= -p "$pid")" = qemu-system-x86 ] && kill -KILL "$pid" 2>/dev/null
  done
  # virtlogd outlives `down` for the guests' sake; with them gone it goes too, before its pid file
  # (in $RUN) does: a later `up` would start a second one, which cannot take /run/virtlogd.pid
  for pid in $(pgrep -f -- "virtlogd -f $ETC/libvirt/virtlogd.conf" || true); do
    kill "$pid" 2>/dev/null
  done
  for _ in 1 2 3 4 5 6 7 8 9 10; do pgrep -f -- "virtlogd -f $ETC/libvirt/virtlogd.conf" >/dev/null || break; sleep 0.5; done
  return 0
}
# status: the real host's guests (QEMU processes, each in a session of its own)
real_status() {
  local guests
  # shellcheck disable=SC2207  # pids: one word each
  guests=($(pgrep -f -- "$DATA/nova-real/instances/" || true))
  say "real host $REAL_HOST (virt_type $(real_virt_type_configured)): ${#guests[@]} guest(s), RSS $(rss_mb "${guests[@]+"${guests[@]}"}") MB"
}
