"""What text understanding costs inside the product: building a workspace's analyzer, and understanding
items one at a time against in batches (as ingest now does), with and without learned models.

    python benchmarks/text_pipeline.py [--messages 2000]

1. Analyzer build, CPU seconds: the first `TextAnalyzer` of a fresh process (it compiles the lexicon and
   the text rules), a second one for the same brand (only the brand's names are compiled), and a third
   through `services.understanding.analyzer_for` (the workspace's analyzer, kept by the process).
2. Understanding the demo's Persian and English messages, CPU seconds per message: `understand` one by
   one (the baseline: what ingest did) against `understand_many` in batches of 500, with the built-in
   rules, then with learned sentiment, intent and audience models trained on the demo's labels.
Needs nothing from ../shared (the demo scenario is generated).
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import time
import tomllib

BUILD = """
import time, tomllib
from peyvand.demo.brands import DARCHEH_TOML
from peyvand.domain.brand import parse_brand
brand = parse_brand(tomllib.loads(DARCHEH_TOML))
from peyvand.text.enrich import TextAnalyzer
from peyvand.services.text_models import NO_MODELS
from peyvand.services.understanding import analyzer_for
def cpu(f):
    t = time.process_time(); f(); return time.process_time() - t
first = cpu(lambda: TextAnalyzer(brand))
second = min(cpu(lambda: TextAnalyzer(brand)) for _ in range(5))
analyzer_for(1, brand, NO_MODELS)
cached = min(cpu(lambda: analyzer_for(1, brand, NO_MODELS)) for _ in range(5))
print(first, second, cached)
"""


def analyzer_build() -> None:
    out = subprocess.run([sys.executable, "-c", BUILD], check=True, capture_output=True, text=True)
    first, second, cached = (float(x) for x in out.stdout.split())
    print("analyzer build, CPU seconds (darcheh brand):")
    print(f"  first in a process (lexicon and rules compiled) : {first:7.3f}")
    print(f"  another for the same brand                      : {second:7.3f}")
    print(f"  the workspace's, kept by the process             : {cached:7.4f}")


def _messages(n: int) -> tuple[list[object], list[dict[str, str]], object]:
    from peyvand.demo import build_scenario
    from peyvand.domain.brand import parse_brand
    from peyvand.domain.items import TextItem, parse_item

    ws = build_scenario(scale=1.0).workspaces[0]
    items: list[object] = []
    labels: list[dict[str, str]] = []
    for raw in ws.items(labels=True):
        if raw.get("kind") in ("metric", "event") or len(items) >= n:
            break
        item = parse_item({k: v for k, v in raw.items() if k != "demo_labels"})
        if isinstance(item, TextItem) and isinstance(raw.get("demo_labels"), dict):
            items.append(item)
            labels.append(raw["demo_labels"])  # type: ignore[arg-type]
    return items, labels, parse_brand(tomllib.loads(ws.brand_toml))


def _per_message(items: list[object], analyzer: object) -> tuple[float, float]:
    from peyvand.text.understand import understand, understand_many

    understand_many(items, analyzer)  # type: ignore[arg-type]  # warm: lingua's models load on first use
    start = time.process_time()
    single = [understand(i, analyzer) for i in items]  # type: ignore[arg-type]
    one = (time.process_time() - start) / len(items)
    start = time.process_time()
    batched = [u for k in range(0, len(items), 500) for u in understand_many(items[k : k + 500], analyzer)]  # type: ignore[arg-type]
    many = (time.process_time() - start) / len(items)
    assert [u.contract("x") for u in single] == [u.contract("x") for u in batched]  # same results
    return one, many


def _models(items: list[object], labels: list[dict[str, str]]) -> object:
    """Learned models fitted on the messages' demo labels (no cross-validation: only their speed matters)."""
    from threadpoolctl import threadpool_limits

    from peyvand.text.enrich import LearnedModels, audience_text
    from peyvand.text.features import build_pipeline
    from peyvand.text.learned import Quality, TextClassifier

    def fit(task: str, texts: list[str]) -> TextClassifier:
        y = [lab[task] for lab in labels]
        quality = Quality(0.0, 0.0, None, len(y), {}, 0)
        return TextClassifier(task, tuple(sorted(set(y))), build_pipeline(task).fit(texts, y), quality)

    texts = [i.text for i in items]  # type: ignore[attr-defined]
    bios = [audience_text(i.text, i.author) for i in items]  # type: ignore[attr-defined]
    with threadpool_limits(limits=1):
        return LearnedModels(fit("sentiment", texts), fit("intent", texts), fit("audience", bios))


def understanding(n: int) -> None:
    from peyvand.text.enrich import TextAnalyzer

    items, labels, brand = _messages(n)
    print(f"understanding {len(items):,} demo messages (Persian and English), CPU ms per message:")
    print("  models          one by one (baseline)   batches of 500   ratio (speed-up)")
    for name, models in (("built-in rules", None), ("learned models", _models(items, labels))):
        one, many = _per_message(items, TextAnalyzer(brand, models=models))  # type: ignore[arg-type]
        print(f"  {name:15s} {one * 1000:20.3f}   {many * 1000:14.3f}   {one / many:6.2f}")


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--messages", type=int, default=2000)
    args = parser.parse_args()
    analyzer_build()
    understanding(args.messages)


if __name__ == "__main__":
    main()
