"""torch stays out of start-up: only computing an answer imports it."""

from __future__ import annotations

import subprocess
import sys


def _run(code: str) -> subprocess.CompletedProcess[str]:
    # a fresh interpreter: this test process may have imported torch already
    return subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=120, check=False
    )


def test_importing_and_checking_answers_does_not_import_torch() -> None:
    result = _run(
        "import sys\n"
        "import quizapp.grading, quizapp.deckfile.rules, quizapp.grading.formulas\n"
        "import quizapp.grading.models, quizapp.grading.draw, quizapp.grading.check\n"
        "import quizapp.grading.grade\n"
        "from quizapp.grading.check import check_answer\n"
        "from quizapp.grading.formulas import derivation\n"
        "assert check_answer('3*(64*32+64*64+2*64)', 18816, 0.0).correct\n"
        "derivation('gru_params', {'m': 64, 'n': 32})\n"
        "assert 'torch' not in sys.modules, 'torch imported'\n"
        "from quizapp.grading.models import compute\n"
        "assert compute('embedding_params', {'vocab': 2, 'dim': 3}) == 6\n"
        "assert 'torch' in sys.modules\n"
    )
    assert result.returncode == 0, result.stderr


def test_calc_list_does_not_import_torch() -> None:
    result = _run(
        "import sys\n"
        "from quizapp.cli import main\n"
        "assert main(['calc', '--list']) == 0\n"
        "assert 'torch' not in sys.modules, 'torch imported by calc --list'\n"
    )
    assert result.returncode == 0, result.stderr
    assert "gru_params" in result.stdout
