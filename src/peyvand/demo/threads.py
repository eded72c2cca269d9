"""Threads of text items: the item dicts, the brand's replies and the follow-ups, for one workspace's stream.

`Stream` holds what the generators share (brand, timeline, people, id counters). A thread is a list of
item dicts in order: the message, the brand's reply (`direction` "outbound", author the brand's handle,
`in_reply_to` the message), sometimes the customer's follow-up and a second reply. Replies come at
`timeline.reply_moment`: minutes in business hours, the next opening otherwise.
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass, field
from itertools import accumulate

from peyvand.demo import voices
from peyvand.demo.brands import BrandSpec
from peyvand.demo.messages import Composer, Day, Message
from peyvand.demo.people import People, Person
from peyvand.demo.plans import SponsoredRun
from peyvand.demo.timeline import Timeline, reply_moment, stamp
from peyvand.demo.writing import weighted

# Relative weights of each hour of the day (Tehran time) for messages on social networks and for e-mail.
SOCIAL_HOURS = [10, 6, 3, 2, 1, 1, 2, 5, 10, 14, 16, 17, 18, 16, 15, 15, 16, 17, 19, 21, 24, 26, 23, 16]
OFFICE_HOURS = [0, 0, 0, 0, 0, 0, 1, 4, 15, 25, 26, 24, 18, 16, 20, 20, 16, 10, 5, 3, 2, 1, 0, 0]
HOURS = range(24)
CUMULATIVE = {id(h): list(accumulate(h)) for h in (SOCIAL_HOURS, OFFICE_HOURS)}
REPLY_CHANCE = {
    "complaint": 0.85,
    "question": 0.8,
    "purchase_intent": 0.85,
    "praise": 0.35,
    "other": 0.2,
    "press_inquiry": 0.93,
    "partnership": 0.8,
}
REPLY_KIND = {
    "comment": "reply",
    "mention": "reply",
    "review": "reply",
    "post": "reply",
    "direct_message": "direct_message",
    "email": "email",
    "reply": "reply",
}


@dataclass
class Stream:
    """Everything the day generator needs for one workspace."""

    spec: BrandSpec
    timeline: Timeline
    people: People
    runs: list[SponsoredRun]
    extras: dict[dt.date, list[dict[str, object]]]
    seed: int
    scale: float
    labels: bool = False
    composer: Composer = field(init=False)
    closing: dt.datetime = field(init=False)
    counters: dict[str, int] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.composer = Composer(self.spec)
        self.closing = dt.datetime.combine(self.timeline.window.end, dt.time(23, 59, 59))

    def next_id(self, source: str) -> str:
        self.counters[source] = self.counters.get(source, 0) + 1
        return f"{self.spec.workspace}-{source}-{self.counters[source]:06d}"


def moment(rng: random.Random, date: dt.date, hours: list[int]) -> dt.datetime:
    hour = rng.choices(HOURS, cum_weights=CUMULATIVE[id(hours)])[0]
    return dt.datetime.combine(date, dt.time(hour, rng.randrange(60), rng.randrange(60)))


def address(stream: Stream, item: dict[str, object], day: Day) -> None:
    """Comments hang under the brand's latest post (one every two days); mentions carry its handle."""
    if item["kind"] == "comment":
        item["thread_id"] = (
            f"{stream.spec.workspace}-instagram-post-{stream.timeline.day_index(day.date) // 2:04d}"
        )
    elif item["kind"] == "mention" and f"@{stream.spec.handle}" not in str(item["text"]):
        item["text"] = f"@{stream.spec.handle} {item['text']}"


def base_item(
    stream: Stream, source: str, kind: str, at: dt.datetime, message: Message, person: Person
) -> dict[str, object]:
    item_id = stream.next_id(source)
    item: dict[str, object] = {
        "id": item_id,
        "source": source,
        "kind": kind,
        "created_at": stamp(at),
        "text": message.text,
        "author": person.author(),
        "thread_id": item_id,
    }
    if message.title:
        item["title"] = message.title
    if kind == "email" and not person.email:
        item["author"] = {**person.author(), "email": f"{person.handle.replace('.', '_')}@mail.example"}
    if stream.labels:
        item["demo_labels"] = message.labels(person.audience)
    return item


