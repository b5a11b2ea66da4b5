"""Start-up stays free of torch: the first (non-computational) card is shown without it.

Each check runs in a fresh interpreter, since this test process may have imported torch.
"""

from __future__ import annotations

from pathlib import Path

from tui.apptest import FIXTURES, GATE, fresh_interpreter


def test_the_first_card_is_on_screen_and_torch_is_not_imported(tmp_path: Path) -> None:
    result = fresh_interpreter(
        f"""
        import asyncio, sys
        from pathlib import Path
        from quizapp.tui.app import make_app

        async def main():
            app = make_app(
                db_url={f"sqlite:///{tmp_path / 'q.db'}"!r},
                deck_paths=[Path({str(FIXTURES / "study-deck.md")!r})],
                start="study",
            )
            async with app.run_test(size=(120, 36)) as pilot:
                for _ in range(500):
                    if getattr(app.screen, "phase", None) == "question":
                        break
                    await pilot.pause(0.02)
                await pilot.pause()
                text = "\\n".join(s.text for s in app.screen._compositor.render_strips())
                assert {GATE!r} in text, text
                assert "torch" not in sys.modules, "torch imported before a computational card"
                print("first card shown without torch")

        asyncio.run(main())
        """
    )
    assert result.returncode == 0, result.stderr
    assert "first card shown without torch" in result.stdout


def test_the_command_line_launch_does_not_import_torch(tmp_path: Path) -> None:
    # The real entry point, as `quizapp study` runs it, stopped once the card is drawn.
    result = fresh_interpreter(
        f"""
        import sys
        from quizapp.cli import main

        code = main(["--db", {str(tmp_path / "q.db")!r},
                     "--deck", {str(FIXTURES / "study-deck.md")!r}, "study"])
        assert code == 0, code
        assert "torch" not in sys.modules, "torch imported by the launch"
        print("launched without torch")
        """,
        QUIZAPP_EXIT_AFTER_FIRST_CARD="1",
    )
    assert result.returncode == 0, result.stderr
    assert "launched without torch" in result.stdout
