"""Line mode (``--plain``): one prompt per line, for pipes and screen readers.

Every line the user types is read with ``input``-like calls on stdin; every rating is
committed to the database before the next card is printed, and acknowledged with a
line starting ``saved``.
"""

from __future__ import annotations

import random
import sys
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import TextIO

from quizapp.present.card import answer_text, breadcrumb, format_interval, question_text
from quizapp.present.safe import visible
from quizapp.present.terminal import terminal_text
from quizapp.store.views import CardView
from quizapp.study.service import StudyService

RATING_NAMES = {1: "Again", 2: "Hard", 3: "Good", 4: "Easy"}
QUIT = "q"


class Quit(Exception):
    """The user typed ``q`` or closed standard input."""


class CannotAsk(Exception):
    """The card cannot be shown (its quiz parameters cannot be drawn)."""


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


def _warm_grader() -> None:
    from quizapp.grading.models import warm_up

    warm_up()


@dataclass(frozen=True)
class Outcome:
    """What happened on one card: the rating and the grading details for the log."""

    rating: int
    auto: bool
    duration_ms: int
    answer: str | None = None
    params: dict[str, object] | None = None
    verdict: str | None = None


def ask_card(
    io: LineIO, card: CardView, rng: random.Random, intervals: dict[int, str] | None
) -> Outcome:
    """Show one card, read the answer or reveal, print the back or verdict, read a rating."""
    start = time.monotonic()
    if card.kind == "quiz" and card.quiz is not None:
        from quizapp.grading.draw import draw_params
        from quizapp.grading.grade import grade, render_question, suggest_rating

        try:
            params = draw_params(card.quiz, rng)
        except ValueError as exc:
            raise CannotAsk(f"{card.source}:{card.line}: {exc}") from exc
        io.say(terminal_text(render_question(card.quiz, params)))
        typed = io.ask("answer> ")
        seconds = time.monotonic() - start
        result = grade(card.quiz, params, typed)
        verdict = result.verdict
        mark = {"correct": "✓ correct", "partial": "~ partly correct"}.get(
            verdict.status, "✗ wrong"
        )
        detail = f" — {verdict.message}" if verdict.message else ""
        io.say(f"{mark}{detail}")
        io.say(f"answer: {result.truth_text}")
        if result.derivation:
            io.say(result.derivation)
        suggested = suggest_rating(verdict, seconds)
        rating, auto = io.rating(suggested, intervals)
        return Outcome(
            rating=rating,
            auto=auto,
            duration_ms=int(seconds * 1000),
            answer=typed,
            params=dict(params),
            verdict=verdict.status,
        )
    io.say(terminal_text(question_text(card)))
    io.ask("[Enter] show answer ")
    seconds = time.monotonic() - start
    io.say("---")
    io.say(terminal_text(answer_text(card)).strip() or "(no answer text)")
    io.say("---")
    rating, auto = io.rating(3, intervals)
    return Outcome(rating=rating, auto=auto, duration_ms=int(seconds * 1000))


def run_study(
    svc: StudyService,
    io: LineIO,
    *,
    topic: str | None = None,
    limit: int | None = None,
    seed: int | None = None,
    on_review: Callable[[CardView, Outcome], None] | None = None,
) -> int:
    """A study session in line mode; returns the number of cards rated."""
    rng = random.Random(seed)
    done = 0
    warmer: threading.Thread | None = None
    total = svc.counts(topic).total
    if total == 0 and svc.next_card(topic=topic) is None:
        io.say("Nothing to study now. Come back later, or add cards to your decks.")
        return 0
    if total:
        io.say(f"{total} card(s) to study. Type q to quit at any prompt.")
    else:
        io.say("Only learning cards due soon are left: studying them early. q quits.")
    try:
        while limit is None or done < limit:
            card = svc.next_card(topic=topic)
            if card is None:
                break
            if warmer is None and any(c.kind == "quiz" for c in svc.queue(limit=3, topic=topic)):
                # Pre-warm torch while the user reads, so grading answers at once.
                warmer = threading.Thread(target=_warm_grader, daemon=True)
                warmer.start()
            io.say("")
            io.say(f"[{done + 1}] {breadcrumb(card)}")
            intervals = {
                r: format_interval(d.total_seconds()) for r, d in svc.preview(card.id).items()
            }
            try:
                outcome = ask_card(io, card, rng, intervals)
            except CannotAsk as exc:
                io.say(f"✗ this card cannot be asked ({exc}); skipped until tomorrow")
                svc.bury(card.id)
                continue
            svc.review(
                card.id,
                outcome.rating,
                duration_ms=outcome.duration_ms,
                answer=outcome.answer,
                params=outcome.params,
                verdict=outcome.verdict,
                auto=outcome.auto,
            )
            done += 1
            io.say(f"saved: {RATING_NAMES[outcome.rating]} — next in {intervals[outcome.rating]}")
            if on_review is not None:
                on_review(card, outcome)
    except Quit:
        pass
    io.say(f"Session over: {done} card(s) reviewed.")
    if warmer is not None:
        # torch aborts the process if it is torn down half-initialised.
        warmer.join()
    return done
