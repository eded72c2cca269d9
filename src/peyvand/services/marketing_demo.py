"""The marketing desk's part of the demo: target markets, segments, loops and their events from the
scenario, then the jobs a real install runs after ingest (the signal engine over the whole history, the
loops' crisis check), so the desk opens with its signals found and explained. It runs after the
reputation demo step, so the crises and content pickups that explain signals are already stored."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import TYPE_CHECKING, Any

from peyvand.services.access import Actor
from peyvand.services.audiences import save_audience
from peyvand.services.loop_import import import_loop_events
from peyvand.services.loops import apply_crisis_pauses, save_loop
from peyvand.services.signals import detect_signals
from peyvand.storage.db import Store

if TYPE_CHECKING:
    from peyvand.demo import DemoWorkspace, Scenario


def _audiences(store: Store, actor: Actor, ws: DemoWorkspace) -> None:
    for kind, definitions in (("target_market", ws.target_markets), ("segment", ws.segments)):
        for d in definitions:
            save_audience(store, actor, {**d, "kind": kind})


def _loop_data(loop: Mapping[str, Any]) -> dict[str, Any]:
    steps = [
        {"step": str(s["step"]), "content": s.get("content"), "wait_days": s.get("wait_days")}
        for s in loop.get("steps", [])
    ]
    return {
        "key": loop["key"],
        "name": loop["name"],
        "name_en": loop.get("name_en"),
        "channel": loop.get("channel"),
        "campaign": loop.get("campaign"),
        "segment": loop.get("segment"),
        "steps": steps,
        "starts_on": loop.get("starts_on"),
        "ends_on": loop.get("ends_on"),
        "crisis_safe": bool(loop.get("crisis_safe", False)),
    }


def _events(loop: Mapping[str, Any]) -> Iterator[dict[str, Any]]:
    for e in loop.get("loop_events", []):
        yield {
            "loop": e["loop"],
            "contact": e["contact"],
            "step": str(e["step"]) if e.get("step") is not None else None,
            "event": e["event"],
            "at": e["at"],
            "value": e.get("value"),
        }


def load_marketing_demo(store: Store, scenario: Scenario, workspace_ids: Mapping[str, int]) -> None:
    """Load the scenario's audiences and loops into each demo workspace and run the marketing jobs."""
    for ws in scenario.workspaces:
        actor = Actor.operator(workspace_ids[ws.key])
        _audiences(store, actor, ws)
        for loop in ws.loops:
            save_loop(store, actor, _loop_data(loop))
            import_loop_events(store, actor, _events(loop))
        detect_signals(store, actor, history=True)
        apply_crisis_pauses(store, actor)
