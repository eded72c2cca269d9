"""Rendering pages: one Jinja environment, the viewer's language, calendar and time zone, and the three
forms every report answers in (the page, `?format=csv`, `?format=json`)."""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Iterable
from importlib import resources
from typing import Any
from urllib.parse import quote, urlsplit

from fastapi import Request
from fastapi.responses import HTMLResponse, JSONResponse, Response
from fastapi.templating import Jinja2Templates

from peyvand.services.series import dimension_names
from peyvand.settings import Settings
from peyvand.web.docs import doc_links
from peyvand.web.i18n import LOCALES, import_reason, series_label, template_helpers, translations
from peyvand.web.security import Viewer, csrf_token


def http_url(value: object) -> str | None:
    """The address if it is a web address (http or https) a page may link to, else None.

    Items' and pickups' `url` come from outside (API, webhooks, feeds, export files); a `javascript:` or
    `data:` address in an `href` would run in the page of whoever clicks it, so only http(s) is linked.
    """
    if not isinstance(value, str) or not value.strip():
        return None
    text = value.strip()
    try:
        parts = urlsplit(text)  # also drops the tabs and newlines a browser would ignore in a scheme
    except ValueError:
        return None
    return text if parts.scheme.lower() in ("http", "https") and parts.netloc else None


class Renderer:
    def __init__(self, settings: Settings) -> None:
        folder = resources.files("peyvand.web").joinpath("templates")
        self.templates = Jinja2Templates(directory=str(folder))
        self.templates.env.autoescape = True
        self.templates.env.filters["http_url"] = http_url
        self.templates.env.filters["doclinks"] = doc_links
        self.settings = settings

    def locale_for(self, request: Request, viewer: Viewer | None) -> str:
        if viewer is not None:
            return viewer.user.locale
        chosen = request.session.get("locale")
        return chosen if chosen in LOCALES else self.settings.default_locale

    def page(
        self, request: Request, template: str, viewer: Viewer | None, status: int = 200, **context: Any
    ) -> HTMLResponse:
        locale = self.locale_for(request, viewer)
        calendar = viewer.user.calendar if viewer else ("jalali" if locale == "fa" else "gregorian")
        tz = viewer.membership.timezone if viewer else "Asia/Tehran"
        context.update(template_helpers(locale, calendar, tz))
        if viewer is not None:
            names = _WorkspaceNames(request, viewer, locale)
            context.update(series_label=names.series_label, named=names.named)
        context.update(request=request, viewer=viewer, csrf_token=csrf_token(request))
        return self.templates.TemplateResponse(request, template, context, status_code=status)

    def error(self, request: Request, status: int, message: str, *, detail: bool = True) -> HTMLResponse:
        """The error page in the signed-in person's language, with their navigation (a signed-out visitor
        gets the session's or the default language). `detail`: show `message` (what was wrong with the
        request); access and not-found messages name internals and are not shown. The message, written in
        English by the service that refused, is shown in the viewer's language where a catalogue knows
        it (`i18n.import_reason`)."""
        viewer = _viewer_or_none(request)
        message = import_reason(message, self.locale_for(request, viewer)) if detail else ""
        return self.page(
            request,
            "error.html",
            viewer,
            status=status,
            status_code=status,
            message=message,
            back=_same_site_referer(request),
        )


def _same_site_referer(request: Request) -> str:
    """The path of the page the request came from, when it is one of ours (a form to go back to, where
    the browser keeps what was typed); empty otherwise."""
    referer = request.headers.get("referer", "")
    parts = urlsplit(referer)
    if not referer or parts.netloc != request.url.netloc or not parts.path.startswith("/"):
        return ""
    if parts.path.startswith("//") or parts.path == request.url.path:
        return ""
    return parts.path + (f"?{parts.query}" if parts.query else "")


def _viewer_or_none(request: Request) -> Viewer | None:
    """The signed-in viewer, or None where there is none (signed out, no workspace, password to change)."""
    from fastapi import HTTPException

    from peyvand.web.security import LoginRequired, PasswordChangeRequired, current_viewer

    try:
        return current_viewer(request)
    except (LoginRequired, PasswordChangeRequired, HTTPException):
        return None


