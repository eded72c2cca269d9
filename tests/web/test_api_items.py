"""The HTTP ingest API: bearer tokens and scopes, single items and NDJSON batches with their outcomes,
whole export files, the size limit, and enrichment as a job."""

from __future__ import annotations

import io
import json
import zipfile
from pathlib import Path
from typing import Any

from sqlalchemy import select

from api_support import bearer, comment, ndjson, run_jobs, token_for
from peyvand.services.api_tokens import list_tokens, revoke_token
from peyvand.storage.tables import Item
from tests_support import Site

PAYLOADS = Path(__file__).resolve().parents[1] / "payloads"


def _items(site: Site, workspace_id: int) -> dict[str, Item]:
    app: Any = site.client.app
    with app.state.store.read() as session:
        rows = session.scalars(select(Item).where(Item.workspace_id == workspace_id))
        return {row.external_id: row for row in rows}


def test_every_call_needs_a_valid_token_with_the_right_scope(site: Site) -> None:
    client, body = site.client, json.dumps(comment("api-1")).encode()
    missing = client.post("/api/v1/items", content=body)
    assert missing.status_code == 401 and missing.headers["www-authenticate"] == "Bearer"
    assert "API token" in missing.json()["detail"]
    assert client.post("/api/v1/items", content=body, headers=bearer("pvk_" + "x" * 43)).status_code == 401
    assert (
        client.post("/api/v1/items", content=body, headers={"Authorization": "Basic eDp5"}).status_code == 401
    )
    reader = token_for(client, site.workspace, "imports:read")
    denied = client.post("/api/v1/items", content=body, headers=bearer(reader))
    assert denied.status_code == 403 and "ingest" in denied.json()["detail"]
    writer = token_for(client, site.workspace, "ingest")
    assert client.post("/api/v1/items", content=body, headers=bearer(writer)).status_code == 200
    assert client.get("/api/v1/imports/1", headers=bearer(writer)).status_code == 403
    app: Any = client.app
    token_id = max(t.id for t in list_tokens(app.state.store, site.workspace))
    revoke_token(app.state.store, site.workspace, token_id=token_id)
    assert client.post("/api/v1/items", content=body, headers=bearer(writer)).status_code == 401


def test_one_item_is_answered_with_its_outcome(site: Site) -> None:
    token = token_for(site.client, site.workspace)
    first = site.client.post(
        "/api/v1/items", content=json.dumps(comment("api-1")).encode(), headers=bearer(token)
    )
    assert first.status_code == 200
    assert {k: first.json()[k] for k in ("accepted", "duplicate", "rejected", "filtered")} == {
        "accepted": 1,
        "duplicate": 0,
        "rejected": 0,
        "filtered": 0,
    }
    again = site.client.post(
        "/api/v1/items", content=json.dumps(comment("api-1")).encode(), headers=bearer(token)
    )
    assert again.json()["duplicate"] == 1
    bad = site.client.post("/api/v1/items", content=b'{"id": "x", "kind": "comment"}', headers=bearer(token))
    assert bad.status_code == 422 and bad.json()["rejected"] == 1
    assert "source" in bad.json()["rejects"][0]["reason"]
    broken = site.client.post("/api/v1/items", content=b"{not json", headers=bearer(token))
    assert broken.status_code == 422 and "not valid JSON" in broken.json()["rejects"][0]["reason"]


