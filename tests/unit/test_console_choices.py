"""Which consoles an instance's page offers by name (dashboard.live.consoles.choices): the ones the
operator says the cloud has (DASHBOARD_CONSOLE_TYPES), when there are several of those it can open."""

from django.test import override_settings
from django.utils import translation

from dashboard.live import consoles


def test_several_consoles_are_offered_by_name_in_the_settings_order():
    with override_settings(CONSOLE_TYPES=["spice-html5", "novnc"]), translation.override("fr"):
        assert consoles.choices() == [("spice-html5", "Console SPICE"), ("novnc", "Console VNC")]


def test_one_console_or_auto_is_one_button_without_a_choice():
    for types in ([], ["novnc"], ["novnc", "serial"]):  # a serial console has no page to open
        with override_settings(CONSOLE_TYPES=types):
            assert consoles.choices() == [], types
