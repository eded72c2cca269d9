"""Storage: engine, tables, queries and migrations (Alembic, inside the package)."""