def test_an_ndjson_batch_stores_the_good_lines_and_names_the_bad_ones(site: Site) -> None:
    token = token_for(site.client, site.workspace)
    body = ndjson(
        comment("b1"),
        b"{broken",
        comment("b2", kind="direct_message"),
        {"id": "b3", "source": "x", "kind": "comment"},
        {
            "id": "m1",
            "source": "ga4",
            "kind": "metric",
            "metric": "site_visits",
            "at": "2026-03-01",
            "value": 5,
        },
        comment("b1"),
    )
    response = site.client.post(
        "/api/v1/items:batch", content=body, headers=bearer(token, **{"Content-Type": "application/x-ndjson"})
    )
    outcome = response.json()
    assert response.status_code == 200
    assert (outcome["accepted"], outcome["duplicate"], outcome["rejected"]) == (3, 1, 2)
    assert [r["line"] for r in outcome["rejects"]] == [2, 4]
    assert "created_at: is required" in outcome["rejects"][1]["reason"]
    array = site.client.post(
        "/api/v1/items:batch", json=[comment("b4"), "nope"], headers=bearer(token)
    ).json()
    assert (array["accepted"], array["rejected"]) == (1, 1)
    assert outcome["import_id"] == array["import_id"]  # one live run per token and day


def test_enrichment_runs_as_a_job_after_the_answer(site: Site) -> None:
    token = token_for(site.client, site.workspace)
    body = ndjson(comment("e1", "Niloofar green tea price? I want to order 20 boxes"))
    assert (
        site.client.post("/api/v1/items:batch", content=body, headers=bearer(token)).json()["accepted"] == 1
    )
    before = _items(site, site.workspace.workspace_id)["e1"]
    assert (before.feedback, before.team, before.enriched_at) == ("pending", None, None)
    app: Any = site.client.app
    assert run_jobs(app.state.store) >= 1
    after = _items(site, site.workspace.workspace_id)["e1"]
    assert after.feedback == "interaction" and after.team == "pr" and after.enriched_at is not None
    assert after.intent in ("purchase_intent", "question") and after.language == "en"
    assert "marketing" in after.share_with  # a sales signal is shared with marketing (rule 5)
    site.login("pr-user")
    assert "Niloofar green tea price?" in site.client.get("/pr").text


