"""The API's documented shapes: every response and request body is one of these serializers, read
from the cloud layer's dataclasses (never SDK objects, never tokens). drf-spectacular builds the
OpenAPI schema (/api/schema/) from them."""

from __future__ import annotations

from django.conf import settings
from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from dashboard.cloud import instance_actions
from dashboard.ui.validators import printable

# --- errors and paging ---------------------------------------------------------------------------


class ErrorSerializer(serializers.Serializer):
    error = serializers.CharField(help_text="a kind to branch on: bad_request, not_authenticated, forbidden, ...")
    message = serializers.CharField(help_text="what went wrong, for people")
    # a field's messages, or for a list of objects (launch's networks, an upload's files) one such
    # mapping per item: any JSON
    fields = serializers.DictField(
        child=serializers.JSONField(), required=False, help_text="bad input per field (nested for lists of objects)"
    )
    request_id = serializers.CharField(
        required=False, help_text="the request's id (also the X-Request-ID header): quote it to your operator"
    )
    detail = serializers.CharField(
        required=False, help_text="the cloud service's own words, when `message` says what to do in other words"
    )


# one page of a list: each page declares its rows under the list's own key ("volumes": [...]);
# no docstring, drf-spectacular would give it to every page as its description
class Page(serializers.Serializer):
    next_marker = serializers.CharField(allow_null=True, help_text="the marker of the next page; null on the last")


class PageQuery(serializers.Serializer):
    """`limit` (at most DASHBOARD_API_PAGE_MAX) and `marker` (the last id of the previous page)."""

    limit = serializers.IntegerField(required=False, min_value=1, max_value=settings.API_PAGE_MAX, default=50)
    marker = serializers.CharField(required=False, allow_blank=True, max_length=255, default="")

    def validate_limit(self, value):
        if value > settings.API_PAGE_MAX:
            raise serializers.ValidationError(_("At most %(max)d rows per page.") % {"max": settings.API_PAGE_MAX})
        return value


class Accepted(serializers.Serializer):
    status = serializers.CharField()
    action = serializers.CharField()


# --- session -------------------------------------------------------------------------------------


class NamedRef(serializers.Serializer):
    id = serializers.CharField()
    name = serializers.CharField()


class SessionUser(serializers.Serializer):
    id = serializers.CharField(source="user_id")
    name = serializers.CharField(source="username")
    domain = serializers.CharField()


class SessionSerializer(serializers.Serializer):
    user = SessionUser(source="*")
    project = serializers.SerializerMethodField()
    projects = NamedRef(many=True)
    roles = serializers.ListField(child=serializers.CharField())
    is_admin = serializers.BooleanField()
    region = serializers.CharField()
    expires_at = serializers.CharField()
    auth = serializers.ChoiceField(choices=["session", "api_key"])

    def get_project(self, user) -> NamedRef:
        return NamedRef({"id": user.project_id, "name": user.project_name}).data


# --- instances -----------------------------------------------------------------------------------


class FlavorInfoSerializer(serializers.Serializer):
    id = serializers.CharField()
    name = serializers.CharField()
    vcpus = serializers.IntegerField(allow_null=True)
    ram = serializers.IntegerField(allow_null=True, help_text="MiB")
    disk = serializers.IntegerField(allow_null=True, help_text="GiB")


class AddressSerializer(serializers.Serializer):
    addr = serializers.CharField()
    kind = serializers.ChoiceField(choices=["fixed", "floating"])
    version = serializers.IntegerField()
    mac = serializers.CharField()


