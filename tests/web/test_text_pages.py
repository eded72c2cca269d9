"""The text understanding pages over HTTP: they render for PR and admins (csv and json too), refuse the
other roles, need the CSRF token to change anything, import a labelled CSV, queue training, label from the
labelling page, and show only the workspace's own messages."""

from __future__ import annotations

import re

import pytest
from fastapi.routing import APIRoute
from sqlalchemy import select

from peyvand.services.text_models import TRAIN_JOB
from peyvand.storage.tables import Item, Job
from peyvand.storage.tables_text import TextLabel
from peyvand.web.routes import text_settings
from tests_support import Site, text_of

PAGES = ("/pr/settings/text", "/pr/settings/text?table=classes", "/pr/labels", "/pr/labels?task=audience")


def test_the_pages_render_and_answer_csv_and_json(site: Site) -> None:
    site.login("pr-user")
    for path in PAGES:
        page = site.client.get(path)
        assert page.status_code == 200, path
        assert 'id="nav-text"' in page.text and 'id="nav-labels"' in page.text
        sep = "&" if "?" in path else "?"
        as_json = site.client.get(f"{path}{sep}format=json")
        assert as_json.status_code == 200 and isinstance(as_json.json(), list), path
        assert site.client.get(f"{path}{sep}format=csv").headers["content-type"].startswith("text/csv"), path
    tasks = site.client.get("/pr/settings/text", params={"format": "json"}).json()
    assert [t["task"] for t in tasks] == ["sentiment", "intent", "audience"]
    assert {"labels_per_class", "learned_macro_f1", "builtin_macro_f1", "in_use", "trained_at"} <= set(
        tasks[0]
    )
    classes = site.client.get("/pr/settings/text", params={"table": "classes", "format": "json"}).json()
    assert {"task": "intent", "label": "press_inquiry", "labels": 0} in classes
    queue = site.client.get("/pr/labels", params={"format": "json"}).json()
    assert {q["text"] for q in queue} == {
        "چای سبز نیلوفر عالیه",
        "Niloofar Tea opened a new store",
        "Hello, is green tea available?",
    }
    text = text_of(site.client.get("/pr/settings/text").text)
    assert "provisional" in text and "No labels yet." in text


def test_a_persian_speaker_sees_the_page_in_persian(site: Site) -> None:
    site.login("outsider")  # PR in the second workspace, Persian interface
    page = site.client.get("/pr/settings/text")
    assert page.status_code == 200 and "درک متن" in page.text and 'dir="rtl"' in page.text
    assert "a message for the second brand only" in site.client.get("/pr/labels").text
    assert "چای سبز نیلوفر عالیه" not in site.client.get("/pr/labels").text  # the other workspace's


def test_the_page_says_how_the_built_in_rules_run(site: Site) -> None:
    from peyvand.text import STATE

    site.login("pr-user")
    page = site.client.get("/pr/settings/text").text
    assert f'data-build="{STATE}"' in page
    expected = "run compiled with mypyc" if STATE == "compiled" else "run from their Python sources"
    assert expected in text_of(page)
    site.login("outsider")
    persian = text_of(site.client.get("/pr/settings/text").text)
    assert ("کامپایل‌شده با mypyc" if STATE == "compiled" else "از کد منبع پایتون") in persian
    assert site.client.get("/help/text").status_code == 200
    assert 'id="speed-and-the-compiled-build"' in site.client.get("/help/text").text


@pytest.mark.parametrize("user", ["marketing-user", "viewer-user"])
def test_other_roles_are_refused(site: Site, user: str) -> None:
    site.login(user)
    for path in PAGES:
        assert site.client.get(path).status_code == 403, path
    token = site.csrf("/pr")
    assert site.client.post("/pr/settings/text/train", data={"csrf_token": token}).status_code == 403
    assert 'id="nav-text"' not in site.client.get("/pr").text


def test_every_post_needs_the_csrf_token(site: Site) -> None:
    site.login("admin-user")
    paths = [r.path for r in text_settings.router.routes if isinstance(r, APIRoute) and "POST" in r.methods]
    assert sorted(paths) == ["/pr/labels", "/pr/settings/text/labels", "/pr/settings/text/train"]
    for path in paths:
        assert site.client.post(path, data={"task": "sentiment"}).status_code == 403, path


def _item_id(site: Site, external_id: str) -> int:
    with site.client.app.state.store.read() as session:  # type: ignore[attr-defined]
        found = session.scalar(
            select(Item.id).where(
                Item.workspace_id == site.workspace.workspace_id, Item.external_id == external_id
            )
        )
    assert found is not None
    return int(found)


