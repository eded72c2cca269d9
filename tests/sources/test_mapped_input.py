"""Generic CSV and JSONL read through a mapping file."""

from __future__ import annotations

import io
from pathlib import Path

import pytest

from peyvand.sources import load_mapping, mapped
from peyvand.sources.base import MappingError, SourceContext
from peyvand.sources.mapping import check_mapping


def _ctx(brand, mapping_file: Path) -> SourceContext:
    return SourceContext(brand=brand, mapping=load_mapping(mapping_file))


def test_survey_csv_with_jalali_times(run, payloads, brand, items):
    ctx = _ctx(brand, payloads / "csv" / "survey_responses.mapping.toml")
    records = run(payloads / "csv" / "survey_responses.csv", ctx=ctx, format="csv")
    assert [r.line for r in records] == [2, 4, 5, 6]  # the first answer spans two lines
    assert (
        records[2].reject == "time '1404/13/40 10:00' does not match the time format 'jalali:%Y/%m/%d %H:%M'"
    )
    first, second, last = items(records)
    assert first == {
        "kind": "review",
        "context": {"campaign": "nowruz-1405"},
        "id": "R-1001",
        "source": "survey",
        "created_at": "2026-03-01T14:50:00Z",
        "text": "چای سبز تازه بود و برخورد پرسنل عالی.\nممنون!",
        "author": {"name": "Neda Farahani", "email": "neda@example.com"},
        "rating": "5",
    }
    assert "author" not in second  # empty cells are left out
    assert last["text"] == "#عالی بود"  # a leading # is text here, not a comment line


def test_wide_metric_csv(run, payloads, brand, items):
    ctx = _ctx(brand, payloads / "csv" / "daily_orders_wide.mapping.toml")
    records = run(payloads / "csv" / "daily_orders_wide.csv", ctx=ctx)
    assert [r.locator for r in records] == [
        "line 2, orders",
        "line 2, revenue",
        "line 3, orders",
        "line 3, revenue",
        "line 4, orders",
        "line 4, revenue",
    ]
    assert records[-1].filtered == "no value in this cell"
    first = items(records)[0]
    assert first == {
        "at": "2026-02-28T20:30:00Z",
        "dims": {"store": "online"},
        "source": "shop",
        "kind": "metric",
        "metric": "orders",
        "value": 120.0,
        "id": first["id"],
    }
    assert len({i["id"] for i in items(records)}) == 5


def test_canonical_csv_needs_no_mapping(run, payloads, items):
    got = items(run(payloads / "csv" / "canonical_items.csv"))
    assert got[0]["author"] == {"handle": "neda_f", "followers": 1200}
    assert got[1]["context"] == {"sponsored": True}
    assert got[0]["created_at"] == "2026-03-01T06:30:00Z"


def test_csv_of_unknown_layout_asks_for_a_mapping(context):
    with pytest.raises(MappingError, match="--mapping"):
        list(mapped.parse_csv(io.BytesIO(b"a,b\n1,2\n"), context=context, name="x.csv"))


def test_helpdesk_jsonl_with_key_paths(run, payloads, brand, items):
    ctx = _ctx(brand, payloads / "jsonl" / "helpdesk_tickets.mapping.toml")
    records = run(payloads / "jsonl" / "helpdesk_tickets.jsonl", ctx=ctx)
    assert records[2].reject == "time 'yesterday' does not match the time format 'unix'"
    first = items(records)[0]
    assert first["id"] == "5521" and first["title"] == "Broken box" and first["kind"] == "email"
    assert first["created_at"] == "2026-03-01T07:00:00Z"
    assert first["author"] == {"name": "Sima", "email": "sima@example.com"}


def test_ids_default_to_a_digest_of_the_content(context):
    ctx = SourceContext(
        brand=context.brand,
        mapping=check_mapping({"fields": {"text": "t", "created_at": "d"}, "constants": {"kind": "comment"}}),
    )
    data = (
        b'{"t": "hello", "d": "2026-03-01T10:00:00Z"}\n{"t": "hello", "d": "2026-03-01T10:00:00Z"}\n'
        b'{"t": "other", "d": "2026-03-01T10:00:00Z"}\n'
    )
    ids = [r.item["id"] for r in mapped.parse_jsonl(io.BytesIO(data), context=ctx, name="x") if r.item]
    assert ids[0] == ids[1] != ids[2]


@pytest.mark.parametrize(
    ("mapping", "message"),
    [
        ({"fields": {"text": "t"}, "colour": "red"}, "unknown key 'colour'"),
        ({"fields": {"text": 3}}, "must name a column"),
        ({"fields": {"text": "t"}, "timezone": "Mars/Olympus"}, "unknown time zone"),
        ({"fields": {"text": "t"}, "time_format": "dd/mm/yyyy"}, "time_format"),
        ({"constants": {"kind": "review"}}, "must map at least one column"),
        ({"fields": {"text": "t"}, "constants": {"kind": ["a"]}}, "string, number or boolean"),
        ({"fields": {"text": "t"}, "delimiter": ";;"}, "one character"),
    ],
)
def test_bad_mappings(mapping, message):
    with pytest.raises(MappingError, match=message):
        check_mapping(mapping)


def test_mapping_file_errors(tmp_path):
    with pytest.raises(MappingError, match="not found"):
        load_mapping(tmp_path / "missing.toml")
    bad = tmp_path / "bad.toml"
    bad.write_text("fields = [", encoding="utf-8")
    with pytest.raises(MappingError, match="not a valid TOML"):
        load_mapping(bad)


def test_a_row_with_more_cells_than_the_header_is_rejected_not_cut(context):
    data = (
        "id,kind,created_at,text,author.handle\n"
        "c1,comment,2026-03-05T10:00:00Z,خوب بود,sara\n"
        "c2,comment,2026-03-05T10:00:00Z,too,many,cols,here\n"
        "c3,comment,2026-03-05T10:00:00Z,trailing empty cells are fine,ali,,\n"
    ).encode()
    records = list(mapped.parse_csv(io.BytesIO(data), context=context, name="x.csv"))
    assert [r.line for r in records] == [2, 3, 4]
    assert records[1].item is None
    assert records[1].reject.startswith("7 cells, the header has 5")
    assert records[1].raw == "c2,comment,2026-03-05T10:00:00Z,too,many,cols,here"
    assert records[2].item["text"] == "trailing empty cells are fine"
