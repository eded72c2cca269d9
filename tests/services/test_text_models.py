"""A workspace's learned models: trained from its labels, used only when they beat the built-in rules,
retrained (never unpickled) after a scikit-learn upgrade, loaded into the workspace's analyzer, which a
process builds once; and re-enrichment applies them to the stored items without overwriting a person."""

from __future__ import annotations

import io
import json
import zipfile

import pytest
from sqlalchemy import select

from peyvand.domain.brand import BrandProfile
from peyvand.jobs.handlers import HANDLERS
from peyvand.jobs.queue import run_pending
from peyvand.services.access import AccessDenied, Actor
from peyvand.services.overrides import override_label, override_routing
from peyvand.services.text_labels import import_labels
from peyvand.services.text_models import REENRICH_JOB, TRAIN_JOB
from peyvand.services.text_reenrich import reenrich_items
from peyvand.services.text_training import request_training, train_models
from peyvand.services.understanding import load_understanding, understanding_for
from peyvand.services.workspaces import replace_brand
from peyvand.storage.db import Store
from peyvand.storage.tables import Conversation, DecisionLog, Item, Job
from peyvand.storage.tables_text import TextModel
from text_data import builtin_labels, ingest_messages, made_up_labels


def _jobs(store: Store, actor: Actor, kind: str) -> list[dict]:  # type: ignore[type-arg]
    with store.read() as session:
        query = select(Job.payload).where(
            Job.workspace_id == actor.workspace_id, Job.kind == kind, Job.status == "queued"
        )
        return list(session.scalars(query))


def test_the_learned_model_is_used_when_it_beats_the_built_in_rules(store: Store, workspace: Actor) -> None:
    import_labels(store, workspace, made_up_labels("intent"), task="intent")
    [outcome] = train_models(store, workspace, tasks=["intent"])
    assert outcome.in_use and outcome.changed and outcome.n_labels == 20
    assert outcome.learned_macro_f1 is not None and outcome.learned_macro_f1 > 0.9
    assert outcome.builtin_macro_f1 is not None and outcome.builtin_macro_f1 < 0.5
    assert outcome.reason.startswith("learned model")
    with store.read() as session:
        row = session.scalars(select(TextModel).where(TextModel.workspace_id == workspace.workspace_id)).one()
        assert (
            row.in_use
            and row.model
            and row.versions["scikit-learn"]
            and row.per_class == {"other": 10, "press_inquiry": 10}
        )
    assert len(_jobs(store, workspace, REENRICH_JOB)) == 1  # the items are read again
    ctx = understanding_for(store, workspace.workspace_id)
    assert ctx.analyzer.models.intent is not None and ctx.analyzer.models.sentiment is None


def test_the_built_in_rules_stay_when_the_learned_model_is_not_better(
    store: Store, workspace: Actor, brand: BrandProfile
) -> None:
    import_labels(store, workspace, builtin_labels(brand), task="sentiment")
    [outcome] = train_models(store, workspace, tasks=["sentiment"])
    assert outcome.builtin_macro_f1 == 1.0 and not outcome.in_use and not outcome.changed
    assert outcome.reason.startswith("built-in 1.000 is at least as good")
    with store.read() as session:
        row = session.scalars(select(TextModel).where(TextModel.workspace_id == workspace.workspace_id)).one()
        assert not row.in_use and row.model is None and row.learned_macro_f1 is not None
    assert _jobs(store, workspace, REENRICH_JOB) == []
    assert understanding_for(store, workspace.workspace_id).analyzer.models.sentiment is None


def test_too_few_labels_keep_the_built_in_rules_and_say_why(store: Store, workspace: Actor) -> None:
    import_labels(store, workspace, made_up_labels("intent", per_class=3), task="intent")
    outcomes = {o.task: o for o in train_models(store, workspace)}
    assert outcomes["sentiment"].reason == "no labels yet"
    assert not outcomes["intent"].in_use and "not enough labels" in outcomes["intent"].reason


def _written_by_another_version(data: bytes) -> bytes:
    source, target = zipfile.ZipFile(io.BytesIO(data)), io.BytesIO()
    with zipfile.ZipFile(target, "w") as archive:
        meta = json.loads(source.read("meta.json"))
        archive.writestr("meta.json", json.dumps({**meta, "sklearn_version": "0.24.2"}))
        archive.writestr("model.pkl", source.read("model.pkl"))
    return target.getvalue()


