"""Known alternative answers: a wrong answer that a textbook or another convention
gives gets its own explanation instead of a bare "not right".

The classic one: the textbook GRU has one bias vector per gate, PyTorch's ``nn.GRU``
two (``b_ih`` and ``b_hh``), so for ``nn.GRU(32, 64)`` the textbook count is 18,624
and PyTorch's 18,816.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from quizapp.deckfile.rules import resolve_params

#: recurrent models: (PyTorch class, gates)
_RECURRENT = {
    "gru_params": ("nn.GRU", 3),
    "lstm_params": ("nn.LSTM", 4),
    "rnn_params": ("nn.RNN", 1),
}


@dataclass(frozen=True)
class Variant:
    """An answer someone may well give that differs from the reference by a known
    convention, and why."""

    value: int
    explanation: str


def known_variants(model: str, params: Mapping[str, object], truth: object) -> list[Variant]:
    """The known alternative answers of ``model`` for the drawn ``params`` (``truth`` is
    the reference answer)."""
    if model not in _RECURRENT or not isinstance(truth, int):
        return []
    p = resolve_params(model, params)
    if not int(p["bias"]):
        return []
    cls, gates = _RECURRENT[model]
    layers, n = int(p["layers"]), int(p["n"])
    directions = 2 if int(p["bidirectional"]) else 1
    single = truth - directions * layers * gates * int(n)
    per_gate = "one bias vector" if gates == 1 else "one bias per gate"
    return [
        Variant(
            single,
            f"{single:,} is the textbook count with {per_gate}; PyTorch's {cls} keeps two "
            f"bias vectors (b_ih and b_hh), so it has {truth:,}",
        )
    ]
