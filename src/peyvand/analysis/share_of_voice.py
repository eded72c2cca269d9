"""Share of voice: the brand's part of the conversation about a panel of entities (brand + competitors).

Count-based share = an entity's mentions ÷ the panel's mentions, with a Wilson interval and n.
Reach-weighted share = the summed reach of an entity's mentions ÷ the panel's summed reach. A mention
naming several panel entities counts once for each. Formulas are in `docs/formulas-pr.md`.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from statistics import median
from typing import Literal

from peyvand.analysis.reputation import Mention, Periods, wilson_interval

MissingReach = Literal["source_median", "zero"]


@dataclass(frozen=True, slots=True)
class VoiceShare:
    """One entity's share of voice in one period (`period_start` None: the whole input)."""

    period_start: date | None
    entity: str
    mentions: int
    total: int
    share: float | None
    low: float
    high: float
    reach: float
    total_reach: float
    reach_share: float | None
    reach_imputed: int


def effective_reach(
    mentions: Sequence[Mention], missing: MissingReach = "source_median"
) -> list[tuple[float, bool]]:
    """Each mention's reach and whether it was imputed.

    Unknown reach is imputed with the median known reach of the same source in the input (else of the
    whole input, else 1), or with 0 when `missing` is "zero".
    """
    known: dict[str, list[int]] = defaultdict(list)
    for mention in mentions:
        if mention.reach is not None:
            known[mention.source].append(mention.reach)
    everyone = [r for values in known.values() for r in values]
    fallback = float(median(everyone)) if everyone else 1.0
    result: list[tuple[float, bool]] = []
    for mention in mentions:
        if mention.reach is not None:
            result.append((float(mention.reach), False))
        elif missing == "zero":
            result.append((0.0, True))
        else:
            peers = known.get(mention.source)
            result.append((float(median(peers)) if peers else fallback, True))
    return result


def _panel_rows(
    mentions: Sequence[Mention], entities: Sequence[str], periods: Periods | None, missing: MissingReach
) -> dict[tuple[date | None, str], list[float]]:
    """(period, entity) → [mentions, reach, imputed]."""
    rows: dict[tuple[date | None, str], list[float]] = defaultdict(lambda: [0, 0.0, 0])
    for mention, (reach, imputed) in zip(mentions, effective_reach(mentions, missing), strict=True):
        start = None if periods is None else periods.start_of(periods.local_date(mention.at))
        for entity in set(mention.entities).intersection(entities):
            row = rows[start, entity]
            row[0] += 1
            row[1] += reach
            row[2] += int(imputed)
    return rows


def _period_shares(start: date | None, row_of: dict[str, list[float]], confidence: float) -> list[VoiceShare]:
    total = int(sum(r[0] for r in row_of.values()))
    total_reach = sum(r[1] for r in row_of.values())
    shares: list[VoiceShare] = []
    for entity, (count, reach, imputed) in row_of.items():
        low, high = wilson_interval(int(count), total, confidence)
        shares.append(
            VoiceShare(
                period_start=start,
                entity=entity,
                mentions=int(count),
                total=total,
                share=count / total if total else None,
                low=low,
                high=high,
                reach=reach,
                total_reach=total_reach,
                reach_share=reach / total_reach if total_reach else None,
                reach_imputed=int(imputed),
            )
        )
    return shares


def share_of_voice(
    mentions: Iterable[Mention],
    *,
    entities: Sequence[str],
    periods: Periods | None = None,
    missing_reach: MissingReach = "source_median",
    confidence: float = 0.95,
) -> list[VoiceShare]:
    """Count-based and reach-weighted share of voice per period and entity (period order, then `entities`).

    Only mentions naming at least one panel entity count; every period between the first and the last
    of them is listed, empty ones with share None.
    """
    panel = [m for m in mentions if set(m.entities).intersection(entities)]
    if not panel:
        return []
    rows = _panel_rows(panel, entities, periods, missing_reach)
    starts: list[date | None] = [None]
    if periods is not None:
        days = [periods.local_date(m.at) for m in panel]
        starts = list(periods.span(min(days), max(days)))
    return [
        share
        for start in starts
        for share in _period_shares(
            start, {e: rows.get((start, e), [0, 0.0, 0]) for e in entities}, confidence
        )
    ]
