"""The terminal-safety function every writer uses: control characters shown, not sent."""

from __future__ import annotations

import json

from hypothesis import given
from hypothesis import strategies as st

from quizapp.present.safe import visible, visible_json, visible_line

CONTROLS = "".join(chr(c) for c in [*range(0x09), *range(0x0B, 0x20), *range(0x7F, 0xA0)])


def test_escape_sequences_become_pictures() -> None:
    assert visible("\x1b]0;title\x07\x1b[2J") == "␛]0;title␇␛[2J"
    assert visible("a\x9b31mb\x7f") == "a<U+009B>31mb␡"


def test_newline_and_tab_stay_except_on_one_line() -> None:
    assert visible("a\n\tb") == "a\n\tb"
    assert visible_line("a\n\tb\r") == "a␤ b␍"


@given(st.text(alphabet=st.sampled_from(CONTROLS + "ab\n\t€注"), max_size=50))
def test_nothing_a_terminal_acts_on_survives(text: str) -> None:
    shown = visible_line(text)
    assert not any(ch in CONTROLS or ch in "\n\t" for ch in shown)
    assert visible(visible(text)) == visible(text)


@given(st.recursive(st.text(), lambda inner: st.lists(inner) | st.dictionaries(st.text(), inner)))
def test_json_keeps_the_data_and_loses_the_controls(value: object) -> None:
    document = visible_json(json.dumps(value, ensure_ascii=False))
    assert json.loads(document) == value
    assert not any(ch in CONTROLS for ch in document)
