"""The web app factory: `create_app(settings)` builds everything; nothing is created at import time."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from functools import partial
from importlib import resources
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

from fastapi import Depends, FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import FileResponse, JSONResponse, RedirectResponse, Response
from fastapi.staticfiles import StaticFiles
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.middleware.sessions import SessionMiddleware

from peyvand.jobs.handlers import HANDLERS, URGENT
from peyvand.jobs.queue import Worker
from peyvand.services.access import AccessDenied, InvalidInput, NotFound
from peyvand.services.jobs import prune_jobs
from peyvand.services.personal_data import apply_retention_everywhere
from peyvand.settings import Settings, secret_keys
from peyvand.storage.db import Store
from peyvand.web.api_setup import install_ingest_api
from peyvand.web.params import refuse_nul_characters
from peyvand.web.render import Renderer
from peyvand.web.routes import (
    account,
    auth,
    desks,
    help_pages,
    inbox,
    inbox_settings,
    loops,
    marketing,
    members,
    pr_spread,
    privacy,
    reputation,
)
from peyvand.web.routes.text_settings import router as text_router
from peyvand.web.security import LoginRequired, PasswordChangeRequired, SecurityHeaders, session_secret

log = logging.getLogger("peyvand.web")


def plotly_js_path() -> Path:
    """Plotly's browser bundle, served from where the plotly package installed it (no CDN, no copy)."""
    import plotly

    return Path(plotly.__file__).parent / "package_data" / "plotly.min.js"


def invalid_fields(exc: RequestValidationError) -> str:
    """Which fields were wrong, without echoing what was sent (the page names them; the validator's
    English explanation is for the API's JSON answer)."""
    names = []
    for error in exc.errors():
        where = [str(p) for p in error.get("loc", ()) if p not in ("body", "query", "path")]
        names.append(".".join(where) or "request")
    return ", ".join(dict.fromkeys(names))


def api_validation_answer(exc: RequestValidationError) -> dict[str, object]:
    """The API's answer to a request value of the wrong type: `detail` a sentence, as every API error
    has (docs/api.md), and `errors` the fields with what is wrong (never the value sent)."""
    errors = []
    for error in exc.errors():
        where = ".".join(str(p) for p in error.get("loc", ()) if p not in ("body", "query", "path", "header"))
        errors.append({"field": where or "request", "reason": str(error.get("msg", "invalid"))})
    detail = "; ".join(f"{e['field']}: {e['reason']}" for e in errors) or "the request could not be read"
    return {"detail": detail, "errors": errors}


def maintain(store: Store, settings: Settings) -> None:
    """The worker's hourly maintenance: remove old finished jobs, then apply every workspace's retention
    of messages and authors (`peyvand.services.personal_data`), even when the first fails."""
    try:
        prune_jobs(store, retention_days=settings.job_retention_days)
    finally:
        apply_retention_everywhere(store)


def _sign_in_handlers(app: FastAPI) -> None:
    """Where a page sends a person who must sign in, or must first choose their own password."""

    @app.exception_handler(LoginRequired)
    async def _login(request: Request, _exc: LoginRequired) -> Response:
        target = request.url.path + (f"?{request.url.query}" if request.url.query else "")
        return RedirectResponse("/login?" + urlencode({"next": target}), status_code=303)

    @app.exception_handler(PasswordChangeRequired)
    async def _choose_password(_request: Request, _exc: PasswordChangeRequired) -> Response:
        return RedirectResponse("/account?must_change=1", status_code=303)


