"""From a canonical item to what Peyvand understands of it: its feedback kind, enrichment and routing.

`understand` is a pure function (no database); ingest, `peyvand route` and the API all call it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from peyvand.domain.items import CanonicalItem, EventItem, MetricItem, TextItem
from peyvand.domain.routing import RoutingDecision, Rule, route
from peyvand.domain.vocabulary import PAID_MEDIA_METRICS, Feedback
from peyvand.text.enrich import Enrichment, TextAnalyzer, TextInput

INTERACTION_FORMS = frozenset({"comment", "direct_message", "reply", "review", "email"})


@dataclass(frozen=True)
class Understanding:
    feedback: str
    enrichment: Enrichment | None
    decision: RoutingDecision

    def contract(self, item_id: str) -> dict[str, Any]:
        """The `peyvand route` output object (DESIGN §4)."""
        out: dict[str, Any] = {"id": item_id, "feedback": self.feedback, **self.decision.to_dict()}
        out["reasons"] = [f"{r.rule}: {r.text}" for r in self.decision.reasons]
        e = self.enrichment
        if e is not None:
            out.update(
                language=e.language,
                sentiment={"label": e.sentiment, "score": round(e.sentiment_score, 4)},
                intent=e.intent,
                audience=e.audience,
                attributes=[a.to_dict() for a in e.attributes],
            )
        return out


def is_paid_media(item: MetricItem | EventItem) -> bool:
    name = item.metric if isinstance(item, MetricItem) else item.event
    dims = item.dims
    return (
        name in PAID_MEDIA_METRICS
        or name.startswith("ad_")
        or dims.get("paid") is True
        or str(dims.get("channel_type", "")).lower() == "paid"
    )


def feedback_of(item: TextItem, enrichment: Enrichment) -> Feedback:
    if item.kind in INTERACTION_FORMS:
        return Feedback.INTERACTION
    if item.kind != "article" and enrichment.addressed_to_brand:
        return Feedback.INTERACTION
    return Feedback.MENTION


def understand(
    item: CanonicalItem,
    analyzer: TextAnalyzer,
    rules: Sequence[Rule] | None = None,
    *,
    locale: str = "en",
) -> Understanding:
    if isinstance(item, MetricItem | EventItem):
        return _understand_reaction(item, rules, locale)
    enrichment = analyzer.enrich(item.text, author=item.author, source=item.source, kind=item.kind)
    return _understand_text(item, enrichment, rules, locale)


def understand_many(
    items: Sequence[CanonicalItem],
    analyzer: TextAnalyzer,
    rules: Sequence[Rule] | None = None,
    *,
    locale: str = "en",
) -> list[Understanding]:
    """`understand` for a batch: the text items are enriched together (`TextAnalyzer.enrich_many`),
    which is faster, much faster with learned models. Same results, same order."""
    texts = [item for item in items if isinstance(item, TextItem)]
    enriched = iter(analyzer.enrich_many([TextInput(t.text, t.author, t.source, t.kind) for t in texts]))
    return [
        _understand_text(item, next(enriched), rules, locale)
        if isinstance(item, TextItem)
        else _understand_reaction(item, rules, locale)
        for item in items
    ]


def understand_enriched(
    item: TextItem, enrichment: Enrichment, rules: Sequence[Rule] | None = None, *, locale: str = "en"
) -> Understanding:
    """The feedback kind and routing of a text item whose enrichment is already known (re-enrichment,
    where a person's corrections replace some of what the analyzer found)."""
    return _understand_text(item, enrichment, rules, locale)


def _understand_reaction(
    item: MetricItem | EventItem, rules: Sequence[Rule] | None, locale: str
) -> Understanding:
    facts: dict[str, Any] = {
        "feedback": Feedback.REACTION.value,
        "kind": item.kind,
        "source": item.source,
        "metric": item.metric if isinstance(item, MetricItem) else item.event,
        "paid_media": is_paid_media(item),
    }
    return Understanding(Feedback.REACTION.value, None, route(facts, rules, locale=locale))


def _understand_text(
    item: TextItem, enrichment: Enrichment, rules: Sequence[Rule] | None, locale: str
) -> Understanding:
    feedback = feedback_of(item, enrichment)
    facts = {
        "feedback": feedback.value,
        "kind": item.kind,
        "source": item.source,
        "language": enrichment.language,
        "intent": enrichment.intent,
        "audience": enrichment.audience,
        "sentiment": enrichment.sentiment,
        "sponsored": bool(item.context.sponsored),
        "sponsorship": enrichment.sponsorship,
        "sales_signal": enrichment.sales_signal,
        "direction": item.direction.value,
        "mentions_competitor": bool(enrichment.competitors),
        "mentions_product": bool(enrichment.products),
    }
    return Understanding(feedback.value, enrichment, route(facts, rules, locale=locale))
