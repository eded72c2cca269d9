"""The imports page: runs with their outcomes, rejects and their downloads, the upload form (a job), the
integrations page (tokens and webhooks, secrets shown once), and who may see and do what."""

from __future__ import annotations

import csv
import io
import json
import re
from pathlib import Path
from typing import Any

from api_support import bearer, comment, ndjson, run_jobs, token_for
from tests_support import Site, text_of

PAYLOADS = Path(__file__).resolve().parents[1] / "payloads"


def _run_with_rejects(site: Site) -> int:
    token = token_for(site.client, site.workspace, name="crm")
    body = ndjson(comment("p1"), b"{broken", {"id": "p2", "source": "x", "kind": "comment"}, comment("p3"))
    return int(
        site.client.post("/api/v1/items:batch", content=body, headers=bearer(token)).json()["import_id"]
    )


def _upload(site: Site, name: str, content: bytes, **data: str) -> Any:
    token = site.csrf("/imports")
    return site.client.post(
        "/imports/upload",
        data={"csrf_token": token, **data},
        files={"file": (name, content, "application/json")},
    )


def test_the_imports_page_lists_runs_with_their_outcomes(site: Site) -> None:
    run_id = _run_with_rejects(site)
    site.login("admin-user")
    page = site.client.get("/imports")
    assert page.status_code == 200
    row = re.search(rf'<tr data-run="{run_id}" data-via="api">(.*?)</tr>', page.text, re.S)
    assert row is not None
    assert "API token «crm»" in row.group(1) and text_of(row.group(1)).split()[-5:] == [
        "2",
        "0",
        "0",
        "2",
        "live",
    ]
    assert 'data-via="cli"' in page.text  # the fixture's own ingest, beside the API run
    runs = site.client.get("/imports?format=json").json()
    assert {r["id"]: (r["accepted"], r["rejected"], r["via"]) for r in runs}[run_id] == (2, 2, "api")
    assert "label" in site.client.get("/imports?format=csv").text.splitlines()[0]
    only_api = site.client.get("/imports?via=api&format=json").json()
    assert {r["via"] for r in only_api} == {"api"}


def test_a_run_shows_its_rejects_and_downloads_them(site: Site) -> None:
    run_id = _run_with_rejects(site)
    site.login("marketing-user")
    page = site.client.get(f"/imports/{run_id}")
    assert page.status_code == 200
    body = text_of(page.text)
    assert (
        "line 2" in body
        and "not valid JSON" in body
        and "line 3" in body
        and "created_at: is required" in body
    )
    lines = site.client.get(f"/imports/{run_id}?format=json")
    assert lines.headers["content-type"].startswith("application/x-ndjson")
    rejects = [json.loads(line) for line in lines.text.splitlines()]
    assert [(r["line"], r["raw"]) for r in rejects] == [
        (2, "{broken"),
        (3, '{"id": "p2", "source": "x", "kind": "comment"}'),
    ]
    table = list(csv.DictReader(io.StringIO(site.client.get(f"/imports/{run_id}?format=csv").text)))
    assert [row["line"] for row in table] == ["2", "3"] and table[0]["raw"] == "{broken"
    assert "attachment" in site.client.get(f"/imports/{run_id}?format=csv").headers["content-disposition"]


def test_a_persian_page_gives_the_rejects_reasons_in_persian(site: Site) -> None:
    """Reasons are stored in English (the downloads keep them); a Persian page reads them in Persian,
    the values they name as written."""
    run_id = _run_with_rejects(site)
    site.login("marketing-user")
    site.client.post(
        "/locale", data={"locale": "fa", "csrf_token": site.csrf("/account"), "next": "/account"}
    )
    body = text_of(site.client.get(f"/imports/{run_id}").text)
    assert "JSON معتبر نیست" in body and "created_at: لازم است" in body
    assert "is required" not in body
    assert "created_at: is required" in site.client.get(f"/imports/{run_id}?format=csv").text


def test_viewers_and_other_workspaces_see_no_imports(site: Site) -> None:
    run_id = _run_with_rejects(site)
    site.login("viewer-user")
    assert site.client.get("/imports").status_code == 403
    assert site.client.get(f"/imports/{run_id}?format=json").status_code == 403
    assert 'href="/imports"' not in site.client.get("/exchange").text
    token = site.csrf("/exchange")
    denied = site.client.post(
        "/imports/upload",
        data={"csrf_token": token},
        files={"file": ("a.jsonl", ndjson(comment("v1")), "text/plain")},
    )
    assert denied.status_code == 403
    site.client.cookies.clear()
    site.login("outsider")  # a PR member of the other workspace only
    assert site.client.get(f"/imports/{run_id}").status_code == 404
    assert all(r["id"] != run_id for r in site.client.get("/imports?format=json").json())


