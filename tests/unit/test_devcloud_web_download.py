"""Glance's web-download on the devcloud: the tests (tests.helpers.serving) and the devcloud's smoke
test serve their files from the one port of 127.0.0.1 that the devcloud's Glance downloads from."""

import re

from tests.helpers import ROOT, WEB_DOWNLOAD_PORT

DEVCLOUD = ROOT / "tools" / "devcloud"


def test_the_tests_serve_from_the_one_port_the_devcloud_glance_allows():
    script = (DEVCLOUD / "devcloud").read_text()
    assert re.search(rf"^WEB_DOWNLOAD_PORT={WEB_DOWNLOAD_PORT}$", script, re.M)
    glance = (DEVCLOUD / "templates" / "glance-api.conf").read_text()
    section = glance.split("[import_filtering_opts]", 1)[1]
    assert re.search(r"^allowed_ports = \[\$\{WEB_DOWNLOAD_PORT\}\]$", section, re.M)
    assert re.search(r"^allowed_hosts = \[127\.0\.0\.1\]$", section, re.M)
    assert re.search(r"^allowed_schemes = \[http, https\]$", section, re.M)
    assert re.search(rf"^WEB_DOWNLOAD_PORT = {WEB_DOWNLOAD_PORT}$", (DEVCLOUD / "smoke.py").read_text(), re.M)