def workspace_names(request: Request, viewer: Viewer, locale: str) -> dict[tuple[str, str], str]:
    """`services.series.dimension_names` for the viewer, read once per request (a route that names a
    chart and the page it renders share one read)."""
    cached: dict[tuple[str, str], str] | None = getattr(request.state, "workspace_names", None)
    if cached is None:
        cached = dimension_names(request.app.state.store, viewer.actor, locale)
        request.state.workspace_names = cached
    return cached


class _WorkspaceNames:
    """The names a page shows for the workspace's keys (`services.series.dimension_names`: products,
    campaigns, attributes), read once and only when the page names one."""

    def __init__(self, request: Request, viewer: Viewer, locale: str) -> None:
        self.request, self.viewer, self.locale = request, viewer, locale
        self.gettext = translations(locale).gettext
        self._names: dict[tuple[str, str], str] | None = None  # read on first use only

    @property
    def names(self) -> dict[tuple[str, str], str]:
        if self._names is None:
            self._names = workspace_names(self.request, self.viewer, self.locale)
        return self._names

    def series_label(self, series: Any) -> str:
        return series_label(series, self.gettext, self.names)

    def named(self, kind: str, key: str) -> str:
        """A key by the name people know it by: the workspace's (products, stores, campaigns, attributes),
        else the catalogue's (sources, channels, intents), else the key read as words."""
        return self.names.get((kind, key)) or str(self.gettext(key))


def wants(request: Request) -> str:
    """Which form a report is asked for: html (default), csv or json."""
    fmt = request.query_params.get("format", "html")
    return fmt if fmt in ("csv", "json") else "html"


def attachment(filename: str) -> str:
    """A Content-Disposition for a download whose name may hold a key typed by a person (Persian, quotes):
    an ASCII name for old clients and the exact one in RFC 6266's `filename*`; headers are Latin-1, so a
    Persian name put as it is would fail the answer."""
    plain = re.sub(r"[^A-Za-z0-9._-]+", "_", filename).strip("_") or "download"
    return f"attachment; filename=\"{plain}\"; filename*=UTF-8''{quote(filename, safe='')}"


FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def csv_cell(value: Any) -> Any:
    """A text cell a spreadsheet would run as a formula (`=HYPERLINK(…)` in a message from outside) is
    written with a leading apostrophe, which spreadsheets show as text; numbers are left as they are."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        try:
            float(value)
        except ValueError:
            return "'" + value
    return value


# Rows in one csv/json download of a paged list (the page shows 50): a download holds the whole filtered
# list up to this, and says the total and where the next part is in headers when there is more.
EXPORT_ROWS = 10_000


def table_response(
    fmt: str,
    rows: Iterable[dict[str, Any]],
    filename: str,
    *,
    total: int | None = None,
    request: Request | None = None,
    page: int = 1,
) -> Response:
    """Rows as a csv or json download. With `total` (a paged list), the answer carries `X-Total-Count`
    and, when rows remain after this part, a `Link` header to the next (`page` counts parts of
    `EXPORT_ROWS`)."""
    rows = list(rows)
    response = _table(fmt, rows, filename)
    if total is not None:
        response.headers["X-Total-Count"] = str(total)
        if request is not None and page * EXPORT_ROWS < total:
            following = str(request.url.include_query_params(page=page + 1))
            response.headers["Link"] = f'<{following}>; rel="next"'
    return response


def _table(fmt: str, rows: list[dict[str, Any]], filename: str) -> Response:
    if fmt == "json":
        return JSONResponse(json.loads(json.dumps(rows, default=str, ensure_ascii=False)))
    buffer = io.StringIO()
    fields = list(rows[0]) if rows else []
    writer = csv.DictWriter(buffer, fieldnames=fields)
    writer.writeheader()
    for row in rows:
        writer.writerow(
            {
                k: json.dumps(v, ensure_ascii=False) if isinstance(v, list | dict) else csv_cell(v)
                for k, v in row.items()
            }
        )
    return Response(
        buffer.getvalue(),
        media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": attachment(f"{filename}.csv")},
    )
