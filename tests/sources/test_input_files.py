"""Format detection from content, and the walk over files, folders and zip archives."""

from __future__ import annotations

import shutil
import zipfile

import pytest

from peyvand.sources import detect_format, iter_inputs, parse_path
from peyvand.sources.base import SourceContext, UnreadableInput
from peyvand.sources.detect import sniff
from peyvand.sources.inputs import MAX_RATIO

IG = "instagram/instagram-nahaltea-2026-03-05-AbCdEf/your_instagram_activity"
EXPECTED = {
    "telegram/personal_chat_result.json": "telegram",
    "telegram/group_result.json": "telegram",
    "telegram/full_account_result.json": "telegram",
    f"{IG}/comments/post_comments_1.json": "instagram",
    f"{IG}/comments/reels_comments.json": "instagram",
    f"{IG}/messages/inbox/sara.tehrani_1047318273650192/message_1.json": "instagram",
    "x/twitter-2026-03-05-4f3e2d1c0b9a/data/tweets.js": "x",
    "x/twitter-2026-03-05-4f3e2d1c0b9a/data/direct-messages.js": "x",
    "rss/persian_news_rss2.xml": "rss",
    "rss/english_blog_atom.xml": "rss",
    "ga4/traffic_by_date.csv": "ga4",
    "ga4/reports_snapshot.csv": "ga4",
    "matomo/visits_summary_translated.csv": "matomo",
    "matomo/referrers_api.csv": "matomo",
    "store-visits/counter_hourly.csv": "store-visits",
    "store-visits/counter_jalali_fa.csv": "store-visits",
    "ads/google_ads_campaigns.csv": "ads",
    "ads/meta_ads_export.csv": "ads",
    "csv/survey_responses.csv": "csv",
    "csv/daily_orders_wide.csv": "csv",
    "csv/canonical_items.csv": "csv",
    "jsonl/canonical_items.jsonl": "jsonl",
    "jsonl/helpdesk_tickets.jsonl": "jsonl",
}


@pytest.mark.parametrize(("name", "fmt"), sorted(EXPECTED.items()))
def test_detect_format_from_content(payloads, tmp_path, name, fmt):
    assert detect_format(payloads / name) == fmt
    renamed = tmp_path / "export.dat"  # the name does not decide
    shutil.copy(payloads / name, renamed)
    assert detect_format(renamed) == fmt


def test_every_sample_file_is_covered(payloads):
    samples = {
        p.relative_to(payloads).as_posix()
        for p in payloads.rglob("*")
        if p.is_file() and p.suffix in {".json", ".js", ".xml", ".csv", ".jsonl"}
    }
    instagram_other = {s for s in samples if s.startswith("instagram/") and s not in EXPECTED}
    x_other = {s for s in samples if s.startswith("x/") and s not in EXPECTED}
    assert samples - EXPECTED.keys() - instagram_other - x_other == set()


def test_detect_folder_zip_and_unknown(payloads, tmp_path):
    assert detect_format(payloads / "x") == "folder"
    archive = tmp_path / "a.zip"
    with zipfile.ZipFile(archive, "w") as zf:
        zf.writestr("data/tweets.js", "window.YTD.tweets.part0 = []")
    assert detect_format(archive) == "zip"
    html = tmp_path / "messages.html"
    html.write_text("<!DOCTYPE html><html><head><title>Exported Data</title></head></html>")
    with pytest.raises(UnreadableInput, match="Telegram's HTML export"):
        detect_format(html)
    empty = tmp_path / "empty.csv"
    empty.write_bytes(b"")
    with pytest.raises(UnreadableInput, match="empty"):
        detect_format(empty)
    with pytest.raises(UnreadableInput, match="cannot be read"):
        detect_format(tmp_path / "missing.json")


def test_sniff_keeps_generic_files_out_of_archives():
    assert sniff("likes.json", b'{"likes_media_likes": []}', strict=True) is None
    assert sniff("notes.txt", b"hello", strict=True) is None
    assert sniff("sheet.csv", b"a,b\n1,2\n", strict=True) == "csv"
    assert sniff("notes.txt", b"hello") == "csv"  # a file given by name may still be read with a mapping
    assert sniff("photo.jpg", b"\xff\xd8\xff\xe0\x00\x00\x00JFIF", strict=True) is None


