"""Content that travels: pickups stored by link and by near-duplicate text, the growth curve, earned reach,
momentum, and who sees the pickups' texts."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlalchemy import select

from peyvand.services.access import AccessDenied, Actor, InvalidInput
from peyvand.services.content_spread import find_pickups, piece_spread, register_pr_content, spread_report
from peyvand.storage.db import Store
from peyvand.storage.tables import Job
from peyvand.storage.tables_reputation import ContentPickup
from reputation_data import Row, add_items

PUBLISHED = date(2026, 3, 10)
RELEASE = (
    "چای نیلوفر نخستین گواهی ارگانیک باغ‌های چای لاهیجان را از مرجع ملی استاندارد دریافت کرد. "
    "این گواهی پس از دو سال پایش خاک و آب صادر شده و نشان می‌دهد چای بدون سم و افزودنی تولید می‌شود."
)
URL = "https://niloofar.example/press/organic"


def _register(store: Store, actor: Actor) -> int:
    return register_pr_content(
        store,
        actor,
        {
            "title": "گواهی ارگانیک نیلوفر",
            "key": "organic",
            "kind": "press_release",
            "url": URL,
            "text": RELEASE,
            "language": "fa",
            "published_at": f"{PUBLISHED.isoformat()}T10:00",
        },
    )


def _coverage() -> list[Row]:
    day = PUBLISHED
    return [
        Row(day, text=f"خبر خوب! {URL}?utm_source=telegram", author="fan", followers=500, source="telegram"),
        Row(
            day + timedelta(days=1),
            text="به گزارش خبرگزاری شمال، " + RELEASE.replace("ی", "ي"),  # Arabic yeh, same words
            url="https://shomal.example/news/1",
            source="news",
            author="shomal",
            followers=40_000,
        ),
        Row(day + timedelta(days=1), text="چای سبز نیلوفر خوش‌طعمه ولی گرونه", source="instagram"),
        Row(day - timedelta(days=2), text=f"پیش از انتشار {URL}", source="x"),  # before publication
        Row(day + timedelta(days=5), text=f"{URL} 👏", source="x", author="late", followers=None),
    ]


def test_pickups_are_found_by_link_and_by_text_and_stored(store: Store, workspace: Actor) -> None:
    content_id = _register(store, workspace)
    add_items(store, workspace, _coverage())
    run = find_pickups(store, workspace)
    assert (run.pieces, run.pickups, run.by_link, run.by_text) == (1, 3, 2, 1)
    with store.read() as session:
        stored = session.scalars(select(ContentPickup).where(ContentPickup.content_id == content_id)).all()
        assert sorted((p.match, p.source) for p in stored) == [
            ("link", "telegram"),
            ("link", "x"),
            ("text", "news"),
        ]
        text_match = next(p for p in stored if p.match == "text")
        assert text_match.similarity is not None and text_match.similarity > 0.7
    assert find_pickups(store, workspace).pickups == 3  # a second run replaces, it does not add


def test_spread_report_growth_curve_reach_and_momentum(store: Store, workspace: Actor) -> None:
    content_id = _register(store, workspace)
    add_items(store, workspace, _coverage())
    find_pickups(store, workspace)
    [piece] = spread_report(store, workspace).pieces
    assert (piece.pickups, piece.by_link, piece.by_text) == (3, 2, 1)
    assert (piece.reach, piece.reach_unknown) == (40_500, 1)
    assert piece.momentum.keeps_growing is True  # the newest item is the last pickup
    detail = piece_spread(store, workspace, content_id=content_id)
    curve = detail.curve
    assert curve.pickups[:6] == (1, 2, 2, 2, 2, 3) and curve.reach[1] == 40_500
    assert curve.days[-1] == 5  # up to the newest item (it would run on two weeks if data did)
    assert detail.sees_messages and detail.pickups[0].url is None and detail.pickups[0].author == "fan"


def test_marketing_and_viewers_see_counts_not_texts(store: Store, workspace: Actor) -> None:
    content_id = _register(store, workspace)
    add_items(store, workspace, _coverage())
    find_pickups(store, workspace)
    for role in ("marketing", "viewer"):
        detail = piece_spread(store, Actor(workspace.workspace_id, role), content_id=content_id)
        assert len(detail.pickups) == 3 and not detail.sees_messages
        assert all(p.excerpt is None and p.author is None and p.url is None for p in detail.pickups)
    with pytest.raises(AccessDenied):
        _register(store, Actor(workspace.workspace_id, "marketing"))


def test_registering_content_queues_the_pickup_search(store: Store, workspace: Actor) -> None:
    _register(store, Actor(workspace.workspace_id, "pr"))
    with store.read() as session:
        kinds = session.scalars(select(Job.kind).where(Job.workspace_id == workspace.workspace_id)).all()
    assert kinds == ["find_pickups"]
    with pytest.raises(InvalidInput):
        register_pr_content(store, workspace, {"title": "no date"})


def test_a_publication_time_is_read_in_jalali_too() -> None:
    from zoneinfo import ZoneInfo

    from peyvand.services.content_spread import _published

    tehran = ZoneInfo("Asia/Tehran")
    expected = _published("2026-04-04T10:00", tehran)
    assert _published("1405-01-15 10:00", tehran) == expected
    assert _published("۱۴۰۵/۰۱/۱۵ ۱۰:۰۰", tehran) == expected
    assert _published("1405-01-15", tehran) == _published("2026-04-04T00:00", tehran)
    with pytest.raises(InvalidInput, match="1405-01-15 10:00"):
        _published("1405-13-40", tehran)
