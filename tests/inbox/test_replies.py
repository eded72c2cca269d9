"""Replies written in Peyvand: logged in the thread, sent as signed webhooks by a job with retries, the
delivery recorded; with no integration they are logged as not sent. The receiver is a real local HTTP
server (only the network edge is a stand-in for the outside system)."""

from __future__ import annotations

import json
import logging
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest
from sqlalchemy import select

from inbox.inbox_support import Desk, message
from peyvand.domain.webhook_signature import SignatureError, new_secret, sign, signed_headers, verify
from peyvand.jobs.handlers import HANDLERS
from peyvand.jobs.queue import run_pending
from peyvand.services.access import AccessDenied, InvalidInput
from peyvand.services.conversation_view import conversation_view
from peyvand.services.outbound import (
    DeliveryFailed,
    configure_outbound,
    deliver_reply,
    outbound_status,
    remove_outbound,
)
from peyvand.services.replies import reply_to_conversation
from peyvand.storage.sealed import PREFIX
from peyvand.storage.tables import Job
from peyvand.storage.tables_inbox import OutboundDelivery, OutboundIntegration


class Receiver:
    """A webhook receiver on 127.0.0.1 that verifies each request with the shared secret."""

    def __init__(self) -> None:
        self.secret = ""
        self.status = 204
        self.received: list[dict[str, Any]] = []
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:  # noqa: N802 - the http.server API
                body = self.rfile.read(int(self.headers["content-length"]))
                headers = {k.lower(): v for k, v in self.headers.items()}
                try:
                    verify(receiver.secret, headers, body, now=int(time.time()))
                    verified = True
                except SignatureError:
                    verified = False
                receiver.received.append({"headers": headers, "body": json.loads(body), "verified": verified})
                self.send_response(receiver.status if verified else 401)
                self.end_headers()

            def log_message(self, *args: Any) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/hooks/peyvand"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def private_targets(monkeypatch: pytest.MonkeyPatch) -> None:
    """These receivers listen on 127.0.0.1, which outbound webhooks reach only when the operator allows."""
    monkeypatch.setenv("PEYVAND_OUTBOUND_ALLOW_PRIVATE", "1")


@pytest.fixture
def receiver(private_targets: None) -> Iterator[Receiver]:
    r = Receiver()
    yield r
    r.close()


def _delivery(desk: Desk, delivery_id: int) -> OutboundDelivery:
    with desk.store.read() as session:
        found = session.get(OutboundDelivery, delivery_id)
        assert found is not None
        return found


def test_signature_round_trip_and_tampering() -> None:
    secret = new_secret()
    body = b'{"type":"reply.created"}'
    headers = signed_headers(secret, "msg_1", 1_700_000_000, body)
    verify(secret, headers, body, now=1_700_000_010)
    assert headers["webhook-signature"] == sign(secret, "msg_1", 1_700_000_000, body)
    with pytest.raises(SignatureError):
        verify(secret, headers, body + b" ", now=1_700_000_010)
    with pytest.raises(SignatureError):
        verify(new_secret(), headers, body, now=1_700_000_010)
    with pytest.raises(SignatureError):  # a replayed old message
        verify(secret, headers, body, now=1_700_000_000 + 3600)
    # the published test vector of the Standard Webhooks specification
    vector = sign("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw", "msg_p5jXN8AQM9LWM0D4loKWxJek", 1614265330,
                  b'{"test": 2432232314}')  # fmt: skip
    assert vector == "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE="


def test_a_reply_without_integration_is_logged_as_not_sent(desk: Desk) -> None:
    desk.ingest(message("m1", "2026-03-01T10:00:00Z"))
    cid = desk.conversation_of("m1")
    result = reply_to_conversation(desk.store, desk["pr"], conversation_id=cid, text="سلام، پیگیری می‌کنیم")
    assert result.status == "not_sent" and result.reason == "not sent: no outbound integration"
    view = conversation_view(desk.store, desk["pr"], conversation_id=cid)
    reply = view.messages[-1]
    assert reply.item["direction"] == "outbound" and reply.item["text"] == "سلام، پیگیری می‌کنیم"
    assert reply.item["in_reply_to"] == "m1" and reply.delivery and reply.delivery.status == "not_sent"
    assert view.conversation.first_reply_at is not None and view.conversation.waiting_since is None
    with desk.store.read() as session:
        assert session.scalar(select(Job.id).where(Job.kind == "inbox.deliver_reply")) is None
    with pytest.raises(InvalidInput):
        reply_to_conversation(desk.store, desk["pr"], conversation_id=cid, text="  ")
    with pytest.raises(AccessDenied):
        reply_to_conversation(desk.store, desk["marketing"], conversation_id=cid, text="hi")


