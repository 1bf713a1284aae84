"""The refusals a service words for its operators, said as what the user can do about them.

`errors.translate` asks `explain(status, detail)` first: a refusal recognised here gets a sentence
of its own (translated, whole, with the figures the service gave), and the service's text stays
on the CloudError as its `detail`, shown beside the sentence (`CloudError.said`). A refusal not
recognised keeps the general sentence of its kind, which quotes the service. Pure functions of
the service's answer: no cloud call.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from django.utils.translation import gettext as _


@dataclass(frozen=True)
class Explained:
    kind: str  # CloudError's kind
    message: str  # what to do, in the active language


@dataclass(frozen=True)
class _Refusal:
    statuses: tuple[int, ...]
    pattern: re.Pattern
    say: Callable[[re.Match], Explained]


def _volume_gigabytes(m: re.Match) -> Explained:
    # Cinder's VolumeSizeExceedsAvailableQuota, for a create, an extend or a snapshot
    return Explained(
        "quota",
        _(
            "This needs %(requested)s GiB more volume storage, but the project's quota is %(quota)s GiB and its "
            "volumes and snapshots already use %(used)s GiB. Choose a smaller size, delete volumes or snapshots "
            "you no longer need, or ask your administrator for a larger quota."
        )
        % {"requested": m["requested"], "quota": m["quota"], "used": m["used"] or "0"},
    )


def _volume_count(m: re.Match) -> Explained:
    return Explained(
        "quota",
        _(
            "The project already has the %(allowed)s volumes its quota allows. Delete a volume you no longer "
            "need, or ask your administrator for a larger quota."
        )
        % {"allowed": m["allowed"]},
    )


def _snapshot_count(m: re.Match) -> Explained:
    return Explained(
        "quota",
        _(
            "The project already has the %(allowed)s snapshots its quota allows. Delete a snapshot you no "
            "longer need, or ask your administrator for a larger quota."
        )
        % {"allowed": m["allowed"]},
    )


def _network_in_use(m: re.Match) -> Explained:
    return Explained(
        "conflict",
        _(
            "The network still has ports: a router's interface or instances are connected to it. Remove the "
            "router's interface on this network (on the router's page) and detach the instances' ports first, "
            "then delete the network."
        ),
    )


def _subnet_in_use(m: re.Match) -> Explained:
    return Explained(
        "conflict",
        _(
            "Addresses of this subnet are still in use by a router's interface or instances. Remove the "
            "router's interface on this subnet (on the router's page) and detach the instances' ports first, "
            "then delete the subnet."
        ),
    )


def _router_in_use(m: re.Match) -> Explained:
    return Explained(
        "conflict",
        _("The router still has interfaces. Remove its interfaces (on the router's page) first, then delete it."),
    )


def _floating_ip_address(m: re.Match) -> Explained:
    return Explained(
        "forbidden",
        _(
            "Your role may not choose a floating IP's address: leave the address empty and Neutron picks "
            "one. An administrator can allocate a given address."
        ),
    )


def _image_public(m: re.Match) -> Explained:
    return Explained(
        "forbidden",
        _(
            "Only an administrator can make an image public. Choose private, shared or community visibility, "
            "or ask your administrator."
        ),
    )


def _rule_exists(m: re.Match) -> Explained:
    return Explained("conflict", _("The group already has this rule; nothing was added."))


_REFUSALS = (
    _Refusal(
        (400, 403, 409, 413),
        re.compile(
            r"Requested (?P<requested>\d+)G, quota is (?P<quota>\d+)G(?: and (?P<used>\d+)G has been consumed)?",
            re.IGNORECASE,
        ),
        _volume_gigabytes,
    ),
    _Refusal(
        (400, 403, 409, 413),
        re.compile(r"Maximum number of volumes allowed \((?P<allowed>\d+)\) exceeded", re.IGNORECASE),
        _volume_count,
    ),
    _Refusal(
        (400, 403, 409, 413),
        re.compile(r"Maximum number of snapshots allowed \((?P<allowed>\d+)\) exceeded", re.IGNORECASE),
        _snapshot_count,
    ),
    _Refusal((409,), re.compile(r"ports still in use on the network", re.IGNORECASE), _network_in_use),
    _Refusal((409,), re.compile(r"ports have an IP allocation from this subnet", re.IGNORECASE), _subnet_in_use),
    _Refusal((409,), re.compile(r"Router \S+ still has ports|RouterInUse", re.IGNORECASE), _router_in_use),
    _Refusal((403,), re.compile(r"create_floatingip:floating_ip_address", re.IGNORECASE), _floating_ip_address),
    _Refusal((403,), re.compile(r"publicize_image", re.IGNORECASE), _image_public),
    _Refusal((409,), re.compile(r"Security group rule already exists", re.IGNORECASE), _rule_exists),
)


def explain(status: int, detail: str) -> Explained | None:
    """The sentence for a refusal this module knows (`status` the HTTP status, `detail` the
    service's text), or None."""
    for refusal in _REFUSALS:
        if status in refusal.statuses:
            m = refusal.pattern.search(detail or "")
            if m:
                return refusal.say(m)
    return None
