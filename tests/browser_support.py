"""What the browser tests share: Debian's Chromium (skipped when missing, a failure when
PEYVAND_REQUIRE_BROWSER=1), the app served by uvicorn on a free port in a thread, a headless launch, and
the folder screenshots go to ($PEYVAND_SCREENSHOTS, or the test's temporary folder)."""

from __future__ import annotations

import os
import shutil
import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
import uvicorn

from peyvand.settings import load_settings
from peyvand.storage.db import Store
from peyvand.web.app import create_app

CHROMIUM_ARGS = (
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
)


def chromium_path() -> str:
    path = shutil.which("chromium") or shutil.which("chromium-browser")
    if path is None:
        if os.environ.get("PEYVAND_REQUIRE_BROWSER") == "1":
            pytest.fail("chromium is not installed (apt-get install chromium)")
        pytest.skip("chromium is not installed")
    return path


def launch(playwright: Any) -> Any:
    """Headless Chromium from the system, never a downloaded one."""
    return playwright.chromium.launch(executable_path=chromium_path(), args=list(CHROMIUM_ARGS))


def screenshots(tmp_path: Path) -> Path:
    return Path(os.environ.get("PEYVAND_SCREENSHOTS", tmp_path))


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@contextmanager
def serve(store: Store, database: Path) -> Iterator[str]:
    """The web app over `store` (the SQLite file `database`) at http://127.0.0.1:PORT until the block ends."""
    port = _free_port()
    settings = load_settings(database_url=str(database), secret_key="browser-test-key")
    app = create_app(settings, store=store, start_worker=False)
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    for _ in range(100):
        if server.started:
            break
        time.sleep(0.05)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout=10)
