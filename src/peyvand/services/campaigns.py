"""Campaigns (DESIGN §2): branding campaigns owned by PR, marketing campaigns owned by marketing."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import select

from peyvand.services.access import Actor, InvalidInput, require
from peyvand.services.clock import utcnow
from peyvand.sources._values import parse_datetime
from peyvand.storage.db import Store
from peyvand.storage.tables import Campaign

OWNER_OF_KIND = {"branding": "pr", "marketing": "marketing"}
CHANNEL_TYPES = ("paid", "owned", "earned")
DETAIL_KEYS = ("audience", "target_market_key", "content")


@dataclass(frozen=True)
class CampaignWarning:
    """A mismatch between a campaign's kind and what it was given (shown to the user, not refused)."""

    key: str
    message: str


def _day(value: Any, name: str) -> date | None:
    """A campaign day written as 2026-03-01, or as a Jalali day 1405-01-15 (read as exports' dates are,
    `sources._values.parse_datetime`: Persian digits and / too, a year before 1700 is Jalali); a date
    object is taken as it is; None when left out. A day outside 2000–2100 is refused (a typo, or a
    Jalali year written where a Gregorian one was expected)."""
    if value in (None, ""):
        return None
    if isinstance(value, date):
        return value
    try:
        day = parse_datetime(str(value))[0].date()
    except ValueError:
        day = None
    if day is None or not 2000 <= day.year <= 2100:
        raise InvalidInput(f"{name} must be a day written like 2026-03-01 or 1405-01-15")
    return day


def _check_text(data: dict[str, Any]) -> None:
    """The key names the campaign in addresses (/marketing/campaigns/KEY), so it is one path segment."""
    key = str(data["key"])
    if len(key) > 64 or not key.isprintable() or any(c in key for c in "/\\?#%"):
        raise InvalidInput("a campaign key is up to 64 characters, without / \\ ? # or %")
    for name, most in (("name", 300), ("name_en", 300), ("currency", 8)):
        if len(str(data.get(name) or "")) > most:
            raise InvalidInput(f"{name} is at most {most} characters")


def _check_money(data: dict[str, Any]) -> None:
    """A budget or expected return below zero would make the return's arithmetic meaningless."""
    for name in ("budget", "expected_return"):
        if data.get(name) is not None and data[name] < 0:
            raise InvalidInput(f"{name.replace('_', ' ')} cannot be negative")


def _check(data: dict[str, Any]) -> list[CampaignWarning]:
    kind = data.get("kind")
    if kind not in OWNER_OF_KIND:
        raise InvalidInput("campaign kind must be branding or marketing")
    if not data.get("key") or not data.get("name") or not data.get("starts_on"):
        raise InvalidInput("a campaign needs a key, a name and starts_on")
    _check_text(data)
    starts, ends = _day(data["starts_on"], "starts_on"), _day(data.get("ends_on"), "ends_on")
    if starts and ends and ends < starts:
        raise InvalidInput("ends_on must not come before starts_on")
    _check_money(data)
    for channel in data.get("channels", []):
        if channel.get("type") not in CHANNEL_TYPES:
            raise InvalidInput(f"channel {channel.get('name')!r}: type must be paid, owned or earned")
    warnings = []
    owner = data.get("owner_team") or OWNER_OF_KIND[kind]
    if owner not in OWNER_OF_KIND.values():
        raise InvalidInput("the owner team is pr or marketing")
    if owner != OWNER_OF_KIND[kind]:
        warnings.append(
            CampaignWarning("owner", f"a {kind} campaign is normally owned by {OWNER_OF_KIND[kind]}")
        )
    if kind == "marketing" and not data.get("products"):
        warnings.append(CampaignWarning("products", "a marketing campaign sells named products; none given"))
    if kind == "branding" and data.get("expected_return"):
        warnings.append(
            CampaignWarning("return", "a branding campaign is judged on reputation KPIs, not revenue")
        )
    return warnings


def save_campaign(
    store: Store, actor: Actor, data: dict[str, Any], *, creating: bool = False
) -> list[CampaignWarning]:
    """Create or update (by key) a campaign; returns the warnings a person should see. `creating`: the
    key must be new (a "new campaign" form never overwrites one). A branding campaign, new or stored, is
    changed by marketing people only when they are admins."""
    warnings = _check(data)
    with store.transaction() as session:
        row = session.scalar(
            select(Campaign).where(Campaign.workspace_id == actor.workspace_id, Campaign.key == data["key"])
        )
        branding = data["kind"] == "branding" or (row is not None and row.kind == "branding")
        require(actor, "workspace.admin" if branding and actor.role == "marketing" else "ingest.write")
        if row is not None and creating:
            raise InvalidInput(
                f"a campaign with the key {data['key']!r} exists: edit it, or choose another key"
            )
        if row is None:
            row = Campaign(workspace_id=actor.workspace_id, key=data["key"], created_at=utcnow())
            session.add(row)
        row.name, row.name_en, row.description = data["name"], data.get("name_en"), data.get("description")
        row.kind = data["kind"]
        row.owner_team = data.get("owner_team") or OWNER_OF_KIND[data["kind"]]
        row.units = list(data.get("units", []))
        row.products = list(data.get("products", []))
        row.target_market = data.get("target_market")
        row.channels = list(data.get("channels", []))
        row.budget, row.expected_return = data.get("budget"), data.get("expected_return")
        row.currency = data.get("currency") or "IRR"
        starts = _day(data["starts_on"], "starts_on")
        assert starts is not None  # _check refused a campaign without one
        row.starts_on, row.ends_on = starts, _day(data.get("ends_on"), "ends_on")
        row.kpis = list(data.get("kpis", []))
        row.details = {k: data[k] for k in DETAIL_KEYS if data.get(k) is not None}
    return warnings
