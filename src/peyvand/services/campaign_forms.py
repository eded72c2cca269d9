"""The campaign form: its fields turned into a campaign, saved with `save_campaign` (which decides the
warnings a person sees: a kind given to the wrong team, a marketing campaign without products, a return
expected of a branding campaign). What the form does not edit (KPIs, units, audience, content) is kept."""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Any

from sqlalchemy import select

from peyvand.services.access import Actor, InvalidInput, require
from peyvand.services.campaigns import CHANNEL_TYPES, CampaignWarning, save_campaign
from peyvand.storage.db import Store
from peyvand.storage.tables import Campaign
from peyvand.storage.tables_marketing import Audience

KEPT = ("kpis", "units")


def _number(value: Any, field: str) -> float | None:
    text = str(value or "").strip().replace(",", "").replace("٬", "")
    if not text:
        return None
    try:
        number = float(text)
    except ValueError:
        raise InvalidInput(f"{field} must be a number") from None
    if not math.isfinite(number):  # float() reads "nan" and "inf"
        raise InvalidInput(f"{field} must be a number")
    return number


def parse_channels(text: str) -> list[dict[str, str]]:
    """One channel a line, `name: type` (type paid, owned or earned; paid when left out)."""
    channels = []
    for line in text.splitlines():
        if not line.strip():
            continue
        name, _, kind = line.partition(":")
        kind = kind.strip().lower() or "paid"
        if not name.strip():
            raise InvalidInput(f"channel line {line.strip()!r}: the channel needs a name before the colon")
        if kind not in CHANNEL_TYPES:
            raise InvalidInput(f"channel {name.strip()!r}: type must be paid, owned or earned")
        channels.append({"name": name.strip(), "type": kind})
    return channels


def campaign_from_form(form: Mapping[str, Any]) -> dict[str, Any]:
    """The campaign a submitted form describes (the fields of `campaign_form_data`)."""
    data: dict[str, Any] = {
        k: str(form.get(k) or "").strip() or None
        for k in (
            "key",
            "name",
            "name_en",
            "kind",
            "owner_team",
            "currency",
            "starts_on",
            "ends_on",
            "description",
        )
    }
    data["products"] = [p.strip() for p in str(form.get("products") or "").split(",") if p.strip()]
    data["channels"] = parse_channels(str(form.get("channels") or ""))
    data["budget"] = _number(form.get("budget"), "budget")
    data["expected_return"] = _number(form.get("expected_return"), "expected return")
    data["target_market_key"] = str(form.get("target_market_key") or "").strip() or None
    return data


def save_campaign_form(
    store: Store, actor: Actor, form: Mapping[str, Any]
) -> tuple[str, list[CampaignWarning]]:
    """Save the form's campaign (creating it, or updating the one with its key); returns its key and the
    warnings to show."""
    require(actor, "marketing.work")
    data = campaign_from_form(form)
    with store.read() as session:
        stored = session.scalar(
            select(Campaign).where(Campaign.workspace_id == actor.workspace_id, Campaign.key == data["key"])
        )
        if stored is not None:
            data.update({k: getattr(stored, k) for k in KEPT})
            data.update({k: v for k, v in stored.details.items() if k not in data or data[k] is None})
        market = data["target_market_key"]
        if market:
            audience = session.scalar(
                select(Audience).where(
                    Audience.workspace_id == actor.workspace_id,
                    Audience.kind == "target_market",
                    Audience.key == market,
                )
            )
            if audience is None:
                raise InvalidInput(f"no target market with the key {market!r}")
            data["target_market"] = audience.name_en or audience.name
    return str(data["key"]), save_campaign(store, actor, data)
