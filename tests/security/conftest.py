"""The security tests' fixtures: the web tests' `site` (users of every role in two workspaces), and
`rich`: the same site with one object of every kind in workspace A (see `security_data`)."""

from __future__ import annotations

import pytest

from security.security_data import WorkspaceObjects, populate
from tests_support import Site
from web.conftest import site  # noqa: F401  (the fixture, shared with the web tests)


@pytest.fixture
def rich(site: Site) -> WorkspaceObjects:  # noqa: F811
    return populate(site)
