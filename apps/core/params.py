"""Reading ids from query strings and forms."""


def is_id(value) -> bool:
    """A positive decimal id. `str.isdigit` alone also accepts "²" and other Unicode digits,
    which `int()` refuses."""
    text = str(value)
    return text.isascii() and text.isdigit()
