"""The network panels' forms: networks with their subnets, ports, routers, floating IPs, rules.

Every form checks what it can before Neutron is asked (see dashboard/ui/network_validation.py); what Neutron still
refuses (overlapping CIDRs on a router, an address in use) comes back on the form from form_page.
"""

from __future__ import annotations

import ipaddress

from crispy_forms.layout import Fieldset, Layout
from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from dashboard.cloud.secgroups import PRESETS
from dashboard.ui import network_validation as validation
from dashboard.ui.forms import FillingSelect, PanelForm

SUBNET_SLOTS = 3  # subnets the create-network form offers at once
NAME = {"max_length": 255, "required": False}
TEXTAREA = forms.Textarea(attrs={"rows": 2})


def _subnet_fields(prefix: str, pools: list[tuple[str, str]]) -> dict[str, forms.Field]:
    pool_choices = [("", _("— none: give a CIDR —"))] + pools
    return {
        f"{prefix}name": forms.CharField(label=_("Subnet name"), **NAME),
        f"{prefix}ip_version": forms.TypedChoiceField(
            label=_("IP version"), choices=((4, "IPv4"), (6, "IPv6")), coerce=int, initial=4
        ),
        f"{prefix}cidr": forms.CharField(
            label=_("CIDR"), required=False, max_length=64, help_text=_("e.g. 10.0.1.0/24")
        ),
        f"{prefix}subnetpool_id": forms.ChoiceField(
            label=_("Or from a subnet pool"), choices=pool_choices, required=False
        ),
        f"{prefix}prefixlen": forms.IntegerField(
            label=_("Prefix length (pool)"), required=False, min_value=1, max_value=128
        ),
        f"{prefix}gateway_ip": forms.CharField(
            label=_("Gateway IP"), required=False, max_length=64, help_text=_("Empty: the first address.")
        ),
        f"{prefix}no_gateway": forms.BooleanField(label=_("No gateway"), required=False),
        f"{prefix}enable_dhcp": forms.BooleanField(label=_("DHCP"), required=False, initial=True),
        f"{prefix}allocation_pools": forms.CharField(
            label=_("Allocation pools"), required=False, widget=TEXTAREA, help_text=_("One start-end a line.")
        ),
        f"{prefix}dns_nameservers": forms.CharField(
            label=_("DNS servers"), required=False, widget=TEXTAREA, help_text=_("One address a line.")
        ),
        f"{prefix}host_routes": forms.CharField(
            label=_("Host routes"),
            required=False,
            widget=TEXTAREA,
            help_text=_("One “destination-CIDR next-hop” a line."),
        ),
    }


def _clean_subnet(form: forms.Form, prefix: str, required: bool) -> dict | None:
    """The subnet a slot describes, or None when it is left empty (and not required)."""
    data = {name[len(prefix) :]: form.cleaned_data.get(name) for name in form.fields if name.startswith(prefix)}
    cidr_text = (data.get("cidr") or "").strip()
    if not cidr_text and not data.get("subnetpool_id"):
        if required:
            form.add_error(f"{prefix}cidr", _("Give a CIDR or choose a subnet pool."))
        return None
    version = data.get("ip_version") or 4
    spec = {
        "name": data.get("name") or "",
        "ip_version": version,
        "enable_dhcp": bool(data.get("enable_dhcp")),
        "no_gateway": bool(data.get("no_gateway")),
    }
    net = None

    def check(field: str, fn):
        try:
            return fn()
        except ValidationError as err:
            form.add_error(f"{prefix}{field}", err)
            return None

    if cidr_text:
        net = check("cidr", lambda: validation.parse_cidr(cidr_text, version))
        if net is None:
            return None
        spec["cidr"] = str(net)
    else:
        spec["subnetpool_id"] = data["subnetpool_id"]
        spec["prefixlen"] = data.get("prefixlen")
    gateway = ""
    if data.get("gateway_ip") and not data.get("no_gateway"):
        if net is None:
            gateway = check("gateway_ip", lambda: str(validation.parse_address(data["gateway_ip"], version))) or ""
        else:
            gateway = check("gateway_ip", lambda: validation.check_gateway(data["gateway_ip"], net)) or ""
        spec["gateway_ip"] = gateway
    spec["allocation_pools"] = (
        check("allocation_pools", lambda: validation.parse_pools(data.get("allocation_pools") or "", net, gateway))
        or []
    )
    spec["dns_nameservers"] = (
        check("dns_nameservers", lambda: validation.parse_dns(data.get("dns_nameservers") or "", version)) or []
    )
    spec["host_routes"] = (
        check("host_routes", lambda: validation.parse_routes(data.get("host_routes") or "", version)) or []
    )
    return spec


