"""Editing a workspace's routing rules: list them (defaults, changed defaults, the workspace's own), try
a change against recent items (a dry run: how many items it would re-route, which way, with examples),
and apply it: save the rule and re-route the same recent items, logging each change in `decision_log`
with actor "rules". Items a person re-routed keep the person's decision."""

from __future__ import annotations

import tomllib
from collections import Counter
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

import tomli_w
from sqlalchemy import Row, delete, select
from sqlalchemy.orm import Session

from peyvand.domain.routing import Rule, RuleError, default_rules, merge_rules, rule_from_dict
from peyvand.services.access import Actor, InvalidInput, require
from peyvand.services.clock import utcnow
from peyvand.services.reroute import (
    REACTION_COLUMNS,
    TEXT_COLUMNS,
    Decision,
    Reroute,
    Router,
    label_of,
    write_changes,
)
from peyvand.storage.db import Store
from peyvand.storage.tables import DecisionLog, Item, RoutingRuleRecord

MAX_EXAMPLES = 20
DEFAULT_DAYS = 30
MAX_TEXT_ITEMS = 5_000
MAX_REACTIONS = 100_000


@dataclass(frozen=True)
class RuleRow:
    id: str
    origin: str  # default, changed or custom
    enabled: bool
    text: str
    rule: Rule

    def to_json(self) -> dict[str, Any]:
        return {"id": self.id, "origin": self.origin, "enabled": self.enabled, "rule": self.rule.to_dict()}


@dataclass(frozen=True)
class Example:
    item_id: int
    source: str
    text: str
    before: str
    after: str
    language: str | None = None  # the text's detected language (fa, en, other)

    def to_json(self) -> dict[str, Any]:
        return {k: getattr(self, k) for k in self.__dataclass_fields__}


@dataclass
class RuleChangeResult:
    rule_id: str
    days: int
    examined: int = 0
    changed: int = 0
    kept_by_person: int = 0
    applied: bool = False
    transitions: Counter[tuple[str, str]] = field(default_factory=Counter)
    examples: list[Example] = field(default_factory=list)

    def to_json(self) -> dict[str, Any]:
        return {
            "rule_id": self.rule_id,
            "days": self.days,
            "examined": self.examined,
            "changed": self.changed,
            "kept_by_person": self.kept_by_person,
            "applied": self.applied,
            "transitions": [{"from": a, "to": b, "items": n} for (a, b), n in self.transitions.most_common()],
            "examples": [e.to_json() for e in self.examples],
        }


def rule_text(rule: Rule) -> str:
    return tomli_w.dumps(rule.to_dict())


def parse_rule(text: str) -> dict[str, Any]:
    """One rule written in TOML (the format of `default_rules.toml`, without the `[[rules]]` header)."""
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise InvalidInput(f"the rule is not valid TOML: {exc}") from exc
    if isinstance(data.get("rules"), list) and len(data["rules"]) == 1:
        data = data["rules"][0]
    try:
        rule_from_dict(data)
    except RuleError as exc:
        raise InvalidInput(str(exc)) from exc
    return data


def _overrides(session: Session, workspace_id: int) -> dict[str, dict[str, Any]]:
    rows = session.scalars(
        select(RoutingRuleRecord)
        .where(RoutingRuleRecord.workspace_id == workspace_id)
        .order_by(RoutingRuleRecord.id)
    )
    return {r.rule_id: dict(r.definition) for r in rows}


def list_routing_rules(store: Store, actor: Actor) -> list[RuleRow]:
    """The rules in force, in order: each default (as is, or as the workspace changed it), then its own."""
    require(actor, "conversations.read_all")
    with store.read() as session:
        overrides = _overrides(session, actor.workspace_id)
    defaults = {r.id for r in default_rules()}
    rows = []
    for rule in merge_rules(list(overrides.values())):
        origin = "custom" if rule.id not in defaults else "changed" if rule.id in overrides else "default"
        rows.append(RuleRow(rule.id, origin, rule.enabled, rule_text(rule), rule))
    return rows


def _proposed(
    overrides: dict[str, dict[str, Any]], rule_id: str, rule: dict[str, Any] | None
) -> tuple[Rule, ...]:
    changed = dict(overrides)
    if rule is None:
        changed.pop(rule_id, None)
    else:
        changed[rule_id] = rule
    return merge_rules(list(changed.values()))


