"""Each kind of cloud failure becomes the message a user can act on."""

import threading

import pytest
from django.utils import translation
from django.utils.translation import gettext_lazy
from keystoneauth1 import exceptions as ks_exc
from openstack import exceptions as sdk_exc
from requests import Response

from dashboard.cloud import CloudError, SessionExpired, call, concurrently, translate


def http_error(status, details, url="http://127.0.0.1:8774/v2.1/servers"):
    response = Response()
    response.status_code = status
    response.url = url
    return sdk_exc.HttpException(message=f"Client Error for url: {url}", response=response, details=details)


def test_connection_refused_says_service_is_not_responding():
    error = translate(ks_exc.ConnectFailure("refused"), service="compute")
    assert isinstance(error, CloudError)
    assert error.kind == "unavailable"
    assert "Compute (Nova) service is not responding" in error.message


def test_missing_endpoint_says_cloud_has_no_such_service():
    error = translate(ks_exc.EndpointNotFound("none"), service="volume")
    assert error.kind == "unavailable"
    assert "no Block Storage (Cinder) service" in error.message


def test_forbidden_names_the_service_and_its_reason():
    error = translate(http_error(403, "Policy doesn't allow os_compute_api:os-hypervisors:list to be performed."))
    assert error.kind == "forbidden"
    assert "not allowed" in error.message
    assert "os-hypervisors" in error.message
    assert error.status == 403


def test_quota_exceeded_is_recognised_from_nova_wording():
    detail = "Quota exceeded for cores: Requested 4, but already used 20 of 20 cores"
    error = translate(http_error(403, detail))
    assert error.kind == "quota"
    assert "Quota exceeded" in error.message and "20 of 20 cores" in error.message
    assert "larger quota" in error.message


def test_413_is_quota_even_without_the_word():
    error = translate(http_error(413, "Maximum number of ports reached", url="http://127.0.0.1:9696/v2.0/ports"))
    assert error.kind == "quota"


def test_not_found_says_the_calls_own_sentence():
    sentence = gettext_lazy("The instance was not found; it may have been deleted.")
    error = translate(http_error(404, "Instance abc could not be found."), not_found=sentence)
    assert error.kind == "not_found"
    assert error.message == "The instance was not found; it may have been deleted."
    assert error.detail == "Instance abc could not be found."


def test_not_found_without_a_sentence_says_the_resource_may_have_been_deleted():
    error = translate(http_error(404, "gone"))
    assert error.message == "The requested resource was not found; it may have been deleted."


def test_not_found_is_said_in_the_language_active_when_it_is_raised():
    sentence = gettext_lazy("The volume was not found; it may have been deleted.")
    with translation.override("fr"):
        error = translate(http_error(404, "gone", url="http://127.0.0.1:8776/v3/x"), not_found=sentence)
        default = translate(http_error(404, "gone"))
    assert error.message == "Le volume est introuvable ; il a peut-être été supprimé."
    assert default.message == "La ressource demandée est introuvable ; elle a peut-être été supprimée."


def test_conflict_carries_nova_reason():
    error = translate(http_error(409, "Cannot 'stop' instance abc while it is in vm_state stopped"))
    assert error.kind == "conflict"
    assert "Compute (Nova) refused: Cannot 'stop' instance" in error.message


def test_bad_request_json_body_is_unwrapped():
    body = '{"badRequest": {"code": 400, "message": "Invalid key_name provided."}}'
    error = translate(http_error(400, body))
    assert error.kind == "bad_request"
    assert error.message == "Compute (Nova) rejected the request: Invalid key_name provided."


def test_server_error_is_unavailable_with_status():
    error = translate(http_error(503, "Service Unavailable", url="http://127.0.0.1:9292/v2/images"))
    assert error.kind == "unavailable"
    assert "Image (Glance) service failed (503)" in error.message


def test_unauthorized_means_session_expired():
    assert isinstance(translate(http_error(401, "The request you have made requires authentication.")), SessionExpired)
    assert isinstance(translate(ks_exc.Unauthorized("expired")), SessionExpired)


def test_programming_errors_are_not_hidden():
    boom = KeyError("x")
    assert translate(boom) is boom


def test_call_consumes_generators_inside_the_error_net():
    def listing():
        yield 1
        raise ks_exc.ConnectFailure("gone")

    with pytest.raises(CloudError) as info:
        call(listing, service="network")
    assert info.value.kind == "unavailable"


def test_concurrently_returns_optional_failures_as_values():
    def fails():
        raise http_error(503, "down", url="http://127.0.0.1:8776/v3/x")

    result = concurrently({"ok": lambda: 42, "vol": fails}, optional=("vol",))
    assert result["ok"] == 42
    assert isinstance(result["vol"], CloudError) and result["vol"].kind == "unavailable"


def test_concurrently_raises_required_failure():
    def fails():
        raise http_error(404, "gone")

    with pytest.raises(CloudError):
        concurrently({"ok": lambda: 1, "servers": fails})


