"""Conversions between option text and Python values."""

BOOLEAN_STATES = {
    "1": True, "yes": True, "true": True, "on": True,
    "0": False, "no": False, "false": False, "off": False,
}


def to_boolean(text):
    """``yes/no``, ``on/off``, ``true/false`` and ``1/0``, in any letter case."""
    key = text.strip().lower()
    if key not in BOOLEAN_STATES:
        raise ValueError(f"not a boolean: {text!r}")
    return BOOLEAN_STATES[key]


def to_int(text):
    """A decimal integer, optionally signed; underscores between digits are allowed."""
    stripped = text.strip()
    if not stripped:
        raise ValueError("empty value")
    return int(stripped, 10)


def to_float(text):
    stripped = text.strip()
    if not stripped:
        raise ValueError("empty value")
    return float(stripped)


def to_list(text, sep=","):
    """Split ``text`` into items.

    Lines are items of their own and each line is split on ``sep``; with ``sep=None`` any
    whitespace separates items. Items are stripped and empty items are dropped, so
    ``"a, b,,c,"`` gives ``["a", "b", "c"]``.
    """
    if sep is None:
        return text.split()
    if not sep:
        raise ValueError("empty separator")
    items = []
    for line in text.splitlines():
        items.extend(item.strip() for item in line.split(sep) if item.strip())
    return items


def to_text(value):
    """The text stored for a value given to ``Config.set``."""
    if isinstance(value, str):
        return value
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return repr(value) if isinstance(value, float) else str(value)
    raise TypeError(f"option values must be str, bool, int or float, not {type(value).__name__}")
