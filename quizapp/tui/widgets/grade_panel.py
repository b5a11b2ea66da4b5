"""The outcome of a computational answer: verdict, reference answer, derivation."""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.text import Text
from textual.widgets import Static

from quizapp.present.labels import RATING_NAMES, verdict_mark

if TYPE_CHECKING:
    from quizapp.grading.grade import Grade

#: verdict → (CSS class of the panel, style of the verdict line)
_LOOKS = {
    "correct": ("verdict-correct", "bold green"),
    "partial": ("verdict-partial", "bold yellow"),
}
_WRONG = ("verdict-wrong", "bold red")


def verdict_style(status: str | None) -> str:
    """The text style of a verdict: green, yellow or red."""
    return _LOOKS.get(status or "", _WRONG)[1]


def verdict_line(grade: Grade) -> str:
    """``✓ correct``, ``~ partly correct`` or ``✗ wrong``, then the checker's message."""
    mark = verdict_mark(grade.verdict.status)
    return f"{mark} — {grade.verdict.message}" if grade.verdict.message else mark


class GradePanel(Static):
    """What the grader said about a typed answer, as plain text (never markup)."""

    DEFAULT_CSS = """
    GradePanel {
        height: auto;
        padding: 0 1;
        margin: 1 0 0 0;
        border: round $panel-lighten-2;
    }
    GradePanel.verdict-correct { border: round $success; }
    GradePanel.verdict-partial { border: round $warning; }
    GradePanel.verdict-wrong { border: round $error; }
    """

    def show(self, grade: Grade, typed: str, suggested: int) -> None:
        """Show the verdict on ``typed``, the reference answer and the derivation."""
        css, style = _LOOKS.get(grade.verdict.status, _WRONG)
        self.set_classes(css)
        text = Text()
        text.append(verdict_line(grade), style=style)
        # The suggestion comes right under the verdict: a long derivation must not
        # push it below the fold.
        text.append("\nsuggested: ", style="dim")
        text.append(f"{suggested} {RATING_NAMES[suggested]}", style="bold")
        text.append("  (Enter accepts, 1–4 choose another)", style="dim")
        text.append("\nyour answer: ", style="dim")
        text.append(typed)
        text.append("\nanswer:      ", style="dim")
        text.append(grade.truth_text, style="bold")
        if grade.derivation:
            text.append("\n\n")
            text.append(grade.derivation)
        self.update(text)
