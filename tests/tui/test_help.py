"""The help page (``?``) is read from the key bindings: it lists every key a screen has,
with what it does, and nothing a screen does not have."""

from __future__ import annotations

import re

from textual.app import App

from quizapp.tui.screens.help import HelpScreen, declared_bindings
from quizapp.tui.screens.home import HomeScreen
from quizapp.tui.screens.study import StudyScreen
from tui.apptest import SIZE, AppFactory, region_lines, run, wait_for_phase, wait_until


def help_rows(app: App[None]) -> list[str]:
    """The rows the help box shows, its border taken off and spaces squeezed."""
    lines = region_lines(app, app.screen.query_one("#help-box"))
    rows = (re.sub(r"\s+", " ", line.strip("│╭╮╰╯─ ▂▄▆█")).strip() for line in lines)
    return [row for row in rows if row]


def test_help_from_the_study_screen_lists_its_keys_first(new_app: AppFactory) -> None:
    app = new_app()

    async def scenario() -> None:
        async with app.run_test(size=(120, 60)) as pilot:
            await wait_for_phase(pilot, "question")
            await pilot.press("question_mark")
            await wait_until(pilot, lambda: isinstance(app.screen, HelpScreen))
            await pilot.pause()
            rows = help_rows(app)
            sections = [r for r in rows if r in ("Everywhere", "Home", "Study", "Interview")]
            assert sections[:3] == ["Everywhere", "Study", "Home"], rows
            study = rows[rows.index("Study") + 1 : rows.index("Home")]
            # every binding of the screen, with its keys as the footer shows them (a
            # series with one meaning, like 1 2 3 4, on one row)
            expected = []
            for keys in declared_bindings(StudyScreen):
                what = keys[0].tooltip or keys[0].description
                shown = " / ".join(app.get_key_display(k) for k in keys)
                expected.append((shown, what))
            for shown, what in expected:
                assert any(r.endswith(what) and shown in r[: -len(what)] for r in study), (
                    shown,
                    what,
                    study,
                )
            assert "1 2 3 4 rate: again, hard, good, easy" in " ".join(study)
            assert "esc / q back to the home screen" in study
            # no key the screen does not have: tab only moves the focus
            assert not any("answer box (then" in r or r.startswith("tab") for r in rows)
            await pilot.press("escape")
            await wait_until(pilot, lambda: isinstance(app.screen, StudyScreen))

    run(scenario())


def test_help_from_home_starts_with_home_and_the_tree_keys(new_app: AppFactory) -> None:
    app = new_app(start="home")

    async def scenario() -> None:
        async with app.run_test(size=SIZE) as pilot:
            await wait_until(pilot, lambda: isinstance(app.screen, HomeScreen))
            await pilot.press("f1")
            await wait_until(pilot, lambda: isinstance(app.screen, HelpScreen))
            await pilot.pause()
            rows = help_rows(app)
            home = rows[rows.index("Home") + 1 :]
            assert "⏎ study the selected deck or topic" in home
            assert "space open or close a deck or topic" in home
            assert "s start studying every deck" in home
            assert "^q quit" in rows and "^p command palette (themes, screenshots)" in rows
            await pilot.press("q")
            await wait_until(pilot, lambda: isinstance(app.screen, HomeScreen))

    run(scenario())
