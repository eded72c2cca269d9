"""Routing stored items again under a set of rules: the facts of an item rebuilt from what is stored
(its enrichment as people may have corrected it, plus the sales and sponsorship signals of its text),
the new decision, and writing the changes with their audit trail (inside the caller's transaction).

Items are read as plain rows (only the columns routing needs) and written with bulk statements, so a
month of a busy workspace's reactions re-routes in seconds. The facts mirror
`peyvand.text.understand.understand`; keep the two in step.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Row, insert, update
from sqlalchemy.orm import Session

from peyvand.domain.items import TextItem, parse_item
from peyvand.domain.routing import Rule, route
from peyvand.domain.vocabulary import PAID_MEDIA_METRICS
from peyvand.services.inbox_common import record_event
from peyvand.services.understanding import load_understanding
from peyvand.storage.tables import Conversation, DecisionLog, Item
from peyvand.text.enrich import Enrichment, TextAnalyzer, TextInput

TEXT_COLUMNS = (
    Item.id, Item.conversation_id, Item.feedback, Item.kind, Item.source, Item.direction, Item.language,
    Item.intent, Item.audience, Item.sentiment, Item.competitors, Item.products, Item.raw, Item.text,
    Item.title, Item.team, Item.unit, Item.share_with, Item.reasons,
)  # fmt: skip
REACTION_COLUMNS = (
    Item.id, Item.conversation_id, Item.feedback, Item.kind, Item.source, Item.metric, Item.dims,
    Item.team, Item.unit, Item.share_with, Item.reasons,
)  # fmt: skip


@dataclass(frozen=True)
class Decision:
    team: str | None
    unit: str | None
    share_with: tuple[str, ...]
    reasons: tuple[dict[str, str], ...] = ()

    @classmethod
    def stored(cls, row: Row[Any]) -> Decision:
        return cls(row.team, row.unit, tuple(sorted(row.share_with or ())), tuple(row.reasons or ()))

    def same_routing(self, other: Decision) -> bool:
        return (self.team, self.unit, self.share_with) == (other.team, other.unit, other.share_with)


@dataclass(frozen=True)
class Reroute:
    row: Row[Any]
    before: Decision
    after: Decision


def label_of(decision: Decision) -> str:
    """ "pr/media +marketing": team, unit (if any) and whom it is shared with."""
    text = (decision.team or "—") + (f"/{decision.unit}" if decision.unit else "")
    return text + "".join(f" +{s}" for s in decision.share_with)


def _paid(metric: str | None, dims: dict[str, Any] | None) -> bool:
    name, dims = metric or "", dims or {}
    return (
        name in PAID_MEDIA_METRICS
        or name.startswith("ad_")
        or dims.get("paid") is True
        or str(dims.get("channel_type", "")).lower() == "paid"
    )


def _canonical(row: Row[Any]) -> TextItem | None:
    try:
        canonical = parse_item(row.raw)
    except (ValueError, KeyError, TypeError):  # ItemError and pydantic's ValidationError are ValueErrors
        return None
    return canonical if isinstance(canonical, TextItem) else None


def _text_facts(row: Row[Any], canonical: TextItem, enrichment: Enrichment) -> dict[str, Any]:
    return {
        "feedback": row.feedback,
        "kind": row.kind,
        "source": row.source,
        "language": row.language,
        "intent": row.intent,
        "audience": row.audience,
        "sentiment": row.sentiment,
        "sponsored": bool(canonical.context.sponsored),
        "sponsorship": enrichment.sponsorship,
        "sales_signal": enrichment.sales_signal,
        "direction": row.direction,
        "mentions_competitor": bool(row.competitors),
        "mentions_product": bool(row.products),
    }


class Router:
    """Decides stored items under `rules`; the text analyzer is built only when a text item needs it, and a
    reaction's decision (which depends only on its form, source, metric and paid flag) once per kind."""

    def __init__(self, session: Session, workspace_id: int, rules: Sequence[Rule]) -> None:
        self.session, self.workspace_id, self.rules = session, workspace_id, rules
        self._analyzer: TextAnalyzer | None = None
        self._reactions: dict[tuple[Any, ...], Decision] = {}
        self._enriched: dict[int, tuple[TextItem, Enrichment]] = {}

    def _text_analyzer(self) -> TextAnalyzer:
        if self._analyzer is None:
            self._analyzer = load_understanding(self.session, self.workspace_id).analyzer
        return self._analyzer

    def prepare(self, rows: Sequence[Row[Any]]) -> None:
        """Enrich the text items among `rows` in one batch before `decide` asks about them (`enrich_many`:
        with a workspace's learned models, enriching one item at a time costs milliseconds an item)."""
        texts = [(row, item) for row in rows if row.feedback != "reaction" and (item := _canonical(row))]
        if texts:
            inputs = [TextInput(item.text, item.author, row.source, row.kind) for row, item in texts]
            enriched = self._text_analyzer().enrich_many(inputs)
            self._enriched.update((row.id, (item, e)) for (row, item), e in zip(texts, enriched, strict=True))

    def _decision(self, facts: dict[str, Any]) -> Decision:
        d = route(facts, self.rules)
        return Decision(d.team, d.unit, tuple(sorted(d.share_with)), tuple(r.to_dict() for r in d.reasons))

    def decide(self, row: Row[Any]) -> Decision | None:
        """The decision the rules give the stored item now, or None when its facts cannot be rebuilt."""
        if row.feedback == "reaction":
            key = (row.kind, row.source, row.metric, _paid(row.metric, row.dims))
            if key not in self._reactions:
                facts = {
                    "feedback": "reaction",
                    "kind": key[0],
                    "source": key[1],
                    "metric": key[2],
                    "paid_media": key[3],
                }
                self._reactions[key] = self._decision(facts)
            return self._reactions[key]
        if row.id not in self._enriched:
            self.prepare([row])
        if row.id not in self._enriched:
            return None
        canonical, enrichment = self._enriched.pop(row.id)
        return self._decision(_text_facts(row, canonical, enrichment))


