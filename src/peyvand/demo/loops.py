"""Marketing loops (nurture sequences): ordered e-mails sent to a segment until the contact converts.

Loop dict: `key`, `name`, `name_en`, `team` ("marketing"), `campaign` (key or None), `segment` (segment
key), `channel` ("email"), `steps` ([{"step": 1-based, "content": content key, "wait_days": days after
entering the loop}]), `starts_on`, `ends_on` (None: still running), `contacts` (how many entered),
`loop_events` (list, time-ordered per contact).
Loop event dict: `loop`, `contact` (pseudonymous id "c-…"), `step`, `content`, `event` ("send" | "open" |
"click" | "convert" | "unsubscribe"), `at` (ISO, Tehran), and `value` (order value in toman) on "convert".
A contact leaves the loop on converting or unsubscribing; events after the window's end are not emitted.
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass

from peyvand.demo.brands import BrandSpec
from peyvand.demo.timeline import Timeline, stamp


@dataclass(frozen=True)
class LoopPlan:
    key: str
    name: str
    name_en: str
    segment: str
    steps: tuple[tuple[str, int], ...]  # (content key, wait days)
    contacts: int
    first_fraction: float  # where in the last 18 months contacts start entering
    open_p: tuple[float, ...]
    click_p: tuple[float, ...]
    convert_p: tuple[float, ...]


PLANS = {
    "darcheh": [
        LoopPlan(
            "welcome-nurture",
            "پرورش مشترکان تازه",
            "Welcome nurture",
            "newsletter-new",
            (
                ("mk-welcome-1", 0),
                ("mk-welcome-2-garden", 3),
                ("mk-welcome-3-brew", 7),
                ("mk-welcome-4-offer", 14),
            ),
            1200,
            0.06,
            (0.52, 0.45, 0.4, 0.46),
            (0.2, 0.28, 0.18, 0.36),
            (0.08, 0.12, 0.07, 0.32),
        ),
        LoopPlan(
            "win-back",
            "بازگرداندن مشتریان",
            "Win-back",
            "lapsed-customers",
            (("mk-winback-1", 0), ("mk-winback-2-harvest", 6), ("mk-winback-3-shipping", 13)),
            800,
            0.5,
            (0.35, 0.33, 0.38),
            (0.15, 0.22, 0.3),
            (0.06, 0.1, 0.22),
        ),
    ],
    "lumira": [
        LoopPlan(
            "lumira-welcome",
            "خوش‌آمد لومیرا",
            "Lumira welcome",
            "newsletter-new",
            (
                ("mk-lumira-welcome-1", 0),
                ("mk-lumira-welcome-2-routine", 4),
                ("mk-lumira-welcome-3-offer", 9),
            ),
            300,
            0.1,
            (0.55, 0.48, 0.5),
            (0.22, 0.25, 0.35),
            (0.07, 0.1, 0.3),
        ),
    ],
}


def contact_count(plan: LoopPlan, scale: float) -> int:
    return max(80, round(plan.contacts * scale))


def _journey(
    rng: random.Random, plan: LoopPlan, contact: str, entered: dt.datetime, end: dt.datetime, order_value: int
) -> list[dict[str, object]]:
    events: list[dict[str, object]] = []

    def add(step: int, event: str, at: dt.datetime, **extra: object) -> bool:
        if at > end:
            return False
        events.append(
            {
                "loop": plan.key,
                "contact": contact,
                "step": step + 1,
                "content": plan.steps[step][0],
                "event": event,
                "at": stamp(at),
                **extra,
            }
        )
        return True

    for step, (_, wait) in enumerate(plan.steps):
        sent = entered + dt.timedelta(days=wait, minutes=rng.randrange(120))
        if not add(step, "send", sent) or rng.random() < 0.02 and add(step, "unsubscribe", sent):
            break
        if rng.random() >= plan.open_p[step]:
            continue
        opened = sent + dt.timedelta(minutes=rng.lognormvariate(5, 1.2))
        if not add(step, "open", opened) or rng.random() >= plan.click_p[step]:
            continue
        clicked = opened + dt.timedelta(minutes=rng.uniform(0.2, 5))
        if not add(step, "click", clicked) or rng.random() >= plan.convert_p[step]:
            continue
        value = round(order_value * rng.uniform(0.6, 2.5), -3)
        add(step, "convert", clicked + dt.timedelta(minutes=rng.uniform(3, 90)), value=value)
        break
    return events


def build_loops(spec: BrandSpec, t: Timeline, seed: int, scale: float) -> list[dict[str, object]]:
    rng = random.Random(f"{seed}:{spec.workspace}:loops")
    end = dt.datetime.combine(t.window.end, dt.time(23, 59, 59))
    order_value = spec.products[0].price
    loops: list[dict[str, object]] = []
    for plan in PLANS[spec.workspace]:
        first = t.last_18_months.start + dt.timedelta(days=round(plan.first_fraction * t.last_18_months.days))
        span = max(1, (t.window.end - first).days - 10)
        events: list[dict[str, object]] = []
        for _ in range(contact_count(plan, scale)):
            entered = dt.datetime.combine(first + dt.timedelta(days=rng.randrange(span)), dt.time(9, 0))
            events += _journey(rng, plan, f"c-{rng.getrandbits(48):012x}", entered, end, order_value)
        loops.append(
            {
                "key": plan.key,
                "name": plan.name,
                "name_en": plan.name_en,
                "team": "marketing",
                "campaign": None,
                "segment": plan.segment,
                "channel": "email",
                "steps": [
                    {"step": i + 1, "content": key, "wait_days": wait}
                    for i, (key, wait) in enumerate(plan.steps)
                ],
                "starts_on": first.isoformat(),
                "ends_on": None,
                "contacts": contact_count(plan, scale),
                "loop_events": events,
            }
        )
    return loops