def test_a_reply_keeps_its_own_language(desk: Desk) -> None:
    """A Persian answer to an English message is Persian (shown right to left), and the other way round."""
    desk.ingest(message("m1", "2026-03-01T10:00:00Z"))
    cid = desk.conversation_of("m1")
    for text, language in (("سلام آزاده جان، لینک خرید: https://darcheh.example/shop ممنون", "fa"),
                           ("Hi Azadeh, here is the link", "en"), ("👍", None)):  # fmt: skip
        reply_to_conversation(desk.store, desk["pr"], conversation_id=cid, text=text)
        view = conversation_view(desk.store, desk["pr"], conversation_id=cid)
        answered = view.messages[0].item["language"]
        assert view.messages[-1].item["language"] == (language or answered), text


def test_a_reply_is_delivered_signed_by_the_job(
    desk: Desk, receiver: Receiver, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    receiver.secret = configure_outbound(desk.store, desk["admin"], url=receiver.url)
    assert receiver.secret.startswith("whsec_")
    desk.ingest(message("m1", "2026-03-01T10:00:00Z"))
    cid = desk.conversation_of("m1")
    result = reply_to_conversation(desk.store, desk["pr"], conversation_id=cid, text="Thanks, on its way")
    assert result.status == "queued"
    run_pending(desk.store, HANDLERS)
    assert len(receiver.received) == 1 and receiver.received[0]["verified"]
    body = receiver.received[0]["body"]
    assert body["type"] == "reply.created" and body["data"]["reply"]["text"] == "Thanks, on its way"
    assert body["data"]["conversation"]["to"]["handle"] == "person-m1"
    assert body["data"]["reply"]["written_by"] == "pr"
    delivery = _delivery(desk, result.delivery_id)
    assert (delivery.status, delivery.attempts, delivery.response_status) == ("delivered", 1, 204)
    assert receiver.received[0]["headers"]["webhook-id"] == delivery.message_id
    status = outbound_status(desk.store, desk["pr"])
    assert status.configured and status.url == receiver.url and "whsec_" not in repr(status)
    assert receiver.secret not in caplog.text


def test_a_failing_receiver_is_retried_then_marked_failed(desk: Desk, receiver: Receiver) -> None:
    receiver.secret = configure_outbound(desk.store, desk["admin"], url=receiver.url)
    receiver.status = 503
    desk.ingest(message("m1", "2026-03-01T10:00:00Z"))
    result = reply_to_conversation(
        desk.store, desk["pr"], conversation_id=desk.conversation_of("m1"), text="hi"
    )
    for attempt in (1, 2):
        with pytest.raises(DeliveryFailed):
            deliver_reply(desk.store, delivery_id=result.delivery_id)
        assert (_delivery(desk, result.delivery_id).status, _delivery(desk, result.delivery_id).attempts) == (
            "retrying",
            attempt,
        )
    receiver.status = 200
    assert deliver_reply(desk.store, delivery_id=result.delivery_id) == "delivered"
    assert {r["headers"]["webhook-id"] for r in receiver.received} == {
        _delivery(desk, result.delivery_id).message_id
    }

    receiver.status = 500
    second = reply_to_conversation(
        desk.store, desk["pr"], conversation_id=desk.conversation_of("m1"), text="again"
    )
    for _ in range(3):
        with pytest.raises(DeliveryFailed):
            deliver_reply(desk.store, delivery_id=second.delivery_id)
    failed = _delivery(desk, second.delivery_id)
    assert failed.status == "failed" and failed.reason == "HTTP 500" and failed.attempts == 3


def test_an_unreachable_receiver_records_only_the_error_kind(desk: Desk, private_targets: None) -> None:
    secret = configure_outbound(desk.store, desk["admin"], url="http://127.0.0.1:9/nothing-listens-here")
    desk.ingest(message("m1", "2026-03-01T10:00:00Z"))
    result = reply_to_conversation(
        desk.store, desk["pr"], conversation_id=desk.conversation_of("m1"), text="hi"
    )
    run_pending(desk.store, HANDLERS)
    delivery = _delivery(desk, result.delivery_id)
    assert delivery.status == "retrying" and delivery.reason in ("URLError", "ConnectionRefusedError")
    with desk.store.read() as session:
        job = session.scalar(select(Job).where(Job.kind == "inbox.deliver_reply"))
    assert job is not None and job.status == "queued" and job.error and secret not in job.error
    remove_outbound(desk.store, desk["admin"])
    assert not outbound_status(desk.store, desk["pr"]).configured
    with pytest.raises(InvalidInput):
        configure_outbound(desk.store, desk["admin"], url="ftp://example.com")
    with pytest.raises(AccessDenied):
        configure_outbound(desk.store, desk["pr"], url="https://example.com/hook")


@pytest.mark.parametrize(
    "url",
    [
        "http://127.0.0.1:5432/",
        "http://localhost/hook",
        "http://10.0.0.5/hook",
        "http://192.168.1.1/hook",
        "http://169.254.169.254/latest/meta-data/",
        "http://[::1]:8080/hook",
        "http://0.0.0.0/hook",
        "http://[::ffff:127.0.0.1]/hook",
        "http://[::127.0.0.1]/hook",
        "http://[64:ff9b::a9fe:a9fe]/latest/",  # NAT64 of 169.254.169.254
        "http://[2002:a00:1::]/hook",  # 6to4 of 10.0.0.1
        "http://[fec0::1]/hook",  # site-local
    ],
)
def test_an_address_inside_the_servers_network_is_refused(desk: Desk, url: str) -> None:
    with pytest.raises(InvalidInput, match="PEYVAND_OUTBOUND_ALLOW_PRIVATE"):
        configure_outbound(desk.store, desk["admin"], url=url)
    assert not outbound_status(desk.store, desk["pr"]).configured


def test_a_delivery_that_reaches_a_private_address_is_refused_before_sending(
    desk: Desk, receiver: Receiver, monkeypatch: pytest.MonkeyPatch
) -> None:
    receiver.secret = configure_outbound(desk.store, desk["admin"], url=receiver.url)  # allowed then
    monkeypatch.delenv("PEYVAND_OUTBOUND_ALLOW_PRIVATE")  # the operator turns it off (or DNS now points in)
    desk.ingest(message("m1", "2026-03-01T10:00:00Z"))
    result = reply_to_conversation(
        desk.store, desk["pr"], conversation_id=desk.conversation_of("m1"), text="hi"
    )
    with pytest.raises(DeliveryFailed):
        deliver_reply(desk.store, delivery_id=result.delivery_id)
    assert receiver.received == []
    delivery = _delivery(desk, result.delivery_id)
    assert (delivery.reason, delivery.response_status) == ("BlockedAddress", None)


def test_a_proxy_in_the_environment_is_not_used(
    desk: Desk, receiver: Receiver, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A proxy would connect on Peyvand's behalf, where the address cannot be checked."""
    monkeypatch.setenv("HTTP_PROXY", "http://127.0.0.1:9")  # nothing listens there
    monkeypatch.setenv("http_proxy", "http://127.0.0.1:9")
    receiver.secret = configure_outbound(desk.store, desk["admin"], url=receiver.url)
    desk.ingest(message("m1", "2026-03-01T10:00:00Z"))
    result = reply_to_conversation(
        desk.store, desk["pr"], conversation_id=desk.conversation_of("m1"), text="hi"
    )
    assert deliver_reply(desk.store, delivery_id=result.delivery_id) == "delivered"
    assert len(receiver.received) == 1


def test_a_redirect_is_not_followed(desk: Desk, receiver: Receiver) -> None:
    elsewhere = Receiver()
    try:

        class Redirecting(BaseHTTPRequestHandler):
            def do_POST(self) -> None:  # noqa: N802 - the http.server API
                self.send_response(307)
                self.send_header("Location", elsewhere.url)
                self.end_headers()

            def log_message(self, *args: Any) -> None:
                pass

        server = ThreadingHTTPServer(("127.0.0.1", 0), Redirecting)
        threading.Thread(target=server.serve_forever, daemon=True).start()
        configure_outbound(desk.store, desk["admin"], url=f"http://127.0.0.1:{server.server_address[1]}/in")
        desk.ingest(message("m1", "2026-03-01T10:00:00Z"))
        result = reply_to_conversation(
            desk.store, desk["pr"], conversation_id=desk.conversation_of("m1"), text="hi"
        )
        with pytest.raises(DeliveryFailed):
            deliver_reply(desk.store, delivery_id=result.delivery_id)
        assert elsewhere.received == [] and _delivery(desk, result.delivery_id).reason == "HTTP 307"
        server.shutdown()
        server.server_close()
    finally:
        elsewhere.close()


def test_the_address_is_sealed_at_rest(desk: Desk, private_targets: None) -> None:
    url = "http://127.0.0.1:9/in?api_key=zqx-key-in-the-address"
    configure_outbound(desk.store, desk["admin"], url=url)
    with desk.store.read() as session:
        stored = session.scalar(select(OutboundIntegration.url))
    assert stored is not None and stored.startswith(PREFIX) and "zqx-key" not in stored
    assert outbound_status(desk.store, desk["pr"]).url == "http://127.0.0.1:9/in?api_key=***"