def _follow(session: Session, change: Reroute, at: datetime) -> None:
    """A conversation whose team and unit were its item's follows the item to its new team and unit."""
    conversation_id = change.row.conversation_id
    conversation = session.get(Conversation, conversation_id) if conversation_id else None
    if conversation is None or (conversation.team, conversation.unit) != (
        change.before.team,
        change.before.unit,
    ):
        return
    if (conversation.team, conversation.unit) == (change.after.team, change.after.unit):
        return
    conversation.team, conversation.unit = change.after.team, change.after.unit
    previous = {"team": change.before.team, "unit": change.before.unit}
    record_event(
        session, conversation, "unit", at=at, actor="rules", previous=previous, unit=change.after.unit
    )


def _routing(d: Decision) -> dict[str, Any]:
    return {"team": d.team, "unit": d.unit, "share_with": list(d.share_with), "reasons": list(d.reasons)}


def write_changes(
    session: Session, workspace_id: int, changes: Sequence[Reroute], *, note: str, at: datetime
) -> None:
    """Re-route each item and log each change in `decision_log` with actor "rules" (bulk statements)."""
    if not changes:
        return
    session.execute(update(Item), [{"id": c.row.id, **_routing(c.after)} for c in changes])
    session.execute(
        insert(DecisionLog),
        [
            {
                "workspace_id": workspace_id,
                "item_id": c.row.id,
                "field": "routing",
                "previous": _routing(c.before),
                "value": _routing(c.after),
                "actor": "rules",
                "user_id": None,
                "note": note,
                "at": at,
            }
            for c in changes
        ],
    )
    for change in changes:
        if change.row.conversation_id is not None:
            _follow(session, change, at)
