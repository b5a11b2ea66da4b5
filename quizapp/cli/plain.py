"""Line mode (``--plain``): one prompt per line, for pipes and screen readers.

Every line the user types is read with ``input``-like calls on stdin; every rating is
committed to the database before the next card is printed, and acknowledged with a
line starting ``saved``.
"""

from __future__ import annotations

import sys
import time
from dataclasses import dataclass
from typing import TextIO

from quizapp.present.card import breadcrumb, format_intervals
from quizapp.present.labels import RATING_NAMES, verdict_mark
from quizapp.present.safe import visible
from quizapp.present.sentences import (
    NOT_SAVED,
    NOTHING_TO_STUDY,
    cannot_draw_note,
    limit_notes,
    saved_note,
    session_over,
)
from quizapp.present.terminal import terminal_text
from quizapp.study.engine import (
    EXTRA_NEW_STEP,
    Graded,
    GraderWarmUp,
    Prompt,
    SessionEnd,
    Step,
    StudySession,
)
from quizapp.study.service import CardNotFoundError
from quizapp.words import plural

QUIT = "q"
#: how line mode lifts today's new-card limit
MORE_NEW = f"`quizapp study --plain --extra-new {EXTRA_NEW_STEP}` gives {EXTRA_NEW_STEP} more today"


#: the most characters of an unreadable answer echoed back to be fixed
_ECHO_CHARS = 200


class Quit(Exception):
    """The user typed ``q`` or closed standard input."""


@dataclass
class LineIO:
    """Reads answers from ``inp`` and writes prompts to ``out``."""

    inp: TextIO = sys.stdin
    out: TextIO = sys.stdout

    def say(self, text: str = "") -> None:
        """Print a line and flush (a pipe on the other end waits for it). Control
        characters in it are shown, never sent (the text comes from deck files)."""
        self.out.write(visible(text) + "\n")
        self.out.flush()

    def ask(self, prompt: str) -> str:
        """Print ``prompt`` and read one line; ``q`` or end of input raises :class:`Quit`."""
        self.out.write(visible(prompt))
        self.out.flush()
        line = self.inp.readline()
        if not line:
            raise Quit
        text = line.rstrip("\r\n")
        if text.strip().lower() == QUIT:
            raise Quit
        return text

    def rating(self, suggested: int, intervals: dict[int, str] | None = None) -> tuple[int, bool]:
        """Read a rating 1–4; Enter takes ``suggested``. Returns (rating, automatic)."""
        choices = "  ".join(
            f"{r} {RATING_NAMES[r].lower()}" + (f" ({intervals[r]})" if intervals else "")
            for r in (1, 2, 3, 4)
        )
        while True:
            raw = self.ask(f"{choices}  [Enter = {suggested} {RATING_NAMES[suggested]}]: ").strip()
            if raw == "":
                return suggested, True
            if raw in ("1", "2", "3", "4"):
                return int(raw), False
            self.say("type 1, 2, 3 or 4 (or q to quit)")

    def say_if_cut(self, typed: str) -> None:
        """Say so when a typed answer is too long to be stored whole."""
        from quizapp.store.schema import MAX_ANSWER_CHARS

        if len(typed) > MAX_ANSWER_CHARS:
            self.say(f"(your answer is saved cut to its first {MAX_ANSWER_CHARS:,} characters)")

    def say_typed(self, typed: str) -> None:
        """Echo an answer that cannot be read, to be fixed (a pasted megabyte is cut)."""
        shown = typed if len(typed) <= _ECHO_CHARS else f"{typed[:_ECHO_CHARS]}…"
        more = f" ({len(typed):,} characters)" if len(typed) > _ECHO_CHARS else ""
        self.say(f"  you typed: {shown}{more}")

    def verdict(self, status: str | None, message: str | None, truth: str | None) -> None:
        """The verdict line of a graded answer, then the reference answer."""
        self.say(verdict_mark(status) + (f" — {message}" if message else ""))
        self.say(f"answer: {truth}")


def ask_card(session: StudySession, io: LineIO, prompt: Prompt) -> None:
    """Show one card, read the answer or reveal, print the back or the verdict, read a
    rating and commit it."""
    start = time.monotonic()
    graded: Graded | None = None
    if prompt.computational:
        io.say(terminal_text(prompt.question))
        typed = io.ask("answer> ")
        graded = session.grade(prompt, typed, time.monotonic() - start)
        while graded.needs_fix:
            # Not a wrong answer: say what is wrong and read it again.
            io.say(f"? cannot read your answer: {graded.grade.verdict.message}")
            io.say_typed(typed)
            typed = io.ask("fix it (Enter alone shows the answer)> ")
            graded = session.grade(prompt, typed, time.monotonic() - start)
        verdict = graded.grade.verdict
        io.verdict(graded.status, verdict.message, graded.grade.truth_text)
        io.say_if_cut(typed)
        if graded.grade.derivation:
            io.say(graded.grade.derivation)
        seconds = graded.seconds
    else:
        io.say(terminal_text(prompt.question))
        io.ask("[Enter] show answer ")
        seconds = time.monotonic() - start
        io.say("---")
        io.say(terminal_text(prompt.answer).strip() or "(no answer text)")
        io.say("---")
    rating, auto = io.rating(session.suggested(graded), format_intervals(prompt.intervals))
    try:
        session.rate(prompt, rating, seconds=seconds, graded=graded, auto=auto)
    except CardNotFoundError:
        # A sync in another terminal renamed or retired it: the rating is not
        # moved onto whatever card now carries another id.
        io.say(NOT_SAVED)
        return
    io.say(saved_note(rating, prompt.intervals.get(rating)))


def _say_skipped(io: LineIO, step: Step) -> None:
    for skipped in step.skipped:
        io.say(cannot_draw_note(skipped.problem))


def run_study(session: StudySession, io: LineIO) -> int:
    """A study session in line mode; returns the number of cards rated."""
    warm = GraderWarmUp()
    step = session.next()
    _say_skipped(io, step)
    if not isinstance(step, Prompt):
        if step.reason == "empty":
            notes = limit_notes(step.counts, MORE_NEW)
            for note in notes:
                io.say(note)
            if not notes:
                io.say(NOTHING_TO_STUDY)
            return 0
    elif step.counts.total:
        io.say(f"{plural(step.counts.total, 'card')} to study. Type q to quit at any prompt.")
    else:
        io.say("Only learning cards due soon are left: studying them early. q quits.")
    try:
        while isinstance(step, Prompt):
            if not warm.started and session.quiz_ahead(step.card):
                # Pre-warm torch while the user reads, so grading answers at once.
                warm.start()
            io.say("")
            io.say(f"[{step.done + 1}] {breadcrumb(step.card)}")
            ask_card(session, io, step)
            step = session.next()
            _say_skipped(io, step)
    except Quit:
        pass
    finally:
        # On every way out, errors included: torch aborts the process if the
        # interpreter exits while it is half imported.
        warm.join()
    io.say(session_over(session.done))
    if isinstance(step, SessionEnd) and step.reason == "finished":
        for note in limit_notes(step.counts, MORE_NEW):
            io.say(note)
    return session.done