class InstanceSerializer(serializers.Serializer):
    id = serializers.CharField()
    name = serializers.CharField()
    status = serializers.CharField()
    status_words = serializers.CharField()
    task_state = serializers.CharField()
    task_words = serializers.CharField()
    vm_state = serializers.CharField()
    power_state = serializers.IntegerField(allow_null=True)
    locked = serializers.BooleanField()
    key_name = serializers.CharField()
    availability_zone = serializers.CharField()
    created_at = serializers.DateTimeField(allow_null=True)
    updated_at = serializers.DateTimeField(allow_null=True)
    flavor = FlavorInfoSerializer()
    image_id = serializers.CharField()
    image_name = serializers.CharField()
    volume_ids = serializers.ListField(child=serializers.CharField())
    boot_volume_id = serializers.CharField()
    networks = serializers.DictField(child=AddressSerializer(many=True))
    fixed_ips = serializers.ListField(child=serializers.CharField())
    floating_ips = serializers.ListField(child=serializers.CharField())
    metadata = serializers.DictField(child=serializers.CharField())
    security_groups = serializers.ListField(child=serializers.CharField())
    fault = serializers.CharField()
    project_id = serializers.CharField()
    allowed_actions = serializers.SerializerMethodField()

    def get_allowed_actions(self, inst) -> list[str]:
        is_admin = bool(self.context.get("is_admin"))
        return sorted(instance_actions.allowed_actions(inst.status, inst.task_state, inst.locked, is_admin))


class InstanceOut(serializers.Serializer):
    instance = InstanceSerializer()


class InstancePage(Page):
    instances = InstanceSerializer(many=True)


def plain_text(value: str) -> str:
    """Text a service can search on: no control, format, private-use or unassigned characters
    (Nova's name filter is a regular expression in its database: such characters make it fail)."""
    if not printable(value):
        raise serializers.ValidationError(_("Use printable characters only."))
    return value


class ActionRequest(serializers.Serializer):
    action = serializers.ChoiceField(choices=sorted(instance_actions.SIMPLE_ACTIONS))


class RenameRequest(serializers.Serializer):
    name = serializers.CharField(max_length=255)


class ResizeRequest(serializers.Serializer):
    flavor_id = serializers.CharField(max_length=64)


class RebuildRequest(serializers.Serializer):
    image_id = serializers.UUIDField()


class SnapshotRequest(serializers.Serializer):
    name = serializers.CharField(max_length=255)


class SnapshotOut(serializers.Serializer):
    image_id = serializers.CharField()


class VolumeRequest(serializers.Serializer):
    volume_id = serializers.UUIDField()


class InterfaceRequest(serializers.Serializer):
    network_id = serializers.UUIDField(required=False)
    port_id = serializers.UUIDField(required=False)

    def validate(self, attrs):
        if bool(attrs.get("network_id")) == bool(attrs.get("port_id")):
            raise serializers.ValidationError(_("Give a network_id or a port_id (one of them)."))
        return attrs


class FloatingIPRequest(serializers.Serializer):
    floating_ip_id = serializers.UUIDField(required=False, help_text="an allocated, unassociated floating IP")
    pool_id = serializers.UUIDField(required=False, help_text="or an external network to allocate one from")
    port_id = serializers.UUIDField(required=False, help_text="the instance's port (default: its first)")

    def validate(self, attrs):
        if bool(attrs.get("floating_ip_id")) == bool(attrs.get("pool_id")):
            raise serializers.ValidationError(_("Give a floating_ip_id or a pool_id (one of them)."))
        return attrs


class FloatingIPOut(serializers.Serializer):
    floating_ip_id = serializers.CharField()
    floating_ip_address = serializers.CharField()


class SecurityGroupsRequest(serializers.Serializer):
    add = serializers.ListField(child=serializers.CharField(max_length=255), required=False, default=list)
    remove = serializers.ListField(child=serializers.CharField(max_length=255), required=False, default=list)


class ConsoleOut(serializers.Serializer):
    url = serializers.CharField()
    type = serializers.CharField()


class ConsoleLogOut(serializers.Serializer):
    output = serializers.CharField()


# --- launch --------------------------------------------------------------------------------------


