"""The inbox's settings and report pages: SLA policies and the SLA report, routing rules with a dry run,
assignment, and the outbound webhook integration."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import RedirectResponse, Response

from peyvand.services.access import InvalidInput, require
from peyvand.services.assignment import assignment_view, save_assignment_settings, set_agent
from peyvand.services.outbound import configure_outbound, outbound_status, remove_outbound
from peyvand.services.routing_rules import (
    RuleChangeResult,
    apply_rule_change,
    dry_run_rule_change,
    list_routing_rules,
    parse_rule,
)
from peyvand.services.sla_policies import delete_sla_policy, list_sla_policies, save_sla_policy
from peyvand.services.sla_report import GROUPINGS, sla_report
from peyvand.web.params import RowId, form_int
from peyvand.web.render import table_response, wants
from peyvand.web.security import Viewer, current_viewer, verify_csrf

router = APIRouter()
ViewerDep = Annotated[Viewer, Depends(current_viewer)]
Text = Annotated[str, Form()]
Maybe = Annotated[str | None, Form()]
CSRF = [Depends(verify_csrf)]
POLICY_FIELDS = (
    "name", "unit", "first_response_minutes", "next_response_minutes", "resolution_minutes",
    "escalate_after_minutes", "week", "thursday", "opens", "closes",
)  # fmt: skip
NEW_RULE = """id = "my-rule"
when = { feedback = ["interaction"], intent = ["complaint"] }
unit = "media"

