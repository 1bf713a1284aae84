"""Which actions the instances panel offers for each state Nova can report (pure logic)."""

import pytest

from dashboard.cloud.instance_actions import ACTIONS, BY_STATUS, allowed_actions, offered
from dashboard.cloud.instances import Instance


def test_active_instance_can_be_stopped_but_not_started():
    allowed = allowed_actions("ACTIVE")
    assert {"stop", "reboot", "reboot_hard", "pause", "suspend", "shelve", "resize", "snapshot"} <= allowed
    assert "start" not in allowed and "unpause" not in allowed and "resume" not in allowed


def test_shutoff_instance_can_be_started_and_hard_rebooted_only():
    allowed = allowed_actions("SHUTOFF")
    assert {"start", "reboot_hard", "resize", "rebuild", "attach_volume", "delete"} <= allowed
    assert not {"stop", "reboot", "pause", "suspend"} & allowed


@pytest.mark.parametrize(
    ("status", "undo", "forbidden"),
    [
        ("PAUSED", "unpause", {"pause", "start", "stop"}),
        ("SUSPENDED", "resume", {"suspend", "attach_volume", "start"}),
        ("SHELVED_OFFLOADED", "unshelve", {"shelve", "start", "stop", "resize", "snapshot"}),
        ("SHELVED", "unshelve", {"start", "stop"}),
    ],
)
def test_paused_suspended_shelved_offer_their_way_back(status, undo, forbidden):
    allowed = allowed_actions(status)
    assert undo in allowed
    assert not forbidden & allowed


def test_verify_resize_offers_confirm_and_revert_only_then():
    assert {"confirm_resize", "revert_resize"} <= allowed_actions("VERIFY_RESIZE")
    for status in BY_STATUS:
        if status != "VERIFY_RESIZE":
            assert "confirm_resize" not in allowed_actions(status), status
    assert "resize" not in allowed_actions("VERIFY_RESIZE")


def test_a_running_task_leaves_only_delete_and_lock():
    assert allowed_actions("ACTIVE", task_state="rebooting") == {"delete", "lock"}
    assert allowed_actions("BUILD", task_state="spawning") == {"delete", "lock"}


def test_deleting_or_deleted_instances_offer_nothing():
    assert allowed_actions("ACTIVE", task_state="deleting") == set()
    assert allowed_actions("DELETED") == set()
    assert allowed_actions("SOFT_DELETED") == set()


def test_locked_instance_offers_unlock_and_only_what_nova_does_not_lock_check():
    allowed = allowed_actions("ACTIVE", locked=True)
    assert "unlock" in allowed and "rename" in allowed and "snapshot" in allowed
    assert not {"stop", "reboot", "delete", "rebuild", "resize", "attach_volume", "lock"} & allowed
    assert allowed_actions("SHELVED_OFFLOADED", locked=True) == {"unlock", "rename", "disassociate_floating_ip"}
    assert allowed_actions("ACTIVE", task_state="rebooting", locked=True) == {"unlock"}
    admin = allowed_actions("ACTIVE", locked=True, is_admin=True)
    assert "unlock" in admin and "lock" not in admin and "stop" in admin


def test_unlocked_instance_offers_lock_not_unlock():
    allowed = allowed_actions("SHUTOFF")
    assert "lock" in allowed and "unlock" not in allowed


def test_error_instance_can_be_hard_rebooted_rebuilt_or_deleted():
    allowed = allowed_actions("ERROR")
    assert {"reboot_hard", "rebuild", "delete"} <= allowed
    assert "reboot" not in allowed and "start" not in allowed


def test_unknown_status_still_offers_delete():
    assert allowed_actions("SOMETHING_NEW") == {"delete", "lock"}


def test_status_is_case_insensitive():
    assert allowed_actions("active") == allowed_actions("ACTIVE")


def test_offered_keeps_display_order_and_leaves_out_targeted_actions():
    names = [a.name for a in offered(Instance(id="i", name="n", status="ACTIVE"))]
    assert names == [n for n in ACTIONS if n in names]
    assert "detach_volume" not in names and "disassociate_floating_ip" not in names
    assert "stop" in names


def test_every_state_action_is_a_known_action_and_destructive_ones_confirm():
    for actions in BY_STATUS.values():
        assert actions <= set(ACTIONS)
    for name in ("delete", "stop", "reboot_hard", "shelve", "revert_resize", "detach_volume"):
        assert ACTIONS[name].confirm
