"""Text understanding's tables: a workspace's training labels and its learned models.

A **label** says what one text means for one task (sentiment, intent or audience): the text of a stored
item (`item_id`) or a free text (`text`, from an imported CSV), who gave it, when, and through which path
(`override`: a person corrected an item; `page`: the labelling page; `csv`: an imported file). `key` is
"item:<id>" or "text:<sha256>" so each item or text has one label per task (a later one replaces it).

A **text model** is the latest training of one task: its cross-validated macro-F1 beside the built-in
rules' on the same labels, whether the learned model is used (`in_use`) and why (`reason`), the model
itself (`model`, the bytes `TextClassifier.to_bytes` writes; only kept when it is used) and the library
versions it was trained with (a model from another scikit-learn version is retrained, never unpickled).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import Boolean, Float, ForeignKey, Index, Integer, LargeBinary, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from peyvand.storage.tables import Base

LABEL_SOURCES = ("override", "page", "csv")


class TextLabel(Base):
    __tablename__ = "text_labels"
    __table_args__ = (
        UniqueConstraint("workspace_id", "task", "key"),
        Index(None, "workspace_id", "task", "updated_at"),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    workspace_id: Mapped[int] = mapped_column(ForeignKey("workspaces.id", ondelete="CASCADE"), index=True)
    task: Mapped[str] = mapped_column(String(16))
    key: Mapped[str] = mapped_column(String(80))
    item_id: Mapped[int | None] = mapped_column(ForeignKey("items.id", ondelete="CASCADE"), index=True)
    text: Mapped[str | None] = mapped_column(Text)
    label: Mapped[str] = mapped_column(String(32))
    source: Mapped[str] = mapped_column(String(16))
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime]
    updated_at: Mapped[datetime]


class TextModel(Base):
    __tablename__ = "text_models"
    __table_args__ = (UniqueConstraint("workspace_id", "task"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    workspace_id: Mapped[int] = mapped_column(ForeignKey("workspaces.id", ondelete="CASCADE"), index=True)
    task: Mapped[str] = mapped_column(String(16))
    in_use: Mapped[bool] = mapped_column(Boolean, default=False)
    reason: Mapped[str] = mapped_column(Text, default="")
    learned_macro_f1: Mapped[float | None] = mapped_column(Float)
    builtin_macro_f1: Mapped[float | None] = mapped_column(Float)
    cv_accuracy: Mapped[float | None] = mapped_column(Float)
    n_labels: Mapped[int] = mapped_column(Integer, default=0)
    per_class: Mapped[dict[str, Any]] = mapped_column(default=dict)
    versions: Mapped[dict[str, Any]] = mapped_column(default=dict)
    model: Mapped[bytes | None] = mapped_column(LargeBinary)
    trained_at: Mapped[datetime]
    seconds: Mapped[float | None] = mapped_column(Float)
