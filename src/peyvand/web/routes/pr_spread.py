"""The PR desk's pages about what PR puts out and who it talks to: content that travels, branding
campaigns and the media list. Each table answers `?format=csv|json` too."""

from __future__ import annotations

from datetime import UTC, datetime, time
from typing import Annotated
from zoneinfo import ZoneInfo

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import RedirectResponse, Response

from peyvand.services.access import InvalidInput
from peyvand.services.branding import branding_campaign, branding_campaigns
from peyvand.services.content_spread import PIECE_KINDS, piece_spread, register_pr_content, spread_report
from peyvand.services.media_list import AUDIENCE_FILTERS, STANCES, media_list, update_contact
from peyvand.web.charts_reputation import growth_chart, share_lines, window_shapes
from peyvand.web.params import RowId
from peyvand.web.render import EXPORT_ROWS, table_response, wants
from peyvand.web.routes.reputation import ViewerDep, page_context, render
from peyvand.web.security import verify_csrf

router = APIRouter(prefix="/reputation", include_in_schema=False)


@router.get("/content")
def content_page(request: Request, viewer: ViewerDep) -> Response:
    report = spread_report(request.app.state.store, viewer.actor)
    fmt = wants(request)
    if fmt != "html":
        return table_response(fmt, [p.to_json() for p in report.pieces], "content-spread")
    return render(request, viewer, "content_spread.html", report=report, kinds=PIECE_KINDS, tab="content")


@router.post("/content", dependencies=[Depends(verify_csrf)])
async def register(request: Request, viewer: ViewerDep) -> Response:
    form = await request.form()
    data = {k: str(v) for k, v in form.items() if k != "csrf_token"}
    content_id = register_pr_content(request.app.state.store, viewer.actor, data)
    return RedirectResponse(f"/reputation/content/{content_id}?registered=1", status_code=303)


@router.get("/content/{content_id}")
def piece_page(request: Request, viewer: ViewerDep, content_id: RowId) -> Response:
    detail = piece_spread(request.app.state.store, viewer.actor, content_id=content_id)
    fmt = wants(request)
    if fmt != "html":
        if request.query_params.get("table") == "curve":
            curve = detail.curve
            rows = [
                {"day": d, "pickups": n, "reach": r}
                for d, n, r in zip(curve.days, curve.pickups, curve.reach, strict=True)
            ]
            return table_response(fmt, rows, f"growth-{detail.piece.key}")
        return table_response(fmt, [p.to_json() for p in detail.pickups], f"pickups-{detail.piece.key}")
    locale, _calendar, _ = page_context(request, viewer)
    labels = {
        "title": _("Growth curve"),
        "pickups": _("Pickups (cumulative)"),
        "reach": _("Earned reach (cumulative)"),
        "days": _("Days since publication"),
    }
    chart = growth_chart(detail.curve, locale=locale, labels=labels)
    return render(request, viewer, "content_piece.html", detail=detail, chart=chart, tab="content")


@router.get("/branding")
def branding_page(request: Request, viewer: ViewerDep) -> Response:
    overview = branding_campaigns(request.app.state.store, viewer.actor)
    fmt = wants(request)
    if fmt != "html":
        return table_response(fmt, [row for c in overview.campaigns for row in c.kpi_rows()], "branding-kpis")
    return render(request, viewer, "branding.html", overview=overview, tab="branding")


@router.get("/branding/{key}")
def branding_campaign_page(request: Request, viewer: ViewerDep, key: str) -> Response:
    report = branding_campaign(request.app.state.store, viewer.actor, key=key)
    fmt = wants(request)
    if fmt != "html":
        return table_response(fmt, report.kpi_rows(), f"branding-{key}")
    locale, calendar, _ = page_context(request, viewer)
    chart = None
    if report.weekly and report.comparison is not None:
        label = report.focus or ""
        chart = share_lines(
            {label: report.weekly},
            locale=locale,
            calendar=calendar,
            title=_("Weekly share of brand mentions carrying the attribute"),
        )
        after = report.comparison.after
        chart["layout"]["shapes"] = window_shapes([(after.start, after.end, "#7a3e9d")])
    return render(request, viewer, "branding_campaign.html", report=report, chart=chart, tab="branding")


@router.get("/media")
def media_page(request: Request, viewer: ViewerDep, audience: str = "media", q: str = "") -> Response:
    fmt = wants(request)
    limit = EXPORT_ROWS if fmt != "html" else 500
    contacts = media_list(
        request.app.state.store, viewer.actor, audience=audience, search=q or None, limit=limit
    )
    if fmt != "html":
        return table_response(fmt, [c.to_json() for c in contacts], "media-list")
    return render(
        request,
        viewer,
        "media_list.html",
        contacts=contacts,
        audience=audience,
        audiences=AUDIENCE_FILTERS,
        stances=STANCES,
        q=q,
        shown_at_most=limit,
        tab="media",
    )


def _contacted(value: str, timezone: str) -> datetime | None:
    if not value.strip():
        return None
    try:
        day = datetime.fromisoformat(value.strip()).date()
    except ValueError as exc:
        raise InvalidInput("the contact date must look like 2026-03-01") from exc
    return datetime.combine(day, time(12), tzinfo=ZoneInfo(timezone)).astimezone(UTC)


@router.post("/media/{author_id}", dependencies=[Depends(verify_csrf)])
def update_media_contact(
    request: Request,
    viewer: ViewerDep,
    author_id: RowId,
    stance: Annotated[str, Form()] = "",
    beats: Annotated[str, Form()] = "",
    notes: Annotated[str, Form()] = "",
    contacted_on: Annotated[str, Form()] = "",
) -> Response:
    update_contact(
        request.app.state.store,
        viewer.actor,
        author_id=author_id,
        stance=stance or None,
        beats=[b for part in beats.split(",") for b in part.split("،")],
        notes=notes,
        contacted_at=_contacted(contacted_on, viewer.membership.timezone),
    )
    return RedirectResponse(f"/reputation/media?saved={author_id}#contact-{author_id}", status_code=303)
