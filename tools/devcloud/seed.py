"""Registers the devcloud's services in Keystone and creates its demo data, in one process.

Run by `devcloud up` with Debian's /usr/bin/python3 (openstacksdk comes from python3-openstackclient):

    seed.py identity   service project, roles, service users, catalog (before the other services start)
    seed.py demo       projects, users, flavors, image, networks, router, quotas (once all are up)
    seed.py real       the real compute host's zone, flavor and tiny image (gotcha 18)

Every step looks up before it creates, so running either phase again changes nothing.
Settings come from the environment: DEVCLOUD_PASSWORD (services' password), DEVCLOUD_IMAGE
(a qcow2 file for demo-image); for `real`, DEVCLOUD_TINY_IMAGE (the kernel=, ramdisk=, disk=,
cmdline= lines tools/devcloud/tiny-image prints) and DEVCLOUD_REAL_HOST (the real host's name).
"""

import os
import sys

import openstack

AUTH_URL = "http://127.0.0.1:5000/v3"
REGION = "RegionOne"
SERVICE_PASSWORD = os.environ.get("DEVCLOUD_PASSWORD", "devcloud")

# service user, catalog name, catalog type, endpoint URL
SERVICES = [
    ("glance", "glance", "image", "http://127.0.0.1:9292"),
    ("placement", "placement", "placement", "http://127.0.0.1:8778"),
    ("nova", "nova", "compute", "http://127.0.0.1:8774/v2.1"),
    ("neutron", "neutron", "network", "http://127.0.0.1:9696"),
    ("cinder", "cinderv3", "volumev3", "http://127.0.0.1:8776/v3/%(project_id)s"),
    ("swift", "swift", "object-store", "http://127.0.0.1:8090/v1/AUTH_%(project_id)s"),
]

# user, password, projects where the user is a member; "lonely" has no role anywhere (login tests)
USERS = [
    ("demo", "demo", ["demo", "alt"]),
    ("alt", "alt", ["alt"]),
    ("lonely", "lonely", []),
]

FLAVORS = [("m1.tiny", 512, 1, 1), ("m1.small", 2048, 20, 1), ("m1.medium", 4096, 40, 2)]

# generous enough for test suites that boot several servers; other quotas keep Nova's defaults
COMPUTE_QUOTAS = {"instances": 20, "cores": 40, "ram": 81920}


def say(message):
    print(f"[devcloud] {message}", flush=True)


def connect(user, password, project):
    return openstack.connect(
        auth_url=AUTH_URL,
        username=user,
        password=password,
        project_name=project,
        user_domain_name="Default",
        project_domain_name="Default",
        region_name=REGION,
        identity_api_version="3",
    )


def ensure_project(idc, name, description=""):
    project = idc.find_project(name, domain_id="default")
    if project is None:
        project = idc.create_project(name=name, domain_id="default", description=description)
        say(f"  project {name}")
    return project


def ensure_role(idc, name):
    role = idc.find_role(name)
    if role is None:
        role = idc.create_role(name=name)
        say(f"  role {name}")
    return role


def ensure_user(idc, name, password):
    user = idc.find_user(name, domain_id="default")
    if user is None:
        user = idc.create_user(name=name, password=password, domain_id="default")
        say(f"  user {name}")
    return user


def ensure_member(idc, project, user, role):
    if not idc.validate_user_has_project_role(project, user, role):
        idc.assign_project_role_to_user(project, user, role)


def seed_identity(admin):
    idc = admin.identity
    service_project = ensure_project(idc, "service", "devcloud service users")
    admin_role = ensure_role(idc, "admin")
    for name in ("member", "reader"):  # keystone-manage bootstrap makes these; kept for clarity
        ensure_role(idc, name)
    for user_name, service_name, service_type, url in SERVICES:
        user = ensure_user(idc, user_name, SERVICE_PASSWORD)
        ensure_member(idc, service_project, user, admin_role)
        service = next(iter(idc.services(type=service_type)), None)
        if service is None:
            service = idc.create_service(name=service_name, type=service_type, is_enabled=True)
            say(f"  service {service_type}")
        have = {e.interface for e in idc.endpoints(service_id=service.id)}
        for interface in ("public", "internal", "admin"):
            if interface not in have:
                idc.create_endpoint(service_id=service.id, interface=interface, url=url, region_id=REGION)


