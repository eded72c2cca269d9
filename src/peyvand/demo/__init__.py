"""The demo scenario generator: a pure, deterministic story of one agency's two brands, as plain data.

    import datetime
    from peyvand.demo import build_scenario

    scenario = build_scenario(seed=1405, end=datetime.date(2025, 6, 1), days=820, scale=1.0)
    for ws in scenario.workspaces:   # "darcheh" (چای دارچه, Persian tea), "lumira" (Lumira, EN/FA skincare)
        ws.brand_toml                # brand file (DESIGN §4)
        ws.users, ws.campaigns, ws.target_markets, ws.segments     # see `plans`
        ws.content                   # see `content`
        ws.loops                     # see `loops` (each with its `loop_events`)
        ws.truth                     # see `truth`: the injected changes, crisis, press release, ...
        for item in ws.items():      # canonical items, streamed: `threads`/`conversations`, `reactions`
            ...
    scenario.users                   # every login once, with its memberships in the workspaces

No I/O and no database: the `peyvand demo` service loads this through the product's own paths. The same
seed, end, days and scale give the same data and the same ids.
"""

from peyvand.demo.scenario import DemoWorkspace, Scenario, build_scenario

__all__ = ["DemoWorkspace", "Scenario", "build_scenario"]
