"""Data for the text-understanding product tests: items to ingest and labelled texts whose learned model
clearly beats the built-in rules (made-up words the lexicon does not know) or clearly does not (labels
that are the built-in rules' own output)."""

from __future__ import annotations

import io
from typing import Any

from sqlalchemy import select

from peyvand.domain.brand import BrandProfile
from peyvand.domain.items import Author
from peyvand.services.access import Actor
from peyvand.storage.db import Store
from peyvand.storage.tables import Item
from peyvand.text.enrich import TextAnalyzer, TextInput
from web_data import ingest_objects

WORDS = ("باران", "کوه", "دریا", "شهر", "کتاب", "گل", "سیب", "river", "lamp", "chair", "cloud", "stone")


def message(i: int, text: str, *, handle: str | None = None, kind: str = "direct_message") -> dict[str, Any]:
    return {
        "id": f"m{i}",
        "source": "telegram",
        "kind": kind,
        "created_at": f"2026-03-{1 + i % 28:02d}T10:{i % 60:02d}:00Z",
        "text": text,
        "author": {"handle": handle or f"person{i}"},
    }


def ingest_messages(store: Store, actor: Actor, texts: list[str]) -> dict[str, int]:
    """Ingest one Telegram message per text; returns the item id of each external id (m0, m1, …)."""
    ingest_objects(store, actor, *(message(i, t) for i, t in enumerate(texts)))
    with store.read() as session:
        rows = session.execute(
            select(Item.external_id, Item.id).where(Item.workspace_id == actor.workspace_id)
        ).all()
    return {str(external): int(item_id) for external, item_id in rows}


def made_up_labels(task: str = "intent", per_class: int = 10) -> list[tuple[int, dict[str, str]]]:
    """Texts in made-up words, one word per class: the built-in rules cannot tell them apart, a learned
    model can. For intent: «زورک» messages are press inquiries, «بلیپ» ones are "other"."""
    classes = {"intent": ("press_inquiry", "other"), "sentiment": ("positive", "negative")}[task]
    rows = []
    for i in range(per_class):
        for word, label in zip(("زورک", "بلیپ"), classes, strict=True):
            text = f"{word} {word} {word} {WORDS[i % len(WORDS)]} {i}"
            rows.append((len(rows) + 2, {"text": text, "label": label}))
    return rows


PLAIN = [
    "خیلی عالی بود ممنون", "چای سبزتون فوق‌العاده است", "واقعا خوشمزه بود", "great tea, love it",
    "excellent service, thank you", "بسیار خوب و تازه بود", "the best tea I have had",
    "عالیه دستتون درد نکنه", "خیلی بد بود", "افتضاح بود اصلا راضی نیستم", "terrible, never again",
    "the worst order ever", "سفارشم خراب رسید، خیلی بده", "awful taste, very disappointed",
    "کیفیتش واقعا بد بود", "horrible experience",
]  # fmt: skip


def builtin_labels(brand: BrandProfile) -> list[tuple[int, dict[str, str]]]:
    """Plain Persian and English sentiment, labelled with what the built-in scorer says (it scores 1.0)."""
    texts = [t + end for t in PLAIN for end in ("", "!")]
    enriched = TextAnalyzer(brand).enrich_many([TextInput(t, Author(), "import", "post") for t in texts])
    return [
        (i + 2, {"text": t, "label": e.sentiment})
        for i, (t, e) in enumerate(zip(texts, enriched, strict=True))
    ]


def csv_text(rows: list[dict[str, str]], columns: tuple[str, ...]) -> io.StringIO:
    lines = [",".join(columns)] + [",".join(r.get(c, "") for c in columns) for r in rows]
    return io.StringIO("\n".join(lines) + "\n")