def test_a_body_over_the_limit_is_refused_with_413_and_json(site: Site) -> None:
    token = token_for(site.client, site.workspace)
    app: Any = site.client.app
    limit = app.state.settings.max_request_bytes
    response = site.client.post("/api/v1/items:batch", content=b" " * (limit + 1), headers=bearer(token))
    assert response.status_code == 413
    assert "PEYVAND_MAX_REQUEST_BYTES" in response.json()["detail"]

    def chunks() -> Any:  # no Content-Length: the limit is counted while reading
        for _ in range(limit // 65536 + 2):
            yield b" " * 65536

    streamed = site.client.post("/api/v1/items:batch", content=chunks(), headers=bearer(token))
    assert streamed.status_code == 413


def test_a_whole_export_file_is_ingested_with_its_format_detected(site: Site) -> None:
    token = token_for(site.client, site.workspace)
    export = next((PAYLOADS / "telegram").glob("*.json")).read_bytes()
    response = site.client.post("/api/v1/imports?filename=result.json", content=export, headers=bearer(token))
    outcome = response.json()
    assert response.status_code == 200 and outcome["accepted"] > 0
    total = sum(outcome[k] for k in ("accepted", "duplicate", "rejected", "filtered"))
    again = site.client.post(
        "/api/v1/imports?filename=result.json", content=export, headers=bearer(token)
    ).json()
    assert (
        again["accepted"] == 0
        and sum(again[k] for k in ("accepted", "duplicate", "rejected", "filtered")) == total
    )
    unknown = site.client.post("/api/v1/imports", content=b"\x00\x01\x02 binary", headers=bearer(token))
    assert unknown.status_code == 400 and "/tmp" not in unknown.json()["detail"]
    assert (
        site.client.post("/api/v1/imports?format=word", content=b"x", headers=bearer(token)).status_code
        == 400
    )


def test_a_run_outcome_is_read_with_an_imports_read_token_of_the_same_workspace(site: Site) -> None:
    writer = token_for(site.client, site.workspace)
    outcome = site.client.post(
        "/api/v1/items:batch", content=ndjson(comment("r1"), b"[1]"), headers=bearer(writer)
    ).json()
    reader = token_for(site.client, site.workspace, "imports:read")
    run = site.client.get(f"/api/v1/imports/{outcome['import_id']}", headers=bearer(reader))
    assert run.status_code == 200
    data = run.json()
    assert (data["accepted"], data["rejected"], data["status"]) == (1, 1, "live")
    assert data["rejects"] == [{"line": 2, "reason": "expected a JSON object, got list"}]
    stranger = token_for(site.client, site.other, "imports:read")
    assert (
        site.client.get(f"/api/v1/imports/{outcome['import_id']}", headers=bearer(stranger)).status_code
        == 404
    )


def test_the_openapi_document_describes_the_api(site: Site) -> None:
    spec = site.client.get("/api/openapi.json").json()
    assert spec["components"]["securitySchemes"]["bearerAuth"]["scheme"] == "bearer"
    for path in (
        "/api/v1/items",
        "/api/v1/items:batch",
        "/api/v1/imports",
        "/api/v1/webhooks/meta/{endpoint_id}",
        "/api/v1/webhooks/telegram/{endpoint_id}",
        "/api/v1/webhooks/generic/{endpoint_id}",
    ):
        assert path in spec["paths"], path
    batch = spec["paths"]["/api/v1/items:batch"]["post"]
    assert "application/x-ndjson" in batch["requestBody"]["content"]
    assert batch["responses"]["200"]["content"]["application/json"]["schema"]["$ref"].endswith(
        "IngestOutcome"
    )
    assert {"401", "403", "413"} <= set(batch["responses"])
    assert site.client.get("/api/docs").status_code == 200


def test_an_uploaded_file_names_its_rejects_by_the_uploaded_name_and_a_workbook_is_refused(
    site: Site,
) -> None:
    token = token_for(site.client, site.workspace)
    data = (
        "id,kind,created_at,text\n"
        "g1,comment,2026-03-05T10:00:00Z,خوب بود\n"
        "g2,comment,not a time,bad\n"
        "g3,comment,2026-03-05T10:00:00Z,too,many\n"
    ).encode()
    response = site.client.post("/api/v1/imports?filename=gen.csv", content=data, headers=bearer(token))
    outcome = response.json()
    assert response.status_code == 200 and (outcome["accepted"], outcome["rejected"]) == (1, 2)
    assert "/tmp" not in response.text and "peyvand-upload" not in response.text
    reader = token_for(site.client, site.workspace, "imports:read")
    run = site.client.get(f"/api/v1/imports/{outcome['import_id']}", headers=bearer(reader)).json()
    assert "peyvand-upload" not in json.dumps(run)
    assert [r["line"] for r in run["rejects"]] == [3, 4]

    workbook = io.BytesIO()
    with zipfile.ZipFile(workbook, "w") as zf:
        zf.writestr("[Content_Types].xml", "<Types/>")
        zf.writestr("xl/workbook.xml", "<workbook/>")
        zf.writestr("xl/worksheets/sheet1.xml", "<worksheet/>")
    refused = site.client.post(
        "/api/v1/imports?filename=book.xlsx", content=workbook.getvalue(), headers=bearer(token)
    )
    assert refused.status_code == 400
    assert "Excel workbook" in refused.json()["detail"] and "CSV" in refused.json()["detail"]


def test_a_value_of_the_wrong_type_is_answered_with_a_detail_sentence(site: Site) -> None:
    reader = token_for(site.client, site.workspace, "imports:read")
    answer = site.client.get("/api/v1/imports/abc", headers=bearer(reader))
    assert answer.status_code == 422
    body = answer.json()
    assert isinstance(body["detail"], str) and body["detail"].startswith("import_id: ")
    assert body["errors"] == [{"field": "import_id", "reason": body["errors"][0]["reason"]}]
    assert "abc" not in answer.text  # the value sent is not echoed
