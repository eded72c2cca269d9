"""Loops, target markets and segments on the marketing desk, and the exchange's brand-to-sales page.
Every table answers `?format=csv` and `?format=json`; the services decide who sees and does what."""

from __future__ import annotations

import io
import json
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Form, Request, UploadFile
from fastapi.responses import RedirectResponse, Response

from peyvand.analysis.loops import LoopReport
from peyvand.services.access import InvalidInput
from peyvand.services.audiences import list_audiences, save_audience
from peyvand.services.brand_sales import brand_sales
from peyvand.services.loop_import import import_loop_events_csv
from peyvand.services.loops import (
    apply_crisis_pauses,
    loop_report,
    loop_reports,
    pause_loop,
    resume_loop,
    set_crisis_safe,
)
from peyvand.web.charts_marketing import loop_chart
from peyvand.web.render import table_response, wants
from peyvand.web.routes.marketing import page_context, render, require_work
from peyvand.web.security import Viewer, current_viewer, verify_csrf

router = APIRouter(include_in_schema=False)
ViewerDep = Annotated[Viewer, Depends(current_viewer)]
CSRF = [Depends(verify_csrf)]
MAX_UPLOAD = 50 * 1024 * 1024


def _summary_row(report: LoopReport) -> dict[str, Any]:
    c = report.converted
    return {
        "loop": report.loop,
        "contacts": report.contacts,
        "converted": c.successes,
        "conversion_rate": c.rate,
        "rate_low": c.interval.low,
        "rate_high": c.interval.high,
        "conversion_value": report.conversion_value,
        "median_touches": report.touches.median,
        "km_median_touches": report.touches.km_median,
        "median_days": report.days.median,
    }


def _step_rows(report: LoopReport) -> list[dict[str, Any]]:
    rows = []
    for s in report.steps:
        row: dict[str, Any] = {
            "step": s.step,
            "position": s.position,
            "reached": s.reached,
            "in_progress": s.in_progress,
        }
        for name in ("opened", "clicked", "converted", "unsubscribed", "continued", "dropped"):
            share = getattr(s, name)
            row[name] = None if share is None else share.rate
            row[f"{name}_low"] = None if share is None else share.interval.low
            row[f"{name}_high"] = None if share is None else share.interval.high
        rows.append(row)
    return rows


@router.get("/marketing/loops")
def loops_page(request: Request, viewer: ViewerDep) -> Response:
    analyses = loop_reports(request.app.state.store, viewer.actor)
    fmt = wants(request)
    if fmt != "html":
        rows = [{**_summary_row(a.report), **a.loop.to_json()} for a in analyses]
        return table_response(fmt, rows, "loops")
    return render(request, viewer, "marketing_loops.html", analyses=analyses, sub="loops")


@router.get("/marketing/loops/{key}")
def loop_page(request: Request, viewer: ViewerDep, key: str) -> Response:
    analysis = loop_report(request.app.state.store, viewer.actor, key=key)
    fmt = wants(request)
    if fmt != "html":
        return table_response(fmt, _step_rows(analysis.report), f"loop-{key}")
    gettext = page_context(request, viewer)[2]
    labels = {
        "converters": gettext("Converters"),
        "km": gettext("Share converted (Kaplan–Meier)"),
        "touches": gettext("Touches"),
    }
    chart = loop_chart(analysis.report, labels=labels)
    return render(request, viewer, "marketing_loop.html", analysis=analysis, chart=chart, sub="loops")


@router.post("/marketing/loops/{key}/pause", dependencies=CSRF)
def pause(request: Request, viewer: ViewerDep, key: str, note: Annotated[str, Form()] = "") -> Response:
    pause_loop(request.app.state.store, viewer.actor, key=key, note=note)
    return RedirectResponse(f"/marketing/loops/{key}", status_code=303)


@router.post("/marketing/loops/{key}/resume", dependencies=CSRF)
def resume(request: Request, viewer: ViewerDep, key: str) -> Response:
    resume_loop(request.app.state.store, viewer.actor, key=key)
    return RedirectResponse(f"/marketing/loops/{key}", status_code=303)


@router.post("/marketing/loops/{key}/crisis-safe", dependencies=CSRF)
def crisis_safe(
    request: Request, viewer: ViewerDep, key: str, safe: Annotated[str, Form()] = "0"
) -> Response:
    set_crisis_safe(request.app.state.store, viewer.actor, key=key, crisis_safe=safe == "1")
    return RedirectResponse(f"/marketing/loops/{key}", status_code=303)


@router.post("/marketing/loops-crisis-check", dependencies=CSRF)
def crisis_check(request: Request, viewer: ViewerDep) -> Response:
    require_work(viewer.actor)
    changes = apply_crisis_pauses(request.app.state.store, viewer.actor)
    return RedirectResponse(f"/marketing/loops?changed={len(changes)}", status_code=303)


@router.post("/marketing/loops-import", dependencies=CSRF)
async def import_events(request: Request, viewer: ViewerDep, file: UploadFile) -> Response:
    require_work(viewer.actor)
    data = await file.read(MAX_UPLOAD + 1)
    if len(data) > MAX_UPLOAD:
        raise InvalidInput("the file is larger than 50 MB; use `peyvand loops import` instead")
    text = io.StringIO(data.decode("utf-8-sig", errors="replace"))
    result = import_loop_events_csv(request.app.state.store, viewer.actor, text)
    analyses = loop_reports(request.app.state.store, viewer.actor)  # the page, with the import's outcome
    return render(request, viewer, "marketing_loops.html", analyses=analyses, imported=result, sub="loops")


@router.get("/marketing/markets")
def markets_page(request: Request, viewer: ViewerDep) -> Response:
    audiences = list_audiences(request.app.state.store, viewer.actor)
    fmt = wants(request)
    if fmt != "html":
        return table_response(fmt, [a.to_json() for a in audiences], "target-markets-and-segments")
    return render(request, viewer, "marketing_markets.html", audiences=audiences, sub="markets")


@router.post("/marketing/markets", dependencies=CSRF)
def save_market(
    request: Request,
    viewer: ViewerDep,
    kind: Annotated[str, Form()],
    key: Annotated[str, Form()],
    name: Annotated[str, Form()],
    dims: Annotated[str, Form()],
    name_en: Annotated[str, Form()] = "",
    description: Annotated[str, Form()] = "",
) -> Response:
    try:
        parsed = json.loads(dims)
    except json.JSONDecodeError as exc:
        raise InvalidInput(f'the filter must be JSON, e.g. {{"city": ["tehran"]}} ({exc.msg})') from None
    data = {
        "kind": kind,
        "key": key.strip(),
        "name": name.strip(),
        "name_en": name_en.strip() or None,
        "description": description.strip() or None,
        "dims": parsed,
    }
    save_audience(request.app.state.store, viewer.actor, data)
    return RedirectResponse("/marketing/markets?saved=1", status_code=303)


@router.get("/exchange/brand-sales")
def brand_sales_page(
    request: Request, viewer: ViewerDep, brand: str = "net_sentiment", sales: str = "orders"
) -> Response:
    view = brand_sales(request.app.state.store, viewer.actor, brand=brand, sales=sales)
    fmt = wants(request)
    if fmt == "json":
        return table_response(fmt, [{**view.to_json(), "lags": view.rows()}], "brand-sales")
    if fmt == "csv":
        return table_response(fmt, view.rows(), "brand-sales-lags")
    return request.app.state.renderer.page(
        request, "exchange_brand_sales.html", viewer, view=view, nav="exchange"
    )
