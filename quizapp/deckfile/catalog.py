"""The reference models a ``quiz`` block may name, and their parameters.

This is part of the deck format: a deck can only name a model listed here, and only
with these parameter names. The models themselves (which need torch) live in
``quizapp.grading``; this module is pure data so the parser can validate decks
without importing anything heavy.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from quizapp.deckfile.units import Unit

ParamKind = Literal["int", "float", "str"]
AnswerKind = Literal["int", "parts"]


@dataclass(frozen=True)
class ParamInfo:
    """One parameter of a reference model."""

    name: str
    kind: ParamKind
    default: int | float | str | None = None
    help: str = ""
    #: smallest and largest whole number accepted (None: the rules' usual limits)
    low: int | None = None
    high: int | None = None
    #: the only values accepted (for text: each comma-separated item when ``several``)
    choices: tuple[int | str, ...] = ()
    #: a text value is a comma-separated list of ``choices`` (LoRA's ``targets=q,v``)
    several: bool = False

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
    #: default relative tolerance (0.01 = within ±1 % of the answer; 0 = none)
    relative_tolerance: float = 0.0
    #: what the answer counts: shown with the exact value in human units
    unit: Unit = ""

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
        unit="params",
        params=(
            ParamInfo("m", "int", help="input_size"),
            ParamInfo("n", "int", help="hidden_size"),
            ParamInfo("layers", "int", 1, "num_layers"),
            ParamInfo("bidirectional", "int", 0, "1 for a bidirectional network"),
            ParamInfo("bias", "int", 1, "0 to build without biases"),
        ),
    )


#: most blocks of a transformer (Llama-3.1-405B has 126)
MAX_BLOCKS = 200
#: longest sequence: ten million tokens
MAX_TOKENS = 10_000_000
#: most parameters of a model: ten trillion
MAX_PARAMS = 10**13
#: most training tokens: a thousand trillion
MAX_TOKENS_SEEN = 10**15
#: bytes per value: fp8/int8, fp16/bf16, fp32, fp64
DTYPES = (1, 2, 4, 8)
#: projections LoRA may adapt, named as in Llama's modules
LORA_TARGETS = ("q", "k", "v", "o", "gate", "up", "down")

_LSTM_WEIGHTS = tuple(
    ParamInfo(name, "float", help=f"scalar weight {name}")
    for name in ("wi", "wf", "wg", "wo", "ui", "uf", "ug", "uo", "bi", "bf", "bg", "bo")
)

#: LLM and layer arithmetic: sizes, memory and compute of transformers and CNN layers
_LLM_MODELS = (
    ModelInfo(
        name="decoder_params",
        summary="parameter count of a decoder-only transformer (GPT-2, Llama, Mistral) "
        "from its config",
        params=(
            ParamInfo("vocab", "int", help="vocabulary size"),
            ParamInfo("d", "int", help="model width d_model"),
            ParamInfo("layers", "int", help="transformer blocks", high=MAX_BLOCKS),
            ParamInfo("heads", "int", help="attention heads (must divide d)"),
            ParamInfo(
                "kv_heads",
                "int",
                0,
                "key/value heads: 1 = multi-query, fewer than heads = grouped-query, "
                "0 = as many as heads",
                low=0,
            ),
            ParamInfo("ff", "int", help="FFN hidden width"),
            ParamInfo(
                "ff_kind",
                "str",
                "gelu",
                "gelu: two matrices (GPT-2); swiglu: three (Llama)",
                choices=("gelu", "swiglu"),
            ),
            ParamInfo(
                "norm",
                "str",
                "layernorm",
                "layernorm: weight and bias; rmsnorm: weight only",
                choices=("layernorm", "rmsnorm"),
            ),
            ParamInfo("bias", "int", 1, "0 for linear layers without biases (Llama)"),
            ParamInfo("tied", "int", 1, "1: the LM head is the token embedding; 0: its own"),
            ParamInfo(
                "ctx", "int", 0, "learned positions of this length; 0 = rotary (none)", low=0
            ),
        ),
        unit="params",
    ),
    ModelInfo(
        name="encoder_params",
        summary="parameter count of a BERT-style encoder (embeddings, layers, pooler)",
        params=(
            ParamInfo("vocab", "int", help="vocabulary size"),
            ParamInfo("d", "int", help="hidden size"),
            ParamInfo("layers", "int", help="encoder layers", high=MAX_BLOCKS),
            ParamInfo("heads", "int", help="attention heads (must divide d)"),
            ParamInfo("ff", "int", help="intermediate size"),
            ParamInfo("ctx", "int", 512, "learned positions (max_position_embeddings)", low=0),
            ParamInfo("types", "int", 2, "token types (segments A and B)", low=0),
            ParamInfo("pooler", "int", 1, "1 with the [CLS] pooler (d×d + d), 0 without"),
        ),
        unit="params",
    ),
    ModelInfo(
        name="kv_cache_bytes",
        summary="bytes of the key/value cache of a decoder (keys and values of every layer)",
        params=(
            ParamInfo("batch", "int", 1, "sequences in the batch"),
            ParamInfo("seq", "int", help="tokens per sequence", high=MAX_TOKENS),
            ParamInfo("layers", "int", help="transformer blocks", high=MAX_BLOCKS),
            ParamInfo("kv_heads", "int", help="key/value heads"),
            ParamInfo("head_dim", "int", help="size of one head (d / heads)"),
            ParamInfo("dtype_bytes", "int", 2, "bytes per value: 2 for fp16/bf16", choices=DTYPES),
        ),
        relative_tolerance=0.01,
        unit="bytes",
    ),
    ModelInfo(
        name="attention_scores_bytes",
        summary="bytes of one layer's attention score matrix b·h·s² "
        "(what FlashAttention never stores)",
        params=(
            ParamInfo("batch", "int", 1, "sequences in the batch"),
            ParamInfo("heads", "int", help="attention heads"),
            ParamInfo("seq", "int", help="tokens per sequence", high=MAX_TOKENS),
            ParamInfo("dtype_bytes", "int", 2, "bytes per value: 2 for fp16/bf16", choices=DTYPES),
        ),
        relative_tolerance=0.01,
        unit="bytes",
    ),
    ModelInfo(
        name="train_memory_bytes",
        summary="bytes of weights, gradients and optimizer states when training "
        "(the ZeRO paper's 16 bytes per parameter for mixed precision with Adam)",
        params=(
            ParamInfo("params", "int", help="parameter count, e.g. 7B", high=MAX_PARAMS),
            ParamInfo(
                "precision",
                "str",
                "mixed",
                "fp32, or mixed (fp16 weights and gradients, fp32 master copy)",
                choices=("fp32", "mixed"),
            ),
            ParamInfo(
                "optimizer",
                "str",
                "adam",
                "adam (two fp32 moments), or sgd (no state, PyTorch's default momentum=0)",
                choices=("adam", "sgd"),
            ),
        ),
        relative_tolerance=0.01,
        unit="bytes",
    ),
    ModelInfo(
        name="flops_per_token",
        summary="forward FLOPs per token: 2N, plus 4·layers·ctx·d for attention",
        params=(
            ParamInfo("params", "int", help="parameter count N, e.g. 7B", high=MAX_PARAMS),
            ParamInfo("layers", "int", 0, "blocks, for the attention term (0: left out)", low=0),
            ParamInfo("ctx", "int", 0, "context length (0: no attention term)", low=0),
            ParamInfo("d", "int", 0, "model width, for the attention term", low=0),
        ),
        relative_tolerance=0.02,
        unit="FLOPs",
    ),
    ModelInfo(
        name="train_flops",
        summary="training FLOPs: 6N per token (forward 2N, backward 4N), "
        "plus 12·layers·ctx·d for attention",
        params=(
            ParamInfo("params", "int", help="parameter count N, e.g. 70B", high=MAX_PARAMS),
            ParamInfo("tokens", "int", help="training tokens D, e.g. 1.4T", high=MAX_TOKENS_SEEN),
            ParamInfo("layers", "int", 0, "blocks, for the attention term (0: left out)", low=0),
            ParamInfo("ctx", "int", 0, "context length (0: no attention term)", low=0),
            ParamInfo("d", "int", 0, "model width, for the attention term", low=0),
        ),
        relative_tolerance=0.02,
        unit="FLOPs",
    ),
    ModelInfo(
        name="lora_params",
        summary="trainable parameters of LoRA adapters r·(d_in + d_out) per adapted matrix",
        params=(
            ParamInfo("d", "int", help="model width"),
            ParamInfo("layers", "int", help="transformer blocks", high=MAX_BLOCKS),
            ParamInfo("r", "int", 8, "LoRA rank"),
            ParamInfo(
                "targets",
                "str",
                "q,v",
                "adapted projections, from q,k,v,o,gate,up,down",
                choices=LORA_TARGETS,
                several=True,
            ),
            ParamInfo("heads", "int", 1, "attention heads (for k and v with fewer kv heads)"),
            ParamInfo("kv_heads", "int", 0, "key/value heads; 0 = as many as heads", low=0),
            ParamInfo("ff", "int", 0, "FFN width (for gate, up, down)", low=0),
        ),
        unit="params",
    ),
    ModelInfo(
        name="layernorm_params",
        summary="parameter count of nn.LayerNorm(d)",
        params=(
            ParamInfo("d", "int", help="normalized_shape"),
            ParamInfo("bias", "int", 1, "0 for a LayerNorm without bias"),
        ),
        unit="params",
    ),
    ModelInfo(
        name="batchnorm_params",
        summary="parameter count of nn.BatchNorm2d(c) (running statistics are buffers)",
        params=(
            ParamInfo("c", "int", help="num_features (channels)"),
            ParamInfo("affine", "int", 1, "0 without the learned scale and shift"),
        ),
        unit="params",
    ),
    ModelInfo(
        name="pool_output",
        summary="output size of nn.MaxPool2d(f, stride=s, padding=p, ceil_mode) on an n×n input",
        params=(
            ParamInfo("n", "int", help="input height and width"),
            ParamInfo("f", "int", help="kernel size"),
            ParamInfo("s", "int", 0, "stride; 0 = f (PyTorch's default)", low=0),
            ParamInfo("p", "int", 0, "padding (at most f/2)"),
            ParamInfo("ceil", "int", 0, "1 for ceil_mode=True"),
        ),
    ),
    ModelInfo(
        name="receptive_field",
        summary="receptive field of stacked identical convolutions (f, stride s, dilation d)",
        params=(
            ParamInfo("layers", "int", help="stacked convolutions"),
            ParamInfo("f", "int", help="kernel size"),
            ParamInfo("s", "int", 1, "stride"),
            ParamInfo("d", "int", 1, "dilation"),
        ),
    ),
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
            unit="params",
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
            unit="params",
            params=(
                ParamInfo("d", "int", help="embed_dim"),
                ParamInfo("heads", "int", help="num_heads (must divide d)"),
                ParamInfo("bias", "int", 1, "0 to build without biases"),
            ),
        ),
        ModelInfo(
            name="encoder_layer_params",
            summary="parameter count of nn.TransformerEncoderLayer(d, heads, ff)",
            unit="params",
            params=(
                ParamInfo("d", "int", help="d_model"),
                ParamInfo("heads", "int", help="nhead (must divide d)"),
                ParamInfo("ff", "int", help="dim_feedforward"),
            ),
        ),
        ModelInfo(
            name="embedding_params",
            summary="parameter count of nn.Embedding(vocab, dim)",
            unit="params",
            params=(
                ParamInfo("vocab", "int", help="num_embeddings"),
                ParamInfo("dim", "int", help="embedding_dim"),
            ),
        ),
        *_LLM_MODELS,
    )
}
