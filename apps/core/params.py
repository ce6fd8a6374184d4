"""Reading ids from query strings and forms."""

# The largest id a 64-bit primary key holds. A longer number is no row's id; SQLite raises
# OverflowError on it in an IN list instead of finding nothing.
MAX_ID = 2**63 - 1


def is_id(value) -> bool:
    """A positive decimal id a primary key can hold. `str.isdigit` alone also accepts "²" and
    other Unicode digits, which `int()` refuses."""
    text = str(value)
    return text.isascii() and text.isdigit() and int(text) <= MAX_ID