class LaunchRequest(serializers.Serializer):
    """The launch form's fields, with the same rules (dashboard/launching/forms.py)."""

    name = serializers.CharField(max_length=255)
    count = serializers.IntegerField(required=False, default=1)
    source_type = serializers.ChoiceField(choices=["image", "image_volume", "volume", "snapshot"], default="image")
    image = serializers.CharField(required=False, allow_blank=True, help_text="image id (image, image_volume)")
    volume = serializers.CharField(required=False, allow_blank=True, help_text="bootable volume id")
    snapshot = serializers.CharField(required=False, allow_blank=True, help_text="volume snapshot id")
    volume_size = serializers.IntegerField(required=False, allow_null=True, help_text="GiB, for a new volume")
    delete_on_termination = serializers.BooleanField(required=False, default=True)
    flavor = serializers.CharField(help_text="flavor id")
    networks = serializers.ListField(child=serializers.CharField(), required=False, default=list)
    ports = serializers.ListField(child=serializers.CharField(), required=False, default=list)
    security_groups = serializers.ListField(child=serializers.CharField(), required=False, default=list)
    key_name = serializers.CharField(required=False, allow_blank=True)
    availability_zone = serializers.CharField(required=False, allow_blank=True)
    user_data = serializers.CharField(required=False, allow_blank=True, trim_whitespace=False)
    config_drive = serializers.BooleanField(required=False, default=False)
    metadata = serializers.DictField(child=serializers.CharField(allow_blank=True), required=False, default=dict)
    server_group = serializers.CharField(required=False, allow_blank=True)


class LaunchOut(serializers.Serializer):
    id = serializers.CharField(help_text="the (first) new instance")
    name = serializers.CharField()
    count = serializers.IntegerField()


# --- key pairs, quotas, usage ---------------------------------------------------------------------


class KeyPairSerializer(serializers.Serializer):
    name = serializers.CharField()
    fingerprint = serializers.CharField()
    type = serializers.CharField()


class KeyPairPage(Page):
    keypairs = KeyPairSerializer(many=True)


class KeyPairImport(serializers.Serializer):
    name = serializers.CharField(max_length=255)
    public_key = serializers.CharField(max_length=16384, required=False, allow_blank=True)


class KeyPairCreated(serializers.Serializer):
    keypair = KeyPairSerializer()
    private_key = serializers.CharField(allow_null=True, help_text="only when Zenith made the key: shown once")


class QuotaItemSerializer(serializers.Serializer):
    service = serializers.CharField()
    resource = serializers.CharField()
    label = serializers.CharField()
    limit = serializers.IntegerField(help_text="-1: unlimited")
    in_use = serializers.IntegerField()
    reserved = serializers.IntegerField()


class QuotasOut(serializers.Serializer):
    project_id = serializers.CharField()
    quotas = QuotaItemSerializer(many=True)
    unavailable = serializers.DictField(child=serializers.CharField(), help_text="services that could not be read")


class QuotaUpdate(serializers.Serializer):
    limits = serializers.DictField(
        child=serializers.IntegerField(min_value=-1), help_text='{"compute-instances": 20, "volume-gigabytes": -1}'
    )


class UsageQuery(serializers.Serializer):
    start = serializers.DateField(required=False)
    end = serializers.DateField(required=False)
    format = serializers.ChoiceField(choices=["json", "csv"], required=False, default="json")


class ServerUsageSerializer(serializers.Serializer):
    instance_id = serializers.CharField()
    name = serializers.CharField()
    flavor = serializers.CharField()
    vcpus = serializers.IntegerField()
    memory_mb = serializers.IntegerField()
    local_gb = serializers.IntegerField()
    hours = serializers.FloatField()
    state = serializers.CharField()
    started_at = serializers.DateTimeField(allow_null=True)
    ended_at = serializers.DateTimeField(allow_null=True)


class ProjectUsageOut(serializers.Serializer):
    start = serializers.DateTimeField()
    end = serializers.DateTimeField()
    project_id = serializers.CharField()
    instance_hours = serializers.FloatField()
    vcpu_hours = serializers.FloatField()
    ram_gb_hours = serializers.FloatField()
    disk_gb_hours = serializers.FloatField()
    servers = ServerUsageSerializer(many=True)


class ProjectUsageRow(serializers.Serializer):
    project_id = serializers.CharField()
    project_name = serializers.CharField()
    instance_hours = serializers.FloatField()
    vcpu_hours = serializers.FloatField()
    ram_gb_hours = serializers.FloatField()
    disk_gb_hours = serializers.FloatField()
    instances = serializers.IntegerField()


