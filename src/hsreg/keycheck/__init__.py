"""The key check: the database remembers which keys it was used with (keycheck.services)."""
