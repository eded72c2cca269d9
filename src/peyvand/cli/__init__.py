"""The command line: each command builds settings, calls one service, prints.

Every command takes the database from --db or PEYVAND_DATABASE_URL and the workspace from --workspace
(needed only when there is more than one).
"""

from __future__ import annotations

from peyvand.cli import (  # noqa: F401  (register the commands)
    commands,
    demo,
    ingest,
    maintenance,
    marketing,
    privacy,
    text,
    tokens,
    users,
)
from peyvand.cli.common import app


def main() -> None:
    app()