def test_a_model_from_another_scikit_learn_is_retrained_not_loaded(
    store: Store, workspace: Actor, monkeypatch: pytest.MonkeyPatch
) -> None:
    import_labels(store, workspace, made_up_labels("intent"), task="intent")
    train_models(store, workspace, tasks=["intent"], queue_reenrich=False)
    with store.transaction() as session:
        row = session.scalars(select(TextModel).where(TextModel.workspace_id == workspace.workspace_id)).one()
        row.model = _written_by_another_version(bytes(row.model or b""))
        row.versions = {**row.versions, "scikit-learn": "0.24.2"}
    import peyvand.text.learned as learned

    def refuse(_data: bytes) -> None:
        raise AssertionError("a model from another scikit-learn version was unpickled")

    monkeypatch.setattr(learned.pickle, "loads", refuse)
    ctx = understanding_for(store, workspace.workspace_id)
    assert ctx.stale_models == ("intent",) and ctx.analyzer.models.intent is None  # built-in meanwhile
    assert [p["tasks"] for p in _jobs(store, workspace, TRAIN_JOB)] == [["intent"]]
    monkeypatch.undo()
    run_pending(store, HANDLERS)
    with store.read() as session:
        row = session.scalars(select(TextModel).where(TextModel.workspace_id == workspace.workspace_id)).one()
        assert row.in_use and row.versions["scikit-learn"] != "0.24.2"
    assert understanding_for(store, workspace.workspace_id).analyzer.models.intent is not None


def test_a_process_builds_a_workspace_analyzer_once(
    store: Store, workspace: Actor, brand: BrandProfile
) -> None:
    from peyvand.text.lexicon import load_lexicon
    from peyvand.text.rules import default_text_rules

    with store.read() as session:
        first = load_understanding(session, workspace.workspace_id).analyzer
        again = load_understanding(session, workspace.workspace_id).analyzer
    assert again is first  # the same object: nothing rebuilt
    assert (
        first._lexicon is load_lexicon() and first._rules is default_text_rules()
    )  # shared by every analyzer
    import_labels(store, workspace, made_up_labels("intent"), task="intent")
    train_models(store, workspace, tasks=["intent"], queue_reenrich=False)
    with store.read() as session:
        learned = load_understanding(session, workspace.workspace_id).analyzer
        assert learned is not first and learned.models.intent is not None  # new models: a new analyzer
        assert load_understanding(session, workspace.workspace_id).analyzer is learned
    replace_brand(store, workspace, brand=brand.model_copy(update={"products": []}))
    with store.read() as session:
        assert load_understanding(session, workspace.workspace_id).analyzer is not learned  # new brand


PRESS = ["زورک زورک زورک باران", "زورک زورک زورک دریا", "زورک زورک زورک کتاب", "زورک زورک زورک گل"]


def test_reenrichment_applies_the_model_and_keeps_what_a_person_decided(
    store: Store, workspace: Actor
) -> None:
    ids = ingest_messages(store, workspace, PRESS)
    override_label(store, workspace, field="intent", item_id=ids["m1"], label="other")  # confirmed: "other"
    override_routing(store, workspace, item_id=ids["m2"], team="pr", unit="advertising")
    import_labels(store, workspace, made_up_labels("intent"), task="intent")
    train_models(store, workspace, tasks=["intent"], queue_reenrich=False)
    result = reenrich_items(store, workspace)
    assert result.examined == 4 and result.fields["intent"] == 3 and result.fields["routing"] == 2
    assert result.kept_by_person["intent"] == 1 and result.kept_by_person["routing"] == 1
    with store.read() as session:
        items = {
            i.external_id: i
            for i in session.scalars(select(Item).where(Item.workspace_id == workspace.workspace_id))
        }
        assert (items["m0"].intent, items["m0"].team, items["m0"].unit) == ("press_inquiry", "pr", "media")
        assert items["m1"].intent == "other" and items["m1"].unit is None  # the person's intent wins
        assert items["m2"].intent == "press_inquiry" and items["m2"].unit == "advertising"  # and routing
        assert "R3-press" in [r["rule"] for r in items["m3"].reasons]
        logged = session.scalars(select(DecisionLog).where(DecisionLog.actor == "model")).all()
        assert sorted(d.item_id for d in logged) == sorted([ids["m0"], ids["m3"]])
        assert logged[0].previous["unit"] is None and logged[0].value["unit"] == "media"
        conversation = session.get(Conversation, items["m0"].conversation_id)
        assert conversation is not None and conversation.unit == "media"  # it followed its only message
    again = reenrich_items(store, workspace)
    assert again.examined == 4 and again.changed == 0  # nothing new to change


def test_training_and_reenrichment_are_for_pr_and_admins(store: Store, workspace: Actor) -> None:
    for role in ("marketing", "viewer"):
        actor = Actor(workspace.workspace_id, role)
        for service in (train_models, request_training, reenrich_items):
            with pytest.raises(AccessDenied):
                service(store, actor)  # type: ignore[operator]
    request_training(store, Actor(workspace.workspace_id, "pr"), task="audience")
    assert [p["tasks"] for p in _jobs(store, workspace, TRAIN_JOB)] == [["audience"]]