def test_iter_inputs_over_an_instagram_export(payloads):
    found = list(iter_inputs([payloads / "instagram"]))
    names = sorted(f.name.rsplit("/", 1)[-1] for f in found)
    assert names == [
        "message_1.json",
        "message_1.json",
        "personal_information.json",
        "post_comments_1.json",
        "reels_comments.json",
    ]
    assert {f.format for f in found} == {"instagram"}


def test_forced_format_applies_to_a_file_and_filters_a_folder(payloads):
    [one] = iter_inputs([payloads / "csv" / "canonical_items.csv"], format="csv")
    assert one.format == "csv"
    only_x = list(iter_inputs([payloads], format="x"))
    assert only_x and {f.format for f in only_x} == {"x"}
    with pytest.raises(UnreadableInput, match="unknown format"):
        list(iter_inputs([payloads], format="myspace"))


def test_missing_path_and_corrupt_zip_are_unreadable(tmp_path, context):
    with pytest.raises(UnreadableInput, match="no such file"):
        list(parse_path(tmp_path / "nope", context=context))
    corrupt = tmp_path / "export.zip"
    corrupt.write_bytes(b"PK\x03\x04" + b"\x00" * 40)
    with pytest.raises(UnreadableInput, match="not a readable zip"):
        list(parse_path(corrupt, context=context))


def _zip(path, members):
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in members.items():
            zf.writestr(name, data)
    return path


@pytest.mark.parametrize("name", ["../evil.jsonl", "/etc/evil.jsonl", "a/../../evil.jsonl", "C:\\evil.jsonl"])
def test_zip_with_unsafe_paths_is_refused(tmp_path, context, name):
    archive = _zip(tmp_path / "x.zip", {name: b'{"id": 1}\n'})
    with pytest.raises(UnreadableInput, match="unsafe path"):
        list(parse_path(archive, context=context))


def test_zip_bomb_is_refused(tmp_path, context):
    archive = _zip(tmp_path / "bomb.zip", {"data.jsonl": b"\n" * (MAX_RATIO * 40_000)})
    with pytest.raises(UnreadableInput, match="zip bomb"):
        list(parse_path(archive, context=context))


def test_a_bad_member_is_one_reject_and_the_rest_is_read(tmp_path, context):
    archive = _zip(
        tmp_path / "mixed.zip",
        {
            "a/items.jsonl": b'{"id": "1", "kind": "comment"}\n',
            "b/result.json": b'{"name": "x", "type": "personal_chat", "id": 1, "messages": 5}',
            "c/sheet.csv": b"colour,size\nred,4\n",
        },
    )
    records = list(parse_path(archive, context=context))
    assert records[0].item == {"id": "1", "kind": "comment"}
    assert records[1].reject is not None and records[1].reject.startswith("unreadable file:")
    assert records[1].input == f"{archive}!b/result.json"
    assert records[2].reject is not None and "needs a mapping file" in records[2].reject


def test_corrupt_member_data_is_reported_not_raised(tmp_path, context):
    lines = b"".join(b'{"id": "%d", "kind": "comment", "text": "%x"}\n' % (n, n * 7919) for n in range(3000))
    archive = _zip(tmp_path / "c.zip", {"items.jsonl": lines})
    data = bytearray(archive.read_bytes())
    data[2000:2060] = b"\x00" * 60  # damage the compressed stream, not the directory
    archive.write_bytes(bytes(data))
    records = list(parse_path(archive, context=context))
    assert records[-1].reject is not None and "corrupt archive member" in records[-1].reject


def test_parse_path_tags_each_record_with_its_input(payloads, context):
    path = payloads / "jsonl" / "canonical_items.jsonl"
    records = list(parse_path(path, context=SourceContext(brand=context.brand)))
    assert {r.input for r in records} == {str(path)}
