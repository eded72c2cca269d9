"""Input formats. Each module parses one format into canonical items (DESIGN §4) and never touches the DB."""
