"""Hostile input: malformed, truncated, oversized, wrongly encoded and deeply nested data thrown at every
parser. A parser may only yield `Record`s or raise `SourceError` (the documented "unreadable" outcome);
it never crashes or hangs, and a readable envelope of K records yields exactly K outcomes.

The hypothesis tests are derandomized so the suite is repeatable; for a longer random run use the harness:
`.venv/bin/python tests/sources/test_hostile_input.py 5000` (mutations of every sample, then random bytes).
"""

from __future__ import annotations

import io
import json
import random
import zipfile
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from peyvand.domain.items import ItemError, parse_item
from peyvand.sources import FORMATS, parse_path, parser_for
from peyvand.sources.base import Record, SourceContext, SourceError
from peyvand.sources.mapping import check_mapping

PAYLOADS = Path(__file__).resolve().parents[1] / "payloads"
FUZZ = settings(
    derandomize=True,
    max_examples=25,
    deadline=timedelta(seconds=10),
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
MAPPING = check_mapping(
    {
        "fields": {"text": "t", "created_at": "d", "author.name": "a.b"},
        "constants": {"kind": "comment"},
        "time_format": "iso",
    }
)
SAMPLES = {
    "telegram": "telegram/group_result.json",
    "instagram": "instagram/instagram-nahaltea-2026-03-05-AbCdEf/your_instagram_activity/messages/inbox/"
    "sara.tehrani_1047318273650192/message_1.json",
    "x": "x/twitter-2026-03-05-4f3e2d1c0b9a/data/tweets.js",
    "rss": "rss/persian_news_rss2.xml",
    "ga4": "ga4/traffic_by_date.csv",
    "matomo": "matomo/visits_summary_translated.csv",
    "store-visits": "store-visits/counter_jalali_fa.csv",
    "ads": "ads/google_ads_campaigns.csv",
    "csv": "csv/canonical_items.csv",
    "jsonl": "jsonl/canonical_items.jsonl",
}


def consume(fmt: str, data: bytes, context: SourceContext) -> list[Record] | None:
    """Every record of `data` read as `fmt`, or None when the parser called the input unreadable."""
    parser = parser_for(fmt, context)
    try:
        records = list(parser(io.BytesIO(data), context=context, name="fuzz"))
    except SourceError:
        return None
    for record in records:
        assert isinstance(record, Record)
        if record.item is not None:
            try:
                parse_item(record.item)
            except ItemError:
                pass  # ingest rejects it with the reason; the parser did not crash
    return records


def _contexts(context: SourceContext) -> list[SourceContext]:
    return [context, SourceContext(), SourceContext(brand=context.brand, mapping=MAPPING)]


@pytest.mark.parametrize("fmt", FORMATS)
@FUZZ
@given(data=st.binary(max_size=3000))
def test_random_bytes(context, fmt, data):
    consume(fmt, data, context)


def _mutate(data: bytes, rng: random.Random) -> bytes:
    cut = bytearray(data)
    for _ in range(rng.randint(1, 6)):
        action, at = rng.randrange(5), rng.randrange(max(len(cut), 1))
        if action == 0:
            del cut[at:]  # truncated
        elif action == 1 and cut:
            cut[at] = rng.randrange(256)  # a flipped byte
        elif action == 2:
            cut[at:at] = rng.choice(
                [b"{", b"[", b'"', b",", b"\n", b"\x00", b"\xff", b"\\u00", b"#", b";"]
            ) * rng.choice([1, 3, 200])
        elif action == 3:
            del cut[at : at + rng.randint(1, 50)]
        else:
            cut[at:at] = cut[max(0, at - 300) : at]  # a repeated stretch
    return bytes(cut)


@pytest.mark.parametrize("fmt", sorted(SAMPLES))
@FUZZ
@given(seed=st.integers(0, 2**32 - 1))
def test_mutated_samples(context, fmt, seed):
    data = (PAYLOADS / SAMPLES[fmt]).read_bytes()
    for ctx in _contexts(context):
        consume(fmt, _mutate(data, random.Random(seed)), ctx)


@pytest.mark.parametrize("fmt", sorted(SAMPLES))
@pytest.mark.parametrize("codec", ["utf-16", "utf-16-be", "cp1256", "latin-1"])
def test_wrong_encodings(context, fmt, codec):
    text = (PAYLOADS / SAMPLES[fmt]).read_bytes().decode("utf-8", "replace").lstrip("\ufeff")
    consume(fmt, text.encode(codec, "replace"), context)


DEEP = [
    b"[" * 200_000,
    b'{"a":' * 100_000,
    b'{"messages": [' + b"[" * 100_000,
    b"window.YTD.tweets.part0 = [" + b'{"tweet": ' * 50_000,
    b'{"participants": [], "messages": [' + b'{"content": ' * 50_000,
    b"<rss>" + b"<item>" * 5_000,
    b"Date,Sessions\n" + b'"' * 300_000,
    b"x" * 3_000_000,
]


@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize("data", DEEP, ids=range(len(DEEP)))
def test_deeply_nested_and_oversized(context, fmt, data):
    consume(fmt, data, context)


JSON = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(-(2**70), 2**70)
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(max_size=30),
    lambda inner: (
        st.lists(inner, max_size=4)
        | st.dictionaries(
            st.sampled_from(
                [
                    "id",
                    "type",
                    "text",
                    "date_unixtime",
                    "date",
                    "from",
                    "from_id",
                    "media_type",
                    "photo",
                    "reply_to_message_id",
                    "sender_name",
                    "timestamp_ms",
                    "content",
                    "share",
                    "photos",
                    "tweet",
                    "id_str",
                    "full_text",
                    "created_at",
                    "entities",
                    "urls",
                    "in_reply_to_status_id_str",
                    "string_map_data",
                    "Comment",
                    "Time",
                    "timestamp",
                    "value",
                    "action",
                    "is_unsent",
                ]
            ),
            inner,
            max_size=6,
        )
    ),
    max_leaves=12,
)
ENVELOPES = {
    "telegram": lambda rows: {"name": "c", "type": "private_group", "id": 1, "messages": rows},
    "instagram": lambda rows: {"participants": [{"name": "A"}], "messages": rows},
    "x": lambda rows: rows,
    "jsonl": lambda rows: rows,
}


