"""What a workspace needs to understand its items: the text analyzer for its brand, its routing rules and
its time zone. Built once per ingest run or job, never at import time."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.orm import Session

from peyvand.domain.brand import BrandProfile
from peyvand.domain.routing import Rule, merge_rules
from peyvand.services.workspaces import read_brand
from peyvand.storage.tables import RoutingRuleRecord, Workspace
from peyvand.text.enrich import TextAnalyzer


@dataclass(frozen=True)
class WorkspaceUnderstanding:
    workspace_id: int
    brand: BrandProfile
    analyzer: TextAnalyzer
    rules: tuple[Rule, ...]
    tz: ZoneInfo
    reaction_decisions: dict[tuple[Any, ...], dict[str, Any]] = field(default_factory=dict)


def workspace_rules(session: Session, workspace_id: int) -> tuple[Rule, ...]:
    overrides = session.scalars(
        select(RoutingRuleRecord.definition)
        .where(RoutingRuleRecord.workspace_id == workspace_id)
        .order_by(RoutingRuleRecord.id)
    )
    return merge_rules(list(overrides))


def load_understanding(session: Session, workspace_id: int) -> WorkspaceUnderstanding:
    brand = read_brand(session, workspace_id)
    ws = session.get(Workspace, workspace_id)
    assert ws is not None
    return WorkspaceUnderstanding(
        workspace_id=workspace_id,
        brand=brand,
        analyzer=TextAnalyzer(brand),
        rules=workspace_rules(session, workspace_id),
        tz=ZoneInfo(ws.timezone),
    )