def test_labelling_from_the_page(site: Site) -> None:
    site.login("pr-user")
    item_id, next_id = _item_id(site, "d1"), _item_id(site, "c1")
    page = site.client.get("/pr/labels?task=intent").text
    assert f'id="item-{item_id}"' in page and 'data-key="1"' in page
    token = site.csrf("/pr/labels")
    data = {
        "csrf_token": token,
        "item_id": str(item_id),
        "task": "intent",
        "label": "purchase_intent",
        "next_id": str(next_id),
    }
    response = site.client.post("/pr/labels", data=data)
    assert response.status_code == 303 and response.headers["location"].startswith(
        f"/pr/labels?task=intent&focus={next_id}"
    )
    page = site.client.get(response.headers["location"]).text
    assert f'id="item-{item_id}"' not in page and re.search(
        rf'class="candidate focused" id="item-{next_id}"', page
    )
    assert '<span id="labelled-count">1</span>' in page
    with site.client.app.state.store.read() as session:  # type: ignore[attr-defined]
        label = session.scalars(select(TextLabel)).one()
        assert (label.task, label.label, label.source, label.item_id) == (
            "intent",
            "purchase_intent",
            "page",
            item_id,
        )
        assert label.user_id is not None
    other = site.csrf("/pr/labels")
    foreign = _foreign_item(site)
    data = {"csrf_token": other, "item_id": str(foreign), "task": "intent", "label": "other"}
    assert site.client.post("/pr/labels", data=data).status_code == 404  # another workspace's message


def _foreign_item(site: Site) -> int:
    with site.client.app.state.store.read() as session:  # type: ignore[attr-defined]
        return int(session.scalar(select(Item.id).where(Item.workspace_id == site.other.workspace_id)) or 0)


def test_importing_a_csv_and_queueing_training(site: Site) -> None:
    site.login("admin-user")
    token = site.csrf("/pr/settings/text")
    csv = "item_id,label\nc1,positive\nd1,neutral\nnope,neutral\nc1,angry\n"
    response = site.client.post(
        "/pr/settings/text/labels",
        data={"csrf_token": token, "task": "sentiment"},
        files={"file": ("labels.csv", csv.encode(), "text/csv")},
    )
    assert response.status_code == 200
    text = text_of(response.text)
    assert "2 added" in text and "2 rejected" in text and "nope" in text
    tasks = site.client.get("/pr/settings/text", params={"format": "json"}).json()
    assert tasks[0]["labels_per_class"] == {"neutral": 1, "positive": 1} and tasks[0][
        "labels_per_source"
    ] == {"csv": 2}
    response = site.client.post("/pr/settings/text/train", data={"csrf_token": token, "task": "sentiment"})
    assert (
        response.status_code == 303 and response.headers["location"] == "/pr/settings/text?queued=sentiment"
    )
    page = site.client.get(response.headers["location"]).text
    assert 'id="training-queued"' in page and 'id="train-sentiment" disabled' in page
    with site.client.app.state.store.read() as session:  # type: ignore[attr-defined]
        job = session.scalars(select(Job).where(Job.kind == TRAIN_JOB)).one()
        assert job.payload["tasks"] == ["sentiment"] and job.workspace_id == site.workspace.workspace_id
    bad = site.client.post(
        "/pr/settings/text/labels",
        data={"csrf_token": token, "task": "sentiment"},
        files={"file": ("x.csv", b"message,tone\nhi,happy\n", "text/csv")},
    )
    assert bad.status_code == 400


def test_the_conversation_view_explains_provisional_sentiment(site: Site) -> None:
    site.login("pr-user")
    with site.client.app.state.store.read() as session:  # type: ignore[attr-defined]
        conversation = session.scalar(select(Item.conversation_id).where(Item.external_id == "c1"))
    page = site.client.get(f"/pr/conversations/{conversation}").text
    assert "<sup>*</sup>" in page and 'id="provisional-note"' in page


def test_a_correction_in_the_conversation_view_reaches_the_training_set(site: Site) -> None:
    site.login("pr-user")
    item_id = _item_id(site, "d1")
    with site.client.app.state.store.read() as session:  # type: ignore[attr-defined]
        conversation = session.scalar(select(Item.conversation_id).where(Item.id == item_id))
    token = site.csrf(f"/pr/conversations/{conversation}")
    data = {
        "csrf_token": token,
        "item_id": str(item_id),
        "value": "intent:purchase_intent",
    }  # as the page sends
    assert site.client.post(f"/pr/conversations/{conversation}/override", data=data).status_code == 303
    page = site.client.get(f"/pr/conversations/{conversation}").text
    assert '<option value="sentiment:negative">' in page and 'name="field"' not in page
    tasks = site.client.get("/pr/settings/text", params={"format": "json"}).json()
    intent = next(t for t in tasks if t["task"] == "intent")
    assert intent["labels_per_class"] == {"purchase_intent": 1} and intent["labels_per_source"] == {
        "override": 1
    }
    assert f'id="item-{item_id}"' not in site.client.get("/pr/labels?task=intent").text  # labelled now
