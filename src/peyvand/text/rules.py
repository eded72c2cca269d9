"""Text rules as data: named cue lists and ordered condition tables for intent, audience, sales signal
and sponsorship (see `understanding_rules.toml`).

A rule is a table of conditions that must all hold, e.g.
`{ intent = "press_inquiry", audience = ["journalist", "media_outlet"], question = true }`; the first rule
whose conditions hold decides. Every condition name is checked when the rules are loaded.
"""

from __future__ import annotations

import tomllib
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from typing import Any

from peyvand.text.matcher import PhraseMatcher

Facts = Mapping[str, Any]


class TextRuleError(ValueError):
    """A text rule that cannot be used."""


Check = Callable[[Facts], bool]


def _in(name: str) -> Callable[[Any], Check]:
    def compile_(expected: Any) -> Check:
        wanted = frozenset(expected) if isinstance(expected, list) else frozenset([expected])
        return lambda facts: facts.get(name) in wanted

    return compile_


def _not_in(name: str) -> Callable[[Any], Check]:
    def compile_(expected: Any) -> Check:
        unwanted = frozenset(expected) if isinstance(expected, list) else frozenset([expected])
        return lambda facts: facts.get(name) not in unwanted

    return compile_


def _any_of(name: str) -> Callable[[Any], Check]:
    def compile_(expected: Any) -> Check:
        wanted = frozenset(expected)
        return lambda facts: not wanted.isdisjoint(facts.get(name, ()))

    return compile_


def _none_of(expected: Any) -> Check:
    unwanted = frozenset(expected)
    return lambda facts: unwanted.isdisjoint(facts.get("cues", ()))


def _source(expected: Any) -> Check:
    parts = tuple(expected)
    return lambda facts: any(part in str(facts.get("source", "")).lower() for part in parts)


def _email_domain(expected: Any) -> Check:
    names = tuple(expected)

    def check(facts: Facts) -> bool:
        domain = facts.get("email_domain")
        if not domain:
            return False
        domains = facts.get("domains", {})
        wanted = [d for name in names for d in domains.get(name, ())]
        return any(domain == d or domain.endswith("." + d) for d in wanted)

    return check


def _at_least(name: str) -> Callable[[Any], Check]:
    return lambda expected: lambda facts: facts.get(name) is not None and facts[name] >= expected


def _at_most(name: str) -> Callable[[Any], Check]:
    return lambda expected: lambda facts: facts.get(name) is not None and facts[name] <= expected


def _equals(name: str) -> Callable[[Any], Check]:
    return lambda expected: lambda facts: bool(facts.get(name)) == expected


# Each condition name compiles its expected value into a check of the facts.
CHECKS: dict[str, Callable[[Any], Check]] = {
    "cues": _any_of("cues"),
    "no_cues": _none_of,
    "bio_cues": _any_of("bio_cues"),
    "sentiment": _in("sentiment"),
    "min_score": _at_least("score"),
    "max_score": _at_most("score"),
    "question": _equals("question"),
    "addressed": _equals("addressed"),
    "verified": _equals("verified"),
    "intent": _in("intent"),
    "not_intent": _not_in("intent"),
    "audience": _in("audience"),
    "kind": _in("kind"),
    "language": _in("language"),
    "source_contains": _source,
    "email_domain": _email_domain,
    "min_followers": _at_least("followers"),
}


def _conjunction(checks: Sequence[Check]) -> Check:
    """One check that holds when all do (a rule of one or two conditions costs one or two calls)."""
    if not checks:
        return lambda facts: True
    if len(checks) == 1:
        return checks[0]
    if len(checks) == 2:
        first, second = checks
        return lambda facts: first(facts) and second(facts)
    head, rest = checks[0], _conjunction(checks[1:])
    return lambda facts: head(facts) and rest(facts)


