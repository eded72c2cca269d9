"""Use cases. One verb-named function each, owning one transaction; access is checked here."""
