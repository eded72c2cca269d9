"""Workspaces and their brand profiles."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from peyvand.domain.brand import BrandProfile, parse_brand, slugify
from peyvand.services.access import Actor, InvalidInput, NotFound, require
from peyvand.services.clock import utcnow
from peyvand.storage.db import Store
from peyvand.storage.tables import (
    AttributeRecord,
    AuditEntry,
    BrandRecord,
    CompetitorRecord,
    ProductRecord,
    Workspace,
)


@dataclass(frozen=True)
class WorkspaceInfo:
    id: int
    slug: str
    name: str
    timezone: str


def _info(ws: Workspace) -> WorkspaceInfo:
    return WorkspaceInfo(ws.id, ws.slug, ws.name, ws.timezone)


def _write_brand(session: Session, workspace_id: int, brand: BrandProfile) -> None:
    for table in (ProductRecord, CompetitorRecord, AttributeRecord, BrandRecord):
        session.execute(delete(table).where(table.workspace_id == workspace_id))
    session.add(
        BrandRecord(
            workspace_id=workspace_id,
            name=brand.brand.name,
            aliases=list(brand.brand.aliases),
            desired_attributes=list(brand.brand.desired_attributes),
            journalist_domains=list(brand.brand.journalist_domains),
            partner_domains=list(brand.brand.partner_domains),
            stores=[{"key": st.key, "names": list(st.names)} for st in brand.stores],
            updated_at=utcnow(),
        )
    )
    for i, p in enumerate(brand.products):
        session.add(ProductRecord(workspace_id=workspace_id, key=p.key, names=list(p.names), position=i))
    for i, c in enumerate(brand.competitors):
        session.add(
            CompetitorRecord(
                workspace_id=workspace_id, key=c.key, name=c.name, aliases=list(c.aliases), position=i
            )
        )
    for i, a in enumerate(brand.attributes):
        session.add(
            AttributeRecord(
                workspace_id=workspace_id,
                key=a.key,
                terms=dict(a.terms),
                labels=dict(a.labels),
                desired=brand.is_desired(a.key),
                position=i,
            )
        )


def default_slug(brand: BrandProfile) -> str:
    """A short Latin name: from the brand name, else its first Latin alias, else "workspace"."""
    for name in (brand.name, *brand.brand.aliases):
        if slug := slugify(name.lstrip("@")):
            return slug
    return "workspace"


def create_workspace(store: Store, *, brand: BrandProfile, slug: str | None = None) -> WorkspaceInfo:
    """Create a workspace from a brand profile (`peyvand init --brand`)."""
    slug = slug or default_slug(brand)
    with store.transaction() as session:
        if session.scalar(select(Workspace.id).where(Workspace.slug == slug)) is not None:
            raise InvalidInput(f"a workspace named {slug!r} already exists; choose another --slug")
        ws = Workspace(
            slug=slug, name=brand.name, timezone=brand.brand.timezone, settings={}, created_at=utcnow()
        )
        session.add(ws)
        session.flush()
        _write_brand(session, ws.id, brand)
        session.add(
            AuditEntry(workspace_id=ws.id, action="workspace.create", target=slug, details={}, at=utcnow())
        )
        return _info(ws)


def replace_brand(store: Store, actor: Actor, *, brand: BrandProfile) -> None:
    require(actor, "workspace.admin")
    with store.transaction() as session:
        ws = session.get(Workspace, actor.workspace_id)
        if ws is None:
            raise NotFound("workspace")
        ws.name, ws.timezone = brand.name, brand.brand.timezone
        _write_brand(session, ws.id, brand)
        session.add(
            AuditEntry(
                workspace_id=ws.id, user_id=actor.user_id, action="brand.replace", details={}, at=utcnow()
            )
        )


def read_brand(session: Session, workspace_id: int) -> BrandProfile:
    """The workspace's brand profile, rebuilt from its tables (the inverse of `_write_brand`)."""
    record = session.scalar(select(BrandRecord).where(BrandRecord.workspace_id == workspace_id))
    ws = session.get(Workspace, workspace_id)
    if record is None or ws is None:
        raise NotFound("workspace has no brand profile")

    def rows(table: Any) -> list[Any]:
        return list(
            session.scalars(select(table).where(table.workspace_id == workspace_id).order_by(table.position))
        )

    brand: dict[str, object] = {
        "name": record.name,
        "aliases": record.aliases,
        "timezone": ws.timezone,
        "desired_attributes": record.desired_attributes,
    }
    for key in ("journalist_domains", "partner_domains"):
        if getattr(record, key):
            brand[key] = getattr(record, key)
    data = {
        "brand": brand,
        "attributes": [{"key": a.key, "terms": a.terms, "labels": a.labels} for a in rows(AttributeRecord)],
        "products": [{"key": p.key, "names": p.names} for p in rows(ProductRecord)],
        "competitors": [{"name": c.name, "key": c.key, "aliases": c.aliases} for c in rows(CompetitorRecord)],
        "stores": list(record.stores or []),
    }
    return parse_brand(data, path=f"workspace {ws.slug}")


def load_brand(store: Store, *, workspace_id: int) -> BrandProfile:
    with store.read() as session:
        return read_brand(session, workspace_id)


def list_workspaces(store: Store) -> list[WorkspaceInfo]:
    with store.read() as session:
        return [_info(ws) for ws in session.scalars(select(Workspace).order_by(Workspace.id))]


def resolve_workspace(store: Store, slug: str | None) -> WorkspaceInfo:
    """The workspace named by `slug`, or the only one when there is just one (CLI `--workspace`)."""
    with store.read() as session:
        if slug:
            ws = session.scalar(select(Workspace).where(Workspace.slug == slug))
            if ws is None:
                raise NotFound(f"no workspace {slug!r}")
            return _info(ws)
        count = session.scalar(select(func.count(Workspace.id))) or 0
        if count == 0:
            raise NotFound("no workspace yet: create one with `peyvand init --brand BRAND.toml`")
        if count > 1:
            slugs = ", ".join(session.scalars(select(Workspace.slug).order_by(Workspace.id)))
            raise InvalidInput(f"there are several workspaces ({slugs}): choose one with --workspace")
        ws = session.scalar(select(Workspace))
        assert ws is not None
        return _info(ws)
