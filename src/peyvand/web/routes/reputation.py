"""The PR desk's reputation pages: sentiment index, attribute association, share of voice and crises.

Each page answers in three forms (`?format=csv|json`); the charts are Plotly specifications built here
from the services' numbers. Who may see and do what is decided by the services.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from typing import Annotated, Any, Literal, cast

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import RedirectResponse, Response

from peyvand.services.crises import crisis_daily, decide_crisis, list_crises
from peyvand.services.reputation import attribute_report, reputation_report, voice_report
from peyvand.services.reputation_jobs import queue_reputation_refresh
from peyvand.web.charts_reputation import daily_negative_chart, group_chart, sentiment_chart, share_lines
from peyvand.web.i18n import translations
from peyvand.web.params import RowId
from peyvand.web.render import table_response, wants, workspace_names
from peyvand.web.security import Viewer, current_viewer, verify_csrf

router = APIRouter(prefix="/reputation", include_in_schema=False)
ViewerDep = Annotated[Viewer, Depends(current_viewer)]
CRISIS_COLOURS = {"suggested": "#d68910", "confirmed": "#b3261e", "dismissed": "#66707c", "closed": "#1c7c45"}


def page_context(request: Request, viewer: Viewer) -> tuple[str, str, Callable[[str], str]]:
    """The viewer's locale and calendar, and the gettext function for chart labels."""
    locale = request.app.state.renderer.locale_for(request, viewer)
    return locale, viewer.user.calendar, translations(locale).gettext


def calendar_of(viewer: Viewer) -> Literal["gregorian", "jalali"]:
    return cast(Literal["gregorian", "jalali"], "jalali" if viewer.user.calendar == "jalali" else "gregorian")


def render(request: Request, viewer: Viewer, template: str, **context: Any) -> Response:
    return request.app.state.renderer.page(request, template, viewer, nav="reputation", **context)


@router.get("")
def sentiment_page(
    request: Request, viewer: ViewerDep, unit: str = "week", by: str = "source", days: int = 365
) -> Response:
    report = reputation_report(
        request.app.state.store, viewer.actor, unit=unit, by=by, days=days, calendar=calendar_of(viewer)
    )
    fmt = wants(request)
    if fmt != "html":
        return table_response(fmt, report.rows(), "sentiment-index")
    locale, calendar, _ = page_context(request, viewer)
    labels = {
        "title": _("Net sentiment of the brand"),
        "net": _("Net sentiment"),
        "interval": _("95% interval"),
        "volume": _("Mentions"),
    }
    names = workspace_names(request, viewer, locale)
    top = {g.group: names.get((by, g.group)) or _(g.group) for g in report.groups[:6]}
    return render(
        request,
        viewer,
        "reputation.html",
        report=report,
        chart=sentiment_chart(report.points, locale=locale, calendar=calendar, labels=labels),
        split_chart=group_chart(
            report.group_points,
            top,
            locale=locale,
            calendar=calendar,
            title=_("Net sentiment by") + f" {_(by)}",
        ),
        tab="sentiment",
    )


@router.get("/attributes")
def attributes_page(
    request: Request, viewer: ViewerDep, unit: str = "month", days: int = 365, compare: str = "90"
) -> Response:
    report = attribute_report(
        request.app.state.store,
        viewer.actor,
        unit=unit,
        days=days,
        compare=compare,
        calendar=calendar_of(viewer),
    )
    fmt = wants(request)
    if fmt != "html":
        rows = report.rows() if request.query_params.get("table") != "shift" else shift_rows(report)
        return table_response(fmt, rows, "attributes")
    locale, calendar, _ = page_context(request, viewer)
    series = {
        report.panel.attribute_label(a, locale): [s for s in report.over_time if s.attribute == a]
        for a in report.panel.attributes
    }
    chart = share_lines(
        series, locale=locale, calendar=calendar, title=_("Share of brand mentions carrying each attribute")
    )
    return render(request, viewer, "attributes.html", report=report, chart=chart, tab="attributes")


def shift_rows(report: Any) -> list[dict[str, Any]]:
    comparison = report.comparison
    return [
        {
            **{k: getattr(s, k) for k in s.__dataclass_fields__},
            "before_start": comparison.before.start.isoformat(),
            "before_end": comparison.before.end.isoformat(),
            "after_start": comparison.after.start.isoformat(),
            "after_end": comparison.after.end.isoformat(),
        }
        for s in report.shifts
    ]


@router.get("/voice")
def voice_page(request: Request, viewer: ViewerDep, unit: str = "month", days: int = 365) -> Response:
    report = voice_report(
        request.app.state.store, viewer.actor, unit=unit, days=days, calendar=calendar_of(viewer)
    )
    fmt = wants(request)
    if fmt != "html":
        return table_response(fmt, report.rows(), "share-of-voice")
    locale, calendar, _ = page_context(request, viewer)
    series = {
        report.panel.entity_name(e): [s for s in report.periods if s.entity == e]
        for e in report.panel.entities
    }
    chart = share_lines(series, locale=locale, calendar=calendar, title=_("Share of voice (count-based)"))
    return render(request, viewer, "voice.html", report=report, chart=chart, tab="voice")


@router.get("/crises")
def crises_page(request: Request, viewer: ViewerDep) -> Response:
    store = request.app.state.store
    crises = list_crises(store, viewer.actor)
    fmt = wants(request)
    if fmt != "html":
        return table_response(fmt, [c.to_json() for c in crises], "crises")
    locale, calendar, _ = page_context(request, viewer)
    oldest = min((c.start for c in crises), default=None)
    daily = crisis_daily(store, viewer.actor, since=oldest - timedelta(days=14) if oldest else None)
    first = daily[0][0] if daily else None
    windows = [(c.start, c.end, CRISIS_COLOURS[c.status]) for c in crises if first and c.end >= first]
    labels = {"title": _("Brand mentions a day"), "volume": _("All mentions"), "negative": _("Negative")}
    chart = daily_negative_chart(daily, windows, locale=locale, calendar=calendar, labels=labels)
    return render(request, viewer, "crises.html", crises=crises, chart=chart, tab="crises")


@router.post("/crises/{crisis_id}", dependencies=[Depends(verify_csrf)])
def decide(
    request: Request,
    viewer: ViewerDep,
    crisis_id: RowId,
    decision: Annotated[str, Form()],
    note: Annotated[str, Form()] = "",
) -> Response:
    decide_crisis(request.app.state.store, viewer.actor, crisis_id=crisis_id, decision=decision, note=note)
    return RedirectResponse(f"/reputation/crises?decided={crisis_id}#crisis-{crisis_id}", status_code=303)


@router.post("/refresh", dependencies=[Depends(verify_csrf)])
def refresh(
    request: Request, viewer: ViewerDep, back: Annotated[str, Form()] = "/reputation/crises"
) -> Response:
    queue_reputation_refresh(request.app.state.store, viewer.actor, permission="reputation.work")
    target = back if back.startswith("/reputation") else "/reputation/crises"
    return RedirectResponse(f"{target}?refresh=queued", status_code=303)