@dataclass(frozen=True)
class TextRule:
    outcome: str
    conditions: Mapping[str, Any]
    holds: Check = field(default=lambda facts: True, compare=False)

    @classmethod
    def compile(cls, outcome: str, conditions: Mapping[str, Any]) -> TextRule:
        names = sorted(conditions, key=lambda name: list(CHECKS).index(name))  # the cheapest checks first
        checks = [CHECKS[name](conditions[name]) for name in names]
        return cls(outcome, dict(conditions), _conjunction(checks))


def first_outcome(rules: Sequence[TextRule], facts: Facts, default: str) -> str:
    for rule in rules:
        if rule.holds(facts):
            return rule.outcome
    return default


def any_holds(rules: Sequence[TextRule], facts: Facts) -> bool:
    for rule in rules:
        if rule.holds(facts):
            return True
    return False


# Audiences known from who the author is, before the message is read (a journalist's question is a press
# inquiry); the others (customer, public) are decided from the message and its intent.
AUTHOR_AUDIENCES = frozenset({"media_outlet", "journalist", "partner", "influencer"})


@dataclass(frozen=True)
class TextRules:
    cues: PhraseMatcher
    question_starts: frozenset[str]
    intent: tuple[TextRule, ...]
    audience: tuple[TextRule, ...]
    sales_signal: tuple[TextRule, ...]
    sponsorship: tuple[TextRule, ...]
    neutral_sentiment: tuple[TextRule, ...] = field(default=())
    news_domains: tuple[str, ...] = field(default=())
    skip_at_start: frozenset[str] = field(default=frozenset())
    question_ends: frozenset[str] = field(default=frozenset())

    @property
    def author_audience(self) -> tuple[TextRule, ...]:
        """Rules that place the author before the intent is known (a journalist's question is a press
        inquiry): author audiences decided without the intent."""
        return tuple(r for r in self.audience if _before_intent(r))

    @property
    def message_audience(self) -> tuple[TextRule, ...]:
        """The rest, after the intent, in their order (a partnership offer's author is a partner)."""
        return tuple(r for r in self.audience if not _before_intent(r))


def _before_intent(rule: TextRule) -> bool:
    return rule.outcome in AUTHOR_AUDIENCES and "intent" not in rule.conditions


def _rules(
    data: Mapping[str, Any], table: str, outcome_key: str | None, cue_names: set[str]
) -> tuple[TextRule, ...]:
    out = []
    for raw in data.get(table, []):
        conditions = dict(raw)
        outcome = str(conditions.pop(outcome_key)) if outcome_key else "yes"
        unknown = set(conditions) - set(CHECKS)
        if unknown:
            raise TextRuleError(f"{table}: unknown condition {', '.join(sorted(unknown))}")
        for name in ("cues", "no_cues"):
            missing = set(conditions.get(name, ())) - cue_names
            if missing:
                raise TextRuleError(f"{table}: no cue list named {', '.join(sorted(missing))}")
        out.append(TextRule.compile(outcome, conditions))
    return tuple(out)


def parse_rules(data: Mapping[str, Any]) -> TextRules:
    cues = data.get("cues", {})
    phrases = [
        (p, name) for name, langs in cues.items() for lang in ("fa", "en") for p in langs.get(lang, [])
    ]
    names = set(cues)
    return TextRules(
        cues=PhraseMatcher(phrases),
        question_starts=frozenset(data.get("question", {}).get("starts", [])),
        skip_at_start=frozenset(data.get("question", {}).get("skip", [])),
        question_ends=frozenset(data.get("question", {}).get("ends", [])),
        intent=_rules(data, "intent_rules", "intent", names),
        audience=_rules(data, "audience_rules", "audience", names),
        sales_signal=_rules(data, "sales_signal_rules", None, names),
        sponsorship=_rules(data, "sponsorship_rules", None, names),
        neutral_sentiment=_rules(data, "neutral_sentiment_rules", None, names),
        news_domains=tuple(data.get("news_domains", [])),
    )


@cache
def default_text_rules() -> TextRules:
    text = resources.files("peyvand.text").joinpath("understanding_rules.toml").read_text(encoding="utf-8")
    return parse_rules(tomllib.loads(text))
