"""``quizapp interview``: a timed mock interview, in the app or in line mode.

Line mode (``--plain``) shows each question with its topic and time budget, reads the
answer of a computational question (graded at once) or Enter for an open one (then the
reference answer is shown and a self-score 0–3 read), prints the time taken (marking
overtime) and commits the answer before the next question. At the end it prints the
report, and writes it as markdown with ``--report FILE``; when that file cannot be
written, the answers stay saved and ``--report-of ID --report FILE`` writes the stored
report later. ``--list`` shows past interviews and their scores over time.
"""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from quizapp.cli.common import open_app, open_database, sync_first
from quizapp.cli.numbers import positive_number, whole_number
from quizapp.cli.plain import LineIO, Quit
from quizapp.present.safe import visible_line
from quizapp.present.sentences import (
    LEFT_OUT_OF_INTERVIEW,
    NO_QUESTION_ANSWERED,
    cannot_draw_note,
    format_clock,
    report_not_written,
    report_written,
    rewrite_hint,
    timer_line,
)
from quizapp.study.interview.limits import MAX_MINUTES, MAX_QUESTIONS
from quizapp.words import plural

if TYPE_CHECKING:
    from quizapp.study.interview.plan import Question
    from quizapp.study.interview.report import InterviewReport
    from quizapp.study.interview.session import InterviewSession


def register(sub: Any, parents: list[argparse.ArgumentParser]) -> None:
    """Add ``interview`` to the parser."""
    p = sub.add_parser(
        "interview",
        parents=parents,
        help="a timed mock interview across topics",
        description="A timed mock interview: N questions drawn across the chosen topics "
        "(every topic covered while N allows), weighted toward the cards you know least. "
        "Open questions are self-scored 0-3 once the reference answer is shown "
        "(0 blank, 1 weak, 2 good, 3 complete); computational ones are graded by the "
        "reference model (correct 3, partly 1-2, wrong 0). At the end a report shows the "
        "score per topic, the time per question, the weakest cards and what to study "
        "next. Answers are logged as interview reviews; card schedules change only with "
        "--reschedule. Opens the app on its interview screen; --plain runs it in line "
        "mode (type q at any prompt to stop early; answers given so far are kept).",
    )
    p.add_argument("--plain", action="store_true", help="line mode instead of the app")
    p.add_argument(
        "--questions",
        type=whole_number(1, MAX_QUESTIONS),
        default=10,
        metavar="N",
        help=f"number of questions, 1-{MAX_QUESTIONS} (default 10)",
    )
    p.add_argument(
        "--minutes",
        type=positive_number(MAX_MINUTES),
        metavar="M",
        help="time for the whole interview, shown as a budget per question "
        "(default 2 minutes per question; at most a day, 1440); going over is marked, "
        "not stopped",
    )
    p.add_argument(
        "--topic",
        metavar="T",
        nargs="+",
        action="extend",
        help="only these decks or topics (repeatable); default: every top-level topic",
    )
    p.add_argument(
        "--report",
        metavar="FILE",
        type=Path,
        help="also write the report as markdown (replacing FILE keeps its permissions)",
    )
    p.add_argument(
        "--reschedule",
        action="store_true",
        help="let the answers reschedule the cards like study reviews",
    )
    p.add_argument(
        "--seed",
        type=int,
        metavar="S",
        help="seed for drawing the questions and their numbers (repeats an interview)",
    )
    past = p.add_mutually_exclusive_group()
    past.add_argument(
        "--list",
        action="store_true",
        help="list past interviews with their scores over time, and exit",
    )
    past.add_argument(
        "--report-of",
        type=whole_number(1, 2**63 - 1),
        metavar="ID",
        help="the stored report of past interview ID (see --list): written to --report "
        "FILE, else printed; no new interview is started",
    )
    p.set_defaults(func=run)


def _read_score(io: LineIO) -> int:
    from quizapp.study.interview.scoring import SCORE_NAMES

    names = ", ".join(f"{n} {name}" for n, name in SCORE_NAMES.items())
    while True:
        raw = io.ask(f"score 0-3 ({names}): ").strip()
        if raw in ("0", "1", "2", "3"):
            return int(raw)
        io.say("type 0, 1, 2 or 3 (or q to stop)")


def _ask(session: InterviewSession, io: LineIO, q: Question, clock: Callable[[], float]) -> None:
    from quizapp.present.terminal import terminal_text
    from quizapp.study.interview.scoring import MAX_SCORE
    from quizapp.study.interview.session import Unreadable

    start = clock()
    io.say(terminal_text(session.prompt(q)))
    if q.kind == "computational":
        typed = io.ask("answer> ")
        seconds = clock() - start
        graded = session.answer_computational(q, typed, seconds)
        while isinstance(graded, Unreadable):
            # Not a wrong answer: say what is wrong and read it again.
            io.say(f"? cannot read your answer: {graded.problem}")
            io.say_typed(typed)
            typed = io.ask("fix it (Enter alone shows the answer)> ")
            seconds = clock() - start
            graded = session.answer_computational(q, typed, seconds)
        rec = graded
        io.say("time: " + timer_line(seconds, session.budget_seconds))
        io.verdict(rec.verdict, rec.message, rec.truth)
        io.say_if_cut(typed)
        if rec.derivation:
            io.say(rec.derivation)
    else:
        io.ask("[Enter] show the reference answer ")
        seconds = clock() - start
        io.say("time: " + timer_line(seconds, session.budget_seconds))
        io.say("---")
        io.say(terminal_text(session.answer(q)).strip() or "(no answer text)")
        io.say("---")
        rec = session.answer_open(q, _read_score(io), seconds)
    io.say(f"saved: {rec.score}/{MAX_SCORE}")


