"""Brand attributes found in a message, each with the polarity of the clause that carries it.

The terms of every attribute in the brand profile (per language) are compiled into the analyzer's phrase
matcher (`matcher.brand_phrases`), inflections included (plural ها/های, ezafe ی, comparative تر, the
colloquial copula and «ان» → «ون»). A message is cut into clauses at punctuation and contrast words
(«ولی», «اما», "but", "however"); the polarity of an attribute is the sign of the summed sentiment
valences of the clauses that mention it («کیفیت خوب بود ولی قیمت گرونه»: quality positive, price
negative). When the message is a single clause and the lexicon found nothing in it, the message's overall
sentiment (possibly from a learned model) is used.
"""

from __future__ import annotations

from collections.abc import Sequence

from peyvand.text.matcher import ATTRIBUTE, Match
from peyvand.text.result import AttributeMention
from peyvand.text.sentiment import Scored

CLAUSE_BAND = 0.3  # |summed clause valence| below this is neutral


def clause_polarity(total: float, band: float = CLAUSE_BAND) -> str:
    if total >= band:
        return "positive"
    if total <= -band:
        return "negative"
    return "neutral"


def attribute_mentions(
    matches: Sequence[Match], scored: Scored, overall: str, order: Sequence[str]
) -> tuple[AttributeMention, ...]:
    """One mention per attribute found, in the brand profile's order."""
    clauses_of: dict[str, set[int]] = {}
    if not matches:
        return ()
    for match in matches:
        for key in match.keys:
            if key.startswith(ATTRIBUTE):
                clauses_of.setdefault(key[len(ATTRIBUTE) :], set()).add(scored.clauses[match.start])
    if not clauses_of:
        return ()
    single_clause = len(set(scored.clauses)) <= 1
    mentions = []
    for key in order:
        if key in clauses_of:
            total = sum(scored.clause_total(c) for c in clauses_of[key])
            polarity = clause_polarity(total)
            if polarity == "neutral" and single_clause and total == 0.0:
                polarity = overall
            mentions.append(AttributeMention(key, polarity))
    return tuple(mentions)
