"""Pure rules and value types of Peyvand (no I/O)."""