def run_interview(
    session: InterviewSession,
    io: LineIO,
    *,
    clock: Callable[[], float] = time.monotonic,
    prewarm: bool = True,
) -> InterviewReport | None:
    """Ask every question of ``session`` in line mode; returns the report (None when
    the interview was stopped before any answer).

    With ``prewarm``, torch is imported in the background while the first question is
    read, so computational answers are graded at once.
    """
    from quizapp.present.interview_document import report_markdown
    from quizapp.study.engine import GraderWarmUp

    n = len(session.questions)
    budget = (
        f", {format_clock(session.budget_seconds)} per question" if session.budget_seconds else ""
    )
    io.say(f"Mock interview: {plural(n, 'question')}{budget}. Type q at any prompt to stop.")
    if n < session.requested:
        io.say(f"(only {plural(n, 'card')} to ask about, not {session.requested})")
    for skipped in session.skipped:
        io.say(cannot_draw_note(skipped.problem, LEFT_OUT_OF_INTERVIEW))
    warm = GraderWarmUp()
    if prewarm and any(q.kind == "computational" for q in session.questions):
        warm.start()
    try:
        for q in session.questions:
            io.say("")
            kind = "compute" if q.kind == "computational" else "open"
            io.say(f"[{q.position}/{n}] {q.topic} · {kind}")
            _ask(session, io, q, clock)
    except Quit:
        io.say("")
        io.say(f"Interview stopped after {len(session.answers)} of {plural(n, 'question')}.")
    finally:
        # On every way out, errors included (torch aborts a process that exits while
        # it is half imported).
        warm.join()
    return session.finish(report_markdown)


def _list(args: argparse.Namespace) -> int:
    from quizapp.present.interview_text import history_text
    from quizapp.study.interview.history import list_interviews

    items = list_interviews(open_database(args))
    print(history_text(items))
    if items:
        print(f"\nWrite the report of an interview again: {rewrite_hint(items[-1].id)}")
    return 0


def _report_of(args: argparse.Namespace) -> int:
    from quizapp.present.safe import visible
    from quizapp.store.interviews import interview_report
    from quizapp.study.interview.report_file import save_report

    try:
        text = interview_report(open_database(args), args.report_of)
    except LookupError as exc:
        print(f"quizapp interview: {exc.args[0]}", file=sys.stderr)
        return 1
    if text is None:
        print(
            f"quizapp interview: interview #{args.report_of} has no report: it was cut off "
            "before the end (its answers are kept and count in --list)",
            file=sys.stderr,
        )
        return 1
    if args.report is None:
        print(visible(text), end="")
        return 0
    try:
        save_report(args.report, text)
    except OSError as exc:
        print(f"quizapp interview: cannot write {args.report}: {_reason(exc)}", file=sys.stderr)
        return 1
    print(f"report of interview #{args.report_of} written to {args.report}")
    return 0


def _reason(exc: OSError) -> str:
    return exc.strerror or str(exc)


def _save(path: Path, report: InterviewReport, io: LineIO) -> int:
    """Write the report file at the end of an interview; a failure is a message and
    exit status 1, with the way to write it again (the answers are already saved)."""
    from quizapp.present.interview_document import report_markdown
    from quizapp.study.interview.report_file import save_report

    try:
        save_report(path, report_markdown(report))
    except OSError as exc:
        message = report_not_written(path, _reason(exc), report.interview_id)
        print(f"quizapp interview: {message}", file=sys.stderr)
        return 1
    io.say("")
    io.say(report_written(path))
    return 0


def run(args: argparse.Namespace) -> int:
    """Run the interview (or list past ones, or write a stored report)."""
    if args.list:
        return _list(args)
    if args.report_of is not None:
        return _report_of(args)
    if args.report is not None:
        from quizapp.study.interview.report_file import report_target_problem

        problem = report_target_problem(args.report)
        if problem:
            raise SystemExit(f"quizapp interview: --report {problem}")
    from quizapp.study.options import InterviewOptions

    options = InterviewOptions(
        questions=args.questions,
        minutes=args.minutes,
        topics=tuple(args.topic or ()),
        reschedule=args.reschedule,
        seed=args.seed,
        report=args.report,
    )
    if not args.plain:
        return open_app(args, "interview", interview=options)
    from quizapp.present.interview_text import report_text
    from quizapp.study.interview.plan import NothingToAskError
    from quizapp.study.interview.session import InterviewSession
    from quizapp.study.service import StudyService

    db = open_database(args)
    sync_first(args, db)
    try:
        session = InterviewSession.start(StudyService(db), options)
    except NothingToAskError as exc:
        print(visible_line(f"quizapp interview: {exc}"), file=sys.stderr)
        return 1
    io = LineIO()
    report = run_interview(session, io)
    if report is None:
        io.say(NO_QUESTION_ANSWERED)
        return 0
    io.say("")
    io.say(report_text(report))
    if args.report is not None:
        return _save(args.report, report, io)
    return 0