def test_an_uploaded_file_is_ingested_by_the_worker_and_its_run_shown(site: Site) -> None:
    site.login("pr-user")
    no_csrf = site.client.post("/imports/upload", files={"file": ("x.jsonl", b"{}", "text/plain")})
    assert no_csrf.status_code == 403
    export = next((PAYLOADS / "telegram").glob("*.json")).read_bytes()
    sent = _upload(site, "../../etc/result.json", export)
    assert sent.status_code == 303 and sent.headers["location"].startswith("/imports?uploaded=")
    queued = site.client.get("/imports").text
    assert 'data-status="queued"' in queued and "result.json" in queued and "../" not in queued
    app: Any = site.client.app
    run_jobs(app.state.store)
    page = site.client.get("/imports").text
    assert 'data-status="done"' in page
    found = re.search(r'data-status="done"><td dir="ltr">result.json</td>.*?/imports/(\d+)', page, re.S)
    assert found is not None
    run = {r["id"]: r for r in site.client.get("/imports?format=json").json()}[int(found.group(1))]
    assert (run["via"], run["format"], run["status"]) == ("web", "telegram", "done") and run["accepted"] > 0


def test_an_unreadable_upload_fails_with_its_reason(site: Site) -> None:
    site.login("admin-user")
    assert _upload(site, "notes.bin", b"\x00\x01\x02\x03 not an export").status_code == 303
    app: Any = site.client.app
    run_jobs(app.state.store)
    page = site.client.get("/imports").text
    assert 'data-status="failed"' in page and "notes.bin" in page and "/tmp/" not in page
    empty = _upload(site, "empty.jsonl", b"")
    assert empty.status_code == 400
    bad_mapping = site.client.post(
        "/imports/upload",
        data={"csrf_token": site.csrf("/imports"), "format": "csv"},
        files={
            "file": ("a.csv", b"a,b\n1,2\n", "text/csv"),
            "mapping": ("m.toml", b"[fields\n", "text/plain"),
        },
    )
    assert bad_mapping.status_code == 400 and "mapping file" in bad_mapping.text


def test_an_upload_over_the_limit_is_refused(site: Site) -> None:
    site.login("admin-user")
    app: Any = site.client.app
    big = b"x" * (app.state.settings.max_request_bytes + 1)
    assert _upload(site, "big.jsonl", big).status_code == 413


def test_admins_make_tokens_and_webhooks_on_the_integrations_page(site: Site) -> None:
    site.login("pr-user")
    assert site.client.get("/integrations").status_code == 403
    site.client.cookies.clear()
    site.login("admin-user")
    page = site.client.get("/integrations")
    assert page.status_code == 200 and 'href="/integrations"' in page.text
    made = site.client.post(
        "/integrations/tokens", data={"csrf_token": site.csrf("/integrations"), "name": "shop"}
    )
    secret = re.search(r'id="new-token-secret">(pvk_[^<]+)<', made.text)
    assert made.status_code == 200 and secret is not None and made.headers["cache-control"] == "no-store"
    listed = site.client.get("/integrations").text
    assert secret.group(1) not in listed and secret.group(1)[:12] + "…" in listed
    body = json.dumps(comment("int-1")).encode()
    assert site.client.post("/api/v1/items", content=body, headers=bearer(secret.group(1))).status_code == 200
    token_id = re.search(r'data-token="(\d+)"', listed).group(1)  # type: ignore[union-attr]
    revoked = site.client.post(
        f"/integrations/tokens/{token_id}/revoke", data={"csrf_token": site.csrf("/integrations")}
    )
    assert revoked.status_code == 303
    assert site.client.post("/api/v1/items", content=body, headers=bearer(secret.group(1))).status_code == 401
    hook = site.client.post(
        "/integrations/webhooks",
        data={"csrf_token": site.csrf("/integrations"), "kind": "telegram", "name": "support bot"},
    )
    url = re.search(r'id="new-webhook-url">([^<]+)<', hook.text)
    hook_secret = re.search(r'id="new-webhook-secret">([^<]+)<', hook.text)
    assert url and hook_secret and "setWebhook" in hook.text
    assert hook_secret.group(1) not in site.client.get("/integrations").text
