"""The marketing desk's pages: signals, campaigns and their return, and what the desk, the exchange and
the PR desk add from them (signal marks on the series chart, the campaign calendar, signals shared with
PR). Every table answers `?format=csv` and `?format=json`; the services decide who sees what."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta
from typing import Annotated, Any

import jdatetime
from fastapi import APIRouter, Depends, Request
from fastapi.responses import RedirectResponse, Response

from peyvand.services.access import AccessDenied, Actor, InvalidInput
from peyvand.services.audiences import list_audiences
from peyvand.services.brand_sales import brand_sales
from peyvand.services.campaign_forms import save_campaign_form
from peyvand.services.campaign_return import (
    CampaignResult,
    campaign_form_data,
    campaign_infos,
    campaign_result,
    campaign_results,
)
from peyvand.services.marketing_jobs import queue_signal_detection
from peyvand.services.series import Point, SeriesView
from peyvand.services.signal_views import SignalView, list_signals
from peyvand.web.charts_marketing import campaign_chart, mark_signals, money, timeline
from peyvand.web.i18n import import_reason, series_label, signal_term, translations
from peyvand.web.render import table_response, wants, workspace_names
from peyvand.web.security import Viewer, current_viewer, verify_csrf

router = APIRouter(include_in_schema=False)
ViewerDep = Annotated[Viewer, Depends(current_viewer)]
TIMELINE_DAYS = 540


def page_context(request: Request, viewer: Viewer) -> tuple[str, str, Callable[[str], str]]:
    locale = request.app.state.renderer.locale_for(request, viewer)
    return locale, viewer.user.calendar, translations(locale).gettext


def render(request: Request, viewer: Viewer, template: str, **context: Any) -> Response:
    locale = request.app.state.renderer.locale_for(request, viewer)
    return request.app.state.renderer.page(
        request, template, viewer, nav="marketing", money=lambda v: money(v, locale), **context
    )


def require_work(actor: Actor) -> None:
    if not actor.can("marketing.work"):
        raise AccessDenied(f"role {actor.role!r} may not work the marketing desk")


def desk_extras(
    request: Request,
    viewer: Viewer,
    *,
    chosen: SeriesView | None,
    grain: str,
    points: list[Point],
    chart: Any,
) -> dict[str, Any]:
    """What the marketing desk shows beside a series: its signals (marked on the chart) and the calendar
    strip of every campaign, branding ones included, so marketing sees when PR is on air."""
    store, actor = request.app.state.store, viewer.actor
    locale, calendar, _ = page_context(request, viewer)
    signals = list_signals(store, actor, series_id=chosen.id) if chosen else []
    if chart is not None:
        names = workspace_names(request, viewer, locale)

        def label(kind: str, key: str) -> str:
            return names.get((kind, key)) or signal_term(key, _)

        mark_signals(chart, points, signals, grain=grain, locale=locale, calendar=calendar, label=label)
    campaigns = campaign_infos(store, actor)
    strip: list[dict[str, Any]] = []
    if points:
        last = points[-1].day or points[-1].start.date()
        first = max(points[0].day or points[0].start.date(), last - timedelta(days=TIMELINE_DAYS))
        strip = timeline(campaigns, first=first, last=last, locale=locale, calendar=calendar)
    return {"signals": [s for s in signals if s.grain == grain], "timeline": strip}


def exchange_extras(request: Request, viewer: Viewer) -> dict[str, Any]:
    """Marketing → PR on the exchange: the latest signals, those shared with PR first; and the brand-to-sales
    lead/lag summary."""
    signals = list_signals(request.app.state.store, viewer.actor, limit=40)
    shared = [s for s in signals if "pr" in s.share_with]
    others = [s for s in signals if "pr" not in s.share_with][: max(0, 10 - len(shared))]
    brand = brand_sales(request.app.state.store, viewer.actor)
    return {"marketing_signals": shared[:10] + others, "brand_sales": brand}


def shared_with_pr(request: Request, viewer: Viewer) -> list[SignalView]:
    """For the PR desk: the behaviour signals marketing's rule R6 shared with PR."""
    return list_signals(request.app.state.store, viewer.actor, shared_with="pr", limit=5)


@router.get("/marketing/signals")
def signals_page(
    request: Request, viewer: ViewerDep, grain: str | None = None, shared: str | None = None
) -> Response:
    signals = list_signals(request.app.state.store, viewer.actor, grain=grain, shared_with=shared or None)
    fmt = wants(request)
    if fmt != "html":
        locale, _, gettext = page_context(request, viewer)
        names = workspace_names(request, viewer, locale)
        rows = [{**s.to_json(), "series_name": series_label(s, gettext, names)} for s in signals]
        return table_response(fmt, rows, "signals")
    return render(
        request, viewer, "marketing_signals.html", signals=signals, grain=grain, shared=shared, sub="signals"
    )


