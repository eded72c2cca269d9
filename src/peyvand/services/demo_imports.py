"""The demo's imports of each kind: platform exports through the normal parsers, an API batch and webhook
deliveries through the live path, a token and webhook endpoints on the integrations page; then the
enrichment job's work, done in place (the demo has no worker running while it is built)."""

from __future__ import annotations

import datetime as dt
import io
import json
import secrets
from typing import Any

from peyvand.demo.brands import BrandSpec
from peyvand.demo.exports import DemoExport, exports
from peyvand.services.access import Actor
from peyvand.services.api_tokens import create_token, token_pepper
from peyvand.services.enrichment import enrich_pending_items
from peyvand.services.ingest import IngestSummary, ingest_records
from peyvand.services.ingest_live import ingest_live
from peyvand.services.webhooks import create_endpoint
from peyvand.services.workspaces import load_brand
from peyvand.sources import SourceContext, parser_for
from peyvand.sources.base import Record
from peyvand.sources.meta_webhook import parse_payload
from peyvand.sources.telegram_bot import parse_updates
from peyvand.storage.db import Store


def _import_export(store: Store, actor: Actor, export: DemoExport, context: SourceContext) -> IngestSummary:
    ctx = SourceContext(brand=context.brand, mapping=export.mapping)
    parser = parser_for(export.format, ctx)
    records = parser(io.BytesIO(export.content), context=ctx, name=export.name)
    # The label is the file's name, like a CLI import's: "demo" is said by `via`, in the viewer's language.
    return ingest_records(store, actor, records, label=export.name, format=export.format, via="demo")


def _api_batch(spec: BrandSpec, end: dt.date) -> list[Record]:
    """What a CRM sync would send to POST /api/v1/items:batch: two tickets, one repeated, one broken."""
    at = dt.datetime.combine(end, dt.time(9, 30), dt.UTC).isoformat()
    tickets = [
        {
            "id": f"crm-{spec.workspace}-1",
            "source": "crm",
            "kind": "email",
            "created_at": at,
            "text": f"Hello, we would like to stock {spec.products[0].en} in our cafe chain. "
            "Wholesale prices?",
            "author": {"name": "Cafe Nour", "email": "buy@cafenour.example"},
        },
        {
            "id": f"crm-{spec.workspace}-2",
            "source": "crm",
            "kind": "email",
            "created_at": at,
            "text": "سفارش ۱۲۰۴ هنوز نرسیده، لطفا پیگیری کنید.",
            "author": {"name": "Arash"},
        },
    ]
    lines = [json.dumps(t, ensure_ascii=False) for t in [*tickets, tickets[0]]] + [
        '{"id": "crm-x", "kind": "email"'
    ]
    return [
        Record(f"line {n}", n, item=json.loads(line))
        if line.endswith("}") and '"source"' in line
        else Record(f"line {n}", n, reject="not valid JSON: Expecting ',' delimiter", raw=line)
        for n, line in enumerate(lines, start=1)
    ]


def _telegram_update(spec: BrandSpec, end: dt.date) -> dict[str, Any]:
    moment = int(dt.datetime.combine(end, dt.time(8, 15), dt.UTC).timestamp())
    return {
        "update_id": 880001,
        "message": {
            "message_id": 311,
            "date": moment,
            "text": f"سلام، {spec.products[0].fa} امروز ارسال میشه؟",
            "from": {"id": 55501, "is_bot": False, "first_name": "Parisa", "username": "parisa_m"},
            "chat": {"id": 55501, "type": "private", "first_name": "Parisa", "username": "parisa_m"},
        },
    }


def _meta_delivery(spec: BrandSpec, end: dt.date) -> dict[str, Any]:
    moment = int(dt.datetime.combine(end, dt.time(7, 40), dt.UTC).timestamp())
    return {
        "object": "instagram",
        "entry": [
            {
                "id": "17841400000000777",
                "time": moment,
                "changes": [
                    {
                        "field": "comments",
                        "value": {
                            "id": f"1790{moment}",
                            "text": f"{spec.products[-1].fa} رو کجا پیدا کنم؟",
                            "from": {"id": "1784140000000551", "username": "mina.style"},
                            "media": {"id": "1800000000000777", "media_product_type": "FEED"},
                        },
                    },
                    {
                        "field": "mentions",
                        "value": {"media_id": "1800000000000778", "comment_id": "1790000000000001"},
                    },
                ],
            }
        ],
    }


def _live(store: Store, actor: Actor, spec: BrandSpec, end: dt.date, context: SourceContext) -> None:
    ingest_live(
        store, actor, _api_batch(spec, end), channel="API token «crm-sync»", format="canonical", via="api"
    )
    telegram = parse_updates(_telegram_update(spec, end), context=context)
    ingest_live(
        store, actor, telegram, channel="telegram webhook «support bot»", format="telegram-bot", via="webhook"
    )
    meta = parse_payload(_meta_delivery(spec, end), context=context)
    ingest_live(store, actor, meta, channel="meta webhook «instagram»", format="meta-webhook", via="webhook")
    enrich_pending_items(store, actor)


def load_demo_imports(
    store: Store, workspace_ids: dict[str, int], specs: list[BrandSpec], end: dt.date
) -> None:
    """Import one export of each kind into each demo workspace, and the live API and webhook runs."""
    pepper = token_pepper(store)
    for number, spec in enumerate(specs):
        actor = Actor.operator(workspace_ids[spec.workspace])
        context = SourceContext(brand=load_brand(store, workspace_id=actor.workspace_id))
        for export in exports(spec, end, chat_id=1_700_000_001 + number):
            _import_export(store, actor, export, context)
        _live(store, actor, spec, end, context)
        create_token(store, actor, name="crm-sync", scopes=["ingest"], pepper=pepper)
        create_endpoint(store, actor, kind="telegram", name="support bot")
        create_endpoint(store, actor, kind="meta", name="instagram", app_secret=secrets.token_hex(16))
