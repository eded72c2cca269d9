"""What the reputation services read: the workspace's brand panel and its PR items as `Mention` records.

Helpers for the reputation services (they take a session and never commit). Which items count:

- **about the brand** (sentiment index, attributes, crises): inbound interactions (addressed to the brand,
  so about it) and inbound mentions that name the brand;
- **about a competitor**: inbound items that name it;
- **share of voice** counts only public items (not direct messages or e-mails) and only explicit naming,
  so the brand is not credited with its private inbox while competitors' inboxes are unseen.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from typing import Any, cast
from zoneinfo import ZoneInfo

from sqlalchemy import Select, func, select
from sqlalchemy.orm import Session

from peyvand.analysis.reputation import SENTIMENTS, AttributeHit, Mention, Sentiment
from peyvand.services.access import NotFound
from peyvand.storage.tables import (
    AttributeRecord,
    AuthorRecord,
    BrandRecord,
    CompetitorRecord,
    Item,
    Workspace,
)

BRAND = "brand"
PR_FEEDBACK = ("interaction", "mention")
PRIVATE_KINDS = frozenset({"direct_message", "email"})


@dataclass(frozen=True)
class DateWindow:
    """An inclusive range of local dates."""

    start: date
    end: date

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1

    def before(self) -> DateWindow:
        """The window of the same length that ends the day before this one starts."""
        return DateWindow(self.start - timedelta(days=self.days), self.start - timedelta(days=1))

    def bounds(self, tz: ZoneInfo) -> tuple[datetime, datetime]:
        """Half-open [start, end + 1 day) as UTC moments."""
        return local_midnight(self.start, tz), local_midnight(self.end + timedelta(days=1), tz)

    def to_json(self) -> dict[str, str]:
        return {"start": self.start.isoformat(), "end": self.end.isoformat()}


def local_midnight(day: date, tz: ZoneInfo) -> datetime:
    return datetime.combine(day, time(0), tzinfo=tz).astimezone(UTC)


@dataclass(frozen=True)
class BrandPanel:
    """The workspace's brand, competitors and attributes, as the reputation pages name them."""

    workspace_id: int
    tz: ZoneInfo
    brand_name: str
    competitors: dict[str, str]
    attributes: tuple[str, ...]
    desired: tuple[str, ...]
    labels: dict[str, dict[str, str]] = field(default_factory=dict)

    @property
    def entities(self) -> list[str]:
        """The brand first, then the competitors in the brand file's order."""
        return [BRAND, *self.competitors]

    def entity_name(self, key: str) -> str:
        return self.brand_name if key == BRAND else self.competitors.get(key, key)

    def attribute_label(self, key: str, locale: str) -> str:
        labels = self.labels.get(key, {})
        return labels.get(locale) or labels.get("en") or key

    def is_desired(self, key: str) -> bool:
        return key in self.desired


def brand_panel(session: Session, workspace_id: int) -> BrandPanel:
    ws = session.get(Workspace, workspace_id)
    record = session.scalar(select(BrandRecord).where(BrandRecord.workspace_id == workspace_id))
    if ws is None or record is None:
        raise NotFound("workspace has no brand profile")
    competitors = session.execute(
        select(CompetitorRecord.key, CompetitorRecord.name)
        .where(CompetitorRecord.workspace_id == workspace_id)
        .order_by(CompetitorRecord.position)
    )
    attributes = list(
        session.scalars(
            select(AttributeRecord)
            .where(AttributeRecord.workspace_id == workspace_id)
            .order_by(AttributeRecord.position)
        )
    )
    desired = tuple(a.key for a in attributes if a.desired)
    return BrandPanel(
        workspace_id=workspace_id,
        tz=ZoneInfo(ws.timezone),
        brand_name=record.name,
        competitors={str(key): str(name) for key, name in competitors},
        attributes=(*desired, *(a.key for a in attributes if not a.desired)),
        desired=desired,
        labels={a.key: dict(a.labels) for a in attributes},
    )


