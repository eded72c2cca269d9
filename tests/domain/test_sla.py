from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest

from peyvand.domain.business_hours import (
    ALWAYS_OPEN,
    TEHRAN,
    BusinessHours,
    add_business_minutes,
    business_minutes_between,
    iranian_hours,
    western_hours,
)
from peyvand.domain.sla import SlaPolicy, SlaStatus, TimelineMessage, apply_sla, waits
from peyvand.domain.vocabulary import Direction

# Wednesday 19 March 2025; Thursday 20 March is given as a holiday, Friday 21 March is the weekend.
NOWRUZ_EVE = date(2025, 3, 20)


def tehran(day: int, hour: int, minute: int = 0) -> datetime:
    return datetime(2025, 3, day, hour, minute, tzinfo=TEHRAN)


def test_business_minutes_skip_the_friday_weekend_and_a_holiday() -> None:
    hours = iranian_hours(holidays={NOWRUZ_EVE})  # Sat-Thu 08:00-16:00
    # Wed 15:00-16:00 (60) + Thu holiday + Fri weekend + Sat 08:00-16:00 (480) + Sun 08:00-09:00 (60)
    assert business_minutes_between(tehran(19, 15), tehran(23, 9), hours) == pytest.approx(600)
    half_thursday = iranian_hours(thursday="half")
    # Wed 60 + Thu 08:00-12:00 (240) + Sat 480 + Sun 60
    assert business_minutes_between(tehran(19, 15), tehran(23, 9), half_thursday) == pytest.approx(840)
    assert business_minutes_between(tehran(23, 9), tehran(19, 15), hours) == 0.0


def test_business_clock_accepts_any_zone_and_the_western_week() -> None:
    hours = iranian_hours(holidays={NOWRUZ_EVE})
    start_utc = tehran(19, 15).astimezone(UTC)
    assert business_minutes_between(start_utc, tehran(22, 8, 30), hours) == pytest.approx(90)
    berlin = ZoneInfo("Europe/Berlin")
    friday, monday = datetime(2025, 3, 21, 16, tzinfo=berlin), datetime(2025, 3, 24, 10, tzinfo=berlin)
    assert business_minutes_between(friday, monday, western_hours(), berlin) == pytest.approx(120)
    assert business_minutes_between(tehran(1, 0), tehran(2, 0), ALWAYS_OPEN) == pytest.approx(1440)


def test_adding_business_minutes_jumps_over_closed_days() -> None:
    hours = iranian_hours(holidays={NOWRUZ_EVE})
    due = add_business_minutes(tehran(19, 15, 30), 60, hours)
    assert due == tehran(22, 8, 30)
    assert add_business_minutes(tehran(21, 12), 0, hours) == tehran(21, 12)
    with pytest.raises(ValueError, match="never open"):
        add_business_minutes(tehran(19, 9), 10, BusinessHours(((),) * 7))
    with pytest.raises(ValueError, match="timezone-aware"):
        business_minutes_between(datetime(2025, 3, 19, 9), tehran(19, 10), hours)


POLICY = SlaPolicy(
    "press",
    first_response_minutes=60,
    next_response_minutes=120,
    resolution_minutes=960,
    escalate_after_minutes=30,
    hours=iranian_hours(holidays={NOWRUZ_EVE}),
)


def inbound(at: datetime) -> TimelineMessage:
    return TimelineMessage(at, Direction.INBOUND)


def outbound(at: datetime) -> TimelineMessage:
    return TimelineMessage(at, Direction.OUTBOUND)


def test_first_response_hit() -> None:
    applied = apply_sla(POLICY, [inbound(tehran(22, 10)), outbound(tehran(22, 10, 30))], now=tehran(22, 12))
    first = applied.first_response
    assert (first.status, first.due_at, first.met_at) == (SlaStatus.HIT, tehran(22, 11), tehran(22, 10, 30))
    assert first.elapsed_minutes == pytest.approx(30)
    assert applied.next_response.status == SlaStatus.NOT_APPLICABLE
    assert applied.resolution.status == SlaStatus.RUNNING
    assert applied.status == SlaStatus.RUNNING and not applied.escalate


