"""schemathesis against a live Zenith (uvicorn, as `make demo` runs it) with demo's API key, from the
schema at /api/schema/: no 5xx, no response outside the documented shapes and statuses.

Bounded: a few examples per operation and a time budget; GET-heavy. Changing methods run only where
the generated ids cannot name anything real (random UUIDs of instances, another project's quotas
for a non-admin); launching and key pairs (which would make real resources) are left out.
"""

from __future__ import annotations

import re
import time
from datetime import date, timedelta

import requests
import schemathesis
from hypothesis import HealthCheck, Phase, given, settings
from schemathesis import GenerationConfig
from schemathesis.checks import not_a_server_error, response_schema_conformance, status_code_conformance

from tests.helpers import unique

BUDGET_SECONDS = 150
EXAMPLES = 8
# changing operations that would make (or delete) real resources of the demo project
SKIPPED = {("POST", "/api/v1/instances/"), ("POST", "/api/v1/keypairs/"), ("DELETE", "/api/v1/keypairs/{name}/")}


def _demo_key(base: str) -> tuple[str, requests.Session, str]:
    """Log in to the live Zenith as demo and make an API key on the keys page (over HTTP)."""
    web = requests.Session()
    web.get(f"{base}/auth/login/", timeout=60)
    answer = web.post(
        f"{base}/auth/login/",
        data={
            "username": "demo",
            "password": "demo",
            "domain": "Default",
            "csrfmiddlewaretoken": web.cookies["csrftoken"],
        },
        headers={"Referer": f"{base}/auth/login/"},
        timeout=60,
    )
    assert answer.ok and "/auth/login/" not in answer.url, answer.text[:500]
    made = web.post(
        f"{base}/auth/keys/",
        data={
            "name": unique("zt-fuzz"),
            "expires": (date.today() + timedelta(days=1)).isoformat(),
            "csrfmiddlewaretoken": web.cookies["csrftoken"],
        },
        headers={"Referer": f"{base}/auth/keys/"},
        timeout=60,
    )
    assert made.status_code == 201, made.text[:1000]
    key = re.search(r'<code[^>]* id="new-api-key">([^<]+)<', made.text).group(1).strip()
    row_id = re.findall(r'action="/auth/keys/([0-9a-f-]+)/revoke/"', made.text)[0]
    return key, web, row_id


def test_the_api_holds_to_its_schema_under_fuzzing(zenith_url):
    key, web, row_id = _demo_key(zenith_url)
    try:
        # the key goes in every request; no generated credentials (a fuzzed cookie or header value that
        # uvicorn itself refuses says nothing about Zenith)
        schema = schemathesis.from_uri(
            f"{zenith_url}/api/schema/",
            base_url=zenith_url,
            generation_config=GenerationConfig(with_security_parameters=False),
        )
        deadline = time.monotonic() + BUDGET_SECONDS
        failures: list[str] = []
        ran = 0
        for result in schema.get_all_operations():
            operation = result.ok()
            method = operation.method.upper()
            if (method, operation.path) in SKIPPED:
                continue
            # a POST to a collection makes a real resource in demo (a network, a volume, an image...)
            # that nothing would clean up: the bodies are checked by the panels' own tests
            if method == "POST" and "{" not in operation.path:
                continue
            examples = EXAMPLES if method == "GET" else 3

            @settings(
                max_examples=examples,
                deadline=None,
                database=None,
                derandomize=True,
                phases=[Phase.explicit, Phase.generate],
                suppress_health_check=list(HealthCheck),
            )
            @given(case=operation.as_strategy())
            def check(case):
                if time.monotonic() > deadline:
                    return
                response = case.call(headers={"Authorization": f"Bearer {key}"}, timeout=60)
                case.validate_response(
                    response, checks=(not_a_server_error, status_code_conformance, response_schema_conformance)
                )

            try:
                check()
                ran += 1
            except Exception as exc:  # noqa: BLE001 - every operation's failure is reported together
                failures.append(f"{method} {operation.path}: {str(exc)[:1500]}")
        assert failures == [], "\n\n".join(failures)
        assert ran >= 20, f"only {ran} operations were fuzzed"
    finally:
        web.post(
            f"{zenith_url}/auth/keys/{row_id}/revoke/",
            data={"csrfmiddlewaretoken": web.cookies["csrftoken"]},
            headers={"Referer": f"{zenith_url}/auth/keys/"},
            timeout=60,
        )
