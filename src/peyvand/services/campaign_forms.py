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
from peyvand.services.workspaces import load_brand
from peyvand.storage.db import Store
from peyvand.storage.tables import Campaign, MetricSeries
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


def known_products(store: Store, actor: Actor) -> set[str]:
    """The product keys a campaign may name: the brand profile's and those of the sales series."""
    known = {p.key for p in load_brand(store, workspace_id=actor.workspace_id).products}
    with store.read() as session:
        for dims in session.scalars(
            select(MetricSeries.dims).where(MetricSeries.workspace_id == actor.workspace_id)
        ):
            if isinstance(dims, dict) and dims.get("product"):
                known.add(str(dims["product"]))
    return known


def _check_products(known: set[str], products: list[str]) -> None:
    """A typed product key must be one the workspace knows: an unknown one (a typo) would be measured on
    the whole revenue without saying so."""
    unknown = [p for p in products if p not in known]
    if unknown:
        listed = ", ".join(sorted(known)) or "none"
        raise InvalidInput(f"no product with the key {unknown[0]!r} (the brand's products: {listed})")


def save_campaign_form(
    store: Store, actor: Actor, form: Mapping[str, Any]
) -> tuple[str, list[CampaignWarning]]:
    """Save the form's campaign (a new one, refused when its key exists; or, from the edit form, the one
    with its key); returns its key and the warnings to show. A field left empty is cleared."""
    require(actor, "marketing.work")
    data = campaign_from_form(form)
    with store.read() as session:
        stored = session.scalar(
            select(Campaign).where(Campaign.workspace_id == actor.workspace_id, Campaign.key == data["key"])
        )
        if stored is not None:
            data.update({k: getattr(stored, k) for k in KEPT})
            data.update({k: v for k, v in stored.details.items() if k not in data})
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
    _check_products(known_products(store, actor), list(data["products"]))
    creating = str(form.get("editing") or "") != "1"
    return str(data["key"]), save_campaign(store, actor, data, creating=creating)
