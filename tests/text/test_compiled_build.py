"""The text pipeline compiled with mypyc (`make setup`, scripts/compile_text.py) is used only while it was
built from the sources beside it; edited sources, or PEYVAND_PURE_PYTHON=1, run the sources."""

from __future__ import annotations

import importlib.machinery
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

import peyvand.text as text_package
from peyvand.text import COMPILED, MANIFEST, compiled_state, source_digest, stale_sources

WHICH_FILES = (
    "import json, peyvand.text as t, peyvand.text.enrich, peyvand.text.sentiment, peyvand.text.normalise\n"
    "from peyvand.domain.items import Author\n"
    "from peyvand.demo.brands import DARCHEH_TOML\n"
    "from peyvand.domain.brand import parse_brand\n"
    "import tomllib\n"
    "brand = parse_brand(tomllib.loads(DARCHEH_TOML))\n"
    "e = peyvand.text.enrich.TextAnalyzer(brand).enrich('چای خوبی نبود', author=Author(), source='x',"
    " kind='comment')\n"
    "print(json.dumps({'state': t.STATE, 'sentiment': e.sentiment,"
    " 'files': [peyvand.text.enrich.__file__, peyvand.text.sentiment.__file__,"
    " peyvand.text.normalise.__file__]}))\n"
)


def _run(code: str, *, pure: bool, pythonpath: Path | None = None) -> dict[str, object]:
    env = {k: v for k, v in os.environ.items() if k != "PEYVAND_PURE_PYTHON"}
    if pure:
        env["PEYVAND_PURE_PYTHON"] = "1"
    if pythonpath is not None:
        env["PYTHONPATH"] = str(pythonpath)
    out = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True)
    return json.loads(out.stdout.strip().splitlines()[-1])


def _built() -> bool:
    return compiled_state() == "compiled" or (
        text_package.STATE == "disabled"
        and MANIFEST.is_file()
        and "sources" in json.loads(MANIFEST.read_text("utf-8"))
    )


def test_a_source_that_differs_from_the_compiled_one_is_stale(tmp_path: Path) -> None:
    (tmp_path / "kept.py").write_text("x = 1\n", encoding="utf-8")
    (tmp_path / "edited.py").write_text("x = 2\n", encoding="utf-8")
    manifest = {
        "kept": source_digest(tmp_path / "kept.py"),
        "edited": "0" * 64,
        "removed": "1" * 64,
    }
    assert stale_sources(manifest, tmp_path) == ["edited", "removed"]


@pytest.fixture
def fake_build(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A package folder with every compiled module's source and extension, and a matching record."""
    suffix = importlib.machinery.EXTENSION_SUFFIXES[0]
    for name in COMPILED:
        (tmp_path / f"{name}.py").write_text(f"NAME = {name!r}\n", encoding="utf-8")
        (tmp_path / f"{name}{suffix}").write_bytes(b"")
    sources = {name: source_digest(tmp_path / f"{name}.py") for name in COMPILED}
    manifest = tmp_path / "_compiled.json"
    manifest.write_text(json.dumps({"suffix": suffix, "sources": sources}), encoding="utf-8")
    monkeypatch.setattr(text_package, "HERE", tmp_path)
    monkeypatch.setattr(text_package, "MANIFEST", manifest)
    monkeypatch.delenv("PEYVAND_PURE_PYTHON", raising=False)
    return tmp_path


def test_a_complete_matching_record_means_compiled(fake_build: Path) -> None:
    assert compiled_state() == "compiled"


def test_anything_amiss_with_the_build_means_the_sources_run(
    fake_build: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    manifest = fake_build / "_compiled.json"
    record = json.loads(manifest.read_text("utf-8"))
    suffix = importlib.machinery.EXTENSION_SUFFIXES[0]

    (fake_build / "rules.py").write_text("NAME = 'edited'\n", encoding="utf-8")
    assert compiled_state() == "stale"  # a source edited since the build
    (fake_build / "rules.py").write_text("NAME = 'rules'\n", encoding="utf-8")
    assert compiled_state() == "compiled"

    (fake_build / f"sentiment{suffix}").unlink()
    assert compiled_state() == "stale"  # a compiled module missing
    (fake_build / f"sentiment{suffix}").write_bytes(b"")

    manifest.write_text(json.dumps({**record, "suffix": ".cpython-99-other.so"}), encoding="utf-8")
    assert compiled_state() == "stale"  # built for another interpreter
    manifest.write_text(json.dumps(record)[:40], encoding="utf-8")
    assert compiled_state() == "stale"  # half a record
    manifest.write_text(json.dumps({"failed": "no C compiler (cc)"}), encoding="utf-8")
    assert compiled_state() == "sources"  # the build failed: the sources, quietly
    manifest.unlink()
    assert compiled_state() == "sources"  # never built

    manifest.write_text(json.dumps(record), encoding="utf-8")
    monkeypatch.setenv("PEYVAND_PURE_PYTHON", "1")
    assert compiled_state() == "disabled"
    monkeypatch.setenv("PEYVAND_PURE_PYTHON", "0")
    assert compiled_state() == "compiled"


def test_pure_python_runs_the_sources() -> None:
    found = _run(WHICH_FILES, pure=True)
    assert all(str(f).endswith(".py") for f in found["files"])  # type: ignore[union-attr]
    assert found["state"] == "disabled"
    assert found["sentiment"] == "negative"


@pytest.mark.skipif(not _built(), reason="the text pipeline is not compiled here (make setup compiles it)")
def test_the_compiled_build_is_used_while_it_matches_its_sources() -> None:
    found = _run(WHICH_FILES, pure=False)
    assert found["state"] == "compiled"
    assert all(not str(f).endswith(".py") for f in found["files"])  # type: ignore[union-attr]
    assert found["sentiment"] == "negative"
    assert set(json.loads(MANIFEST.read_text("utf-8"))["sources"]) == set(COMPILED)


@pytest.mark.skipif(not _built(), reason="the text pipeline is not compiled here (make setup compiles it)")
def test_an_edited_source_is_run_instead_of_the_older_build(tmp_path: Path) -> None:
    package = Path(text_package.__file__).resolve().parents[1]
    src = tmp_path / "src"
    shutil.copytree(package, src / "peyvand", ignore=shutil.ignore_patterns("__pycache__"))
    for shared in package.parent.glob("*__mypyc*"):
        shutil.copy2(shared, src / shared.name)
    sentiment = src / "peyvand" / "text" / "sentiment.py"
    sentiment.write_text(sentiment.read_text("utf-8") + "\nEDITED = True\n", encoding="utf-8")
    found = _run(
        WHICH_FILES + "import peyvand.text.sentiment as s; print(json.dumps({'edited': s.EDITED}))\n"
        "print(json.dumps({'state': t.STATE, 'sentiment': e.sentiment, 'files': [s.__file__]}))",
        pure=False,
        pythonpath=src,
    )
    assert found["state"] == "stale"
    assert found["files"] == [str(sentiment)]
    assert found["sentiment"] == "negative"


def test_a_long_running_process_freezes_what_it_loaded() -> None:
    code = (
        "import gc, json\n"
        "from peyvand.services.understanding import settle_long_running_process\n"
        "before = gc.get_freeze_count()\n"
        "settle_long_running_process()\n"
        "print(json.dumps({'before': before, 'after': gc.get_freeze_count()}))\n"
    )
    found = _run(code, pure=False)
    assert found["before"] == 0
    assert int(found["after"]) > 10_000  # type: ignore[call-overload]