class AdminUsageOut(Page):
    start = serializers.DateTimeField()
    end = serializers.DateTimeField()
    projects = ProjectUsageRow(many=True)


class AdminUsageQuery(UsageQuery, PageQuery):
    pass


# --- admin ---------------------------------------------------------------------------------------


class ResourceUse(serializers.Serializer):
    used = serializers.IntegerField()
    capacity = serializers.IntegerField()


class HypervisorSerializer(serializers.Serializer):
    id = serializers.CharField()
    hostname = serializers.CharField()
    state = serializers.CharField()
    status = serializers.CharField()
    type = serializers.CharField(source="hypervisor_type")
    instances = serializers.IntegerField()
    resources = serializers.DictField(child=ResourceUse())


class HypervisorPage(Page):
    hypervisors = HypervisorSerializer(many=True)


class ProjectSerializer(serializers.Serializer):
    id = serializers.CharField()
    name = serializers.CharField()
    description = serializers.CharField()
    domain_id = serializers.CharField()
    enabled = serializers.BooleanField()


class ProjectPage(Page):
    projects = ProjectSerializer(many=True)


class UserSerializer(serializers.Serializer):
    id = serializers.CharField()
    name = serializers.CharField()
    email = serializers.CharField()
    description = serializers.CharField()
    domain_id = serializers.CharField()
    default_project_id = serializers.CharField()
    enabled = serializers.BooleanField()


class UserPage(Page):
    users = UserSerializer(many=True)


class GroupSerializer(serializers.Serializer):
    id = serializers.CharField()
    name = serializers.CharField()
    description = serializers.CharField()
    domain_id = serializers.CharField()


class GroupPage(Page):
    groups = GroupSerializer(many=True)


class RoleSerializer(serializers.Serializer):
    id = serializers.CharField()
    name = serializers.CharField()


class RolePage(Page):
    roles = RoleSerializer(many=True)


class AssignmentSerializer(serializers.Serializer):
    role_id = serializers.CharField()
    role_name = serializers.CharField()
    project_id = serializers.CharField()
    project_name = serializers.CharField()
    user_id = serializers.CharField()
    user_name = serializers.CharField()
    group_id = serializers.CharField()
    group_name = serializers.CharField()


class AssignmentPage(Page):
    assignments = AssignmentSerializer(many=True)


class ImageChoice(serializers.Serializer):
    id = serializers.CharField()
    name = serializers.CharField()
    min_disk = serializers.IntegerField()
    min_ram = serializers.IntegerField()


class FlavorChoice(serializers.Serializer):
    id = serializers.CharField()
    name = serializers.CharField()
    vcpus = serializers.IntegerField()
    ram = serializers.IntegerField(help_text="MiB")
    disk = serializers.IntegerField(help_text="GiB")


class NetworkChoice(serializers.Serializer):
    id = serializers.CharField()
    name = serializers.CharField()
    is_shared = serializers.BooleanField()
    is_router_external = serializers.BooleanField()


class SizedChoice(serializers.Serializer):
    id = serializers.CharField()
    name = serializers.CharField()
    size = serializers.IntegerField(help_text="GiB")


class ServerGroupChoice(serializers.Serializer):
    id = serializers.CharField()
    name = serializers.CharField()
    policies = serializers.ListField(child=serializers.CharField())


class LaunchChoicesOut(serializers.Serializer):
    """What a launch can use in this project (the launch form's choices)."""

    images = ImageChoice(many=True)
    volumes = SizedChoice(many=True)
    snapshots = SizedChoice(many=True)
    flavors = FlavorChoice(many=True)
    networks = NetworkChoice(many=True)
    ports = NamedRef(many=True)
    security_groups = NamedRef(many=True)
    keypairs = KeyPairSerializer(many=True)
    availability_zones = serializers.ListField(child=serializers.CharField())
    server_groups = ServerGroupChoice(many=True)
    unavailable = serializers.DictField(child=serializers.CharField(), help_text="parts that could not be read")