def test_first_response_missed_across_the_holiday_and_weekend() -> None:
    applied = apply_sla(POLICY, [inbound(tehran(19, 15, 30)), outbound(tehran(22, 9))], now=tehran(22, 10))
    first = applied.first_response
    assert (first.status, first.due_at) == (SlaStatus.MISSED, tehran(22, 8, 30))
    assert first.elapsed_minutes == pytest.approx(90)
    assert first.breaches == 1 and applied.status == SlaStatus.MISSED


def test_running_wait_escalates_after_the_threshold() -> None:
    timeline = [inbound(tehran(19, 15, 30))]
    early = apply_sla(POLICY, timeline, now=tehran(19, 15, 50))
    assert early.first_response.status == SlaStatus.RUNNING
    assert early.waiting_minutes == pytest.approx(20) and not early.escalate
    later = apply_sla(POLICY, timeline, now=tehran(22, 8, 5))  # 30 + 5 business minutes later
    assert later.first_response.status == SlaStatus.RUNNING
    assert later.waiting_since == tehran(19, 15, 30)
    assert later.waiting_minutes == pytest.approx(35) and later.escalate
    overdue = apply_sla(POLICY, timeline, now=tehran(22, 9))
    assert overdue.first_response.status == SlaStatus.MISSED


def test_next_response_counts_every_later_wait() -> None:
    timeline = [
        inbound(tehran(22, 10)),
        outbound(tehran(22, 10, 10)),
        inbound(tehran(22, 11)),
        inbound(tehran(22, 11, 5)),  # still the same wait
        outbound(tehran(22, 14)),  # due 13:00: missed
        inbound(tehran(22, 14, 30)),
        outbound(tehran(22, 14, 45)),  # hit
    ]
    assert len(waits(timeline)) == 3
    applied = apply_sla(POLICY, timeline, now=tehran(22, 15))
    nxt = applied.next_response
    assert (nxt.status, nxt.breaches, nxt.due_at, nxt.met_at) == (
        SlaStatus.MISSED,
        1,
        tehran(23, 8, 30),  # 14:30 + 90 minutes on Saturday + 30 on Sunday
        tehran(22, 14, 45),
    )
    assert applied.first_response.status == SlaStatus.HIT


def test_resolution_stops_every_clock_and_a_new_message_reopens() -> None:
    timeline = [inbound(tehran(22, 10)), outbound(tehran(22, 10, 10)), inbound(tehran(22, 11))]
    resolved = apply_sla(POLICY, timeline, now=tehran(29, 12), resolved_at=tehran(22, 11, 30))
    assert resolved.next_response.status == SlaStatus.HIT
    assert resolved.resolution.status == SlaStatus.HIT
    assert resolved.resolution.due_at == tehran(24, 10)  # Sat 360 + Sun 480 + Mon 120 minutes
    assert resolved.waiting_since is None and not resolved.escalate
    reopened = apply_sla(
        POLICY, [*timeline, inbound(tehran(23, 9))], now=tehran(29, 12), resolved_at=tehran(22, 11, 30)
    )
    assert reopened.resolution.status == SlaStatus.MISSED
    assert reopened.next_response.status == SlaStatus.MISSED and reopened.escalate


def test_no_inbound_message_means_no_sla() -> None:
    applied = apply_sla(POLICY, [outbound(tehran(22, 10))], now=tehran(22, 12))
    assert applied.status == SlaStatus.NOT_APPLICABLE
    assert apply_sla(SlaPolicy("none"), [inbound(tehran(22, 10))], now=tehran(22, 12)).status == (
        SlaStatus.NOT_APPLICABLE
    )


def test_open_spans_are_validated() -> None:
    with pytest.raises(ValueError, match="7 weekdays"):
        BusinessHours(((),) * 6)
    with pytest.raises(ValueError, match="non-overlapping"):
        BusinessHours((((600, 700), (650, 800)),) + ((),) * 6)
    assert iranian_hours(opens=time(9), closes=time(0)).week[0] == ((540, 1440),)
    assert timedelta(minutes=business_minutes_between(tehran(24, 0), tehran(25, 0), iranian_hours())) == (
        timedelta(hours=8)
    )