def _error_handlers(app: FastAPI) -> None:
    async def _page(request: Request, status: int, message: str, *, detail: bool = True) -> Response:
        renderer: Renderer = request.app.state.renderer
        return renderer.error(request, status, message, detail=detail)

    @app.exception_handler(AccessDenied)
    async def _denied(request: Request, exc: AccessDenied) -> Response:
        return await _page(request, 403, str(exc), detail=False)

    @app.exception_handler(NotFound)
    async def _missing(request: Request, exc: NotFound) -> Response:
        return await _page(request, 404, str(exc), detail=False)

    @app.exception_handler(InvalidInput)
    async def _invalid(request: Request, exc: InvalidInput) -> Response:
        return await _page(request, 400, str(exc))

    @app.exception_handler(RequestValidationError)
    async def _unreadable(request: Request, exc: RequestValidationError) -> Response:
        """A page's form or query value of the wrong type or out of range: a page naming the fields (the
        API keeps FastAPI's JSON answer, which its clients read)."""
        if request.url.path.startswith("/api/"):
            return JSONResponse(api_validation_answer(exc), status_code=422)
        return await _page(request, 422, invalid_fields(exc))

    @app.exception_handler(StarletteHTTPException)  # the router's 404 and 405 too, not only the routes'
    async def _http(request: Request, exc: StarletteHTTPException) -> Response:
        if request.url.path.startswith("/api/"):
            return JSONResponse({"detail": exc.detail}, status_code=exc.status_code, headers=exc.headers)
        return await _page(
            request, exc.status_code, str(exc.detail), detail=exc.status_code not in (404, 405)
        )


def create_app(
    settings: Settings, *, store: Store | None = None, start_worker: bool | None = None
) -> FastAPI:
    secret_key, old_secret_keys = secret_keys(settings)
    if store is None:
        store = Store.from_url(settings.database_url, secret_key=secret_key, old_secret_keys=old_secret_keys)
    elif secret_key or old_secret_keys:
        store.use_secret_keys(secret_key, old_secret_keys)
    if secret_key is None:
        log.warning(
            "PEYVAND_SECRET_KEY is not set: the key that encrypts stored webhook secrets is kept in the "
            "database itself, so a copy of the database can decrypt them (docs/settings.md)"
        )
    run_worker = settings.worker_enabled if start_worker is None else start_worker

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        worker = (
            Worker(
                store,
                HANDLERS,
                poll_seconds=settings.worker_poll_seconds,
                maintenance=partial(maintain, store, settings),
                urgent=URGENT,
            )
            if run_worker
            else None
        )
        if worker:
            worker.start()
        yield
        if worker:
            worker.stop()

    app = FastAPI(
        title="Peyvand",
        lifespan=lifespan,
        docs_url="/api/docs",
        openapi_url="/api/openapi.json",
        dependencies=[Depends(refuse_nul_characters)],
    )
    app.state.settings, app.state.store = settings, store
    app.state.renderer = Renderer(settings)
    secret = session_secret(store, secret_key)
    app.add_middleware(
        SessionMiddleware,
        secret_key=secret,
        session_cookie="peyvand_session",
        max_age=settings.session_max_age,
        same_site="lax",
        https_only=settings.secure_cookies,
    )
    app.add_middleware(SecurityHeaders)  # outermost: error answers get the headers too
    static = resources.files("peyvand.web").joinpath("static")
    app.mount("/static", StaticFiles(directory=str(static)), name="static")

    @app.get("/vendor/plotly.min.js", include_in_schema=False)
    def plotly_js() -> FileResponse:
        return FileResponse(
            plotly_js_path(),
            media_type="text/javascript",
            headers={"Cache-Control": "public, max-age=604800"},
        )

    _sign_in_handlers(app)
    _error_handlers(app)
    install_ingest_api(app, settings, store)  # /api/v1 items, webhooks, size limit, /imports, /integrations
    modules = (
        auth,
        account,
        members,
        privacy,
        desks,
        inbox,
        inbox_settings,
        reputation,
        pr_spread,
        marketing,
        loops,
        help_pages,
    )
    for module in modules:
        app.include_router(module.router)
    app.include_router(text_router)  # /pr/settings/text, /pr/labels
    return app


def app_from_environment() -> Any:
    """For `uvicorn --factory peyvand.web.app:app_from_environment`."""
    from peyvand.settings import load_settings

    return create_app(load_settings())
