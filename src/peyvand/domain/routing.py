"""The routing rule engine (DESIGN §2): which team and unit own an item, who else should see it, and why.

Rules are data (see `default_rules.toml`): each has an id, conditions and an outcome. `route` applies them
in order to the facts known about an item and returns a `RoutingDecision` whose reasons name every rule
that fired with a sentence a person can read. The engine never looks at a database.
"""

from __future__ import annotations

import tomllib
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from typing import Any

from peyvand.domain.vocabulary import Team, Unit

Facts = Mapping[str, Any]
VALID_FACTS = frozenset(
    {
        "feedback",
        "kind",
        "source",
        "language",
        "intent",
        "audience",
        "sentiment",
        "sponsored",
        "sponsorship",
        "sales_signal",
        "paid_media",
        "metric",
        "direction",
        "pr_event",
        "mentions_competitor",
        "mentions_product",
    }
)


class RuleError(ValueError):
    """A routing rule that cannot be used."""


@dataclass(frozen=True)
class Rule:
    id: str
    when: Mapping[str, Any] = field(default_factory=dict)
    any: Sequence[Mapping[str, Any]] = ()
    team: str | None = None
    unit: str | None = None
    share_with: Sequence[str] = ()
    reason: Mapping[str, str] = field(default_factory=dict)
    enabled: bool = True

    def matches(self, facts: Facts) -> bool:
        if not self.enabled or not _holds(self.when, facts):
            return False
        return not self.any or any(_holds(alternative, facts) for alternative in self.any)

    def sentence(self, locale: str = "en") -> str:
        return self.reason.get(locale) or self.reason.get("en") or self.id

    def to_dict(self) -> dict[str, Any]:
        data: dict[str, Any] = {"id": self.id, "when": dict(self.when), "reason": dict(self.reason)}
        if self.any:
            data["any"] = [dict(a) for a in self.any]
        for key in ("team", "unit"):
            if getattr(self, key):
                data[key] = getattr(self, key)
        if self.share_with:
            data["share_with"] = list(self.share_with)
        if not self.enabled:
            data["enabled"] = False
        return data


@dataclass(frozen=True)
class Reason:
    rule: str
    text: str

    def to_dict(self) -> dict[str, str]:
        return {"rule": self.rule, "text": self.text}


@dataclass(frozen=True)
class RoutingDecision:
    team: str | None
    unit: str | None
    share_with: tuple[str, ...]
    reasons: tuple[Reason, ...]

    def to_dict(self) -> dict[str, Any]:
        return {
            "team": self.team,
            "unit": self.unit,
            "share_with": list(self.share_with),
            "reasons": [r.to_dict() for r in self.reasons],
        }


def _holds(conditions: Mapping[str, Any], facts: Facts) -> bool:
    for key, expected in conditions.items():
        actual = facts.get(key)
        if isinstance(expected, list):
            if actual not in expected:
                return False
        elif actual != expected:
            return False
    return True


def _check_conditions(rule_id: str, conditions: Mapping[str, Any]) -> None:
    unknown = set(conditions) - VALID_FACTS
    if unknown:
        raise RuleError(f"rule {rule_id}: unknown condition {', '.join(sorted(unknown))}")


def rule_from_dict(data: Mapping[str, Any]) -> Rule:
    rule_id = data.get("id")
    if not isinstance(rule_id, str) or not rule_id:
        raise RuleError("every rule needs an id")
    when = data.get("when", {})
    alternatives = data.get("any", [])
    if not isinstance(when, Mapping) or not isinstance(alternatives, list):
        raise RuleError(f"rule {rule_id}: 'when' must be a table and 'any' a list of tables")
    for conditions in [when, *alternatives]:
        _check_conditions(rule_id, conditions)
    team, unit = data.get("team"), data.get("unit")
    if team is not None and team not in {t.value for t in Team}:
        raise RuleError(f"rule {rule_id}: team {team!r} is not pr or marketing")
    if unit is not None and unit not in {u.value for u in Unit}:
        raise RuleError(f"rule {rule_id}: unit {unit!r} is not advertising or media")
    share_with = tuple(data.get("share_with", ()))
    if any(s not in {t.value for t in Team} for s in share_with):
        raise RuleError(f"rule {rule_id}: share_with must list teams (pr, marketing)")
    return Rule(
        id=rule_id,
        when=dict(when),
        any=tuple(dict(a) for a in alternatives),
        team=team,
        unit=unit,
        share_with=share_with,
        reason=dict(data.get("reason", {})),
        enabled=bool(data.get("enabled", True)),
    )


@cache
def default_rules() -> tuple[Rule, ...]:
    text = resources.files("peyvand.domain").joinpath("default_rules.toml").read_text(encoding="utf-8")
    return tuple(rule_from_dict(r) for r in tomllib.loads(text)["rules"])


def merge_rules(overrides: Iterable[Mapping[str, Any]]) -> tuple[Rule, ...]:
    """The default rules with a workspace's overrides: a rule with a default's id replaces it in place,
    a new id is appended."""
    rules = {r.id: r for r in default_rules()}
    for data in overrides:
        rule = rule_from_dict(data)
        rules[rule.id] = rule
    return tuple(rules.values())


def route(facts: Facts, rules: Sequence[Rule] | None = None, *, locale: str = "en") -> RoutingDecision:
    """Apply the rules, in order, to the facts of one item."""
    team: str | None = None
    unit: str | None = None
    share_with: list[str] = []
    reasons: list[Reason] = []
    for rule in default_rules() if rules is None else rules:
        if not rule.matches(facts):
            continue
        if rule.team is not None:
            if rule.team != team:
                unit = None
            team = rule.team
        if rule.unit is not None:
            unit = rule.unit
        share_with.extend(s for s in rule.share_with if s not in share_with)
        reasons.append(Reason(rule.id, rule.sentence(locale)))
    return RoutingDecision(
        team=team,
        unit=unit,
        share_with=tuple(s for s in share_with if s != team),
        reasons=tuple(reasons),
    )
