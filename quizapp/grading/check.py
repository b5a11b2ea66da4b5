"""Checking a typed answer against the reference model's answer.

A typed answer is a number (``1,182,720``, ``1_182_720``, ``1 182 720``, ``1.18e6``) or
an arithmetic expression (``3*(64*32+64*64+2*64)``), read by a small walker over
Python's ``ast`` that knows only numbers, ``+ - * / // % **`` and parentheses. Nothing
typed is ever executed, and every bound (length, node count, exponent, magnitude) is
checked before the work it guards, so the worst input costs well under a millisecond.

Arithmetic is exact (:class:`fractions.Fraction`): ``3*(64*32+64*64+2*64)`` is the
integer 18,816, not a float near it, and ``1.18272e6`` is exactly 1,182,720.
"""

from __future__ import annotations

import ast
import itertools
import math
import re
import unicodedata
import warnings
from dataclasses import dataclass
from fractions import Fraction
from typing import Literal

from quizapp.deckfile.units import expand_units
from quizapp.grading.formulas import Answer

Status = Literal["correct", "wrong", "partial", "invalid"]
PartStatus = Literal["correct", "wrong", "invalid"]

#: Longest answer read at all; a count or an expression for it is far shorter.
MAX_CHARS = 200
#: Most AST nodes an expression may have.
MAX_NODES = 80
#: Largest magnitude of any intermediate value (and of any denominator).
MAX_MAGNITUDE = 10**30
#: Most bits a power's result may have, estimated before it is computed.
MAX_POWER_BITS = 110
#: Slack on top of the tolerance for the binary rounding of the reference value.
_EPSILON = 1e-9

# Symbols people type for the operators the reader knows.
_SYMBOLS = str.maketrans(
    {"×": "*", "·": "*", "⋅": "*", "∗": "*", "÷": "/", "−": "-", "–": "-", "^": "**"}
)
# Digit groups of three after a separator: 1,182,720 / 1 182 720 / 1_182_720 / 1'182'720.
_GROUPED = re.compile(r"(?<![\d.])\d{1,3}(?:(?P<sep>[,_ '])\d{3})(?:(?P=sep)\d{3})*(?![\d_])")
_LABEL = re.compile(r"(?<![\w.])([A-Za-z_]\w*)\s*[:=]")
_OPS = (ast.Add, ast.Sub, ast.Mult, ast.Div, ast.FloorDiv, ast.Mod, ast.Pow)


@dataclass(frozen=True)
class PartResult:
    """How one number of an answer fared (``answer`` for single-number answers)."""

    name: str
    status: PartStatus
    #: what the user typed for this part
    typed: str
    #: the number it evaluates to, or None if it is not one
    value: int | float | None
    truth: int | float
    message: str


@dataclass(frozen=True)
class Verdict:
    """The outcome of checking an answer; ``message`` is for the user."""

    status: Status
    message: str
    details: tuple[PartResult, ...] = ()

    @property
    def correct(self) -> bool:
        """True when every part is right."""
        return self.status == "correct"


class NotANumber(ValueError):
    """The typed text is not a number; ``str()`` says why, for the user."""


# --- reading a number ---------------------------------------------------------------------


def _normalize(text: str) -> str:
    """Full-width digits, typographic operators and digit-group separators made plain,
    unit suffixes (``7.24B``, ``2 GiB``) written as products."""
    text = unicodedata.normalize("NFKC", text).translate(_SYMBOLS).strip()

    def ungroup(match: re.Match[str]) -> str:
        return match.group(0).replace(match.group("sep"), "")

    return expand_units(_GROUPED.sub(ungroup, text))


def _power(base: Fraction, exponent: Fraction) -> Fraction:
    if exponent.denominator != 1:
        if base < 0:
            raise NotANumber("a negative number to a fractional power is not a real number")
        if abs(exponent) > 64 or abs(base) > MAX_MAGNITUDE:
            raise NotANumber("the power is too large")
        # float overflow raises OverflowError, which read_number reports as too large
        return Fraction(float(base) ** float(exponent))
    if base in (0, 1, -1):
        if base == 0 and exponent < 0:
            raise NotANumber("division by zero")
        # cheap for any exponent: squaring 0, 1 or -1 never grows
        return base ** int(exponent)
    bits = max(base.numerator.bit_length(), base.denominator.bit_length()) - 1
    if abs(exponent) * max(bits, 1) > MAX_POWER_BITS:
        raise NotANumber("the number is too large")
    return base ** int(exponent)


