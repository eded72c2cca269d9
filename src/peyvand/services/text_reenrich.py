"""Re-enrichment: understanding a workspace's stored text items again after its learned models changed
(the `text.reenrich` job that training queues; `peyvand models train` runs it at once).

Each item's text is enriched again in batches (`TextAnalyzer.enrich_many`, with the models now in use),
then routed again from that enrichment. What a person decided wins over any model: a sentiment, intent or
audience a person corrected or labelled on the labelling page (`decision_log` actor "person", or an item
label from an override or the page) is kept, and the routing is re-derived from the kept values; a routing
a person chose is never changed. Changed enrichment is stored; a changed routing (team, unit or
share_with) is also logged in `decision_log` with actor "model", and a conversation that followed the
item's team and unit follows it again (inbox event with actor "model").
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field, replace
from datetime import datetime
from typing import Any

from sqlalchemy import Row, insert, select, update
from sqlalchemy.orm import Session

from peyvand.domain.items import ItemError, TextItem, parse_item
from peyvand.services.access import OPERATOR, Actor, require
from peyvand.services.clock import utcnow
from peyvand.services.inbox_common import record_event
from peyvand.services.ingest_rows import enrichment_columns
from peyvand.services.understanding import WorkspaceUnderstanding, understanding_for
from peyvand.storage.db import Store
from peyvand.storage.tables import Conversation, DecisionLog, Item
from peyvand.storage.tables_text import TextLabel
from peyvand.text.enrich import Enrichment, TextInput
from peyvand.text.understand import understand_enriched

BATCH_SIZE = 500
MODEL = "model"
LABELS = ("sentiment", "intent", "audience")
ENRICHMENT = (
    "language", "normalised_text", "sentiment", "sentiment_score", "sentiment_provisional", "intent",
    "audience", "mentions_brand", "products", "competitors", "attributes",
)  # fmt: skip
ROUTING = ("team", "unit", "share_with", "reasons")
COLUMNS = (Item.id, Item.raw, Item.conversation_id, *(getattr(Item, c) for c in (*ENRICHMENT, *ROUTING)))
NOTE = "Routed again after the workspace's learned text models changed."


@dataclass
class ReenrichResult:
    examined: int = 0
    changed: int = 0
    fields: Counter[str] = field(default_factory=Counter)  # items whose field changed, by field
    kept_by_person: Counter[str] = field(default_factory=Counter)  # fields a person set, kept

    def to_json(self) -> dict[str, Any]:
        return {
            "examined": self.examined,
            "changed": self.changed,
            "fields": dict(self.fields),
            "kept_by_person": dict(self.kept_by_person),
        }


def person_fields(session: Session, item_ids: list[int]) -> dict[int, set[str]]:
    """For each item, the fields a person decided (sentiment, intent, audience, routing)."""
    found: dict[int, set[str]] = defaultdict(set)
    logged = select(DecisionLog.item_id, DecisionLog.field).where(
        DecisionLog.item_id.in_(item_ids), DecisionLog.actor == "person"
    )
    labelled = select(TextLabel.item_id, TextLabel.task).where(
        TextLabel.item_id.in_(item_ids), TextLabel.source.in_(("override", "page"))
    )
    for query in (logged, labelled):
        for item_id, name in session.execute(query):
            if item_id is not None:
                found[int(item_id)].add(str(name))
    return found


def _with_person(row: Row[Any], e: Enrichment, kept: set[str]) -> Enrichment:
    """The enrichment with what a person decided put back."""
    chosen: dict[str, Any] = {name: getattr(row, name) for name in LABELS if name in kept}
    if "sentiment" in kept:
        chosen.update(sentiment_score=row.sentiment_score, sentiment_provisional=row.sentiment_provisional)
    return replace(e, **chosen) if chosen else e


def _differs(old: Any, new: Any) -> bool:
    if isinstance(old, float) and isinstance(new, float):
        return abs(old - new) > 1e-9
    return bool(old != new)


@dataclass(frozen=True)
class _Change:
    row: Row[Any]
    values: dict[str, Any]
    rerouted: bool


def _change(
    row: Row[Any], item: TextItem, ctx: WorkspaceUnderstanding, e: Enrichment, kept: set[str]
) -> _Change:
    e = _with_person(row, e, kept)
    values = enrichment_columns(e)
    routing = {name: getattr(row, name) for name in ROUTING}
    if "routing" not in kept:
        decision = understand_enriched(item, e, ctx.rules).decision.to_dict()
        routing = {name: decision[name] for name in ROUTING}
    before = (row.team, row.unit, sorted(row.share_with or ()))
    rerouted = before != (routing["team"], routing["unit"], sorted(routing["share_with"]))
    return _Change(row, values | routing, rerouted)


def _log_and_follow(session: Session, workspace_id: int, changes: list[_Change], at: datetime) -> None:
    """Log each changed routing (actor "model"); a conversation on the item's old team and unit follows."""
    rerouted = [c for c in changes if c.rerouted]
    if not rerouted:
        return
    session.execute(
        insert(DecisionLog),
        [
            {"workspace_id": workspace_id, "item_id": c.row.id, "field": "routing", "actor": MODEL,
             "previous": {name: getattr(c.row, name) for name in ROUTING},
             "value": {name: c.values[name] for name in ROUTING}, "user_id": None, "note": NOTE, "at": at}
            for c in rerouted
        ],
    )  # fmt: skip
    for c in rerouted:
        conversation = session.get(Conversation, c.row.conversation_id) if c.row.conversation_id else None
        if conversation is None or (conversation.team, conversation.unit) != (c.row.team, c.row.unit):
            continue
        if (conversation.team, conversation.unit) != (c.values["team"], c.values["unit"]):
            conversation.team, conversation.unit = c.values["team"], c.values["unit"]
            previous = {"team": c.row.team, "unit": c.row.unit}
            record_event(
                session, conversation, "unit", at=at, actor=MODEL, previous=previous, unit=c.values["unit"]
            )


