"""Where Zenith finds the cloud: DASHBOARD_KEYSTONE_URL, or an OS_CLOUD entry of clouds.yaml."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def settings_with(env_extra, tmp_path=None):
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DASHBOARD_", "OS_"))}
    env.update({"DASHBOARD_SECRET_KEY": "a-key-for-the-settings-tests-" + "s" * 30}, **env_extra)
    code = (
        "import dashboard.settings as s; print(s.OPENSTACK_AUTH_URL); print(s.OPENSTACK_REGION); "
        "print(s.OPENSTACK_VERIFY)"
    )
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True, check=True)
    return out.stdout.split("\n")[:3]


def test_clouds_yaml_entry_gives_url_region_and_ca(tmp_path):
    (tmp_path / "clouds.yaml").write_text(
        "clouds:\n  prod:\n    auth:\n      auth_url: https://keystone.example.org:5000\n"
        "      username: ignored\n    region_name: Lyon\n    cacert: /etc/ssl/example-ca.pem\n"
    )
    url, region, verify = settings_with({"OS_CLOUD": "prod", "OS_CLIENT_CONFIG_FILE": str(tmp_path / "clouds.yaml")})
    assert url == "https://keystone.example.org:5000/v3"
    assert region == "Lyon"
    assert verify == "/etc/ssl/example-ca.pem"


def test_dashboard_variables_win_over_clouds_yaml(tmp_path):
    (tmp_path / "clouds.yaml").write_text(
        "clouds:\n  prod:\n    auth:\n      auth_url: https://a.example.org/v3\n"
        "    region_name: Lyon\n    verify: false\n"
    )
    url, region, verify = settings_with(
        {
            "OS_CLOUD": "prod",
            "OS_CLIENT_CONFIG_FILE": str(tmp_path / "clouds.yaml"),
            "DASHBOARD_REGION": "Paris",
        }
    )
    assert (url, region, verify) == ("https://a.example.org/v3", "Paris", "false")


def test_default_is_the_local_devcloud():
    url, region, verify = settings_with({})
    assert (url, region, verify) == ("http://127.0.0.1:5000/v3", "", "true")