def test_quota_limit_below_usage_is_a_bad_request_not_quota_exceeded():
    detail = "Quota limit 0 for instances must be greater than or equal to already used and reserved 1."
    error = translate(http_error(400, detail))
    assert error.kind == "bad_request"
    assert "must be greater than or equal to already used" in error.message


def test_calls_that_run_calls_concurrently_finish_however_busy_the_pool(settings, monkeypatch):
    """Every worker of a pool busy with calls that each wait for inner calls: were the inner calls
    queued on the same pool, none would ever run."""
    from dashboard.cloud import calls

    settings.OPENSTACK_CONCURRENCY = 1  # 4 workers a pool
    monkeypatch.setattr(calls, "_pools", {})
    started = threading.Barrier(4, timeout=10)  # the 4 workers all taken before any inner call is asked

    def outer(n):
        started.wait()
        inner = concurrently({f"{n}-{i}": (lambda i=i: n * 10 + i) for i in range(3)})
        return sum(inner.values())

    finished = {}
    runner = threading.Thread(
        target=lambda: finished.update(concurrently({str(n): (lambda n=n: outer(n)) for n in range(4)})),
        daemon=True,
    )
    runner.start()
    runner.join(timeout=20)
    assert finished == {str(n): 30 * n + 3 for n in range(4)}


def test_calls_nested_past_the_last_pool_run_in_their_caller():
    from dashboard.cloud import calls

    def nest(depth):
        if depth == 0:
            return threading.current_thread().name
        return concurrently({"x": lambda: nest(depth - 1), "other": lambda: None})["x"]

    innermost = nest(calls.MAX_LEVELS + 1)
    assert innermost.startswith(f"cloud{calls.MAX_LEVELS - 1}")


def test_a_single_call_runs_in_its_caller_with_its_error_translated():
    """Nothing to wait beside it: no handover to a pool's worker."""
    assert concurrently({"only": lambda: threading.current_thread().name}) == {"only": threading.current_thread().name}

    def missing():
        raise sdk_exc.NotFoundException("gone")

    with pytest.raises(CloudError):
        concurrently({"only": missing})
    assert isinstance(concurrently({"only": missing}, optional=("only",))["only"], CloudError)


# --- refusals said as what to do, the service's text kept as the detail (dashboard.cloud.refusals) ---
CINDER = "http://127.0.0.1:8776/v3/p/volumes/v/action"
NEUTRON = "http://127.0.0.1:9696/v2.0/networks/n"


def test_extend_over_the_storage_quota_says_the_figures_and_what_to_do():
    detail = (
        "VolumeSizeExceedsAvailableQuota: Requested volume or snapshot exceeds allowed gigabytes quota. "
        "Requested 28G, quota is 20G and 4G has been consumed."
    )
    error = translate(http_error(413, detail, url=CINDER))
    assert error.kind == "quota"
    assert error.message.startswith("This needs 28 GiB more volume storage, but the project's quota is 20 GiB")
    assert "volumes and snapshots already use 4 GiB" in error.message and "Choose a smaller size" in error.message
    assert "VolumeSizeExceeds" not in error.message  # the service's words are the detail, not the sentence
    assert error.detail == detail
    assert error.said == f"Block Storage (Cinder) said: {detail}"


def test_the_storage_quota_refusal_is_said_in_french():
    detail = "Requested 28G, quota is 20G and 0G has been consumed."
    with translation.override("fr"):
        error = translate(http_error(413, detail, url=CINDER))
        assert "28 Gio" in error.message and "20 Gio" in error.message
        assert error.said.startswith("Stockage en bloc (Cinder) a répondu")


def test_too_many_volumes_says_the_quota():
    error = translate(
        http_error(
            413, "VolumeLimitExceeded: Maximum number of volumes allowed (10) exceeded for quota 'volumes'.", url=CINDER
        )
    )
    assert error.kind == "quota"
    assert "already has the 10 volumes its quota allows" in error.message


def test_network_with_a_router_interface_says_to_remove_the_interface_first():
    detail = (
        "Unable to complete operation on network 8c1d. There are one or more ports still in use on the network, "
        "id for these ports is: 5f0e2a."
    )
    error = translate(http_error(409, detail, url=NEUTRON))
    assert error.kind == "conflict"
    assert "Remove the router's interface on this network" in error.message
    assert "5f0e2a" not in error.message and "5f0e2a" in error.said


def test_choosing_a_floating_ip_address_without_the_right_says_who_can():
    detail = "(rule:create_floatingip and rule:create_floatingip:floating_ip_address) is disallowed by policy"
    error = translate(http_error(403, detail, url="http://127.0.0.1:9696/v2.0/floatingips"))
    assert error.kind == "forbidden"
    assert "leave the address empty" in error.message


def test_an_unknown_refusal_keeps_the_general_sentence_quoting_the_service():
    error = translate(
        http_error(
            409,
            "Cannot 'stop' instance while it is in vm_state stopped",
        )
    )
    assert not error.explained and error.said == ""
    assert "vm_state stopped" in error.message