def _batch_changes(
    session: Session, rows: list[Row[Any]], ctx: WorkspaceUnderstanding, result: ReenrichResult
) -> list[_Change]:
    parsed: list[tuple[Row[Any], TextItem]] = []
    for row in rows:
        try:
            item = parse_item(dict(row.raw))
        except ItemError:
            continue
        if isinstance(item, TextItem):
            parsed.append((row, item))
    kept = person_fields(session, [row.id for row, _ in parsed])
    inputs = [TextInput(i.text, i.author, i.source, i.kind) for _, i in parsed]
    changes = []
    for (row, item), e in zip(parsed, ctx.analyzer.enrich_many(inputs), strict=True):
        result.examined += 1
        result.kept_by_person.update(kept.get(row.id, ()))
        change = _change(row, item, ctx, e, kept.get(row.id, set()))
        differing = [n for n in (*ENRICHMENT, "reasons") if _differs(getattr(row, n), change.values[n])]
        if differing or change.rerouted:
            result.fields.update(
                [n for n in differing if n != "reasons"] + (["routing"] if change.rerouted else [])
            )
            changes.append(change)
    return changes


def reenrich_items(store: Store, actor: Actor, *, batch_size: int = BATCH_SIZE) -> ReenrichResult:
    """Understand every stored text item of the workspace again with its current models; returns what
    changed. Each batch is read, understood, then written in one transaction."""
    require(actor, "text.train")
    ws = actor.workspace_id
    ctx = understanding_for(store, ws)
    result, after = ReenrichResult(), 0
    while True:
        with store.read() as session:
            rows = list(
                session.execute(
                    select(*COLUMNS)
                    .where(
                        Item.workspace_id == ws,
                        Item.feedback.in_(("interaction", "mention")),
                        Item.id > after,
                    )
                    .order_by(Item.id)
                    .limit(batch_size)
                )
            )
            if not rows:
                break
            after = rows[-1].id
            changes = _batch_changes(session, rows, ctx, result)
        if changes:
            at = utcnow()
            with store.transaction() as session:
                session.execute(
                    update(Item), [{"id": c.row.id, **c.values, "enriched_at": at} for c in changes]
                )
                _log_and_follow(session, ws, changes, at)
                _queue_reputation(session, ws)
            result.changed += len(changes)
    return result


def _queue_reputation(session: Session, workspace_id: int) -> None:
    """Sentiment and audiences moved: the crisis and pickup jobs run again (queued once, in the batch's
    transaction)."""
    from peyvand.services.reputation_jobs import queue_reputation_jobs

    payload = {"workspace_id": workspace_id, "user_id": None, "role": OPERATOR}
    queue_reputation_jobs(session, workspace_id, payload)
