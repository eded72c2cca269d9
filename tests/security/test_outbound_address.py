"""The outbound webhook's address is shown with its credentials masked (everyone who reads conversations
opens that page), while replies are still delivered to the full address."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import select

from peyvand.services.outbound import configure_outbound, deliver_reply, shown_url
from peyvand.services.replies import reply_to_conversation
from peyvand.storage.tables import Conversation
from tests_support import Site

SECRETS = ("zqx-hook-user", "zqx-hook-pass", "zqx-query-token", "zqx-api-key")
ADDRESS = (
    "https://zqx-hook-user:zqx-hook-pass@hooks.example/peyvand/in"
    "?team=pr&token=zqx-query-token&API_KEY=zqx-api-key&flag"
)


@pytest.mark.parametrize(
    ("url", "shown"),
    [
        ("https://hooks.example/in", "https://hooks.example/in"),
        ("https://hooks.example/in?team=pr&page=2", "https://hooks.example/in?team=pr&page=2"),
        ("https://u:p@hooks.example:8443/in", "https://***@hooks.example:8443/in"),
        ("https://only-a-token@hooks.example/in", "https://***@hooks.example/in"),
        ("https://h.example/in?access_token=a&x=1", "https://h.example/in?access_token=***&x=1"),
        ("https://h.example/in?apikey=a&secret=b", "https://h.example/in?apikey=***&secret=***"),
        ("https://h.example/in?sig=a&password=b", "https://h.example/in?sig=***&password=***"),
        ("https://h.example/in?my%5Fsecret=a%26b", "https://h.example/in?my%5Fsecret=***"),
        ("https://h.example/in#auth=a", "https://h.example/in#auth=***"),
        ("https://h.example/in?", "https://h.example/in?"),
        (
            "https://hooks.slack.com/services/T024BE7LD/B01ABCDEFGH/a1B2c3D4e5F6g7H8i9J0k1L2",
            "https://hooks.slack.com/services/T024BE7LD/B01ABCDEFGH/***",
        ),
        (
            "https://discord.com/api/webhooks/112233445566778899/Xy9_z-Q1w2E3r4T5y6U7i8O9p0",
            "https://discord.com/api/webhooks/112233445566778899/***",
        ),
        (
            "https://api.telegram.org/bot123456789:AAH9xYz-QwErTyUiOp12/sendMessage",
            "https://api.telegram.org/***/sendMessage",
        ),
        (
            "https://crm.example/incoming-webhooks-endpoint/12345678901234567890/in",
            "https://crm.example/incoming-webhooks-endpoint/12345678901234567890/in",
        ),
    ],
)
def test_shown_url_masks_credentials(url: str, shown: str) -> None:
    assert shown_url(url) == shown


def test_the_settings_page_and_its_downloads_hide_the_credentials(site: Site) -> None:
    app: Any = site.client.app
    configure_outbound(app.state.store, site.workspace, url=ADDRESS)
    for user in ("pr-user", "admin-user"):
        site.login(user)
        page = site.client.get("/pr/settings/outbound")
        assert page.status_code == 200
        assert (
            "https://***@hooks.example/peyvand/in?team=pr&amp;token=***&amp;API_KEY=***&amp;flag" in page.text
        )
        assert 'id="url-masked"' in page.text
        for fmt in ("json", "csv"):
            download = site.client.get(f"/pr/settings/outbound?format={fmt}")
            assert download.status_code == 200
            assert not [s for s in SECRETS if s in download.text], fmt
        assert not [s for s in SECRETS if s in page.text], user
    assert (
        'name="url" dir="ltr" required placeholder="https://example.com/hooks/peyvand" value=""' in page.text
    )


def test_an_address_without_credentials_is_shown_and_offered_as_it_is(site: Site) -> None:
    app: Any = site.client.app
    configure_outbound(app.state.store, site.workspace, url="https://hooks.example/in?team=pr")
    site.login("admin-user")
    page = site.client.get("/pr/settings/outbound").text
    assert 'value="https://hooks.example/in?team=pr"' in page and 'id="url-masked"' not in page


def test_replies_are_delivered_to_the_full_address(site: Site) -> None:
    app: Any = site.client.app
    store, admin = app.state.store, site.workspace
    configure_outbound(store, admin, url=ADDRESS)
    with store.read() as session:
        conversation = session.scalar(
            select(Conversation.id).where(Conversation.workspace_id == admin.workspace_id).limit(1)
        )
    assert conversation is not None
    result = reply_to_conversation(store, admin, conversation_id=conversation, text="thanks")
    sent: list[str] = []

    def receive(url: str, body: bytes, headers: dict[str, str]) -> int:
        sent.append(url)
        return 204

    assert result.delivery_id is not None
    assert deliver_reply(store, delivery_id=result.delivery_id, send=receive) == "delivered"
    assert sent == [ADDRESS]