def latest_pr_day(session: Session, panel: BrandPanel) -> date | None:
    """The local date of the newest inbound PR item (the pages' "today" when data stops before now)."""
    newest = latest_pr_moment(session, panel.workspace_id)
    return None if newest is None else newest.astimezone(panel.tz).date()


def _query(workspace_id: int, with_text: bool, with_attributes: bool) -> Select[Any]:
    columns: list[Any] = [
        Item.id,
        Item.occurred_at,
        Item.feedback,
        Item.kind,
        Item.source,
        Item.sentiment,
        Item.sentiment_provisional,
        Item.mentions_brand,
        Item.competitors,
        Item.audience,
        Item.language,
        AuthorRecord.followers,
    ]
    if with_attributes:
        columns.append(Item.attributes)
    if with_text:
        columns += [Item.title, Item.text, Item.url]
    return (
        select(*columns)
        .outerjoin(AuthorRecord, AuthorRecord.id == Item.author_id)
        .where(
            Item.workspace_id == workspace_id,
            Item.feedback.in_(PR_FEEDBACK),
            Item.direction == "inbound",
        )
        .order_by(Item.occurred_at, Item.id)
    )


def _entities(row: Any, competitors: dict[str, str], voice: bool) -> tuple[str, ...]:
    about_brand = row.mentions_brand or (not voice and row.feedback == "interaction")
    named = tuple(c for c in row.competitors or () if c in competitors)
    return ((BRAND,) if about_brand else ()) + named


def _sentiment(value: str | None) -> Sentiment:
    return cast(Sentiment, value) if value in SENTIMENTS else "neutral"


def _hits(attributes: Sequence[dict[str, Any]] | None) -> tuple[AttributeHit, ...]:
    return tuple(
        AttributeHit(str(a["key"]), _sentiment(a.get("polarity"))) for a in attributes or () if a.get("key")
    )


def _mention(row: Any, entities: tuple[str, ...], with_text: bool, with_attributes: bool) -> Mention:
    at = row.occurred_at if row.occurred_at.tzinfo else row.occurred_at.replace(tzinfo=UTC)
    text = ""
    if with_text:
        text = "\n".join(part for part in (row.title, row.text) if part)
    return Mention(
        at=at,
        sentiment=_sentiment(row.sentiment),
        entities=entities,
        attributes=_hits(row.attributes) if with_attributes else (),
        reach=row.followers,
        source=row.source,
        audience=row.audience or "",
        language=row.language or "",
        provisional=bool(row.sentiment_provisional),
        id=str(row.id),
        text=text,
        url=row.url if with_text else None,
    )


def load_mentions(
    session: Session,
    panel: BrandPanel,
    *,
    window: DateWindow | None = None,
    since: datetime | None = None,
    voice: bool = False,
    with_text: bool = False,
    with_attributes: bool = True,
) -> list[Mention]:
    """The workspace's inbound PR items as mentions of the panel's entities (oldest first).

    `voice=True` keeps only public items and explicit naming (share of voice); items naming no panel
    entity are dropped unless `with_text` (pickup matching reads every later item). Leaving out the
    attributes (`with_attributes=False`) saves decoding them where a report does not use them.
    """
    query = _query(panel.workspace_id, with_text, with_attributes)
    if window is not None:
        start, end = window.bounds(panel.tz)
        query = query.where(Item.occurred_at >= start, Item.occurred_at < end)
    if since is not None:
        query = query.where(Item.occurred_at >= since)
    if voice:
        query = query.where(Item.kind.not_in(PRIVATE_KINDS))
    mentions = []
    for row in session.execute(query):
        entities = _entities(row, panel.competitors, voice)
        if entities or with_text:
            mentions.append(_mention(row, entities, with_text, with_attributes))
    return mentions


def latest_pr_moment(session: Session, workspace_id: int) -> datetime | None:
    """When the newest inbound PR item was written (the data's "now")."""
    newest = session.scalar(
        select(func.max(Item.occurred_at)).where(
            Item.workspace_id == workspace_id,
            Item.feedback.in_(PR_FEEDBACK),
            Item.direction == "inbound",
        )
    )
    if newest is None:
        return None
    return newest if newest.tzinfo else newest.replace(tzinfo=UTC)
