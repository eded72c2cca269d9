"""Branding campaigns measured before/after with their KPI targets; the media list; the jobs after ingest."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlalchemy import select

from peyvand.domain.campaign_kpis import kpi_warnings, sentiment_target
from peyvand.jobs.handlers import HANDLERS
from peyvand.jobs.queue import run_pending
from peyvand.services.access import AccessDenied, Actor, InvalidInput, NotFound
from peyvand.services.branding import branding_campaign, branding_campaigns
from peyvand.services.campaigns import save_campaign
from peyvand.services.media_list import media_list, update_contact
from peyvand.storage.db import Store
from peyvand.storage.tables import Job
from reputation_data import Row, add_items
from web_data import ingest_sample

START = date(2026, 4, 1)
KPIS = [
    {"key": "attribute_share", "attribute": "natural", "baseline": 0.1, "target": 0.3},
    {"key": "sentiment_index", "target": 0.5},
    {"key": "share_of_voice", "target": 0.6},
]


def _campaign(store: Store, actor: Actor, key: str = "natural-spring", **extra: object) -> None:
    save_campaign(
        store,
        actor,
        {
            "key": key,
            "kind": "branding",
            "name": "طبیعی در بهار",
            "name_en": "Natural spring",
            "starts_on": START.isoformat(),
            "ends_on": (START + timedelta(days=29)).isoformat(),
            "kpis": KPIS,
            **extra,
        },
    )


def _story() -> list[Row]:
    """30 days before: 10 of 100 mentions natural, net 0, brand 50 of 100 named; during: 40 of 100
    natural, net +60, brand 75 of 100 named."""
    rows = []
    for i in range(100):
        before, during = START - timedelta(days=30 - i % 30), START + timedelta(days=i % 30)
        rows.append(
            Row(before, ["positive", "negative"][i % 2], attributes=[("natural", "positive")] * (i < 10))
        )
        rows.append(
            Row(during, "positive" if i < 80 else "negative", attributes=[("natural", "positive")] * (i < 40))
        )
        rows.append(
            Row(before, brand=False, competitors=["golden-leaf"]) if i < 50 else Row(before, "neutral")
        )
    rows += [Row(START + timedelta(days=i % 30), brand=False, competitors=["golden-leaf"]) for i in range(25)]
    return rows


def test_branding_campaign_before_after_with_kpi_targets(store: Store, workspace: Actor) -> None:
    _campaign(store, workspace)
    add_items(store, workspace, _story())
    report = branding_campaign(store, Actor(workspace.workspace_id, "viewer"), key="natural-spring")
    assert report.comparison is not None and report.comparison.before.start == START - timedelta(days=30)
    kpis = {k.key: k for k in report.kpis}
    share = kpis["attribute_share"]
    assert (share.before, share.after) == (pytest.approx(10 / 150), pytest.approx(40 / 100))
    assert share.p_value is not None and share.p_value < 1e-6 and share.met is True and share.target == 0.3
    sentiment = kpis["sentiment_index"]
    assert sentiment.before == pytest.approx(0.0) and sentiment.after == pytest.approx(60.0)
    assert sentiment.target == 50.0 and sentiment.met is True and sentiment.unit == "points"
    voice = kpis["share_of_voice"]
    assert voice.before == pytest.approx(150 / 200) and voice.after == pytest.approx(100 / 125)
    assert voice.met is True and voice.p_value is not None and voice.p_value > 0.05
    assert report.warnings == []
    assert report.attribute_shifts[0].toward_wanted is True


def test_kind_and_kpi_mismatches_are_warned(store: Store, workspace: Actor) -> None:
    _campaign(store, workspace, kpis=[{"key": "revenue", "target": 1e9}])
    save_campaign(
        store,
        workspace,
        {
            "key": "tea-sale",
            "kind": "marketing",
            "name": "Tea sale",
            "starts_on": START.isoformat(),
            "products": ["green-tea"],
            "kpis": [{"key": "share_of_voice", "target": 0.5}],
        },
    )
    overview = branding_campaigns(store, workspace)
    [branding] = overview.campaigns
    assert {w.code for w in branding.warnings} == {"sales_kpi", "no_reputation_kpi"}
    [(campaign, warnings)] = overview.mismatched
    assert campaign.key == "tea-sale" and [w.code for w in warnings] == ["reputation_kpi"]
    with pytest.raises(NotFound):
        branding_campaign(store, workspace, key="tea-sale")


def test_media_list_search_reads_arabic_letters_as_persian(store: Store, workspace: Actor) -> None:
    add_items(
        store,
        workspace,
        [Row(date(2026, 3, 1), "neutral", author="کریمی", audience="journalist", source="email")],
    )
    pr = Actor(workspace.workspace_id, "pr")
    for query in ("كريمي", "کریمی", "ريم"):
        assert [c.handle for c in media_list(store, pr, search=query)] == ["کریمی"], query


def test_kpi_rules() -> None:
    warnings = kpi_warnings(
        "branding",
        [{"key": "attribute_share", "attribute": "price"}],
        attributes=["natural", "price"],
        desired=["natural"],
    )
    assert [w.code for w in warnings] == ["undesired_attribute"]
    assert sentiment_target(0.35) == pytest.approx(35.0) and sentiment_target(20) == 20


def test_media_list_history_and_edits(store: Store, workspace: Actor) -> None:
    day = date(2026, 3, 1)
    rows = [
        Row(
            day,
            "negative",
            author="reporter",
            audience="journalist",
            followers=5000,
            source="email",
            kind="email",
        ),
        Row(day + timedelta(days=3), "positive", author="reporter", audience="journalist", source="email"),
        Row(day + timedelta(days=4), "positive", author="reporter", audience="journalist", source="email"),
        Row(day, "positive", author="someone", audience="customer", source="email"),
    ]
    add_items(store, workspace, rows)
    pr = Actor(workspace.workspace_id, "pr")
    [reporter] = media_list(store, pr)
    assert (reporter.handle, reporter.items, reporter.positive, reporter.negative) == ("reporter", 3, 2, 1)
    assert reporter.net_sentiment == pytest.approx(100 / 3)
    assert reporter.last_item_at is not None and reporter.last_item_at.day == 5
    assert len(media_list(store, pr, audience="all")) == 2
    assert [c.handle for c in media_list(store, pr, audience="all", search="REPORT")] == ["reporter"]
    assert media_list(store, pr, audience="all", search="100%") == []  # % is a character, not a wildcard
    updated = update_contact(
        store,
        pr,
        author_id=reporter.id,
        stance="critical",
        beats=["food", " ", "health"],
        notes="asks about batches",
    )
    assert (updated.stance, updated.beats, updated.notes) == (
        "critical",
        ["food", "health"],
        "asks about batches",
    )
    with pytest.raises(InvalidInput):
        update_contact(store, pr, author_id=reporter.id, stance="angry", beats=[], notes=None)
    for role in ("marketing", "viewer"):
        with pytest.raises(AccessDenied):
            media_list(store, Actor(workspace.workspace_id, role))


def test_ingest_queues_the_reputation_jobs_and_the_worker_runs_them(store: Store, workspace: Actor) -> None:
    mine = Job.kind.in_(("detect_crises", "find_pickups"))
    ingest_sample(store, workspace)
    ingest_sample(store, workspace)  # nothing new: nothing more queued
    with store.read() as session:
        queued = session.scalars(
            select(Job.kind).where(Job.workspace_id == workspace.workspace_id, Job.status == "queued", mine)
        ).all()
    assert sorted(queued) == ["detect_crises", "find_pickups"]
    run_pending(store, HANDLERS)
    with store.read() as session:
        statuses = session.scalars(select(Job.status).where(Job.workspace_id == workspace.workspace_id, mine))
        assert list(statuses) == ["done", "done"]


def test_one_person_on_several_sources_is_one_contact(store: Store, workspace: Actor) -> None:
    """A journalist who writes on Instagram and by e-mail (the same handle) is one row: items counted
    together, PR's notes kept on every record, found by either record."""
    day = date(2026, 3, 1)
    rows = [
        Row(day, "negative", author="mina.eats", audience="journalist", source="instagram"),
        Row(
            day + timedelta(days=1), "positive", author="mina.eats", audience="journalist", source="instagram"
        ),
        Row(day + timedelta(days=2), "positive", author="mina.eats", audience="customer", source="email"),
        Row(day, "neutral", author="someone-else", audience="journalist", source="instagram"),
    ]
    add_items(store, workspace, rows)
    pr = Actor(workspace.workspace_id, "pr")
    contacts = {c.handle: c for c in media_list(store, pr)}
    mina = contacts["mina.eats"]
    assert (mina.items, mina.positive, mina.negative) == (3, 2, 1) and set(mina.sources) == {
        "instagram",
        "email",
    }
    assert len(mina.author_ids) == 2 and contacts["someone-else"].items == 1
    update_contact(
        store, pr, author_id=mina.author_ids[-1], stance="critical", beats=["food"], notes="calls back"
    )
    [again] = [c for c in media_list(store, pr, audience="all") if c.handle == "mina.eats"]
    assert (again.stance, again.beats, again.notes) == ("critical", ["food"], "calls back")
    assert [c.handle for c in media_list(store, pr, audience="customer")] == [
        "mina.eats"
    ]  # by its e-mail record


def test_a_note_reaches_every_record_the_row_groups(store: Store, workspace: Actor) -> None:
    """Instagram @sara, X @sara with an address, and that address by e-mail: one row, one note."""
    from peyvand.storage.tables import AuthorRecord

    day = date(2026, 3, 1)
    rows = [
        Row(day, "neutral", author="sara", audience="journalist", source="instagram"),
        Row(day, "neutral", author="sara", audience="journalist", source="x"),
        Row(day, "neutral", author="other-handle", audience="journalist", source="email"),
    ]
    add_items(store, workspace, rows)
    with store.transaction() as session:
        records = {
            r.source: r
            for r in session.scalars(
                select(AuthorRecord).where(AuthorRecord.workspace_id == workspace.workspace_id)
            )
        }
        records["x"].email = records["email"].email = "sara@news.example"
        records["instagram"].email = None
    pr = Actor(workspace.workspace_id, "pr")
    [row] = media_list(store, pr)
    assert len(row.author_ids) == 3
    update_contact(store, pr, author_id=records["instagram"].id, stance=None, beats=[], notes="one note")
    [again] = media_list(store, pr)
    assert again.notes == "one note"
