"""The `desk` fixture: a workspace with people of every role (see inbox_support)."""

from __future__ import annotations

import pytest

from inbox.inbox_support import Desk, make_desk
from peyvand.services.access import Actor
from peyvand.storage.db import Store


@pytest.fixture
def desk(store: Store, workspace: Actor) -> Desk:
    return make_desk(store, workspace)