@router.post("/marketing/signals/detect", dependencies=[Depends(verify_csrf)])
def detect_now(request: Request, viewer: ViewerDep) -> Response:
    require_work(viewer.actor)
    queue_signal_detection(request.app.state.store, viewer.actor, history=True)
    return RedirectResponse("/marketing/signals?detect=queued", status_code=303)


@router.get("/marketing/campaigns")
def campaigns_page(request: Request, viewer: ViewerDep) -> Response:
    results = campaign_results(request.app.state.store, viewer.actor)
    fmt = wants(request)
    if fmt != "html":
        return table_response(fmt, [r.to_json() for r in results], "campaigns")
    locale, calendar, _ = page_context(request, viewer)
    infos = [r.campaign for r in results]
    strip = []
    if infos:
        first = min(c.starts_on for c in infos)
        last = max((c.ends_on or c.starts_on) for c in infos)
        strip = timeline(
            infos,
            first=first - timedelta(days=7),
            last=last + timedelta(days=7),
            locale=locale,
            calendar=calendar,
        )
    return render(
        request, viewer, "marketing_campaigns.html", results=results, timeline=strip, sub="campaigns"
    )


def _daily_rows(result: CampaignResult) -> list[dict[str, Any]]:
    lift = result.revenue
    if lift is None:
        return []
    return [
        {"day": d.isoformat(), "actual": a, "counterfactual": round(c, 2), "lift": round(a - c, 2)}
        for d, a, c in zip(lift.days, lift.daily_actual, lift.daily_counterfactual, strict=True)
    ]


@router.get("/marketing/campaigns/new")
def new_campaign(request: Request, viewer: ViewerDep) -> Response:
    require_work(viewer.actor)
    form = {
        "kind": "marketing",
        "owner_team": "marketing",
        "currency": "IRT",
        "channels": "instagram_ads: paid",
    }
    return _form_page(request, viewer, form, editing=False)


@router.get("/marketing/campaigns/{key}/edit")
def edit_campaign(request: Request, viewer: ViewerDep, key: str) -> Response:
    form = campaign_form_data(request.app.state.store, viewer.actor, key=key)
    return _form_page(request, viewer, form, editing=True)


def _form_page(
    request: Request, viewer: Viewer, form: dict[str, Any], *, editing: bool, error: str = ""
) -> Response:
    markets = list_audiences(request.app.state.store, viewer.actor, kind="target_market")
    jalali = viewer.user.calendar == "jalali"
    if jalali:  # days are typed and shown in the viewer's calendar (`campaigns._day` reads both)
        form = {**form, **{k: _jalali_day(form.get(k)) for k in ("starts_on", "ends_on")}}
    return render(
        request,
        viewer,
        "marketing_campaign_form.html",
        status=400 if error else 200,
        form=form,
        editing=editing,
        markets=markets,
        jalali=jalali,
        error=error,
        sub="campaigns",
    )


def _jalali_day(value: Any) -> str:
    """A Gregorian ISO day as the Jalali 1405-01-15 (anything else, such as what a person typed, as is)."""
    text = str(value or "")
    try:
        day = date.fromisoformat(text)
    except ValueError:
        return text
    return jdatetime.date.fromgregorian(date=day).strftime("%Y-%m-%d") if day.year >= 1900 else text


@router.post("/marketing/campaigns", dependencies=[Depends(verify_csrf)])
async def save_campaign_page(request: Request, viewer: ViewerDep) -> Response:
    form = {k: v for k, v in (await request.form()).items() if isinstance(v, str)}
    try:
        key, warnings = save_campaign_form(request.app.state.store, viewer.actor, form)
    except InvalidInput as exc:
        locale = page_context(request, viewer)[0]
        return _form_page(
            request, viewer, form, editing=form.get("editing") == "1", error=import_reason(str(exc), locale)
        )
    query = "&".join(["saved=1", *(f"warn={w.key}" for w in warnings)])
    return RedirectResponse(f"/marketing/campaigns/{key}?{query}", status_code=303)


@router.get("/marketing/campaigns/{key}")
def campaign_page(request: Request, viewer: ViewerDep, key: str) -> Response:
    result = campaign_result(request.app.state.store, viewer.actor, key=key)
    fmt = wants(request)
    if fmt != "html":
        return table_response(fmt, _daily_rows(result), f"campaign-{key}")
    locale, calendar, _ = page_context(request, viewer)
    labels = {
        "before": _("Before the campaign"),
        "interval": _("Lift interval (average per day)"),
        "counterfactual": _("Counterfactual"),
        "actual": _("Actual"),
    }
    chart = campaign_chart(
        result,
        locale=locale,
        calendar=calendar,
        title=_("Daily revenue of the campaign's products"),
        labels=labels,
    )
    return render(
        request,
        viewer,
        "marketing_campaign.html",
        result=result,
        chart=chart,
        warnings=request.query_params.getlist("warn"),
        saved=request.query_params.get("saved") == "1",
        sub="campaigns",
    )
