"""Small helpers shared by tests."""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from fastapi.testclient import TestClient

from peyvand.services.access import Actor


def text_of(html: str) -> str:
    """The visible text of a page, tags removed and whitespace collapsed."""
    return " ".join(re.sub(r"<[^>]+>", " ", html).split())


PASSWORD = "correct-horse-1"


@dataclass
class Site:
    """A test client over an app with users of every role in two workspaces."""

    client: TestClient
    workspace: Actor
    other: Actor

    def csrf(self, path: str = "/login") -> str:
        page = self.client.get(path)
        match = re.search(r'name="csrf_token" value="([^"]+)"', page.text)
        assert match, page.text[:500]
        return match.group(1)

    def login(self, username: str) -> None:
        token = self.csrf("/login")
        response = self.client.post(
            "/login", data={"username": username, "password": PASSWORD, "csrf_token": token, "next": "/"}
        )
        assert response.status_code == 303, response.text[:300]


@contextmanager
def signed_in_as(site: Site, username: str, password: str = PASSWORD) -> Iterator[TestClient]:
    """A second browser, signed in as `username`."""
    with TestClient(site.client.app, follow_redirects=False) as other:
        page = other.get("/login").text
        token = re.search(r'name="csrf_token" value="([^"]+)"', page)
        assert token
        answer = other.post(
            "/login",
            data={"username": username, "password": password, "csrf_token": token.group(1), "next": "/"},
        )
        assert answer.status_code == 303, answer.text[:300]
        yield other


def still_signed_in(client: TestClient) -> bool:
    return client.get("/exchange").status_code == 200
