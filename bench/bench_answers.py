"""Grading a typed answer that is not a number: refused at once, whatever was typed.

A typed answer is untrusted input: ``check_answer`` reads it with a bounded reader
(:mod:`quizapp.grading.check`). Each hostile shape is timed in process (median of many
calls) against the budget of an answer the user does not notice being read.
"""

from __future__ import annotations

from bench import Row, median, repeats, time_row, times

#: the reference answers: one number (nn.GRU(256, 512)), two parts of one step
GRU = 1_182_720
STEP = {"c": 0.5591, "h": 0.2852}
#: a typed answer is read in far less than a frame
BUDGET = 0.05

SHAPES: dict[str, tuple[str, int | dict[str, float]]] = {
    "10,000 digits": ("1" * 10_000, GRU),
    "150 open parentheses": ("(" * 150 + "1", GRU),
    "code": ("1; import os", GRU),
    "a 300-digit part": ("c=" + "9" * 300, STEP),
    "a part given twice": ("c=1, c=2", STEP),
}


def run() -> list[Row]:
    """The slowest hostile shape's median time."""
    from quizapp.grading.check import check_answer

    worst, slowest = "", 0.0
    for name, (typed, truth) in SHAPES.items():

        def check(typed: str = typed, truth: int | dict[str, float] = truth) -> object:
            return check_answer(typed, truth, 0.01)

        took = median(times(check, repeats(200, 50)))
        if took >= slowest:
            worst, slowest = name, took
    return [
        time_row(f"`check_answer` on a hostile typed answer (slowest: {worst})", slowest, BUDGET)
    ]