def _person_routed(session: Session, item_ids: list[int]) -> set[int]:
    found: set[int] = set()
    for start in range(0, len(item_ids), 500):
        found.update(
            session.scalars(
                select(DecisionLog.item_id).where(
                    DecisionLog.item_id.in_(item_ids[start : start + 500]),
                    DecisionLog.field == "routing",
                    DecisionLog.actor == "person",
                )
            )
        )
    return found


def _recent(session: Session, workspace_id: int, days: int) -> list[Row[Any]]:
    """The inbound items of the last `days` days: text items and reactions, each newest first."""
    since = utcnow() - timedelta(days=days)
    found: list[Row[Any]] = []
    for columns, is_reaction, limit in (
        (TEXT_COLUMNS, False, MAX_TEXT_ITEMS),
        (REACTION_COLUMNS, True, MAX_REACTIONS),
    ):
        kind = Item.feedback == "reaction" if is_reaction else Item.feedback != "reaction"
        found.extend(
            session.execute(
                select(*columns)
                .where(
                    Item.workspace_id == workspace_id,
                    Item.occurred_at >= since,
                    Item.direction != "outbound",
                    kind,
                )
                .order_by(Item.occurred_at.desc(), Item.id.desc())
                .limit(limit)
            )
        )
    return found


def _recompute(
    session: Session, workspace_id: int, rules: tuple[Rule, ...], result: RuleChangeResult
) -> list[Reroute]:
    rows = _recent(session, workspace_id, result.days)
    kept = _person_routed(session, [r.id for r in rows])
    router = Router(session, workspace_id, rules)
    router.prepare([row for row in rows if row.id not in kept])  # text items enriched in one batch
    changes: list[Reroute] = []
    for row in rows:
        if row.id in kept:
            result.kept_by_person += 1
            continue
        decision = router.decide(row)
        if decision is None:
            continue
        result.examined += 1
        before = Decision.stored(row)
        if before.same_routing(decision):
            continue
        result.changed += 1
        result.transitions[(label_of(before), label_of(decision))] += 1
        if len(result.examples) < MAX_EXAMPLES:
            text = (
                getattr(row, "title", None)
                or getattr(row, "text", None)
                or getattr(row, "metric", None)
                or ""
            )[:200]
            language = getattr(row, "language", None)
            result.examples.append(
                Example(row.id, row.source, text, label_of(before), label_of(decision), language)
            )
        changes.append(Reroute(row, before, decision))
    return changes


def _checked(rule_id: str, rule: dict[str, Any] | None) -> None:
    if rule is not None and rule.get("id") != rule_id:
        raise InvalidInput("the rule's id cannot change; add a new rule instead")


def dry_run_rule_change(
    store: Store, actor: Actor, *, rule_id: str, rule: dict[str, Any] | None, days: int = DEFAULT_DAYS
) -> RuleChangeResult:
    """What saving `rule` (None: back to the default, or removing a rule of the workspace's own) would do to
    the items of the last `days` days. Nothing is written."""
    require(actor, "workspace.admin")
    _checked(rule_id, rule)
    result = RuleChangeResult(rule_id, days)
    with store.read() as session:
        rules = _proposed(_overrides(session, actor.workspace_id), rule_id, rule)
        _recompute(session, actor.workspace_id, rules, result)
    return result


def apply_rule_change(
    store: Store, actor: Actor, *, rule_id: str, rule: dict[str, Any] | None, days: int = DEFAULT_DAYS
) -> RuleChangeResult:
    """Save the rule change and re-route the last `days` days' items by it, logging every change."""
    require(actor, "workspace.admin")
    _checked(rule_id, rule)
    result = RuleChangeResult(rule_id, days, applied=True)
    now = utcnow()
    with store.transaction() as session:
        session.execute(
            delete(RoutingRuleRecord).where(
                RoutingRuleRecord.workspace_id == actor.workspace_id, RoutingRuleRecord.rule_id == rule_id
            )
        )
        if rule is not None:
            session.add(
                RoutingRuleRecord(
                    workspace_id=actor.workspace_id,
                    rule_id=rule_id,
                    definition=rule,
                    updated_at=now,
                    updated_by=actor.user_id,
                )
            )
        session.flush()
        rules = merge_rules(list(_overrides(session, actor.workspace_id).values()))
        changes = _recompute(session, actor.workspace_id, rules, result)
        write_changes(session, actor.workspace_id, changes, note=f"routing rule {rule_id} changed", at=now)
    return result