def _evaluate(node: ast.AST) -> Fraction:
    if isinstance(node, ast.Expression):
        return _evaluate(node.body)
    if isinstance(node, ast.Constant):
        value = node.value
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise NotANumber("only numbers and + − * / // % ** ( ) can be used")
        if isinstance(value, float) and not math.isfinite(value):
            raise NotANumber("the number is too large")
        # a float's shortest decimal that reads back as it: 0.1 is 1/10, not
        # 0.1000000000000000055…
        number = Fraction(repr(value)) if isinstance(value, float) else Fraction(value)
        if abs(number) > MAX_MAGNITUDE:
            raise NotANumber("the number is too large")
        return number
    if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.UAdd | ast.USub):
        operand = _evaluate(node.operand)
        return -operand if isinstance(node.op, ast.USub) else operand
    if isinstance(node, ast.BinOp) and isinstance(node.op, _OPS):
        left, right = _evaluate(node.left), _evaluate(node.right)
        op = node.op
        result: Fraction
        if isinstance(op, ast.Add):
            result = left + right
        elif isinstance(op, ast.Sub):
            result = left - right
        elif isinstance(op, ast.Mult):
            result = left * right
        elif isinstance(op, ast.Pow):
            result = _power(left, right)
        elif right == 0:
            raise NotANumber("division by zero")
        elif isinstance(op, ast.Div):
            result = left / right
        elif isinstance(op, ast.FloorDiv):
            result = Fraction(left // right)
        else:
            result = left % right
        if abs(result) > MAX_MAGNITUDE or result.denominator > MAX_MAGNITUDE:
            raise NotANumber("the number is too large")
        return result
    if isinstance(node, ast.Name):
        raise NotANumber(f"{node.id!r} is a name, not a number")
    if isinstance(node, ast.Call):
        raise NotANumber("function calls are not allowed")
    if isinstance(node, ast.Tuple):
        raise NotANumber("commas may only separate groups of three digits (1,182,720)")
    raise NotANumber("only numbers and + − * / // % ** ( ) can be used")


def _syntax_problem(text: str, typed: str) -> str:
    """What keeps ``text`` from being read, said so the user can fix it."""
    unclosed = text.count("(") - text.count(")")
    if unclosed > 0:
        return "a '(' is not closed" if unclosed == 1 else f"{unclosed} '(' are not closed"
    if unclosed < 0:
        return "a ')' has no '(' before it"
    last = text.rstrip()[-1:]
    if last and last in "+-*/%":
        return f"it ends with {last!r}: a number is missing after it"
    return f"could not read {typed.strip()!r}"


def read_number(typed: str) -> tuple[Fraction, bool]:
    """The exact value of ``typed`` and whether it was written with a decimal point.

    Raises ``ValueError`` with a "not a number: …" message for anything else: names,
    calls, text, over-long input, too deep or too large expressions.
    """
    if len(typed) > MAX_CHARS:
        raise NotANumber(f"{len(typed):,} characters is too long (at most {MAX_CHARS})")
    text = _normalize(typed)
    if not text:
        raise NotANumber("nothing typed")
    try:
        # a string such as '\d' makes the parser warn on stderr, which would garble
        # the terminal UI; the walker below rejects it anyway
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            tree = ast.parse(text, mode="eval")
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        raise NotANumber(_syntax_problem(text, typed)) from None
    # counting stops one past the limit: a huge tree is never walked to its end
    if sum(1 for _ in itertools.islice(ast.walk(tree), MAX_NODES + 1)) > MAX_NODES:
        raise NotANumber(f"the expression is too long (at most {MAX_NODES} parts)")
    try:
        value = _evaluate(tree)
    except OverflowError:
        raise NotANumber("the number is too large") from None
    except ZeroDivisionError:
        raise NotANumber("division by zero") from None
    approximate = any(
        isinstance(n, ast.Constant) and isinstance(n.value, float) for n in ast.walk(tree)
    )
    return value, approximate


# --- comparing -----------------------------------------------------------------------------


def _show(value: Fraction | float | int) -> str:
    """A number as the user reads it: thousands separators, reals to 4 decimals."""
    if isinstance(value, Fraction) and value.denominator == 1:
        return f"{int(value):,}"
    if isinstance(value, int):
        return f"{value:,}"
    number = float(value)
    if abs(number) >= 1e15:
        return f"{number:.4g}"
    return f"{number:,.4f}".rstrip("0").rstrip(".") if number % 1 else f"{number:,.0f}"


def _plain(value: Fraction) -> int | float:
    return int(value) if value.denominator == 1 else float(value)


def _percent(fraction: float) -> str:
    percent = fraction * 100
    return f"{percent:.3g} %" if percent < 1000 else f"{percent:,.0f} %"


def _check_part(
    name: str, typed: str, truth: int | float, tolerance: float, relative: float = 0.0
) -> PartResult:
    try:
        value, approximate = read_number(typed)
    except NotANumber as exc:
        return PartResult(name, "invalid", typed, None, truth, f"not a number: {exc}")
    shown = _show(value)
    if isinstance(truth, int) and tolerance == 0 and relative == 0:
        if value == truth:
            return PartResult(
                name, "correct", typed, _plain(value), truth, f"{shown} is right (exact)"
            )
        near = truth != 0 and abs(value - truth) <= abs(truth) / 100
        if value.denominator != 1:
            message = f"{shown} is not a whole number; the answer is an exact count"
        elif approximate and near:
            message = (
                f"{typed.strip()} = {shown} is close, but this answer is an exact "
                "count: write every digit"
            )
        else:
            message = f"{shown} is not right (exact answer)"
        return PartResult(name, "wrong", typed, _plain(value), truth, message)
    off = abs(float(value) - truth)
    if relative:
        allowed = tolerance + relative * abs(truth)
        if off <= allowed + _EPSILON * max(1.0, abs(truth)):
            message = f"{shown} is right (within ±{_percent(relative)} of {_show(truth)})"
            return PartResult(name, "correct", typed, _plain(value), truth, message)
        message = (
            f"{shown} is {_percent(off / abs(truth))} off (allowed ±{_percent(relative)})"
            if truth
            else f"{shown} is off by {_show(off)}"
        )
        return PartResult(name, "wrong", typed, _plain(value), truth, message)
    if off <= tolerance + _EPSILON * max(1.0, abs(truth)):
        within = f" (within ±{tolerance:g})" if tolerance else ""
        return PartResult(name, "correct", typed, _plain(value), truth, f"{shown} is right{within}")
    return PartResult(
        name,
        "wrong",
        typed,
        _plain(value),
        truth,
        f"{shown} is off by {_show(off)} (allowed ±{tolerance:g})",
    )


def _split_parts(typed: str, names: tuple[str, ...]) -> dict[str, str]:
    """``c=0.42, h=0.31`` / ``c: 0.42 h: 0.31`` / ``0.42, 0.31`` → part name → text."""
    text = unicodedata.normalize("NFKC", typed).strip()
    if len(text) >= 2 and text[0] + text[-1] in ("()", "[]", "{}"):
        text = text[1:-1].strip()
    labels = list(_LABEL.finditer(text))
    by_lower = {n.lower(): n for n in names}
    if labels:
        if text[: labels[0].start()].strip(" ,;"):
            raise NotANumber(f"start each value with its name: {_example(names)}")
        parts: dict[str, str] = {}
        for i, label in enumerate(labels):
            name = by_lower.get(label.group(1).lower())
            if name is None:
                raise NotANumber(
                    f"unknown part {label.group(1)!r}; the parts are {', '.join(names)}"
                )
            if name in parts:
                raise NotANumber(f"{name} is given twice")
            end = labels[i + 1].start() if i + 1 < len(labels) else len(text)
            parts[name] = text[label.end() : end].strip().rstrip(",;").strip()
        return parts
    separator = ";" if ";" in text else "," if "," in text else None
    chunks = [c.strip() for c in text.split(separator)]
    if len(chunks) != len(names):
        raise NotANumber(
            f"expected {len(names)} values in the order {', '.join(names)}, e.g. {_example(names)}"
        )
    return dict(zip(names, chunks, strict=True))


def _example(names: tuple[str, ...]) -> str:
    samples = ("0.42", "0.31", "0.17", "0.05")
    return ", ".join(f"{name}={samples[i % len(samples)]}" for i, name in enumerate(names))


def check_answer(typed: str, truth: Answer, tolerance: float, relative: float = 0.0) -> Verdict:
    """Check ``typed`` against the reference ``truth``.

    Integers (counts, sizes) must match exactly when both tolerances are 0: ``1.18e6``
    for 1,182,720 is wrong, and the message says the count must be exact. Reals and
    multi-part answers (``{"c": …, "h": …}``) are right within ``tolerance``
    (absolute); memory and FLOPs within ``relative`` (0.01 = ±1 % of the truth), the
    message saying which applied. Numbers may carry units: ``7.24B``, ``2 GiB``. A
    multi-part answer with some parts right is ``partial``. Text that is not a number,
    or is too long or too large to be one, is ``invalid`` — nothing typed is ever
    executed.
    """
    if len(typed) > MAX_CHARS:
        message = f"not a number: {len(typed):,} characters is too long (at most {MAX_CHARS})"
        truths = truth if isinstance(truth, dict) else {"answer": truth}
        details = tuple(PartResult(n, "invalid", "", None, t, message) for n, t in truths.items())
        return Verdict("invalid", message, details)
    if not isinstance(truth, dict):
        part = _check_part("answer", typed, truth, tolerance, relative)
        return Verdict(part.status, part.message, (part,))
    names = tuple(truth)
    try:
        typed_parts = _split_parts(typed, names)
    except NotANumber as exc:
        message = f"not a number: {exc}"
        details = tuple(PartResult(n, "invalid", "", None, t, message) for n, t in truth.items())
        return Verdict("invalid", message, details)
    results = tuple(
        _check_part(name, typed_parts[name], truth[name], tolerance, relative)
        if name in typed_parts
        else PartResult(name, "invalid", "", None, truth[name], "missing")
        for name in names
    )
    statuses = {r.status for r in results}
    status: Status
    if statuses == {"correct"}:
        status = "correct"
    elif "correct" in statuses:
        status = "partial"
    elif statuses == {"invalid"}:
        status = "invalid"
    else:
        status = "wrong"
    message = "; ".join(f"{r.name}: {r.message}" for r in results)
    return Verdict(status, message, results)
