"""The three pages of the foundation: the PR desk, the marketing desk and the exchange."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Annotated

from fastapi import APIRouter, Depends, Request
from fastapi.responses import RedirectResponse, Response

from peyvand.jobs.handlers import REBUILD_ROLLUPS
from peyvand.services.access import NotFound
from peyvand.services.desks import PrFilters, pr_desk
from peyvand.services.exchange import exchange
from peyvand.services.handoffs import list_handoffs
from peyvand.services.jobs import request_job
from peyvand.services.series import (
    incomplete_days,
    list_series,
    recent_raw,
    series_points,
)
from peyvand.web.charts import default_series, series_chart
from peyvand.web.i18n import series_label, translations
from peyvand.web.params import DayCount, PageNumber
from peyvand.web.render import EXPORT_ROWS, table_response, wants, workspace_names
from peyvand.web.routes.marketing import desk_extras, exchange_extras, shared_with_pr
from peyvand.web.security import Viewer, current_viewer, verify_csrf

router = APIRouter()
ViewerDep = Annotated[Viewer, Depends(current_viewer)]


@router.get("/", include_in_schema=False)
def home(viewer: ViewerDep) -> Response:
    target = {"marketing": "/marketing", "viewer": "/exchange"}.get(viewer.actor.role, "/pr")
    return RedirectResponse(target, status_code=303)


@router.get("/pr", include_in_schema=False)
def pr_page(request: Request, viewer: ViewerDep, page: PageNumber = 1) -> Response:
    filters = PrFilters.from_query(dict(request.query_params))
    fmt = wants(request)
    if fmt != "html":  # the whole filtered list, not the page on the screen
        every = pr_desk(
            request.app.state.store, viewer.actor, filters=filters, page=page, per_page=EXPORT_ROWS
        )
        rows = [i.to_json() for i in every.items]
        return table_response(fmt, rows, "pr-desk", total=every.total, request=request, page=page)
    result = pr_desk(request.app.state.store, viewer.actor, filters=filters, page=page)
    shared_signals = shared_with_pr(request, viewer)  # behaviour signals rule R6 shared with PR
    return request.app.state.renderer.page(
        request, "pr_desk.html", viewer, desk=result, nav="pr", shared_signals=shared_signals
    )


@router.get("/marketing", include_in_schema=False)
def marketing_page(
    request: Request,
    viewer: ViewerDep,
    series: int | None = None,
    grain: str = "day",
    days: DayCount | None = None,
) -> Response:
    """A series' chart and values: the whole history by day (`days` narrows it), the last 31 days by
    hour; downloads hold what the chart shows."""
    store, actor = request.app.state.store, viewer.actor
    all_series = list_series(store, actor)
    chosen = next((s for s in all_series if s.id == series), None)
    if series is not None and chosen is None:
        raise NotFound("series")  # not another series in its place: a download would be mislabelled
    if chosen is None:
        chosen = default_series(all_series)
    days = min(days or 31, 31) if grain == "hour" else days
    points = series_points(store, actor, series_id=chosen.id, grain=grain) if chosen else []
    if days:
        since = datetime.now(UTC) - timedelta(days=days)
        points = [p for p in points if p.start >= since] or points[-days:]
    fmt = wants(request)
    missing = incomplete_days(store, actor, series_id=chosen.id) if chosen and grain == "day" else {}
    if fmt != "html":
        rows = [
            {
                "start": p.start.isoformat(),
                "day": p.day.isoformat() if p.day else None,
                "value": p.value,
                "n": p.n,
                "missing_parts": ", ".join(missing.get(p.day, ())) if p.day else "",
            }
            for p in points
        ]
        return table_response(fmt, rows, f"series-{chosen.key if chosen else 'none'}")
    renderer = request.app.state.renderer
    locale = renderer.locale_for(request, viewer)
    gettext = translations(locale).gettext
    chart = (
        series_chart(
            points,
            grain=grain,
            title=series_label(chosen, gettext, workspace_names(request, viewer, locale)),
            locale=locale,
            calendar=viewer.user.calendar,
            incomplete=missing,
            incomplete_label=gettext("incomplete: {parts} did not report"),
            events=chosen.origin == "event",
            tz=viewer.membership.timezone,
        )
        if chosen
        else None
    )
    raw = recent_raw(store, actor) if actor.can("marketing.raw") else None
    # the series' signals (marked on the chart) and the campaign calendar
    extras = desk_extras(request, viewer, chosen=chosen, grain=grain, points=points, chart=chart)
    return renderer.page(
        request,
        "marketing_desk.html",
        viewer,
        series=all_series,
        chosen=chosen,
        chart=chart,
        points=points,
        grain=grain,
        days=days,
        raw=raw,
        nav="marketing",
        sub="series",
        **extras,
    )


@router.post("/marketing/rollups", include_in_schema=False, dependencies=[Depends(verify_csrf)])
def rebuild(request: Request, viewer: ViewerDep) -> Response:
    request_job(request.app.state.store, viewer.actor, REBUILD_ROLLUPS, permission="marketing.raw")
    return RedirectResponse("/marketing?rebuild=queued", status_code=303)


@router.get("/exchange", include_in_schema=False)
def exchange_page(request: Request, viewer: ViewerDep, days: int = 30) -> Response:
    if days not in (7, 30, 90):
        raise NotFound("period")
    view = exchange(request.app.state.store, viewer.actor, days=days)
    fmt = wants(request)
    if fmt != "html":
        data = view.to_json()
        rows = [{"team": team, **row} for team in ("pr", "marketing") for row in data[team]]  # type: ignore[attr-defined]
        return table_response(fmt, rows, "exchange")
    can_see_handoffs = viewer.actor.can("handoffs.read")
    handoffs = list_handoffs(request.app.state.store, viewer.actor) if can_see_handoffs else None
    return request.app.state.renderer.page(
        request,
        "exchange.html",
        viewer,
        view=view,
        handoffs=handoffs,
        nav="exchange",
        **exchange_extras(request, viewer),  # marketing → PR signals, brand-to-sales lead/lag
    )
