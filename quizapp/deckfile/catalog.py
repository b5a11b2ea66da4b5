"""The reference models a ``quiz`` block may name, and their parameters.

This is part of the deck format: a deck can only name a model listed here, and only
with these parameter names. The models themselves (which need torch) live in
``quizapp.grading``; this module is pure data so the parser can validate decks
without importing anything heavy.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

ParamKind = Literal["int", "float", "str"]
AnswerKind = Literal["int", "parts"]


@dataclass(frozen=True)
class ParamInfo:
    """One parameter of a reference model."""

    name: str
    kind: ParamKind
    default: int | float | str | None = None
    help: str = ""

    @property
    def required(self) -> bool:
        """A parameter without a default must be given (fixed, a range or choices)."""
        return self.default is None


@dataclass(frozen=True)
class ModelInfo:
    """A reference model: its name, parameters and what kind of answer it gives."""

    name: str
    summary: str
    params: tuple[ParamInfo, ...]
    answer: AnswerKind = "int"
    #: parts of a multi-part answer, in the order they are asked for
    parts: tuple[str, ...] = ()
    #: default absolute tolerance for real-valued answers (0 = exact)
    tolerance: float = 0.0

    def param(self, name: str) -> ParamInfo | None:
        """The parameter called ``name``, or None."""
        for p in self.params:
            if p.name == name:
                return p
        return None

    @property
    def param_names(self) -> tuple[str, ...]:
        """Parameter names in declaration order."""
        return tuple(p.name for p in self.params)


def _rnn_params(kind: str) -> ModelInfo:
    return ModelInfo(
        name=f"{kind.lower()}_params",
        summary=f"parameter count of nn.{kind}(m, n, ...)",
        params=(
            ParamInfo("m", "int", help="input_size"),
            ParamInfo("n", "int", help="hidden_size"),
            ParamInfo("layers", "int", 1, "num_layers"),
            ParamInfo("bidirectional", "int", 0, "1 for a bidirectional network"),
            ParamInfo("bias", "int", 1, "0 to build without biases"),
        ),
    )


_LSTM_WEIGHTS = tuple(
    ParamInfo(name, "float", help=f"scalar weight {name}")
    for name in ("wi", "wf", "wg", "wo", "ui", "uf", "ug", "uo", "bi", "bf", "bg", "bo")
)

CATALOG: dict[str, ModelInfo] = {
    m.name: m
    for m in (
        _rnn_params("GRU"),
        _rnn_params("LSTM"),
        _rnn_params("RNN"),
        ModelInfo(
            name="conv_output",
            summary="output size of nn.Conv2d(1, 1, f, stride=s, padding=p, dilation=d) "
            "on an n×n input",
            params=(
                ParamInfo("n", "int", help="input height and width"),
                ParamInfo("f", "int", help="kernel size"),
                ParamInfo("p", "int", 0, "padding"),
                ParamInfo("s", "int", 1, "stride"),
                ParamInfo("d", "int", 1, "dilation"),
            ),
        ),
        ModelInfo(
            name="conv_params",
            summary="parameter count of nn.Conv2d(c_in, c_out, f)",
            params=(
                ParamInfo("c_in", "int", help="input channels"),
                ParamInfo("c_out", "int", help="output channels"),
                ParamInfo("f", "int", help="kernel size"),
                ParamInfo("bias", "int", 1, "0 to build without bias"),
            ),
        ),
        ModelInfo(
            name="textcnn_features",
            summary="length of the sentence vector of a TextCNN "
            "(Conv1d per filter size, max-pool over time, concatenate)",
            params=(
                ParamInfo("sizes", "str", help='filter sizes, e.g. "2,3,4"'),
                ParamInfo("filters", "int", help="filters (output channels) per size"),
                ParamInfo("embed", "int", help="embedding size"),
                ParamInfo("seq_len", "int", help="sentence length in tokens"),
            ),
        ),
        ModelInfo(
            name="lstm_step",
            summary="c and h after one step of a 1-unit nn.LSTMCell with scalar weights",
            params=(
                ParamInfo("x", "float", help="input x_t"),
                ParamInfo("h", "float", help="previous hidden state h_{t-1}"),
                ParamInfo("c", "float", help="previous cell state c_{t-1}"),
                *_LSTM_WEIGHTS,
            ),
            answer="parts",
            parts=("c", "h"),
            tolerance=0.01,
        ),
        ModelInfo(
            name="mha_params",
            summary="parameter count of nn.MultiheadAttention(d, heads)",
            params=(
                ParamInfo("d", "int", help="embed_dim"),
                ParamInfo("heads", "int", help="num_heads (must divide d)"),
                ParamInfo("bias", "int", 1, "0 to build without biases"),
            ),
        ),
        ModelInfo(
            name="encoder_layer_params",
            summary="parameter count of nn.TransformerEncoderLayer(d, heads, ff)",
            params=(
                ParamInfo("d", "int", help="d_model"),
                ParamInfo("heads", "int", help="nhead (must divide d)"),
                ParamInfo("ff", "int", help="dim_feedforward"),
            ),
        ),
        ModelInfo(
            name="embedding_params",
            summary="parameter count of nn.Embedding(vocab, dim)",
            params=(
                ParamInfo("vocab", "int", help="num_embeddings"),
                ParamInfo("dim", "int", help="embedding_dim"),
            ),
        ),
    )
}
