"""The project's documentation for the app's help pages (`routes/help_pages.py`): `docs/<name>.md` rendered to
HTML, and the `doclinks` template filter that turns a page's "see docs/formulas-marketing.md §2" into a
link a person can follow on a self-hosted install with no internet. Markdown is rendered by markdown-it-py
(CommonMark with tables; raw HTML in the files is not passed through)."""

from __future__ import annotations

import re
from functools import lru_cache
from importlib import resources
from pathlib import Path

from markdown_it import MarkdownIt
from markupsafe import Markup, escape

NAME = re.compile(r"[a-z][a-z0-9-]*")
# "docs/formulas-marketing.md §2" in a page's text, or "(text.md)" in a link between the docs.
DOC_REFERENCE = re.compile(r"docs/([a-z][a-z0-9-]*)\.md")
_LINK_BETWEEN_DOCS = re.compile(r'href="(?:docs/)?([a-z][a-z0-9-]*)\.md(#[^"]*)?"')


def docs_folder() -> Path | None:
    """Where the docs are: inside the installed package (a wheel carries them as `peyvand/docs`), else
    next to the source tree (a checkout, an editable install)."""
    packaged = Path(str(resources.files("peyvand"))) / "docs"
    if packaged.is_dir():
        return packaged
    checkout = Path(__file__).resolve().parents[3] / "docs"
    return checkout if checkout.is_dir() else None


def render_doc(name: str) -> tuple[str, Markup] | None:
    """The document's title and HTML, or None when there is no such document (a name that is not a
    document's is refused before anything is read or kept)."""
    folder = docs_folder()
    if folder is None or not NAME.fullmatch(name) or not (folder / f"{name}.md").is_file():
        return None
    return _render(folder / f"{name}.md")


@lru_cache(maxsize=64)
def _render(path: Path) -> tuple[str, Markup]:
    text = path.read_text(encoding="utf-8")
    title = next((line[2:].strip() for line in text.splitlines() if line.startswith("# ")), path.stem)
    html = MarkdownIt("commonmark", {"html": False}).enable("table").render(text)
    html = _HEADING.sub(_with_id, html)
    html = _LINK_BETWEEN_DOCS.sub(lambda m: f'href="/help/{m.group(1)}{m.group(2) or ""}"', html)
    return title, Markup(html)  # noqa: S704 - markdown-it escapes the text; raw HTML is off


_HEADING = re.compile(r"<h([1-6])>(.*?)</h\1>")
_TAG = re.compile(r"<[^>]+>")


def _with_id(match: re.Match[str]) -> str:
    """A heading with the id GitHub would give it ("## Signing in" → id="signing-in"), so the links
    between and within the documents ("settings.md#signing-in") land on it."""
    level, inner = match.group(1), match.group(2)
    words = re.sub(r"[^\w\- ]", "", _TAG.sub("", inner).lower(), flags=re.UNICODE)
    return f'<h{level} id="{words.strip().replace(" ", "-")}">{inner}</h{level}>'


def doc_links(text: str) -> Markup:
    """A template filter: the text escaped, with every "docs/<name>.md" made a link to its help page."""
    escaped = str(escape(text))
    return Markup(
        DOC_REFERENCE.sub(lambda m: f'<a href="/help/{m.group(1)}" dir="ltr">{m.group(0)}</a>', escaped)
    )  # noqa: S704
