"""The docs stay true: every setting, command and interface string is documented or translated."""

from __future__ import annotations

import re
from pathlib import Path

import typer.main

from peyvand.cli import app
from peyvand.settings import Settings
from peyvand.web.i18n import translations

ROOT = Path(__file__).resolve().parent.parent


def test_every_setting_is_documented() -> None:
    text = (ROOT / "docs" / "settings.md").read_text(encoding="utf-8")
    missing = [name for name in Settings.model_fields if f"`PEYVAND_{name.upper()}`" not in text]
    assert missing == []


def _commands(group: object, prefix: str = "") -> list[str]:
    names = []
    for name, command in getattr(group, "commands", {}).items():
        full = f"{prefix}{name}"
        names.extend(_commands(command, full + " ") if getattr(command, "commands", None) else [full])
    return names


def test_every_command_is_documented() -> None:
    # docs/cli.md, and the pages that document a group of commands beside what it does
    text = "\n".join((ROOT / "docs" / name).read_text(encoding="utf-8") for name in ("cli.md", "privacy.md"))
    commands = _commands(typer.main.get_command(app))
    assert commands
    missing = [c for c in commands if f"peyvand {c}" not in text]
    assert missing == []


def test_every_interface_string_has_a_persian_translation() -> None:
    templates = ROOT / "src" / "peyvand" / "web" / "templates"
    pattern = re.compile(r"""_\((?:"([^"]+)"|'([^']+)')\)""")
    used = {a or b for path in templates.glob("*.html") for a, b in pattern.findall(path.read_text("utf-8"))}
    fa = translations("fa")
    untranslated = sorted(m for m in used if fa.gettext(m) == m)
    assert untranslated == []