class NetworkCreateForm(PanelForm):
    submit_label = _("Create network")

    name = forms.CharField(label=_("Name"), max_length=255)
    admin_state_up = forms.BooleanField(label=_("Admin state up"), required=False, initial=True)

    def __init__(self, *args, pools=(), is_admin: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        if is_admin:
            self.fields["shared"] = forms.BooleanField(label=_("Shared with every project"), required=False)
        sets = []
        for i in range(SUBNET_SLOTS):
            fields = _subnet_fields(f"s{i}_", list(pools))
            self.fields.update(fields)
            title = _("Subnet %(n)s") % {"n": i + 1} if i == 0 else _("Subnet %(n)s (optional)") % {"n": i + 1}
            sets.append(Fieldset(title, *fields))
        head = ["name", "admin_state_up"] + (["shared"] if is_admin else [])
        self.helper.layout = Layout(*head, *sets)

    def clean(self):
        cleaned = super().clean()
        subnets = [_clean_subnet(self, f"s{i}_", required=False) for i in range(SUBNET_SLOTS)]
        cleaned["subnets"] = [s for s in subnets if s]
        cidrs = [s["cidr"] for s in cleaned["subnets"] if s.get("cidr")]
        try:
            validation.check_no_overlap(cidrs)
        except ValidationError as err:
            self.add_error(None, err)
        return cleaned


class NetworkEditForm(PanelForm):
    name = forms.CharField(label=_("Name"), max_length=255, required=False)
    admin_state_up = forms.BooleanField(label=_("Admin state up"), required=False)

    def __init__(self, *args, is_admin: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        if is_admin:
            self.fields["shared"] = forms.BooleanField(label=_("Shared with every project"), required=False)


class SubnetCreateForm(PanelForm):
    submit_label = _("Add subnet")

    def __init__(self, *args, pools=(), existing: tuple[str, ...] = (), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields.update(_subnet_fields("", list(pools)))
        self.existing = existing

    def clean(self):
        cleaned = super().clean()
        spec = _clean_subnet(self, "", required=True)
        if spec and spec.get("cidr"):
            try:
                validation.check_no_overlap([*self.existing, spec["cidr"]])
            except ValidationError as err:
                self.add_error("cidr", err)
        cleaned["subnet"] = spec
        return cleaned


def _lines(text: str) -> list[str]:
    return [line.strip() for line in (text or "").splitlines() if line.strip()]


class PortForm(PanelForm):
    submit_label = _("Save port")

    name = forms.CharField(label=_("Name"), **NAME)
    admin_state_up = forms.BooleanField(label=_("Admin state up"), required=False, initial=True)
    fixed_ips = forms.CharField(
        label=_("Fixed IPs"),
        required=False,
        widget=TEXTAREA,
        help_text=_("One address a line; empty: Neutron chooses one in each subnet."),
    )
    port_security_enabled = forms.BooleanField(label=_("Port security"), required=False, initial=True)
    security_groups = forms.MultipleChoiceField(label=_("Security groups"), required=False)
    allowed_address_pairs = forms.CharField(
        label=_("Allowed address pairs"), required=False, widget=TEXTAREA, help_text=_("One IP or CIDR a line.")
    )

    def __init__(self, *args, groups=(), subnets=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["security_groups"].choices = list(groups)
        self.subnets = list(subnets)  # [Subnet] of the network: which one each fixed IP falls in

    def clean_fixed_ips(self):
        found = []
        for line in _lines(self.cleaned_data["fixed_ips"]):
            address = validation.parse_address(line)
            subnet = next((s for s in self.subnets if address in validation.parse_cidr(s.cidr)), None)
            if subnet is None:
                raise ValidationError(_("%(ip)s is in none of this network's subnets.") % {"ip": line})
            found.append({"subnet_id": subnet.id, "ip_address": str(address)})
        return found

    def clean_allowed_address_pairs(self):
        pairs = []
        for line in _lines(self.cleaned_data["allowed_address_pairs"]):
            try:
                pairs.append(str(ipaddress.ip_network(line, strict=False)))
            except ValueError:
                raise ValidationError(_("“%(value)s” is not an IP address or CIDR.") % {"value": line}) from None
        return pairs


class RouterCreateForm(PanelForm):
    submit_label = _("Create router")

    name = forms.CharField(label=_("Name"), max_length=255)
    external_network_id = forms.ChoiceField(label=_("External network (gateway)"), required=False)

    def __init__(self, *args, externals=(), is_admin: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["external_network_id"].choices = [("", _("— no gateway —")), *externals]
        if is_admin:  # Neutron's default policy lets administrators only choose SNAT
            self.fields["enable_snat"] = forms.BooleanField(label=_("SNAT"), required=False, initial=True)


class RouterEditForm(PanelForm):
    name = forms.CharField(label=_("Name"), max_length=255, required=False)
    admin_state_up = forms.BooleanField(label=_("Admin state up"), required=False)


class GatewayForm(PanelForm):
    submit_label = _("Set gateway")

    network_id = forms.ChoiceField(label=_("External network"))

    def __init__(self, *args, externals=(), is_admin: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["network_id"].choices = list(externals)
        if is_admin:
            self.fields["enable_snat"] = forms.BooleanField(label=_("SNAT"), required=False, initial=True)


class InterfaceForm(PanelForm):
    submit_label = _("Add interface")

    subnet_id = forms.ChoiceField(label=_("Subnet"), required=False)
    port_id = forms.CharField(label=_("Or an existing port (id)"), required=False, max_length=64)

    def __init__(self, *args, subnets=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["subnet_id"].choices = [("", "—"), *subnets]

    def clean(self):
        cleaned = super().clean()
        if bool(cleaned.get("subnet_id")) == bool(cleaned.get("port_id")):
            raise ValidationError(_("Choose a subnet or give a port, not both."))
        return cleaned


class RoutesForm(PanelForm):
    submit_label = _("Save routes")

    routes = forms.CharField(
        label=_("Static routes"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("One “destination-CIDR next-hop” a line; empty clears them."),
    )

    def clean_routes(self):
        return validation.parse_routes(self.cleaned_data["routes"])


class AllocateForm(PanelForm):
    submit_label = _("Allocate")

    network_id = forms.ChoiceField(label=_("External network"))
    address = forms.CharField(label=_("Address (optional)"), required=False, max_length=64)
    subnet_id = forms.CharField(label=_("Subnet id (optional)"), required=False, max_length=64)

    def __init__(self, *args, externals=(), is_admin: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["network_id"].choices = list(externals)
        if not is_admin:  # Neutron's default policy: create_floatingip:floating_ip_address is admin_only
            del self.fields["address"]
            self.fields["network_id"].help_text = _(
                "Neutron picks a free address of this network; only an administrator can choose the address."
            )

    def clean_address(self):
        text = self.cleaned_data["address"]
        return str(validation.parse_address(text, 4)) if text else ""


class AssociateForm(PanelForm):
    submit_label = _("Associate")

    target = forms.ChoiceField(label=_("Instance address"))

    def __init__(self, *args, targets=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["target"].choices = list(targets)


class GroupForm(PanelForm):
    name = forms.CharField(label=_("Name"), max_length=255)
    description = forms.CharField(label=_("Description"), required=False, max_length=255)


PROTOCOLS = (
    ("", _("Any")),
    ("tcp", "TCP"),
    ("udp", "UDP"),
    ("icmp", "ICMP"),
    ("ipv6-icmp", "ICMPv6"),
    ("sctp", "SCTP"),
)


def preset_fills() -> dict[str, dict]:
    """What each preset puts in the rule form's protocol and port fields, to be seen before adding:
    a preset of one rule its protocol and ports; one of several rules (DNS: UDP and TCP) or of any
    protocol, empty fields (its label says what it adds)."""
    fills = {}
    for key, (_label, rules) in PRESETS.items():
        rule = rules[0] if len(rules) == 1 else {}
        fills[key] = {
            "protocol": rule.get("protocol") or "",
            "port_range_min": rule.get("port_range_min", ""),
            "port_range_max": rule.get("port_range_max", ""),
        }
    return fills


class RuleForm(PanelForm):
    submit_label = _("Add rule")

    preset = forms.ChoiceField(label=_("Preset"), required=False)
    direction = forms.ChoiceField(label=_("Direction"), choices=(("ingress", _("Ingress")), ("egress", _("Egress"))))
    ethertype = forms.ChoiceField(label=_("Ether type"), choices=(("IPv4", "IPv4"), ("IPv6", "IPv6")))
    protocol = forms.ChoiceField(label=_("Protocol"), choices=PROTOCOLS, required=False)
    port_range_min = forms.IntegerField(label=_("Port (or lowest port, or ICMP type)"), required=False)
    port_range_max = forms.IntegerField(label=_("Highest port (or ICMP code)"), required=False)
    remote_ip_prefix = forms.CharField(label=_("Remote CIDR"), required=False, max_length=64)
    remote_group_id = forms.ChoiceField(label=_("Or remote security group"), required=False)
    description = forms.CharField(label=_("Description"), required=False, max_length=255)

    def __init__(self, *args, groups=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["preset"].choices = [
            ("", _("— custom rule —")),
            *((k, label) for k, (label, _rules) in PRESETS.items()),
        ]
        self.fields["preset"].widget = FillingSelect(choices=self.fields["preset"].choices, fills=preset_fills())
        self.fields["remote_group_id"].choices = [("", "—"), *groups]

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("remote_ip_prefix") and cleaned.get("remote_group_id"):
            self.add_error("remote_group_id", _("Choose a remote CIDR or a remote group, not both."))
        if cleaned.get("remote_ip_prefix"):
            try:
                net = validation.parse_cidr(cleaned["remote_ip_prefix"])
            except ValidationError as err:
                self.add_error("remote_ip_prefix", err)
            else:
                if f"IPv{net.version}" != cleaned.get("ethertype"):
                    self.add_error("remote_ip_prefix", _("This CIDR is not of the rule's ether type."))
                cleaned["remote_ip_prefix"] = str(net)
        if not cleaned.get("preset"):
            try:
                low, high = validation.parse_port_range(
                    cleaned.get("protocol") or "", cleaned.get("port_range_min"), cleaned.get("port_range_max")
                )
            except ValidationError as err:
                self.add_error("port_range_min", err)
            else:
                cleaned["port_range_min"], cleaned["port_range_max"] = low, high
        return cleaned
