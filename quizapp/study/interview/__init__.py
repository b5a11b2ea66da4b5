"""Mock interviews: which questions to ask, how answers are scored, and the report.

Headless: the line mode (``quizapp interview --plain``) and the app's interview screen
both drive an :class:`~quizapp.study.interview.session.InterviewSession`. One concept
per module: ``plan`` (drawing the questions), ``scoring`` (0–3 points and the rating
logged), ``report`` (what the report holds), ``markdown`` and ``text`` (the report
rendered for a file and for a terminal), ``report_file`` (writing it safely),
``session`` (a running interview) and ``history`` (past interviews).

**Drawing the questions.** The *topics* of an interview are the ``--topic`` filters
given, else every top-level topic of the active cards (``deck › first heading``, or
the deck alone for cards without a heading). Every chosen topic gets one question while
N allows (when there are more topics than questions, the topics asked are drawn with
their mean card weight, so weak topics are covered first); the remaining questions are
drawn from all cards of the chosen topics. Draws are weighted toward weak cards::

    weight = 0.05 + (1 − retrievability) + 0.25 × min(fails, 4)     reviewed cards
    weight = 0.5 + 0.25 × min(fails, 4)                               new cards

where ``fails`` counts the card's *Again* ratings (study or interview) in the last
30 days. At most one card of a family is asked: the quiz cards of one parent, and the
cloze cards of one note, are variants of the same question. The order of the questions
is shuffled; with a seed, the questions, their order and the drawn parameters repeat.

**Time.** ``minutes`` is the budget of the whole interview (default 2 minutes per
question), shown as a per-question budget (``minutes × 60 / questions``). Going over is
not stopped, only marked as overtime in the report. A question's time runs from showing
it until the answer is typed (computational) or revealed (open).

**Scoring**, 0–3 per question. Open questions are self-scored after the reference
answer is shown (0 blank, 1 weak, 2 good, 3 complete). Computational questions are
graded by the reference model: correct 3, partly correct 2 when at least half of the
parts are right (else 1), wrong or not a number 0.

**The review log.** Every answer is logged as a review of kind ``"interview"``; the
card's schedule changes only with ``reschedule``. The rating logged is the self-score
mapped 0→Again 1→Hard 2→Good 3→Easy for open questions, and the grader's rating
(correct and fast → Easy, …, wrong → Again) for computational ones.

**Storage.** An ``interviews`` row is written when the interview starts; each answer is
committed (its review, then its ``interview_answers`` row) before the next question is
shown, so a killed interview keeps every answer given; :meth:`InterviewSession.finish`
stores the score and the markdown report.
"""
