import pytest

from peyvand.domain.items import EventItem, ItemError, MetricItem, TextItem, parse_item, parse_line


def test_text_item_keeps_unknown_fields_and_normalises_time() -> None:
    item = parse_line(
        '{"id": 7, "source": "x", "kind": "reply", "created_at": "2026-03-01T10:00:00+03:30", '
        '"text": "سلام", "likes": 3}'
    )
    assert isinstance(item, TextItem)
    assert item.id == "7"
    assert item.created_at.isoformat() == "2026-03-01T06:30:00+00:00"
    assert item.raw["likes"] == 3


def test_reactions() -> None:
    metric = parse_item(
        {
            "id": "m",
            "source": "ga4",
            "kind": "metric",
            "metric": "site_visits",
            "at": "2026-03-01",
            "value": 10,
            "dims": {"store": "a"},
        }
    )
    assert isinstance(metric, MetricItem) and metric.date_only
    event = parse_item(
        {"id": "e", "source": "s", "kind": "event", "event": "checkin", "at": "2026-03-01T10:00:00Z"}
    )
    assert isinstance(event, EventItem) and not event.date_only


@pytest.mark.parametrize(
    ("line", "reason"),
    [
        ("{", "not valid JSON"),
        ("[1]", "expected a JSON object"),
        ('{"id": "1", "source": "x"}', "kind: is required"),
        ('{"id": "1", "source": "x", "kind": "tweet"}', "'tweet' is not one of"),
        ('{"id": "1", "source": "x", "kind": "comment"}', "created_at: is required"),
        ('{"id": "", "source": "x", "kind": "comment", "created_at": "2026-01-01"}', "id:"),
        (
            '{"id": "1", "source": "x", "kind": "metric", "metric": "v", "at": "2026-01-01", "value": "NaN"}',
            "finite",
        ),
        ('{"id": "1", "source": "x", "kind": "comment", "created_at": "yesterday"}', "created_at:"),
    ],
)
def test_invalid_items_say_why(line: str, reason: str) -> None:
    with pytest.raises(ItemError, match=reason):
        parse_line(line)
