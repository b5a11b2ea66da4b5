"""How deck content is quoted inside diagnostic messages.

A deck's YAML can hold values whose full ``repr()`` is huge (a long list, an integer of
thousands of digits, a structure an alias repeats) or impossible (Python refuses to
print an integer of more than 4,300 digits). :func:`quoted` writes a value only up to
:data:`LIMIT` characters, and never builds more of it than that.
"""

from __future__ import annotations

#: longest quoted value; a message must fit on a terminal line or two
LIMIT = 60
#: integers with more bits than this are described by their length, not written out
_BIG_INT_BITS = 200


class _Full(Exception):
    """The quote reached :data:`LIMIT`."""


class _Writer:
    def __init__(self, limit: int) -> None:
        self.parts: list[str] = []
        self.left = limit

    def put(self, text: str) -> None:
        if len(text) > self.left:
            self.parts.append(text[: self.left])
            self.left = 0
            raise _Full
        self.parts.append(text)
        self.left -= len(text)

    def value(self, value: object) -> None:
        if isinstance(value, bool) or value is None or isinstance(value, float):
            self.put(repr(value))
        elif isinstance(value, int):
            self.put(_int(value))
        elif isinstance(value, str | bytes):
            # the quotes of a prefix's repr are as good as the whole one's
            self.put(repr(value[: self.left + 1]))
        elif isinstance(value, list | tuple | set | frozenset):
            brackets = {list: "[]", tuple: "()"}.get(type(value), "{}")
            opening, closing = brackets[0], brackets[1]
            self.put(opening)
            for index, item in enumerate(value):
                if index:
                    self.put(", ")
                self.value(item)
            if isinstance(value, tuple) and len(value) == 1:
                self.put(",")
            self.put(closing)
        elif isinstance(value, dict):
            self.put("{")
            for index, (key, item) in enumerate(value.items()):
                if index:
                    self.put(", ")
                self.value(key)
                self.put(": ")
                self.value(item)
            self.put("}")
        else:
            self.put(repr(value)[: self.left + 1])


def _int(value: int) -> str:
    if value.bit_length() <= _BIG_INT_BITS:
        return repr(value)
    try:
        digits = len(str(abs(value)))
    except ValueError:  # past Python's limit on int → str conversion
        return "a number of more than 4,300 digits"
    return f"a {digits:,}-digit number"


def quoted(value: object) -> str:
    """``repr(value)``, cut to :data:`LIMIT` characters with an ellipsis; a huge integer
    is described by its number of digits."""
    writer = _Writer(LIMIT)
    try:
        writer.value(value)
    except (_Full, RecursionError):
        text = "".join(writer.parts)
        return text[: LIMIT - 1] + "…"
    return "".join(writer.parts)
