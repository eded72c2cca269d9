"""Which KPIs make sense for which kind of campaign (DESIGN §2): a mismatch is a warning, not a refusal.

A branding campaign is judged on reputation (attribute share, sentiment, share of voice, earned reach);
a marketing campaign on sales and return. `kpi_warnings` lists what a person should see; `sentiment_target`
reads a sentiment-index target written on [−1, 1] or on [−100, 100].
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass
from typing import Any

REPUTATION_KPIS = frozenset(
    {"attribute_share", "sentiment_index", "share_of_voice", "earned_reach", "pickups"}
)
MARKETING_KPIS = frozenset(
    {"revenue", "return_on_spend", "orders", "conversions", "site_visits", "store_visits", "leads", "roas"}
)


@dataclass(frozen=True)
class KpiWarning:
    """A mismatch between a campaign's kind and its KPIs; `kpi` is the KPI key it is about, if any."""

    code: str
    message: str
    kpi: str | None = None


def _kpi_warning(kind: str, kpi: dict[str, Any], attributes: Collection[str]) -> KpiWarning | None:
    key = str(kpi.get("key", ""))
    if kind == "branding" and key in MARKETING_KPIS:
        return KpiWarning(
            "sales_kpi", f"{key} is a sales KPI; a branding campaign is judged on reputation", key
        )
    if kind == "marketing" and key in REPUTATION_KPIS:
        return KpiWarning(
            "reputation_kpi", f"{key} is a reputation KPI; it belongs to a branding campaign", key
        )
    if key not in REPUTATION_KPIS | MARKETING_KPIS:
        return KpiWarning("unknown_kpi", f"{key or '(no key)'} is not a KPI Peyvand can measure", key)
    if key == "attribute_share" and kpi.get("attribute") not in attributes:
        return KpiWarning(
            "unknown_attribute", f"attribute {kpi.get('attribute')!r} is not in the brand profile", key
        )
    return None


def kpi_warnings(
    kind: str, kpis: Sequence[dict[str, Any]], *, attributes: Collection[str], desired: Collection[str] = ()
) -> list[KpiWarning]:
    """Everything about a campaign's KPIs that does not fit its kind (or the brand profile)."""
    warnings = [w for kpi in kpis if (w := _kpi_warning(kind, kpi, attributes)) is not None]
    if kind == "branding" and not any(k.get("key") in REPUTATION_KPIS for k in kpis):
        warnings.append(
            KpiWarning("no_reputation_kpi", "a branding campaign needs at least one reputation KPI")
        )
    for kpi in kpis:
        attribute = kpi.get("attribute")
        if kpi.get("key") == "attribute_share" and attribute in attributes and attribute not in desired:
            warnings.append(
                KpiWarning(
                    "undesired_attribute",
                    f"attribute {attribute!r} is not one of the brand's desired attributes",
                    "attribute_share",
                )
            )
    return warnings


def sentiment_target(value: float) -> float:
    """A sentiment-index target in points: values within [−1, 1] are read as fractions of 100."""
    return value * 100 if -1 <= value <= 1 else value
