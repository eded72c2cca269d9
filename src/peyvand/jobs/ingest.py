"""The ingest job kinds: enriching the items the API stored pending, and ingesting an uploaded file."""

from __future__ import annotations

from typing import Any

from peyvand.jobs.queue import Handler
from peyvand.storage.db import Store


def _enrich(store: Store, payload: dict[str, Any]) -> None:
    from peyvand.services.access import Actor
    from peyvand.services.enrichment import enrich_pending_items

    # the items were checked when they were accepted; the job works for the workspace
    enrich_pending_items(store, Actor.operator(int(payload["workspace_id"])))


def _upload(store: Store, payload: dict[str, Any]) -> None:
    from peyvand.services.uploads import run_upload

    run_upload(store, upload_id=int(payload["upload_id"]))


# kinds: peyvand.services.enrichment.ENRICH_JOB, peyvand.services.uploads.UPLOAD_JOB
INGEST_HANDLERS: dict[str, Handler] = {"ingest.enrich": _enrich, "ingest.upload": _upload}
