"""Job kinds and the functions that run them."""

from __future__ import annotations

from peyvand.jobs.queue import Handler

HANDLERS: dict[str, Handler] = {}
