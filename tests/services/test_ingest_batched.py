"""Ingest understands a batch's text items together (`understand_many`): the rows are exactly those of
understanding them one at a time, Persian edge cases and learned models included, in the same order, and
an invalid item keeps its place as a reject."""

from __future__ import annotations

from datetime import UTC, datetime

from peyvand.domain.items import ItemError
from peyvand.services.access import Actor
from peyvand.services.ingest_rows import PreparedItem, prepare, prepare_many
from peyvand.services.text_labels import import_labels
from peyvand.services.text_training import train_models
from peyvand.services.understanding import understanding_for
from peyvand.sources.base import Record
from peyvand.storage.db import Store
from text_data import made_up_labels, message

EDGE_CASES = [
    "چای سبز نیلوفر عالیه",  # Persian
    "چاي سبز نيلوفر خيلي خوبه",  # typed with Arabic ي and no ZWNJ
    "می‌خوام بخرم، قیمتش چنده؟",  # ZWNJ, Persian question mark
    "میخوام بخرم قیمتش چنده",  # the same without ZWNJ
    "salam, kheili mamnoon az chaye sabzetoon",  # Finglish
    "مرسی از این همه تاخیر 🙄",  # sarcasm
    "خوب نبود اصلا",  # Persian negation after the word
    "هذا الشاي ممتاز جدا",  # Arabic: other
    "😍😍😍",  # emoji only
    "۱۲۰٬۰۰۰ تومن؟ گرونه",  # Persian digits
    "@niloofartea سفارشم نرسید",  # addressed to the brand
    "The green tea is great but way too expensive",  # English, contrast
    "زورک زورک زورک باران",  # a made-up word: what a learned model decides
    "",  # no text
]


def _records() -> list[Record]:
    items = [message(i, text) for i, text in enumerate(EDGE_CASES)]
    items.insert(3, {"id": "bad", "source": "telegram", "kind": "comment"})  # invalid: no text or time
    items.insert(
        6,
        {
            "id": "r1",
            "source": "ga4",
            "kind": "metric",
            "metric": "site_visits",
            "at": "2026-03-01",
            "value": 5,
        },
    )
    return [Record(f"line {i}", item=item) for i, item in enumerate(items, start=1)]


def _one_by_one(records: list[Record], ctx: object, now: datetime) -> list[PreparedItem | ItemError]:
    out: list[PreparedItem | ItemError] = []
    for record in records:
        try:
            out.append(prepare(record, ctx, now))  # type: ignore[arg-type]
        except ItemError as exc:
            out.append(exc)
    return out


def _same(batched: list[PreparedItem | ItemError], single: list[PreparedItem | ItemError]) -> None:
    assert len(batched) == len(single)
    for b, s in zip(batched, single, strict=True):
        if isinstance(s, ItemError):
            assert isinstance(b, ItemError) and str(b) == str(s)
        else:
            assert isinstance(b, PreparedItem)
            assert (b.row, b.author, b.conversation_key, b.series, b.buckets) == (
                s.row, s.author, s.conversation_key, s.series, s.buckets,
            )  # fmt: skip


def test_batched_understanding_equals_one_at_a_time(store: Store, workspace: Actor) -> None:
    ctx, now, records = understanding_for(store, workspace.workspace_id), datetime.now(UTC), _records()
    batched = prepare_many(records, ctx, now)
    _same(batched, _one_by_one(records, ctx, now))
    assert isinstance(batched[3], ItemError) and batched[6].row["feedback"] == "reaction"  # type: ignore[union-attr]
    languages = [
        p.row["language"] for p in batched if isinstance(p, PreparedItem) and p.row["feedback"] != "reaction"
    ]
    assert languages[:5] == ["fa", "fa", "fa", "fa", "fa"] and languages[7] == "other"


def test_batched_understanding_equals_one_at_a_time_with_learned_models(
    store: Store, workspace: Actor
) -> None:
    import_labels(store, workspace, made_up_labels("intent"), task="intent")
    import_labels(store, workspace, made_up_labels("sentiment"), task="sentiment")
    train_models(store, workspace, queue_reenrich=False)
    ctx, now, records = understanding_for(store, workspace.workspace_id), datetime.now(UTC), _records()
    assert ctx.analyzer.models.intent is not None and ctx.analyzer.models.sentiment is not None
    batched = prepare_many(records, ctx, now)
    _same(batched, _one_by_one(records, ctx, now))
    texts = [p.row for p in batched if isinstance(p, PreparedItem) and p.row["feedback"] != "reaction"]
    assert not any(row["sentiment_provisional"] for row in texts)  # a learned model decided: not provisional
    assert texts[-2]["intent"] == "press_inquiry" and texts[-2]["unit"] == "media"
