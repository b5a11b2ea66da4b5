"""The core is headless and starts fast: no textual outside the TUI, no torch at import."""

from __future__ import annotations

import pkgutil
import subprocess
import sys

import quizapp

CORE = sorted(
    m.name
    for m in pkgutil.walk_packages(quizapp.__path__, "quizapp.")
    if not m.name.startswith(("quizapp.tui", "quizapp.store.migrations", "quizapp.__main__"))
)


def loaded_after(code: str) -> set[str]:
    out = subprocess.run(
        [sys.executable, "-c", code + "\nimport sys; print('\\n'.join(sys.modules))"],
        capture_output=True,
        text=True,
        check=True,
        timeout=120,
    )
    return {line.split(".")[0] for line in out.stdout.splitlines()}


def test_core_modules_import_neither_textual_nor_torch() -> None:
    assert "quizapp.cli" in CORE and "quizapp.store.sync" in CORE
    loaded = loaded_after("\n".join(f"import {name}" for name in CORE))
    assert "textual" not in loaded
    assert "torch" not in loaded


def test_cli_parser_imports_neither_textual_nor_torch_nor_alembic() -> None:
    loaded = loaded_after("from quizapp.cli import build_parser; build_parser()")
    assert not {"textual", "torch", "alembic"} & loaded
