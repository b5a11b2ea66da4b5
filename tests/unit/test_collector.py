"""The garbage collector pauses only while a command starts (quizapp.collector)."""

from __future__ import annotations

import gc

import pytest

from quizapp import collector
from quizapp.cli import main


def test_a_usage_error_leaves_the_collector_running() -> None:
    with pytest.raises(SystemExit):
        main(["study", "--limit", "0"])
    assert gc.isenabled()


def test_resume_sets_aside_what_exists_only_when_asked() -> None:
    frozen = gc.get_freeze_count()
    try:
        collector.pause()
        assert not gc.isenabled()
        collector.resume()
        assert gc.isenabled()
        assert gc.get_freeze_count() == frozen
        collector.pause()
        collector.resume(freeze=True)
        assert gc.isenabled()
        assert gc.get_freeze_count() > frozen
    finally:
        gc.unfreeze()
        gc.enable()
