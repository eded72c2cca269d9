"""What a workspace needs to understand its items: the text analyzer for its brand (with the learned
models it uses), its routing rules and its time zone. Built once per ingest run or job, never at import
time.

Building a `TextAnalyzer` is cheap after the first time in a process: the lexicon and the text rules are
compiled once per process (`text.lexicon.load_lexicon`, `text.rules.default_text_rules`), and the
analyzer of a workspace is kept (`_ANALYZERS`) for as long as its brand profile and learned models stay
the same, so every ingest run, job and page after the first reuses it.
"""

from __future__ import annotations

import gc
import hashlib
import threading
from collections import OrderedDict
from dataclasses import dataclass, field
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.orm import Session
from threadpoolctl import threadpool_limits

from peyvand.domain.brand import BrandProfile
from peyvand.domain.routing import Rule, merge_rules
from peyvand.services.text_models import LoadedModels, load_workspace_models, queue_retraining_of_stale
from peyvand.services.workspaces import read_brand
from peyvand.storage.db import Store
from peyvand.storage.tables import RoutingRuleRecord, Workspace
from peyvand.text.enrich import TextAnalyzer
from peyvand.text.lexicon import load_lexicon
from peyvand.text.rules import default_text_rules

MAX_ANALYZERS = 32  # workspaces whose analyzer a process keeps (an agency's install hosts several)
_ANALYZERS: OrderedDict[tuple[Any, ...], TextAnalyzer] = OrderedDict()
_LOCK = threading.Lock()


def one_numeric_thread() -> None:
    """Run NumPy's and SciPy's linear algebra (OpenBLAS) on one thread in this process. Peyvand's matrices
    are small (a Granger test's design is 800 × 50), where BLAS threads cost far more than they give, and
    on a busy machine they spin against each other and the server's own threads: one brand-to-sales
    lead/lag took 3.4 s with two threads and 0.11 s with one (the exchange page's first load). A server
    runs requests side by side instead. Called by `peyvand serve`, `peyvand demo` and its build."""
    threadpool_limits(limits=1, user_api="blas")


def settle_long_running_process() -> None:
    """For a process that serves for long (`peyvand serve`, `peyvand demo`): linear algebra on one thread
    (`one_numeric_thread`); compile the shared lexicon and text rules now, then move everything alive into
    the garbage collector's permanent generation (`gc.freeze`). Items understood in batches stay alive
    until they are stored, so full collections come during ingest; frozen, they no longer walk the
    libraries, lexicons and rules every time (in the speed benchmark an unfrozen full collection cost a
    fifth of a batch's time). Not for tests or scripts: what is frozen is never collected."""
    one_numeric_thread()
    load_lexicon()
    default_text_rules()
    gc.collect()
    gc.freeze()


@dataclass(frozen=True)
class WorkspaceUnderstanding:
    workspace_id: int
    brand: BrandProfile
    analyzer: TextAnalyzer
    rules: tuple[Rule, ...]
    tz: ZoneInfo
    reaction_decisions: dict[tuple[Any, ...], dict[str, Any]] = field(default_factory=dict)
    stale_models: tuple[str, ...] = ()  # tasks whose stored model must be retrained (not loaded)


def workspace_rules(session: Session, workspace_id: int) -> tuple[Rule, ...]:
    overrides = session.scalars(
        select(RoutingRuleRecord.definition)
        .where(RoutingRuleRecord.workspace_id == workspace_id)
        .order_by(RoutingRuleRecord.id)
    )
    return merge_rules(list(overrides))


def analyzer_for(workspace_id: int, brand: BrandProfile, loaded: LoadedModels) -> TextAnalyzer:
    """The workspace's analyzer: the one this process built already while the brand profile and the
    learned models are the same, else a new one (which replaces it)."""
    fingerprint = hashlib.sha256(brand.model_dump_json().encode()).hexdigest()
    key = (workspace_id, fingerprint, loaded.key)
    with _LOCK:
        analyzer = _ANALYZERS.get(key)
        if analyzer is not None:
            _ANALYZERS.move_to_end(key)
            return analyzer
    analyzer = TextAnalyzer(brand, models=loaded.models)
    with _LOCK:
        for old in [k for k in _ANALYZERS if k[0] == workspace_id]:
            del _ANALYZERS[old]
        _ANALYZERS[key] = analyzer
        while len(_ANALYZERS) > MAX_ANALYZERS:
            _ANALYZERS.popitem(last=False)
    return analyzer


def load_understanding(session: Session, workspace_id: int) -> WorkspaceUnderstanding:
    brand = read_brand(session, workspace_id)
    ws = session.get(Workspace, workspace_id)
    assert ws is not None
    loaded = load_workspace_models(session, workspace_id)
    return WorkspaceUnderstanding(
        workspace_id=workspace_id,
        brand=brand,
        analyzer=analyzer_for(workspace_id, brand, loaded),
        rules=workspace_rules(session, workspace_id),
        tz=ZoneInfo(ws.timezone),
        stale_models=loaded.stale,
    )


def understanding_for(store: Store, workspace_id: int) -> WorkspaceUnderstanding:
    """`load_understanding` in its own read, then the retraining of any model another scikit-learn
    version wrote is queued (the built-in rules stand in for it until then)."""
    with store.read() as session:
        ctx = load_understanding(session, workspace_id)
    if ctx.stale_models:
        queue_retraining_of_stale(store, workspace_id, ctx.stale_models)
    return ctx