def public_thread(
    stream: Stream, rng: random.Random, day: Day, person: Person, message: Message
) -> list[dict[str, object]]:
    source = weighted(rng, {"x": 0.45, "telegram": 0.25, "instagram": 0.3})
    addressed = source == "x" and rng.random() < 0.25
    at = moment(rng, day.date, SOCIAL_HOURS)
    item = base_item(stream, source, "mention" if addressed else "post", at, message, person)
    number = int(str(item["id"]).rsplit("-", 1)[1])
    item["url"] = {
        "x": f"https://x.com/{person.handle}/status/{1800000000 + number}",
        "telegram": f"https://t.me/{person.handle.replace('.', '_')}/{number}",
        "instagram": f"https://instagram.com/p/{person.handle[:4]}{number:05d}/",
    }[source]
    if addressed:
        item["text"] = f"@{stream.spec.handle} {item['text']}"
        return with_replies(stream, rng, day, item, message, person, at, chance=0.3)
    return [item]


def article_item(
    stream: Stream, rng: random.Random, day: Day, outlet: Person, message: Message
) -> dict[str, object]:
    at = moment(rng, day.date, OFFICE_HOURS)
    item = base_item(stream, "news", "article", at, message, outlet)
    item["url"] = f"https://{outlet.domain}/news/{str(item['id']).rsplit('-', 1)[1]}"
    return item


def direct_thread(
    stream: Stream, rng: random.Random, day: Day, person: Person, message: Message, source: str | None = None
) -> list[dict[str, object]]:
    source = source or weighted(rng, {"email": 0.6, "instagram": 0.2, "telegram": 0.1, "x": 0.1})
    kind = "email" if source == "email" else "direct_message"
    at = moment(rng, day.date, OFFICE_HOURS if kind == "email" else SOCIAL_HOURS)
    root = base_item(stream, source, kind, at, message, person)
    return with_replies(stream, rng, day, root, message, person, at)


def with_replies(
    stream: Stream,
    rng: random.Random,
    day: Day,
    root: dict[str, object],
    message: Message,
    person: Person,
    at: dt.datetime,
    *,
    chance: float | None = None,
    crisis: bool = False,
    slowness: float = 1.0,
) -> list[dict[str, object]]:
    """The thread: the root, and (by chance) the brand's reply, a follow-up and a second reply.
    Nothing is dated after the window's last day: a message too late to answer stays unanswered."""
    chance = REPLY_CHANCE.get(message.intent, 0.2) if chance is None else chance
    answer_at = reply_moment(at, rng, slowness=slowness)
    if rng.random() >= chance or answer_at > stream.closing:
        return [root]
    answer = voices.reply(stream.composer, rng, day, message, person, crisis=crisis)
    thread = [root, outbound(stream, root, answer, answer_at, str(root["id"]))]
    if person.audience == "customer" and rng.random() < 0.22:
        thread += follow_up(stream, rng, day, thread, message, person, answer_at, crisis=crisis)
    return thread


def follow_up(
    stream: Stream,
    rng: random.Random,
    day: Day,
    thread: list[dict[str, object]],
    message: Message,
    person: Person,
    answered_at: dt.datetime,
    *,
    crisis: bool,
) -> list[dict[str, object]]:
    """The customer writes back (thanks, or it is still not solved), and sometimes the brand answers again."""
    root = thread[0]
    back_at = answered_at + dt.timedelta(minutes=rng.lognormvariate(3.5, 1.0))
    again_at = reply_moment(back_at, rng)
    if back_at > stream.closing:
        return []
    back = voices.follow_up(stream.composer, rng, message)
    follow = base_item(stream, str(root["source"]), REPLY_KIND[str(root["kind"])], back_at, back, person)
    follow.update(thread_id=root["thread_id"], in_reply_to=thread[-1]["id"])
    if rng.random() >= 0.5 or again_at > stream.closing:
        return [follow]
    again = voices.reply(stream.composer, rng, day, back, person, crisis=crisis)
    return [follow, outbound(stream, root, again, again_at, str(follow["id"]))]


def outbound(
    stream: Stream, root: dict[str, object], message: Message, at: dt.datetime, answers: str
) -> dict[str, object]:
    source, spec = str(root["source"]), stream.spec
    author: dict[str, object] = {"handle": spec.handle, "name": spec.workspace_name, "verified": True}
    if source == "email":
        author = {"name": spec.workspace_name, "email": spec.email}
    item: dict[str, object] = {
        "id": stream.next_id(source),
        "source": source,
        "kind": REPLY_KIND[str(root["kind"])],
        "created_at": stamp(at),
        "text": message.text,
        "author": author,
        "thread_id": root["thread_id"],
        "in_reply_to": answers,
        "direction": "outbound",
    }
    if source == "email" and root.get("title"):
        item["title"] = f"Re: {root['title']}"
    return item
