"""The whole schema: `tables` plus every feature's `tables_<feature>` module, collected in one metadata.

Features keep their tables in their own module (`storage/tables_<feature>.py`, declared on `tables.Base`),
so the migrations, the drift test and the app always see every table without a central list to edit.
"""

from __future__ import annotations

import importlib
import pkgutil

from sqlalchemy import MetaData

import peyvand.storage as storage_package
from peyvand.storage.tables import Base


def load_table_modules() -> list[str]:
    names = sorted(
        m.name for m in pkgutil.iter_modules(storage_package.__path__) if m.name.startswith("tables_")
    )
    for name in names:
        importlib.import_module(f"peyvand.storage.{name}")
    return names


def metadata() -> MetaData:
    load_table_modules()
    return Base.metadata
