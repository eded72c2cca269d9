"""Hostile input against the API's own OpenAPI document (schemathesis): for every operation, requests
generated from the schema (valid and invalid) never get a server error, and every answer matches what
the document says (status codes and response bodies). Each accepted outcome accounts for its records."""

from __future__ import annotations

import json
from typing import Any

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error, response_schema_conformance, status_code_conformance

from api_support import endpoint, token_for
from tests_support import Site

EXAMPLES = 20


@schemathesis.serializer("application/x-ndjson")
def _ndjson(_ctx: Any, value: Any) -> bytes:
    if isinstance(value, str):
        return value.encode("utf-8", "surrogatepass")
    return json.dumps(value).encode()


def _overrides(site: Site) -> dict[str, dict[str, Any]]:
    """Real endpoints (so generated requests reach the signature checks and, for Telegram, the parser)."""
    generic = endpoint(site.client, site.workspace, "generic")
    meta = endpoint(site.client, site.workspace, "meta", app_secret="meta-secret")
    telegram = endpoint(site.client, site.workspace, "telegram")
    return {
        "generic": {"path_parameters": {"endpoint_id": generic.info.public_id}},
        "meta": {"path_parameters": {"endpoint_id": meta.info.public_id}},
        "telegram": {
            "path_parameters": {"endpoint_id": telegram.info.public_id},
            "headers": {"X-Telegram-Bot-Api-Secret-Token": telegram.secret},
        },
    }


def _check_operation(
    operation: Any, mode: GenerationMode, auth: dict[str, str], extra: dict[str, Any]
) -> None:
    strategy = operation.as_strategy(generation_mode=mode, **extra)

    @settings(
        max_examples=EXAMPLES,
        deadline=None,
        suppress_health_check=list(HealthCheck),
        database=None,
    )
    @given(case=strategy)
    def run(case: Any) -> None:
        response = case.call(headers=auth)
        checks = [not_a_server_error, status_code_conformance, response_schema_conformance]
        case.validate_response(response, checks=checks)
        if response.status_code == 200 and "accepted" in (body := response.json()):
            assert body["rejected"] == len(body["rejects"]) or body["rejected"] > 10_000

    run()


@pytest.mark.parametrize("mode", [GenerationMode.POSITIVE, GenerationMode.NEGATIVE])
def test_no_request_from_the_schema_breaks_the_api(site: Site, mode: GenerationMode) -> None:
    token = token_for(site.client, site.workspace, "ingest", "imports:read")
    schema = schemathesis.openapi.from_asgi("/api/openapi.json", site.client.app)
    overrides = _overrides(site)
    tested = []
    for result in schema.get_all_operations():
        operation = result.ok()
        if not operation.path.startswith("/api/v1/"):
            continue
        kind = next((k for k in overrides if f"/webhooks/{k}/" in operation.path), None)
        extra = dict(overrides[kind]) if kind else {}
        headers = {"Authorization": f"Bearer {token}", **extra.pop("headers", {})}
        _check_operation(operation, mode, headers, extra)
        tested.append(f"{operation.method.upper()} {operation.path}")
    assert len(tested) >= 8, tested