def _encode(fmt: str, rows: list[Any]) -> bytes:
    if fmt == "jsonl":
        return b"".join(json.dumps(r).encode() + b"\n" for r in rows)
    body = json.dumps(ENVELOPES[fmt](rows)).encode()
    return b"window.YTD.tweets.part0 = " + body if fmt == "x" else body


@pytest.mark.parametrize("fmt", sorted(ENVELOPES))
@FUZZ
@given(rows=st.lists(JSON, max_size=8))
def test_every_record_is_accounted_for(context, fmt, rows):
    records = consume(fmt, _encode(fmt, rows), context)
    assert records is not None and len(records) == len(rows)


@FUZZ
@given(seed=st.integers(0, 2**32 - 1))
def test_damaged_zip_archives(tmp_path_factory, context, seed):
    folder = tmp_path_factory.mktemp("zip")
    good = io.BytesIO()
    with zipfile.ZipFile(good, "w", zipfile.ZIP_DEFLATED) as zf:
        for name in ("data/tweets.js", "data/direct-messages.js", "data/account.js"):
            zf.write(PAYLOADS / "x" / "twitter-2026-03-05-4f3e2d1c0b9a" / name, name)
    path = folder / "archive.zip"
    path.write_bytes(_mutate(good.getvalue(), random.Random(seed)))
    try:
        records = list(parse_path(path, context=context))
    except SourceError:
        return
    assert all(isinstance(r, Record) for r in records)


def main(rounds: int) -> None:
    """The fuzz harness: `rounds` random mutations of every sample file, and random bytes, per format."""
    from peyvand.domain.brand import parse_brand

    brand = parse_brand(
        {
            "brand": {"name": "Nahal Tea", "aliases": ["نهال", "@nahaltea"]},
            "products": [{"key": "green-tea", "names": ["چای سبز"]}],
        }
    )
    contexts = [SourceContext(), SourceContext(brand=brand), SourceContext(brand=brand, mapping=MAPPING)]
    rng = random.Random()
    for n in range(rounds):
        for fmt, sample in SAMPLES.items():
            seed, context = rng.randrange(2**32), rng.choice(contexts)
            try:
                consume(fmt, _mutate((PAYLOADS / sample).read_bytes(), random.Random(seed)), context)
                consume(fmt, rng.randbytes(rng.randrange(2000)), context)
            except Exception:
                print(f"round {n}: format {fmt}, mutation seed {seed}")
                raise
    print(f"{rounds} rounds over {len(SAMPLES)} formats: no crash")


if __name__ == "__main__":
    import sys

    main(int(sys.argv[1]) if len(sys.argv) > 1 else 200)


@pytest.mark.parametrize(
    ("when", "reason"),
    [("2999-03-05T10:00:00Z", "more than two days in the future"), ("1970-01-01T00:00:00Z", "before 1990")],
)
def test_an_impossible_time_is_rejected(when: str, reason: str) -> None:
    """A typo (2999) or an empty Unix time (1970) would sit first in the inbox for ever, or bend a series."""
    from peyvand.domain.items import ItemError, parse_item

    for obj in (
        {"id": "x", "source": "api", "kind": "comment", "created_at": when, "text": "a"},
        {"id": "m", "source": "shop", "kind": "metric", "metric": "site_visits", "at": when, "value": 3},
    ):
        with pytest.raises(ItemError, match=reason):
            parse_item(obj, incoming=True)
        parse_item(obj)  # a stored row read back (a rebuild) is not held to it


def test_a_negative_count_is_rejected_and_a_negative_revenue_is_not() -> None:
    from peyvand.domain.items import ItemError, parse_item

    base = {"id": "m", "source": "shop", "kind": "metric", "at": "2026-03-01"}
    for metric in ("store_visits", "site_visits", "ad_spend", "instagram_clicks"):
        with pytest.raises(ItemError, match="counts, so cannot be negative"):
            parse_item({**base, "metric": metric, "value": -50}, incoming=True)
    assert parse_item({**base, "metric": "revenue", "value": -50}, incoming=True).value == -50  # refunds
