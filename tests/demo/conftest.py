"""Demo scenarios built once per session: a small one (scale 0.05) kept whole, and the full one (scale 1)
streamed once into a summary (the full stream is ~100,000 items)."""

from __future__ import annotations

import datetime as dt

import pytest

from demo.demo_support import Summary, series_key
from peyvand.demo import Scenario, build_scenario

END = dt.date(2025, 6, 1)


@pytest.fixture(scope="session")
def small() -> Scenario:
    return build_scenario(seed=1405, end=END, scale=0.05)


@pytest.fixture(scope="session")
def small_items(small: Scenario) -> dict[str, list[dict[str, object]]]:
    return {ws.key: list(ws.items(labels=True)) for ws in small.workspaces}


@pytest.fixture(scope="session")
def full() -> Scenario:
    return build_scenario(seed=1405, end=END, scale=1.0)


@pytest.fixture(scope="session")
def full_summary(full: Scenario) -> dict[str, Summary]:
    out = {}
    for ws in full.workspaces:
        summary = Summary()
        for item in ws.items(labels=True):
            kind = str(item["kind"])
            summary.kinds[kind] += 1
            if kind == "metric":
                key = series_key(str(item["metric"]), item["dims"])  # type: ignore[arg-type]
                summary.metrics[key][str(item["at"])[:10]] = float(item["value"])  # type: ignore[arg-type]
            elif kind == "event":
                summary.event_days[str(item["at"])[:10]] += 1
            else:
                summary.texts.append(item)
                summary.outbound += item.get("direction") == "outbound"
                summary.inbound += item.get("direction") != "outbound"
        out[ws.key] = summary
    return out
