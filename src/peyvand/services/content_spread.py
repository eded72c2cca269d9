"""Content that travels: PR pieces, the mentions that picked them up, their reach and growth.

`find_pickups` (a job, queued after every ingest and when PR registers a piece) matches every inbound
item published after a piece against the workspace's PR pieces with `analysis.spread.PickupFinder` (link,
or near-duplicate text) and stores the result in `content_pickups`, so the pages only read a table.
The reports add earned reach, the growth curve and whether each piece keeps growing (`spread.momentum`).
Message texts and authors of pickups are shown only to roles that read conversations.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import delete, insert, select
from sqlalchemy.orm import Session

from peyvand.analysis.spread import (
    ContentPiece,
    GrowthCurve,
    Momentum,
    Pickup,
    PickupFinder,
    earned_reach,
    growth_curve,
    momentum,
)
from peyvand.domain.brand import slugify
from peyvand.services.access import Actor, InvalidInput, NotFound, require
from peyvand.services.clock import utcnow
from peyvand.services.content import save_content
from peyvand.services.reputation_data import brand_panel, latest_pr_moment, load_mentions
from peyvand.sources._values import parse_datetime
from peyvand.storage.db import Store
from peyvand.storage.tables import AuthorRecord, Campaign, Content, Item, Workspace
from peyvand.storage.tables_reputation import ContentPickup

PIECE_KINDS = ("press_release", "article", "statement", "film", "post", "interview")


def _piece(row: Content) -> ContentPiece:
    assert row.published_at is not None
    return ContentPiece(f"c{row.id}", row.title, row.url, row.text or "", row.published_at)


def _pr_content(session: Session, workspace_id: int) -> list[Content]:
    return list(
        session.scalars(
            select(Content)
            .where(
                Content.workspace_id == workspace_id, Content.team == "pr", Content.published_at.is_not(None)
            )
            .order_by(Content.published_at.desc(), Content.id)
        )
    )


@dataclass(frozen=True)
class PickupRun:
    pieces: int
    mentions: int
    pickups: int
    by_link: int
    by_text: int


def _pickup_row(workspace_id: int, pickup: Pickup, now: datetime) -> dict[str, Any]:
    return {
        "workspace_id": workspace_id,
        "content_id": int(pickup.piece_id[1:]),
        "item_id": int(pickup.mention_id),
        "at": pickup.at,
        "match": pickup.match,
        "similarity": pickup.similarity,
        "reach": pickup.reach,
        "source": pickup.source,
        "found_at": now,
    }


def find_pickups(store: Store, actor: Actor) -> PickupRun:
    """Match every later inbound item against the PR pieces and replace the stored pickups."""
    require(actor, "reputation.refresh")
    with store.read() as session:
        panel = brand_panel(session, actor.workspace_id)
        pieces = [_piece(row) for row in _pr_content(session, actor.workspace_id)]
        first = min((p.published_at for p in pieces), default=None)
        mentions = (
            []
            if first is None
            else load_mentions(session, panel, since=first, with_text=True, with_attributes=False)
        )
    finder = PickupFinder(pieces)
    pickups = [pickup for mention in mentions for pickup in finder.match(mention)]
    now = utcnow()
    with store.transaction() as session:
        session.execute(delete(ContentPickup).where(ContentPickup.workspace_id == actor.workspace_id))
        if pickups:
            session.execute(insert(ContentPickup), [_pickup_row(actor.workspace_id, p, now) for p in pickups])
    by_link = sum(1 for p in pickups if p.match == "link")
    return PickupRun(len(pieces), len(mentions), len(pickups), by_link, len(pickups) - by_link)


@dataclass(frozen=True)
class PieceSpread:
    """One PR piece with its pickups counted, its earned reach and its momentum at `as_of`."""

    id: int
    key: str
    title: str
    kind: str
    language: str | None
    url: str | None
    published_at: datetime
    campaign: str | None
    pickups: int
    by_link: int
    by_text: int
    reach: int
    reach_unknown: int
    last_pickup_at: datetime | None
    momentum: Momentum

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "key": self.key,
            "title": self.title,
            "kind": self.kind,
            "language": self.language,
            "url": self.url,
            "published_at": self.published_at.isoformat(),
            "campaign": self.campaign,
            "pickups": self.pickups,
            "by_link": self.by_link,
            "by_text": self.by_text,
            "earned_reach": self.reach,
            "reach_unknown": self.reach_unknown,
            "last_pickup_at": self.last_pickup_at.isoformat() if self.last_pickup_at else None,
            "recent_pickups": self.momentum.recent,
            "earlier_pickups": self.momentum.earlier,
            "momentum_p_value": self.momentum.p_value,
            "keeps_growing": self.momentum.keeps_growing,
        }


def _stored_pickups(session: Session, workspace_id: int) -> dict[int, list[Pickup]]:
    rows = session.scalars(
        select(ContentPickup).where(ContentPickup.workspace_id == workspace_id).order_by(ContentPickup.at)
    )
    found: dict[int, list[Pickup]] = {}
    for row in rows:
        found.setdefault(row.content_id, []).append(
            Pickup(
                f"c{row.content_id}",
                str(row.item_id),
                row.at,
                row.match,  # type: ignore[arg-type]
                row.similarity,
                row.reach,
                row.source,
            )
        )
    return found


def _spread(row: Content, pickups: list[Pickup], campaign: str | None, as_of: datetime) -> PieceSpread:
    piece = _piece(row)
    reach = earned_reach(pickups)
    return PieceSpread(
        row.id,
        row.key,
        row.title,
        row.kind,
        row.language,
        row.url,
        piece.published_at,
        campaign,
        len(pickups),
        sum(1 for p in pickups if p.match == "link"),
        sum(1 for p in pickups if p.match == "text"),
        reach.reach,
        reach.reach_unknown,
        max((p.at for p in pickups), default=None),
        momentum(piece, pickups, as_of=max(as_of, piece.published_at)),
    )


@dataclass(frozen=True)
class SpreadReport:
    as_of: datetime
    pieces: list[PieceSpread]


def _as_of(session: Session, workspace_id: int) -> datetime:
    return latest_pr_moment(session, workspace_id) or utcnow()


def _campaign_keys(session: Session, workspace_id: int) -> dict[int, str]:
    rows = session.execute(select(Campaign.id, Campaign.key).where(Campaign.workspace_id == workspace_id))
    return {int(campaign_id): str(key) for campaign_id, key in rows}


def spread_report(store: Store, actor: Actor) -> SpreadReport:
    """Every published PR piece, newest first, with pickups, earned reach and momentum."""
    require(actor, "reputation.read")
    with store.read() as session:
        as_of = _as_of(session, actor.workspace_id)
        stored = _stored_pickups(session, actor.workspace_id)
        campaigns = _campaign_keys(session, actor.workspace_id)
        pieces = [
            _spread(row, stored.get(row.id, []), campaigns.get(row.campaign_id or 0), as_of)
            for row in _pr_content(session, actor.workspace_id)
        ]
    return SpreadReport(as_of, pieces)


@dataclass(frozen=True)
class PickupView:
    """One pickup as a page shows it; `url`, `author` and `excerpt` only for roles that read messages."""

    at: datetime
    source: str
    match: str
    similarity: float | None
    reach: int | None
    url: str | None = None
    author: str | None = None
    excerpt: str | None = None
    language: str | None = None  # the excerpt's detected language (fa, en, other)

    def to_json(self) -> dict[str, Any]:
        return {**self.__dict__, "at": self.at.isoformat()}


@dataclass(frozen=True)
class PieceDetail:
    piece: PieceSpread
    curve: GrowthCurve
    pickups: list[PickupView]
    sees_messages: bool


def _pickup_views(session: Session, content_id: int, sees: bool) -> list[PickupView]:
    rows = session.execute(
        select(
            ContentPickup,
            Item.url,
            Item.title,
            Item.text,
            AuthorRecord.handle,
            AuthorRecord.name,
            Item.language,
        )
        .join(Item, Item.id == ContentPickup.item_id)
        .outerjoin(AuthorRecord, AuthorRecord.id == Item.author_id)
        .where(ContentPickup.content_id == content_id)
        .order_by(ContentPickup.at)
    )
    views = []
    for pickup, url, title, text, handle, name, language in rows:
        extra = {}
        if sees:
            extra = {
                "url": url,
                "author": handle or name,
                "excerpt": (title or text or "")[:160],
                "language": language,
            }
        views.append(
            PickupView(pickup.at, pickup.source, pickup.match, pickup.similarity, pickup.reach, **extra)
        )
    return views


def curve_end(piece: PieceSpread, as_of: datetime) -> datetime:
    """Where a growth curve stops: a week after the last pickup (two weeks at least), never after as_of."""
    last = piece.last_pickup_at or piece.published_at
    return min(as_of, max(last + timedelta(days=7), piece.published_at + timedelta(days=14)))


def piece_spread(store: Store, actor: Actor, *, content_id: int) -> PieceDetail:
    """One PR piece: its growth curve (cumulative pickups and reach by day) and its pickups."""
    require(actor, "reputation.read")
    sees = actor.can("conversations.read_all")
    with store.read() as session:
        row = session.get(Content, content_id)
        if row is None or row.workspace_id != actor.workspace_id or row.team != "pr" or not row.published_at:
            raise NotFound("content")
        as_of = _as_of(session, actor.workspace_id)
        pickups = _stored_pickups(session, actor.workspace_id).get(row.id, [])
        campaign = _campaign_keys(session, actor.workspace_id).get(row.campaign_id or 0)
        spread = _spread(row, pickups, campaign, as_of)
        views = _pickup_views(session, row.id, sees)
    curve = growth_curve(_piece(row), pickups, as_of=max(curve_end(spread, as_of), spread.published_at))
    return PieceDetail(spread, curve, views, sees)


def _published(value: str, tz: ZoneInfo) -> datetime:
    """A publication time in the workspace's time zone: 2026-03-01T10:00, or a Jalali 1405-01-15 10:00
    (read as exports' times are, `sources._values.parse_datetime`: Persian digits and / too, a year
    before 1700 is Jalali); a time with its own offset is taken as it is."""
    try:
        moment = parse_datetime(value)[0]
    except ValueError:
        try:
            moment = datetime.fromisoformat(value.strip())
        except ValueError as exc:
            raise InvalidInput(
                "publication time must look like 2026-03-01T10:00 or 1405-01-15 10:00"
            ) from exc
    return moment.replace(tzinfo=tz) if moment.tzinfo is None else moment.astimezone(UTC)


def register_pr_content(store: Store, actor: Actor, data: dict[str, Any]) -> int:
    """Register (or update, by key) a PR piece for spread tracking and queue the pickup search."""
    from peyvand.services.reputation_jobs import queue_reputation_refresh

    require(actor, "reputation.work")
    title = str(data.get("title") or "").strip()
    if not title or not str(data.get("published_at") or "").strip():
        raise InvalidInput("a piece needs a title and a publication time")
    if data.get("kind") and data["kind"] not in PIECE_KINDS:
        raise InvalidInput(f"kind must be one of {', '.join(PIECE_KINDS)}")
    if len(title) > 500 or len(str(data.get("language") or "").strip()) > 8:
        raise InvalidInput("a title is at most 500 characters, a language code at most 8")
    if str(data.get("unit") or "").strip() not in ("", "media", "advertising"):
        raise InvalidInput("unit must be media or advertising, or none")
    with store.read() as session:
        workspace = session.get(Workspace, actor.workspace_id)
        assert workspace is not None
        tz = ZoneInfo(workspace.timezone)
    key = str(data.get("key") or "").strip() or slugify(title) or f"pr-{int(utcnow().timestamp())}"
    piece = {
        **{k: (str(v).strip() or None) for k, v in data.items() if k in ("url", "text", "language", "unit")},
        "key": key[:64],
        "team": "pr",
        "kind": data.get("kind") or "press_release",
        "title": title,
        "published_at": _published(str(data["published_at"]), tz),
        "campaign": data.get("campaign") or None,
    }
    content_id = save_content(store, actor, piece)
    queue_reputation_refresh(store, actor, kinds=("find_pickups",))
    return content_id