def seed_demo(admin, image_file):
    idc = admin.identity
    member = ensure_role(idc, "member")
    projects = {name: ensure_project(idc, name, f"devcloud {name} project") for name in ("demo", "alt")}
    for name, password, member_of in USERS:
        user = ensure_user(idc, name, password)
        for project_name in member_of:
            ensure_member(idc, projects[project_name], user, member)

    for project in projects.values():
        admin.set_compute_quotas(project.id, **COMPUTE_QUOTAS)

    for name, ram, disk, vcpus in FLAVORS:
        if admin.compute.find_flavor(name) is None:
            admin.compute.create_flavor(name=name, ram=ram, disk=disk, vcpus=vcpus, is_public=True)
            say(f"  flavor {name}")

    if admin.block_storage.find_type("standard") is None:
        admin.block_storage.create_type(name="standard", extra_specs={"volume_backend_name": "fake"})
        say("  volume type standard")

    # a real qcow2: Glance's format inspector rejects bytes that do not match disk_format
    if admin.image.find_image("demo-image") is None:
        admin.create_image(
            "demo-image",
            filename=image_file,
            disk_format="qcow2",
            container_format="bare",
            visibility="public",
            wait=True,
        )
        say("  image demo-image")

    net = admin.network
    public = net.find_network("public")
    if public is None:
        public = net.create_network(
            name="public",
            is_router_external=True,
            is_shared=True,
            provider_network_type="flat",
            provider_physical_network="public",
        )
        say("  network public")
    if net.find_subnet("public-subnet", network_id=public.id) is None:
        net.create_subnet(
            name="public-subnet",
            network_id=public.id,
            ip_version=4,
            cidr="172.24.4.0/24",
            gateway_ip="172.24.4.1",
            is_dhcp_enabled=False,
            allocation_pools=[{"start": "172.24.4.10", "end": "172.24.4.250"}],
        )

    # the demo project's own network, made as the demo user, the way a user would
    demo = connect("demo", "demo", "demo").network
    private = demo.find_network("private", project_id=projects["demo"].id)
    if private is None:
        private = demo.create_network(name="private")
        say("  network private (demo)")
    subnet = demo.find_subnet("private-subnet", network_id=private.id)
    if subnet is None:
        subnet = demo.create_subnet(name="private-subnet", network_id=private.id, ip_version=4, cidr="10.0.0.0/24")
    router = demo.find_router("router1", project_id=projects["demo"].id)
    if router is None:
        router = demo.create_router(name="router1", external_gateway_info={"network_id": public.id})
        say("  router router1 (demo)")
    elif not router.external_gateway_info:
        demo.update_router(router, external_gateway_info={"network_id": public.id})
    attached = {
        ip["subnet_id"]
        for port in demo.ports(device_id=router.id, device_owner="network:router_interface")
        for ip in port.fixed_ips
    }
    if subnet.id not in attached:
        demo.add_interface_to_router(router, subnet_id=subnet.id)


# the real compute host (gotcha 18): aggregate name, availability zone, host (None: DEVCLOUD_REAL_HOST)
AGGREGATES = [("fake-hosts", "nova", "devcloud-compute"), ("real-hosts", "real", None)]
# the tiny guest needs under 80 MB (README.md, "The tiny guest image"): 128 MB, 1 GB of disk
TINY_FLAVOR = ("m1.nano", 128, 1, 1)
TINY_IMAGE = "tiny-real"


def ensure_aggregate(compute, name, zone, host):
    aggregate = next((a for a in compute.aggregates() if a.name == name), None)
    if aggregate is None:
        aggregate = compute.create_aggregate(name=name, availability_zone=zone)
        say(f"  aggregate {name} (zone {zone})")
    if host not in (aggregate.hosts or []):
        compute.add_host_to_aggregate(aggregate, host)
        say(f"  host {host} in aggregate {name}")


def ensure_tiny_image(admin, name, path, disk_format, **properties):
    image = admin.image.find_image(name)
    if image is None:
        image = admin.create_image(
            name,
            filename=path,
            disk_format=disk_format,
            container_format=disk_format if disk_format in ("aki", "ari") else "bare",
            visibility="public",
            wait=True,
            meta=properties,
        )
        say(f"  image {name}")
    return image


def seed_real(admin, tiny_image, real_host):
    """Zone `real` for the real host alone (the fake host in zone nova, which nova.conf's
    default_schedule_zone names), a flavor the tiny guest fits in, the tiny guest as three images."""
    for name, zone, host in AGGREGATES:
        ensure_aggregate(admin.compute, name, zone, host or real_host)
    name, ram, disk, vcpus = TINY_FLAVOR
    if admin.compute.find_flavor(name) is None:
        admin.compute.create_flavor(name=name, ram=ram, disk=disk, vcpus=vcpus, is_public=True)
        say(f"  flavor {name}")
    paths = dict(line.split("=", 1) for line in tiny_image.splitlines() if "=" in line)
    # kernel and ramdisk booted directly (kernel_id, ramdisk_id); the root disk is raw, not ami
    # (Nova's image inspection wants qemu-img's answer to equal the disk format)
    kernel = ensure_tiny_image(admin, f"{TINY_IMAGE}-kernel", paths["kernel"], "aki")
    ramdisk = ensure_tiny_image(admin, f"{TINY_IMAGE}-ramdisk", paths["ramdisk"], "ari")
    ensure_tiny_image(
        admin,
        TINY_IMAGE,
        paths["disk"],
        "raw",
        kernel_id=kernel.id,
        ramdisk_id=ramdisk.id,
        os_command_line=paths["cmdline"],
    )


def main(argv):
    if len(argv) != 2 or argv[1] not in ("identity", "demo", "real"):
        print(__doc__, file=sys.stderr)
        return 2
    admin = connect("admin", "admin", "admin")
    if argv[1] == "identity":
        seed_identity(admin)
    elif argv[1] == "demo":
        seed_demo(admin, os.environ["DEVCLOUD_IMAGE"])
    else:
        seed_real(admin, os.environ["DEVCLOUD_TINY_IMAGE"], os.environ["DEVCLOUD_REAL_HOST"])
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