[reason]
en = "…"
fa = "…"
"""


def _page(request: Request, viewer: Viewer, template: str, sub: str, **context: Any) -> Response:
    return request.app.state.renderer.page(request, template, viewer, nav="pr", sub=sub, **context)


# --- SLA --------------------------------------------------------------------------------------------


@router.get("/pr/settings/sla", include_in_schema=False)
def sla_settings_page(request: Request, viewer: ViewerDep) -> Response:
    policies = list_sla_policies(request.app.state.store, viewer.actor)
    fmt = wants(request)
    if fmt != "html":
        return table_response(fmt, [p.to_json() for p in policies], "sla-policies")
    return _page(request, viewer, "sla_settings.html", "sla", policies=policies)


@router.post("/pr/settings/sla", include_in_schema=False, dependencies=CSRF)
async def sla_save(request: Request, viewer: ViewerDep) -> Response:
    form = await request.form()
    fields: dict[str, Any] = {k: form.get(k) for k in POLICY_FIELDS if isinstance(form.get(k), str)}
    fields["iranian_holidays"] = form.get("iranian_holidays") == "on"
    fields["active"] = form.get("active") == "on"
    raw_id = form.get("policy_id")
    policy_id = form_int(raw_id if isinstance(raw_id, str) else None, name="the policy id") or None
    save_sla_policy(request.app.state.store, viewer.actor, policy_id=policy_id, **fields)
    return RedirectResponse("/pr/settings/sla", status_code=303)


@router.post("/pr/settings/sla/{policy_id}/delete", include_in_schema=False, dependencies=CSRF)
def sla_delete(request: Request, viewer: ViewerDep, policy_id: RowId) -> Response:
    delete_sla_policy(request.app.state.store, viewer.actor, policy_id=policy_id)
    return RedirectResponse("/pr/settings/sla", status_code=303)


@router.get("/pr/sla", include_in_schema=False)
def sla_report_page(request: Request, viewer: ViewerDep, by: str = "policy", days: int = 30) -> Response:
    if by not in GROUPINGS or days not in (7, 30, 90, 365):
        raise InvalidInput("choose policy, person or unit, and 7, 30, 90 or 365 days")
    report = sla_report(request.app.state.store, viewer.actor, days=days, by=by)
    fmt = wants(request)
    if fmt != "html":
        return table_response(fmt, [r.to_json() for r in report.rows], f"sla-report-{by}")
    return _page(request, viewer, "sla_report.html", "sla_report", report=report)


# --- routing rules ------------------------------------------------------------------------------------


@router.get("/pr/settings/rules", include_in_schema=False)
def rules_page(request: Request, viewer: ViewerDep, rule: str | None = None) -> Response:
    rules = list_routing_rules(request.app.state.store, viewer.actor)
    fmt = wants(request)
    if fmt != "html":
        return table_response(fmt, [r.to_json() for r in rules], "routing-rules")
    chosen = next((r for r in rules if r.id == rule), None)
    text = chosen.text if chosen else NEW_RULE
    return _page(
        request, viewer, "routing_rules.html", "rules", rules=rules, editing=chosen, text=text, result=None
    )


def _rule_change(form_rule: str, text: str, reset: str | None) -> tuple[str, dict[str, Any] | None]:
    if reset:
        return reset, None
    data = parse_rule(text)
    return str(form_rule or data["id"]), data


@router.post("/pr/settings/rules", include_in_schema=False, dependencies=CSRF)
def rules_change(
    request: Request,
    viewer: ViewerDep,
    text: Annotated[str, Form()] = "",
    rule_id: Annotated[str, Form()] = "",
    action: Annotated[str, Form()] = "dry_run",
    reset: Maybe = None,
    days: Annotated[int, Form()] = 30,
) -> Response:
    """Dry run (nothing saved) or apply a rule change; `reset` names a rule to put back to its default."""
    store, actor = request.app.state.store, viewer.actor
    require(actor, "workspace.admin")
    rule_id, rule = _rule_change(rule_id, text, reset)
    run = apply_rule_change if action == "apply" else dry_run_rule_change
    result: RuleChangeResult = run(store, actor, rule_id=rule_id, rule=rule, days=max(1, min(days, 365)))
    if wants(request) == "json":
        return table_response("json", [result.to_json()], "rule-change")
    rules = list_routing_rules(store, actor)
    chosen = next((r for r in rules if r.id == rule_id), None)
    return _page(
        request, viewer, "routing_rules.html", "rules", rules=rules, editing=chosen, text=text, result=result
    )


# --- assignment ----------------------------------------------------------------------------------------


@router.get("/pr/settings/assignment", include_in_schema=False)
def assignment_page(request: Request, viewer: ViewerDep) -> Response:
    view = assignment_view(request.app.state.store, viewer.actor)
    fmt = wants(request)
    if fmt != "html":
        return table_response(fmt, [a.to_json() for a in view.agents], "assignment")
    return _page(request, viewer, "assignment_settings.html", "assignment", view=view)


@router.post("/pr/settings/assignment", include_in_schema=False, dependencies=CSRF)
def assignment_save(
    request: Request,
    viewer: ViewerDep,
    strategy: Text,
    cap: Maybe = None,
    auto_assign: Maybe = None,
) -> Response:
    save_assignment_settings(
        request.app.state.store,
        viewer.actor,
        strategy=strategy,
        cap=form_int(cap, name="the cap (empty for no cap)", maximum=100_000),
        auto_assign=auto_assign == "on",
    )
    return RedirectResponse("/pr/settings/assignment", status_code=303)


@router.post("/pr/settings/assignment/agents/{user_id}", include_in_schema=False, dependencies=CSRF)
def assignment_agent(
    request: Request,
    viewer: ViewerDep,
    user_id: RowId,
    units: Annotated[list[str] | None, Form()] = None,
    in_rotation: Maybe = None,
) -> Response:
    set_agent(
        request.app.state.store,
        viewer.actor,
        user_id=user_id,
        units=units or [],
        in_rotation=in_rotation == "on",
    )
    return RedirectResponse("/pr/settings/assignment", status_code=303)


# --- outbound integration --------------------------------------------------------------------------------


@router.get("/pr/settings/outbound", include_in_schema=False)
def outbound_page(request: Request, viewer: ViewerDep) -> Response:
    status = outbound_status(request.app.state.store, viewer.actor)
    fmt = wants(request)
    if fmt != "html":
        return table_response(fmt, [d.to_json() for d in status.deliveries], "outbound-deliveries")
    return _page(request, viewer, "outbound_settings.html", "outbound", outbound=status, secret=None)


@router.post("/pr/settings/outbound", include_in_schema=False, dependencies=CSRF)
def outbound_configure(request: Request, viewer: ViewerDep, url: Text) -> Response:
    """Set up (or replace) the integration; the page shows the new secret this once and never again."""
    store = request.app.state.store
    secret = configure_outbound(store, viewer.actor, url=url)
    response = _page(
        request,
        viewer,
        "outbound_settings.html",
        "outbound",
        outbound=outbound_status(store, viewer.actor),
        secret=secret,
    )
    response.headers["Cache-Control"] = "no-store"
    return response


@router.post("/pr/settings/outbound/remove", include_in_schema=False, dependencies=CSRF)
def outbound_remove(request: Request, viewer: ViewerDep) -> Response:
    remove_outbound(request.app.state.store, viewer.actor)
    return RedirectResponse("/pr/settings/outbound", status_code=303)
